#include "mapping/linkage_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <set>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"

namespace regcat {
namespace {

std::string col(SQLite::Statement& s, int i) {
  auto c = s.getColumn(i);
  return c.isNull() ? std::string() : c.getString();
}

template <size_t N>
bool oneOf(const char* const (&list)[N], const std::string& s) {
  for (const char* x : list)
    if (s == x) return true;
  return false;
}

// Trims the free-text fields and checks the plan against the catalogue.
void validate(SQLite::Database& db, LinkagePlan& p) {
  p.title = text::nfc(p.title, "title");
  if (p.title.empty()) throw invalid("title", "is required");
  if (!isValidPlanKind(p.kind))
    throw invalid("kind", "'" + p.kind +
                              "' is not one of samkorning, utvidgning-variabler, "
                              "utvidgning-sammanslagning, forskning");
  if (!isValidPurposeCategory(p.purpose_category))
    throw invalid("purpose_category", "'" + p.purpose_category +
                                          "' is not one of kvalitetssakring, statistik, "
                                          "forskning, annat");
  if (!p.output_form.empty() && !oneOf(kOutputForms, p.output_form))
    throw invalid("output_form",
                  "'" + p.output_form + "' is not one of aggregerad, pseudonymiserad, individniva");
  if (!p.period_start.empty() && !isValidDate(p.period_start))
    throw invalid("period_start", "'" + p.period_start + "' is not a date (YYYY-MM-DD)");
  if (!p.period_end.empty() && !isValidDate(p.period_end))
    throw invalid("period_end", "'" + p.period_end + "' is not a date (YYYY-MM-DD)");
  if (p.participants.empty()) throw invalid("registers", "name at least one register");
  std::set<std::string> regs;
  for (size_t i = 0; i < p.participants.size(); ++i) {
    const auto& r = p.participants[i];
    const std::string where = "registers[" + std::to_string(i) + "]";
    if (!r.role.empty() && !oneOf(kPlanRoles, r.role))
      throw invalid(where + ".role",
                    "'" + r.role + "' is not one of begarande, utlamnande, mottagande");
    SQLite::Statement s(db, "SELECT 1 FROM register WHERE id = ?");
    s.bind(1, r.register_id);
    if (!s.executeStep())
      throw invalid(where + ".register", "no register '" + r.register_id + "' in the catalogue");
    if (!regs.insert(r.register_id).second)
      throw invalid(where + ".register", "'" + r.register_id + "' is listed twice");
  }
  std::set<std::string> vars;
  for (size_t i = 0; i < p.variables.size(); ++i) {
    const auto& v = p.variables[i];
    const std::string where = "variables[" + std::to_string(i) + "]";
    if (!regs.count(v.register_id))
      throw invalid(where + ".register",
                    "'" + v.register_id + "' does not take part in the plan; add it to registers");
    SQLite::Statement s(db,
                        "SELECT 1 FROM variable WHERE register_id = ? AND dataset_id = ? AND "
                        "name = ?");
    s.bind(1, v.register_id);
    s.bind(2, v.dataset_id);
    s.bind(3, v.name);
    if (!s.executeStep()) throw invalid(where, "no variable '" + v.key() + "' in the catalogue");
    if (!vars.insert(v.key()).second) throw invalid(where, "'" + v.key() + "' is requested twice");
  }
}

LinkagePlan load(SQLite::Database& db, int64_t id) {
  SQLite::Statement s(db,
                      "SELECT document, created_by, created_at, updated_at, revision FROM "
                      "linkage_plan WHERE id = ?");
  s.bind(1, static_cast<int64_t>(id));
  if (!s.executeStep()) throw notFound("id", "linkage plan " + std::to_string(id) + " not found");
  LinkagePlan p = planFromJson(col(s, 0));
  p.id = id;
  p.created_by = col(s, 1);
  p.created_at = col(s, 2);
  p.updated_at = col(s, 3);
  p.revision = s.getColumn(4).getInt();
  return p;
}

void saveRegisters(SQLite::Database& db, const LinkagePlan& p) {
  SQLite::Statement d(db, "DELETE FROM linkage_plan_register WHERE plan_id = ?");
  d.bind(1, static_cast<int64_t>(p.id));
  d.exec();
  SQLite::Statement i(db, "INSERT INTO linkage_plan_register (plan_id, register_id) VALUES (?, ?)");
  for (const auto& r : p.participants) {
    i.reset();
    i.bind(1, static_cast<int64_t>(p.id));
    i.bind(2, r.register_id);
    i.exec();
  }
}

void recordHistory(SQLite::Database& db, const LinkagePlan& p, const std::string& action,
                   const std::string& actor) {
  SQLite::Statement s(db,
                      "INSERT INTO linkage_plan_history (plan_id, revision, action, actor, at, "
                      "document) VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, static_cast<int64_t>(p.id));
  s.bind(2, p.revision);
  s.bind(3, action);
  s.bind(4, actor);
  s.bind(5, p.updated_at);
  s.bind(6, planToJson(p));
  s.exec();
}

void write(SQLite::Database& db, LinkagePlan& p, const std::string& action,
           const std::string& actor) {
  p.updated_at = text::now();
  ++p.revision;
  SQLite::Statement s(db,
                      "UPDATE linkage_plan SET title = ?, kind = ?, status = ?, document = ?, "
                      "updated_at = ?, revision = ? WHERE id = ?");
  s.bind(1, p.title);
  s.bind(2, p.kind);
  s.bind(3, p.status);
  s.bind(4, planToJson(p));
  s.bind(5, p.updated_at);
  s.bind(6, p.revision);
  s.bind(7, static_cast<int64_t>(p.id));
  s.exec();
  saveRegisters(db, p);
  recordHistory(db, p, action, actor);
}

void checkRevision(const LinkagePlan& p, int expected) {
  if (expected > 0 && expected != p.revision)
    throw Error(Error::Kind::Stale, "If-Match",
                "linkage plan " + std::to_string(p.id) + " is at revision " +
                    std::to_string(p.revision) + ", not " + std::to_string(expected));
}

}  // namespace

LinkageStore::LinkageStore(Store& store) : store_(store) {}

std::vector<PlanSummary> LinkageStore::list(const std::string& registerId,
                                            const std::string& status) {
  std::vector<PlanSummary> out;
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement s(db,
                        "SELECT p.id, p.title, p.kind, p.status, p.updated_at, (SELECT "
                        "group_concat(register_id, ',') FROM linkage_plan_register r WHERE "
                        "r.plan_id = p.id) FROM linkage_plan p WHERE (? = '' OR p.status = ?) "
                        "AND (? = '' OR EXISTS (SELECT 1 FROM linkage_plan_register r WHERE "
                        "r.plan_id = p.id AND r.register_id = ?)) ORDER BY p.updated_at DESC, "
                        "p.id DESC");
    s.bind(1, status);
    s.bind(2, status);
    s.bind(3, registerId);
    s.bind(4, registerId);
    while (s.executeStep()) {
      PlanSummary p;
      p.id = s.getColumn(0).getInt64();
      p.title = col(s, 1);
      p.kind = col(s, 2);
      p.status = col(s, 3);
      p.updated_at = col(s, 4);
      const std::string regs = col(s, 5);
      for (size_t a = 0; a < regs.size();) {
        size_t b = regs.find(',', a);
        if (b == std::string::npos) b = regs.size();
        p.registers.push_back(regs.substr(a, b - a));
        a = b + 1;
      }
      out.push_back(std::move(p));
    }
  });
  return out;
}

