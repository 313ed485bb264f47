// Instance variables and their versions. A variable's identity (register/dataset/name) lives
// in `variable`; every change of definition adds a row to `variable_version` and closes the
// previous one, so that `?at=DATE` can answer what the variable meant on any day.
#include <sqlite3.h>

#include <unordered_map>

#include "catalog/errors.h"
#include "catalog/search.h"
#include "catalog/store_internal.h"
#include "catalog/text.h"

namespace regcat {
namespace detail {
namespace {

constexpr const char* kVersionColumns =
    "SELECT v.register_id, v.dataset_id, v.name, v.position, vv.version, vv.label_sv, "
    "vv.label_en, vv.definition_sv, vv.definition_en, vv.question_sv, vv.question_en, "
    "vv.datatype, vv.unit, vv.min, vv.max, vv.format, vv.codelist_id, vv.mandatory, vv.source, "
    "vv.identifier_class, vv.category, vv.calculation, vv.valid_from, vv.valid_to, "
    "vv.recorded_at, vv.provenance_id, v.id, v.revision "
    "FROM variable v JOIN variable_version vv ON vv.variable_id = v.id ";

// Provenance rows are append-only and shared by every variable of one import, so a listing
// reads each once (45,000 variables of 150 imports: 150 lookups, not 45,000).
using ProvenanceCache = std::unordered_map<int64_t, Provenance>;

Variable readVersion(SQLite::Database& db, SQLite::Statement& s, bool full,
                     ProvenanceCache* provenance = nullptr) {
  Variable v;
  v.register_id = col(s, 0);
  v.dataset_id = col(s, 1);
  v.name = col(s, 2);
  v.position = s.getColumn(3).getInt();
  v.version = s.getColumn(4).getInt();
  v.label = {col(s, 5), col(s, 6)};
  v.definition = {col(s, 7), col(s, 8)};
  v.question = {col(s, 9), col(s, 10)};
  v.datatype = col(s, 11);
  v.unit = col(s, 12);
  v.min = optDouble(s, 13);
  v.max = optDouble(s, 14);
  v.format = col(s, 15);
  v.codelist = col(s, 16);
  v.mandatory = s.getColumn(17).getInt() != 0;
  v.source = col(s, 18);
  v.identifier_class = col(s, 19);
  v.category = col(s, 20);
  v.calculation = col(s, 21);
  v.valid_from = col(s, 22);
  v.valid_to = col(s, 23);
  v.recorded_at = col(s, 24);
  v.revision = s.getColumn(27).getInt();
  if (!full) return v;
  if (!s.getColumn(25).isNull()) {
    const int64_t pid = s.getColumn(25).getInt64();
    if (!provenance) {
      v.provenance = loadProvenance(db, pid);
    } else {
      auto it = provenance->find(pid);
      if (it == provenance->end()) it = provenance->emplace(pid, loadProvenance(db, pid)).first;
      v.provenance = it->second;
    }
  }
  const int64_t id = s.getColumn(26).getInt64();
  Prepared a(db,
             "SELECT alias FROM variable_alias WHERE variable_id = ? AND version = ? "
             "ORDER BY position");
  a.bind(1, id);
  a.bind(2, v.version);
  while (a.executeStep()) v.aliases.push_back(col(a, 0));
  Prepared m(db,
             "SELECT code, label_sv, label_en FROM variable_missing WHERE "
             "variable_id = ? AND version = ? ORDER BY position");
  m.bind(1, id);
  m.bind(2, v.version);
  while (m.executeStep()) v.missing_codes.push_back({col(m, 0), {col(m, 1), col(m, 2)}});
  return v;
}

std::vector<std::string> changedFields(const Variable& a, const Variable& b) {
  std::vector<std::string> f;
  auto check = [&](bool same, const char* name) {
    if (!same) f.push_back(name);
  };
  check(a.aliases == b.aliases, "aliases");
  check(a.label == b.label, "label");
  check(a.definition == b.definition, "definition");
  check(a.question == b.question, "question");
  check(a.datatype == b.datatype, "datatype");
  check(a.unit == b.unit, "unit");
  check(a.min == b.min, "min");
  check(a.max == b.max, "max");
  check(a.format == b.format, "format");
  check(a.codelist == b.codelist, "codelist");
  check(a.missing_codes == b.missing_codes, "missing_codes");
  check(a.mandatory == b.mandatory, "mandatory");
  check(a.source == b.source, "source");
  check(a.identifier_class == b.identifier_class, "identifier_class");
  check(a.category == b.category, "category");
  check(a.calculation == b.calculation, "calculation");
  return f;
}

void insertVersion(SQLite::Database& db, int64_t id, int version, const Variable& v,
                   int64_t provenanceId) {
  Prepared s(db,
             "INSERT INTO variable_version VALUES "
             "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  int i = 0;
  s.bind(++i, static_cast<int64_t>(id));
  s.bind(++i, version);
  for (const std::string* t : {&v.label.sv, &v.label.en, &v.definition.sv, &v.definition.en,
                               &v.question.sv, &v.question.en, &v.datatype, &v.unit})
    s.bind(++i, *t);
  bindOptDouble(s, ++i, v.min);
  bindOptDouble(s, ++i, v.max);
  s.bind(++i, v.format);
  if (v.codelist.empty())
    s.bind(++i);
  else
    s.bind(++i, v.codelist);
  s.bind(++i, v.mandatory ? 1 : 0);
  for (const std::string* t :
       {&v.source, &v.identifier_class, &v.category, &v.calculation, &v.valid_from, &v.valid_to})
    s.bind(++i, *t);
  s.bind(++i, text::now());
  s.bind(++i, static_cast<int64_t>(provenanceId));
  s.exec();
  Prepared a(db, "INSERT INTO variable_alias VALUES (?, ?, ?, ?)");
  for (size_t k = 0; k < v.aliases.size(); ++k) {
    a.reset();
    a.bind(1, static_cast<int64_t>(id));
    a.bind(2, version);
    a.bind(3, int(k));
    a.bind(4, v.aliases[k]);
    a.exec();
  }
  Prepared m(db, "INSERT INTO variable_missing VALUES (?, ?, ?, ?, ?, ?)");
  for (size_t k = 0; k < v.missing_codes.size(); ++k) {
    m.reset();
    m.bind(1, static_cast<int64_t>(id));
    m.bind(2, version);
    m.bind(3, int(k));
    m.bind(4, v.missing_codes[k].code);
    m.bind(5, v.missing_codes[k].label.sv);
    m.bind(6, v.missing_codes[k].label.en);
    m.exec();
  }
}

void setCurrent(SQLite::Database& db, int64_t id, int version) {
  Prepared s(db, "UPDATE variable SET current_version = ? WHERE id = ?");
  s.bind(1, version);
  s.bind(2, static_cast<int64_t>(id));
  s.exec();
}

void setValidTo(SQLite::Database& db, int64_t id, int version, const std::string& date) {
  Prepared s(db,
             "UPDATE variable_version SET valid_to = ? WHERE variable_id = ? AND "
             "version = ?");
  s.bind(1, date);
  s.bind(2, static_cast<int64_t>(id));
  s.bind(3, version);
  s.exec();
}

}  // namespace

std::optional<VariableRow> findVariable(SQLite::Database& db, const std::string& reg,
                                        const std::string& ds, const std::string& name) {
  Prepared s(db,
             "SELECT id, current_version FROM variable WHERE register_id = ? AND "
             "dataset_id = ? AND name = ?");
  s.bind(1, reg);
  s.bind(2, ds);
  s.bind(3, name);
  if (!s.executeStep()) return std::nullopt;
  return VariableRow{s.getColumn(0).getInt64(), s.getColumn(1).getInt()};
}

std::optional<Variable> loadVariableVersion(SQLite::Database& db, int64_t variableId, int version,
                                            bool full) {
  Prepared s(db, std::string(kVersionColumns) + "WHERE v.id = ? AND vv.version = ?");
  s.bind(1, static_cast<int64_t>(variableId));
  s.bind(2, version);
  if (!s.executeStep()) return std::nullopt;
  return readVersion(db, s, full);
}

std::optional<Variable> loadVariable(SQLite::Database& db, const std::string& reg,
                                     const std::string& ds, const std::string& name,
                                     const std::string& at) {
  auto row = findVariable(db, reg, ds, name);
  if (!row) return std::nullopt;
  if (at.empty()) return loadVariableVersion(db, row->id, row->current_version);
  // The newest version whose period contains the date; valid_to is inclusive.
  Prepared s(db,
             "SELECT version FROM variable_version WHERE variable_id = ? AND "
             "(valid_from = '' OR valid_from <= ?) AND (valid_to = '' OR valid_to "
             ">= ?) ORDER BY version DESC LIMIT 1");
  s.bind(1, static_cast<int64_t>(row->id));
  s.bind(2, at);
  s.bind(3, at);
  if (!s.executeStep()) return std::nullopt;
  return loadVariableVersion(db, row->id, s.getColumn(0).getInt());
}

std::vector<Variable> loadVariableHistory(SQLite::Database& db, const std::string& reg,
                                          const std::string& ds, const std::string& name) {
  std::vector<Variable> out;
  auto row = findVariable(db, reg, ds, name);
  if (!row) return out;
  for (int v = 1; v <= row->current_version; ++v)
    if (auto var = loadVariableVersion(db, row->id, v)) out.push_back(*var);
  return out;
}

VariableChange saveVariable(SQLite::Database& db, const Variable& v, int64_t provenanceId,
                            const std::string& effectiveDate, CodeListCache* cache) {
  VariableChange ch;
  ch.key = v.key();
  std::optional<CodeList> loaded;
  const CodeList* codes = nullptr;
  if (!v.codelist.empty()) {
    if (cache) {
      auto it = cache->find(v.codelist);
      if (it == cache->end()) it = cache->emplace(v.codelist, loadCodeList(db, v.codelist)).first;
      if (it->second) codes = &*it->second;
    } else if ((loaded = loadCodeList(db, v.codelist))) {
      codes = &*loaded;
    }
    if (!codes)
      throw invalid("codelist", "variable " + v.key() + " refers to code list '" + v.codelist +
                                    "', which does not exist");
  }
  const std::string effective = effectiveDate.empty() ? text::today() : effectiveDate;
  auto row = findVariable(db, v.register_id, v.dataset_id, v.name);
  if (!row) {
    Prepared ds(db, "SELECT 1 FROM dataset WHERE register_id = ? AND id = ?");
    ds.bind(1, v.register_id);
    ds.bind(2, v.dataset_id);
    if (!ds.executeStep())
      throw invalid("dataset",
                    "dataset '" + v.register_id + "/" + v.dataset_id + "' does not exist");
    Variable first = v;
    if (first.valid_from.empty()) first.valid_from = effective;
    Prepared s(db,
               "INSERT INTO variable(register_id, dataset_id, name, current_version, "
               "position) VALUES (?, ?, ?, 1, ?)");
    s.bind(1, v.register_id);
    s.bind(2, v.dataset_id);
    s.bind(3, v.name);
    s.bind(4, v.position);
    s.exec();
    const int64_t id = db.getLastInsertRowid();
    insertVersion(db, id, 1, first, provenanceId);
    indexVariable(db, id, first, codes, true);
    ch.change = "added";
    ch.new_version = 1;
    return ch;
  }
  auto cur = loadVariableVersion(db, row->id, row->current_version);
  ch.old_version = ch.new_version = cur->version;
  {
    Prepared pos(db, "UPDATE variable SET position = ? WHERE id = ? AND position <> ?");
    pos.bind(1, v.position);
    pos.bind(2, static_cast<int64_t>(row->id));
    pos.bind(3, v.position);
    pos.exec();
  }
  ch.fields = changedFields(*cur, v);
  const bool reopened = v.valid_to.empty() && !cur->valid_to.empty() && cur->valid_to < effective;
  if (ch.fields.empty() && !reopened) {
    if (!v.valid_to.empty() && v.valid_to != cur->valid_to) {
      // The source now says when the variable ended: close the current version in place.
      setValidTo(db, row->id, cur->version, std::max(v.valid_to, cur->valid_from));
      ch.fields.push_back("valid_to");
      ch.change = "changed";
      reindexVariable(db, row->id);
    } else {
      ch.change = "unchanged";
    }
    return ch;
  }
  if (reopened) ch.fields.push_back("valid_to");
  Variable next = v;
  next.valid_from =
      (!v.valid_from.empty() && v.valid_from > cur->valid_from) ? v.valid_from : effective;
  const std::string closeAt = std::max(cur->valid_from, text::addDays(next.valid_from, -1));
  if (cur->valid_to.empty() || cur->valid_to > closeAt)
    setValidTo(db, row->id, cur->version, closeAt);
  ch.new_version = cur->version + 1;
  insertVersion(db, row->id, ch.new_version, next, provenanceId);
  setCurrent(db, row->id, ch.new_version);
  indexVariable(db, row->id, next, codes, false);
  ch.change = "changed";
  return ch;
}

VariableChange closeVariable(SQLite::Database& db, int64_t variableId, const std::string& date) {
  VariableChange ch;
  Prepared s(db, "SELECT current_version FROM variable WHERE id = ?");
  s.bind(1, static_cast<int64_t>(variableId));
  if (!s.executeStep()) return ch;
  auto cur = loadVariableVersion(db, variableId, s.getColumn(0).getInt(), false);
  ch.key = cur->key();
  ch.old_version = ch.new_version = cur->version;
  // Every version still valid after the date ends on it. One that would only have started
  // later never takes effect: it ends the day before its start (an empty period), so that
  // nothing is valid after the closing date.
  int changed = 0;
  Prepared versions(db,
                    "SELECT version, valid_from FROM variable_version WHERE "
                    "variable_id = ? AND (valid_to = '' OR valid_to > ?)");
  versions.bind(1, static_cast<int64_t>(variableId));
  versions.bind(2, date);
  std::vector<std::pair<int, std::string>> open;
  while (versions.executeStep())
    open.emplace_back(versions.getColumn(0).getInt(), versions.getColumn(1).getString());
  for (const auto& [version, from] : open) {
    const std::string end = (!from.empty() && from > date) ? text::addDays(from, -1) : date;
    setValidTo(db, variableId, version, end);
    ++changed;
  }
  if (changed == 0) {
    ch.change = "unchanged";
    return ch;
  }
  reindexVariable(db, variableId);
  ch.change = "removed";
  return ch;
}

void reindexVariable(SQLite::Database& db, int64_t variableId) {
  Prepared s(db, "SELECT current_version FROM variable WHERE id = ?");
  s.bind(1, static_cast<int64_t>(variableId));
  if (!s.executeStep()) return;
  const int version = s.getColumn(0).getInt();
  s.reset();
  auto v = loadVariableVersion(db, variableId, version);
  std::optional<CodeList> codes;
  if (!v->codelist.empty()) codes = loadCodeList(db, v->codelist);
  indexVariable(db, variableId, *v, codes ? &*codes : nullptr, false);
}

namespace {
thread_local DeferredSearchIndex* tDeferred = nullptr;
}  // namespace

DeferredSearchIndex::DeferredSearchIndex(SQLite::Database& d) : db(d), previous_(tDeferred) {
  tDeferred = this;
}

DeferredSearchIndex::~DeferredSearchIndex() {
  tDeferred = previous_;
}

void DeferredSearchIndex::flush() {
  if (rows.empty()) return;
  db.exec(
      "CREATE TEMP TABLE IF NOT EXISTS pending_variable_fts(id INTEGER PRIMARY KEY, c1, c2, c3, "
      "c4, c5, c6, c7, c8)");
  {
    Prepared ins(db, "INSERT INTO temp.pending_variable_fts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& r : rows) {
      ins.reset();
      ins.bind(1, static_cast<int64_t>(r.id));
      for (int i = 0; i < 8; ++i) ins.bind(i + 2, r.columns[i]);
      ins.exec();
    }
  }
  db.exec(
      "INSERT INTO variable_fts(rowid, main_exact, main_folded, main_infix, text_exact, "
      "text_folded, text_infix, label_exact, label_folded) SELECT id, c1, c2, c3, c4, c5, c6, c7, "
      "c8 FROM temp.pending_variable_fts ORDER BY id");
  db.exec("DELETE FROM temp.pending_variable_fts");
  rows.clear();
  index.clear();
}

void indexVariable(SQLite::Database& db, int64_t variableId, const Variable& v,
                   const CodeList* codes, bool fresh) {
  DeferredSearchIndex* deferred = tDeferred && &tDeferred->db == &db ? tDeferred : nullptr;
  if (!fresh) {
    Prepared del(db, "DELETE FROM variable_fts WHERE rowid = ?");
    del.bind(1, static_cast<int64_t>(variableId));
    del.exec();
  }
  std::vector<std::string> main = {v.name, v.label.sv, v.label.en};
  main.insert(main.end(), v.aliases.begin(), v.aliases.end());
  std::vector<std::string> other = {v.definition.sv, v.definition.en, v.question.sv, v.question.en,
                                    v.calculation};
  if (codes)
    for (const auto& item : codes->items) {
      other.push_back(item.label.sv);
      other.push_back(item.label.en);
    }
  for (const auto& m : v.missing_codes) other.push_back(m.label.sv);
  IndexedText a = indexText(main), b = indexText(other);
  // Compound parts are searched in names and labels only: suffixes of every word of long
  // definitions would triple the index (and the import time) for matches that rank last anyway.
  b.infix.clear();
  const IndexedText labels = indexText({v.label.sv, v.label.en});
  if (deferred) {
    // A later row for the same variable (reindexed in the same import) replaces the earlier.
    auto [it, added] = deferred->index.emplace(variableId, deferred->rows.size());
    if (added) deferred->rows.push_back({variableId, {}});
    auto& c = deferred->rows[it->second].columns;
    c[0] = std::move(a.exact);
    c[1] = std::move(a.folded);
    c[2] = std::move(a.infix);
    c[3] = std::move(b.exact);
    c[4] = std::move(b.folded);
    c[5] = std::move(b.infix);
    c[6] = labels.exact;
    c[7] = labels.folded;
    return;
  }
  Prepared ins(db,
               "INSERT INTO variable_fts(rowid, main_exact, main_folded, main_infix, "
               "text_exact, text_folded, text_infix, label_exact, label_folded) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, static_cast<int64_t>(variableId));
  ins.bind(2, a.exact);
  ins.bind(3, a.folded);
  ins.bind(4, a.infix);
  ins.bind(5, b.exact);
  ins.bind(6, b.folded);
  ins.bind(7, b.infix);
  ins.bind(8, labels.exact);
  ins.bind(9, labels.folded);
  ins.exec();
}

void reindexVariablesUsingCodeList(SQLite::Database& db, const std::string& codelistId) {
  Prepared s(db,
             "SELECT v.id FROM variable v JOIN variable_version vv ON "
             "vv.variable_id = v.id AND vv.version = v.current_version WHERE "
             "vv.codelist_id = ?");
  s.bind(1, codelistId);
  std::vector<int64_t> ids;
  while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
  for (auto id : ids) reindexVariable(db, id);
}

}  // namespace detail

std::optional<Variable> Store::getVariable(const std::string& registerId,
                                           const std::string& datasetId, const std::string& name,
                                           const std::string& at) {
  ReadLease l(*pool_);
  return detail::loadVariable(l.db(), registerId, datasetId, name, at);
}

std::vector<Variable> Store::variableHistory(const std::string& registerId,
                                             const std::string& datasetId,
                                             const std::string& name) {
  ReadLease l(*pool_);
  return detail::loadVariableHistory(l.db(), registerId, datasetId, name);
}

std::vector<Variable> Store::listVariables(const std::string& registerId,
                                           const std::string& datasetId, bool includeClosed) {
  ReadLease l(*pool_);
  std::string sql = std::string(detail::kVersionColumns) +
                    "JOIN dataset d ON d.register_id = v.register_id AND d.id = v.dataset_id "
                    "WHERE vv.version = v.current_version AND v.register_id = ?";
  if (!datasetId.empty()) sql += " AND v.dataset_id = ?";
  if (!includeClosed) sql += " AND (vv.valid_to = '' OR vv.valid_to >= ?)";
  sql += " ORDER BY d.position, v.position, v.name";
  SQLite::Statement s(l.db(), sql);
  int i = 0;
  s.bind(++i, registerId);
  if (!datasetId.empty()) s.bind(++i, datasetId);
  if (!includeClosed) s.bind(++i, text::today());
  std::vector<Variable> out;
  detail::ProvenanceCache provenance;
  while (s.executeStep()) out.push_back(detail::readVersion(l.db(), s, true, &provenance));
  return out;
}

Variable Store::createVariable(Variable v, const WriteContext& ctx) {
  detail::validateVariable(v, "");
  WriteTx tx(*pool_);
  if (!detail::registerExists(tx.db(), v.register_id))
    throw invalid("register", "register '" + v.register_id + "' does not exist");
  if (!detail::loadDataset(tx.db(), v.register_id, v.dataset_id))
    throw invalid("dataset", "dataset '" + v.register_id + "/" + v.dataset_id + "' does not exist");
  if (detail::findVariable(tx.db(), v.register_id, v.dataset_id, v.name))
    throw conflict("name", "variable '" + v.key() + "' already exists");
  SQLite::Statement n(tx.db(),
                      "SELECT count(*) FROM variable WHERE register_id = ? AND dataset_id = ?");
  n.bind(1, v.register_id);
  n.bind(2, v.dataset_id);
  n.executeStep();
  v.position = n.getColumn(0).getInt();
  detail::saveVariable(tx.db(), v, detail::insertProvenance(tx.db(), ctx), {});
  auto out = detail::loadVariable(tx.db(), v.register_id, v.dataset_id, v.name);
  tx.commit();
  return *out;
}

Variable Store::updateVariable(const std::string& registerId, const std::string& datasetId,
                               const std::string& name, Variable v, const WriteContext& ctx,
                               const std::string& effectiveDate, int expectedRevision) {
  if (v.register_id.empty()) v.register_id = registerId;
  if (v.dataset_id.empty()) v.dataset_id = datasetId;
  if (v.name.empty()) v.name = name;
  if (v.register_id != registerId || v.dataset_id != datasetId || v.name != name)
    throw invalid("name", "the register, dataset and name in the body differ from the URL");
  if (!effectiveDate.empty() && !isValidDate(effectiveDate))
    throw invalid("effective_date", "'" + effectiveDate + "' is not a date (YYYY-MM-DD)");
  detail::validateVariable(v, "");
  WriteTx tx(*pool_);
  auto row = detail::findVariable(tx.db(), registerId, datasetId, name);
  if (!row)
    throw notFound("", "variable '" + registerId + "/" + datasetId + "/" + name + "' not found");
  const auto cur = detail::loadVariableVersion(tx.db(), row->id, row->current_version, false);
  detail::checkRevision("variable '" + cur->key() + "'", cur->revision, expectedRevision);
  v.position = cur->position;
  detail::saveVariable(tx.db(), v, detail::insertProvenance(tx.db(), ctx), effectiveDate);
  auto out = detail::loadVariable(tx.db(), registerId, datasetId, name);
  tx.commit();
  return *out;
}

Variable Store::retireVariable(const std::string& registerId, const std::string& datasetId,
                               const std::string& name, const WriteContext& ctx,
                               const std::string& date, int expectedRevision) {
  (void)ctx;
  const std::string when = date.empty() ? text::today() : date;
  if (!isValidDate(when)) throw invalid("date", "'" + when + "' is not a date (YYYY-MM-DD)");
  WriteTx tx(*pool_);
  auto row = detail::findVariable(tx.db(), registerId, datasetId, name);
  if (!row)
    throw notFound("", "variable '" + registerId + "/" + datasetId + "/" + name + "' not found");
  if (expectedRevision > 0)
    detail::checkRevision(
        "variable '" + registerId + "/" + datasetId + "/" + name + "'",
        detail::loadVariableVersion(tx.db(), row->id, row->current_version, false)->revision,
        expectedRevision);
  detail::closeVariable(tx.db(), row->id, when);
  auto out = detail::loadVariableVersion(tx.db(), row->id, row->current_version);
  tx.commit();
  return *out;
}

}  // namespace regcat
