// REDCap data dictionary (the CSV REDCap exports under "Dictionary"): one row per field, the
// form it is on, its type and validation, choices and notes. Each form becomes a dataset; each
// field a variable (a checkbox one per choice as REDCap exports the data, plus the group).
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "importers/delimited_reader.h"
#include "importers/variable_import.h"

namespace regcat {
namespace {

enum Column {
  kField,
  kForm,
  kSection,
  kType,
  kLabel,
  kChoices,
  kNote,
  kValidation,
  kMin,
  kMax,
  kIdentifier,
  kBranching,
  kRequired,
  kAlignment,
  kQuestionNumber,
  kMatrixGroup,
  kMatrixRanking,
  kAnnotation,
  kColumnCount
};

// The header of a dictionary exported from the web interface, and the names the API's
// metadata export uses for the same columns.
const char* const kHeaders[kColumnCount] = {"Variable / Field Name",
                                            "Form Name",
                                            "Section Header",
                                            "Field Type",
                                            "Field Label",
                                            "Choices, Calculations, OR Slider Labels",
                                            "Field Note",
                                            "Text Validation Type OR Show Slider Number",
                                            "Text Validation Min",
                                            "Text Validation Max",
                                            "Identifier?",
                                            "Branching Logic (Show field only if...)",
                                            "Required Field?",
                                            "Custom Alignment",
                                            "Question Number (surveys only)",
                                            "Matrix Group Name",
                                            "Matrix Ranking?",
                                            "Field Annotation"};
const char* const kApiHeaders[kColumnCount] = {
    "field_name",          "form_name",
    "section_header",      "field_type",
    "field_label",         "select_choices_or_calculations",
    "field_note",          "text_validation_type_or_show_slider_number",
    "text_validation_min", "text_validation_max",
    "identifier",          "branching_logic",
    "required_field",      "custom_alignment",
    "question_number",     "matrix_group_name",
    "matrix_ranking",      "field_annotation"};

const char* const kFieldTypes =
    "text, notes, radio, dropdown, checkbox, yesno, truefalse, calc, slider, file, sql, "
    "descriptive";

std::string trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Header cells compared folded, with runs of white space as one space.
std::string headerKey(std::string_view h) {
  std::string out;
  for (char c : text::fold(trim(h))) {
    if (c == '\t' || c == '\r' || c == '\n') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  return out;
}

// A row that cannot be imported: skipped under skip_invalid, else the import fails.
struct RowError {
  std::string reason;
};

// Labels and notes may hold simple HTML (<b>, <br>, <span style=...>): tags go, text stays.
// Only something shaped like a tag is removed, so "BMI <25" and "a < b > c" are kept.
std::string stripHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '<') {
      size_t j = i + 1;
      if (j < s.size() && s[j] == '/') ++j;
      const size_t nameStart = j;
      while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
      const size_t close = s.find('>', j);
      if (j > nameStart && std::isalpha(static_cast<unsigned char>(s[nameStart])) &&
          close != std::string_view::npos && s.substr(j, close - j).find('<') == s.npos) {
        const std::string_view rest = s.substr(j, close - j);
        const std::string restTrim = trim(rest);
        const bool tag = restTrim.empty() || restTrim == "/" ||
                         ((rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n') &&
                          rest.find('=') != std::string_view::npos);
        if (tag) {
          const std::string name = text::fold(s.substr(nameStart, j - nameStart));
          // Tags that break a line leave a space, so words on either side stay apart.
          if (name == "br" || name == "p" || name == "div" || name == "li" || name == "tr" ||
              name == "td")
            out += ' ';
          i = close;
          continue;
        }
      }
    } else if (c == '&') {
      static const std::pair<const char*, const char*> entities[] = {
          {"&nbsp;", " "},  {"&amp;", "&"}, {"&lt;", "<"},  {"&gt;", ">"},
          {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"}};
      bool done = false;
      for (const auto& [e, r] : entities)
        if (s.substr(i, std::strlen(e)) == e) {
          out += r;
          i += std::strlen(e) - 1;
          done = true;
          break;
        }
      if (done) continue;
    }
    out += c;
  }
  // White space (line breaks included) collapses to single spaces.
  std::string norm;
  for (char c : out) {
    if (c == '\t' || c == '\r' || c == '\n') c = ' ';
    if (c == ' ' && (norm.empty() || norm.back() == ' ')) continue;
    norm += c;
  }
  return trim(norm);
}

// "form_name" -> "Form name": the dataset's display name.
std::string formTitle(const std::string& form) {
  std::string s = form;
  for (char& c : s)
    if (c == '_') c = ' ';
  s = trim(s);
  if (s.empty()) return form;
  int32_t i = 0;
  UChar32 cp;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, int32_t(s.size()), cp);
  if (cp < 0) return s;
  const UChar32 up = u_toupper(cp);
  uint8_t buf[4];
  int32_t n = 0;
  UBool err = false;
  U8_APPEND(buf, n, 4, up, err);
  if (err) return s;
  return std::string(reinterpret_cast<char*>(buf), size_t(n)) + s.substr(size_t(i));
}

std::optional<double> parseNumber(const std::string& s) {
  std::string t = trim(s);
  for (char& c : t)
    if (c == ',') c = '.';  // a decimal comma
  if (!t.empty() && t[0] == '+') t.erase(0, 1);
  double d = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), d);
  if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size() || !std::isfinite(d))
    return std::nullopt;
  return d;
}

