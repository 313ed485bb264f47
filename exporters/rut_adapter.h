// The RUT adapter. Vetenskapsrådet's RUT describes registers with UNECE's GSIM model: concept
// systems and concepts, conceptual -> represented -> instance variables, value domains
// (enumerated: code lists; described: datatype, unit, range), unit types and populations, plus
// semantic mappings and identifiers. RUT's own import format is not public, so regcat builds
// one GSIM-shaped RutDocument from the catalogue (this file) and serialises it: as documented
// JSON (docs/rut-export.md, docs/schemas/rut-export.schema.json), as DDI-Lifecycle 3.3
// (ddi_lifecycle_exporter.h, which implements the same cascade) and as the per-register
// variable list for spreadsheets. A future official RUT format is one more serialiser of
// RutDocument; the derivation below stays where it is.
//
// The catalogue holds instance variables only; the GSIM cascade is derived per register:
//  - a value domain per code list (enumerated), and per distinct (datatype, unit, min, max,
//    format) of the other variables (described);
//  - a conceptual variable per distinct (name, label, definition, unit type, bound concepts);
//  - a represented variable per distinct (conceptual variable, value domain, missing codes);
// each derived object takes the id of the first instance variable (in catalogue order) that
// has it, so ids stay stable while that variable exists.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "catalog/model.h"
#include "exporters/regcat_json_exporter.h"
#include "mapping/mapping.h"

namespace regcat {

class Store;

struct RutOptions {
  ExportContext ctx;                 // base URI of the catalogue
  std::string agency = "se.regcat";  // DDI agency of every URN
};

// A concept of a standard code system that an approved mapping binds.
struct RutConcept {
  std::string id;  // "{system id}:{code}", e.g. "sct:30809999999100"
  std::string system, code, label, uri;
};

// A code system (GSIM concept system) with the concepts the export's mappings bind.
struct RutConceptSystem {
  std::string id;  // sct, ni, icd10se, kva, atc; another system: "cs-" + a hash of its URI
  std::string uri, name;
  std::vector<std::string> versions;  // the releases the mappings were made against
  std::vector<RutConcept> concepts;   // ordered by code
};

// One approved semantic mapping of a variable or of one of its codes.
struct RutMapping {
  std::string subject;  // variable key, or "{variable key}#{code}"
  std::string subject_uri;
  std::string object;  // the RutConcept id of the target
  std::string predicate, justification, author, reviewer, reviewed_at, release;
  std::optional<double> confidence;
};

struct RutIdentifier {
  std::string scheme, value;  // regcat, uri, ddi-urn, alias
};

struct RutUnitType {
  std::string id;  // "{register}#unit-type-{slug}"
  std::string slug;
  std::string label;
};

struct RutPopulation {
  std::string id;  // "{register}#population"
  Text description;
  std::vector<std::string> unit_types;  // RutUnitType ids
};

struct RutCode {
  CodeItem item;
  // The concept of this code when every variable of the register that uses the code list maps
  // the code to that same one concept (a code-level mapping is made per variable: "Ja" in a
  // shared yes/no list means something else in each variable). Else empty.
  std::vector<std::string> concepts;
};

struct RutValueDomain {
  std::string id;    // the code list id (enumerated) or the first variable's key (described)
  std::string kind;  // "enumerated" or "described"
  std::string datatype, unit, format;
  std::optional<double> min, max;
  // Enumerated only: the code list (without its items, which are `codes`).
  std::optional<CodeList> codelist;
  std::vector<RutCode> codes;
};

struct RutConceptualVariable {
  std::string id;  // key of the first instance variable
  std::string name;
  Text label, definition;
  std::string unit_type;              // RutUnitType id, may be empty
  std::vector<std::string> concepts;  // RutConcept ids bound with skos:exactMatch
  int version = 1;
};

struct RutRepresentedVariable {
  std::string id;  // key of the first instance variable
  std::string name;
  Text label, definition;
  std::string conceptual_variable, value_domain;
  std::vector<MissingCode> missing_codes;  // sentinel values
  int version = 1;
};

struct RutInstanceVariable {
  Variable var;  // the latest version, closed variables included
  std::string uri, urn;
  std::string represented_variable, conceptual_variable, value_domain, unit_type;
  std::vector<std::string> concepts;  // RutConcept ids of the variable's own mappings
  // Code-level mappings of this variable: code -> RutConcept ids.
  std::vector<std::pair<std::string, std::vector<std::string>>> code_concepts;
  std::vector<RutIdentifier> identifiers;
};

struct RutDataset {
  Dataset dataset;
  std::string uri, unit_type;     // RutUnitType id
  std::vector<size_t> variables;  // indexes into RutRegister::instance_variables
};

struct RutRegister {
  Register reg;
  std::string uri, urn;
  // The DDI version of the register's description: the sum of its variables' and code lists'
  // versions, which grows with every change regcat versions.
  int version = 1;
  std::vector<RutIdentifier> identifiers;
  RutPopulation population;
  std::vector<RutUnitType> unit_types;
  std::vector<RutDataset> datasets;
  std::vector<RutValueDomain> value_domains;
  std::vector<RutConceptualVariable> conceptual_variables;
  std::vector<RutRepresentedVariable> represented_variables;
  std::vector<RutInstanceVariable> instance_variables;
  std::vector<RutMapping> mappings;
  // The concepts this register's mappings bind, by id (so that a serialiser of one register
  // needs no concept systems).
  std::map<std::string, RutConcept> concepts;
  std::map<std::string, size_t> value_domain_index;  // value domain id -> index, for valueDomain

