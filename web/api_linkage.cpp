// /api/compatibility, /api/harmonisation/matrix and /api/linkage-plans.
#include <charconv>

#include "catalog/store.h"
#include "catalog/users.h"
#include "exporters/compatibility_json.h"
#include "exporters/harmonisation_export.h"
#include "exporters/linkage_plan_exporter.h"
#include "importers/linkage_plan_reader.h"
#include "mapping/compat_service.h"
#include "mapping/harmonisation_matrix.h"
#include "mapping/linkage_review.h"
#include "mapping/linkage_store.h"
#include "mapping/mapping_store.h"
#include "web/api.h"
#include "web/api_util.h"

namespace regcat::web {
namespace {

int64_t planId(const std::string& s) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0)
    throw notFound("id", "'" + s + "' is not a linkage plan id");
  return id;
}

}  // namespace

// A register of the plan that the requester edits (so that an editor may draft plans that
// involve its registers); "" when none.
std::string Api::scopedRegister(const Request& req, const LinkagePlan& plan) const {
  auto who = authenticate(req);
  if (who)
    for (const auto& part : plan.participants)
      if (who->edits(part.register_id)) return part.register_id;
  return {};
}

Response Api::compatibility(const Request& req) {
  if (req.method != "GET" && req.method != "HEAD") return methodNotAllowed("GET, HEAD");
  const std::string a = req.param("a").value_or(""), b = req.param("b").value_or("");
  if (a.empty()) throw invalid("a", "is required (register/dataset/name)");
  if (b.empty()) throw invalid("b", "is required (register/dataset/name)");
  const std::string at = dateParam(req, "at");
  const Compatibility c = compareVariables(store_, *terminology_, *mappings_, a, b, at);
  return json(200, write([&](JsonWriter& w) {
                w.StartObject();
                w.Key("a");
                writeString(w, a);
                w.Key("b");
                writeString(w, b);
                w.Key("result");
                writeCompatibility(w, c);
                w.EndObject();
              }));
}

Response Api::harmonisation(const Request& req) {
  const auto& s = req.segments;  // api harmonisation matrix
  if (s.size() != 3 || s[2] != "matrix")
    return error(404, "not_found", "the matrix is at /api/harmonisation/matrix");
  if (req.method != "GET" && req.method != "HEAD") return methodNotAllowed("GET, HEAD");
  MatrixQuery q;
  q.registers = req.list("registers");
  q.concepts = req.list("concepts");
  q.topic = req.param("topic").value_or("");
  q.system = req.param("system").value_or("snomed");
  const std::string format = req.param("format").value_or("json");
  if (format != "json" && format != "csv") throw invalid("format", "must be json or csv");
  q.limit = intParam(req, "limit", format == "csv" ? 100000 : 50, 1, 100000);
  q.offset = intParam(req, "offset", 0, 0, 100000000);
  const Matrix m = harmonisationMatrix(store_, *terminology_, q);
  if (format == "csv") {
    Response r;
    r.body = matrixCsv(m);
    r.content_type = "text/csv; charset=utf-8";
    r.headers.push_back({"Content-Disposition", "attachment; filename=\"harmonisering.csv\""});
    return r;
  }
  return json(200, write([&](JsonWriter& w) { writeMatrix(w, m); }));
}

