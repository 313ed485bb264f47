// Suggestions for the variables of the catalogue: one Suggester per terminology release, built
// on first use and shared (building the index reads the whole release), plus the catalogue's
// approved mappings as priors.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "mapping/mapping.h"
#include "mapping/suggester.h"
#include "mapping/terminology.h"

namespace regcat {

class Store;
class MappingStore;

class SuggesterCache {
 public:
  explicit SuggesterCache(Store& store);
  std::shared_ptr<const Suggester> get(const TerminologyInfo& release);

 private:
  Store& store_;
  std::mutex m_;
  std::map<std::string, std::shared_ptr<const Suggester>> cache_;  // by release sha256
};

// The approved mappings of a system, as priors for the suggester (label -> concept).
std::vector<PriorMapping> approvedPriors(MappingStore& mappings, const std::string& system);

struct VariableSuggestions {
  Variable variable;
  std::vector<Suggestion> suggestions;
  std::vector<std::pair<std::string, std::vector<Suggestion>>> codes;  // code -> suggestions
};

// Suggestions for every current variable of a register (or one dataset), and for their codes
// when `codes` is set. `priors` normally comes from approvedPriors.
std::vector<VariableSuggestions> suggestForRegister(Store& store, const Suggester& suggester,
                                                    const std::string& registerId,
                                                    const std::string& datasetId, int limit,
                                                    bool codes,
                                                    const std::vector<PriorMapping>& priors);

// The suggestions scoring at least minScore as "suggested" mappings by regcat-suggester, with
// their reasons as the comment, ready for MappingStore::saveSuggestions.
std::vector<Mapping> suggestionMappings(const std::vector<VariableSuggestions>& all,
                                        const std::string& system, const std::string& release,
                                        double minScore);

}  // namespace regcat
