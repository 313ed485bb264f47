// Domain model of the catalogue, aligned with GSIM as used by Vetenskapsrådet's RUT:
// a Register (data resource) holds Datasets (logical records / register variants), which hold
// instance Variables; enumerated value domains are CodeLists. Plain structs, no behaviour.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace regcat {

// Bilingual text; Swedish is the primary language.
struct Text {
  std::string sv;
  std::string en;
  bool empty() const { return sv.empty() && en.empty(); }
  bool operator==(const Text&) const = default;
};

struct Contact {
  std::string name, organisation, email, phone;
  bool operator==(const Contact&) const = default;
};

// The one central data controller (CPUA-myndighet) of a register.
struct Cpua {
  std::string name, unit;
  bool operator==(const Cpua&) const = default;
};

// Täckningsgrad: a coverage figure with how and against what it was measured.
struct Coverage {
  std::optional<double> value;  // percent, 0-100
  std::string method, denominator_source, period_start, period_end, level;
  bool operator==(const Coverage&) const = default;
};

// Utlämnande: the route a researcher or authority follows to obtain data.
struct Disclosure {
  std::string decided_by, contact, lead_time, url, notes;
  bool operator==(const Disclosure&) const = default;
};

// Where an object came from: one row per import or API write.
struct Provenance {
  std::string source_file, format, sha256, recorded_at, recorded_by;
};

struct Register {
  std::string id;
  Text name;
  std::string short_name;
  Text description;
  std::vector<Text> purposes;
  Cpua cpua;
  Contact registerhallare;
  std::string register_centre, platform, register_type, certification_level;
  std::optional<int> start_year;
  std::vector<Coverage> coverage;
  Text population;
  std::vector<std::string> unit_types;
  std::optional<bool> holds_personnummer, research_information;
  Disclosure disclosure;
  std::string homepage;
  std::vector<std::string> keywords;
  // Size where the register publishes it (HealthDCAT-AP numberOfRecords and
  // numberOfUniqueIndividuals): records (events, e.g. operations) and distinct persons.
  std::optional<long long> number_of_records, number_of_individuals;
  // Set by the store. revision: bumped by every change (the API's ETag).
  Provenance provenance;
  std::string created_at, updated_at;
  int revision = 0;
  std::string origin;  // where an importer found it; not stored

  bool sameContent(const Register& o) const;
};

struct Dataset {
  std::string register_id, id;
  Text name, description;
  std::string unit_type, coverage_start, coverage_end;
  // Set by the store. revision: bumped by every change (the API's ETag).
  int position = 0;
  int revision = 0;
  Provenance provenance;
  std::string origin;  // where an importer found it ("file.csv:12"); not stored

  bool sameContent(const Dataset& o) const;
};

struct MissingCode {
  std::string code;
  Text label;
  bool operator==(const MissingCode&) const = default;
};

inline constexpr const char* kDatatypes[] = {"integer",  "decimal", "string", "date",
                                             "datetime", "boolean", "code"};
inline constexpr const char* kIdentifierClasses[] = {"direct", "indirect", "sensitive", "none"};
inline constexpr const char* kSources[] = {"care-record", "patient-reported", "clinician-reported",
                                           "computed",    "linked-register",  "administrative",
                                           "device"};
inline constexpr const char* kCategories[] = {"background", "diagnostics", "treatment", "outcome",
                                              "administrative"};

// One version of an instance variable. The identity is (register_id, dataset_id, name).
struct Variable {
  std::string register_id, dataset_id, name;
  std::vector<std::string> aliases;
  Text label, definition, question;
  std::string datatype, unit;
  std::optional<double> min, max;
  std::string format, codelist;
  std::vector<MissingCode> missing_codes;
  bool mandatory = false;
  std::string source, identifier_class = "none", category, calculation;
  std::string valid_from, valid_to;  // ISO dates; valid_to inclusive, empty = open
  // Set by the store. revision: of the variable as a whole, bumped by every change (a new
  // version, a closing, a move); the API's ETag.
  int version = 0;
  int position = 0;
  int revision = 0;
  std::string recorded_at;
  Provenance provenance;
  std::string origin;  // where an importer found it ("file.csv:12"); not stored

  std::string key() const { return register_id + "/" + dataset_id + "/" + name; }
  // Equal definitions, ignoring validity, position and provenance.
  bool sameDefinition(const Variable& o) const;
};

struct CodeItem {
  std::string code;
  Text label;
  bool is_missing = false;
  std::string valid_from, valid_to;
  bool operator==(const CodeItem&) const = default;
};

// Binding of a code list to an external code system (ICD-10-SE, KVÅ, ATC, a SNOMED CT refset).
struct CodeSystemRef {
  std::string uri, oid, version;
  bool operator==(const CodeSystemRef&) const = default;
};

// One version of a code list (värdemängd).
struct CodeList {
  std::string id, register_id;
  Text name, description;
  CodeSystemRef system;
  std::string valid_from, valid_to;
  std::vector<CodeItem> items;
  // Set by the store. revision: of the list as a whole, bumped by every change (a new
  // version, a change of validity); the API's ETag.
  int version = 0;
  int revision = 0;
  std::string recorded_at;
  Provenance provenance;
  std::string origin;  // where an importer found it; not stored

  bool sameContent(const CodeList& o) const;
  const CodeItem* item(const std::string& code) const;
};

// What importers produce and the store applies: registers with their datasets, variables and
// code lists, in file order.
struct RegisterDocument {
  Register reg;
  std::vector<Dataset> datasets;
  std::vector<Variable> variables;
  std::vector<CodeList> codelists;
};

struct CatalogDocument {
  std::vector<RegisterDocument> registers;
};

bool isValidDatatype(const std::string& s);
bool isValidIdentifierClass(const std::string& s);
bool isValidSource(const std::string& s);
bool isValidCategory(const std::string& s);
// Register ids are slugs; dataset ids, variable names and code list ids are identifier-like
// (Unicode letters and digits, '_', '-', '.'), never containing '/', '#', '?' or spaces.
bool isValidRegisterId(const std::string& s);
bool isValidLocalName(const std::string& s);
bool isValidDate(const std::string& s);
bool isValidDateTime(const std::string& s);

}  // namespace regcat
