#include "mapping/suggester_cache.h"

#include <algorithm>
#include <map>

#include "catalog/errors.h"
#include "catalog/parallel.h"
#include "catalog/store.h"
#include "mapping/mapping_store.h"

namespace regcat {

SuggesterCache::SuggesterCache(Store& store) : store_(store) {}

std::shared_ptr<const Suggester> SuggesterCache::get(const TerminologyInfo& release) {
  // Keyed by content: a release replaced in place (same version, new content) gets a new index.
  const std::string key = std::to_string(release.id) + ":" + release.sha256;
  {
    std::lock_guard lock(m_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }
  // Built outside the lock: two first requests may both build; one result is kept.
  auto built = std::make_shared<const Suggester>(store_, release);
  std::lock_guard lock(m_);
  if (cache_.size() >= 8) cache_.clear();
  return cache_.emplace(key, built).first->second;
}

std::vector<PriorMapping> approvedPriors(MappingStore& mappings, const std::string& system) {
  MappingQuery q;
  q.status = "approved";
  q.system = system;
  q.limit = -1;
  std::vector<PriorMapping> out;
  for (const auto& m : mappings.list(q).items)
    if (!m.isNoMatch() && !m.subject_label.empty() && m.predicate == "skos:exactMatch")
      out.push_back({m.subject_label, m.concept_id, {}});
  prepareKeys(out);
  return out;
}

std::vector<VariableSuggestions> suggestForRegister(Store& store, const Suggester& suggester,
                                                    const std::string& registerId,
                                                    const std::string& datasetId, int limit,
                                                    bool codes,
                                                    const std::vector<PriorMapping>& priors) {
  if (!store.getRegister(registerId))
    throw notFound("register", "register '" + registerId + "' not found");
  if (!datasetId.empty() && !store.getDataset(registerId, datasetId))
    throw notFound("dataset", "dataset '" + registerId + "/" + datasetId + "' not found");
  std::map<std::string, CodeList> lists;
  for (auto& c : store.listCodeLists(registerId)) lists.emplace(c.id, std::move(c));
  std::vector<Variable> variables = store.listVariables(registerId, datasetId);
  // Everything the store has to say is read first; the suggestions are then worked out on
  // every core (the suggester is immutable and keeps its scratch space per thread; the
  // variables are independent), each into its own slot, so the order is the listing's.
  std::vector<const CodeList*> codeLists(variables.size(), nullptr);
  for (size_t i = 0; i < variables.size(); ++i) {
    const Variable& v = variables[i];
    if (v.codelist.empty()) continue;
    auto it = lists.find(v.codelist);
    if (it == lists.end()) {
      // A shared list of another register.
      if (auto c = store.getCodeList(v.codelist)) it = lists.emplace(c->id, *c).first;
    }
    if (it != lists.end()) codeLists[i] = &it->second;
  }
  std::vector<VariableSuggestions> out(variables.size());
  // A thread per core, none for small registers (starting threads costs more than a few
  // dozen suggestions).
  const size_t threads = std::min<size_t>({coreCount(), 8, variables.size() / 32 + 1});
  parallelFor(variables.size(), unsigned(threads), [&] {
    return [&](size_t i) {
      const Variable& v = variables[i];
      const CodeList* cl = codeLists[i];
      VariableSuggestions& vs = out[i];
      vs.suggestions = suggester.forVariable(v, cl, limit, priors);
      if (codes && cl)
        for (const auto& item : cl->items)
          if (!item.is_missing)
            vs.codes.emplace_back(item.code, suggester.forCode(v, item, limit, priors));
    };
  });
  for (size_t i = 0; i < variables.size(); ++i) out[i].variable = std::move(variables[i]);
  return out;
}

std::vector<Mapping> suggestionMappings(const std::vector<VariableSuggestions>& all,
                                        const std::string& system, const std::string& release,
                                        double minScore) {
  std::vector<Mapping> rows;
  auto add = [&](const Variable& v, const std::string& code, const Suggestion& x) {
    if (x.score < minScore) return;
    Mapping m;
    m.subject = {v.register_id, v.dataset_id, v.name, code};
    m.system = system;
    m.concept_id = x.concept_id;
    m.concept_label = x.term;
    m.confidence = x.score;
    m.release = release;
    m.author = "regcat-suggester";
    for (const auto& reason : x.reasons) m.comment += (m.comment.empty() ? "" : "; ") + reason;
    rows.push_back(std::move(m));
  };
  for (const auto& vs : all) {
    for (const auto& x : vs.suggestions) add(vs.variable, "", x);
    for (const auto& [code, list] : vs.codes)
      for (const auto& x : list) add(vs.variable, code, x);
  }
  return rows;
}

}  // namespace regcat
