// Helpers shared by the API's handler files (api.cpp, api_terminology.cpp, fhir.cpp).
#pragma once

#include <rapidjson/document.h>

#include <charconv>
#include <string>

#include "catalog/errors.h"
#include "catalog/model.h"
#include "exporters/regcat_json_exporter.h"
#include "importers/json_document.h"
#include "web/http.h"

namespace regcat::web {

template <typename F>
inline std::string write(F&& f) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  f(w);
  return std::string(buf.GetString(), buf.GetSize());
}

inline Response methodNotAllowed(const std::string& allowed) {
  Response r = error(405, "method_not_allowed", "allowed methods: " + allowed);
  r.headers.push_back({"Allow", allowed});
  return r;
}

inline rapidjson::Document body(const Request& req) {
  rapidjson::Document doc;
  if (req.body.empty()) throw invalid("(body)", "a JSON body is required");
  json::parse(doc, req.body, "(body)");
  return doc;
}

inline int intParam(const Request& req, const std::string& name, int def, int lo, int hi) {
  auto v = req.param(name);
  if (!v || v->empty()) return def;
  try {
    size_t used = 0;
    const int n = std::stoi(*v, &used);
    if (used != v->size() || n < lo || n > hi) throw std::out_of_range(name);
    return n;
  } catch (const std::exception&) {
    throw invalid(name, "'" + *v + "' is not an integer between " + std::to_string(lo) + " and " +
                            std::to_string(hi));
  }
}

inline std::string dateParam(const Request& req, const std::string& name) {
  auto v = req.param(name).value_or("");
  if (!v.empty() && !isValidDate(v))
    throw invalid(name, "'" + v + "' is not a date (expected YYYY-MM-DD)");
  return v;
}

// If-Match: "3" or W/"3" -> 3; absent or * -> 0 (no precondition).
inline int ifMatchRevision(const Request& req) {
  std::string v = req.header("if-match");
  if (v.empty() || v == "*") return 0;
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n <= 0)
    throw invalid("If-Match", "'" + req.header("if-match") + "' is not an ETag of this resource");
  return n;
}

inline bool flag(const Request& req, const std::string& name) {
  auto v = req.param(name);
  return v && (*v == "1" || *v == "true" || *v == "yes" || v->empty());
}

}  // namespace regcat::web
