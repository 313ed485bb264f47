// Mappings in the catalogue's database: creation, review (with the four-eyes rule), bulk
// curation, history, and release maintenance (flagging targets a new release made inactive).
// Every public write is one transaction and leaves one history entry per mapping it touches.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mapping/mapping.h"

namespace regcat {

class Store;
class Terminology;

// "snomed", "sct", "icd10se", "icd-10-se", "kva", "atc", "ni" or a system URI -> the URI.
std::string systemUri(const std::string& aliasOrUri);

struct MappingQuery {
  std::string register_id, dataset_id, variable;  // variable: a name within the dataset
  std::string status, system, author, reviewer, concept_id;
  bool flagged_only = false;
  bool codes = true, variables = true;  // which subjects to include
  int limit = 100, offset = 0;          // limit < 0: all
};

struct MappingPage {
  int total = 0;
  std::vector<Mapping> items;
};

// Fields a curator may change; unset fields keep their value. A change of target or predicate
// sends an approved or rejected mapping back to "proposed".
struct MappingUpdate {
  std::optional<std::string> system, concept_id, predicate, status, comment;
  std::optional<double> confidence;
};

struct BulkResult {
  std::vector<int64_t> changed;
  std::vector<std::string> skipped;  // "id: why"
};

// What a release check found for one mapping.
struct FlaggedMapping {
  int64_t id = 0;
  std::string subject, concept_id, replacement_id, detail;
};

class MappingStore {
 public:
  MappingStore(Store& store, Terminology& terminology);

  // The four-eyes rule: approval needs a reviewer other than the author. On by default.
  bool fourEyes();
  void setFourEyes(bool on);

  MappingPage list(const MappingQuery& q);
  std::optional<Mapping> get(int64_t id);
  std::vector<MappingChange> history(int64_t id);
  // Approved mappings of a variable and of its codes (subjects "{key}" and "{key}#...").
  std::vector<Mapping> approvedFor(const std::string& variableKey);

  // Validates the subject (the variable exists; a code exists in its code list), the target (a
  // loaded release of the system knows the concept; it must be active) and the predicate and
  // status. An "approved" mapping made directly has the author as reviewer and is refused
  // under the four-eyes rule. A mapping with the same subject, system and target is a conflict.
  Mapping create(Mapping m, const std::string& actor);
  // expectedRevision (from If-Match): 0 = any; a stale value throws Error::Kind::Stale.
  Mapping update(int64_t id, const MappingUpdate& u, const std::string& actor,
                 int expectedRevision = 0);
  // decision: "approve" or "reject".
  Mapping review(int64_t id, const std::string& decision, const std::string& comment,
                 const std::string& actor, int expectedRevision = 0);
  // expectedRevision as for update: 0 = any, else Stale when it differs.
  void remove(int64_t id, const std::string& actor, int expectedRevision = 0);

  // Bulk curation, each one transaction.
  // Suggestions with confidence >= minScore (within the query's filters) become "proposed".
  BulkResult promoteSuggestions(const MappingQuery& filter, double minScore,
                                const std::string& actor);
  BulkResult reviewMany(const std::vector<int64_t>& ids, const std::string& decision,
                        const std::string& comment, const std::string& actor);
  // Records "no concept in `system`" (sssom:NoTermFound) for each subject, as proposed.
  BulkResult noMatch(const std::vector<std::string>& subjects, const std::string& system,
                     const std::string& comment, const std::string& actor);

  // Writes mappings from an interchange file (SSSOM) in one transaction: rows whose subject,
  // target and predicate equal an existing mapping update it, others are created. Invalid rows
  // throw with `where` naming them before anything is written.
  // An import never sends a reviewed mapping back to "proposed" (reopen it with update), and
  // under the four-eyes rule an "approved" row whose reviewer is missing or is its author is
  // held as "proposed" (counted in held_for_review).
  struct ImportResult {
    int created = 0, updated = 0, unchanged = 0, held_for_review = 0;
  };
  ImportResult importMappings(const std::vector<Mapping>& rows,
                              const std::vector<std::string>& where, const std::string& actor,
                              const std::string& format, const std::string& sourceFile);

  // Stores suggestions as status "suggested" mappings (justification semapv:LexicalMatching),
  // skipping subjects that already have a mapping to that concept.
  int saveSuggestions(const std::vector<Mapping>& suggestions, const std::string& actor);

  // Release maintenance: flags mappings whose target is inactive in the newest loaded release
  // of its system, proposing the historical-association replacement; clears flags whose
  // target is active again. Returns the mappings flagged by this call.
  std::vector<FlaggedMapping> checkReleases(const std::string& actor = "system");
  // Flagged mappings and proposed ones awaiting review, flagged first.
  MappingPage reviewQueue(int limit = 100, int offset = 0);

 private:
  Store& store_;
  Terminology& terminology_;
};

}  // namespace regcat
