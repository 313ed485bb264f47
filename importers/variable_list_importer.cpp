// regcat's own variable list (docs/variable-list-format.md) from CSV/TSV or from an .xlsx
// workbook: one row per variable, optionally one row per code item in the sheet `Koder`.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "importers/delimited_reader.h"
#include "importers/template_exporter.h"
#include "importers/variable_import.h"
#include "importers/xlsx_reader.h"

namespace regcat {
namespace {

// Cells of one sheet, from a CSV file or a worksheet, and how to name a cell in a message:
// "file.csv:12" (a CSV record's line) or "file.xlsx:Variabler!C12".
struct Grid {
  std::string base;
  bool xlsx = false;
  struct Row {
    size_t number = 0;
    std::vector<std::string> cells;
    std::vector<bool> numeric;
  };
  std::vector<Row> rows;  // rows[0] is the header

  std::string at(const Row& r, size_t col) const {
    if (xlsx) return base + "!" + xlsxColumnName(col) + std::to_string(r.number);
    return base + ":" + std::to_string(r.number);
  }
};

// A row that cannot be imported: skipped under skip_invalid, else the import fails.
struct RowError {
  std::string where, reason;
};

enum VarField {
  kDataset,
  kName,
  kLabelSv,
  kLabelEn,
  kDefinitionSv,
  kDefinitionEn,
  kQuestionSv,
  kQuestionEn,
  kDatatype,
  kUnit,
  kMin,
  kMax,
  kFormat,
  kCodelist,
  kCodes,
  kMissingCodes,
  kMandatory,
  kSource,
  kIdentifierClass,
  kCategory,
  kValidFrom,
  kValidTo,
  kAliases,
  kCalculation,
  kMissingCodesEn,
  kDatasetName,
  kVarFieldCount
};

// Accepted header names per field: the English name first, then the Swedish ones.
const std::vector<std::vector<std::string>>& variableColumnNames() {
  static const std::vector<std::vector<std::string>> names = {
      {"dataset", "formulär"},
      {"name", "variabelnamn", "namn"},
      {"label_sv", "etikett"},
      {"label_en", "etikett_en"},
      {"definition_sv", "definition"},
      {"definition_en"},
      {"question_sv", "fråga"},
      {"question_en", "fråga_en"},
      {"datatype", "datatyp"},
      {"unit", "enhet"},
      {"min"},
      {"max"},
      {"format"},
      {"codelist", "värdemängd"},
      {"codes", "koder"},
      {"missing_codes", "saknade_värden"},
      {"mandatory", "obligatorisk"},
      {"source", "källa"},
      {"identifier_class", "identifierare"},
      {"category", "kategori"},
      {"valid_from", "giltig_från"},
      {"valid_to", "giltig_till"},
      {"aliases", "alias"},
      {"calculation", "beräkning"},
      {"missing_codes_en", "saknade_värden_en"},
      {"dataset_name", "datasetnamn"}};
  return names;
}

enum CodeField {
  kcCodelist,
  kcCode,
  kcLabelSv,
  kcLabelEn,
  kcIsMissing,
  kcValidFrom,
  kcValidTo,
  kcCodelistName,
  kcSystemUri,
  kcSystemOid,
  kcSystemVersion,
  kcCodelistNameEn,
  kcDescription,
  kcDescriptionEn,
  kCodeFieldCount
};

const std::vector<std::vector<std::string>>& codeColumnNames() {
  static const std::vector<std::vector<std::string>> names = {
      {"codelist", "värdemängd"},
      {"code", "kod"},
      {"label_sv", "etikett"},
      {"label_en", "etikett_en"},
      {"is_missing", "saknat_värde"},
      {"valid_from", "giltig_från"},
      {"valid_to", "giltig_till"},
      {"codelist_name", "värdemängdens_namn"},
      {"system_uri"},
      {"system_oid"},
      {"system_version"},
      {"codelist_name_en", "värdemängdens_namn_en"},
      {"codelist_description", "värdemängdens_beskrivning"},
      {"codelist_description_en", "värdemängdens_beskrivning_en"}};
  return names;
}

std::string trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  // A no-break space (U+00A0), which Excel users paste from web pages.
  while (s.size() >= 2 && s.substr(0, 2) == "\xC2\xA0") s.remove_prefix(2);
  while (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") s.remove_suffix(2);
  return std::string(s);
}

// Header text as compared: folded, with spaces and hyphens as underscores ("Label SV").
std::string headerKey(const std::string& h) {
  std::string k = text::fold(trim(h));
  for (char& c : k)
    if (c == ' ' || c == '-') c = '_';
  return k;
}

std::string listNames(const std::vector<std::vector<std::string>>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n[0];
  return s;
}

// Maps each field to its column (-1 when absent). Unknown and repeated columns are errors
// naming the column, so that nothing in the file is silently dropped.
std::vector<int> mapHeader(const Grid& g, const std::vector<std::vector<std::string>>& names,
                           std::vector<bool>& unnamed) {
  std::vector<int> col(names.size(), -1);
  const auto& header = g.rows[0];
  unnamed.assign(header.cells.size(), false);
  for (size_t c = 0; c < header.cells.size(); ++c) {
    const std::string key = headerKey(header.cells[c]);
    if (key.empty()) {
      unnamed[c] = true;
      continue;
    }
    int field = -1;
    for (size_t f = 0; f < names.size() && field < 0; ++f)
      for (const auto& n : names[f])
        if (key == n) field = int(f);
    if (field < 0)
      throw invalid(g.at(header, c), "unknown column '" + trim(header.cells[c]) +
                                         "'; the columns are " + listNames(names) +
                                         " (see docs/variable-list-format.md)");
    if (col[size_t(field)] >= 0)
      throw invalid(g.at(header, c), "column '" + trim(header.cells[c]) +
                                         "' appears twice (also column " +
                                         std::to_string(col[size_t(field)] + 1) + ")");
    col[size_t(field)] = int(c);
  }
  return col;
}

// Reads one row's cells by field, NFC, trimmed, with the formula guard removed.
struct RowReader {
  const Grid& g;
  const Grid::Row& row;
  const std::vector<int>& col;
  const std::vector<std::vector<std::string>>& names;

