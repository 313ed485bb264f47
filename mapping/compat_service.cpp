#include "mapping/compat_service.h"

#include <map>
#include <memory>
#include <mutex>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

namespace regcat {

CompatSide loadCompatSide(Store& store, MappingStore& mappings, const std::string& key,
                          const std::string& at, const std::string& where) {
  auto subj = MappingSubject::parse(key);
  if (!subj || subj->isCode()) throw invalid(where, "'" + key + "' is not register/dataset/name");
  auto v = store.getVariable(subj->register_id, subj->dataset_id, subj->variable, at);
  if (!v)
    throw notFound(where,
                   "variable '" + key + "' not found" + (at.empty() ? std::string() : " on " + at));
  CompatSide side;
  if (!v->codelist.empty()) {
    // The code list as it was while this version was in force.
    const std::string when = !at.empty() ? at : v->valid_to;
    side.codes = store.getCodeList(v->codelist, when);
    if (!side.codes) side.codes = store.getCodeList(v->codelist);
  }
  side.mappings = mappings.approvedFor(subj->variableKey());
  side.variable = std::move(*v);
  return side;
}

SubsumptionOracle subsumptionOracle(Terminology& terminology) {
  // Releases are looked up once per system for the life of the oracle.
  auto releases = std::make_shared<std::map<std::string, std::optional<TerminologyInfo>>>();
  auto m = std::make_shared<std::mutex>();
  return [&terminology, releases, m](const std::string& system, const std::string& ancestor,
                                     const std::string& descendant) {
    std::optional<TerminologyInfo> release;
    {
      std::lock_guard lock(*m);
      auto it = releases->find(system);
      if (it == releases->end()) it = releases->emplace(system, terminology.release(system)).first;
      release = it->second;
    }
    if (!release) return false;
    auto h = terminology.hierarchy(*release);
    const auto a = h->index(ancestor), d = h->index(descendant);
    return a != Hierarchy::kNone && d != Hierarchy::kNone && h->subsumes(a, d);
  };
}

Compatibility compareVariables(Store& store, Terminology& terminology, MappingStore& mappings,
                               const std::string& a, const std::string& b, const std::string& at) {
  const CompatSide sa = loadCompatSide(store, mappings, a, at, "a");
  const CompatSide sb = loadCompatSide(store, mappings, b, at, "b");
  return compare(sa, sb, subsumptionOracle(terminology));
}

}  // namespace regcat
