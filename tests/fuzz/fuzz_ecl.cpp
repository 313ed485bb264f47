// Fuzz target: the SNOMED CT Expression Constraint Language parser (mapping/ecl.h), as the
// FHIR ValueSet $expand and the terminology search call it with user text. Checks, besides
// crashes: bad text ends in ecl::ParseError; the canonical form toString() writes parses again
// to the same canonical form; evaluation against a small terminology either answers or throws
// the std::runtime_error evaluate() documents.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "fuzz_support.h"
#include "mapping/ecl.h"

namespace {

using namespace regcat::ecl;

// A few real SNOMED CT ids: root, finding > disease > MI, body structure > heart, the
// finding-site attribute, IS-A, and a refset with two members.
class SmallSource : public ConceptSource {
 public:
  SmallSource() {
    for (auto [child, parent] : std::initializer_list<std::pair<ConceptId, ConceptId>>{
             {404684003, 138875005},
             {64572001, 404684003},
             {22298006, 64572001},
             {123037004, 138875005},
             {80891009, 123037004},
             {410662002, 138875005},
             {363698007, 410662002},
             {116680003, 410662002},
             {900000000000455006, 138875005},
             {46011000052107, 900000000000455006}}) {
      parents_[child].insert(parent);
      children_[parent].insert(child);
      active_.insert(child);
      active_.insert(parent);
    }
  }
  bool exists(ConceptId id) const override { return active_.count(id) > 0; }
  ConceptSet allConcepts() const override { return {active_.begin(), active_.end()}; }
  ConceptSet descendants(ConceptId id) const override { return closure(id, children_); }
  ConceptSet ancestors(ConceptId id) const override { return closure(id, parents_); }
  ConceptSet children(ConceptId id) const override { return direct(id, children_); }
  ConceptSet parents(ConceptId id) const override { return direct(id, parents_); }
  ConceptSet refsetMembers(ConceptId refset) const override {
    if (refset == 46011000052107) return {22298006, 64572001};
    return {};
  }
  std::vector<AttributeHit> attributeSources(const ConceptSet& types,
                                             const ConceptSet& values) const override {
    std::vector<AttributeHit> hits;
    if (std::binary_search(types.begin(), types.end(), 363698007) &&
        std::binary_search(values.begin(), values.end(), 80891009))
      hits.push_back({22298006, 1});
    if (std::binary_search(types.begin(), types.end(), 116680003) &&
        std::binary_search(values.begin(), values.end(), 64572001))
      hits.push_back({22298006, 0});
    std::sort(hits.begin(), hits.end());
    return hits;
  }

 private:
  using Edges = std::map<ConceptId, std::set<ConceptId>>;
  ConceptSet direct(ConceptId id, const Edges& edges) const {
    const auto it = edges.find(id);
    if (it == edges.end()) return {};
    return {it->second.begin(), it->second.end()};
  }
  ConceptSet closure(ConceptId id, const Edges& edges) const {
    std::set<ConceptId> seen;
    std::vector<ConceptId> pending = {id};
    while (!pending.empty()) {
      const ConceptId c = pending.back();
      pending.pop_back();
      for (ConceptId n : direct(c, edges))
        if (seen.insert(n).second) pending.push_back(n);
    }
    return {seen.begin(), seen.end()};
  }
  std::set<ConceptId> active_;
  Edges parents_, children_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  ExpressionPtr e;
  try {
    e = parse(text);
  } catch (const ParseError&) {
    return 0;
  }
  const std::string canonical = toString(*e);
  std::string again;
  try {
    again = toString(*parse(canonical));
  } catch (const ParseError& err) {
    std::fprintf(stderr, "canonical form does not parse: '%s': %s\n", canonical.c_str(),
                 err.what());
    std::abort();
  }
  if (again != canonical) {
    std::fprintf(stderr, "canonical form is not stable: '%s' -> '%s'\n", canonical.c_str(),
                 again.c_str());
    std::abort();
  }
  static const SmallSource source;
  try {
    const ConceptSet result = evaluate(*e, source);
    if (!std::is_sorted(result.begin(), result.end()) ||
        std::adjacent_find(result.begin(), result.end()) != result.end()) {
      std::fprintf(stderr, "evaluate() answered a set that is not sorted and unique\n");
      std::abort();
    }
  } catch (const ParseError&) {
    std::fprintf(stderr, "evaluate() threw a ParseError\n");
    std::abort();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
