#include "importers/template_exporter.h"

#include <zip.h>

#include <charconv>
#include <cstdio>
#include <memory>

#include "catalog/errors.h"

namespace regcat {
namespace {

Error internal(const std::string& what) {
  return Error(Error::Kind::Internal, "xlsx", what);
}

bool formulaStart(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// "-5", "-0.25": a negative number is not a formula, and quoting it would make it text.
bool plainNumber(const std::string& s) {
  size_t i = s[0] == '-' ? 1 : 0;
  const size_t digits = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == digits) return false;
  if (i < s.size() && s[i] == '.') {
    const size_t frac = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac) return false;
  }
  return i == s.size();
}

std::string number(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

std::string yesNo(bool b) {
  return b ? "yes" : "no";
}

// Code list ids are written as the file's local ids: "{register}.x" becomes "x" (which the
// importer turns back into "{register}.x"); any other id keeps its dot and stays as it is.
std::string localId(const std::string& id, const std::string& registerId) {
  const std::string prefix = registerId + ".";
  if (!registerId.empty() && id.rfind(prefix, 0) == 0 &&
      id.find('.', prefix.size()) == std::string::npos && id.size() > prefix.size())
    return id.substr(prefix.size());
  return id;
}

std::string joinPipe(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : " | ") + p;
  return s;
}

std::string inlineCodes(const CodeList& c) {
  std::vector<std::string> parts;
  for (const auto& i : c.items)
    parts.push_back(i.code + "=" + (i.label.sv.empty() ? i.label.en : i.label.sv) +
                    (i.is_missing ? "*" : ""));
  return joinPipe(parts);
}

// One cell: its text, and whether it is a number (written as a number cell in the workbook).
struct Cell {
  std::string text;
  bool numeric = false;
};

std::vector<Cell> variableRow(const Variable& v, const RegisterDocument& doc, bool withCodes) {
  std::string codes;
  if (withCodes && !v.codelist.empty())
    for (const auto& c : doc.codelists)
      if (c.id == v.codelist) codes = inlineCodes(c);
  std::vector<std::string> missing, missingEn;
  for (const auto& m : v.missing_codes) {
    missing.push_back(m.code + (m.label.sv.empty() ? "" : "=" + m.label.sv));
    if (!m.label.en.empty()) missingEn.push_back(m.code + "=" + m.label.en);
  }
  std::string datasetName;
  for (const auto& d : doc.datasets)
    if (d.id == v.dataset_id && d.name.sv != d.id) datasetName = d.name.sv;
  // Same order as variableListColumns().
  return {{v.dataset_id},
          {v.name},
          {v.label.sv},
          {v.label.en},
          {v.definition.sv},
          {v.definition.en},
          {v.question.sv},
          {v.question.en},
          {v.datatype},
          {v.unit},
          {v.min ? number(*v.min) : "", bool(v.min)},
          {v.max ? number(*v.max) : "", bool(v.max)},
          {v.format},
          {v.codelist.empty() ? "" : localId(v.codelist, doc.reg.id)},
          {codes},
          {joinPipe(missing)},
          {yesNo(v.mandatory)},
          {v.source},
          {v.identifier_class},
          {v.category},
          {v.valid_from},
          {v.valid_to},
          {joinPipe(v.aliases)},
          {v.calculation},
          {joinPipe(missingEn)},
          {datasetName}};
}

std::vector<std::vector<Cell>> codeRows(const RegisterDocument& doc) {
  std::vector<std::vector<Cell>> rows;
  for (const auto& c : doc.codelists) {
    bool first = true;
    for (const auto& i : c.items) {
      const std::string name = c.name.sv.empty() ? c.name.en : c.name.sv;
      // Same order as codeItemColumns(); list-level values on the list's first row.
      rows.push_back({{localId(c.id, doc.reg.id)},
                      {i.code},
                      {i.label.sv},
                      {i.label.en},
                      {i.is_missing ? "yes" : ""},
                      {i.valid_from},
                      {i.valid_to},
                      {first ? name : ""},
                      {first ? c.system.uri : ""},
                      {first ? c.system.oid : ""},
                      {first ? c.system.version : ""},
                      {first && !c.name.sv.empty() ? c.name.en : ""},
                      {first ? c.description.sv : ""},
                      {first ? c.description.en : ""}});
      first = false;
    }
  }
  return rows;
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n;\t") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Text for a <t> element: XML-escaped; characters XML 1.0 cannot hold, and a literal "_xHHHH_"
// that Excel would decode, use Excel's _xHHHH_ escape; CR as a character reference, since XML
// parsers turn a literal CR into LF.
std::string xmlText(const std::string& s) {
  auto isHex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '\r') {
      out += "&#13;";
    } else if (c < 0x20 && c != '\t' && c != '\n') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "_x%04X_", c);
      out += buf;
    } else if (c == '_' && i + 6 < s.size() && s[i + 1] == 'x' && isHex(s[i + 2]) &&
               isHex(s[i + 3]) && isHex(s[i + 4]) && isHex(s[i + 5]) && s[i + 6] == '_') {
      out += "_x005F_";
    } else {
      out += char(c);
    }
  }
  return out;
}

