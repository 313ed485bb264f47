#include "mapping/harmonisation_matrix.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"
#include "mapping/mapping.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

namespace regcat {
namespace {

struct Binding {
  std::string register_id, key, label, datatype, unit, concept_id, predicate;
};

int gradeRank(const std::string& g) {
  return g == "identical" ? 2 : g == "partial" ? 1 : 0;
}

}  // namespace

Matrix harmonisationMatrix(Store& store, Terminology& terminology, const MatrixQuery& q) {
  Matrix out;
  out.system = systemUri(q.system);
  out.limit = q.limit;
  out.offset = q.offset;
  auto release = terminology.release(out.system);
  if (!release) throw notFound("system", "no release of " + out.system + " is loaded");
  out.release = release->version;
  const auto h = terminology.hierarchy(*release);

  std::map<std::string, std::string> registerNames;
  for (const auto& r : store.listRegisters()) registerNames[r.id] = r.name.sv;
  for (const auto& id : q.registers)
    if (!registerNames.count(id)) throw notFound("registers", "register '" + id + "' not found");
  const std::set<std::string> wanted(q.registers.begin(), q.registers.end());

  // Approved variable-level bindings of the current variables, in one query.
  std::vector<Binding> bindings;
  store.read([&](SQLite::Database& db) {
    SQLite::Statement s(db,
                        "SELECT v.register_id, v.register_id || '/' || v.dataset_id || '/' || "
                        "v.name, vv.label_sv, vv.datatype, vv.unit, m.concept_id, m.predicate "
                        "FROM mapping m JOIN variable v ON v.id = m.variable_id JOIN "
                        "variable_version vv ON vv.variable_id = v.id AND vv.version = "
                        "v.current_version WHERE m.status = 'approved' AND m.code = '' AND "
                        "m.system = ? AND m.predicate IN ('skos:exactMatch', 'skos:closeMatch') "
                        "AND m.concept_id <> ? AND vv.valid_to = '' ORDER BY v.register_id, "
                        "v.dataset_id, v.position");
    s.bind(1, out.system);
    s.bind(2, kNoTermFound);
    while (s.executeStep()) {
      Binding b;
      b.register_id = s.getColumn(0).getString();
      if (!wanted.empty() && !wanted.count(b.register_id)) continue;
      b.key = s.getColumn(1).getString();
      b.label = s.getColumn(2).getString();
      b.datatype = s.getColumn(3).getString();
      b.unit = s.getColumn(4).getString();
      b.concept_id = s.getColumn(5).getString();
      b.predicate = s.getColumn(6).getString();
      bindings.push_back(std::move(b));
    }
  });

  // Columns.
  std::vector<std::string> columnIds = q.registers;
  if (columnIds.empty()) {
    std::set<std::string> seen;
    for (const auto& b : bindings) seen.insert(b.register_id);
    columnIds.assign(seen.begin(), seen.end());
  }
  std::unordered_map<std::string, int> columnOf;
  for (const auto& id : columnIds) {
    columnOf.emplace(id, int(out.columns.size()));
    out.columns.push_back({id, registerNames[id]});
  }

  // Rows.
  std::vector<std::string> rowConcepts;
  const bool explicitRows = !q.concepts.empty();
  if (explicitRows) {
    for (const auto& c : q.concepts)
      if (h->index(c) == Hierarchy::kNone)
        throw invalid("concepts", "'" + c + "' is not a concept of " + release->version);
    rowConcepts = q.concepts;
  } else if (!q.topic.empty()) {
    const auto t = h->index(q.topic);
    if (t == Hierarchy::kNone)
      throw invalid("topic", "'" + q.topic + "' is not a concept of " + release->version);
    rowConcepts.push_back(q.topic);
    for (auto c : h->children(t))
      if (h->active(c)) rowConcepts.push_back(h->code(c));
  } else {
    std::set<std::string> seen;
    for (const auto& b : bindings)
      if (seen.insert(b.concept_id).second) rowConcepts.push_back(b.concept_id);
  }
  std::unordered_map<std::string, int> rowOf;
  for (size_t i = 0; i < rowConcepts.size(); ++i) rowOf.emplace(rowConcepts[i], int(i));

  // Which rows each bound concept falls under: itself and its ancestors that are rows. In
  // topic mode the topic row only takes variables bound to the topic itself.
  struct Hit {
    int column;
    size_t binding;
    bool exactRow;
  };
  std::vector<std::vector<Hit>> hits(rowConcepts.size());
  std::unordered_map<std::string, std::vector<int>> rowsOf;  // bound concept -> row indexes
  for (size_t bi = 0; bi < bindings.size(); ++bi) {
    const Binding& b = bindings[bi];
    auto col = columnOf.find(b.register_id);
    if (col == columnOf.end()) continue;
    auto it = rowsOf.find(b.concept_id);
    if (it == rowsOf.end()) {
      std::vector<int> rows;
      if (auto r = rowOf.find(b.concept_id); r != rowOf.end()) rows.push_back(r->second);
      const auto idx = h->index(b.concept_id);
      if (idx != Hierarchy::kNone)
        for (auto a : h->ancestors(idx)) {
          const std::string& code = h->code(a);
          if (!q.topic.empty() && !explicitRows && code == q.topic) continue;
          if (auto r = rowOf.find(code); r != rowOf.end()) rows.push_back(r->second);
        }
      it = rowsOf.emplace(b.concept_id, std::move(rows)).first;
    }
    for (int r : it->second)
      hits[size_t(r)].push_back({col->second, bi, rowConcepts[size_t(r)] == b.concept_id});
  }

  // Coverage, order and the page.
  struct RowStat {
    int index, covered, variables;
  };
  std::vector<RowStat> stats;
  for (size_t r = 0; r < rowConcepts.size(); ++r) {
    std::set<int> cols;
    for (const auto& hit : hits[r]) cols.insert(hit.column);
    if (cols.empty() && !explicitRows) continue;
    stats.push_back({int(r), int(cols.size()), int(hits[r].size())});
  }
  if (!explicitRows)
    std::stable_sort(stats.begin(), stats.end(), [&](const RowStat& a, const RowStat& b) {
      if (!q.topic.empty() && (rowConcepts[size_t(a.index)] == q.topic) !=
                                  (rowConcepts[size_t(b.index)] == q.topic))
        return rowConcepts[size_t(a.index)] == q.topic;  // the topic itself first
      if (a.covered != b.covered) return a.covered > b.covered;
      if (a.variables != b.variables) return a.variables > b.variables;
      return rowConcepts[size_t(a.index)] < rowConcepts[size_t(b.index)];
    });
  out.total_rows = int(stats.size());
  const size_t from = std::min(stats.size(), size_t(std::max(0, q.offset)));
  const size_t to = q.limit < 0 ? stats.size() : std::min(stats.size(), from + size_t(q.limit));
  for (size_t i = from; i < to; ++i) {
    const RowStat& st = stats[i];
    MatrixRow row;
    row.concept_id = rowConcepts[size_t(st.index)];
    if (auto s = terminology.summary(*release, row.concept_id)) {
      row.label = s->display("sv");
      row.semantic_tag = s->semantic_tag;
    }
    row.registers_covered = st.covered;
    row.variables = st.variables;
    row.cells.resize(out.columns.size());
    for (const auto& hit : hits[size_t(st.index)]) {
      const Binding& b = bindings[hit.binding];
      MatrixVariable v{b.key,        b.label,     b.datatype,
                       b.unit,       b.concept_id, b.predicate,
                       hit.exactRow && b.predicate == "skos:exactMatch" ? "identical" : "partial"};
      MatrixCell& cell = row.cells[size_t(hit.column)];
      if (gradeRank(v.grade) > gradeRank(cell.grade)) cell.grade = v.grade;
      cell.variables.push_back(std::move(v));
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace regcat
