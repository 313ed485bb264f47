// /api/terminology: releases, concept search and lookup, subsumption and ECL.
#include "catalog/store.h"
#include "mapping/terminology.h"
#include "web/api.h"
#include "web/api_util.h"

namespace regcat::web {
namespace {

void writeSummary(JsonWriter& w, const ConceptSummary& c, const std::string& system) {
  w.StartObject();
  w.Key("code");
  writeString(w, c.code);
  w.Key("system");
  writeString(w, system);
  w.Key("active");
  w.Bool(c.active);
  w.Key("fsn");
  writeString(w, c.fsn);
  w.Key("semantic_tag");
  writeString(w, c.semantic_tag);
  w.Key("pt");
  w.StartObject();
  w.Key("sv");
  writeString(w, c.pt_sv);
  w.Key("en");
  writeString(w, c.pt_en);
  w.EndObject();
  w.EndObject();
}

void writeInfo(JsonWriter& w, const TerminologyInfo& t) {
  w.StartObject();
  w.Key("system");
  writeString(w, t.system);
  w.Key("kind");
  writeString(w, t.kind);
  w.Key("name");
  writeString(w, t.name);
  w.Key("version");
  writeString(w, t.version);
  w.Key("edition");
  writeString(w, t.edition);
  w.Key("effective");
  writeString(w, t.effective);
  w.Key("oid");
  writeString(w, t.oid);
  w.Key("active_concepts");
  w.Int(t.concepts);
  w.Key("imported_at");
  writeString(w, t.imported_at);
  w.EndObject();
}

}  // namespace

Response Api::terminology(const Request& req) {
  const auto& s = req.segments;  // api terminology ...
  if (req.method != "GET" && req.method != "HEAD") return methodNotAllowed("GET, HEAD");
  auto& term = *terminology_;
  if (s.size() == 2)
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("releases");
                  w.StartArray();
                  for (const auto& t : term.releases()) writeInfo(w, t);
                  w.EndArray();
                  w.EndObject();
                }));
  const std::string system = req.param("system").value_or(kSnomedSystem);
  const std::string version = req.param("version").value_or("");
  auto release = term.release(system, version);
  if (!release)
    throw notFound("system", "no release of " + system +
                                 (version.empty() ? "" : " version " + version) + " is loaded");
  const std::string& sub = s[2];
  if (sub == "concepts" && s.size() == 3) {
    ConceptQuery q;
    q.q = req.param("q").value_or("");
    if (q.q.empty()) throw invalid("q", "is required");
    q.lang = req.param("lang").value_or("sv");
    if (q.lang != "sv" && q.lang != "en") throw invalid("lang", "must be sv or en");
    q.ecl = req.param("ecl").value_or("");
    if (!q.ecl.empty() && release->kind != "snomed")
      throw invalid("ecl", "ECL constraints apply to SNOMED CT only");
    q.include_inactive = flag(req, "include_inactive");
    q.limit = intParam(req, "limit", 20, 1, 200);
    const auto hits = term.search(*release, q);
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("system");
                  writeString(w, release->system);
                  w.Key("version");
                  writeString(w, release->version);
                  w.Key("query");
                  writeString(w, q.q);
                  w.Key("concepts");
                  w.StartArray();
                  for (const auto& h : hits) {
                    w.StartObject();
                    w.Key("code");
                    writeString(w, h.summary.code);
                    w.Key("term");
                    writeString(w, h.term);
                    w.Key("lang");
                    writeString(w, h.lang);
                    w.Key("score");
                    w.Double(h.score);
                    w.Key("match");
                    writeString(w, h.match);
                    w.Key("concept");
                    writeSummary(w, h.summary, release->system);
                    w.EndObject();
                  }
                  w.EndArray();
                  w.EndObject();
                }));
  }
  if (sub == "concepts" && s.size() == 4) {
    auto d = term.lookup(*release, s[3]);
    if (!d) throw notFound("", "concept " + s[3] + " is not in " + release->version);
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("system");
                  writeString(w, release->system);
                  w.Key("version");
                  writeString(w, release->version);
                  w.Key("concept");
                  writeSummary(w, d->summary, release->system);
                  w.Key("module");
                  writeString(w, d->module);
                  w.Key("effective");
                  writeString(w, d->effective);
                  w.Key("definition_status");
                  w.String(d->defined ? "defined" : "primitive");
                  w.Key("status");
                  writeString(w, d->status);
                  w.Key("designations");
                  w.StartArray();
                  for (const auto& x : d->designations) {
                    w.StartObject();
                    w.Key("id");
                    writeString(w, x.id);
                    w.Key("lang");
                    writeString(w, x.lang);
                    w.Key("type");
                    writeString(w, x.type);
                    w.Key("term");
                    writeString(w, x.term);
                    w.Key("acceptability");
                    writeString(w, x.acceptability);
                    w.Key("active");
                    w.Bool(x.active);
                    w.EndObject();
                  }
                  w.EndArray();
                  for (auto [key, list] : {std::pair{"parents", &d->parents},
                                           {"children", &d->children},
                                           {"refsets", &d->refsets}}) {
                    w.Key(key);
                    w.StartArray();
                    for (const auto& c : *list) writeSummary(w, c, release->system);
                    w.EndArray();
                  }
                  w.Key("attributes");
                  w.StartArray();
                  for (const auto& a : d->attributes) {
                    w.StartObject();
                    w.Key("group");
                    w.Int(a.group);
                    w.Key("type");
                    writeSummary(w, a.type, release->system);
                    w.Key("value");
                    writeSummary(w, a.value,
                                 a.type.code == kSnomedSystem ? kSnomedSystem : release->system);
                    w.EndObject();
                  }
                  w.EndArray();
                  w.Key("replacements");
                  w.StartArray();
                  for (const auto& r : d->replacements) {
                    w.StartObject();
                    w.Key("association");
                    writeString(w, r.association);
                    w.Key("association_id");
                    writeString(w, r.association_id);
                    w.Key("target");
                    writeSummary(w, r.target, release->system);
                    w.EndObject();
                  }
                  w.EndArray();
                  w.EndObject();
                }));
  }
  if (sub == "subsumes" && s.size() == 3) {
    const std::string a = req.param("a").value_or(""), b = req.param("b").value_or("");
    if (a.empty() || b.empty()) throw invalid("a", "both a and b are required");
    for (const auto* c : {&a, &b})
      if (!term.summary(*release, *c))
        throw notFound(c == &a ? "a" : "b", "concept " + *c + " is not in " + release->version);
    const bool ab = term.subsumes(*release, a, b), ba = term.subsumes(*release, b, a);
    const char* outcome = ab && ba ? "equivalent"
                          : ab     ? "subsumes"
                          : ba     ? "subsumed-by"
                                   : "not-subsumed";
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("system");
                  writeString(w, release->system);
                  w.Key("version");
                  writeString(w, release->version);
                  w.Key("a");
                  writeString(w, a);
                  w.Key("b");
                  writeString(w, b);
                  w.Key("outcome");
                  w.String(outcome);
                  w.EndObject();
                }));
  }
  if (sub == "ecl" && s.size() == 3) {
    const std::string expr = req.param("expr").value_or("");
    if (expr.empty()) throw invalid("expr", "is required");
    if (release->kind != "snomed") throw invalid("system", "ECL applies to SNOMED CT only");
    const int limit = intParam(req, "limit", 100, 0, 10000),
              offset = intParam(req, "offset", 0, 0, 100000000);
    const auto& set = *term.evaluate(*release, expr);
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("system");
                  writeString(w, release->system);
                  w.Key("version");
                  writeString(w, release->version);
                  w.Key("expression");
                  writeString(w, expr);
                  w.Key("total");
                  w.Int(int(set.size()));
                  w.Key("concepts");
                  w.StartArray();
                  for (size_t i = size_t(offset); i < set.size() && i < size_t(offset + limit); ++i)
                    if (auto c = term.summary(*release, std::to_string(set[i])))
                      writeSummary(w, *c, release->system);
                  w.EndArray();
                  w.EndObject();
                }));
  }
  return error(404, "not_found", "no API resource at " + req.path);
}

}  // namespace regcat::web