bool yes(const std::string& s) {
  const std::string f = text::fold(trim(s));
  return f == "y" || f == "yes" || f == "1" || f == "ja" || f == "j";
}

// A choice label that says the value is unknown or missing.
bool missingLabel(const std::string& label) {
  static const std::set<std::string> words = {
      "okänt",   "okänd",     "vet ej",         "vet inte",       "uppgift saknas",
      "saknas",  "ej känt",   "ej tillämpligt", "ej tillämplig",  "unknown",
      "missing", "not known", "don't know",     "not applicable", "n/a"};
  std::string f = text::fold(label);
  while (!f.empty() && (f.back() == '.' || f.back() == ' ')) f.pop_back();
  return words.count(f) > 0;
}

// Field Note units: the UCUM code of each recognised token.
std::string unitOf(const std::string& token) {
  static const std::map<std::string, std::string> exact = {{"kg", "kg"},
                                                           {"g", "g"},
                                                           {"cm", "cm"},
                                                           {"m", "m"},
                                                           {"mm", "mm"},
                                                           {"mmol/mol", "mmol/mol"},
                                                           {"mmol/L", "mmol/L"},
                                                           {"mmol/l", "mmol/L"},
                                                           {"µmol/L", "umol/L"},
                                                           {"µmol/l", "umol/L"},
                                                           {"μmol/L", "umol/L"},
                                                           {"μmol/l", "umol/L"},
                                                           {"umol/L", "umol/L"},
                                                           {"umol/l", "umol/L"},
                                                           {"mg/L", "mg/L"},
                                                           {"mg/l", "mg/L"},
                                                           {"g/L", "g/L"},
                                                           {"g/l", "g/L"},
                                                           {"%", "%"},
                                                           {"/min", "/min"},
                                                           {"kg/m2", "kg/m2"},
                                                           {"kg/m²", "kg/m2"},
                                                           {"ml", "mL"},
                                                           {"mL", "mL"},
                                                           {"L", "L"}};
  static const std::map<std::string, std::string> folded = {
      {"mmhg", "mm[Hg]"}, {"år", "a"},        {"dagar", "d"},       {"dygn", "d"},
      {"timmar", "h"},    {"minuter", "min"}, {"slag/min", "/min"}, {"slag/minut", "/min"}};
  if (auto it = exact.find(token); it != exact.end()) return it->second;
  if (auto it = folded.find(text::fold(token)); it != folded.end()) return it->second;
  return {};
}

