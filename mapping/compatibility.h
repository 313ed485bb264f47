// Semantic compatibility of two variables (issue 6): may their data be pooled, after which
// transformation, and why. Computed from the variables' approved concept bindings, value-level
// (code) bindings and value domains, never typed in by hand. Pure functions: the caller loads
// the two variable versions, their code lists and approved mappings, and wires the subsumption
// oracle to Terminology::subsumes.
//
// Grades, from best to worst (the result is the worst any reason allows):
//   identical     both sides bound by approved exactMatch to the same concept, and the same
//                 value domain: same datatype and unit (after normalisation), or code lists
//                 with the same codes carrying the same meanings. Pool as it is.
//   compatible    the same concept and a lossless transform: a unit factor within one
//                 dimension, integer to decimal, or a one-to-one recode of codes.
//   partial       concepts related by subsumption (the reason says which side is broader), a
//                 closeMatch binding, or a lossy transform: many-to-one recode, codes without a
//                 counterpart, datetime to date, continuous values to categories, free text.
//   incompatible  different concepts, neither subsuming the other; units of different
//                 dimensions; datatypes that do not convert (a date and a number).
//   unknown       a side has no approved binding (reason unbound-a / unbound-b), the bindings
//                 cannot be related (no common code system), or the value domains cannot be
//                 compared (a unit regcat cannot read, a unit on one side only, a code variable
//                 without its code list, code lists none of whose meanings could be matched).
//                 An unbound side wins over everything else, since without it no other verdict
//                 is safe; the other reasons are still reported.
// Validity periods that do not overlap add the reason periods-disjoint without changing the
// grade. Missing-value codes are left out of the comparison and reported.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/model.h"
#include "mapping/mapping.h"

namespace regcat {

struct CompatSide {
  Variable variable;              // the version being compared
  std::optional<CodeList> codes;  // its code list (that version), for datatype "code"
  // Approved mappings of the variable and of its codes ("#code" subjects). Others are ignored,
  // so passing all of them is harmless.
  std::vector<Mapping> mappings;
};

// Whether concept `ancestor` subsumes `descendant` in `system` (true when equal is not needed:
// equal codes are recognised before asking). An empty function knows no subsumption.
using SubsumptionOracle = std::function<bool(const std::string& system, const std::string& ancestor,
                                             const std::string& descendant)>;

struct CompatReason {
  std::string code;  // stable: concept-same, concept-subsumes, unit-convertible, ... (see .cpp)
  std::string sv, en;
  std::string grade;  // the grade this reason limits the result to; empty when informational
  std::vector<std::pair<std::string, std::string>> details;  // machine-readable, string values
};

// One row of a recode table: a code of the transformed side to a code of the other side.
struct RecodeEntry {
  std::string from, to;
  bool missing = false;  // a missing-value code matched to one on the other side
};

// What a statistician applies to pool the data. `from` names the side whose values change
// ("a" or "b"); the other side's values stay as they are.
struct Transform {
  // none, unit-factor, cast (integer to decimal), recode (one-to-one), lossy-recode
  // (many-to-one, or codes without a counterpart), truncate (datetime to date), categorise
  // (continuous values to the other side's categories; cut-points are not derived).
  std::string kind = "none";
  std::string from;               // "a" or "b"; empty for none
  std::string datatype;           // datatype of the pooled values, when it changes
  double factor = 1, offset = 0;  // unit-factor: to = from * factor + offset
  std::string from_unit, to_unit;
  std::vector<RecodeEntry> table;                       // recode, lossy-recode
  std::vector<std::string> unmapped_from, unmapped_to;  // codes with no counterpart
  std::string sv, en;                                   // the transform in one sentence
};

// The concept relation, from the pair of bindings that decided it.
struct ConceptLink {
  // same, a-subsumes-b, b-subsumes-a, different, indeterminate (bindings in no common system,
  // or broad/narrowMatch bindings that decide nothing), unbound
  std::string relation = "unbound";
  bool approximate = false;  // decided through a closeMatch
  std::string system, concept_a, concept_b, label_a, label_b, predicate_a, predicate_b;
};

struct UnitLink {
  // not-applicable (not two numbers), none (neither has a unit), same, convertible,
  // different-dimension, unknown, missing-a, missing-b
  std::string relation = "not-applicable";
  std::string unit_a, unit_b;            // as written
  std::string canonical_a, canonical_b;  // normalised, when understood
  double factor = 1, offset = 0;         // b = a * factor + offset
  std::string note;                      // see units::Conversion::note
};

struct CrosswalkPair {
  std::string code_a, code_b;
  std::string relation;  // same, a-narrower (a's category lies within b's), b-narrower
  std::string basis;     // concept (value-level mappings), label, yes-no, stem, code
  bool missing = false;  // both are missing-value codes
};

// How two code lists (or a code list and a boolean, or a small integer range) correspond.
struct Crosswalk {
  // identical, one-to-one, many-to-one (see direction), partial-overlap (one-to-one where
  // matched, some codes without counterpart), many-to-many, none (nothing matched)
  std::string shape;
  std::string direction;  // many-to-one: "a-to-b" (a is the finer side) or "b-to-a"
  std::vector<CrosswalkPair> pairs;
  std::vector<std::string> unmapped_a, unmapped_b;  // non-missing codes without counterpart
  std::vector<std::string> missing_a, missing_b;    // missing-value codes, left out
};

struct ValidityOverlap {
  bool overlap = true;
  std::string from, to;  // the common period when overlapping; empty = open
};

struct Compatibility {
  std::string grade;  // identical, compatible, partial, incompatible, unknown
  std::vector<CompatReason> reasons;
  Transform transform;
  ConceptLink concepts;
  UnitLink units;
  std::optional<Crosswalk> crosswalk;  // when codes were compared
  ValidityOverlap validity;
};

Compatibility compare(const CompatSide& a, const CompatSide& b, const SubsumptionOracle& subsumes);

}  // namespace regcat
