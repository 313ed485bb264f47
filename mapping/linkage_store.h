// Linkage plans in the catalogue's database, each change one transaction with a history entry
// holding the whole plan as it was after the change.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mapping/linkage_plan.h"

namespace regcat {

class Store;

struct PlanSummary {
  int64_t id = 0;
  std::string title, kind, status, updated_at;
  std::vector<std::string> registers;
};

class LinkageStore {
 public:
  explicit LinkageStore(Store& store);

  std::vector<PlanSummary> list(const std::string& registerId = {}, const std::string& status = {});
  std::optional<LinkagePlan> get(int64_t id);
  std::vector<PlanChange> history(int64_t id);

  // Validates the plan (kind, purpose category, registers and variables exist, every
  // variable's register takes part) and stores it as a draft.
  LinkagePlan create(LinkagePlan p, const std::string& actor);
  // Replaces the plan's content; expectedRevision 0 = any, else Stale when it differs. An
  // approved or rejected plan is not edited: it is a record of what was decided.
  LinkagePlan update(int64_t id, LinkagePlan p, const std::string& actor, int expectedRevision = 0);
  // draft -> submitted -> approved | rejected (by the CPUA); submitted -> draft to revise.
  LinkagePlan setStatus(int64_t id, const std::string& status, const std::string& note,
                        const std::string& actor, int expectedRevision = 0);

 private:
  Store& store_;
};

}  // namespace regcat
