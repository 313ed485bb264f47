// Concept suggestions: GET /api/variables/{register}/{dataset}/{name}/suggestions and
// POST /api/mappings/suggest (stores a register's suggestions for curation).
#include "catalog/store.h"
#include "catalog/users.h"
#include "exporters/mapping_json.h"
#include "mapping/mapping_store.h"
#include "mapping/suggester_cache.h"
#include "mapping/terminology.h"
#include "web/api.h"
#include "web/api_util.h"

namespace regcat::web {

Response Api::suggestions(const Request& req) {
  const auto& s = req.segments;  // api variables {r} {d} {n} suggestions
  if (req.method != "GET" && req.method != "HEAD") return methodNotAllowed("GET, HEAD");
  const std::string system = systemUri(req.param("system").value_or("snomed"));
  const int limit = intParam(req, "limit", 10, 1, 100);
  auto release = terminology_->release(system, req.param("version").value_or(""));
  if (!release) throw notFound("system", "no release of " + system + " is loaded");
  auto v = store_.getVariable(s[2], s[3], s[4]);
  if (!v) throw notFound("", "variable '" + s[2] + "/" + s[3] + "/" + s[4] + "' not found");
  std::optional<CodeList> codes;
  if (!v->codelist.empty()) codes = store_.getCodeList(v->codelist);
  const auto suggester = suggesters_->get(*release);
  const auto priors = approvedPriors(*mappings_, system);
  std::vector<Suggestion> out;
  if (auto code = req.param("code"); code && !code->empty()) {
    const CodeItem* item = codes ? codes->item(*code) : nullptr;
    if (!item) throw notFound("code", "the variable's code list has no code '" + *code + "'");
    out = suggester->forCode(*v, *item, limit, priors);
  } else {
    out = suggester->forVariable(*v, codes ? &*codes : nullptr, limit, priors);
  }
  return json(200, write([&](JsonWriter& w) {
                w.StartArray();
                for (const auto& x : out) writeSuggestion(w, x);
                w.EndArray();
              }));
}

Response Api::saveSuggestions(const Request& req) {
  if (!authenticate(req)) authorise(req, Permission::CurateMappings);  // 401 first
  auto doc = body(req);
  json::ObjectReader r(doc, "");
  const std::string reg = r.str("register", true);
  const std::string actor = authorise(req, Permission::CurateMappings, reg).name;
  const std::string dataset = r.str("dataset");
  const std::string system = systemUri(r.has("system") ? r.str("system") : "snomed");
  const int limit = r.integer("limit").value_or(1);
  const bool codes = r.boolean("codes").value_or(false);
  const double minScore = r.number("min_score").value_or(0.0);
  r.finish();
  if (limit < 1 || limit > 20) throw invalid("limit", "must be between 1 and 20");
  auto release = terminology_->release(system);
  if (!release) throw notFound("system", "no release of " + system + " is loaded");
  const auto suggester = suggesters_->get(*release);
  const auto all = suggestForRegister(store_, *suggester, reg, dataset, limit, codes,
                                      approvedPriors(*mappings_, system));
  const std::vector<Mapping> rows = suggestionMappings(all, system, release->version, minScore);
  const int saved = mappings_->saveSuggestions(rows, actor);
  return json(200, write([&](JsonWriter& w) {
                w.StartObject();
                w.Key("variables");
                w.Int(int(all.size()));
                w.Key("suggestions");
                w.Int(int(rows.size()));
                w.Key("saved");
                w.Int(saved);
                w.EndObject();
              }));
}

}  // namespace regcat::web
