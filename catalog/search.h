// Variable search: the query model and its result. Implemented by Store::searchVariables over
// an FTS5 index whose text the Swedish normaliser in text.h has prepared.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/model.h"

namespace regcat {

struct VariableQuery {
  std::string q;  // free text; empty lists everything
  // datasets: "register/dataset" or a bare dataset id (any register)
  std::vector<std::string> registers, datasets, datatypes, identifier_classes, categories;
  std::string sort;  // "" (relevance, or register order without q), "name", "label", "register"
  bool include_closed = false;
  int limit = 50, offset = 0;
};

struct VariableHit {
  Variable variable;  // latest version (no aliases/missing codes loaded)
  Text register_name, dataset_name;
  double score = 0;
  // Why it ranks where it does: the weakest query word's match (exact, prefix, folded, infix)
  // and where it matched (label, name, text).
  std::string match, field;
};

struct SearchResult {
  int total = 0;
  std::vector<VariableHit> hits;
  // facet name -> (value -> count), over the whole result set.
  std::map<std::string, std::map<std::string, int>> facets;
};

// Index text for one field, as stored in the FTS5 columns.
struct IndexedText {
  std::string exact, folded, infix;
};
IndexedText indexText(const std::vector<std::string>& fields);

// FTS5 MATCH expression for a free-text query (empty when the query has no words).
std::string ftsQuery(const std::string& q);

}  // namespace regcat