bool tokenSeparator(char c) {
  return c == ' ' || c == '\t' || c == '(' || c == ')' || c == '[' || c == ']' || c == ',' ||
         c == ';' || c == ':';
}

// The unit a Field Note names ("kg", "(mmHg)", "Anges i mmol/mol") and whether the note says
// nothing else, in which case it is not kept as the definition. Two different units: none.
struct NoteUnit {
  std::string unit;
  bool onlyUnit = false;
};

NoteUnit noteUnit(const std::string& note) {
  static const std::set<std::string> filler = {"i",    "in",       "ange", "anges",   "enhet",
                                               "unit", "uttryckt", "mätt", "measured"};
  NoteUnit out;
  bool other = false;
  size_t i = 0;
  while (i < note.size()) {
    while (i < note.size() && tokenSeparator(note[i])) ++i;
    size_t j = i;
    while (j < note.size() && !tokenSeparator(note[j])) ++j;
    std::string token = note.substr(i, j - i);
    i = j;
    if (token.empty()) continue;
    while (token.size() > 1 && token.back() == '.') token.pop_back();
    const std::string u = unitOf(token);
    if (u.empty()) {
      if (!filler.count(text::fold(token))) other = true;
    } else if (out.unit.empty()) {
      out.unit = u;
    } else if (out.unit != u) {
      return {};
    }
  }
  out.onlyUnit = !out.unit.empty() && !other;
  return out;
}

// REDCap's checkbox export column suffix: the code lower-cased, '-' and '.' as '_'.
std::string checkboxSuffix(const std::string& code) {
  std::string s;
  for (char c : code) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x80 && std::isalnum(u))
      s += char(std::tolower(u));
    else if (u >= 0x80)
      s += c;
    else
      s += '_';
  }
  return s;
}

std::string itemsKey(const std::vector<CodeItem>& items) {
  std::string k;
  for (const auto& i : items)
    k += i.code + '\x1f' + i.label.sv + '\x1f' + i.label.en + '\x1f' + (i.is_missing ? "1" : "0") +
         '\x1e';
  return k;
}

// What one dictionary row contributes, assembled before anything is added to the document so
// that a bad row leaves nothing behind.
struct RowOutput {
  std::vector<Variable> variables;
  std::vector<CodeItem> items;  // a code list for variables[0] (and the checkbox group)
  std::string listName, listEnName, listStem;
  std::vector<std::string> warnings;
};

struct Parser {
  ParseContext& ctx;
  std::vector<int> col;  // column of each Column, -1 if the header lacks it
  std::map<std::string, std::string> listByItems;  // items key -> code list id
  std::set<std::string> listIds, names, datasets;
  size_t descriptive = 0;

  RegisterDocument& doc() { return ctx.result.doc; }

  void readHeader(const DelimitedRecord& h) {
    col.assign(kColumnCount, -1);
    const std::string where = ctx.source + ":" + std::to_string(h.line);
    auto expected = [] {
      std::string s;
      for (const char* c : kHeaders) s += (s.empty() ? "\"" : ", \"") + std::string(c) + "\"";
      return s;
    };
    const std::string first = h.fields.empty() ? "" : headerKey(h.fields[0]);
    if (first != headerKey(kHeaders[kField]) && first != kApiHeaders[kField])
      throw invalid(where, "not a REDCap data dictionary: the header row starts with '" +
                               (h.fields.empty() ? "" : trim(h.fields[0])) +
                               "', expected the columns " + expected());
    for (size_t c = 0; c < h.fields.size(); ++c) {
      const std::string key = headerKey(h.fields[c]);
      if (key.empty()) continue;  // trailing empty columns from a spreadsheet
      int found = -1;
      for (int k = 0; k < kColumnCount && found < 0; ++k)
        if (key == headerKey(kHeaders[k]) || key == kApiHeaders[k]) found = k;
      if (found < 0)
        throw invalid(where, "column " + std::to_string(c + 1) + " '" + trim(h.fields[c]) +
                                 "' is not a column of a REDCap data dictionary (" + expected() +
                                 ")");
      if (col[size_t(found)] >= 0)
        throw invalid(where, "column '" + trim(h.fields[c]) + "' appears twice");
      col[size_t(found)] = int(c);
    }
    for (int k : {kField, kForm, kType, kLabel})
      if (col[size_t(k)] < 0)
        throw invalid(where, "not a REDCap data dictionary: the column \"" +
                                 std::string(kHeaders[k]) + "\" is missing");
  }