  std::string where(int field) const {
    return g.at(row, col[size_t(field)] >= 0 ? size_t(col[size_t(field)]) : 0);
  }
  bool numeric(int field) const {
    const int c = col[size_t(field)];
    return c >= 0 && size_t(c) < row.numeric.size() && row.numeric[size_t(c)];
  }
  std::string operator()(int field) const {
    const int c = col[size_t(field)];
    if (c < 0 || size_t(c) >= row.cells.size()) return {};
    return stripFormulaGuard(trim(text::nfc(row.cells[size_t(c)], g.at(row, size_t(c)))));
  }
  // Names the column as the file's header does (a Swedish file gets its Swedish name).
  [[noreturn]] void fail(int field, const std::string& reason) const {
    const int c = col[size_t(field)];
    const std::string column = c >= 0 ? trim(g.rows[0].cells[size_t(c)]) : names[size_t(field)][0];
    throw RowError{where(field), "column '" + column + "': " + reason};
  }
};

bool emptyRow(const Grid::Row& r) {
  for (const auto& c : r.cells)
    if (!trim(c).empty()) return false;
  return true;
}

void checkUnnamed(const Grid& g, const Grid::Row& r, const std::vector<bool>& unnamed) {
  for (size_t c = 0; c < r.cells.size(); ++c)
    if ((c >= unnamed.size() || unnamed[c]) && !trim(r.cells[c]).empty())
      throw RowError{g.at(r, c), "a value in column " + std::to_string(c + 1) +
                                     ", which has no name in the header row"};
}

std::optional<double> parseNumber(std::string s) {
  std::string t;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ') continue;  // thousands separator
    if (s.compare(i, 2, "\xC2\xA0") == 0 || s.compare(i, 3, "\xE2\x80\xAF") == 0) {
      i += s[i + 1] == '\xA0' ? 1 : 2;
      continue;
    }
    t += s[i] == ',' ? '.' : s[i];  // a decimal comma, as Swedish Excel writes it
  }
  if (!t.empty() && t[0] == '+') t.erase(0, 1);
  double d = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), d);
  if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size() || !std::isfinite(d))
    return std::nullopt;
  return d;
}

std::optional<bool> parseBool(const std::string& s) {
  const std::string f = text::fold(s);
  if (f == "ja" || f == "yes" || f == "true" || f == "1" || f == "j" || f == "y") return true;
  if (f == "nej" || f == "no" || f == "false" || f == "0" || f == "n") return false;
  return std::nullopt;
}

