#include "mapping/harmonisation_matrix.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "mapping/mapping.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

namespace regcat {
namespace {

struct Binding {
  int reg = 0;     // index into Snapshot::registers
  int concept_ = 0;  // index into Snapshot::concepts
  std::string key, label, datatype, unit, predicate;
};

// One distinct bound concept with what every request needs of it, computed once per snapshot:
// its ancestors (walking the hierarchy per request was most of the time at 150 registers) and
// its bindings per register (so coverage is counted without touching the bindings).
struct BoundConcept {
  std::string code;
  Hierarchy::Index index = Hierarchy::kNone;  // kNone: the release does not know the code
  std::vector<Hierarchy::Index> ancestors;
  std::vector<int> bindings;                     // ascending, i.e. in the query's order
  std::vector<std::pair<int, int>> perRegister;  // (register, bindings), register ascending
};

// The approved variable-level bindings of one system, read once per change of the catalogue or
// of the mappings and shared by every request until then. Reading and grouping them is what a
// request used to spend its time on (the whole mapping join per page); now a page costs the
// counting and the page's own cells.
struct Snapshot {
  const Store* store = nullptr;
  std::string system;
  int64_t release_id = 0;
  // The hierarchy the ancestors were computed with. Held weakly: it identifies the Terminology
  // (one per store), and an expired pointer can never match a later hierarchy, even one
  // allocated at the same address, so a snapshot is never used for another database.
  std::weak_ptr<const Hierarchy> hierarchy;
  // Validity: the catalogue's trigger-kept generation (variables, versions, registers) and the
  // last row of mapping_history, which every mapping write adds to in its own transaction.
  std::string generation;
  int64_t history = 0;

  std::vector<std::string> registers, names;  // every register, by id
  std::unordered_map<std::string, int> registerOf;
  std::vector<int> boundRegisters;  // registers with at least one binding, by id
  std::vector<Binding> bindings;
  std::vector<BoundConcept> concepts;  // in order of first binding
  std::unordered_map<std::string, int> conceptOf;

