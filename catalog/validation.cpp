// Field rules for the domain objects. `where` prefixes the field path in messages, so the same
// checks name `registers[0].datasets[1].variables[3].datatype` in an import and `datatype` in
// an API body.
#include <set>

#include "catalog/errors.h"
#include "catalog/store_internal.h"
#include "catalog/text.h"

namespace regcat::detail {
namespace {

std::string at(const std::string& where, const std::string& field) {
  return where.empty() ? field : where + "." + field;
}

void requireText(const Text& t, const std::string& where, const std::string& field) {
  if (t.sv.empty() && t.en.empty()) throw invalid(at(where, field), "is required");
}

void checkDate(const std::string& d, const std::string& where, const std::string& field) {
  if (!d.empty() && !isValidDate(d))
    throw invalid(at(where, field), "'" + d + "' is not a date (expected YYYY-MM-DD)");
}

void checkPeriod(const std::string& from, const std::string& to, const std::string& where,
                 const std::string& fromField, const std::string& toField) {
  checkDate(from, where, fromField);
  checkDate(to, where, toField);
  // The day before valid_from marks a version that never took effect (see closeVariable).
  if (!from.empty() && !to.empty() && to < from && to != text::addDays(from, -1))
    throw invalid(at(where, toField), "'" + to + "' is before " + fromField + " '" + from + "'");
}

}  // namespace

void validateRegister(const Register& r, const std::string& where, bool requireCpua) {
  if (!isValidRegisterId(r.id))
    throw invalid(at(where, "id"), "'" + r.id +
                                       "' is not a valid register id (lower-case letters, digits, "
                                       "'-' and '_', starting with a letter or digit)");
  requireText(r.name, where, "name");
  if (requireCpua && r.cpua.name.empty())
    throw invalid(at(where, "cpua.name"),
                  "is required: every register has exactly one central data controller (CPUA)");
  static const std::set<std::string> levels = {"", "1", "2", "3", "K"};
  if (!levels.count(r.certification_level))
    throw invalid(at(where, "certification_level"),
                  "'" + r.certification_level + "' is not one of 1, 2, 3, K");
  if (r.start_year && (*r.start_year < 1900 || *r.start_year > 2100))
    throw invalid(at(where, "start_year"),
                  std::to_string(*r.start_year) + " is not a plausible year");
  for (size_t i = 0; i < r.coverage.size(); ++i) {
    const auto& c = r.coverage[i];
    const std::string w = at(where, "coverage[" + std::to_string(i) + "]");
    if (c.value && (*c.value < 0 || *c.value > 100))
      throw invalid(w + ".value", "must be a percentage between 0 and 100");
    checkPeriod(c.period_start, c.period_end, w, "period_start", "period_end");
  }
}

void validateDataset(const Dataset& d, const std::string& where) {
  if (!isValidLocalName(d.id))
    throw invalid(at(where, "id"), "'" + d.id +
                                       "' is not a valid dataset id (letters, digits, "
                                       "'_', '-', '.')");
  requireText(d.name, where, "name");
  checkPeriod(d.coverage_start, d.coverage_end, where, "temporal_coverage.start",
              "temporal_coverage.end");
}

void validateCodeList(const CodeList& c, const std::string& where) {
  if (!isValidLocalName(c.id))
    throw invalid(at(where, "id"), "'" + c.id +
                                       "' is not a valid code list id (letters, digits, "
                                       "'_', '-', '.')");
  requireText(c.name, where, "name");
  checkPeriod(c.valid_from, c.valid_to, where, "valid_from", "valid_to");
  std::set<std::string> seen;
  for (size_t i = 0; i < c.items.size(); ++i) {
    const auto& item = c.items[i];
    const std::string w = at(where, "items[" + std::to_string(i) + "]");
    if (item.code.empty()) throw invalid(w + ".code", "is required");
    if (!seen.insert(item.code).second)
      throw invalid(w + ".code", "duplicate code '" + item.code + "'");
    checkPeriod(item.valid_from, item.valid_to, w, "valid_from", "valid_to");
  }
}

void validateVariable(const Variable& v, const std::string& where) {
  if (!isValidLocalName(v.name))
    throw invalid(at(where, "name"), "'" + v.name +
                                         "' is not a valid variable name (letters, "
                                         "digits, '_', '-', '.')");
  requireText(v.label, where, "label");
  if (!isValidDatatype(v.datatype))
    throw invalid(at(where, "datatype"),
                  "'" + v.datatype +
                      "' is not one of integer, decimal, string, date, datetime, boolean, code");
  if (v.datatype == "code" && v.codelist.empty())
    throw invalid(at(where, "codelist"), "is required for a variable of datatype code");
  if (!v.codelist.empty() && v.datatype != "code" && v.datatype != "boolean")
    throw invalid(at(where, "codelist"),
                  "only variables of datatype code or boolean have a code list (datatype is " +
                      v.datatype + ")");
  if (v.min && v.max && *v.min > *v.max) throw invalid(at(where, "min"), "is greater than max");
  if (!isValidIdentifierClass(v.identifier_class))
    throw invalid(at(where, "identifier_class"),
                  "'" + v.identifier_class + "' is not one of direct, indirect, sensitive, none");
  if (!v.source.empty() && !isValidSource(v.source))
    throw invalid(at(where, "source"),
                  "'" + v.source +
                      "' is not one of care-record, patient-reported, clinician-reported, "
                      "computed, linked-register, administrative, device");
  if (!v.category.empty() && !isValidCategory(v.category))
    throw invalid(
        at(where, "category"),
        "'" + v.category +
            "' is not one of background, diagnostics, treatment, outcome, administrative");
  checkPeriod(v.valid_from, v.valid_to, where, "valid_from", "valid_to");
  std::set<std::string> seen;
  for (size_t i = 0; i < v.missing_codes.size(); ++i) {
    const std::string w = at(where, "missing_codes[" + std::to_string(i) + "].code");
    if (v.missing_codes[i].code.empty()) throw invalid(w, "is required");
    if (!seen.insert(v.missing_codes[i].code).second)
      throw invalid(w, "duplicate code '" + v.missing_codes[i].code + "'");
  }
  for (size_t i = 0; i < v.aliases.size(); ++i)
    if (v.aliases[i].empty())
      throw invalid(at(where, "aliases[" + std::to_string(i) + "]"), "is empty");
}

}  // namespace regcat::detail
