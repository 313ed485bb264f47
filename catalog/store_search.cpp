// Variable search: one FTS5 query fetches every match with its bm25 score and facet values;
// filters, facet counts (each facet ignores its own filter, so alternatives stay visible) and
// ordering are done here, and only the requested page is loaded in full.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "catalog/search.h"
#include "catalog/store_internal.h"
#include "catalog/text.h"

namespace regcat {
namespace {

struct Row {
  int64_t id;
  double score;
  std::string reg, ds, datatype, idclass, category, valid_to, label, name;
  int ds_pos, pos;
  double bm25 = 0;
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
void scoreRow(Row& r, const std::vector<std::string>& qe, const std::vector<std::string>& qf,
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

}  // namespace

SearchResult Store::searchVariables(const VariableQuery& q) {
  ReadLease l(*pool_);
  auto& db = l.db();
  const std::string today = text::today();
  const std::string match = ftsQuery(q.q);

  std::map<std::string, Text> registerNames;
  {
    SQLite::Statement s(db, "SELECT id, name_sv, name_en FROM register");
    while (s.executeStep())
      registerNames[detail::col(s, 0)] = {detail::col(s, 1), detail::col(s, 2)};
  }

  std::vector<std::string> queryExact, queryFolded;
  for (const auto& w : text::words(q.q)) {
    if (queryExact.size() == 12) break;  // the same bound as ftsQuery
    queryExact.push_back(w);
    queryFolded.push_back(text::foldDiacritics(w));
  }

  std::vector<Row> rows;
  {
    const std::string cols =
        "v.register_id, v.dataset_id, vv.datatype, vv.identifier_class, vv.category, "
        "vv.valid_to, vv.label_sv, v.name, d.position, v.position ";
    const std::string from =
        "FROM variable v JOIN variable_version vv ON vv.variable_id = v.id AND vv.version = "
        "v.current_version JOIN dataset d ON d.register_id = v.register_id AND d.id = "
        "v.dataset_id ";
    std::string sql = match.empty()
                          ? "SELECT v.id, 0.0, " + cols + from
                          // CROSS JOIN fixes the join order: the full-text match first, then
                          // a lookup per match, never the match once per variable.
                          : "SELECT f.rowid, bm25(variable_fts, 10.0, 4.0, 1.5, 3.0, 1.2, 0.4), " +
                                cols +
                                "FROM variable_fts f CROSS JOIN variable v ON v.id = f.rowid "
                                "JOIN variable_version vv ON vv.variable_id = v.id AND "
                                "vv.version = v.current_version JOIN dataset d ON "
                                "d.register_id = v.register_id AND d.id = v.dataset_id "
                                "WHERE variable_fts MATCH ?";
    if (match.empty() && !q.q.empty()) return {};  // a query without any word matches nothing
    SQLite::Statement s(db, sql);
    if (!match.empty()) s.bind(1, match);
    while (s.executeStep()) {
      Row r{s.getColumn(0).getInt64(), s.getColumn(1).getDouble(), detail::col(s, 2),
            detail::col(s, 3),         detail::col(s, 4),          detail::col(s, 5),
            detail::col(s, 6),         detail::col(s, 7),          detail::col(s, 8),
            detail::col(s, 9),         s.getColumn(10).getInt(),   s.getColumn(11).getInt()};
      if (!q.include_closed && !r.valid_to.empty() && r.valid_to < today) continue;
      r.bm25 = r.score;
      r.score = 0;
      rows.push_back(std::move(r));
    }
  }

  SearchResult result;
  auto& facets = result.facets;
  for (const char* f : {"register", "dataset", "datatype", "identifier_class", "category"})
    facets[f];
  std::vector<const Row*> selected;
  for (const auto& r : rows) {
    const std::string dsKey = r.reg + "/" + r.ds;
    const bool okReg = allowed(q.registers, r.reg),
               okDs = q.datasets.empty() || allowed(q.datasets, dsKey) || allowed(q.datasets, r.ds),
               okType = allowed(q.datatypes, r.datatype),
               okId = allowed(q.identifier_classes, r.idclass),
               okCat = allowed(q.categories, r.category);
    if (okDs && okType && okId && okCat) ++facets["register"][r.reg];
    if (okReg && okType && okId && okCat) ++facets["dataset"][dsKey];
    if (okReg && okDs && okId && okCat) ++facets["datatype"][r.datatype];
    if (okReg && okDs && okType && okCat) ++facets["identifier_class"][r.idclass];
    if (okReg && okDs && okType && okId && !r.category.empty()) ++facets["category"][r.category];
    if (okReg && okDs && okType && okId && okCat) selected.push_back(&r);
  }

  auto regName = [&](const std::string& id) -> const std::string& { return registerNames[id].sv; };
  auto byPlace = [&](const Row* a, const Row* b) {
    if (a->reg != b->reg) return text::collate(regName(a->reg), regName(b->reg)) < 0;
    if (a->ds_pos != b->ds_pos) return a->ds_pos < b->ds_pos;
    if (a->pos != b->pos) return a->pos < b->pos;
    return a->id < b->id;  // a total order, so that pages never overlap
  };
  auto byLabel = [&](const Row* a, const Row* b) {
    const int c = text::collate(a->label, b->label);
    return c != 0 ? c < 0 : byPlace(a, b);
  };
  std::function<bool(const Row*, const Row*)> order;
  if (q.sort == "name")
    order = [&](const Row* a, const Row* b) {
      const int c = text::collate(a->name, b->name);
      return c != 0 ? c < 0 : byPlace(a, b);
    };
  else if (q.sort == "label")
    order = byLabel;
  else if (q.sort == "register" || match.empty())
    order = byPlace;
  else
    order = [&](const Row* a, const Row* b) {
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
                      [](const Row* a, const Row* b) {
                        return a->bm25 != b->bm25 ? a->bm25 < b->bm25 : a->id < b->id;
                      });
    detail::Prepared text(db,
                          "SELECT main_exact, main_folded, text_exact, text_folded, "
                          "label_exact, label_folded FROM variable_fts WHERE rowid = ?");
    for (size_t i = 0; i < candidates; ++i) {
      Row& r = const_cast<Row&>(*selected[i]);
      text.bind(1, static_cast<int64_t>(r.id));
      if (text.executeStep())
        scoreRow(r, queryExact, queryFolded, detail::col(text, 4), detail::col(text, 5),
                 detail::col(text, 0), detail::col(text, 1), detail::col(text, 2),
                 detail::col(text, 3));
      text.reset();
    }
  }
  // Only the rows up to the requested page need ordering: with tens of thousands of matches
  // a full sort, whose ties fall through to Swedish collation, costs far more than the query.
  std::partial_sort(selected.begin(), selected.begin() + end, selected.end(), order);
  for (int i = offset; i < end; ++i) {
    const Row* r = selected[size_t(i)];
    SQLite::Statement s(db, "SELECT current_version FROM variable WHERE id = ?");
    s.bind(1, static_cast<int64_t>(r->id));
    if (!s.executeStep()) continue;
    auto v = detail::loadVariableVersion(db, r->id, s.getColumn(0).getInt(), false);
    VariableHit hit;
    hit.register_name = registerNames[r->reg];
    if (auto d = detail::loadDataset(db, r->reg, r->ds)) hit.dataset_name = d->name;
    hit.score = r->score;
    hit.match = r->kind;
    hit.field = r->field;
    hit.variable = std::move(*v);
    result.hits.push_back(std::move(hit));
  }
  return result;
}

}  // namespace regcat
