// Variable search: one FTS5 query fetches every match with its bm25 score and facet values;
// filters, facet counts (each facet ignores its own filter, so alternatives stay visible) and
// ordering are done here, and only the requested page is loaded in full.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "catalog/search.h"
#include "catalog/store_internal.h"
#include "catalog/text.h"

namespace regcat {

// The attributes of every variable's latest version, read once per catalogue generation (a
// counter that triggers bump on every change, whichever process makes it) and shared by all
// searches, so that filters, facet counts and ordering never join per match.
struct SearchSnapshot {
  struct Row {
    int64_t id;
    std::string reg, ds, dsKey, datatype, idclass, category, valid_to, label, name;
    int registerRank, ds_pos, pos;
  };
  int64_t generation = -1;
  std::vector<Row> rows;
  std::unordered_map<int64_t, uint32_t> byId;
  std::map<std::string, Text> registerNames, datasetNames;  // datasets by register/dataset
};

namespace {

using Row = SearchSnapshot::Row;

// One row's standing in one search.
struct Hit {
  const Row* row;
  double bm25 = 0, score = 0;
  const char* kind = "";   // weakest word's match: exact, prefix, folded, infix
  const char* field = "";  // where that word matched: label, name, text
};

std::vector<std::string_view> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// How well one query word matches one field group's tokens: exact word 1.0, word prefix 0.85,
// the same without diacritics 0.7 / 0.6, inside a (compound) word 0.5. Deterministic and
// explainable, unlike bm25, which only breaks ties.
struct WordMatch {
  double score = 0;
  const char* kind = "";
};

WordMatch wordScore(const std::string& exact, const std::string& folded,
                    const std::vector<std::string_view>& exactTokens,
                    const std::vector<std::string_view>& foldedTokens) {
  WordMatch best;
  auto take = [&](double s, const char* k) {
    if (s > best.score) best = {s, k};
  };
  for (auto t : exactTokens) {
    if (t == exact) return {1.0, "exact"};
    if (t.substr(0, exact.size()) == exact) take(0.85, "prefix");
  }
  for (auto t : foldedTokens) {
    if (t == folded)
      take(0.7, "folded");
    else if (t.substr(0, folded.size()) == folded)
      take(0.6, "folded");
    else if (folded.size() >= 3 && t.find(folded) != std::string_view::npos)
      take(0.5, "infix");
  }
  return best;
}

// Labels count fully; a hit only in the column name or aliases a little less (so that a query
// typed without å/ä/ö ranks below the exact Swedish label hit even where the column name is the
// ASCII spelling); definitions, questions and code labels much less.
void scoreRow(Hit& r, const std::vector<std::string>& qe, const std::vector<std::string>& qf,
              const std::string& labelExact, const std::string& labelFolded,
              const std::string& mainExact, const std::string& mainFolded,
              const std::string& textExact, const std::string& textFolded) {
  const auto le = tokens(labelExact), lf = tokens(labelFolded), me = tokens(mainExact),
             mf = tokens(mainFolded), te = tokens(textExact), tf = tokens(textFolded);
  double sum = 0, weakest = 2;
  for (size_t k = 0; k < qe.size(); ++k) {
    WordMatch label = wordScore(qe[k], qf[k], le, lf), name = wordScore(qe[k], qf[k], me, mf),
              other = wordScore(qe[k], qf[k], te, tf);
    WordMatch best = label;
    const char* field = "label";
    if (0.9 * name.score > best.score) best = {0.9 * name.score, name.kind}, field = "name";
    if (0.4 * other.score > best.score) best = {0.4 * other.score, other.kind}, field = "text";
    sum += best.score;
    if (best.score < weakest) {
      weakest = best.score;
      r.kind = best.kind;
      r.field = field;
    }
  }
  r.score = qe.empty() ? 0 : sum / double(qe.size());
}

bool allowed(const std::vector<std::string>& filter, const std::string& value) {
  return filter.empty() || std::find(filter.begin(), filter.end(), value) != filter.end();
}

std::shared_ptr<const SearchSnapshot> buildSnapshot(SQLite::Database& db, int64_t generation) {
  auto snap = std::make_shared<SearchSnapshot>();
  snap->generation = generation;
  std::vector<std::pair<std::string, std::string>> names;  // register id, Swedish name
  {
    SQLite::Statement s(db, "SELECT id, name_sv, name_en FROM register");
    while (s.executeStep()) {
      snap->registerNames[detail::col(s, 0)] = {detail::col(s, 1), detail::col(s, 2)};
      names.emplace_back(detail::col(s, 0), detail::col(s, 1));
    }
  }
  // Registers ordered once in Swedish collation; rows then compare by rank.
  std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) {
    const int c = text::collate(a.second, b.second);
    return c != 0 ? c < 0 : a.first < b.first;
  });
  std::map<std::string, int> rank;
  for (size_t i = 0; i < names.size(); ++i) rank[names[i].first] = int(i);
  {
    SQLite::Statement s(db, "SELECT register_id, id, name_sv, name_en FROM dataset");
    while (s.executeStep())
      snap->datasetNames[detail::col(s, 0) + "/" + detail::col(s, 1)] = {detail::col(s, 2),
                                                                         detail::col(s, 3)};
  }
  SQLite::Statement s(db,
                      "SELECT v.id, v.register_id, v.dataset_id, vv.datatype, vv.identifier_class, "
                      "vv.category, vv.valid_to, vv.label_sv, v.name, d.position, v.position "
                      "FROM variable v JOIN variable_version vv ON vv.variable_id = v.id AND "
                      "vv.version = v.current_version JOIN dataset d ON d.register_id = "
                      "v.register_id AND d.id = v.dataset_id");
  while (s.executeStep()) {
    Row r{s.getColumn(0).getInt64(),
          detail::col(s, 1),
          detail::col(s, 2),
          "",
          detail::col(s, 3),
          detail::col(s, 4),
          detail::col(s, 5),
          detail::col(s, 6),
          detail::col(s, 7),
          detail::col(s, 8),
          0,
          s.getColumn(9).getInt(),
          s.getColumn(10).getInt()};
    r.dsKey = r.reg + "/" + r.ds;
    r.registerRank = rank[r.reg];
    snap->byId[r.id] = uint32_t(snap->rows.size());
    snap->rows.push_back(std::move(r));
  }
  return snap;
}

}  // namespace