std::optional<LinkagePlan> LinkageStore::get(int64_t id) {
  std::optional<LinkagePlan> p;
  store_.read([&](SQLite::Database& db) {
    try {
      p = load(db, id);
    } catch (const Error& e) {
      if (e.kind() != Error::Kind::NotFound) throw;
    }
  });
  return p;
}

std::vector<PlanChange> LinkageStore::history(int64_t id) {
  std::vector<PlanChange> out;
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement s(db,
                        "SELECT revision, action, actor, at, document FROM linkage_plan_history "
                        "WHERE plan_id = ? ORDER BY revision");
    s.bind(1, static_cast<int64_t>(id));
    while (s.executeStep()) {
      PlanChange c;
      c.revision = s.getColumn(0).getInt();
      c.action = col(s, 1);
      c.actor = col(s, 2);
      c.at = col(s, 3);
      c.state = planFromJson(col(s, 4));
      c.state.id = id;
      c.state.revision = c.revision;
      c.state.updated_at = c.at;
      out.push_back(std::move(c));
    }
  });
  return out;
}

LinkagePlan LinkageStore::create(LinkagePlan p, const std::string& actor) {
  if (actor.empty()) throw invalid("actor", "a plan needs a named author");
  p.status = "draft";
  p.status_note.clear();
  store_.write([&](SQLite::Database& db) {
    validate(db, p);
    p.created_by = actor;
    p.created_at = p.updated_at = text::now();
    p.revision = 1;
    SQLite::Statement s(db,
                        "INSERT INTO linkage_plan (title, kind, status, document, created_by, "
                        "created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, 1)");
    s.bind(1, p.title);
    s.bind(2, p.kind);
    s.bind(3, p.status);
    s.bind(4, planToJson(p));
    s.bind(5, actor);
    s.bind(6, p.created_at);
    s.bind(7, p.updated_at);
    s.exec();
    p.id = db.getLastInsertRowid();
    saveRegisters(db, p);
    recordHistory(db, p, "created", actor);
  });
  return p;
}

LinkagePlan LinkageStore::update(int64_t id, LinkagePlan p, const std::string& actor,
                                 int expectedRevision) {
  store_.write([&](SQLite::Database& db) {
    const LinkagePlan cur = load(db, id);
    checkRevision(cur, expectedRevision);
    if (cur.status == "approved" || cur.status == "rejected")
      throw conflict("status", "the plan is " + cur.status +
                                   "; it is kept as decided. Copy it into a new plan to change it");
    p.id = id;
    p.status = cur.status;
    p.status_note = cur.status_note;
    p.created_by = cur.created_by;
    p.created_at = cur.created_at;
    p.revision = cur.revision;
    validate(db, p);
    write(db, p, "updated", actor);
  });
  return p;
}

LinkagePlan LinkageStore::setStatus(int64_t id, const std::string& status, const std::string& note,
                                    const std::string& actor, int expectedRevision) {
  if (!isValidPlanStatus(status))
    throw invalid("status", "'" + status + "' is not one of draft, submitted, approved, rejected");
  LinkagePlan p;
  store_.write([&](SQLite::Database& db) {
    p = load(db, id);
    checkRevision(p, expectedRevision);
    const std::string& from = p.status;
    const bool ok = (from == "draft" && status == "submitted") ||
                    (from == "submitted" &&
                     (status == "approved" || status == "rejected" || status == "draft"));
    if (!ok)
      throw conflict("status", "a " + from + " plan cannot become " + status +
                                   " (draft -> submitted -> approved or rejected; submitted -> "
                                   "draft)");
    p.status = status;
    p.status_note = note;
    write(db, p, status, actor);
  });
  return p;
}

}  // namespace regcat
