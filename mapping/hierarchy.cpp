#include "mapping/hierarchy.h"

#include <algorithm>

namespace regcat {

Hierarchy::Hierarchy(std::vector<std::string> codes, std::vector<bool> active,
                     const std::vector<std::pair<Index, Index>>& childParent)
    : codes_(std::move(codes)), active_(std::move(active)) {
  byCode_.reserve(codes_.size());
  numbers_.reserve(codes_.size());
  for (size_t i = 0; i < codes_.size(); ++i) {
    byCode_.emplace(codes_[i], Index(i));
    const auto& c = codes_[i];
    const bool numeric =
        !c.empty() && c.size() <= 18 &&
        std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    numbers_.push_back(numeric ? std::stoll(c) : -1);
  }
  const size_t n = codes_.size();
  parentStart_.assign(n + 1, 0);
  childStart_.assign(n + 1, 0);
  for (auto [c, p] : childParent) {
    ++parentStart_[size_t(c) + 1];
    ++childStart_[size_t(p) + 1];
  }
  for (size_t i = 0; i < n; ++i) {
    parentStart_[i + 1] += parentStart_[i];
    childStart_[i + 1] += childStart_[i];
  }
  parentList_.resize(childParent.size());
  childList_.resize(childParent.size());
  std::vector<Index> pFill(parentStart_.begin(), parentStart_.end() - 1);
  std::vector<Index> cFill(childStart_.begin(), childStart_.end() - 1);
  for (auto [c, p] : childParent) {
    parentList_[size_t(pFill[size_t(c)]++)] = p;
    childList_[size_t(cFill[size_t(p)]++)] = c;
  }
}

Hierarchy::Index Hierarchy::index(const std::string& code) const {
  auto it = byCode_.find(code);
  return it == byCode_.end() ? kNone : it->second;
}

bool Hierarchy::subsumes(Index ancestor, Index descendant) const {
  if (ancestor == kNone || descendant == kNone) return false;
  if (ancestor == descendant) return true;
  // Walk up from the descendant; a per-thread generation stamp per concept marks the visited
  // ones without clearing anything between calls.
  thread_local std::vector<uint32_t> stamp;
  thread_local uint32_t generation = 0;
  thread_local std::vector<Index> stack;
  if (stamp.size() < codes_.size()) stamp.assign(codes_.size(), 0);
  if (++generation == 0) {
    std::fill(stamp.begin(), stamp.end(), 0);
    generation = 1;
  }
  stack.clear();
  stack.push_back(descendant);
  while (!stack.empty()) {
    const Index i = stack.back();
    stack.pop_back();
    for (Index k = parentStart_[size_t(i)]; k < parentStart_[size_t(i) + 1]; ++k) {
      const Index p = parentList_[size_t(k)];
      if (p == ancestor) return true;
      if (stamp[size_t(p)] == generation) continue;
      stamp[size_t(p)] = generation;
      stack.push_back(p);
    }
  }
  return false;
}

std::vector<Hierarchy::Index> Hierarchy::parents(Index i) const {
  return {parentList_.begin() + parentStart_[size_t(i)],
          parentList_.begin() + parentStart_[size_t(i) + 1]};
}

std::vector<Hierarchy::Index> Hierarchy::children(Index i) const {
  return {childList_.begin() + childStart_[size_t(i)],
          childList_.begin() + childStart_[size_t(i) + 1]};
}

namespace {

std::vector<Hierarchy::Index> walk(Hierarchy::Index start, size_t n,
                                   const std::vector<Hierarchy::Index>& startOf,
                                   const std::vector<Hierarchy::Index>& list) {
  std::vector<Hierarchy::Index> out, queue{start};
  std::vector<bool> seen(n, false);
  seen[size_t(start)] = true;
  while (!queue.empty()) {
    const auto i = queue.back();
    queue.pop_back();
    for (auto k = startOf[size_t(i)]; k < startOf[size_t(i) + 1]; ++k) {
      const auto j = list[size_t(k)];
      if (seen[size_t(j)]) continue;
      seen[size_t(j)] = true;
      out.push_back(j);
      queue.push_back(j);
    }
  }
  return out;
}

}  // namespace

std::vector<Hierarchy::Index> Hierarchy::ancestors(Index i) const {
  return walk(i, codes_.size(), parentStart_, parentList_);
}

std::vector<Hierarchy::Index> Hierarchy::descendants(Index i) const {
  return walk(i, codes_.size(), childStart_, childList_);
}

}  // namespace regcat
