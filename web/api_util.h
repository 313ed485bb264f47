// Helpers shared by the API's handler files (api.cpp, api_terminology.cpp, fhir.cpp).
#pragma once

#include <rapidjson/document.h>

#include <charconv>
#include <optional>
#include <string>
#include <utility>

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

// If-Match: "3" or W/"3" -> 3; absent or * -> 0 (no precondition; the POST actions on mappings
// and plans, where it is optional). Updates and deletes use requireIfMatch below.
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

// The ETag of a stored revision: "3" (strong; it changes with every change of the resource).
inline std::string etagOf(int revision) {
  return "\"" + std::to_string(revision) + "\"";
}

inline Response withEtag(Response r, int revision) {
  r.headers.push_back({"ETag", etagOf(revision)});
  return r;
}

// If-Match on PUT, PATCH and DELETE of a resource: required, and it must name one ETag. Absent,
// or "*" (which would match any version and so protect nothing), it is 428 Precondition
// Required naming the current ETag; malformed, 400. Returns the revision it names, which the
// store compares inside its write transaction (a different one is 412).
inline int requireIfMatch(const Request& req, const std::string& what, int currentRevision) {
  const std::string v = req.header("if-match");
  if (v.empty() || v == "*")
    throw Error(Error::Kind::PreconditionRequired, "If-Match",
                std::string(v.empty() ? "this request changes " + what + " and needs If-Match"
                                      : "If-Match: * is not accepted for " + what) +
                    ": send the ETag you read (the current one is " + etagOf(currentRevision) +
                    "), so that a change made meanwhile is not overwritten");
  return ifMatchRevision(req);
}

// 412 Precondition Failed for a write whose If-Match is stale: the error, the current ETag (also
// as header) and the resource as it is now (`current`, the JSON a GET answers), so that the
// client can show what changed and reapply its edit.
inline Response staleResponse(const Error& e, const std::string& currentJson, int revision) {
  Response r = json(412, write([&](JsonWriter& w) {
                      w.StartObject();
                      w.Key("error");
                      w.String("precondition_failed");
                      w.Key("detail");
                      writeString(w, e.what());
                      w.Key("etag");
                      writeString(w, etagOf(revision));
                      w.Key("current");
                      w.RawValue(currentJson.data(), currentJson.size(), rapidjson::kObjectType);
                      w.EndObject();
                    }));
  return withEtag(std::move(r), revision);
}

// Runs a conditional write; when the store finds the If-Match stale, answers 412 with the
// resource as `current()` reads it now (optional<pair<JSON, revision>>; nullopt: it is gone,
// which is a 404).
template <typename Write, typename Current>
Response conditionalWrite(Write&& writeFn, Current&& current) {
  try {
    return writeFn();
  } catch (const Error& e) {
    if (e.kind() != Error::Kind::Stale) throw;
    auto now = current();
    if (!now) throw notFound("", "it was deleted meanwhile");
    return staleResponse(e, now->first, now->second);
  }
}

inline bool flag(const Request& req, const std::string& name) {
  auto v = req.param(name);
  return v && (*v == "1" || *v == "true" || *v == "yes" || v->empty());
}

}  // namespace regcat::web
