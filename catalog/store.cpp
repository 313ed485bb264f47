#include "catalog/store.h"

#include <sqlite3.h>

#include <mutex>
#include <unordered_map>

#include "catalog/errors.h"
#include "catalog/migrations.h"
#include "catalog/store_internal.h"
#include "catalog/text.h"

namespace regcat {
namespace {

int svCollation(void*, int alen, const void* a, int blen, const void* b) {
  return text::collate(std::string_view(static_cast<const char*>(a), size_t(alen)),
                       std::string_view(static_cast<const char*>(b), size_t(blen)));
}

struct CachedStatement {
  std::unique_ptr<SQLite::Statement> stmt;
  bool inUse = false;
};
std::mutex gPreparedMutex;
std::unordered_map<sqlite3*, std::unordered_map<std::string, CachedStatement>> gPrepared;

}  // namespace

namespace detail {

Prepared::Prepared(SQLite::Database& db, const std::string& sql) {
  {
    std::lock_guard lock(gPreparedMutex);
    auto& c = gPrepared[db.getHandle()][sql];
    if (!c.inUse) {
      if (!c.stmt) c.stmt = std::make_unique<SQLite::Statement>(db, sql);
      c.inUse = true;
      s_ = c.stmt.get();
      inUse_ = &c.inUse;
      return;
    }
  }
  own_ = std::make_unique<SQLite::Statement>(db, sql);
  s_ = own_.get();
}

Prepared::~Prepared() {
  if (!inUse_) return;
  try {
    s_->reset();  // every use binds all its parameters, so bindings need no clearing
  } catch (...) {
  }
  std::lock_guard lock(gPreparedMutex);
  *inUse_ = false;
}

void dropPrepared(SQLite::Database& db) {
  std::lock_guard lock(gPreparedMutex);
  gPrepared.erase(db.getHandle());
}

}  // namespace detail

std::unique_ptr<SQLite::Database> openConnection(const std::string& path) {
  // NOMUTEX: a connection is only ever used by the thread that leased it from the pool.
  auto db = std::make_unique<SQLite::Database>(
      path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
  db->setBusyTimeout(10000);
  db->exec("PRAGMA foreign_keys = ON");
  db->exec("PRAGMA journal_mode = WAL");
  // FULL: a commit is on disk before the API acknowledges it, so that not even a power cut
  // loses an acknowledged write (NORMAL in WAL mode survives process crashes only). Writes
  // are imports and edits, one transaction each; one fsync per commit costs them little.
  db->exec("PRAGMA synchronous = FULL");
  sqlite3_create_collation_v2(db->getHandle(), "sv", SQLITE_UTF8, nullptr, svCollation, nullptr);
  return db;
}

ReadLease::ReadLease(Store::Pool& pool) : pool_(pool) {
  std::unique_lock lock(pool_.m);
  pool_.cv.wait(lock, [&] { return !pool_.idle.empty() || pool_.created < pool_.max; });
  if (!pool_.idle.empty()) {
    db_ = std::move(pool_.idle.back());
    pool_.idle.pop_back();
    return;
  }
  ++pool_.created;
  lock.unlock();
  try {
    db_ = openConnection(pool_.path);
  } catch (...) {
    std::lock_guard relock(pool_.m);
    --pool_.created;
    pool_.cv.notify_one();
    throw;
  }
}

ReadLease::~ReadLease() {
  std::lock_guard lock(pool_.m);
  pool_.idle.push_back(std::move(db_));
  pool_.cv.notify_one();
}

WriteTx::WriteTx(Store::Pool& pool) : pool_(pool), lock_(pool.writeMutex) {
  pool_.writer->exec("BEGIN IMMEDIATE");
  // Each transaction names its actor afresh (insertProvenance, setAuditActor), so that the
  // audit trail never credits one write to the author of the one before.
  pool_.writer->exec("UPDATE audit_context SET actor = '' WHERE id = 1");
}

WriteTx::~WriteTx() {
  if (!done_) {
    try {
      pool_.writer->exec("ROLLBACK");
    } catch (...) {
    }
  }
}

void WriteTx::commit() {
  pool_.writer->exec("COMMIT");
  done_ = true;
}

int ImportReport::count(const std::string& change) const {
  int n = 0;
  for (const auto& v : variables) n += v.change == change;
  return n;
}

Store::Store(const std::string& path) : path_(path), pool_(std::make_unique<Pool>()) {
  pool_->path = path;
  pool_->writer = openConnection(path);
  migrate(*pool_->writer);
}

Store::~Store() {
  // Cached statements belong to their connections and must be finalised before them.
  if (pool_->writer) detail::dropPrepared(*pool_->writer);
  for (auto& c : pool_->idle) detail::dropPrepared(*c);
}

int Store::schemaVersion() {
  ReadLease l(*pool_);
  return l.db().execAndGet("PRAGMA user_version").getInt();
}

int Store::latestSchemaVersion() {
  return regcat::latestSchemaVersion();
}

std::optional<std::string> Store::meta(const std::string& key) {
  ReadLease l(*pool_);
  SQLite::Statement s(l.db(), "SELECT value FROM meta WHERE key = ?");
  s.bind(1, key);
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getString();
}

void Store::setMeta(const std::string& key, const std::string& value) {
  WriteTx tx(*pool_);
  SQLite::Statement s(tx.db(),
                      "INSERT INTO meta(key, value) VALUES (?, ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  s.bind(1, key);
  s.bind(2, value);
  s.exec();
  tx.commit();
}

std::vector<RegisterSummary> Store::listRegisters() {
  ReadLease l(*pool_);
  SQLite::Statement s(l.db(), R"SQL(
    SELECT r.id, r.name_sv, r.name_en, r.short_name, r.cpua_name, r.register_centre,
           r.certification_level,
           (SELECT count(*) FROM dataset d WHERE d.register_id = r.id),
           (SELECT count(*) FROM variable v JOIN variable_version vv
              ON vv.variable_id = v.id AND vv.version = v.current_version
            WHERE v.register_id = r.id AND (vv.valid_to = '' OR vv.valid_to >= ?))
    FROM register r ORDER BY r.name_sv COLLATE sv, r.id)SQL");
  s.bind(1, text::today());
  std::vector<RegisterSummary> out;
  while (s.executeStep()) {
    RegisterSummary r;
    r.id = detail::col(s, 0);
    r.name = {detail::col(s, 1), detail::col(s, 2)};
    r.short_name = detail::col(s, 3);
    r.cpua = detail::col(s, 4);
    r.register_centre = detail::col(s, 5);
    r.certification_level = detail::col(s, 6);
    r.datasets = s.getColumn(7).getInt();
    r.variables = s.getColumn(8).getInt();
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<Register> Store::getRegister(const std::string& id) {
  ReadLease l(*pool_);
  return detail::loadRegister(l.db(), id);
}

Register Store::createRegister(Register r, const WriteContext& ctx) {
  detail::validateRegister(r, "");
  WriteTx tx(*pool_);
  if (detail::registerExists(tx.db(), r.id))
    throw conflict("id", "register '" + r.id + "' already exists");
  detail::saveRegister(tx.db(), r, detail::insertProvenance(tx.db(), ctx), true);
  auto out = detail::loadRegister(tx.db(), r.id);
  tx.commit();
  return *out;
}

Register Store::updateRegister(const std::string& id, Register r, const WriteContext& ctx,
                               int expectedRevision) {
  if (r.id.empty()) r.id = id;
  if (r.id != id) throw invalid("id", "the id in the body ('" + r.id + "') differs from the URL");
  detail::validateRegister(r, "");
  WriteTx tx(*pool_);
  auto old = detail::loadRegister(tx.db(), id);
  if (!old) throw notFound("", "register '" + id + "' not found");
  detail::checkRevision("register '" + id + "'", old->revision, expectedRevision);
  detail::saveRegister(tx.db(), r, detail::insertProvenance(tx.db(), ctx), false);
  auto out = detail::loadRegister(tx.db(), id);
  tx.commit();
  return *out;
}

void Store::deleteRegister(const std::string& id, const std::string& actor, int expectedRevision) {
  WriteTx tx(*pool_);
  setAuditActor(tx.db(), actor);
  auto old = detail::loadRegister(tx.db(), id);
  if (!old) throw notFound("", "register '" + id + "' not found");
  detail::checkRevision("register '" + id + "'", old->revision, expectedRevision);
  // Remove index rows first: the FTS table has no foreign key to cascade from.
  SQLite::Statement fts(tx.db(),
                        "DELETE FROM variable_fts WHERE rowid IN "
                        "(SELECT id FROM variable WHERE register_id = ?)");
  fts.bind(1, id);
  fts.exec();
  SQLite::Statement del(tx.db(), "DELETE FROM register WHERE id = ?");
  del.bind(1, id);
  try {
    del.exec();
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_CONSTRAINT)
      throw conflict("",
                     "register '" + id + "' has code lists used by variables of other registers");
    throw;
  }
  tx.commit();
}

std::vector<Dataset> Store::listDatasets(const std::string& registerId) {
  ReadLease l(*pool_);
  if (!detail::registerExists(l.db(), registerId))
    throw notFound("", "register '" + registerId + "' not found");
  return detail::loadDatasets(l.db(), registerId);
}

std::map<std::string, int> Store::variableCounts(const std::string& registerId) {
  ReadLease l(*pool_);
  SQLite::Statement s(l.db(),
                      "SELECT v.dataset_id, count(*) FROM variable v JOIN "
                      "variable_version vv ON vv.variable_id = v.id AND vv.version = "
                      "v.current_version WHERE v.register_id = ? AND (vv.valid_to = '' "
                      "OR vv.valid_to >= ?) GROUP BY v.dataset_id");
  s.bind(1, registerId);
  s.bind(2, text::today());
  std::map<std::string, int> out;
  while (s.executeStep()) out[detail::col(s, 0)] = s.getColumn(1).getInt();
  return out;
}

std::optional<Dataset> Store::getDataset(const std::string& registerId, const std::string& id) {
  ReadLease l(*pool_);
  return detail::loadDataset(l.db(), registerId, id);
}

Dataset Store::createDataset(Dataset d, const WriteContext& ctx) {
  detail::validateDataset(d, "");
  WriteTx tx(*pool_);
  if (!detail::registerExists(tx.db(), d.register_id))
    throw notFound("", "register '" + d.register_id + "' not found");
  if (detail::loadDataset(tx.db(), d.register_id, d.id))
    throw conflict("id", "dataset '" + d.register_id + "/" + d.id + "' already exists");
  d.position = int(detail::loadDatasets(tx.db(), d.register_id).size());
  detail::saveDataset(tx.db(), d, detail::insertProvenance(tx.db(), ctx), true);
  auto out = detail::loadDataset(tx.db(), d.register_id, d.id);
  tx.commit();
  return *out;
}

Dataset Store::updateDataset(const std::string& registerId, const std::string& id, Dataset d,
                             const WriteContext& ctx, int expectedRevision) {
  if (d.id.empty()) d.id = id;
  if (d.register_id.empty()) d.register_id = registerId;
  if (d.id != id || d.register_id != registerId)
    throw invalid("id", "the id in the body differs from the URL");
  detail::validateDataset(d, "");
  WriteTx tx(*pool_);
  auto old = detail::loadDataset(tx.db(), registerId, id);
  if (!old) throw notFound("", "dataset '" + registerId + "/" + id + "' not found");
  detail::checkRevision("dataset '" + registerId + "/" + id + "'", old->revision, expectedRevision);
  d.position = old->position;
  detail::saveDataset(tx.db(), d, detail::insertProvenance(tx.db(), ctx), false);
  auto out = detail::loadDataset(tx.db(), registerId, id);
  tx.commit();
  return *out;
}

void Store::deleteDataset(const std::string& registerId, const std::string& id,
                          const std::string& actor, int expectedRevision) {
  WriteTx tx(*pool_);
  setAuditActor(tx.db(), actor);
  auto old = detail::loadDataset(tx.db(), registerId, id);
  if (!old) throw notFound("", "dataset '" + registerId + "/" + id + "' not found");
  detail::checkRevision("dataset '" + registerId + "/" + id + "'", old->revision, expectedRevision);
  SQLite::Statement fts(tx.db(),
                        "DELETE FROM variable_fts WHERE rowid IN (SELECT id FROM variable "
                        "WHERE register_id = ? AND dataset_id = ?)");
  fts.bind(1, registerId);
  fts.bind(2, id);
  fts.exec();
  SQLite::Statement del(tx.db(), "DELETE FROM dataset WHERE register_id = ? AND id = ?");
  del.bind(1, registerId);
  del.bind(2, id);
  del.exec();
  tx.commit();
}

int64_t recordProvenance(SQLite::Database& db, const WriteContext& ctx) {
  return detail::insertProvenance(db, ctx);
}

void setAuditActor(SQLite::Database& db, const std::string& actor) {
  detail::Prepared s(db, "UPDATE audit_context SET actor = ? WHERE id = 1");
  s.bind(1, actor);
  s.exec();
}

void Store::read(const std::function<void(SQLite::Database&)>& fn) {
  ReadLease l(*pool_);
  fn(l.db());
}

void Store::write(const std::function<void(SQLite::Database&)>& fn) {
  WriteTx tx(*pool_);
  fn(tx.db());
  tx.commit();
}

void Store::backup(const std::string& destination) {
  ReadLease l(*pool_);
  SQLite::Database dest(destination, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  sqlite3_backup* b = sqlite3_backup_init(dest.getHandle(), "main", l.db().getHandle(), "main");
  if (!b) throw Error(Error::Kind::Internal, destination, sqlite3_errmsg(dest.getHandle()));
  int rc;
  // Copy in steps so that writers are not held off for the whole copy.
  while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
         rc == SQLITE_LOCKED)
    sqlite3_sleep(5);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE)
    throw Error(Error::Kind::Internal, destination,
                std::string("backup failed: ") + sqlite3_errstr(rc));
}

void Store::verifyBackup(const std::string& source) {
  SQLite::Database src(source, SQLite::OPEN_READONLY);
  try {
    SQLite::Statement s(src, "PRAGMA integrity_check");
    if (!s.executeStep() || s.getColumn(0).getString() != "ok")
      throw invalid(source, "the backup fails PRAGMA integrity_check; nothing was restored");
    SQLite::Statement v(src, "PRAGMA user_version");
    v.executeStep();
    if (v.getColumn(0).getInt() < 1 || v.getColumn(0).getInt() > latestSchemaVersion())
      throw invalid(source, "not a regcat database of a known schema version (" +
                                std::to_string(v.getColumn(0).getInt()) + ")");
  } catch (const SQLite::Exception& e) {
    throw invalid(source, std::string("not a readable SQLite database: ") + e.what());
  }
}

void Store::restore(const std::string& source) {
  // The backup is checked before anything is touched.
  verifyBackup(source);
  SQLite::Database src(source, SQLite::OPEN_READONLY);
  SQLite::Database dest(path_, SQLite::OPEN_READWRITE);
  dest.exec("PRAGMA busy_timeout = 5000");
  sqlite3_backup* b = sqlite3_backup_init(dest.getHandle(), "main", src.getHandle(), "main");
  if (!b) throw Error(Error::Kind::Internal, path_, sqlite3_errmsg(dest.getHandle()));
  // One step: the destination is replaced as a whole, in one transaction.
  const int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE)
    throw Error(Error::Kind::Internal, path_, std::string("restore failed: ") + sqlite3_errstr(rc));
}

std::string Store::integrityCheck() {
  ReadLease l(*pool_);
  SQLite::Statement s(l.db(), "PRAGMA integrity_check");
  std::string out;
  while (s.executeStep()) {
    if (!out.empty()) out += "\n";
    out += s.getColumn(0).getString();
  }
  SQLite::Statement fk(l.db(), "PRAGMA foreign_key_check");
  while (fk.executeStep()) out += "\nforeign key violation in " + fk.getColumn(0).getString();
  return out;
}

}  // namespace regcat
