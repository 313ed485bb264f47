#include "importers/variable_import.h"

#include <algorithm>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "importers/regcat_json_importer.h"
#include "importers/text_decoding.h"

namespace regcat {
namespace {

std::string lowerExtension(const std::string& name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos) return {};
  return text::fold(name.substr(dot + 1));
}

// The local name of the first element of an XML document.
std::string rootElement(std::string_view xml) {
  size_t i = 0;
  while (true) {
    i = xml.find('<', i);
    if (i == std::string_view::npos || i + 1 >= xml.size()) return {};
    const char c = xml[i + 1];
    if (c == '?' || c == '!') {  // declaration, comment, DOCTYPE
      i = xml.find('>', i);
      if (i == std::string_view::npos) return {};
      continue;
    }
    size_t end = i + 1;
    while (end < xml.size() && xml[end] != ' ' && xml[end] != '>' && xml[end] != '/' &&
           xml[end] != '\n' && xml[end] != '\r' && xml[end] != '\t')
      ++end;
    std::string name(xml.substr(i + 1, end - i - 1));
    const size_t colon = name.find(':');
    return colon == std::string::npos ? name : name.substr(colon + 1);
  }
}

std::string detectFormat(const std::string& fileName, std::string_view bytes,
                         std::string_view text) {
  const std::string ext = lowerExtension(fileName);
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4) || ext == "xlsx") return "xlsx";
  std::string_view t = text;
  while (!t.empty() &&
         (t.front() == ' ' || t.front() == '\n' || t.front() == '\r' || t.front() == '\t'))
    t.remove_prefix(1);
  if (!t.empty() && t.front() == '{') return "json";
  if (!t.empty() && t.front() == '<') {
    const std::string root = rootElement(t);
    if (root == "ODM") return "odm";
    if (root == "codeBook") return "ddi-c";
    if (root == "DDIInstance" || root == "FragmentInstance" || root == "Fragment") return "ddi-l";
    // Any other DDI-Lifecycle 3.x element as the root (e.g. l:LogicalProduct).
    const std::string_view head = t.substr(0, 4096);
    if (head.find("ddi:") != std::string_view::npos && head.find(":3_") != std::string_view::npos)
      return "ddi-l";
    throw invalid(fileName, "an XML file, but its root element <" + root +
                                "> is not ODM, codeBook (DDI-C) or a DDI-L instance");
  }
  const std::string firstLine(t.substr(0, t.find('\n')));
  if (text::fold(firstLine).find("variable / field name") != std::string::npos) return "redcap";
  if (looksLikeFieldLevel(firstLine)) return "fields";
  return "csv";
}

}  // namespace

const std::vector<std::string>& variableImportFormats() {
  static const std::vector<std::string> formats = {"auto", "redcap", "odm",  "ddi-c", "ddi-l",
                                                   "csv",  "xlsx",   "json", "fields"};
  return formats;
}

VariableImportResult parseVariableFile(const std::string& fileName, std::string_view bytes,
                                       const VariableImportOptions& opt) {
  if (!isValidRegisterId(opt.register_id))
    throw invalid("register", "'" + opt.register_id + "' is not a valid register id");
  const auto& formats = variableImportFormats();
  if (std::find(formats.begin(), formats.end(), opt.format) == formats.end())
    throw invalid("format",
                  "'" + opt.format +
                      "' is not one of auto, redcap, odm, ddi-c, ddi-l, csv, xlsx, json, fields");
  if (!opt.dataset.empty() && !isValidLocalName(opt.dataset))
    throw invalid("dataset", "'" + opt.dataset + "' is not a valid dataset id");
  VariableImportResult result;
  result.doc.reg.id = opt.register_id;
  result.doc.reg.name.sv = opt.register_id;
  ParseContext ctx{fileName, opt, result};

  const bool zip = bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4);
  DecodedText decoded;
  if (!zip) decoded = decodeText(bytes, opt.encoding, fileName);
  result.encoding = zip ? "zip" : decoded.encoding;
  result.format = opt.format == "auto" ? detectFormat(fileName, bytes, decoded.utf8) : opt.format;
  if (result.format == "xlsx") {
    if (!zip) throw invalid(fileName, "not an .xlsx workbook (a zip archive was expected)");
    parseVariableListXlsx(bytes, ctx);
  } else if (zip) {
    throw invalid(fileName,
                  "a zip archive (an .xlsx workbook?) cannot be read as " + result.format);
  } else if (result.format == "redcap") {
    parseRedcapDictionary(decoded.utf8, ctx);
  } else if (result.format == "odm") {
    parseOdm(decoded.utf8, ctx);
  } else if (result.format == "ddi-c") {
    parseDdiCodebook(decoded.utf8, ctx);
  } else if (result.format == "ddi-l") {
    parseDdiLifecycle(decoded.utf8, ctx);
  } else if (result.format == "csv") {
    parseVariableListCsv(decoded.utf8, ctx);
  } else if (result.format == "fields") {
    parseFieldLevelCsv(decoded.utf8, ctx);
  } else if (result.format == "json") {
    CatalogDocument doc = importCatalogJson(decoded.utf8, fileName);
    auto it = std::find_if(doc.registers.begin(), doc.registers.end(),
                           [&](const RegisterDocument& r) { return r.reg.id == opt.register_id; });
    if (it == doc.registers.end() && doc.registers.size() == 1) it = doc.registers.begin();
    if (it == doc.registers.end())
      throw invalid(fileName, "the file describes " + std::to_string(doc.registers.size()) +
                                  " registers and none is '" + opt.register_id + "'");
    result.doc = std::move(*it);
    result.register_named_from_file = true;
  }
  // Whatever the file called it, the variables belong to the register being imported into.
  auto& doc = result.doc;
  doc.reg.id = opt.register_id;
  for (auto& d : doc.datasets) d.register_id = opt.register_id;
  for (auto& v : doc.variables) v.register_id = opt.register_id;
  for (auto& c : doc.codelists) c.register_id = opt.register_id;
  if (doc.variables.empty() && result.skipped.empty())
    throw invalid(fileName, "no variables found in the file (read as " + result.format + ")");
  return result;
}

}  // namespace regcat

namespace regcat {

std::pair<VariableImportResult, ImportReport> applyVariableImport(
    Store& store, const std::string& fileName, std::string_view bytes,
    const VariableImportOptions& opt, ImportOptions importOptions, const WriteContext& ctx,
    const std::string& cpua) {
  VariableImportResult parsed = parseVariableFile(fileName, bytes, opt);
  if (!cpua.empty()) parsed.doc.reg.cpua.name = text::nfc(cpua, "cpua");
  // The register's own description is edited elsewhere: an import only creates it.
  importOptions.update_registers = false;
  importOptions.require_cpua = false;
  CatalogDocument doc;
  doc.registers.push_back(parsed.doc);
  ImportReport report = store.applyImport(doc, importOptions, ctx);
  for (const auto& w : parsed.warnings) report.warnings.push_back(w);
  return {std::move(parsed), std::move(report)};
}

}  // namespace regcat