std::string parseDatatype(const std::string& s) {
  static const std::map<std::string, std::string> words = {{"integer", "integer"},
                                                           {"heltal", "integer"},
                                                           {"decimal", "decimal"},
                                                           {"decimaltal", "decimal"},
                                                           {"string", "string"},
                                                           {"text", "string"},
                                                           {"date", "date"},
                                                           {"datum", "date"},
                                                           {"datetime", "datetime"},
                                                           {"datum och tid", "datetime"},
                                                           {"datum_och_tid", "datetime"},
                                                           {"boolean", "boolean"},
                                                           {"ja/nej", "boolean"},
                                                           {"code", "code"},
                                                           {"kod", "code"}};
  std::string f = text::fold(s);
  // "datum  och tid" with stray spaces
  std::string collapsed;
  for (char c : f)
    if (!(c == ' ' && (collapsed.empty() || collapsed.back() == ' '))) collapsed += c;
  auto it = words.find(collapsed);
  return it == words.end() ? "" : it->second;
}

// A date cell: ISO text, or in a workbook a date-formatted number (an Excel serial).
std::string dateValue(const RowReader& r, int field) {
  std::string s = r(field);
  if (s.empty()) return s;
  if (r.numeric(field)) {
    const std::string iso = xlsxSerialToDate(s);
    if (!iso.empty()) return iso;
  }
  if (!isValidDate(s)) r.fail(field, "'" + s + "' is not a date (expected YYYY-MM-DD)");
  return s;
}

std::vector<std::string> splitPipe(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('|', start);
    if (end == std::string::npos) end = s.size();
    std::string part = trim(std::string_view(s).substr(start, end - start));
    if (!part.empty()) out.push_back(std::move(part));
    start = end + 1;
  }
  return out;
}

template <size_t N>
bool oneOf(const std::string& s, const char* const (&list)[N]) {
  for (const char* x : list)
    if (s == x) return true;
  return false;
}

template <size_t N>
std::string joined(const char* const (&list)[N]) {
  std::string s;
  for (const char* x : list) s += (s.empty() ? "" : ", ") + std::string(x);
  return s;
}

// Builds the document from the sheets, row by row, so that a bad row (under skip_invalid)
// leaves nothing of itself behind.
struct Builder {
  explicit Builder(ParseContext& c) : ctx(c) {}
  ParseContext& ctx;
  std::map<std::string, size_t> codelists;   // full id -> index in doc.codelists
  std::map<std::string, bool> explicitName;  // full id -> name came from codelist_name
  std::set<std::string> datasets, variables;

  RegisterDocument& doc() { return ctx.result.doc; }

  std::string qualify(const std::string& local) const {
    return local.find('.') != std::string::npos ? local : ctx.opt.register_id + "." + local;
  }

  void codeRow(const Grid& g, const Grid::Row& row, const std::vector<int>& col) {
    const RowReader r{g, row, col, codeColumnNames()};
    const std::string local = r(kcCodelist), code = r(kcCode);
    if (local.empty()) r.fail(kcCodelist, "the code list id is required");
    const std::string id = qualify(local);
    if (!isValidLocalName(id))
      r.fail(kcCodelist,
             "'" + local + "' is not a valid code list id (letters, digits, '_', '-', '.')");
    if (code.empty()) r.fail(kcCode, "the code is required");
    CodeItem item;
    item.code = code;
    item.label = {r(kcLabelSv), r(kcLabelEn)};
    if (const std::string m = r(kcIsMissing); !m.empty()) {
      const auto b = parseBool(m);
      if (!b) r.fail(kcIsMissing, "'" + m + "' is not ja/nej, yes/no, true/false or 1/0");
      item.is_missing = *b;
    }
    item.valid_from = dateValue(r, kcValidFrom);
    item.valid_to = dateValue(r, kcValidTo);
    if (!item.valid_from.empty() && !item.valid_to.empty() && item.valid_to < item.valid_from)
      r.fail(kcValidTo, "'" + item.valid_to + "' is before valid_from '" + item.valid_from + "'");
    auto it = codelists.find(id);
    if (it != codelists.end()) {
      const CodeList& c = doc().codelists[it->second];
      if (c.item(code))
        r.fail(kcCode, "code '" + code + "' appears twice in code list '" + local + "'");
    }
    // Valid: now commit.
    if (it == codelists.end()) {
      CodeList c;
      c.id = id;
      c.register_id = ctx.opt.register_id;
      c.name.sv = local;
      c.origin = r.where(kcCodelist);
      it = codelists.emplace(id, doc().codelists.size()).first;
      doc().codelists.push_back(std::move(c));
    }
    CodeList& c = doc().codelists[it->second];
    // The first row that names the list (or its code system) wins.
    if (const std::string n = r(kcCodelistName); !n.empty() && !explicitName[id]) {
      c.name.sv = n;
      explicitName[id] = true;
    }
    if (const std::string n = r(kcCodelistNameEn); !n.empty() && c.name.en.empty()) c.name.en = n;
    if (const std::string d = r(kcDescription); !d.empty() && c.description.sv.empty())
      c.description.sv = d;
    if (const std::string d = r(kcDescriptionEn); !d.empty() && c.description.en.empty())
      c.description.en = d;
    if (c.system.uri.empty()) c.system.uri = r(kcSystemUri);
    if (c.system.oid.empty()) c.system.oid = r(kcSystemOid);
    if (c.system.version.empty()) c.system.version = r(kcSystemVersion);
    c.items.push_back(std::move(item));
  }