std::string sheetXml(const std::vector<std::string>& header,
                     const std::vector<std::vector<Cell>>& rows) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" "
      "activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetData>";
  auto writeRow = [&](size_t r, const std::vector<Cell>& cells) {
    x += "<row r=\"" + std::to_string(r) + "\">";
    for (size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].text.empty()) continue;
      std::string ref;
      for (size_t n = c + 1; n > 0; n = (n - 1) / 26)
        ref.insert(ref.begin(), char('A' + (n - 1) % 26));
      ref += std::to_string(r);
      if (cells[c].numeric)
        x += "<c r=\"" + ref + "\"><v>" + cells[c].text + "</v></c>";
      else
        x += "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" +
             xmlText(neutraliseFormula(cells[c].text)) + "</t></is></c>";
    }
    x += "</row>";
  };
  std::vector<Cell> head;
  for (const auto& h : header) head.push_back({h});
  writeRow(1, head);
  for (size_t i = 0; i < rows.size(); ++i) writeRow(i + 2, rows[i]);
  return x + "</sheetData></worksheet>";
}

struct ZipFree {
  void operator()(zip_t* z) const { zip_discard(z); }
};

}  // namespace

const std::vector<std::string>& variableListColumns() {
  static const std::vector<std::string> cols = {
      "dataset",       "name",        "label_sv",    "label_en",         "definition_sv",
      "definition_en", "question_sv", "question_en", "datatype",         "unit",
      "min",           "max",         "format",      "codelist",         "codes",
      "missing_codes", "mandatory",   "source",      "identifier_class", "category",
      "valid_from",    "valid_to",    "aliases",     "calculation",      "missing_codes_en",
      "dataset_name"};
  return cols;
}

const std::vector<std::string>& codeItemColumns() {
  static const std::vector<std::string> cols = {"codelist",
                                                "code",
                                                "label_sv",
                                                "label_en",
                                                "is_missing",
                                                "valid_from",
                                                "valid_to",
                                                "codelist_name",
                                                "system_uri",
                                                "system_oid",
                                                "system_version",
                                                "codelist_name_en",
                                                "codelist_description",
                                                "codelist_description_en"};
  return cols;
}

std::string neutraliseFormula(const std::string& cell) {
  size_t i = 0;
  while (i < cell.size() && cell[i] == '\'') ++i;
  if (i == cell.size() || !formulaStart(cell[i])) return cell;
  if (i == 0 && plainNumber(cell)) return cell;
  return "'" + cell;
}

