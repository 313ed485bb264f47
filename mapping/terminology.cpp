#include "mapping/terminology.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"

namespace regcat {
namespace {

std::string col(SQLite::Statement& s, int i) {
  auto c = s.getColumn(i);
  return c.isNull() ? std::string() : c.getString();
}

TerminologyInfo readInfo(SQLite::Statement& s) {
  TerminologyInfo t;
  t.id = s.getColumn(0).getInt64();
  t.system = col(s, 1);
  t.kind = col(s, 2);
  t.name = col(s, 3);
  t.version = col(s, 4);
  t.edition = col(s, 5);
  t.effective = col(s, 6);
  t.oid = col(s, 7);
  t.sha256 = col(s, 8);
  t.imported_at = col(s, 9);
  t.concepts = s.getColumn(10).getInt();
  return t;
}

constexpr const char* kInfoColumns =
    "SELECT t.id, t.system, t.kind, t.name, t.version, t.edition, t.effective, t.oid, "
    "t.content_sha256, t.imported_at, ";
// Counting active concepts scans the release: only the listing asks for it.
constexpr const char* kCount =
    "(SELECT count(*) FROM term_concept c WHERE c.terminology_id = t.id AND c.active = 1) "
    "FROM terminology t ";
constexpr const char* kNoCount = "0 FROM terminology t ";

ConceptSummary loadSummary(SQLite::Database& db, int64_t tid, const std::string& code,
                           bool* found) {
  ConceptSummary s;
  s.code = code;
  SQLite::Statement c(db, "SELECT active FROM term_concept WHERE terminology_id = ? AND code = ?");
  c.bind(1, static_cast<int64_t>(tid));
  c.bind(2, code);
  *found = c.executeStep();
  if (!*found) return s;
  s.active = c.getColumn(0).getInt() != 0;
  // Active descriptions first, preferred before acceptable; inactive ones only as a fallback.
  SQLite::Statement d(db,
                      "SELECT lang, type, term FROM term_description WHERE terminology_id = "
                      "? AND code = ? AND type <> 2 ORDER BY active DESC, acceptability "
                      "DESC, id");
  d.bind(1, static_cast<int64_t>(tid));
  d.bind(2, code);
  while (d.executeStep()) {
    const std::string lang = col(d, 0), term = col(d, 2);
    const int type = d.getColumn(1).getInt();
    if (type == 0 && s.fsn.empty()) s.fsn = term;
    if (type == 1 && lang == "sv" && s.pt_sv.empty()) s.pt_sv = term;
    if (type == 1 && lang == "en" && s.pt_en.empty()) s.pt_en = term;
  }
  s.semantic_tag = semanticTag(s.fsn);
  return s;
}

ecl::ConceptSet toSet(const Hierarchy& h, const std::vector<Hierarchy::Index>& idx,
                      bool activeOnly = true) {
  ecl::ConceptSet out;
  out.reserve(idx.size());
  for (auto i : idx)
    if ((!activeOnly || h.active(i)) && h.number(i) >= 0) out.push_back(h.number(i));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// ECL over one SNOMED CT release: the hierarchy in memory, refsets and attributes from SQL.
class SnomedSource : public ecl::ConceptSource {
 public:
  SnomedSource(Store& store, int64_t tid, std::shared_ptr<const Hierarchy> h)
      : store_(store), tid_(tid), h_(std::move(h)) {}

  bool exists(ecl::ConceptId id) const override {
    const auto i = h_->index(std::to_string(id));
    return i != Hierarchy::kNone && h_->active(i);
  }
  ecl::ConceptSet allConcepts() const override {
    std::vector<Hierarchy::Index> all(h_->size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = Hierarchy::Index(i);
    return toSet(*h_, all);
  }
  ecl::ConceptSet descendants(ecl::ConceptId id) const override {
    const auto i = h_->index(std::to_string(id));
    return i == Hierarchy::kNone ? ecl::ConceptSet{} : toSet(*h_, h_->descendants(i));
  }
  ecl::ConceptSet ancestors(ecl::ConceptId id) const override {
    const auto i = h_->index(std::to_string(id));
    return i == Hierarchy::kNone ? ecl::ConceptSet{} : toSet(*h_, h_->ancestors(i));
  }
  ecl::ConceptSet children(ecl::ConceptId id) const override {
    const auto i = h_->index(std::to_string(id));
    return i == Hierarchy::kNone ? ecl::ConceptSet{} : toSet(*h_, h_->children(i));
  }
  ecl::ConceptSet parents(ecl::ConceptId id) const override {
    const auto i = h_->index(std::to_string(id));
    return i == Hierarchy::kNone ? ecl::ConceptSet{} : toSet(*h_, h_->parents(i));
  }
  ecl::ConceptSet refsetMembers(ecl::ConceptId refset) const override {
    ecl::ConceptSet out;
    store_.read([&](SQLite::Database& db) {
      SQLite::Statement s(db,
                          "SELECT component FROM term_refset_member WHERE terminology_id = ? "
                          "AND refset = ? AND target = ''");
      s.bind(1, static_cast<int64_t>(tid_));
      s.bind(2, std::to_string(refset));
      while (s.executeStep()) {
        const auto i = h_->index(s.getColumn(0).getString());
        if (i != Hierarchy::kNone && h_->active(i)) out.push_back(std::stoll(h_->code(i)));
      }
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  std::vector<AttributeHit> attributeSources(const ecl::ConceptSet& types,
                                             const ecl::ConceptSet& values) const override {
    std::vector<AttributeHit> out;
    auto keep = [&](SQLite::Statement& s, int sourceCol, int typeCol, int destCol, int groupCol) {
      const auto type = std::stoll(s.getColumn(typeCol).getString());
      if (!std::binary_search(types.begin(), types.end(), type)) return;
      if (destCol >= 0 && !std::binary_search(values.begin(), values.end(),
                                              std::stoll(s.getColumn(destCol).getString())))
        return;
      out.push_back(
          {std::stoll(s.getColumn(sourceCol).getString()), s.getColumn(groupCol).getInt()});
    };
    store_.read([&](SQLite::Database& db) {
      if (values.size() <= 5000) {
        // Few values: look each up by destination (indexed), whatever the number of types.
        SQLite::Statement s(db,
                            "SELECT source, type, grp FROM term_relationship WHERE "
                            "terminology_id = ? AND destination = ?");
        for (auto v : values) {
          s.reset();
          s.bind(1, static_cast<int64_t>(tid_));
          s.bind(2, std::to_string(v));
          while (s.executeStep()) keep(s, 0, 1, -1, 2);
        }
      } else {
        // Many values (e.g. `= *`): one pass over the release's relationships.
        SQLite::Statement s(db,
                            "SELECT source, type, destination, grp FROM term_relationship "
                            "WHERE terminology_id = ?");
        s.bind(1, static_cast<int64_t>(tid_));
        while (s.executeStep()) keep(s, 0, 1, 2, 3);
      }
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end(),
                          [](const AttributeHit& x, const AttributeHit& y) {
                            return x.source == y.source && x.group == y.group;
                          }),
              out.end());
    return out;
  }

 private:
  Store& store_;
  int64_t tid_;
  std::shared_ptr<const Hierarchy> h_;
};

struct WordMatch {
  double score = 0;
  const char* kind = "";
};

WordMatch matchWord(const std::string& exact, const std::string& folded,
                    const std::vector<std::string>& termExact,
                    const std::vector<std::string>& termFolded) {
  WordMatch best;
  auto take = [&](double s, const char* k) {
    if (s > best.score) best = {s, k};
  };
  for (const auto& t : termExact) {
    if (t == exact) return {1.0, "exact"};
    if (t.rfind(exact, 0) == 0) take(0.85, "prefix");
  }
  for (const auto& t : termFolded) {
    if (t == folded)
      take(0.7, "folded");
    else if (t.rfind(folded, 0) == 0)
      take(0.6, "folded");
    else if (folded.size() >= 3 && t.find(folded) != std::string::npos)
      take(0.5, "infix");
  }
  return best;
}

}  // namespace

std::string ConceptSummary::display(const std::string& lang) const {
  if (lang == "en") return !pt_en.empty() ? pt_en : !pt_sv.empty() ? pt_sv : fsn;
  return !pt_sv.empty() ? pt_sv : !pt_en.empty() ? pt_en : fsn;
}

std::string semanticTag(const std::string& fsn) {
  if (fsn.empty() || fsn.back() != ')') return {};
  const size_t open = fsn.rfind('(');
  if (open == std::string::npos) return {};
  return fsn.substr(open + 1, fsn.size() - open - 2);
}

Terminology::Terminology(Store& store) : store_(store) {}

std::vector<TerminologyInfo> Terminology::releases(bool withCounts) {
  std::vector<TerminologyInfo> out;
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement s(db, std::string(kInfoColumns) + (withCounts ? kCount : kNoCount) +
                                "ORDER BY t.system, t.effective DESC, t.id DESC");
    while (s.executeStep()) out.push_back(readInfo(s));
  });
  return out;
}

std::optional<TerminologyInfo> Terminology::release(const std::string& system,
                                                    const std::string& version) {
  for (const auto& t : releases(false)) {
    if (t.system != system) continue;
    if (version.empty() || t.version == version || t.effective == version ||
        (t.version.size() >= version.size() &&
         t.version.compare(t.version.size() - version.size(), version.size(), version) == 0))
      return t;  // releases() is newest first within a system
  }
  return std::nullopt;
}

std::optional<ConceptSummary> Terminology::summary(const TerminologyInfo& t,
                                                   const std::string& code) {
  std::optional<ConceptSummary> out;
  store_.read([&](SQLite::Database& db) {
    bool found = false;
    auto s = loadSummary(db, t.id, code, &found);
    if (found) out = s;
  });
  return out;
}

std::optional<ConceptDetail> Terminology::lookup(const TerminologyInfo& t,
                                                 const std::string& code) {
  auto sum = summary(t, code);
  if (!sum) return std::nullopt;
  ConceptDetail d;
  d.summary = *sum;
  auto h = hierarchy(t);
  store_.read([&](SQLite::Database& db) {
    const auto tid = static_cast<int64_t>(t.id);
    SQLite::Statement c(db,
                        "SELECT module, effective, defined, status FROM term_concept WHERE "
                        "terminology_id = ? AND code = ?");
    c.bind(1, tid);
    c.bind(2, code);
    if (c.executeStep()) {
      d.module = col(c, 0);
      d.effective = col(c, 1);
      d.defined = c.getColumn(2).getInt() != 0;
      d.status = col(c, 3);
    }
    SQLite::Statement ds(db,
                         "SELECT description_id, lang, type, term, acceptability, active FROM "
                         "term_description WHERE terminology_id = ? AND code = ? ORDER BY "
                         "type, lang DESC, acceptability DESC, id");
    ds.bind(1, tid);
    ds.bind(2, code);
    static const char* types[] = {"fsn", "synonym", "definition"};
    static const char* acc[] = {"", "acceptable", "preferred"};
    while (ds.executeStep()) {
      const int type = ds.getColumn(2).getInt(), a = ds.getColumn(4).getInt();
      d.designations.push_back({col(ds, 0), col(ds, 1), types[std::clamp(type, 0, 2)], col(ds, 3),
                                acc[std::clamp(a, 0, 2)], ds.getColumn(5).getInt() != 0});
    }
    auto summarise = [&](const std::string& other) {
      bool found = false;
      return loadSummary(db, tid, other, &found);
    };
    const auto i = h->index(code);
    if (i != Hierarchy::kNone) {
      for (auto p : h->parents(i)) d.parents.push_back(summarise(h->code(p)));
      for (auto k : h->children(i))
        if (h->active(k)) d.children.push_back(summarise(h->code(k)));
    }
    auto byDisplay = [](const ConceptSummary& a, const ConceptSummary& b) {
      return text::collate(a.display("sv"), b.display("sv")) < 0;
    };
    std::sort(d.parents.begin(), d.parents.end(), byDisplay);
    std::sort(d.children.begin(), d.children.end(), byDisplay);
    SQLite::Statement rel(db,
                          "SELECT type, destination, grp FROM term_relationship WHERE "
                          "terminology_id = ? AND source = ? AND type <> ? ORDER BY grp, type");
    rel.bind(1, tid);
    rel.bind(2, code);
    rel.bind(3, kIsA);
    while (rel.executeStep())
      d.attributes.push_back(
          {summarise(col(rel, 0)), summarise(col(rel, 1)), rel.getColumn(2).getInt()});
    SQLite::Statement rs(db,
                         "SELECT refset, target FROM term_refset_member WHERE terminology_id = "
                         "? AND component = ? ORDER BY refset, target");
    rs.bind(1, tid);
    rs.bind(2, code);
    while (rs.executeStep()) {
      const std::string refset = col(rs, 0), target = col(rs, 1);
      if (target.empty()) {
        d.refsets.push_back(summarise(refset));
        continue;
      }
      std::string name = refset == kReplacedBy             ? "REPLACED BY"
                         : refset == kSameAs               ? "SAME AS"
                         : refset == kPossiblyEquivalentTo ? "POSSIBLY EQUIVALENT TO"
                                                           : summarise(refset).display("en");
      d.replacements.push_back({name, refset, summarise(target)});
    }
  });
  return d;
}

std::vector<ConceptHit> Terminology::search(const TerminologyInfo& t, const ConceptQuery& q) {
  std::vector<std::string> qe, qf;
  for (const auto& w : text::words(q.q)) {
    if (qe.size() == 12) break;
    qe.push_back(w);
    qf.push_back(text::foldDiacritics(w));
  }
  if (qe.empty()) return {};
  auto quote = [](const std::string& w) { return "\"" + w + "\""; };  // words hold no quotes
  // Candidates come in tiers of decreasing match quality — whole words, word prefixes, without
  // diacritics, inside compounds — each a plain FTS5 scan without ranking (bm25 over every
  // match of a common word costs more than all the rest). Later tiers are only read while the
  // earlier ones gave too few candidates; the C++ scoring below orders the result.
  auto tier = [&](int level) {
    std::string m;
    for (size_t k = 0; k < qe.size(); ++k) {
      if (!m.empty()) m += " AND ";
      switch (level) {
        case 0:
          m += "{exact} : " + quote(qe[k]);
          break;
        case 1:
          m += "{exact} : " + quote(qe[k]) + "*";
          break;
        case 2:
          m += "({exact} : " + quote(qe[k]) + "* OR {folded} : " + quote(qf[k]) + "*)";
          break;
        default:
          m += "({exact} : " + quote(qe[k]) + "* OR {folded} : " + quote(qf[k]) + "*" +
               (qf[k].size() >= 3 ? " OR {infix} : " + quote(qf[k]) + "*" : std::string()) + ")";
      }
    }
    return m;
  };
  std::shared_ptr<const ecl::ConceptSet> allowed;
  if (!q.ecl.empty()) allowed = evaluate(t, q.ecl);
  struct Best {
    double score = -1;
    std::string term, lang, match;
    size_t words = 0;
    bool active = true;
  };
  std::unordered_map<std::string, Best> best;
  std::unordered_set<int64_t> seen;
  const size_t wanted = std::max<size_t>(100, size_t(std::max(q.limit, 1)) * 10);  // after filters
  const int scanCap = allowed ? 400000 : 2000;  // rows read per tier
  size_t kept = 0;
  store_.read([&](SQLite::Database& db) {
    const std::string table = "term_fts_" + std::to_string(t.id);
    SQLite::Statement desc(db,
                           "SELECT d.code, d.lang, d.type, d.term, d.acceptability, c.active FROM "
                           "term_description d JOIN term_concept c ON c.terminology_id = "
                           "d.terminology_id AND c.code = d.code WHERE d.id = ?");
    // The best score a candidate of each tier can reach (see the scoring below); once the
    // limit-th best candidate so far beats the next tier's best, no later tier can change
    // the result.
    static const double kTierBest[] = {1.0, 0.86, 0.71, 0.51};
    auto settled = [&](int nextLevel) {
      if (nextLevel >= 4 || best.size() < size_t(std::max(q.limit, 1))) return false;
      std::vector<double> scores;
      scores.reserve(best.size());
      for (const auto& [code, b] : best) scores.push_back(b.score);
      std::nth_element(scores.begin(), scores.begin() + (q.limit - 1), scores.end(),
                       std::greater<>());
      return scores[size_t(q.limit - 1)] >= kTierBest[nextLevel];
    };
    for (int level = 0; level < 4 && kept < wanted && !settled(level); ++level) {
      SQLite::Statement s(db,
                          "SELECT rowid FROM " + table + " WHERE " + table + " MATCH ? LIMIT ?");
      s.bind(1, tier(level));
      s.bind(2, scanCap);
      while (s.executeStep() && kept < wanted) {
        const int64_t rowid = s.getColumn(0).getInt64();
        if (!seen.insert(rowid).second) continue;
        desc.reset();
        desc.bind(1, static_cast<int64_t>(rowid));
        if (!desc.executeStep()) continue;
        const std::string code = col(desc, 0);
        const bool active = desc.getColumn(5).getInt() != 0;
        if (!active && !q.include_inactive) continue;
        if (allowed) {
          char* end = nullptr;
          const long long id = std::strtoll(code.c_str(), &end, 10);
          if (*end || !std::binary_search(allowed->begin(), allowed->end(), id)) continue;
        }
        ++kept;
        const std::string lang = col(desc, 1), term = col(desc, 3);
        const int type = desc.getColumn(2).getInt(), acceptability = desc.getColumn(4).getInt();
        const auto te = text::words(term);
        std::vector<std::string> tf;
        tf.reserve(te.size());
        for (const auto& w : te) tf.push_back(text::foldDiacritics(w));
        double sum = 0, weakest = 2;
        const char* kind = "";
        for (size_t k = 0; k < qe.size(); ++k) {
          const auto m = matchWord(qe[k], qf[k], te, tf);
          sum += m.score;
          if (m.score < weakest) weakest = m.score, kind = m.kind;
        }
        double score = sum / double(qe.size());
        // Prefer terms that say no more than the query, in the asked language, preferred ones.
        score *=
            0.9 + 0.1 * std::min(1.0, double(qe.size()) / double(std::max<size_t>(1, te.size())));
        if (lang != q.lang) score *= 0.92;
        if (type == 0) score *= 0.97;
        if (acceptability == 2) score += 0.005;
        if (!active) score *= 0.5;
        auto& b = best[code];
        if (score > b.score) b = {score, term, lang, kind, te.size(), active};
      }
    }
  });
  std::vector<std::pair<std::string, Best>> ranked(best.begin(), best.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second.score != b.second.score) return a.second.score > b.second.score;
    if (a.second.words != b.second.words) return a.second.words < b.second.words;
    return a.first < b.first;
  });
  std::vector<ConceptHit> out;
  for (const auto& [code, b] : ranked) {
    if (int(out.size()) >= std::max(0, q.limit)) break;
    ConceptHit hit;
    hit.summary = summary(t, code).value_or(ConceptSummary{code, b.active, "", "", "", ""});
    hit.term = b.term;
    hit.lang = b.lang;
    hit.match = b.match;
    hit.score = std::min(1.0, b.score);
    out.push_back(std::move(hit));
  }
  return out;
}

std::shared_ptr<const Hierarchy> Terminology::hierarchy(const TerminologyInfo& t) {
  {
    std::lock_guard lock(m_);
    auto it = hierarchies_.find(t.id);
    if (it != hierarchies_.end()) return it->second;
  }
  std::vector<std::string> codes;
  std::vector<bool> active;
  std::vector<std::pair<Hierarchy::Index, Hierarchy::Index>> edges;
  store_.read([&](SQLite::Database& db) {
    std::unordered_map<std::string, Hierarchy::Index> index;
    SQLite::Statement c(db, "SELECT code, active FROM term_concept WHERE terminology_id = ?");
    c.bind(1, static_cast<int64_t>(t.id));
    while (c.executeStep()) {
      index.emplace(c.getColumn(0).getString(), Hierarchy::Index(codes.size()));
      codes.push_back(c.getColumn(0).getString());
      active.push_back(c.getColumn(1).getInt() != 0);
    }
    SQLite::Statement r(db,
                        "SELECT source, destination FROM term_relationship WHERE "
                        "terminology_id = ? AND type = ?");
    r.bind(1, static_cast<int64_t>(t.id));
    r.bind(2, kIsA);
    while (r.executeStep()) {
      auto a = index.find(r.getColumn(0).getString()), b = index.find(r.getColumn(1).getString());
      if (a != index.end() && b != index.end()) edges.emplace_back(a->second, b->second);
    }
  });
  auto h = std::make_shared<const Hierarchy>(std::move(codes), std::move(active), edges);
  std::lock_guard lock(m_);
  return hierarchies_.emplace(t.id, h).first->second;
}

bool Terminology::subsumes(const TerminologyInfo& t, const std::string& a, const std::string& b) {
  auto h = hierarchy(t);
  return h->subsumes(h->index(a), h->index(b));
}

std::shared_ptr<const ecl::ConceptSet> Terminology::evaluate(const TerminologyInfo& t,
                                                             const std::string& expression) {
  const auto key = std::make_pair(t.id, expression);
  {
    std::lock_guard lock(m_);
    auto it = eclCache_.find(key);
    if (it != eclCache_.end()) return it->second;
  }
  auto expr = ecl::parse(expression);
  SnomedSource source(store_, t.id, hierarchy(t));
  auto result = std::make_shared<const ecl::ConceptSet>(ecl::evaluate(*expr, source));
  std::lock_guard lock(m_);
  if (eclCache_.size() >= 64) eclCache_.clear();
  eclCache_[key] = result;
  return result;
}

}  // namespace regcat
