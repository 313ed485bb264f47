// The audit trail (append-only, written by triggers and by the store; see migration 7): who
// changed which object when, with its values before and after as JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace regcat {

class Store;

struct AuditEntry {
  int64_t id = 0;
  std::string at, actor, entity, entity_id, action;
  std::string before, after;  // JSON objects, or "" when there is none (insert / delete)
};

struct AuditQuery {
  std::string entity;     // register, dataset, variable, codelist, mapping, linkage_plan
  std::string entity_id;  // e.g. strokereg/akut/rokning; with entity
  std::string actor;
  std::string since;  // YYYY-MM-DD or a timestamp; entries at or after it
  int limit = 100;
  int64_t before_id = 0;  // paging: entries older than this id (0 = newest first)
};

std::vector<AuditEntry> queryAudit(Store& store, const AuditQuery& q);

}  // namespace regcat
