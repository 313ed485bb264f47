// SSSOM import (POST /api/mappings/import) and the mapping exports (SSSOM/TSV and FHIR
// ConceptMap) under /api/export and /api/registers/{id}/export.
#include <sstream>

#include "catalog/store.h"
#include "catalog/users.h"
#include "exporters/fhir_conceptmap_writer.h"
#include "exporters/sssom_writer.h"
#include "importers/sssom_reader.h"
#include "mapping/mapping_store.h"
#include "web/api.h"
#include "web/api_util.h"

namespace regcat::web {

Response Api::importSssom(const Request& req) {
  const std::string actor = authorise(req, Permission::CurateMappings).name;
  if (req.body.empty()) throw invalid("(body)", "send the SSSOM/TSV file as the request body");
  const std::string status = req.param("status").value_or("proposed");
  if (status != "proposed" && status != "approved")
    throw invalid("status", "must be proposed or approved");
  const std::string source = req.param("filename").value_or("upload.sssom.tsv");
  const SssomDocument doc = parseSssom(req.body, source);
  SssomResolveOptions opt;
  opt.base_uri = opt_.base_uri;
  opt.default_status = status;
  const SssomResolution res = resolveSssom(doc, opt);
  if (!res.problems.empty()) {
    // Every row that cannot be imported is named, and nothing is written.
    std::string detail;
    for (size_t i = 0; i < res.problems.size() && i < 50; ++i)
      detail += (i ? "; " : "") + res.problems[i].describe();
    if (res.problems.size() > 50)
      detail += "; and " + std::to_string(res.problems.size() - 50) + " more";
    throw invalid(res.problems[0].where,
                  std::to_string(res.problems.size()) +
                      " rows cannot be imported, nothing was written: " + detail);
  }
  std::vector<Mapping> rows;
  std::vector<std::string> where;
  for (const auto& m : res.mappings) {
    rows.push_back(m.mapping);
    where.push_back(source + ":" + std::to_string(m.line));
  }
  const auto result = mappings_->importMappings(rows, where, actor, "sssom", source);
  return json(200, write([&](JsonWriter& w) {
                w.StartObject();
                w.Key("rows");
                w.Int(int(rows.size()));
                w.Key("created");
                w.Int(result.created);
                w.Key("updated");
                w.Int(result.updated);
                w.Key("unchanged");
                w.Int(result.unchanged);
                w.Key("held_for_review");
                w.Int(result.held_for_review);
                w.EndObject();
              }));
}

Response Api::exportMappings(const Request& req, const std::string& registerId,
                             const std::string& format) {
  if (!registerId.empty() && !store_.getRegister(registerId))
    throw notFound("register", "register '" + registerId + "' not found");
  MappingQuery q;
  q.register_id = registerId;
  q.limit = -1;
  std::vector<Mapping> all = mappings_->list(q).items;
  Response r;
  if (format == "fhir-conceptmap") {
    if (registerId.empty())
      throw invalid("register", "a ConceptMap describes one register: give ?register=ID");
    ConceptMapOptions opt;
    opt.base_uri = opt_.base_uri;
    opt.register_id = registerId;
    opt.register_name = store_.getRegister(registerId)->name.sv;
    r.body = conceptMapJson(all, opt);
    r.content_type = "application/fhir+json; charset=utf-8";
    r.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"" + registerId + "-conceptmap.json\""});
    return r;
  }
  SssomWriteOptions opt;
  opt.base_uri = opt_.base_uri;
  opt.register_id = registerId;
  const auto statuses = req.list("status");
  if (!statuses.empty()) {
    for (const auto& s : statuses)
      if (!isValidMappingStatus(s)) throw invalid("status", "'" + s + "' is not a status");
    opt.statuses = statuses;
  }
  r.stream = [all = std::make_shared<const std::vector<Mapping>>(std::move(all)),
              opt](std::ostream& out) { writeSssom(out, *all, opt); };
  r.content_type = "text/tab-separated-values; charset=utf-8";
  r.headers.push_back(
      {"Content-Disposition", "attachment; filename=\"" +
                                  (registerId.empty() ? std::string("regcat") : registerId) +
                                  ".sssom.tsv\""});
  return r;
}

}  // namespace regcat::web
