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

// One approved variable-level mapping with what the matrix shows of its variable. Immutable and
// shared between snapshots, so patching a snapshot after a mapping change copies pointers only.
struct Binding {
  int64_t mapping_id = 0;
  int reg = 0;  // index into Snapshot::registers
  int position = 0;
  std::string dataset, key, label, datatype, unit, concept_id, predicate;
};
using BindingPtr = std::shared_ptr<const Binding>;

// Register, dataset and position, as variables are listed everywhere (registers are numbered by
// id, so the index orders as the id does); the mapping id makes the order total, so a patched
// snapshot lists a cell's variables exactly as a rebuilt one would.
bool listedBefore(const BindingPtr& a, const BindingPtr& b) {
  if (a->reg != b->reg) return a->reg < b->reg;
  if (int c = a->dataset.compare(b->dataset); c != 0) return c < 0;
  if (a->position != b->position) return a->position < b->position;
  return a->mapping_id < b->mapping_id;
}

// One distinct bound concept with what every request needs of it, computed once per snapshot:
// its ancestors (walking the hierarchy per request was most of the time at 150 registers) and
// its bindings per register (so coverage is counted without touching the bindings).
struct BoundConcept {
  std::string code;
  Hierarchy::Index index = Hierarchy::kNone;  // kNone: the release does not know the code
  std::vector<Hierarchy::Index> ancestors;
  std::vector<int> bindings;                     // ascending, i.e. in listing order
  std::vector<std::pair<int, int>> perRegister;  // (register, bindings), register ascending
};

// The approved variable-level bindings of one system, shared by every request until the
// catalogue or the mappings change. Reading and grouping them is what a request used to spend
// its time on (the whole mapping join per page); now a page costs the counting and the page's
// own cells. A mapping change patches the snapshot with the mappings it touched; a catalogue
// change (labels, variables closed, registers renamed) rebuilds it.
struct Snapshot {
  const Store* store = nullptr;
  std::string system;
  int64_t release_id = 0;
  // The hierarchy the ancestors were computed with. Held weakly: it identifies the Terminology
  // (one per store), and an expired pointer can never match a later hierarchy, even one
  // allocated at the same address, so a snapshot is never used for another database.
  std::weak_ptr<const Hierarchy> hierarchy;
  // Validity: the catalogue's trigger-kept generation (variables, versions, registers) and the
  // last row of mapping_history, to which every mapping write adds a row per mapping it touches
  // in the same transaction (history rows are never deleted, so the rowid only grows).
  std::string generation;
  int64_t history = 0;

  std::vector<std::string> registers, names;  // every register, by id
  std::unordered_map<std::string, int> registerOf;
  std::vector<int> boundRegisters;   // registers with at least one binding, by id
  std::vector<BindingPtr> bindings;  // in listing order
  std::vector<BoundConcept> concepts;
  std::unordered_map<std::string, int> conceptOf;

  // Row labels, filled as pages ask for them (a release's terms do not change).
  mutable std::mutex labelsMutex;
  mutable std::unordered_map<std::string, std::pair<std::string, std::string>> labels;
};

std::mutex cacheMutex;
// A few snapshots: one per (store, system, release) in use; a server has one.
std::vector<std::shared_ptr<const Snapshot>> cache;
constexpr size_t kCacheSize = 4;
// More mapping writes than this since a snapshot (a bulk import, a review of many) and
// reading them one by one costs more than reading all.
constexpr size_t kMaxPatch = 2000;

std::pair<std::string, int64_t> currentVersion(SQLite::Database& db) {
  SQLite::Statement s(db,
                      "SELECT (SELECT value FROM meta WHERE key = 'catalog_generation'), "
                      "(SELECT coalesce(max(rowid), 0) FROM mapping_history)");
  s.executeStep();
  return {s.getColumn(0).getString(), s.getColumn(1).getInt64()};
}

// The approved variable-level bindings of the current variables. Not ordered by SQL: SQLite's
// sorter took a fifth of the query's time, listedBefore is cheaper.
constexpr const char* kBindingsSql =
    "SELECT m.id, v.register_id, v.dataset_id, v.name, v.position, vv.label_sv, vv.datatype, "
    "vv.unit, m.concept_id, m.predicate FROM mapping m JOIN variable v ON v.id = m.variable_id "
    "JOIN variable_version vv ON vv.variable_id = v.id AND vv.version = v.current_version WHERE "
    "m.status = 'approved' AND m.code = '' AND m.system = ? AND m.predicate IN "
    "('skos:exactMatch', 'skos:closeMatch') AND m.concept_id <> ? AND vv.valid_to = ''";

