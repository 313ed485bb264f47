// The catalogue as DCAT-AP 3 with the Swedish profile (DCAT-AP-SE) and HealthDCAT-AP (non-public
// datasets): a dcat:Catalog of the registers, each register a dcat:Dataset whose publisher is its
// CPUA, whose distribution is the route to request data (utlämnande), and whose variables are
// CSVW tables and columns (healthdcatap:hasVariables), a column bound to its SNOMED CT concept by
// csvw:propertyUrl when an approved mapping says so. dcat_exporter.cpp lists the controlled
// vocabularies used and why.
//
// Every node has an IRI under the base URI (registers and variables keep their persistent URIs;
// the parts of a register description are fragments of it), so the graph has no blank nodes and
// each part resolves to the register's description.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "exporters/rdf_graph.h"
#include "exporters/rdf_writer.h"
#include "mapping/mapping.h"

namespace regcat {

class Store;
class MappingStore;

struct DcatOptions {
  std::string base_uri = "http://localhost:8080";
  // Wrap the datasets in a dcat:Catalog (exports); a register's own URI answers without it.
  bool catalog = true;
  std::string catalog_title_sv = "Nationella kvalitetsregister i regcat";
  std::string catalog_title_en = "Swedish national quality registers in regcat";
  std::string publisher = "regcat";  // foaf:name of whoever publishes the catalogue
  // Licence of the metadata (not of the register data, which is non-public).
  std::string license = "http://creativecommons.org/publicdomain/zero/1.0/";
};

// IRIs of the parts of the description.
std::string dcatCatalogIri(const DcatOptions& o);
std::string dcatDatasetIri(const DcatOptions& o, const std::string& registerId);
std::string dcatTableIri(const DcatOptions& o, const std::string& registerId,
                         const std::string& datasetId);
std::string dcatColumnIri(const DcatOptions& o, const Variable& v);
// http://snomed.info/id/{sctid}, the IRI form of a SNOMED CT concept.
std::string snomedConceptIri(const std::string& conceptId);

// The controlled-vocabulary terms the descriptions refer to (EU authority tables, ELI legal
// acts, IANA media types), typed with the classes DCAT-AP's range shapes expect and labelled.
rdf::Graph dcatVocabularyGraph(const DcatOptions& o);

// One register as a dcat:Dataset with its agents, contact points, distribution, provenance and
// variables. `approved` holds the register's approved mappings (others are ignored).
rdf::Graph dcatDatasetGraph(const RegisterDocument& doc, const std::vector<Mapping>& approved,
                            const DcatOptions& o);

// One variable as its csvw:Column (and the table that contains it); for its persistent URI.
rdf::Graph dcatVariableGraph(const Variable& v, const std::vector<Mapping>& approved,
                             const DcatOptions& o);

// The dcat:Catalog node over the given registers (their ids and dates are used).
rdf::Graph dcatCatalogGraph(const std::vector<Register>& registers, const DcatOptions& o);

// The whole catalogue (or the given registers) written to `out` one register at a time. The
// mappings store may be null (then no SNOMED CT bindings are written). Returns the number of
// triples written.
size_t exportDcat(Store& store, MappingStore* mappings, const std::vector<std::string>& registerIds,
                  const DcatOptions& o, rdf::Syntax syntax, std::ostream& out);
// The same in several syntaxes at once: every graph is built once and written to each output.
struct DcatOutput {
  rdf::Syntax syntax;
  std::ostream* out;
};
size_t exportDcat(Store& store, MappingStore* mappings, const std::vector<std::string>& registerIds,
                  const DcatOptions& o, const std::vector<DcatOutput>& outputs);

// The approved mappings of one register ("" = of all registers), variables and codes; none
// without a store.
std::vector<Mapping> approvedMappings(MappingStore* mappings, const std::string& registerId);

// A register's variables as they stand today: the latest version of every variable that is
// not closed (valid_to empty or not yet passed).
std::vector<Variable> currentVariables(const std::vector<Variable>& all);

}  // namespace regcat
