// The catalogue's SQLite store. One Store per database file; safe to share between threads:
// reads use a pool of connections (WAL lets them run beside a writer), writes are serialised
// on one connection and each public write is exactly one transaction.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "catalog/search.h"

namespace SQLite {
class Database;
}

namespace regcat {

struct RegisterSummary {
  std::string id;
  Text name;
  std::string short_name, cpua, register_centre, certification_level;
  int datasets = 0, variables = 0;
};

// Who performed a write and how; recorded as provenance of every object it creates.
struct WriteContext {
  std::string actor = "system";
  std::string format = "api";
  std::string source_file, sha256;
};

struct ImportOptions {
  bool dry_run = false;
  // The date a changed definition takes effect: the old version is closed the day before.
  std::string effective_date;  // default: today
  // Registers in the document are replaced field by field when they exist already.
  bool update_registers = true;
  // Variables of an imported dataset that the document no longer lists are closed.
  bool close_missing = true;
  // A variable import may create its register before anyone has said who its CPUA is; the
  // report then carries a warning and the register must be completed.
  bool require_cpua = true;
};

struct VariableChange {
  std::string key, change;  // change: added, changed, removed, unchanged
  std::vector<std::string> fields;
  int old_version = 0, new_version = 0;
};

struct CodeListChange {
  std::string id, change;  // added, changed, unchanged
  std::vector<std::string> added_codes, removed_codes, changed_codes;
  int old_version = 0, new_version = 0;
};

struct ImportReport {
  bool dry_run = false;
  std::vector<std::string> registers_created, registers_updated;
  std::vector<std::string> datasets_created;
  std::vector<VariableChange> variables;
  std::vector<CodeListChange> codelists;
  std::vector<std::string> warnings;
  int count(const std::string& change) const;
};

// Records who wrote what, for writes that other modules make inside Store::write; returns the
// provenance id their rows refer to.
int64_t recordProvenance(SQLite::Database& db, const WriteContext& ctx);
// Names who the audit trail credits with the rest of the current write transaction.
void setAuditActor(SQLite::Database& db, const std::string& actor);

class Store {
 public:
  // Opens (creating if needed) and migrates the database.
  explicit Store(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }
  int schemaVersion();
  static int latestSchemaVersion();
  std::optional<std::string> meta(const std::string& key);
  void setMeta(const std::string& key, const std::string& value);

  // Registers
  std::vector<RegisterSummary> listRegisters();
  std::optional<Register> getRegister(const std::string& id);
  Register createRegister(Register r, const WriteContext& ctx);
  // expectedRevision (optimistic concurrency, the API's If-Match): 0 = any; otherwise the
  // stored revision is compared inside the write transaction and a different one throws
  // Error::Kind::Stale without changing anything. The same holds for every update and delete
  // below.
  Register updateRegister(const std::string& id, Register r, const WriteContext& ctx,
                          int expectedRevision = 0);
  void deleteRegister(const std::string& id, const std::string& actor = "system",
                      int expectedRevision = 0);

  // Datasets
  std::vector<Dataset> listDatasets(const std::string& registerId);
  // Current (open) variables per dataset of a register, in one query.
  std::map<std::string, int> variableCounts(const std::string& registerId);
  std::optional<Dataset> getDataset(const std::string& registerId, const std::string& id);
  Dataset createDataset(Dataset d, const WriteContext& ctx);
  Dataset updateDataset(const std::string& registerId, const std::string& id, Dataset d,
                        const WriteContext& ctx, int expectedRevision = 0);
  void deleteDataset(const std::string& registerId, const std::string& id,
                     const std::string& actor = "system", int expectedRevision = 0);

  // Variables. `at` (YYYY-MM-DD) selects the version valid on that date; empty = latest.
  std::optional<Variable> getVariable(const std::string& registerId, const std::string& datasetId,
                                      const std::string& name, const std::string& at = {});
  std::vector<Variable> variableHistory(const std::string& registerId, const std::string& datasetId,
                                        const std::string& name);
  // Latest versions of a dataset's (or a register's) variables, in display order.
  std::vector<Variable> listVariables(const std::string& registerId,
                                      const std::string& datasetId = {},
                                      bool includeClosed = false);
  Variable createVariable(Variable v, const WriteContext& ctx);
  // Creates a new version when the definition changed; returns the latest version.
  Variable updateVariable(const std::string& registerId, const std::string& datasetId,
                          const std::string& name, Variable v, const WriteContext& ctx,
                          const std::string& effectiveDate = {}, int expectedRevision = 0);
  // Closes the variable (valid_to); its versions stay readable.
  Variable retireVariable(const std::string& registerId, const std::string& datasetId,
                          const std::string& name, const WriteContext& ctx,
                          const std::string& date = {}, int expectedRevision = 0);

  // Code lists
  std::vector<CodeList> listCodeLists(const std::string& registerId = {});
  std::optional<CodeList> getCodeList(const std::string& id, const std::string& at = {});
  std::vector<CodeList> codeListHistory(const std::string& id);
  CodeList createCodeList(CodeList c, const WriteContext& ctx);
  CodeList updateCodeList(const std::string& id, CodeList c, const WriteContext& ctx,
                          int expectedRevision = 0);
  void deleteCodeList(const std::string& id, const std::string& actor = "system",
                      int expectedRevision = 0);

  // Applies an importer's output as one transaction (rolled back when dry_run).
  ImportReport applyImport(const CatalogDocument& doc, const ImportOptions& opt,
                           const WriteContext& ctx);

  SearchResult searchVariables(const VariableQuery& q);

  // Access for the other modules' tables (terminology, mappings), which live in the same file
  // and schema: `read` runs fn on a pooled read connection; `write` runs fn inside the single
  // write transaction and commits when fn returns (rolls back when it throws).
  void read(const std::function<void(SQLite::Database&)>& fn);
  void write(const std::function<void(SQLite::Database&)>& fn);

  // Online backup (SQLite backup API) to a new file.
  void backup(const std::string& destination);
  // Replaces the whole database with a backup, in one transaction, after checking that the
  // backup passes integrity_check and is of a schema version this binary knows. Other
  // processes must not have the database open (their caches would be stale): stop the server.
  void restore(const std::string& source);
  // Throws Invalid naming the file unless it is a sound regcat database of a known schema.
  static void verifyBackup(const std::string& source);
  // PRAGMA integrity_check; returns "ok" or the problems found.
  std::string integrityCheck();

  struct Pool;  // connections; defined in store_internal.h

 private:
  std::string path_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace regcat
