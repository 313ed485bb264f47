#include "importers/xlsx_reader.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdlib>
#include <mutex>

#include "catalog/errors.h"
#include "catalog/text.h"

namespace regcat {
namespace {

struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct XmlCtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

// Parses one workbook part. Workbook parts never need a DTD, so any DOCTYPE is refused before
// libxml2 sees it: that rules out external entities (XXE) and entity expansion (billion
// laughs) whatever the library version does with an internal subset. Only XML_PARSE_NONET is
// set: no XML_PARSE_NOENT (entity substitution) and no XML_PARSE_DTDLOAD.
XmlDoc parseXml(const std::string& bytes, const std::string& where) {
  if (bytes.find("<!DOCTYPE") != std::string::npos || bytes.find("<!ENTITY") != std::string::npos)
    throw invalid(where, "a DOCTYPE or entity declaration is not allowed in a workbook part");
  // UTF-16 would hide a DOCTYPE from the check above; Excel writes UTF-8 only.
  if (bytes.find('\0') != std::string::npos) throw invalid(where, "the part is not UTF-8 XML");
  std::unique_ptr<xmlParserCtxt, XmlCtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) throw invalid(where, "out of memory");
  xmlDoc* doc = xmlCtxtReadMemory(ctxt.get(), bytes.data(), int(bytes.size()), nullptr, nullptr,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    std::string msg = e && e->message ? e->message : "unknown error";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw invalid(where + (e ? ":" + std::to_string(e->line) : ""), "not well-formed XML: " + msg);
  }
  XmlDoc owned(doc);
  if (doc->intSubset || doc->extSubset)
    throw invalid(where, "a DOCTYPE is not allowed in a workbook part");
  if (!xmlDocGetRootElement(doc)) throw invalid(where, "the part has no root element");
  return owned;
}

bool is(const xmlNode* n, const char* localName) {
  return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST localName) == 0;
}

// An attribute by local name, whatever namespace prefix the writer used (r:id, x:r ...).
std::string attr(const xmlNode* n, const char* localName) {
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    if (xmlStrcmp(a->name, BAD_CAST localName) != 0) continue;
    xmlChar* v = xmlNodeListGetString(n->doc, a->children, 1);
    std::string s = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return s;
  }
  return {};
}

