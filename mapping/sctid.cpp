#include "mapping/sctid.h"

namespace regcat::sctid {
namespace {

// Verhoeff tables: multiplication in the dihedral group D5, position permutation, inverse.
constexpr int kD[10][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
                            {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
                            {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
                            {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
                            {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
constexpr int kP[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
                           {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
                           {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                           {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
constexpr int kInv[10] = {0, 4, 3, 2, 1, 5, 6, 7, 8, 9};

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

bool verhoeffValid(std::string_view digits) {
  if (!allDigits(digits)) return false;
  int c = 0;
  for (size_t i = 0; i < digits.size(); ++i)
    c = kD[c][kP[i % 8][digits[digits.size() - 1 - i] - '0']];
  return c == 0;
}

char verhoeffDigit(std::string_view digits) {
  int c = 0;
  for (size_t i = 0; i < digits.size(); ++i)
    c = kD[c][kP[(i + 1) % 8][digits[digits.size() - 1 - i] - '0']];
  return char('0' + kInv[c]);
}

std::optional<Component> partition(std::string_view id) {
  if (id.size() < 3) return std::nullopt;
  const char kind = id[id.size() - 2], ns = id[id.size() - 3];
  if (ns != '0' && ns != '1') return std::nullopt;
  switch (kind) {
    case '0':
      return Component::Concept;
    case '1':
      return Component::Description;
    case '2':
      return Component::Relationship;
    default:
      return std::nullopt;
  }
}

int64_t namespaceOf(std::string_view id) {
  if (id.size() < 11 || id[id.size() - 3] != '1') return 0;
  int64_t ns = 0;
  for (char c : id.substr(id.size() - 10, 7)) ns = ns * 10 + (c - '0');
  return ns;
}

bool isValid(std::string_view id, Component expected) {
  if (id.size() < 6 || id.size() > 18 || id[0] == '0' || !allDigits(id)) return false;
  if (id[id.size() - 3] == '1' && id.size() < 11) return false;  // a namespace needs 7 digits
  return partition(id) == expected && verhoeffValid(id);
}

std::optional<int64_t> parse(std::string_view id, Component expected) {
  if (!isValid(id, expected)) return std::nullopt;
  int64_t v = 0;
  for (char c : id) v = v * 10 + (c - '0');
  return v;
}

}  // namespace regcat::sctid