  std::vector<CodeItem> inlineCodes(const RowReader& r) const {
    std::vector<CodeItem> items;
    std::set<std::string> seen;
    for (const auto& part : splitPipe(r(kCodes))) {
      const size_t eq = part.find('=');
      if (eq == std::string::npos)
        r.fail(kCodes, "'" + part + "' is not code=label (e.g. 1=Ja | 2=Nej | 9=Okänt*)");
      CodeItem item;
      item.code = trim(std::string_view(part).substr(0, eq));
      std::string label = trim(std::string_view(part).substr(eq + 1));
      if (!label.empty() && label.back() == '*') {
        item.is_missing = true;
        label = trim(std::string_view(label).substr(0, label.size() - 1));
      }
      item.label.sv = label;
      if (item.code.empty()) r.fail(kCodes, "'" + part + "' has no code before '='");
      if (!seen.insert(item.code).second) r.fail(kCodes, "code '" + item.code + "' appears twice");
      items.push_back(std::move(item));
    }
    return items;
  }

  void variableRow(const Grid& g, const Grid::Row& row, const std::vector<int>& col) {
    const RowReader r{g, row, col, variableColumnNames()};
    Variable v;
    v.register_id = ctx.opt.register_id;
    v.dataset_id = r(kDataset);
    if (v.dataset_id.empty()) v.dataset_id = ctx.opt.dataset.empty() ? "main" : ctx.opt.dataset;
    if (!isValidLocalName(v.dataset_id))
      r.fail(kDataset,
             "'" + v.dataset_id + "' is not a valid dataset id (letters, digits, '_', '-', '.')");
    v.name = r(kName);
    if (v.name.empty()) r.fail(kName, "the variable name is required");
    if (!isValidLocalName(v.name))
      r.fail(kName,
             "'" + v.name + "' is not a valid variable name (letters, digits, '_', '-', '.')");
    v.label = {r(kLabelSv), r(kLabelEn)};
    if (v.label.empty()) r.fail(kLabelSv, "a label is required (label_sv or label_en)");
    v.definition = {r(kDefinitionSv), r(kDefinitionEn)};
    v.question = {r(kQuestionSv), r(kQuestionEn)};
    const std::string codelistCell = r(kCodelist), codesCell = r(kCodes);
    if (const std::string dt = r(kDatatype); !dt.empty()) {
      v.datatype = parseDatatype(dt);
      if (v.datatype.empty())
        r.fail(kDatatype, "'" + dt +
                              "' is not one of integer, decimal, string, date, datetime, boolean, "
                              "code (heltal, decimaltal, text, datum, datum och tid, ja/nej, kod)");
    } else if (!codelistCell.empty() || !codesCell.empty()) {
      v.datatype = "code";
    } else {
      r.fail(kDatatype,
             "the datatype is required (integer, decimal, string, date, datetime, "
             "boolean, code)");
    }
    v.unit = r(kUnit);
    v.format = r(kFormat);
    v.calculation = r(kCalculation);
    for (int f : {kMin, kMax}) {
      const std::string s = r(f);
      if (s.empty()) continue;
      const auto d = parseNumber(s);
      if (!d) r.fail(f, "'" + s + "' is not a number");
      (f == kMin ? v.min : v.max) = d;
    }
    if (v.min && v.max && *v.min > *v.max) r.fail(kMin, "min is greater than max");

    // The code list: inline codes define it (under the codelist id, else the variable name).
    std::optional<CodeList> newList;
    if (!codesCell.empty() || !codelistCell.empty()) {
      const std::string local = codelistCell.empty() ? v.name : codelistCell;
      v.codelist = qualify(local);
      if (!isValidLocalName(v.codelist))
        r.fail(kCodelist,
               "'" + local + "' is not a valid code list id (letters, digits, '_', '-', '.')");
      if (v.datatype != "code" && v.datatype != "boolean")
        r.fail(kCodelist,
               "only variables of datatype code or boolean have a code list (datatype "
               "is " +
                   v.datatype + ")");
    }
    if (!codesCell.empty()) {
      auto items = inlineCodes(r);
      auto it = codelists.find(v.codelist);
      if (it != codelists.end()) {
        const CodeList& existing = doc().codelists[it->second];
        if (existing.items != items)
          r.fail(kCodes, "the codes differ from those of code list '" + v.codelist +
                             "' as defined at " + existing.origin);
      } else {
        newList.emplace();
        newList->id = v.codelist;
        newList->register_id = ctx.opt.register_id;
        newList->name.sv = v.label.sv.empty() ? v.label.en : v.label.sv;
        newList->items = std::move(items);
        newList->origin = r.where(kCodes);
      }
    }
    if (v.datatype == "code" && v.codelist.empty())
      r.fail(kCodelist, "a variable of datatype code needs a codelist or codes");

    std::set<std::string> seen;
    for (const auto& part : splitPipe(r(kMissingCodes))) {
      const size_t eq = part.find('=');
      MissingCode m;
      m.code = trim(std::string_view(part).substr(0, eq));
      if (eq != std::string::npos) m.label.sv = trim(std::string_view(part).substr(eq + 1));
      if (m.code.empty()) r.fail(kMissingCodes, "'" + part + "' has no code before '='");
      if (!seen.insert(m.code).second) r.fail(kMissingCodes, "code '" + m.code + "' appears twice");
      v.missing_codes.push_back(std::move(m));
    }
    // English labels of the same missing codes: `999=Not recorded | 998=Not applicable`.
    for (const auto& part : splitPipe(r(kMissingCodesEn))) {
      const size_t eq = part.find('=');
      const std::string code = trim(std::string_view(part).substr(0, eq));
      auto m = std::find_if(v.missing_codes.begin(), v.missing_codes.end(),
                            [&](const MissingCode& x) { return x.code == code; });
      if (m == v.missing_codes.end())
        r.fail(kMissingCodesEn, "code '" + code + "' is not among missing_codes");
      if (eq != std::string::npos) m->label.en = trim(std::string_view(part).substr(eq + 1));
    }
    if (const std::string m = r(kMandatory); !m.empty()) {
      const auto b = parseBool(m);
      if (!b) r.fail(kMandatory, "'" + m + "' is not ja/nej, yes/no, true/false or 1/0");
      v.mandatory = *b;
    }
    v.source = r(kSource);
    if (!v.source.empty() && !oneOf(v.source, kSources))
      r.fail(kSource, "'" + v.source + "' is not one of " + joined(kSources));
    v.identifier_class = r(kIdentifierClass);
    if (v.identifier_class.empty()) v.identifier_class = "none";
    if (!oneOf(v.identifier_class, kIdentifierClasses))
      r.fail(kIdentifierClass,
             "'" + v.identifier_class + "' is not one of " + joined(kIdentifierClasses));
    v.category = r(kCategory);
    if (!v.category.empty() && !oneOf(v.category, kCategories))
      r.fail(kCategory, "'" + v.category + "' is not one of " + joined(kCategories));
    v.valid_from = dateValue(r, kValidFrom);
    v.valid_to = dateValue(r, kValidTo);
    if (!v.valid_from.empty() && !v.valid_to.empty() && v.valid_to < v.valid_from)
      r.fail(kValidTo, "'" + v.valid_to + "' is before valid_from '" + v.valid_from + "'");
    v.aliases = splitPipe(r(kAliases));
    v.origin = r.where(kName);
    if (variables.count(v.dataset_id + "/" + v.name))
      r.fail(kName, "duplicate variable name '" + v.name + "' in dataset '" + v.dataset_id + "'");

    // Valid: now commit.
    if (datasets.insert(v.dataset_id).second) {
      Dataset d;
      d.register_id = ctx.opt.register_id;
      d.id = v.dataset_id;
      d.name.sv = r(kDatasetName).empty() ? v.dataset_id : r(kDatasetName);
      d.origin = r.where(kDataset);
      doc().datasets.push_back(std::move(d));
    }
    if (newList) {
      codelists.emplace(newList->id, doc().codelists.size());
      doc().codelists.push_back(std::move(*newList));
    }
    variables.insert(v.dataset_id + "/" + v.name);
    doc().variables.push_back(std::move(v));
  }