  const RutValueDomain* valueDomain(const std::string& id) const;
};

// Concept systems of these approved mappings (other statuses and "no term found" are left out).
std::vector<RutConceptSystem> buildRutConceptSystems(const std::vector<Mapping>& approved);
// The concept id a mapping's target gets ("sct:30809999999100").
std::string rutConceptId(const std::string& systemUri, const std::string& code);
// The short id of a code system URI (sct, ni, icd10se, kva, atc, or "cs-" + hash).
std::string rutSystemId(const std::string& systemUri);
std::string rutSystemName(const std::string& systemUri);
// The URI of a concept (http://snomed.info/id/{code} for SNOMED CT; system|code otherwise).
std::string rutConceptUri(const std::string& systemUri, const std::string& code);

// One register with its GSIM cascade. `approved` may hold mappings of other registers too;
// only the ones whose subject is in doc are used. doc.codelists must hold every code list
// the variables use (loadRutSource makes sure of that).
RutRegister buildRutRegister(const RegisterDocument& doc, const std::vector<Mapping>& approved,
                             const RutOptions& opt);

// The registers to export (all when ids is empty; an unknown id is NotFound naming it), and a
// register's document with the code lists its variables use from other registers added.
std::vector<std::string> exportRegisterIds(Store& store, const std::vector<std::string>& ids);
RegisterDocument loadRutSource(Store& store, const std::string& registerId);

// Approved mappings grouped by their subject's register, so that a whole-catalogue export
// hands each register only its own instead of scanning every mapping once per register.
using MappingsByRegister = std::unordered_map<std::string, std::vector<Mapping>>;
MappingsByRegister groupByRegister(const std::vector<Mapping>& approved);
// One register loaded (loadRutSource) and built with its own approved mappings.
RutRegister loadRutRegister(Store& store, const std::string& registerId,
                            const MappingsByRegister& approved, const RutOptions& opt);

// A register with its datasets and population but no variables: what serialisers that describe
// every register before any variable (DDI-Codebook) need first.
RutRegister loadRutShell(Store& store, const std::string& registerId, const RutOptions& opt);

// --- DDI identifiers, shared by the JSON (its "urn" fields) and DDI-Lifecycle ---
//
// IDs are built from regcat ids, joined by '-': letters, digits and '_' stay, '.' becomes '@',
// every other byte (Swedish letters, '-', ...) is "$" and two hex digits, so that every id
// maps to exactly one DDI ID and DDI's ID pattern ([A-Za-z0-9*@$_-]) holds.
std::string ddiIdPart(const std::string& s);
std::string ddiUrn(const std::string& agency, const std::string& id, int version);
std::string ddiVariableId(const Variable& v);              // V-{register}-{dataset}-{name}
std::string ddiRegisterId(const std::string& registerId);  // SU-{register}

// --- Serialisers ---

// The GSIM-shaped JSON (docs/rut-export.md), one register at a time.
void writeRutJsonStart(std::ostream& out, const std::vector<RutConceptSystem>& systems,
                       const RutOptions& opt);
void writeRutJsonRegister(std::ostream& out, const RutRegister& r, bool first);
void writeRutJsonEnd(std::ostream& out);

// The variable list for a metadata tool: one row per instance variable with its register,
// dataset, value domain, unit type, population and concept columns.
const std::vector<std::string>& rutVariableColumns();
const std::vector<std::string>& rutCodeColumns();
const std::vector<std::string>& rutRegisterColumns();
// CSV (UTF-8 with BOM, CRLF, like the variable list): the variable sheet, codes inline.
void writeRutCsvHeader(std::ostream& out);
void writeRutCsvRows(std::ostream& out, const RutRegister& r);
// The .xlsx workbook (sheets Register, Variabler, Koder), filled one register at a time so
// that only the rows, not the registers' documents, are held until the zip is written.
struct RutWorkbook {
  std::string registers, variables, codes;  // the sheets' <row> elements so far
  size_t register_rows = 0, variable_rows = 0, code_rows = 0;
};
void addRutWorkbookRegister(RutWorkbook& wb, const RutRegister& r);
std::string finishRutWorkbook(RutWorkbook& wb);

}  // namespace regcat
