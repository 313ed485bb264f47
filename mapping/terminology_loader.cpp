#include "mapping/terminology_loader.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <future>

#include "catalog/search.h"
#include "catalog/store.h"
#include "catalog/text.h"

namespace regcat {
namespace {

int64_t numericId(const std::string& id) {
  if (id.empty() || id.size() > 18) return -1;
  int64_t v = 0;
  for (char c : id) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

struct TermRow {
  int64_t id;
  std::string term, lang;
};

// Index text of a chunk of descriptions. Infix suffixes (for finding a word inside a compound)
// only for languages that write compounds as one word; English does not, and its suffixes
// would double the index for nothing.
std::vector<IndexedText> prepare(const std::vector<TermRow>& rows) {
  std::vector<IndexedText> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    IndexedText t = indexText({r.term});
    if (r.lang == "en") t.infix.clear();
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

TerminologyLoader::TerminologyLoader(SQLite::Database& db, const ReleaseInfo& info,
                                     const WriteContext& ctx)
    : db_(db) {
  SQLite::Statement existing(db,
                             "SELECT id, content_sha256 FROM terminology WHERE system = ? AND "
                             "version = ?");
  existing.bind(1, info.system);
  existing.bind(2, info.version);
  if (existing.executeStep()) {
    const int64_t id = existing.getColumn(0).getInt64();
    if (existing.getColumn(1).getString() == info.sha256) {
      summary_.skipped = true;
      summary_.terminology_id = id;
      return;
    }
    existing.reset();
    db.exec("DROP TABLE IF EXISTS term_fts_" + std::to_string(id));
    SQLite::Statement del(db, "DELETE FROM terminology WHERE id = ?");
    del.bind(1, id);
    del.exec();
    summary_.replaced = true;
  }
  const int64_t provId = recordProvenance(db, ctx);
  SQLite::Statement ins(db,
                        "INSERT INTO terminology(system, kind, name, version, edition, "
                        "effective, oid, content_sha256, imported_at, provenance_id) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int i = 0;
  for (const auto* v : {&info.system, &info.kind, &info.name, &info.version, &info.edition,
                        &info.effective, &info.oid, &info.sha256})
    ins.bind(++i, *v);
  ins.bind(++i, text::now());
  ins.bind(++i, static_cast<int64_t>(provId));
  ins.exec();
  summary_.terminology_id = db.getLastInsertRowid();
  // A large page cache for the bulk load (indexes of millions of rows); restored afterwards.
  db.exec("PRAGMA cache_size = -262144");
  bigCache_ = true;
  concept_ = std::make_unique<SQLite::Statement>(
      db, "INSERT OR REPLACE INTO term_concept VALUES (?, ?, ?, ?, ?, ?, ?)");
  description_ = std::make_unique<SQLite::Statement>(
      db,
      "INSERT INTO term_description(terminology_id, description_id, code, lang, type, term, "
      "active, acceptability) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  language_ = std::make_unique<SQLite::Statement>(
      db, "INSERT OR REPLACE INTO term_language VALUES (?, ?, ?, ?)");
  relationship_ = std::make_unique<SQLite::Statement>(
      db, "INSERT OR IGNORE INTO term_relationship VALUES (?, ?, ?, ?, ?)");
  refset_ = std::make_unique<SQLite::Statement>(
      db, "INSERT OR IGNORE INTO term_refset_member VALUES (?, ?, ?, ?)");
}

TerminologyLoader::~TerminologyLoader() {
  if (!bigCache_) return;
  try {
    db_.exec("PRAGMA cache_size = -2000");
  } catch (...) {
  }
}

void TerminologyLoader::addConcept(const std::string& code, bool active, const std::string& module,
                                   const std::string& effective, bool defined,
                                   const std::string& status) {
  auto& s = *concept_;
  s.reset();
  s.bind(1, static_cast<int64_t>(summary_.terminology_id));
  s.bind(2, code);
  s.bind(3, active ? 1 : 0);
  s.bind(4, module);
  s.bind(5, effective);
  s.bind(6, defined ? 1 : 0);
  s.bind(7, status);
  s.exec();
  ++summary_.concepts;
}

void TerminologyLoader::addLanguage(const std::string& descriptionId, const std::string& refset,
                                    int acceptability) {
  if (const int64_t key = numericId(descriptionId); key >= 0) {
    auto& a = acceptability_[key];
    a = std::max(a, acceptability);
  }
  auto& s = *language_;
  s.reset();
  s.bind(1, static_cast<int64_t>(summary_.terminology_id));
  s.bind(2, descriptionId);
  s.bind(3, refset);
  s.bind(4, acceptability);
  s.exec();
  ++summary_.language_rows;
}

void TerminologyLoader::addDescription(const std::string& descriptionId, const std::string& code,
                                       const std::string& lang, int type, const std::string& term,
                                       bool active, int acceptability) {
  if (acceptability < 0) {
    acceptability = 0;
    auto it = acceptability_.find(numericId(descriptionId));
    if (it != acceptability_.end()) acceptability = it->second;
  }
  auto& s = *description_;
  s.reset();
  s.bind(1, static_cast<int64_t>(summary_.terminology_id));
  s.bind(2, descriptionId);
  s.bind(3, code);
  s.bind(4, lang);
  s.bind(5, type);
  s.bind(6, term);
  s.bind(7, active ? 1 : 0);
  s.bind(8, acceptability);
  s.exec();
  ++summary_.descriptions;
}

void TerminologyLoader::addRelationship(const std::string& source, const std::string& type,
                                        const std::string& destination, int group) {
  auto& s = *relationship_;
  s.reset();
  s.bind(1, static_cast<int64_t>(summary_.terminology_id));
  s.bind(2, source);
  s.bind(3, type);
  s.bind(4, destination);
  s.bind(5, group);
  s.exec();
  ++summary_.relationships;
}

void TerminologyLoader::addRefsetMember(const std::string& refset, const std::string& component,
                                        const std::string& target) {
  auto& s = *refset_;
  s.reset();
  s.bind(1, static_cast<int64_t>(summary_.terminology_id));
  s.bind(2, refset);
  s.bind(3, component);
  s.bind(4, target);
  s.exec();
  ++summary_.refset_members;
}

LoadSummary TerminologyLoader::finish() {
  if (summary_.skipped) return summary_;
  const std::string table = "term_fts_" + std::to_string(summary_.terminology_id);
  db_.exec("CREATE VIRTUAL TABLE " + table +
           " USING fts5(exact, folded, infix, content = '', "
           "tokenize = 'unicode61 remove_diacritics 0')");
  // Text definitions are not search terms; inactive descriptions are kept but not indexed.
  // Tokenising (ICU) runs on a second thread, one chunk ahead of the inserts.
  SQLite::Statement rows(db_,
                         "SELECT id, term, lang FROM term_description WHERE terminology_id = "
                         "? AND active = 1 AND type <> 2 ORDER BY id");
  rows.bind(1, static_cast<int64_t>(summary_.terminology_id));
  SQLite::Statement ins(
      db_, "INSERT INTO " + table + "(rowid, exact, folded, infix) VALUES (?, ?, ?, ?)");
  auto insert = [&](const std::vector<TermRow>& chunk, const std::vector<IndexedText>& texts) {
    for (size_t i = 0; i < chunk.size(); ++i) {
      ins.reset();
      ins.bind(1, static_cast<int64_t>(chunk[i].id));
      ins.bind(2, texts[i].exact);
      ins.bind(3, texts[i].folded);
      ins.bind(4, texts[i].infix);
      ins.exec();
    }
  };
  std::vector<TermRow> pendingRows;
  std::future<std::vector<IndexedText>> pending;
  bool more = true;
  while (more) {
    std::vector<TermRow> chunk;
    chunk.reserve(20000);
    while (chunk.size() < 20000 && (more = rows.executeStep()))
      chunk.push_back({rows.getColumn(0).getInt64(), rows.getColumn(1).getString(),
                       rows.getColumn(2).getString()});
    if (pending.valid()) insert(pendingRows, pending.get());
    pendingRows = std::move(chunk);
    pending = std::async(std::launch::async, prepare, std::cref(pendingRows));
  }
  if (pending.valid()) insert(pendingRows, pending.get());
  acceptability_.clear();
  return summary_;
}

}  // namespace regcat
