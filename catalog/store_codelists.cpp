// Code lists (värdemängder): every change of content is a new version with its own items.
#include <sqlite3.h>

#include <map>

#include "catalog/errors.h"
#include "catalog/store_internal.h"
#include "catalog/text.h"

namespace regcat {
namespace detail {
namespace {

constexpr const char* kVersionColumns =
    "SELECT cv.codelist_id, c.register_id, cv.version, cv.name_sv, cv.name_en, "
    "cv.description_sv, cv.description_en, cv.system_uri, cv.system_oid, cv.system_version, "
    "cv.valid_from, cv.valid_to, cv.recorded_at, cv.provenance_id, c.revision "
    "FROM codelist_version cv JOIN codelist c ON c.id = cv.codelist_id ";

CodeList readVersion(SQLite::Database& db, SQLite::Statement& s) {
  CodeList c;
  c.id = col(s, 0);
  c.register_id = col(s, 1);
  c.version = s.getColumn(2).getInt();
  c.name = {col(s, 3), col(s, 4)};
  c.description = {col(s, 5), col(s, 6)};
  c.system = {col(s, 7), col(s, 8), col(s, 9)};
  c.valid_from = col(s, 10);
  c.valid_to = col(s, 11);
  c.recorded_at = col(s, 12);
  c.revision = s.getColumn(14).getInt();
  if (!s.getColumn(13).isNull()) c.provenance = loadProvenance(db, s.getColumn(13).getInt64());
  Prepared items(db,
                 "SELECT code, label_sv, label_en, is_missing, valid_from, valid_to "
                 "FROM code_item WHERE codelist_id = ? AND version = ? "
                 "ORDER BY position");
  items.bind(1, c.id);
  items.bind(2, c.version);
  while (items.executeStep())
    c.items.push_back({col(items, 0),
                       {col(items, 1), col(items, 2)},
                       items.getColumn(3).getInt() != 0,
                       col(items, 4),
                       col(items, 5)});
  return c;
}

// Content that makes a new version; list-level validity is bookkeeping, not content.
bool sameCodes(const CodeList& a, const CodeList& b) {
  return a.name == b.name && a.description == b.description && a.system == b.system &&
         a.items == b.items;
}

void insertVersion(SQLite::Database& db, const CodeList& c, int version, int64_t provenanceId) {
  Prepared s(db, "INSERT INTO codelist_version VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, c.id);
  s.bind(2, version);
  s.bind(3, c.name.sv);
  s.bind(4, c.name.en);
  s.bind(5, c.description.sv);
  s.bind(6, c.description.en);
  s.bind(7, c.system.uri);
  s.bind(8, c.system.oid);
  s.bind(9, c.system.version);
  s.bind(10, c.valid_from);
  s.bind(11, c.valid_to);
  s.bind(12, text::now());
  s.bind(13, static_cast<int64_t>(provenanceId));
  s.exec();
  Prepared it(db, "INSERT INTO code_item VALUES (?,?,?,?,?,?,?,?,?)");
  for (size_t k = 0; k < c.items.size(); ++k) {
    const auto& i = c.items[k];
    it.reset();
    it.bind(1, c.id);
    it.bind(2, version);
    it.bind(3, int(k));
    it.bind(4, i.code);
    it.bind(5, i.label.sv);
    it.bind(6, i.label.en);
    it.bind(7, i.is_missing ? 1 : 0);
    it.bind(8, i.valid_from);
    it.bind(9, i.valid_to);
    it.exec();
  }
}

}  // namespace

std::optional<CodeList> loadCodeList(SQLite::Database& db, const std::string& id,
                                     const std::string& at) {
  if (at.empty()) {
    Prepared s(db, std::string(kVersionColumns) +
                       "WHERE cv.codelist_id = ? AND cv.version = c.current_version");
    s.bind(1, id);
    if (!s.executeStep()) return std::nullopt;
    return readVersion(db, s);
  }
  Prepared s(db, std::string(kVersionColumns) +
                     "WHERE cv.codelist_id = ? AND (cv.valid_from = '' OR cv.valid_from "
                     "<= ?) AND (cv.valid_to = '' OR cv.valid_to >= ?) "
                     "ORDER BY cv.version DESC LIMIT 1");
  s.bind(1, id);
  s.bind(2, at);
  s.bind(3, at);
  if (!s.executeStep()) return std::nullopt;
  return readVersion(db, s);
}

std::vector<CodeList> loadCodeListHistory(SQLite::Database& db, const std::string& id) {
  Prepared s(db, std::string(kVersionColumns) + "WHERE cv.codelist_id = ? ORDER BY cv.version");
  s.bind(1, id);
  std::vector<CodeList> out;
  while (s.executeStep()) out.push_back(readVersion(db, s));
  return out;
}

void auditCodeList(SQLite::Database& db, const std::string& id, const char* action, int before,
                   int after) {
  // The version's fields with its items, as JSON; NULL for version 0 (none).
  static const std::string kVersion =
      "(SELECT json_object('version', v.version, 'name_sv', v.name_sv, 'name_en', v.name_en, "
      "'system_uri', v.system_uri, 'system_version', v.system_version, 'valid_from', "
      "v.valid_from, 'valid_to', v.valid_to, 'codes', (SELECT json_group_array(json_object("
      "'code', i.code, 'label_sv', i.label_sv, 'label_en', i.label_en, 'is_missing', "
      "i.is_missing)) FROM code_item i WHERE i.codelist_id = v.codelist_id AND i.version = "
      "v.version)) FROM codelist_version v WHERE v.codelist_id = ? AND v.version = ?)";
  Prepared s(db,
             "INSERT INTO audit (actor, entity, entity_id, action, before, after) VALUES ("
             "coalesce(nullif((SELECT actor FROM audit_context WHERE id = 1), ''), 'system'), "
             "'codelist', ?, ?, " +
                 kVersion + ", " + kVersion + ")");
  s.bind(1, id);
  s.bind(2, action);
  s.bind(3, id);
  s.bind(4, before);
  s.bind(5, id);
  s.bind(6, after);
  s.exec();
}

CodeListChange saveCodeList(SQLite::Database& db, const CodeList& c, int64_t provenanceId) {
  CodeListChange ch;
  ch.id = c.id;
  auto old = loadCodeList(db, c.id);
  if (!old) {
    Prepared s(db, "INSERT INTO codelist(id, register_id, current_version) VALUES (?, ?, 1)");
    s.bind(1, c.id);
    if (c.register_id.empty())
      s.bind(2);
    else
      s.bind(2, c.register_id);
    s.exec();
    insertVersion(db, c, 1, provenanceId);
    auditCodeList(db, c.id, "insert", 0, 1);
    ch.change = "added";
    ch.new_version = 1;
    for (const auto& i : c.items) ch.added_codes.push_back(i.code);
    return ch;
  }
  if (!c.register_id.empty() && !old->register_id.empty() && c.register_id != old->register_id)
    throw conflict("id", "code list '" + c.id + "' belongs to register '" + old->register_id + "'");
  ch.old_version = ch.new_version = old->version;
  if (sameCodes(*old, c)) {
    ch.change = "unchanged";
    if ((!c.valid_from.empty() && c.valid_from != old->valid_from) ||
        (!c.valid_to.empty() && c.valid_to != old->valid_to)) {
      Prepared s(db,
                 "UPDATE codelist_version SET valid_from = ?, valid_to = ? "
                 "WHERE codelist_id = ? AND version = ?");
      s.bind(1, c.valid_from.empty() ? old->valid_from : c.valid_from);
      s.bind(2, c.valid_to.empty() ? old->valid_to : c.valid_to);
      s.bind(3, c.id);
      s.bind(4, old->version);
      s.exec();
    }
    return ch;
  }
  std::map<std::string, const CodeItem*> before, after;
  for (const auto& i : old->items) before[i.code] = &i;
  for (const auto& i : c.items) after[i.code] = &i;
  for (const auto& [code, item] : after) {
    auto it = before.find(code);
    if (it == before.end())
      ch.added_codes.push_back(code);
    else if (!(*it->second == *item))
      ch.changed_codes.push_back(code);
  }
  for (const auto& [code, item] : before)
    if (!after.count(code)) ch.removed_codes.push_back(code);

  CodeList next = c;
  const std::string today = text::today();
  if (next.valid_from.empty()) next.valid_from = today;
  if (old->valid_to.empty()) {
    Prepared s(db,
               "UPDATE codelist_version SET valid_to = ? WHERE codelist_id = ? AND "
               "version = ?");
    s.bind(1, std::max(old->valid_from, text::addDays(next.valid_from, -1)));
    s.bind(2, c.id);
    s.bind(3, old->version);
    s.exec();
  }
  ch.new_version = old->version + 1;
  insertVersion(db, next, ch.new_version, provenanceId);
  Prepared s(db, "UPDATE codelist SET current_version = ? WHERE id = ?");
  s.bind(1, ch.new_version);
  s.bind(2, c.id);
  s.exec();
  ch.change = "changed";
  auditCodeList(db, c.id, "update", old->version, ch.new_version);
  reindexVariablesUsingCodeList(db, c.id);
  return ch;
}

}  // namespace detail

std::vector<CodeList> Store::listCodeLists(const std::string& registerId) {
  ReadLease l(*pool_);
  std::string sql = "SELECT id FROM codelist";
  if (!registerId.empty()) sql += " WHERE register_id = ?";
  sql += " ORDER BY id";
  SQLite::Statement s(l.db(), sql);
  if (!registerId.empty()) s.bind(1, registerId);
  std::vector<CodeList> out;
  while (s.executeStep())
    if (auto c = detail::loadCodeList(l.db(), s.getColumn(0).getString())) out.push_back(*c);
  return out;
}

std::optional<CodeList> Store::getCodeList(const std::string& id, const std::string& at) {
  ReadLease l(*pool_);
  return detail::loadCodeList(l.db(), id, at);
}

std::vector<CodeList> Store::codeListHistory(const std::string& id) {
  ReadLease l(*pool_);
  return detail::loadCodeListHistory(l.db(), id);
}

CodeList Store::createCodeList(CodeList c, const WriteContext& ctx) {
  detail::validateCodeList(c, "");
  WriteTx tx(*pool_);
  if (detail::loadCodeList(tx.db(), c.id))
    throw conflict("id", "code list '" + c.id + "' already exists");
  if (!c.register_id.empty() && !detail::registerExists(tx.db(), c.register_id))
    throw invalid("register", "register '" + c.register_id + "' does not exist");
  detail::saveCodeList(tx.db(), c, detail::insertProvenance(tx.db(), ctx));
  auto out = detail::loadCodeList(tx.db(), c.id);
  tx.commit();
  return *out;
}

CodeList Store::updateCodeList(const std::string& id, CodeList c, const WriteContext& ctx,
                               int expectedRevision) {
  if (c.id.empty()) c.id = id;
  if (c.id != id) throw invalid("id", "the id in the body ('" + c.id + "') differs from the URL");
  detail::validateCodeList(c, "");
  WriteTx tx(*pool_);
  auto old = detail::loadCodeList(tx.db(), id);
  if (!old) throw notFound("", "code list '" + id + "' not found");
  detail::checkRevision("code list '" + id + "'", old->revision, expectedRevision);
  if (c.register_id.empty()) c.register_id = old->register_id;
  detail::saveCodeList(tx.db(), c, detail::insertProvenance(tx.db(), ctx));
  auto out = detail::loadCodeList(tx.db(), id);
  tx.commit();
  return *out;
}

void Store::deleteCodeList(const std::string& id, const std::string& actor, int expectedRevision) {
  WriteTx tx(*pool_);
  setAuditActor(tx.db(), actor);
  auto old = detail::loadCodeList(tx.db(), id);
  if (!old) throw notFound("", "code list '" + id + "' not found");
  detail::checkRevision("code list '" + id + "'", old->revision, expectedRevision);
  SQLite::Statement used(tx.db(),
                         "SELECT v.register_id || '/' || v.dataset_id || '/' || v.name "
                         "FROM variable_version vv JOIN variable v ON v.id = "
                         "vv.variable_id WHERE vv.codelist_id = ? LIMIT 1");
  used.bind(1, id);
  if (used.executeStep())
    throw conflict("", "code list '" + id + "' is used by variable " +
                           used.getColumn(0).getString() +
                           " (in its current or an earlier version) and cannot be deleted");
  detail::auditCodeList(tx.db(), id, "delete", detail::loadCodeList(tx.db(), id)->version, 0);
  SQLite::Statement del(tx.db(), "DELETE FROM codelist WHERE id = ?");
  del.bind(1, id);
  del.exec();
  tx.commit();
}

}  // namespace regcat