std::string content(const xmlNode* n) {
  xmlChar* v = xmlNodeGetContent(n);
  std::string s = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return s;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Excel escapes characters XML cannot hold as _xHHHH_ (a literal "_x" as _x005F_x).
std::string unescapeXstring(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      int cp = 0;
      bool ok = true;
      for (size_t k = 2; k < 6; ++k) {
        const int h = hexValue(s[i + k]);
        ok = ok && h >= 0;
        cp = cp * 16 + h;
      }
      if (ok) {
        // Code points below U+0800 cover the control characters Excel escapes.
        if (cp < 0x80) {
          out += char(cp);
        } else if (cp < 0x800) {
          out += char(0xC0 | (cp >> 6));
          out += char(0x80 | (cp & 0x3F));
        } else {
          out += char(0xE0 | (cp >> 12));
          out += char(0x80 | ((cp >> 6) & 0x3F));
          out += char(0x80 | (cp & 0x3F));
        }
        i += 6;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// Text of a shared string item or inline string: its <t>, or the <t> of each rich text run
// <r>; phonetic runs (<rPh>) are annotations, not text.
std::string richText(const xmlNode* n) {
  std::string s;
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (is(c, "t")) {
      s += content(c);
    } else if (is(c, "r")) {
      for (const xmlNode* t = c->children; t; t = t->next)
        if (is(t, "t")) s += content(t);
    }
  }
  return unescapeXstring(std::move(s));
}

// Resolves a relationship target against the folder of the part that holds the relationship.
std::string resolveTarget(const std::string& baseDir, const std::string& target) {
  std::string path = target.rfind('/', 0) == 0 ? target.substr(1) : baseDir + target;
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string seg = path.substr(start, end - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string folderOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

struct Relationship {
  std::string id, type, target;  // target resolved to a path inside the package
};

// The internal relationships of a .rels part (external targets are links, not parts).
std::vector<Relationship> relationships(const xmlDoc* doc, const std::string& baseDir) {
  std::vector<Relationship> out;
  for (const xmlNode* n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
    if (!is(n, "Relationship") || attr(n, "TargetMode") == "External") continue;
    out.push_back({attr(n, "Id"), attr(n, "Type"), resolveTarget(baseDir, attr(n, "Target"))});
  }
  return out;
}

std::once_flag xmlInitOnce;

}  // namespace

std::string xlsxColumnName(size_t index) {
  std::string s;
  ++index;
  while (index > 0) {
    s.insert(s.begin(), char('A' + (index - 1) % 26));
    index = (index - 1) / 26;
  }
  return s;
}

std::string xlsxSerialToDate(const std::string& serial) {
  if (serial.empty() || serial.size() > 12) return {};
  size_t i = 0;
  while (i < serial.size() && serial[i] >= '0' && serial[i] <= '9') ++i;
  if (i == 0) return {};
  // "45292" or "45292.0": a whole number of days (a time of day would be lost).
  if (i < serial.size()) {
    if (serial[i] != '.') return {};
    for (size_t k = i + 1; k < serial.size(); ++k)
      if (serial[k] != '0') return {};
  }
  const long days = std::strtol(serial.substr(0, i).c_str(), nullptr, 10);
  if (days < 1 || days > 2958465) return {};  // 1900-01-01 .. 9999-12-31
  // Excel counts the non-existent 1900-02-29 (serial 60), so earlier serials are off by one.
  return text::addDays(days < 60 ? "1899-12-31" : "1899-12-30", int(days));
}

XlsxWorkbook::XlsxWorkbook(std::string_view zipBytes, std::string source, XlsxLimits limits)
    : source_(std::move(source)), limits_(limits) {
  std::call_once(xmlInitOnce, [] { xmlInitParser(); });
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t* src = zip_source_buffer_create(zipBytes.data(), zipBytes.size(), 0, &ze);
  if (!src) throw invalid(source_, "cannot read the workbook: out of memory");
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &ze);
  if (!z) {
    const std::string msg = zip_error_strerror(&ze);
    zip_source_free(src);
    zip_error_fini(&ze);
    throw invalid(source_, "not an .xlsx workbook (the zip archive cannot be read: " + msg + ")");
  }
  zip_error_fini(&ze);
  zip_.reset(z);

  // The workbook part is whatever the package relationships name as the office document.
  std::string workbookPath = "xl/workbook.xml";
  const std::string rootRels = entry("_rels/.rels", false);
  if (!rootRels.empty()) {
    auto doc = parseXml(rootRels, source_ + ":_rels/.rels");
    for (const auto& rel : relationships(doc.get(), "")) {
      const std::string& type = rel.type;
      if (type.size() >= 15 && type.compare(type.size() - 15, 15, "/officeDocument") == 0)
        workbookPath = rel.target;
    }
  }
  const std::string wbWhere = source_ + ":" + workbookPath;
  auto wb = parseXml(entry(workbookPath), wbWhere);
  const std::string relsPath = folderOf(workbookPath) + "_rels/" +
                               workbookPath.substr(folderOf(workbookPath).size()) + ".rels";
  auto rels = parseXml(entry(relsPath), source_ + ":" + relsPath);
  const auto targets = relationships(rels.get(), folderOf(workbookPath));
  for (const xmlNode* n = xmlDocGetRootElement(wb.get())->children; n; n = n->next) {
    if (!is(n, "sheets")) continue;
    for (const xmlNode* s = n->children; s; s = s->next) {
      if (!is(s, "sheet")) continue;
      const std::string name = attr(s, "name"), rid = attr(s, "id");
      std::string path;
      for (const auto& rel : targets)
        if (rel.id == rid) path = rel.target;
      if (path.empty())
        throw invalid(wbWhere, "sheet '" + name + "' refers to relationship '" + rid + "', which " +
                                   relsPath + " does not define");
      names_.push_back(text::nfc(name, wbWhere));
      paths_.push_back(path);
    }
  }
  if (names_.empty()) throw invalid(wbWhere, "the workbook has no sheets");
}

std::string XlsxWorkbook::entry(const std::string& name, bool required) {
  const zip_int64_t idx = zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE);
  if (idx < 0) {
    if (!required) return {};
    throw invalid(source_, "not an .xlsx workbook: the part " + name + " is missing");
  }
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_.get(), zip_uint64_t(idx), 0, &st) != 0)
    throw invalid(source_ + ":" + name, "the zip entry cannot be read");
  // The declared size can lie, so reading also stops at the limit.
  const size_t limit = limits_.max_entry_size;
  const std::string tooLarge = "the part is larger than " +
                               (limit >= (size_t(1) << 20) ? std::to_string(limit >> 20) + " MB"
                                                           : std::to_string(limit) + " bytes") +
                               " uncompressed (refused as a possible zip bomb)";
  if ((st.valid & ZIP_STAT_SIZE) && st.size > limits_.max_entry_size)
    throw invalid(source_ + ":" + name, tooLarge);
  zip_file_t* f = zip_fopen_index(zip_.get(), zip_uint64_t(idx), 0);
  if (!f) throw invalid(source_ + ":" + name, "the zip entry cannot be opened (encrypted?)");
  std::string out;
  if (st.valid & ZIP_STAT_SIZE) out.reserve(size_t(st.size));
  char buf[65536];
  while (true) {
    const zip_int64_t n = zip_fread(f, buf, sizeof buf);
    if (n < 0) {
      zip_fclose(f);
      throw invalid(source_ + ":" + name, "the zip entry is damaged");
    }
    if (n == 0) break;
    if (out.size() + size_t(n) > limits_.max_entry_size) {
      zip_fclose(f);
      throw invalid(source_ + ":" + name, tooLarge);
    }
    out.append(buf, size_t(n));
  }
  zip_fclose(f);
  return out;
}

