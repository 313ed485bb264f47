// Concept suggestions for register variables and their code items (issue 5): ranks the active
// concepts of one terminology release by Swedish-aware lexical similarity to what a variable
// says (label, question, definition, code labels), weighed by what its shape says about the
// kind of concept (a value in mmHg is an observable entity, a Ja/Nej disease a disorder) and
// by what curators approved before. Every suggestion carries the reasons for its rank, so a
// curator can judge it, and a score in [0, 1].
//
// The index is built once per release, in memory: the release's terms (all languages, FSNs
// without their tag) as word lists, an inverted index from words to terms, and a character
// trigram index over the distinct words, through which compounds, inflected forms and spelling
// variants meet (Swedish compounds are one word: `blodtryckssänkande` holds `blodtryck`). A
// query never scans the release; it touches the postings of its own words' trigrams and words.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "mapping/terminology.h"

namespace regcat {

class Store;

struct Suggestion {
  std::string concept_id;
  std::string term, lang;            // the term that matched best, and its language
  std::string semantic_tag;          // empty for classifications (ICD-10-SE, KVÅ, ATC, NI)
  double score = 0;                  // 0-1
  std::vector<std::string> reasons;  // human-readable, most important first
};

// A mapping curators approved before: the label of what was mapped (a variable's or a code
// item's) and the concept it was mapped to.
struct PriorMapping {
  std::string label;
  std::string concept_id;
  // The label's words as the suggester compares them (prepareKeys). Empty: worked out at each
  // use, which costs about as much as the rest of a suggestion when there are thousands.
  std::vector<std::string> key;
};
// Fills every prior's key once, for priors that serve many suggestions.
void prepareKeys(std::vector<PriorMapping>& priors);

// Immutable once built and safe to share between threads; build one per release and keep it
// (building reads the whole release: about a second per 100,000 descriptions).
class Suggester {
 public:
  Suggester(Store& store, const TerminologyInfo& release);
  ~Suggester();
  Suggester(const Suggester&) = delete;
  Suggester& operator=(const Suggester&) = delete;

  // Concepts for what the variable measures or records. `codes` is its code list, if any (the
  // labels say what the variable is about, and whether it is a yes/no question).
  std::vector<Suggestion> forVariable(const Variable& v, const CodeList* codes, int limit,
                                      const std::vector<PriorMapping>& priors = {}) const;
  // Concepts for one code item's label, with the variable as context.
  std::vector<Suggestion> forCode(const Variable& v, const CodeItem& item, int limit,
                                  const std::vector<PriorMapping>& priors = {}) const;

  const TerminologyInfo& release() const;
  size_t indexedTerms() const;  // active descriptions in the index
  size_t vocabulary() const;    // distinct words

  struct Index;

 private:
  std::unique_ptr<const Index> index_;
};

}  // namespace regcat
