#include "catalog/model.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstring>
#include <tuple>

namespace regcat {
namespace {

template <size_t N>
bool oneOf(const std::string& s, const char* const (&values)[N]) {
  return std::any_of(std::begin(values), std::end(values), [&](const char* v) { return s == v; });
}

bool digits(const std::string& s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int number(const std::string& s, size_t pos, size_t n) {
  return std::stoi(s.substr(pos, n));
}

}  // namespace

bool Register::sameContent(const Register& o) const {
  auto tie = [](const Register& r) {
    return std::tie(r.id, r.name, r.short_name, r.description, r.purposes, r.cpua,
                    r.registerhallare, r.register_centre, r.platform, r.register_type,
                    r.certification_level, r.start_year, r.coverage, r.population, r.unit_types,
                    r.holds_personnummer, r.research_information, r.disclosure, r.homepage,
                    r.keywords, r.number_of_records, r.number_of_individuals);
  };
  return tie(*this) == tie(o);
}

bool Dataset::sameContent(const Dataset& o) const {
  return std::tie(register_id, id, name, description, unit_type, coverage_start, coverage_end) ==
         std::tie(o.register_id, o.id, o.name, o.description, o.unit_type, o.coverage_start,
                  o.coverage_end);
}

bool Variable::sameDefinition(const Variable& o) const {
  auto tie = [](const Variable& v) {
    return std::tie(v.register_id, v.dataset_id, v.name, v.aliases, v.label, v.definition,
                    v.question, v.datatype, v.unit, v.min, v.max, v.format, v.codelist,
                    v.missing_codes, v.mandatory, v.source, v.identifier_class, v.category,
                    v.calculation);
  };
  return tie(*this) == tie(o);
}

bool CodeList::sameContent(const CodeList& o) const {
  return std::tie(id, register_id, name, description, system, valid_from, valid_to, items) ==
         std::tie(o.id, o.register_id, o.name, o.description, o.system, o.valid_from, o.valid_to,
                  o.items);
}

const CodeItem* CodeList::item(const std::string& code) const {
  for (const auto& i : items)
    if (i.code == code) return &i;
  return nullptr;
}

bool isValidDatatype(const std::string& s) {
  return oneOf(s, kDatatypes);
}
bool isValidIdentifierClass(const std::string& s) {
  return oneOf(s, kIdentifierClasses);
}
bool isValidSource(const std::string& s) {
  return oneOf(s, kSources);
}
bool isValidCategory(const std::string& s) {
  return oneOf(s, kCategories);
}

bool isValidRegisterId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool isValidLocalName(const std::string& s) {
  if (s.empty() || s.size() > 200) return false;
  int32_t i = 0;
  const auto len = static_cast<int32_t>(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  while (i < len) {
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) return false;
    if (u_isalnum(c) || c == '_' || c == '-' || c == '.') continue;
    return false;
  }
  return s != "." && s != "..";
}

bool isValidDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits(s, 0, 4) || !digits(s, 5, 2) || !digits(s, 8, 2)) return false;
  const int y = number(s, 0, 4), m = number(s, 5, 2), d = number(s, 8, 2);
  if (m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool isValidDateTime(const std::string& s) {
  if (s.size() < 16 || !isValidDate(s.substr(0, 10)) || s[10] != 'T') return false;
  return digits(s, 11, 2) && s[13] == ':' && digits(s, 14, 2);
}

}  // namespace regcat