  // Row labels, filled as pages ask for them (a release's terms do not change).
  mutable std::mutex labelsMutex;
  mutable std::unordered_map<std::string, std::pair<std::string, std::string>> labels;
};

std::mutex cacheMutex;
// A few snapshots: one per (store, system, release) in use; a server has one.
std::vector<std::shared_ptr<const Snapshot>> cache;
constexpr size_t kCacheSize = 4;

std::pair<std::string, int64_t> currentVersion(SQLite::Database& db) {
  SQLite::Statement s(db,
                      "SELECT (SELECT value FROM meta WHERE key = 'catalog_generation'), "
                      "(SELECT coalesce(max(rowid), 0) FROM mapping_history)");
  s.executeStep();
  return {s.getColumn(0).getString(), s.getColumn(1).getInt64()};
}

std::shared_ptr<const Snapshot> buildSnapshot(Store& store, const std::string& system,
                                              const TerminologyInfo& release,
                                              const std::shared_ptr<const Hierarchy>& h) {
  auto snap = std::make_shared<Snapshot>();
  snap->store = &store;
  snap->system = system;
  snap->release_id = release.id;
  snap->hierarchy = h;
  store.read([&](SQLite::Database& db) {
    // The version first: a write committed between this and the reads below makes the snapshot
    // newer than its tag, which costs one rebuild, never a stale answer.
    std::tie(snap->generation, snap->history) = currentVersion(db);
    SQLite::Statement r(db, "SELECT id, name_sv FROM register ORDER BY id");
    while (r.executeStep()) {
      snap->registerOf.emplace(r.getColumn(0).getString(), int(snap->registers.size()));
      snap->registers.push_back(r.getColumn(0).getString());
      snap->names.push_back(r.getColumn(1).getString());
    }
    // Ordered here rather than by SQL: SQLite's sorter took a fifth of the query's time.
    SQLite::Statement s(db,
                        "SELECT v.register_id, v.dataset_id, v.name, vv.label_sv, vv.datatype, "
                        "vv.unit, m.concept_id, m.predicate, v.position FROM mapping m JOIN "
                        "variable v ON v.id = m.variable_id JOIN variable_version vv ON "
                        "vv.variable_id = v.id AND vv.version = v.current_version WHERE m.status "
                        "= 'approved' AND m.code = '' AND m.system = ? AND m.predicate IN "
                        "('skos:exactMatch', 'skos:closeMatch') AND m.concept_id <> ? AND "
                        "vv.valid_to = ''");
    s.bind(1, system);
    s.bind(2, kNoTermFound);
    struct Read {
      Binding b;
      std::string concept_id, dataset;
      int position;
    };
    std::vector<Read> rows;
    while (s.executeStep()) {
      Read row;
      const char* reg = s.getColumn(0).getText();
      auto ri = snap->registerOf.find(reg);
      if (ri == snap->registerOf.end()) continue;  // a variable's register always exists
      row.b.reg = ri->second;
      row.dataset = s.getColumn(1).getString();
      row.b.key.append(reg).append("/").append(row.dataset).append("/");
      row.b.key.append(s.getColumn(2).getText());
      row.b.label = s.getColumn(3).getString();
      row.b.datatype = s.getColumn(4).getString();
      row.b.unit = s.getColumn(5).getString();
      row.concept_id = s.getColumn(6).getString();
      row.b.predicate = s.getColumn(7).getString();
      row.position = s.getColumn(8).getInt();
      rows.push_back(std::move(row));
    }
    // Register, dataset and position, as the variables are listed everywhere (registers are
    // numbered by id, so the register index orders as the id does).
    std::vector<size_t> order(rows.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      const Read &a = rows[x], &b = rows[y];
      if (a.b.reg != b.b.reg) return a.b.reg < b.b.reg;
      if (int c = a.dataset.compare(b.dataset); c != 0) return c < 0;
      return a.position < b.position;
    });
    snap->bindings.reserve(rows.size());
    for (size_t i : order) {
      Read& row = rows[i];
      auto [ci, fresh] = snap->conceptOf.try_emplace(row.concept_id, int(snap->concepts.size()));
      if (fresh) {
        snap->concepts.emplace_back();
        snap->concepts.back().code = row.concept_id;
      }
      row.b.concept_ = ci->second;
      snap->bindings.push_back(std::move(row.b));
    }
  });
  std::vector<bool> bound(snap->registers.size(), false);
  for (size_t i = 0; i < snap->bindings.size(); ++i) {
    const Binding& b = snap->bindings[i];
    BoundConcept& c = snap->concepts[size_t(b.concept_)];
    c.bindings.push_back(int(i));
    // Bindings come ordered by register, so a concept's counts are appended in register order.
    if (c.perRegister.empty() || c.perRegister.back().first != b.reg)
      c.perRegister.emplace_back(b.reg, 0);
    ++c.perRegister.back().second;
    bound[size_t(b.reg)] = true;
  }
  for (size_t r = 0; r < bound.size(); ++r)
    if (bound[r]) snap->boundRegisters.push_back(int(r));
  for (auto& c : snap->concepts) {
    c.index = h->index(c.code);
    if (c.index != Hierarchy::kNone) c.ancestors = h->ancestors(c.index);
  }
  return snap;
}

std::shared_ptr<const Snapshot> snapshot(Store& store, const std::string& system,
                                         const TerminologyInfo& release,
                                         const std::shared_ptr<const Hierarchy>& h) {
  std::pair<std::string, int64_t> version;
  store.read([&](SQLite::Database& db) { version = currentVersion(db); });
  {
    std::lock_guard lock(cacheMutex);
    std::erase_if(cache, [](const auto& s) { return s->hierarchy.expired(); });
    for (size_t i = 0; i < cache.size(); ++i) {
      const auto& s = cache[i];
      if (s->store != &store || s->system != system || s->release_id != release.id ||
          s->hierarchy.lock() != h)
        continue;
      if (s->generation == version.first && s->history == version.second) {
        auto hit = s;
        cache.erase(cache.begin() + long(i));
        cache.push_back(hit);  // most recently used last
        return hit;
      }
    }
  }
  // Built outside the lock: requests for other snapshots need not wait. Two requests that both
  // find it missing both build it; the later one is kept.
  auto fresh = buildSnapshot(store, system, release, h);
  std::lock_guard lock(cacheMutex);
  std::erase_if(cache, [&](const auto& s) {
    return s->store == &store && s->system == system && s->release_id == release.id &&
           s->hierarchy.lock() == h;
  });
  if (cache.size() >= kCacheSize) cache.erase(cache.begin());
  cache.push_back(fresh);
  return fresh;
}

std::pair<std::string, std::string> rowLabel(const Snapshot& snap, Terminology& terminology,
                                             const TerminologyInfo& release,
                                             const std::string& code) {
  {
    std::lock_guard lock(snap.labelsMutex);
    if (auto it = snap.labels.find(code); it != snap.labels.end()) return it->second;
  }
  std::pair<std::string, std::string> label;
  if (auto s = terminology.summary(release, code)) label = {s->display("sv"), s->semantic_tag};
  std::lock_guard lock(snap.labelsMutex);
  snap.labels.emplace(code, label);
  return label;
}

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
  const auto snap = snapshot(store, out.system, *release, h);