void XlsxWorkbook::loadSharedStrings() {
  if (sharedLoaded_) return;
  sharedLoaded_ = true;
  // Its path should come from the workbook relationships, but every writer uses this one.
  const std::string bytes = entry("xl/sharedStrings.xml", false);
  if (bytes.empty()) return;
  const std::string where = source_ + ":xl/sharedStrings.xml";
  auto doc = parseXml(bytes, where);
  for (const xmlNode* n = xmlDocGetRootElement(doc.get())->children; n; n = n->next)
    if (is(n, "si")) shared_.push_back(text::nfc(richText(n), where));
}

XlsxSheet XlsxWorkbook::sheet(const std::string& name) {
  size_t k = 0;
  while (k < names_.size() && names_[k] != name) ++k;
  if (k == names_.size()) throw invalid(source_, "the workbook has no sheet '" + name + "'");
  loadSharedStrings();
  XlsxSheet out;
  out.name = name;
  const std::string where = source_ + ":" + name;
  auto doc = parseXml(entry(paths_[k]), where);
  size_t cells = 0, slots = 0;
  size_t rowNumber = 0;
  for (const xmlNode* sd = xmlDocGetRootElement(doc.get())->children; sd; sd = sd->next) {
    if (!is(sd, "sheetData")) continue;
    for (const xmlNode* r = sd->children; r; r = r->next) {
      if (!is(r, "row")) continue;
      const std::string rAttr = attr(r, "r");
      rowNumber = rAttr.empty() ? rowNumber + 1 : std::strtoul(rAttr.c_str(), nullptr, 10);
      if (rowNumber == 0 || rowNumber > 1048576)
        throw invalid(where + "!" + rAttr, "not a valid row number");
      XlsxRow row;
      row.number = rowNumber;
      size_t col = 0;
      bool first = true;
      for (const xmlNode* c = r->children; c; c = c->next) {
        if (!is(c, "c")) continue;
        const std::string ref = attr(c, "r");
        if (ref.empty()) {
          col = first ? 0 : col + 1;
        } else {
          size_t i = 0, v = 0;
          while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z')
            v = v * 26 + size_t(ref[i++] - 'A' + 1);
          if (v == 0 || v > 16384) throw invalid(where + "!" + ref, "not a valid cell reference");
          col = v - 1;
        }
        first = false;
        if (++cells > limits_.max_cells)
          throw invalid(where,
                        "the sheet has more than " + std::to_string(limits_.max_cells) + " cells");
        const std::string cellWhere = where + "!" + xlsxColumnName(col) + std::to_string(rowNumber);
        const std::string type = attr(c, "t");
        XlsxCell cell;
        if (type == "inlineStr") {
          for (const xmlNode* is_ = c->children; is_; is_ = is_->next)
            if (is(is_, "is")) cell.text = richText(is_);
        } else {
          std::string v;
          for (const xmlNode* vn = c->children; vn; vn = vn->next)
            if (is(vn, "v")) v = content(vn);
          if (type == "s") {
            if (v.empty()) continue;
            char* end = nullptr;
            const unsigned long idx = std::strtoul(v.c_str(), &end, 10);
            if (*end != '\0' || idx >= shared_.size())
              throw invalid(cellWhere, "refers to shared string " + v + ", which does not exist");
            cell.text = shared_[idx];
          } else if (type == "b") {
            cell.text = v == "1" ? "true" : v == "0" ? "false" : v;
          } else if (type == "str" || type == "e" || type == "d") {
            cell.text = unescapeXstring(std::move(v));
          } else {
            cell.text = std::move(v);
            cell.numeric = !cell.text.empty();
          }
        }
        if (cell.text.empty()) continue;
        cell.text = text::nfc(cell.text, cellWhere);
        if (row.cells.size() <= col) {
          // A row is stored densely up to its last cell, so the empty cells left of it count
          // against the limit too: else a few cells in column XFD, one per row, would make a
          // workbook of a few kilobytes take gigabytes (16384 cells for each such row).
          slots += col + 1 - row.cells.size();
          if (slots > limits_.max_cells)
            throw invalid(where, "the sheet has more than " + std::to_string(limits_.max_cells) +
                                     " cells, counting the empty cells left of each row's last");
          row.cells.resize(col + 1);
        }
        row.cells[col] = std::move(cell);
      }
      if (!row.cells.empty()) out.rows.push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace regcat