void readBindings(SQLite::Statement& s, const Snapshot& snap, std::vector<BindingPtr>& out) {
  while (s.executeStep()) {
    auto b = std::make_shared<Binding>();
    b->mapping_id = s.getColumn(0).getInt64();
    const char* reg = s.getColumn(1).getText();
    auto ri = snap.registerOf.find(reg);
    if (ri == snap.registerOf.end()) continue;  // a variable's register always exists
    b->reg = ri->second;
    b->dataset = s.getColumn(2).getString();
    b->key.append(reg).append("/").append(b->dataset).append("/");
    b->key.append(s.getColumn(3).getText());
    b->position = s.getColumn(4).getInt();
    b->label = s.getColumn(5).getString();
    b->datatype = s.getColumn(6).getString();
    b->unit = s.getColumn(7).getString();
    b->concept_id = s.getColumn(8).getString();
    b->predicate = s.getColumn(9).getString();
    out.push_back(std::move(b));
  }
}

// Groups the (ordered) bindings by concept; ancestors are taken from the previous snapshot
// where it had the concept.
void group(Snapshot& snap, const Hierarchy& h, const Snapshot* previous) {
  std::vector<bool> bound(snap.registers.size(), false);
  for (size_t i = 0; i < snap.bindings.size(); ++i) {
    const Binding& b = *snap.bindings[i];
    auto [ci, fresh] = snap.conceptOf.try_emplace(b.concept_id, int(snap.concepts.size()));
    if (fresh) snap.concepts.emplace_back().code = b.concept_id;
    BoundConcept& c = snap.concepts[size_t(ci->second)];
    c.bindings.push_back(int(i));
    // Bindings are ordered by register, so a concept's counts are appended in register order.
    if (c.perRegister.empty() || c.perRegister.back().first != b.reg)
      c.perRegister.emplace_back(b.reg, 0);
    ++c.perRegister.back().second;
    bound[size_t(b.reg)] = true;
  }
  for (size_t r = 0; r < bound.size(); ++r)
    if (bound[r]) snap.boundRegisters.push_back(int(r));
  for (auto& c : snap.concepts) {
    if (previous)
      if (auto p = previous->conceptOf.find(c.code); p != previous->conceptOf.end()) {
        c.index = previous->concepts[size_t(p->second)].index;
        c.ancestors = previous->concepts[size_t(p->second)].ancestors;
        continue;
      }
    c.index = h.index(c.code);
    if (c.index != Hierarchy::kNone) c.ancestors = h.ancestors(c.index);
  }
}

std::shared_ptr<Snapshot> emptySnapshot(Store& store, const std::string& system,
                                        const TerminologyInfo& release,
                                        const std::shared_ptr<const Hierarchy>& h,
                                        const std::pair<std::string, int64_t>& version) {
  auto snap = std::make_shared<Snapshot>();
  snap->store = &store;
  snap->system = system;
  snap->release_id = release.id;
  snap->hierarchy = h;
  std::tie(snap->generation, snap->history) = version;
  return snap;
}

std::shared_ptr<const Snapshot> rebuild(SQLite::Database& db, std::shared_ptr<Snapshot> snap,
                                        const Hierarchy& h, const Snapshot* previous) {
  SQLite::Statement r(db, "SELECT id, name_sv FROM register ORDER BY id");
  while (r.executeStep()) {
    snap->registerOf.emplace(r.getColumn(0).getString(), int(snap->registers.size()));
    snap->registers.push_back(r.getColumn(0).getString());
    snap->names.push_back(r.getColumn(1).getString());
  }
  SQLite::Statement s(db, kBindingsSql);
  s.bind(1, snap->system);
  s.bind(2, kNoTermFound);
  readBindings(s, *snap, snap->bindings);
  std::sort(snap->bindings.begin(), snap->bindings.end(), listedBefore);
  group(*snap, h, previous);
  return snap;
}