SearchResult Store::searchVariables(const VariableQuery& q) {
  ReadLease l(*pool_);
  auto& db = l.db();
  const std::string today = text::today();
  const std::string match = ftsQuery(q.q);
  if (match.empty() && !q.q.empty()) return {};  // a query without any word matches nothing

  // One read transaction, so that the generation, the snapshot and the match agree.
  db.exec("BEGIN");
  struct EndRead {
    SQLite::Database& db;
    ~EndRead() {
      try {
        db.exec("COMMIT");
      } catch (...) {
      }
    }
  } endRead{db};
  const int64_t generation =
      db.execAndGet("SELECT value FROM meta WHERE key = 'catalog_generation'").getInt64();
  std::shared_ptr<const SearchSnapshot> snap;
  {
    std::lock_guard lock(pool_->m);
    if (pool_->searchSnapshot && pool_->searchSnapshot->generation == generation)
      snap = pool_->searchSnapshot;
  }
  if (!snap) {
    snap = buildSnapshot(db, generation);
    std::lock_guard lock(pool_->m);
    pool_->searchSnapshot = snap;
  }

  std::vector<std::string> queryExact, queryFolded;
  for (const auto& w : text::words(q.q)) {
    if (queryExact.size() == 12) break;  // the same bound as ftsQuery
    queryExact.push_back(w);
    queryFolded.push_back(text::foldDiacritics(w));
  }

  std::vector<Hit> hits;
  if (match.empty()) {
    hits.reserve(snap->rows.size());
    for (const auto& r : snap->rows) hits.push_back({&r});
  } else {
    detail::Prepared s(db,
                       "SELECT rowid, bm25(variable_fts, 10.0, 4.0, 1.5, 3.0, 1.2, 0.4) "
                       "FROM variable_fts WHERE variable_fts MATCH ?");
    s.bind(1, match);
    while (s.executeStep()) {
      auto it = snap->byId.find(s.getColumn(0).getInt64());
      if (it == snap->byId.end()) continue;
      hits.push_back({&snap->rows[it->second], s.getColumn(1).getDouble()});
    }
  }

  SearchResult result;
  auto& facets = result.facets;
  for (const char* f : {"register", "dataset", "datatype", "identifier_class", "category"})
    facets[f];
  std::vector<Hit*> selected;
  for (auto& h : hits) {
    const Row& r = *h.row;
    if (!q.include_closed && !r.valid_to.empty() && r.valid_to < today) continue;
    const bool okReg = allowed(q.registers, r.reg),
               okDs =
                   q.datasets.empty() || allowed(q.datasets, r.dsKey) || allowed(q.datasets, r.ds),
               okType = allowed(q.datatypes, r.datatype),
               okId = allowed(q.identifier_classes, r.idclass),
               okCat = allowed(q.categories, r.category);
    if (okDs && okType && okId && okCat) ++facets["register"][r.reg];
    if (okReg && okType && okId && okCat) ++facets["dataset"][r.dsKey];
    if (okReg && okDs && okId && okCat) ++facets["datatype"][r.datatype];
    if (okReg && okDs && okType && okCat) ++facets["identifier_class"][r.idclass];
    if (okReg && okDs && okType && okId && !r.category.empty()) ++facets["category"][r.category];
    if (okReg && okDs && okType && okId && okCat) selected.push_back(&h);
  }

  auto byPlace = [](const Hit* a, const Hit* b) {
    const Row &x = *a->row, &y = *b->row;
    if (x.registerRank != y.registerRank) return x.registerRank < y.registerRank;
    if (x.ds_pos != y.ds_pos) return x.ds_pos < y.ds_pos;
    if (x.pos != y.pos) return x.pos < y.pos;
    return x.id < y.id;  // a total order, so that pages never overlap
  };
  auto byLabel = [&](const Hit* a, const Hit* b) {
    const int c = text::collate(a->row->label, b->row->label);
    return c != 0 ? c < 0 : byPlace(a, b);
  };
  std::function<bool(const Hit*, const Hit*)> order;
  if (q.sort == "name")
    order = [&](const Hit* a, const Hit* b) {
      const int c = text::collate(a->row->name, b->row->name);
      return c != 0 ? c < 0 : byPlace(a, b);
    };
  else if (q.sort == "label")
    order = byLabel;
  else if (q.sort == "register" || match.empty())
    order = byPlace;
  else
    order = [&](const Hit* a, const Hit* b) {
      if (a->score != b->score) return a->score > b->score;
      if (a->bm25 != b->bm25) return a->bm25 < b->bm25;  // bm25: lower is better
      return byLabel(a, b);
    };
  result.total = int(selected.size());
  const int offset = std::max(0, q.offset);
  const int end = std::min<int>(result.total, offset + std::max(0, q.limit));
  if (!match.empty()) {
    // bm25 (label columns weigh most) picks the candidates; only they are scored word by word,
    // which needs their index text. The page is drawn from well inside the candidates.
    const size_t candidates = std::min(selected.size(), std::max<size_t>(1000, size_t(end) * 5));
    std::partial_sort(selected.begin(), selected.begin() + candidates, selected.end(),
                      [](const Hit* a, const Hit* b) {
                        return a->bm25 != b->bm25 ? a->bm25 < b->bm25 : a->row->id < b->row->id;
                      });
    detail::Prepared text(db,
                          "SELECT main_exact, main_folded, text_exact, text_folded, "
                          "label_exact, label_folded FROM variable_fts WHERE rowid = ?");
    for (size_t i = 0; i < candidates; ++i) {
      Hit& h = *selected[i];
      text.bind(1, static_cast<int64_t>(h.row->id));
      if (text.executeStep())
        scoreRow(h, queryExact, queryFolded, detail::col(text, 4), detail::col(text, 5),
                 detail::col(text, 0), detail::col(text, 1), detail::col(text, 2),
                 detail::col(text, 3));
      text.reset();
    }
  }
  // Only the rows up to the requested page need ordering: with tens of thousands of matches
  // a full sort, whose ties fall through to Swedish collation, costs far more than the query.
  std::partial_sort(selected.begin(), selected.begin() + end, selected.end(), order);
  for (int i = offset; i < end; ++i) {
    const Hit* h = selected[size_t(i)];
    const Row& r = *h->row;
    detail::Prepared s(db, "SELECT current_version FROM variable WHERE id = ?");
    s.bind(1, static_cast<int64_t>(r.id));
    if (!s.executeStep()) continue;
    const int version = s.getColumn(0).getInt();
    s.reset();
    auto v = detail::loadVariableVersion(db, r.id, version, false);
    if (!v) continue;
    VariableHit hit;
    hit.register_name = snap->registerNames.at(r.reg);
    if (auto d = snap->datasetNames.find(r.dsKey); d != snap->datasetNames.end())
      hit.dataset_name = d->second;
    hit.score = h->score;
    hit.match = h->kind;
    hit.field = h->field;
    hit.variable = std::move(*v);
    result.hits.push_back(std::move(hit));
  }
  return result;
}

}  // namespace regcat