Response Api::linkagePlans(const Request& req) {
  const auto& s = req.segments;  // api linkage-plans [{id} [status|history|export/{f}]]
  const bool read = req.method == "GET" || req.method == "HEAD";
  auto& plans = *linkage_;
  auto full = [&](const LinkagePlan& p, int status = 200) {
    const PlanReview review = reviewPlan(store_, *terminology_, *mappings_, p);
    Response r = json(status, planJson(p, review));
    r.headers.push_back({"ETag", "\"" + std::to_string(p.revision) + "\""});
    return r;
  };
  if (s.size() == 2) {
    if (read) {
      const auto list =
          plans.list(req.param("register").value_or(""), req.param("status").value_or(""));
      return json(200, write([&](JsonWriter& w) {
                    w.StartObject();
                    w.Key("total");
                    w.Int(int(list.size()));
                    w.Key("plans");
                    w.StartArray();
                    for (const auto& p : list) {
                      w.StartObject();
                      w.Key("id");
                      w.Int64(p.id);
                      w.Key("title");
                      writeString(w, p.title);
                      w.Key("kind");
                      writeString(w, p.kind);
                      w.Key("status");
                      writeString(w, p.status);
                      w.Key("updated_at");
                      writeString(w, p.updated_at);
                      w.Key("registers");
                      w.StartArray();
                      for (const auto& r : p.registers) writeString(w, r);
                      w.EndArray();
                      w.EndObject();
                    }
                    w.EndArray();
                    w.EndObject();
                  }));
    }
    if (req.method == "POST") {
      if (!authenticate(req)) authorise(req, Permission::EditPlans);  // 401 first
      LinkagePlan in = readLinkagePlan(body(req), "");
      const std::string actor = authorise(req, Permission::EditPlans, scopedRegister(req, in)).name;
      const LinkagePlan p = plans.create(std::move(in), actor);
      Response r = full(p, 201);
      r.headers.push_back({"Location", "/api/linkage-plans/" + std::to_string(p.id)});
      return r;
    }
    return methodNotAllowed("GET, HEAD, POST");
  }
  const int64_t id = planId(s[2]);
  auto load = [&] {
    auto p = plans.get(id);
    if (!p) throw notFound("id", "linkage plan " + s[2] + " not found");
    return *p;
  };
  auto current = [&]() -> std::optional<std::pair<std::string, int>> {
    auto p = plans.get(id);
    if (!p) return std::nullopt;
    return std::pair{planJson(*p, reviewPlan(store_, *terminology_, *mappings_, *p)), p->revision};
  };
  if (s.size() == 3) {
    if (read) return full(load());
    if (req.method == "PUT") {
      const LinkagePlan now = load();
      const std::string actor =
          authorise(req, Permission::EditPlans, scopedRegister(req, now)).name;
      const int expected = requireIfMatch(req, "linkage plan " + s[2], now.revision);
      LinkagePlan in = readLinkagePlan(body(req), "");
      return conditionalWrite(
          [&] { return full(plans.update(id, std::move(in), actor, expected)); }, current);
    }
    return methodNotAllowed("GET, HEAD, PUT");
  }
  if (s.size() == 4 && s[3] == "status") {
    if (req.method != "POST") return methodNotAllowed("POST");
    if (!authenticate(req)) authorise(req, Permission::EditPlans);  // 401 first
    auto doc = body(req);
    json::ObjectReader r(doc, "");
    const std::string status = r.str("status", true);
    const std::string note = r.str("note");
    r.finish();
    // Recording a CPUA's decision is not the drafters' business.
    const std::string actor =
        (status == "approved" || status == "rejected"
             ? authorise(req, Permission::DecidePlans)
             : authorise(req, Permission::EditPlans, scopedRegister(req, load())))
            .name;
    // If-Match is optional for a change of status; a stale one is 412 with the plan as it is.
    const int expected = ifMatchRevision(req);
    return conditionalWrite(
        [&] { return full(plans.setStatus(id, status, note, actor, expected)); }, current);
  }
  if (s.size() == 4 && s[3] == "history") {
    if (!read) return methodNotAllowed("GET, HEAD");
    const auto changes = plans.history(id);
    if (changes.empty()) throw notFound("id", "linkage plan " + s[2] + " not found");
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("id");
                  w.Int64(id);
                  w.Key("history");
                  w.StartArray();
                  for (const auto& c : changes) {
                    w.StartObject();
                    w.Key("revision");
                    w.Int(c.revision);
                    w.Key("action");
                    writeString(w, c.action);
                    w.Key("actor");
                    writeString(w, c.actor);
                    w.Key("at");
                    writeString(w, c.at);
                    w.Key("state");
                    w.StartObject();
                    writePlanFields(w, c.state);
                    w.EndObject();
                    w.EndObject();
                  }
                  w.EndArray();
                  w.EndObject();
                }));
  }
  if (s.size() == 5 && s[3] == "export") {
    if (!read) return methodNotAllowed("GET, HEAD");
    const LinkagePlan p = load();
    const std::string base = "samkorningsplan-" + std::to_string(p.id);
    Response r;
    if (s[4] == "json") {
      r = full(p);
      r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + base + ".json\""});
      return r;
    }
    if (s[4] == "csv") {
      const std::string reg = req.param("register").value_or("");
      r.body = planVariablesCsv(store_, *mappings_, p, reg);
      r.content_type = "text/csv; charset=utf-8";
      r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + base +
                                                      (reg.empty() ? std::string() : "-" + reg) +
                                                      "-variabler.csv\""});
      return r;
    }
    if (s[4] == "html") {
      const PlanReview review = reviewPlan(store_, *terminology_, *mappings_, p);
      r.body = planHtml(store_, p, review);
      r.content_type = "text/html; charset=utf-8";
      return r;
    }
    throw notFound("format", "unknown plan export '" + s[4] + "' (json, csv, html)");
  }
  return error(404, "not_found", "no API resource at " + req.path);
}

}  // namespace regcat::web