std::string stripFormulaGuard(const std::string& cell) {
  if (cell.empty() || cell[0] != '\'') return cell;
  size_t i = 0;
  while (i < cell.size() && cell[i] == '\'') ++i;
  return i < cell.size() && formulaStart(cell[i]) ? cell.substr(1) : cell;
}

std::string csvCell(const std::string& text) {
  return csvField(neutraliseFormula(text));
}

std::string writeVariableListCsv(const RegisterDocument& doc) {
  std::string out = "\xEF\xBB\xBF";
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csvCell(cells[i]);
    out += "\r\n";
  };
  line(variableListColumns());
  for (const auto& v : doc.variables) {
    std::vector<std::string> cells;
    for (auto& c : variableRow(v, doc, true)) cells.push_back(std::move(c.text));
    line(cells);
  }
  return out;
}

std::string writeVariableListXlsx(const RegisterDocument& doc) {
  std::vector<std::vector<Cell>> vars;
  for (const auto& v : doc.variables) vars.push_back(variableRow(v, doc, false));
  const std::string ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
  return writeZip({
      {"[Content_Types].xml",
       head +
           "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
           "<Default Extension=\"rels\" "
           "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
           "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
           "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" +
           ct +
           "sheet.main+xml\"/>"
           "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"" +
           ct +
           "worksheet+xml\"/>"
           "<Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"" +
           ct + "worksheet+xml\"/></Types>"},
      {"_rels/.rels", head +
                          "<Relationships "
                          "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                          "<Relationship Id=\"rId1\" Type=\"" +
                          rel + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml",
       head +
           "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
           "xmlns:r=\"" +
           rel +
           "\"><sheets><sheet name=\"Variabler\" sheetId=\"1\" r:id=\"rId1\"/>"
           "<sheet name=\"Koder\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       head +
           "<Relationships "
           "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId1\" Type=\"" +
           rel +
           "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
           "<Relationship Id=\"rId2\" Type=\"" +
           rel + "/worksheet\" Target=\"worksheets/sheet2.xml\"/></Relationships>"},
      {"xl/worksheets/sheet1.xml", sheetXml(variableListColumns(), vars)},
      {"xl/worksheets/sheet2.xml", sheetXml(codeItemColumns(), codeRows(doc))},
  });
}

std::string writeZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &ze);
  if (!src) throw internal("cannot create a zip buffer");
  zip_source_keep(src);  // still needed after zip_close, to read the archive back
  std::unique_ptr<zip_source_t, void (*)(zip_source_t*)> srcOwner(src, zip_source_free);
  std::unique_ptr<zip_t, ZipFree> z(zip_open_from_source(src, ZIP_TRUNCATE, &ze));
  if (!z) throw internal("cannot create a zip archive: " + std::string(zip_error_strerror(&ze)));
  for (const auto& [name, data] : entries) {
    zip_source_t* s = zip_source_buffer(z.get(), data.data(), data.size(), 0);
    if (!s) throw internal("cannot add " + name);
    const zip_int64_t idx = zip_file_add(z.get(), name.c_str(), s, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      zip_source_free(s);
      throw internal("cannot add " + name + ": " + zip_strerror(z.get()));
    }
    // Level 1: the sheets are repetitive XML that deflates well even so, at a third of the time.
    zip_set_file_compression(z.get(), zip_uint64_t(idx), ZIP_CM_DEFLATE, 1);
    zip_file_set_mtime(z.get(), zip_uint64_t(idx), 946684800, 0);  // 2000-01-01
  }
  if (zip_close(z.get()) != 0)
    throw internal("cannot write the zip archive: " + std::string(zip_strerror(z.get())));
  z.release();  // zip_close freed it
  if (zip_source_open(src) != 0) throw internal("cannot read the zip archive back");
  std::string out;
  char buf[65536];
  zip_int64_t n;
  while ((n = zip_source_read(src, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
  zip_source_close(src);
  if (n < 0) throw internal("cannot read the zip archive back");
  return out;
}

}  // namespace regcat
