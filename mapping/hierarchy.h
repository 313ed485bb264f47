// One release's IS-A graph in memory: concepts numbered densely, parents and children in
// compressed sparse rows. Subsumption walks up from the candidate (depth is small in SNOMED CT,
// so this is a few hundred nanoseconds); descendants walk down. Immutable once built.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace regcat {

class Hierarchy {
 public:
  using Index = int32_t;
  static constexpr Index kNone = -1;

  // codes[i] with active[i]; edges as (child, parent) index pairs.
  Hierarchy(std::vector<std::string> codes, std::vector<bool> active,
            const std::vector<std::pair<Index, Index>>& childParent);

  Index index(const std::string& code) const;
  const std::string& code(Index i) const { return codes_[size_t(i)]; }
  // The code as a number (SNOMED CT ids), -1 when it is not one.
  int64_t number(Index i) const { return numbers_[size_t(i)]; }
  bool active(Index i) const { return active_[size_t(i)]; }
  size_t size() const { return codes_.size(); }

  bool subsumes(Index ancestor, Index descendant) const;  // reflexive
  std::vector<Index> parents(Index i) const;
  std::vector<Index> children(Index i) const;
  std::vector<Index> ancestors(Index i) const;    // excluding i, unsorted
  std::vector<Index> descendants(Index i) const;  // excluding i, unsorted

 private:
  std::vector<std::string> codes_;
  std::vector<bool> active_;
  std::vector<int64_t> numbers_;
  std::unordered_map<std::string, Index> byCode_;
  std::vector<Index> parentStart_, parentList_, childStart_, childList_;
};

}  // namespace regcat