  // Runs `each` over the data rows, skipping blank rows; a bad row goes to ctx.problem.
  template <typename F>
  void rows(const Grid& g, const std::vector<bool>& unnamed, F&& each) {
    for (size_t i = 1; i < g.rows.size(); ++i) {
      const auto& row = g.rows[i];
      if (emptyRow(row)) continue;
      try {
        checkUnnamed(g, row, unnamed);
        each(row);
      } catch (const RowError& e) {
        ctx.problem(e.where, e.reason);
      }
    }
  }

  void readVariables(const Grid& g) {
    if (g.rows.empty())
      throw invalid(g.base,
                    "no header row: expected the columns " + listNames(variableColumnNames()));
    std::vector<bool> unnamed;
    const auto col = mapHeader(g, variableColumnNames(), unnamed);
    if (col[kName] < 0)
      throw invalid(g.at(g.rows[0], 0),
                    "the header row has no column 'name' (or 'variabelnamn'); the columns are " +
                        listNames(variableColumnNames()));
    rows(g, unnamed, [&](const Grid::Row& row) { variableRow(g, row, col); });
  }

  void readCodes(const Grid& g) {
    if (g.rows.empty()) return;
    std::vector<bool> unnamed;
    const auto col = mapHeader(g, codeColumnNames(), unnamed);
    for (int required : {kcCodelist, kcCode})
      if (col[size_t(required)] < 0)
        throw invalid(g.at(g.rows[0], 0), "the header row has no column '" +
                                              codeColumnNames()[size_t(required)][0] +
                                              "'; the columns are " + listNames(codeColumnNames()));
    rows(g, unnamed, [&](const Grid::Row& row) { codeRow(g, row, col); });
  }
};

