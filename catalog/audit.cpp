#include "catalog/audit.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "catalog/store.h"

namespace regcat {

std::vector<AuditEntry> queryAudit(Store& store, const AuditQuery& q) {
  std::vector<AuditEntry> out;
  store.read([&](SQLite::Database& db) {
    SQLite::Statement s(db,
                        "SELECT id, at, actor, entity, entity_id, action, before, after FROM "
                        "audit WHERE (?1 = '' OR entity = ?1) AND (?2 = '' OR entity_id = ?2) "
                        "AND (?3 = '' OR actor = ?3) AND (?4 = '' OR at >= ?4) AND (?5 = 0 OR "
                        "id < ?5) ORDER BY id DESC LIMIT ?6");
    s.bind(1, q.entity);
    s.bind(2, q.entity_id);
    s.bind(3, q.actor);
    s.bind(4, q.since);
    s.bind(5, static_cast<int64_t>(q.before_id));
    s.bind(6, q.limit);
    while (s.executeStep()) {
      AuditEntry e;
      e.id = s.getColumn(0).getInt64();
      e.at = s.getColumn(1).getString();
      e.actor = s.getColumn(2).getString();
      e.entity = s.getColumn(3).getString();
      e.entity_id = s.getColumn(4).getString();
      e.action = s.getColumn(5).getString();
      e.before = s.getColumn(6).isNull() ? std::string() : s.getColumn(6).getString();
      e.after = s.getColumn(7).isNull() ? std::string() : s.getColumn(7).getString();
      out.push_back(std::move(e));
    }
  });
  return out;
}

}  // namespace regcat