  for (const auto& id : q.registers)
    if (!snap->registerOf.count(id)) throw notFound("registers", "register '" + id + "' not found");

  // Columns, and the column of each register (-1: not shown).
  std::vector<int> columnOf(snap->registers.size(), -1);
  std::vector<int> columnRegs;
  if (q.registers.empty()) {
    columnRegs = snap->boundRegisters;
  } else {
    for (const auto& id : q.registers) columnRegs.push_back(snap->registerOf.at(id));
  }
  for (size_t c = 0; c < columnRegs.size(); ++c) {
    int& col = columnOf[size_t(columnRegs[c])];
    if (col < 0) col = int(c);  // a register named twice fills its first column
    out.columns.push_back({snap->registers[size_t(columnRegs[c])],
                           snap->names[size_t(columnRegs[c])]});
  }
  auto shown = [&](const BoundConcept& c) {
    for (const auto& [reg, n] : c.perRegister)
      if (columnOf[size_t(reg)] >= 0) return true;
    return false;
  };

  // Rows.
  std::vector<std::string> rowConcepts;
  const bool explicitRows = !q.concepts.empty();
  const bool topicRows = !explicitRows && !q.topic.empty();
  if (explicitRows) {
    for (const auto& c : q.concepts)
      if (h->index(c) == Hierarchy::kNone)
        throw invalid("concepts", "'" + c + "' is not a concept of " + release->version);
    rowConcepts = q.concepts;
  } else if (topicRows) {
    const auto t = h->index(q.topic);
    if (t == Hierarchy::kNone)
      throw invalid("topic", "'" + q.topic + "' is not a concept of " + release->version);
    rowConcepts.push_back(q.topic);
    for (auto c : h->children(t))
      if (h->active(c)) rowConcepts.push_back(h->code(c));
  } else {
    for (const auto& c : snap->concepts)
      if (shown(c)) rowConcepts.push_back(c.code);
  }
  std::unordered_map<std::string, int> rowOf;
  std::unordered_map<Hierarchy::Index, int> rowOfIndex;
  for (size_t i = 0; i < rowConcepts.size(); ++i)
    if (rowOf.emplace(rowConcepts[i], int(i)).second)
      if (auto idx = h->index(rowConcepts[i]); idx != Hierarchy::kNone)
        rowOfIndex.emplace(idx, int(i));
  const Hierarchy::Index topicIndex = topicRows ? h->index(q.topic) : Hierarchy::kNone;

  // The bound concepts under each row: the row's concept itself and its descendants. In topic
  // mode the topic row only takes variables bound to the topic itself.
  std::vector<std::vector<int>> under(rowConcepts.size());
  for (size_t ci = 0; ci < snap->concepts.size(); ++ci) {
    const BoundConcept& c = snap->concepts[ci];
    if (!shown(c)) continue;
    if (auto r = rowOf.find(c.code); r != rowOf.end()) under[size_t(r->second)].push_back(int(ci));
    for (auto a : c.ancestors) {
      if (a == topicIndex) continue;
      if (auto r = rowOfIndex.find(a); r != rowOfIndex.end())
        under[size_t(r->second)].push_back(int(ci));
    }
  }