void startDocument(ParseContext& ctx) {
  auto& reg = ctx.result.doc.reg;
  if (reg.id.empty()) reg.id = ctx.opt.register_id;
  if (reg.name.empty()) reg.name.sv = ctx.opt.register_id;
}

Grid gridFromSheet(const XlsxSheet& s, const std::string& source) {
  Grid g;
  g.base = source + ":" + s.name;
  g.xlsx = true;
  for (const auto& r : s.rows) {
    Grid::Row row;
    row.number = r.number;
    for (const auto& c : r.cells) {
      row.cells.push_back(c.text);
      row.numeric.push_back(c.numeric);
    }
    g.rows.push_back(std::move(row));
  }
  return g;
}

}  // namespace

void parseVariableListCsv(std::string_view utf8, ParseContext& ctx) {
  startDocument(ctx);
  Grid g;
  g.base = ctx.source;
  for (auto& rec : readDelimited(utf8, detectDelimiter(utf8), ctx.source))
    g.rows.push_back({rec.line, std::move(rec.fields), {}});
  Builder(ctx).readVariables(g);
}

void parseVariableListXlsx(std::string_view zipBytes, ParseContext& ctx) {
  startDocument(ctx);
  XlsxWorkbook wb(zipBytes, ctx.source);
  std::string varSheet, codeSheet;
  for (const auto& name : wb.sheetNames()) {
    const std::string f = text::fold(trim(name));
    if ((f == "variabler" || f == "variables") && varSheet.empty()) varSheet = name;
    if ((f == "koder" || f == "codes") && codeSheet.empty()) codeSheet = name;
  }
  if (varSheet.empty()) {
    // A workbook saved from a CSV has one sheet named after the file; read that.
    for (const auto& name : wb.sheetNames())
      if (name != codeSheet) {
        varSheet = name;
        break;
      }
    if (varSheet.empty())
      throw invalid(ctx.source, "the workbook has no sheet 'Variabler' (or 'Variables')");
    ctx.result.warnings.push_back(ctx.source +
                                  ": no sheet 'Variabler' (or 'Variables'); read the "
                                  "sheet '" +
                                  varSheet + "'");
  }
  Builder b(ctx);
  // Code items first, so that variables can refer to the lists they define.
  if (!codeSheet.empty()) b.readCodes(gridFromSheet(wb.sheet(codeSheet), ctx.source));
  b.readVariables(gridFromSheet(wb.sheet(varSheet), ctx.source));
}

}  // namespace regcat