// The previous snapshot with the mappings written since it re-read: the same catalogue, so the
// registers and the other bindings stand. Null when too much changed.
std::shared_ptr<const Snapshot> patch(SQLite::Database& db, std::shared_ptr<Snapshot> snap,
                                      const Hierarchy& h, const Snapshot& previous) {
  // Not DISTINCT: SQLite would then scan the whole history instead of the rows since.
  std::vector<int64_t> changed;
  SQLite::Statement c(db, "SELECT mapping_id FROM mapping_history WHERE rowid > ?");
  c.bind(1, previous.history);
  while (c.executeStep()) {
    changed.push_back(c.getColumn(0).getInt64());
    if (changed.size() > kMaxPatch) return nullptr;
  }
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  snap->registers = previous.registers;
  snap->names = previous.names;
  snap->registerOf = previous.registerOf;
  std::vector<BindingPtr> fresh;
  SQLite::Statement s(db, std::string(kBindingsSql) + " AND m.id = ?");
  for (int64_t id : changed) {
    s.reset();
    s.bind(1, snap->system);
    s.bind(2, kNoTermFound);
    s.bind(3, id);
    readBindings(s, *snap, fresh);
  }
  std::sort(fresh.begin(), fresh.end(), listedBefore);
  snap->bindings.reserve(previous.bindings.size() + fresh.size());
  auto next = fresh.begin();
  for (const auto& b : previous.bindings) {
    if (std::binary_search(changed.begin(), changed.end(), b->mapping_id)) continue;
    while (next != fresh.end() && listedBefore(*next, b)) snap->bindings.push_back(*next++);
    snap->bindings.push_back(b);
  }
  snap->bindings.insert(snap->bindings.end(), next, fresh.end());
  group(*snap, h, &previous);
  std::lock_guard lock(previous.labelsMutex);
  snap->labels = previous.labels;
  return snap;
}

bool sameSource(const Snapshot& s, const Store& store, const std::string& system,
                const TerminologyInfo& release, const std::shared_ptr<const Hierarchy>& h) {
  return s.store == &store && s.system == system && s.release_id == release.id &&
         s.hierarchy.lock() == h;
}

std::shared_ptr<const Snapshot> snapshot(Store& store, const std::string& system,
                                         const TerminologyInfo& release,
                                         const std::shared_ptr<const Hierarchy>& h) {
  std::shared_ptr<const Snapshot> out;
  store.read([&](SQLite::Database& db) {
    // The version first: a write committed between this and the reads below makes the snapshot
    // newer than its tag, which costs one more patch, never a stale answer.
    const auto version = currentVersion(db);
    std::shared_ptr<const Snapshot> previous;
    {
      std::lock_guard lock(cacheMutex);
      std::erase_if(cache, [](const auto& s) { return s->hierarchy.expired(); });
      for (size_t i = 0; i < cache.size(); ++i) {
        if (!sameSource(*cache[i], store, system, release, h)) continue;
        previous = cache[i];
        cache.erase(cache.begin() + long(i));
        cache.push_back(previous);  // most recently used last
        break;
      }
    }
    if (previous && previous->generation == version.first && previous->history == version.second) {
      out = previous;
      return;
    }
    // Built outside the lock: requests for other snapshots need not wait. Two requests that
    // both find it stale both build it; the later one is kept.
    if (previous && previous->generation == version.first && previous->history < version.second)
      out = patch(db, emptySnapshot(store, system, release, h, version), *h, *previous);
    if (!out)
      out = rebuild(db, emptySnapshot(store, system, release, h, version), *h, previous.get());
    std::lock_guard lock(cacheMutex);
    std::erase_if(cache, [&](const auto& s) { return sameSource(*s, store, system, release, h); });
    if (cache.size() >= kCacheSize) cache.erase(cache.begin());
    cache.push_back(out);
  });
  return out;
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
    out.columns.push_back(
        {snap->registers[size_t(columnRegs[c])], snap->names[size_t(columnRegs[c])]});
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
    // The row's bindings in listing order, so each cell lists its register's variables by
    // dataset and position whichever concept under the row they are bound to.
    hits.clear();
    for (int ci : under[size_t(st.index)]) {
      const BoundConcept& c = snap->concepts[size_t(ci)];
      for (int bi : c.bindings)
        if (columnOf[size_t(snap->bindings[size_t(bi)]->reg)] >= 0) hits.push_back(bi);
    }
    std::sort(hits.begin(), hits.end());
    for (int bi : hits) {
      const Binding& b = *snap->bindings[size_t(bi)];
      const bool identical = b.concept_id == row.concept_id && b.predicate == "skos:exactMatch";
      MatrixCell& cell = row.cells[size_t(columnOf[size_t(b.reg)])];
      MatrixVariable& v = cell.variables.emplace_back();
      v.key = b.key;
      v.label = b.label;
      v.datatype = b.datatype;
      v.unit = b.unit;
      v.concept_id = b.concept_id;
      v.predicate = b.predicate;
      v.grade = identical ? "identical" : "partial";
      if (gradeRank(v.grade) > gradeRank(cell.grade)) cell.grade = v.grade;
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace regcat