  std::string cell(const DelimitedRecord& r, int c) const {
    const int i = col[size_t(c)];
    if (i < 0 || size_t(i) >= r.fields.size()) return {};
    return trim(r.fields[size_t(i)]);
  }
  std::string textCell(const DelimitedRecord& r, int c, const std::string& where) const {
    return stripHtml(text::nfc(cell(r, c), where));
  }

  // "1, Ja | 2, Nej | 9, Okänt": split on '|' (older exports also break lines), then on the
  // first comma.
  std::vector<CodeItem> choices(const std::string& s, const std::string& where,
                                const std::string& type) const {
    std::vector<CodeItem> items;
    std::set<std::string> seen;
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find_first_of("|\n", start);
      if (end == std::string::npos) end = s.size();
      const std::string part = trim(std::string_view(s).substr(start, end - start));
      start = end + 1;
      if (part.empty()) continue;
      const size_t comma = part.find(',');
      if (comma == std::string::npos)
        throw RowError{"choice '" + part + "' has no code (expected 'code, label', e.g. '1, Ja')"};
      CodeItem item;
      item.code = trim(std::string_view(part).substr(0, comma));
      item.label.sv = stripHtml(text::nfc(part.substr(comma + 1), where));
      if (item.code.empty()) throw RowError{"choice '" + part + "' has an empty code"};
      if (!seen.insert(item.code).second)
        throw RowError{"choice code '" + item.code + "' appears twice"};
      item.is_missing = missingLabel(item.label.sv);
      items.push_back(std::move(item));
    }
    if (items.empty())
      throw RowError{"a " + type + " field needs choices ('1, Ja | 2, Nej') in the column \"" +
                     std::string(kHeaders[kChoices]) + "\""};
    return items;
  }

  std::optional<double> bound(const DelimitedRecord& r, int c) const {
    const std::string s = cell(r, c);
    if (s.empty()) return std::nullopt;
    const auto d = parseNumber(s);
    if (!d) throw RowError{"\"" + std::string(kHeaders[c]) + "\" '" + s + "' is not a number"};
    return d;
  }

  RowOutput parseRow(const DelimitedRecord& r, const std::string& where) {
    RowOutput out;
    Variable v;
    v.register_id = ctx.opt.register_id;
    v.name = cell(r, kField);
    v.dataset_id = cell(r, kForm);
    v.origin = where;
    const std::string type = text::fold(cell(r, kType));
    if (v.name.empty()) throw RowError{"the variable / field name is empty"};
    if (!isValidLocalName(v.name))
      throw RowError{"'" + v.name +
                     "' is not a valid variable name (letters, digits, '_', '-', '.')"};
    if (type == "descriptive") {
      ++descriptive;
      return out;
    }
    if (v.dataset_id.empty()) throw RowError{"field '" + v.name + "' has no form name"};
    if (!isValidLocalName(v.dataset_id))
      throw RowError{"form name '" + v.dataset_id +
                     "' is not a valid dataset id (letters, digits, '_', '-', '.')"};
    const std::string label = textCell(r, kLabel, where);
    v.label.sv = label.empty() ? v.name : label;
    v.question.sv = label;
    const std::string note = textCell(r, kNote, where);
    if (yes(cell(r, kIdentifier))) v.identifier_class = "direct";
    v.mandatory = yes(cell(r, kRequired));
    const std::string validation = text::fold(cell(r, kValidation));
    bool numeric = false, unitAllowed = false;

    if (type == "text") {
      unitAllowed = true;
      if (validation.empty()) {
        v.datatype = "string";
      } else if (validation.rfind("date_", 0) == 0) {
        v.datatype = "date";
      } else if (validation.rfind("datetime_", 0) == 0) {
        v.datatype = "datetime";
      } else if (validation == "integer") {
        v.datatype = "integer";
      } else if (validation == "number" || validation.rfind("number_", 0) == 0) {
        v.datatype = "decimal";
      } else {
        v.datatype = "string";  // email, phone, zipcode, mrn, custom validation types ...
      }
      numeric = v.datatype == "integer" || v.datatype == "decimal";
      if (v.datatype == "date" || v.datatype == "datetime") unitAllowed = false;
      // The validation type keeps what the datatype does not say (date_dmy, number_2dp,
      // email); integer, number, date_ymd and datetime_ymd add nothing to it.
      if (validation == "time")
        v.format = "HH:MM";
      else if (validation == "time_hh_mm_ss")
        v.format = "HH:MM:SS";
      else if (validation == "time_mm_ss")
        v.format = "MM:SS";
      else if (!validation.empty() && validation != "integer" && validation != "number" &&
               validation != "date_ymd" && validation != "datetime_ymd")
        v.format = validation;
    } else if (type == "notes") {
      v.datatype = "string";
    } else if (type == "radio" || type == "dropdown" || type == "checkbox") {
      v.datatype = "code";
      out.items = choices(cell(r, kChoices), where, type);
    } else if (type == "yesno" || type == "truefalse") {
      v.datatype = "code";
      const bool yn = type == "yesno";
      out.items = {{"1", {yn ? "Ja" : "Sant", yn ? "Yes" : "True"}, false, {}, {}},
                   {"0", {yn ? "Nej" : "Falskt", yn ? "No" : "False"}, false, {}, {}}};
      out.listStem = yn ? "yesno" : "truefalse";
      out.listName = yn ? "Ja/Nej" : "Sant/Falskt";
      out.listEnName = yn ? "Yes/No" : "True/False";
    } else if (type == "calc") {
      v.datatype = "decimal";
      v.calculation = cell(r, kChoices);
      v.source = "computed";
      numeric = unitAllowed = true;
    } else if (type == "slider") {
      v.datatype = "integer";
      v.min = 0;
      v.max = 100;
      numeric = unitAllowed = true;
    } else if (type == "file" || type == "sql") {
      v.datatype = "string";
      const std::string what = type == "sql"               ? "a dynamic SQL query field"
                               : validation == "signature" ? "a signature"
                                                           : "a file upload";
      out.warnings.push_back(where + ": field '" + v.name + "' is " + what +
                             "; imported as a string variable");
    } else {
      throw RowError{"unknown field type '" + cell(r, kType) + "' (REDCap field types are " +
                     kFieldTypes + ")"};
    }

    if (numeric) {
      if (auto d = bound(r, kMin)) v.min = d;
      if (auto d = bound(r, kMax)) v.max = d;
      if (v.min && v.max && *v.min > *v.max)
        throw RowError{"\"Text Validation Min\" is greater than \"Text Validation Max\""};
    }
    if (!note.empty()) {
      const NoteUnit nu = unitAllowed ? noteUnit(note) : NoteUnit{};
      v.unit = nu.unit;
      if (!nu.onlyUnit) v.definition.sv = note;
    }

    if (type == "checkbox") {
      // The group first, then one 0/1 column per choice, named as REDCap's data export
      // names them.
      out.variables.push_back(v);
      for (const auto& item : out.items) {
        Variable b = v;
        b.name = v.name + "___" + checkboxSuffix(item.code);
        if (!isValidLocalName(b.name))
          throw RowError{"checkbox choice '" + item.code + "' gives the variable name '" + b.name +
                         "', which is not valid"};
        b.datatype = "boolean";
        b.label.sv = v.label.sv + ": " + item.label.sv;
        b.mandatory = false;  // "required" means some box must be ticked, not every one
        out.variables.push_back(std::move(b));
      }
    } else {
      out.variables.push_back(std::move(v));
    }
    if (out.listName.empty()) out.listName = out.variables[0].label.sv;
    std::set<std::string> own;
    for (const auto& x : out.variables)
      if (names.count(x.name) || !own.insert(x.name).second)
        throw RowError{"duplicate variable name '" + x.name + "'"};
    return out;
  }

  std::string uniqueListId(const std::string& stem) const {
    std::string id = ctx.opt.register_id + "." + stem;
    for (int n = 2; listIds.count(id); ++n)
      id = ctx.opt.register_id + "." + stem + "_" + std::to_string(n);
    return id;
  }

  void commit(RowOutput&& out, const std::string& where) {
    if (out.variables.empty()) return;
    const std::string& form = out.variables[0].dataset_id;
    if (datasets.insert(form).second) {
      Dataset d;
      d.register_id = ctx.opt.register_id;
      d.id = form;
      d.name.sv = formTitle(form);
      d.origin = where;
      doc().datasets.push_back(std::move(d));
    }
    std::string listId;
    if (!out.items.empty()) {
      // Fields with the same choices share one list, named after the first of them.
      const std::string key = itemsKey(out.items);
      auto it = listByItems.find(key);
      if (it == listByItems.end()) {
        CodeList c;
        c.id = uniqueListId(out.listStem.empty() ? out.variables[0].name : out.listStem);
        c.register_id = ctx.opt.register_id;
        c.name = {out.listName, out.listEnName};
        c.items = std::move(out.items);
        c.origin = where;
        listIds.insert(c.id);
        it = listByItems.emplace(key, c.id).first;
        doc().codelists.push_back(std::move(c));
      }
      listId = it->second;
    }
    for (auto& v : out.variables) {
      if (v.datatype == "code") v.codelist = listId;
      names.insert(v.name);
      doc().variables.push_back(std::move(v));
    }
    for (auto& w : out.warnings) ctx.result.warnings.push_back(std::move(w));
  }
};

}  // namespace

