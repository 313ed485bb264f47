// regcat export dcat-ttl|dcat-jsonld|dcat-rdfxml|schema-org: the catalogue as DCAT-AP 3 /
// DCAT-AP-SE / HealthDCAT-AP RDF, or one register as schema.org JSON-LD. The RDF is streamed to
// the output one register at a time.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "cli/commands.h"
#include "exporters/atomic_file.h"
#include "exporters/dcat_exporter.h"
#include "exporters/regcat_json_exporter.h"
#include "exporters/schema_org_exporter.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

namespace regcat::cli {

int cmdExportRdf(const Args& a) {
  const std::string format = a.positional[0];
  Store store(dbPath(a));
  std::vector<std::string> ids;
  std::stringstream ss(a.get("register"));
  for (std::string id; std::getline(ss, id, ',');)
    if (!id.empty()) {
      if (!store.getRegister(id)) throw notFound("--register", "register '" + id + "' not found");
      ids.push_back(id);
    }
  Terminology terminology(store);
  MappingStore mappings(store, terminology);
  const std::string base = a.get("base-uri", "http://localhost:8080");

  if (format == "schema-org") {
    if (ids.size() != 1)
      throw UsageError("--register ID (one register) is required for schema-org");
    SchemaOrgOptions o;
    o.base_uri = base;
    writeOutput(a, schemaOrgDataset(loadRegisterDocument(store, ids[0]),
                                    approvedMappings(&mappings, ids[0]), o) +
                       "\n");
    return 0;
  }
  rdf::Syntax syntax;
  if (format == "dcat-ttl")
    syntax = rdf::Syntax::Turtle;
  else if (format == "dcat-jsonld")
    syntax = rdf::Syntax::JsonLd;
  else if (format == "dcat-rdfxml")
    syntax = rdf::Syntax::RdfXml;
  else
    throw UsageError("unknown RDF export format '" + format + "'");
  DcatOptions o;
  o.base_uri = base;
  const auto started = std::chrono::steady_clock::now();
  size_t triples = 0;
  if (a.has("output")) {
    writeFileAtomically(a.get("output"), [&](std::ostream& out) {
      triples = exportDcat(store, &mappings, ids, o, syntax, out);
    });
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    std::cerr << triples << " triples written to " << a.get("output") << " in " << ms << " ms\n";
  } else {
    exportDcat(store, &mappings, ids, o, syntax, std::cout);
  }
  return 0;
}

}  // namespace regcat::cli
