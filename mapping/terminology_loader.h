// Writing one code system release into the store, row by row, inside the caller's write
// transaction (Store::write). Importers (RF2, ICD-10-SE, KVÅ, ATC, NI) drive it; it knows the
// tables, not the file formats. A release whose system, version and content hash are already
// loaded is skipped; a release with the same version but other content replaces the old one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace regcat {

struct WriteContext;

struct ReleaseInfo {
  std::string system, kind, name, version, edition, effective, oid, sha256;
};

struct LoadSummary {
  bool skipped = false;  // the same release was already loaded
  bool replaced = false;
  int64_t terminology_id = 0;
  int64_t concepts = 0, descriptions = 0, relationships = 0, language_rows = 0, refset_members = 0;
};

class TerminologyLoader {
 public:
  TerminologyLoader(SQLite::Database& db, const ReleaseInfo& info, const WriteContext& ctx);
  ~TerminologyLoader();
  bool skipped() const { return summary_.skipped; }

  void addConcept(const std::string& code, bool active, const std::string& module = {},
                  const std::string& effective = {}, bool defined = false,
                  const std::string& status = {});
  // Language rows must come before the descriptions they rate (acceptability is stored on
  // the description as it is written).
  void addLanguage(const std::string& descriptionId, const std::string& refset, int acceptability);
  // type: 0 FSN, 1 synonym, 2 definition. acceptability -1 takes it from the language rows;
  // systems without language refsets pass 2 (preferred) or 1 (acceptable) themselves.
  void addDescription(const std::string& descriptionId, const std::string& code,
                      const std::string& lang, int type, const std::string& term, bool active,
                      int acceptability = -1);
  void addRelationship(const std::string& source, const std::string& type,
                       const std::string& destination, int group);
  void addRefsetMember(const std::string& refset, const std::string& component,
                       const std::string& target = {});
  // Builds the search index; returns what was written.
  LoadSummary finish();

 private:
  SQLite::Database& db_;
  LoadSummary summary_;
  bool bigCache_ = false;
  std::unordered_map<int64_t, int> acceptability_;  // by numeric description id
  std::unique_ptr<SQLite::Statement> concept_, description_, language_, relationship_, refset_;
};

}  // namespace regcat
