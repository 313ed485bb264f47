// Shared by the store_*.cpp files only: the connection pool and row <-> struct helpers.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/store.h"

namespace regcat {

struct SearchSnapshot;  // store_search.cpp

struct Store::Pool {
  std::string path;
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::unique_ptr<SQLite::Database>> idle;
  int created = 0;
  int max = 8;
  std::mutex writeMutex;
  std::unique_ptr<SQLite::Database> writer;
  std::shared_ptr<const SearchSnapshot> searchSnapshot;  // guarded by m
};

std::unique_ptr<SQLite::Database> openConnection(const std::string& path);

// A read connection borrowed from the pool for the lifetime of the lease.
class ReadLease {
 public:
  explicit ReadLease(Store::Pool& pool);
  ~ReadLease();
  SQLite::Database& db() { return *db_; }

 private:
  Store::Pool& pool_;
  std::unique_ptr<SQLite::Database> db_;
};

// The write connection, held exclusively, with one open IMMEDIATE transaction that commits
// only when commit() is called.
class WriteTx {
 public:
  explicit WriteTx(Store::Pool& pool);
  ~WriteTx();
  SQLite::Database& db() { return *pool_.writer; }
  void commit();

 private:
  Store::Pool& pool_;
  std::unique_lock<std::mutex> lock_;
  bool done_ = false;
};

namespace detail {

// A prepared statement from the connection's cache, reset when it goes out of scope (an
// un-reset SELECT would keep its read snapshot open). Preparing costs more than running most
// of the store's statements, which matters for imports of tens of thousands of variables. A
// statement already in use (a nested call with the same SQL) gets a fresh one instead.
class Prepared {
 public:
  Prepared(SQLite::Database& db, const std::string& sql);
  ~Prepared();
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;

  operator SQLite::Statement&() { return *s_; }
  SQLite::Statement& get() { return *s_; }
  template <typename T>
  void bind(int i, T&& v) {
    s_->bind(i, std::forward<T>(v));
  }
  void bind(int i) { s_->bind(i); }
  int exec() { return s_->exec(); }
  bool executeStep() { return s_->executeStep(); }
  SQLite::Column getColumn(int i) { return s_->getColumn(i); }
  void reset() { s_->reset(); }

 private:
  SQLite::Statement* s_ = nullptr;
  std::unique_ptr<SQLite::Statement> own_;
  bool* inUse_ = nullptr;
};
// Drops the cached statements of a connection before it closes.
void dropPrepared(SQLite::Database& db);

std::string col(SQLite::Statement& s, int i);
std::optional<double> optDouble(SQLite::Statement& s, int i);
void bindOptDouble(SQLite::Statement& s, int i, const std::optional<double>& v);

// Optimistic concurrency: throws Error::Kind::Stale ("If-Match") when expected > 0 and differs
// from the stored revision. Called inside the write transaction, before anything is written.
void checkRevision(const std::string& what, int current, int expected);

int64_t insertProvenance(SQLite::Database& db, const WriteContext& ctx);
Provenance loadProvenance(SQLite::Database& db, int64_t id);

bool registerExists(SQLite::Database& db, const std::string& id);
std::optional<Register> loadRegister(SQLite::Database& db, const std::string& id);
void saveRegister(SQLite::Database& db, const Register& r, int64_t provenanceId, bool insert);

std::optional<Dataset> loadDataset(SQLite::Database& db, const std::string& reg,
                                   const std::string& id);
std::vector<Dataset> loadDatasets(SQLite::Database& db, const std::string& reg);
void saveDataset(SQLite::Database& db, const Dataset& d, int64_t provenanceId, bool insert);

std::optional<CodeList> loadCodeList(SQLite::Database& db, const std::string& id,
                                     const std::string& at = {});
std::vector<CodeList> loadCodeListHistory(SQLite::Database& db, const std::string& id);
// Inserts a new version when content changed (or the list is new); returns the version in force.
CodeListChange saveCodeList(SQLite::Database& db, const CodeList& c, int64_t provenanceId);
// Appends the audit entry of a code list change (versions 0 = none).
void auditCodeList(SQLite::Database& db, const std::string& id, const char* action, int before,
                   int after);

struct VariableRow {
  int64_t id = 0;
  int current_version = 0;
};
std::optional<VariableRow> findVariable(SQLite::Database& db, const std::string& reg,
                                        const std::string& ds, const std::string& name);
std::optional<Variable> loadVariableVersion(SQLite::Database& db, int64_t variableId, int version,
                                            bool full = true);
std::optional<Variable> loadVariable(SQLite::Database& db, const std::string& reg,
                                     const std::string& ds, const std::string& name,
                                     const std::string& at = {});
std::vector<Variable> loadVariableHistory(SQLite::Database& db, const std::string& reg,
                                          const std::string& ds, const std::string& name);
// Writes v as a new variable or a new version of an existing one when its definition changed.
// Code lists looked up during one import, so that 50,000 variables sharing a few lists do not
// load them 50,000 times. Only valid inside one transaction.
using CodeListCache = std::map<std::string, std::optional<CodeList>>;
VariableChange saveVariable(SQLite::Database& db, const Variable& v, int64_t provenanceId,
                            const std::string& effectiveDate, CodeListCache* cache = nullptr);
VariableChange closeVariable(SQLite::Database& db, int64_t variableId, const std::string& date);
void reindexVariable(SQLite::Database& db, int64_t variableId);
// Writes the index row of a variable whose latest version is v (with its code list, if any);
// `fresh` when it has none yet.
void indexVariable(SQLite::Database& db, int64_t variableId, const Variable& v,
                   const CodeList* codes, bool fresh);
void reindexVariablesUsingCodeList(SQLite::Database& db, const std::string& codelistId);

// While one is alive on this thread for `db`, indexVariable collects the search rows of an
// import instead of inserting them one statement at a time, and flush() inserts them all with
// one statement. Why: every statement that may abort opens a statement savepoint, and FTS5
// writes its pending rows out as a new segment at each savepoint; with the audit triggers on
// variable versions that made every variable its own index segment (a third of an import's
// time, and merges later). Rows not flushed are dropped with the transaction.
class DeferredSearchIndex {
 public:
  explicit DeferredSearchIndex(SQLite::Database& db);
  ~DeferredSearchIndex();
  DeferredSearchIndex(const DeferredSearchIndex&) = delete;
  DeferredSearchIndex& operator=(const DeferredSearchIndex&) = delete;
  void flush();

  struct Row {
    int64_t id;
    std::string columns[8];
  };
  SQLite::Database& db;
  std::vector<Row> rows;
  std::unordered_map<int64_t, size_t> index;  // variable id -> position in rows

 private:
  DeferredSearchIndex* previous_;
};

// Semantic checks that need the database (code list references, datatype rules).
void validateRegister(const Register& r, const std::string& where, bool requireCpua = true);
void validateDataset(const Dataset& d, const std::string& where);
void validateCodeList(const CodeList& c, const std::string& where);
void validateVariable(const Variable& v, const std::string& where);

}  // namespace detail
}  // namespace regcat
