// A register's approved mappings as a FHIR R4 ConceptMap, and the Parameters answer of
// ConceptMap/$translate built from a list of mappings: pure JSON writers, the server glue finds
// the mappings. Equivalences follow FHIR R4's ConceptMapEquivalence (docs/sssom.md):
//   skos:exactMatch -> equivalent    skos:closeMatch -> inexact (with a comment)
//   skos:broadMatch -> wider         skos:narrowMatch -> narrower (with a comment)
//   skos:relatedMatch -> relatedto   sssom:NoTermFound -> unmatched (no target code)
// Source concepts: a variable is code "{register}/{dataset}/{name}" in the system
// "{base}/variables"; a code of its code list is that code in the system
// "{base}/variables/{register}/{dataset}/{name}" (the variable's URI).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "mapping/mapping.h"

namespace regcat {

struct ConceptMapOptions {
  std::string base_uri = "http://localhost:8080";
  std::string register_id;    // required
  std::string register_name;  // for the title; default the id
  std::string version;        // ConceptMap.version; default today's date
  std::string date;           // ConceptMap.date; default now
  std::string publisher;      // omitted when empty
};

// The FHIR equivalence code of a predicate ("unmatched" for a no-match); "" when unknown.
const char* fhirEquivalence(const Mapping& m);

// id and canonical URL of a register's ConceptMap: the register id with '_' as '.', since FHIR
// ids allow neither '_' nor more than 64 characters (register ids are at most 64 and never
// contain '.'); the URL is {base}/fhir/ConceptMap/{id}.
std::string conceptMapId(const std::string& registerId);
std::string conceptMapUrl(const std::string& baseUri, const std::string& registerId);

// The source (system, code) of a mapping's subject, as described above.
std::string fhirSourceSystem(const std::string& baseUri, const MappingSubject& s);
std::string fhirSourceCode(const MappingSubject& s);

// The ConceptMap of the approved mappings of opt.register_id among `mappings` (others are left
// out), one group per (source system, target system), elements and targets in a stable order.
// Throws regcat::Error (Invalid) for a missing or invalid register id.
void writeConceptMap(std::ostream& out, const std::vector<Mapping>& mappings,
                     const ConceptMapOptions& opt);
std::string conceptMapJson(const std::vector<Mapping>& mappings, const ConceptMapOptions& opt);

struct TranslateOptions {
  std::string base_uri = "http://localhost:8080";
  // false: the mappings were found for a regcat variable or code and the matches are their
  // target concepts; true ($translate from the terminology side, "reverse"): the matches are
  // the variables and codes, with wider and narrower swapped.
  bool reverse = false;
  std::string message;  // replaces the generated message when set
};

// The Parameters resource $translate answers: result (true when some approved mapping is a
// match other than "unmatched"), message, and one match (equivalence, concept, source = the
// register's ConceptMap URL) per approved mapping. Mappings not approved are ignored, as in
// the ConceptMap.
std::string translateResult(const std::vector<Mapping>& mappings, const TranslateOptions& opt);

}  // namespace regcat