void parseRedcapDictionary(std::string_view utf8, ParseContext& ctx) {
  auto& reg = ctx.result.doc.reg;
  if (reg.id.empty()) reg.id = ctx.opt.register_id;
  if (reg.name.empty()) reg.name.sv = ctx.opt.register_id;
  const auto records = readDelimited(utf8, detectDelimiter(utf8), ctx.source);
  if (records.empty())
    throw invalid(ctx.source, "the file is empty (expected a REDCap data dictionary)");
  Parser p{ctx, {}, {}, {}, {}, {}, 0};
  p.readHeader(records[0]);
  const size_t width = records[0].fields.size();
  for (size_t i = 1; i < records.size(); ++i) {
    const auto& r = records[i];
    const std::string where = ctx.source + ":" + std::to_string(r.line);
    bool blank = true;
    for (const auto& f : r.fields) blank = blank && trim(f).empty();
    if (blank) continue;  // ",,,,," rows a spreadsheet leaves behind
    try {
      // A spreadsheet may add empty cells at the end; anything else must line up.
      size_t n = r.fields.size();
      while (n > width && trim(r.fields[n - 1]).empty()) --n;
      if (n != width)
        throw RowError{"expected " + std::to_string(width) + " columns as in the header, found " +
                       std::to_string(r.fields.size()) +
                       (n < width ? " (a truncated row, or a quote that is not closed?)" : "")};
      p.commit(p.parseRow(r, where), where);
    } catch (const RowError& e) {
      ctx.problem(where, e.reason);
    }
  }
  if (p.descriptive > 0)
    ctx.result.warnings.push_back(ctx.source + ": " + std::to_string(p.descriptive) +
                                  " descriptive field" + (p.descriptive == 1 ? "" : "s") +
                                  " skipped (text on the form, no data)");
}

}  // namespace regcat
