// Semantic mappings: a variable, or one code of its code list, linked to a concept of a loaded
// code system (SNOMED CT, NI, ICD-10-SE, KVÅ, ATC) with a SKOS predicate and a review status.
// Plain data; the store is mapping_store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace regcat {

inline constexpr const char* kPredicates[] = {"skos:exactMatch", "skos:closeMatch",
                                              "skos:broadMatch", "skos:narrowMatch",
                                              "skos:relatedMatch"};
// suggested: made by the suggester, nobody has looked; proposed: a person (or an import) says
// so and it awaits review; approved / rejected: reviewed.
inline constexpr const char* kMappingStatuses[] = {"suggested", "proposed", "approved", "rejected"};
// SSSOM's object for "we looked and there is no concept for this".
inline constexpr const char* kNoTermFound = "sssom:NoTermFound";
inline constexpr const char* kManualCuration = "semapv:ManualMappingCuration";
inline constexpr const char* kLexicalMatching = "semapv:LexicalMatching";

bool isValidPredicate(const std::string& s);
bool isValidMappingStatus(const std::string& s);

// What a mapping maps: a variable "{register}/{dataset}/{name}", or one code of its code list
// "{register}/{dataset}/{name}#{code}".
struct MappingSubject {
  std::string register_id, dataset_id, variable, code;  // code empty = the variable itself
  std::string key() const;
  std::string variableKey() const { return register_id + "/" + dataset_id + "/" + variable; }
  bool isCode() const { return !code.empty(); }
  // nullopt unless s has that shape (the code may contain any character but is non-empty).
  static std::optional<MappingSubject> parse(const std::string& s);
  bool operator==(const MappingSubject&) const = default;
};

struct Mapping {
  int64_t id = 0;
  MappingSubject subject;
  std::string subject_label;  // the variable's or the code's label (sv); filled on read
  std::string system;         // code system URI of the target (http://snomed.info/sct, ...)
  std::string concept_id;     // code in that system, or kNoTermFound
  std::string concept_label;  // preferred term when the mapping was made
  std::string predicate = "skos:exactMatch";
  std::string status = "proposed";
  std::string justification = kManualCuration;  // a semapv: term
  std::optional<double> confidence;             // 0-1
  std::string author, reviewer, comment, review_comment;
  std::string release;  // version of the terminology release the mapping was made against
  std::string created_at, updated_at, reviewed_at;
  int revision = 0;  // bumped by every change; the ETag of a mapping
  // Release maintenance: set when the target is inactive in the newest loaded release.
  std::string flag;  // "" or "inactive-target"
  std::string flag_detail, replacement_id, replacement_label;

  bool isNoMatch() const { return concept_id == kNoTermFound; }
};

// One entry of a mapping's history: the state after the change.
struct MappingChange {
  int64_t mapping_id = 0;
  int revision = 0;
  std::string action;  // created, updated, approved, rejected, flagged, deleted, imported
  std::string actor, at;
  Mapping state;
};

}  // namespace regcat
