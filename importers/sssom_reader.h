// SSSOM/TSV (Simple Standard for Sharing Ontological Mappings 1.0): a metadata block of '#'
// lines holding YAML, then a TSV table with a header row, one mapping per row. parseSssom reads
// what the file says, without interpreting it; resolveSssom turns the rows into regcat Mappings
// (a variable or code of a register mapped to a concept of a code system regcat knows) and
// reports every row it cannot, with its line. docs/sssom.md describes the conventions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapping/mapping.h"

namespace regcat {

// ---- Prefixes, shared with exporters/sssom_writer.cpp ----
// Header-only data, so that the exporters can use the same table without linking the importers.

struct SssomPrefix {
  const char* prefix;
  const char* expansion;
};

// SSSOM's built-in prefixes: a file may omit them from its curie_map but must not redefine them.
inline constexpr SssomPrefix kSssomBuiltinPrefixes[] = {
    {"owl", "http://www.w3.org/2002/07/owl#"},
    {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
    {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
    {"semapv", "https://w3id.org/semapv/vocab/"},
    {"skos", "http://www.w3.org/2004/02/skos/core#"},
    {"sssom", "https://w3id.org/sssom/"},
};

// The code systems regcat maps to. `prefix`:`expansion` names their concepts (SNOMED CT's concept
// IRIs are http://snomed.info/id/{sctid}; the others publish no concept IRIs, so regcat uses
// "{system}/{code}"). `source` is the CURIE of the system itself, written as object_source where
// SSSOM asks for one (an sssom:NoTermFound row), with its prefix `source_prefix`:
// `source_expansion`. The first row of a system is the one the writer uses.
struct SssomSystem {
  const char* system;
  const char* prefix;
  const char* expansion;
  const char* source_prefix;
  const char* source_expansion;
  const char* source;
};

inline constexpr SssomSystem kSssomSystems[] = {
    {"http://snomed.info/sct", "SCTID", "http://snomed.info/id/", "snomed", "http://snomed.info/",
     "snomed:sct"},
    {"http://hl7.org/fhir/sid/icd-10-se", "ICD10SE", "http://hl7.org/fhir/sid/icd-10-se/",
     "fhirsid", "http://hl7.org/fhir/sid/", "fhirsid:icd-10-se"},
    {"http://www.whocc.no/atc", "ATC", "http://www.whocc.no/atc/", "whocc", "http://www.whocc.no/",
     "whocc:atc"},
    {"urn:oid:1.2.752.116.1.3.2.1.4", "KVA", "urn:oid:1.2.752.116.1.3.2.1.4/", "oid",
     "urn:oid:", "oid:1.2.752.116.1.3.2.1.4"},
    // NI's system URI is a bare host name, which no CURIE can end on; its source is this IRI.
    {"http://informationsstruktur.socialstyrelsen.se", "NI",
     "http://informationsstruktur.socialstyrelsen.se/", "socialstyrelsen",
     "http://informationsstruktur.socialstyrelsen.se/", "socialstyrelsen:ni"},
};

// Other names under which files written by other tools commonly declare the same namespaces: a
// CURIE with one of these prefixes (declared in the file's curie_map or not) resolves through
// this expansion, and any prefix whose expansion is listed here (or in kSssomSystems) resolves
// to that system.
inline constexpr SssomPrefix kSssomPrefixAliases[] = {
    {"SNOMED", "http://snomed.info/id/"},
    {"SNOMEDCT", "http://snomed.info/id/"},
    {"snomedct", "http://snomed.info/id/"},
    {"sct", "http://snomed.info/id/"},
    {"icd10se", "http://hl7.org/fhir/sid/icd-10-se/"},
    {"ICD-10-SE", "http://hl7.org/fhir/sid/icd-10-se/"},
    {"atc", "http://www.whocc.no/atc/"},
    {"kva", "urn:oid:1.2.752.116.1.3.2.1.4/"},
    {"KVÅ", "urn:oid:1.2.752.116.1.3.2.1.4/"},
    {"ni", "http://informationsstruktur.socialstyrelsen.se/"},
    {"orcid", "https://orcid.org/"},
    {"ORCID", "https://orcid.org/"},
};

// BioPortal's SNOMED CT namespace, found in UMLS-derived mapping sets.
inline constexpr SssomPrefix kSssomAlternateExpansions[] = {
    {"http://snomed.info/sct", "http://purl.bioontology.org/ontology/SNOMEDCT/"},
    {"http://www.whocc.no/atc", "http://purl.bioontology.org/ontology/ATC/"},
};

// The prefix regcat uses for its own variables: regcat:{register}/{dataset}/{name}[#{code}],
// expanding to {base_uri}/variables/.
inline constexpr const char* kSssomRegcatPrefix = "regcat";

// The mapping justifications SSSOM 1.0's schema allows.
inline constexpr const char* kSssomJustifications[] = {
    "semapv:LexicalMatching",
    "semapv:LogicalReasoning",
    "semapv:CompositeMatching",
    "semapv:UnspecifiedMatching",
    "semapv:SemanticSimilarityThresholdMatching",
    "semapv:LexicalSimilarityThresholdMatching",
    "semapv:MappingChaining",
    "semapv:MappingReview",
    "semapv:ManualMappingCuration",
};

// regcat's extension slot (SSSOM has no slot for a review status): a column, or a set-level
// value in the metadata block, with one of kMappingStatuses. Declared in extension_definitions
// with property kSssomStatusProperty.
inline constexpr const char* kSssomStatusSlot = "regcat_status";
inline constexpr const char* kSssomStatusProperty = "adms:status";

// The kSssomSystems row of a code system URI, or nullptr.
inline const SssomSystem* sssomSystem(std::string_view system) {
  for (const auto& s : kSssomSystems)
    if (system == s.system) return &s;
  return nullptr;
}

// ---- The document as the file says it ----

// A slot regcat does not model (or an extension), kept with its value; multi-valued ones are
// joined with '|', as in the TSV.
using SssomSlots = std::vector<std::pair<std::string, std::string>>;

struct SssomExtensionDefinition {
  std::string slot_name, property, type_hint;
};

struct SssomMetadata {
  std::string mapping_set_id, mapping_set_version, mapping_set_title, mapping_set_description;
  std::string license, mapping_date, publication_date, comment;
  std::vector<std::string> creator_id, creator_label, mapping_set_source;
  std::string subject_source, subject_source_version, object_source, object_source_version;
  std::string mapping_provider, mapping_tool, mapping_tool_version;
  std::vector<SssomExtensionDefinition> extension_definitions;
  SssomSlots other;  // any other top-level key (regcat_status among them), in file order
  size_t line = 0;   // first line of the block (0 = there is none)
};

struct SssomRow {
  size_t line = 0;  // line of the file the row starts on
  std::string subject_id, subject_label, predicate_id, predicate_modifier, object_id, object_label,
      mapping_justification, author_id, author_label, reviewer_id, reviewer_label, confidence,
      comment, mapping_date, subject_source, object_source, object_source_version;
  SssomSlots other;  // other columns (standard or extension) that have a value, header order
  const std::string* find(std::string_view column) const;  // in `other`; nullptr when absent
};

struct SssomDocument {
  std::string source;  // file name, for messages
  SssomMetadata metadata;
  SssomSlots curie_map;  // prefix -> expansion, in file order
  std::vector<std::string> columns;
  size_t header_line = 0;
  std::vector<SssomRow> rows;
};

// Parses SSSOM/TSV text (UTF-8; a BOM is skipped). The YAML subset understood: top-level
// `key: value` with plain, 'single' or "double" quoted scalars (also folded over several lines),
// block sequences (`- item`) and flow sequences ([a, b]) of scalars, the curie_map mapping,
// extension_definitions as a sequence of mappings, and comments. Anything else (anchors, tags,
// block scalars, nested structures elsewhere) is refused. Throws regcat::Error naming
// `source:line` (and the key or column) for a malformed block, a header without subject_id,
// predicate_id, object_id or mapping_justification, a duplicated column, a row with more cells
// than the header, or a quoted cell that is never closed. Rows are not interpreted.
SssomDocument parseSssom(std::string_view text, const std::string& source);

// ---- Resolution to regcat mappings ----

// A prefix for a code system regcat does not know of by itself.
struct SssomSystemPrefix {
  std::string prefix, expansion, system;
};

struct SssomResolveOptions {
  std::string base_uri = "http://localhost:8080";
  // Status of a row when neither its regcat_status cell nor the metadata block gives one;
  // "proposed" (an import awaits review) or "approved".
  std::string default_status = "proposed";
  std::vector<SssomSystemPrefix> system_prefixes;  // consulted before kSssomSystems
};

struct SssomResolvedMapping {
  size_t line = 0;
  Mapping mapping;           // id, timestamps and revision left at their defaults
  std::string mapping_date;  // the row's (or the set's) mapping_date, "" when none
};

// A row that could not be resolved: where = "source:line", column = the slot at fault.
struct SssomProblem {
  size_t line = 0;
  std::string where, column, message;
  std::string describe() const { return where + ": " + column + ": " + message; }
};

struct SssomResolution {
  std::vector<SssomResolvedMapping> mappings;
  std::vector<SssomProblem> problems;
};

// Every row either becomes a mapping or a problem (never both); the caller decides whether
// problems abort the import. Rules (docs/sssom.md): the subject is regcat:{variable-id} (or a
// CURIE expanding under {base_uri}/variables/), percent-encoding allowed; the object a CURIE of
// a known code system or sssom:NoTermFound (whose system comes from object_source); the
// predicate one of the five SKOS mapping predicates (owl:equivalentClass is read as
// skos:exactMatch); predicate_modifier Not means status "rejected"; confidence in [0, 1].
SssomResolution resolveSssom(const SssomDocument& doc, const SssomResolveOptions& opt = {});

}  // namespace regcat
