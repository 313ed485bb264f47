#include "mapping/mapping.h"

#include <algorithm>
#include <iterator>

namespace regcat {

bool isValidPredicate(const std::string& s) {
  return std::find(std::begin(kPredicates), std::end(kPredicates), s) != std::end(kPredicates);
}

bool isValidMappingStatus(const std::string& s) {
  return std::find(std::begin(kMappingStatuses), std::end(kMappingStatuses), s) !=
         std::end(kMappingStatuses);
}

std::string MappingSubject::key() const {
  return code.empty() ? variableKey() : variableKey() + "#" + code;
}

std::optional<MappingSubject> MappingSubject::parse(const std::string& s) {
  // The code comes after the first '#': variable names never contain one, codes may.
  const size_t hash = s.find('#');
  const std::string path = s.substr(0, hash);
  MappingSubject out;
  if (hash != std::string::npos) {
    out.code = s.substr(hash + 1);
    if (out.code.empty()) return std::nullopt;
  }
  const size_t a = path.find('/');
  if (a == std::string::npos) return std::nullopt;
  const size_t b = path.find('/', a + 1);
  if (b == std::string::npos || path.find('/', b + 1) != std::string::npos) return std::nullopt;
  out.register_id = path.substr(0, a);
  out.dataset_id = path.substr(a + 1, b - a - 1);
  out.variable = path.substr(b + 1);
  if (out.register_id.empty() || out.dataset_id.empty() || out.variable.empty())
    return std::nullopt;
  return out;
}

}  // namespace regcat