  // Coverage, order and the page.
  struct RowStat {
    int index, covered, variables;
  };
  std::vector<RowStat> stats;
  std::vector<int> seenInRow(columnRegs.size(), -1);
  for (size_t r = 0; r < rowConcepts.size(); ++r) {
    int covered = 0, variables = 0;
    for (int ci : under[r])
      for (const auto& [reg, n] : snap->concepts[size_t(ci)].perRegister) {
        const int col = columnOf[size_t(reg)];
        if (col < 0) continue;
        variables += n;
        if (seenInRow[size_t(col)] != int(r)) {
          seenInRow[size_t(col)] = int(r);
          ++covered;
        }
      }
    if (covered == 0 && !explicitRows) continue;
    stats.push_back({int(r), covered, variables});
  }
  if (!explicitRows)
    std::stable_sort(stats.begin(), stats.end(), [&](const RowStat& a, const RowStat& b) {
      if (topicRows && (a.index == 0) != (b.index == 0)) return a.index == 0;  // the topic first
      if (a.covered != b.covered) return a.covered > b.covered;
      if (a.variables != b.variables) return a.variables > b.variables;
      return rowConcepts[size_t(a.index)] < rowConcepts[size_t(b.index)];
    });
  out.total_rows = int(stats.size());
  const size_t from = std::min(stats.size(), size_t(std::max(0, q.offset)));
  const size_t to = q.limit < 0 ? stats.size() : std::min(stats.size(), from + size_t(q.limit));
  std::vector<int> hits, perColumn(out.columns.size());
  for (size_t i = from; i < to; ++i) {
    const RowStat& st = stats[i];
    MatrixRow row;
    row.concept_id = rowConcepts[size_t(st.index)];
    std::tie(row.label, row.semantic_tag) = rowLabel(*snap, terminology, *release, row.concept_id);
    row.registers_covered = st.covered;
    row.variables = st.variables;
    row.cells.resize(out.columns.size());
    // Cells sized first: a first page over 150 registers holds tens of thousands of variables,
    // and growing the vectors moved each of them several times.
    std::fill(perColumn.begin(), perColumn.end(), 0);
    for (int ci : under[size_t(st.index)])
      for (const auto& [reg, n] : snap->concepts[size_t(ci)].perRegister)
        if (const int col = columnOf[size_t(reg)]; col >= 0) perColumn[size_t(col)] += n;
    for (size_t c = 0; c < row.cells.size(); ++c) row.cells[c].variables.reserve(perColumn[c]);
    // The row's bindings in the query's order, so each cell lists its variables in register
    // order (dataset, position) whichever concept under the row they are bound to.
    hits.clear();
    for (int ci : under[size_t(st.index)]) {
      const BoundConcept& c = snap->concepts[size_t(ci)];
      for (int bi : c.bindings)
        if (columnOf[size_t(snap->bindings[size_t(bi)].reg)] >= 0) hits.push_back(bi);
    }
    std::sort(hits.begin(), hits.end());
    for (int bi : hits) {
      const Binding& b = snap->bindings[size_t(bi)];
      const std::string& code = snap->concepts[size_t(b.concept_)].code;
      const bool identical = code == row.concept_id && b.predicate == "skos:exactMatch";
      MatrixCell& cell = row.cells[size_t(columnOf[size_t(b.reg)])];
      MatrixVariable& v = cell.variables.emplace_back();
      v.key = b.key;
      v.label = b.label;
      v.datatype = b.datatype;
      v.unit = b.unit;
      v.concept_id = code;
      v.predicate = b.predicate;
      v.grade = identical ? "identical" : "partial";
      if (gradeRank(v.grade) > gradeRank(cell.grade)) cell.grade = v.grade;
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace regcat
