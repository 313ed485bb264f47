#include "importers/classification_importer.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"
#include "importers/delimited_reader.h"
#include "importers/source_file.h"
#include "mapping/terminology.h"

namespace regcat {
namespace {

struct Row {
  size_t line;
  std::string code, term, definition, status;
  std::vector<std::string> synonyms, snomed;
};

// Index of the first header cell (case-folded, trimmed) among the names; npos when absent.
size_t column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (size_t i = 0; i < header.size(); ++i) {
    std::string h = text::fold(header[i]);
    while (!h.empty() && (h.back() == ' ' || h.back() == '\r')) h.pop_back();
    while (!h.empty() && h.front() == ' ') h.erase(h.begin());
    for (const char* n : names)
      if (h == n) return i;
  }
  return std::string::npos;
}

std::vector<std::string> splitBar(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t bar = s.find('|', start);
    if (bar == std::string::npos) bar = s.size();
    std::string part = s.substr(start, bar - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
    start = bar + 1;
  }
  return out;
}

bool isChapter(const std::string& code) {
  static const std::regex chapter("^[IVXL]+$");
  return std::regex_match(code, chapter);
}

bool isBlock(const std::string& code) {
  static const std::regex block("^[A-Z][0-9]{2}-[A-Z][0-9]{2}$");
  return std::regex_match(code, block);
}

// ICD-10-SE chapters and blocks seen so far in the file.
struct IcdContext {
  std::string chapter;
  std::vector<std::string> blocks;
};

// The parent code implied by the code's shape (and, for ICD-10-SE, the chapter and blocks
// before it), or "" for a top-level code.
std::string parentOf(CodeSystemKind kind, const std::string& code,
                     const std::set<std::string>& codes, const IcdContext& context) {
  auto known = [&](const std::string& c) { return codes.count(c) ? c : std::string(); };
  switch (kind) {
    case CodeSystemKind::Icd10Se: {
      // Chapters (Roman numerals) and blocks (I20-I25) are placed by the file's order: a block
      // belongs to the chapter before it, a category to the block whose range holds it, and
      // I21.0A -> I21.0 -> I21 (a level missing from the file is skipped over).
      if (isChapter(code)) return {};
      if (isBlock(code)) return context.chapter;
      std::string c = code;
      while (c.size() > 3) {
        c.pop_back();
        if (!c.empty() && c.back() == '.') c.pop_back();
        if (auto p = known(c); !p.empty()) return p;
      }
      for (const auto& b : context.blocks)
        if (code.substr(0, 3) >= b.substr(0, 3) && code.substr(0, 3) <= b.substr(4, 3)) return b;
      return context.chapter;
    }
    case CodeSystemKind::Atc: {
      static const size_t levels[] = {1, 3, 4, 5, 7};
      for (int i = 4; i >= 0; --i)
        if (levels[i] < code.size())
          if (auto p = known(code.substr(0, levels[i])); !p.empty()) return p;
      return {};
    }
    case CodeSystemKind::Kva:
      // KVÅ groups are the leading letters (NFB49 under NFB, if the file has the group).
      for (size_t n = code.size() - 1; n >= 1; --n)
        if (auto p = known(code.substr(0, n)); !p.empty()) return p;
      return {};
    case CodeSystemKind::Ni:
      return {};
  }
  return {};
}

bool validCode(CodeSystemKind kind, const std::string& code) {
  static const std::regex icd("^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,3})?[A-Z]?$");
  static const std::regex kva("^[A-Z]{1,3}[0-9A-Z]{0,4}$");
  static const std::regex atc("^[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?$");
  switch (kind) {
    case CodeSystemKind::Icd10Se:
      return std::regex_match(code, icd) || isChapter(code) || isBlock(code);
    case CodeSystemKind::Kva:
      return std::regex_match(code, kva);
    case CodeSystemKind::Atc:
      return std::regex_match(code, atc);
    case CodeSystemKind::Ni:
      return !code.empty() && code.find_first_of(" \t") == std::string::npos;
  }
  return false;
}

}  // namespace

CodeSystemIdentity identityOf(CodeSystemKind kind) {
  switch (kind) {
    case CodeSystemKind::Icd10Se:
      return {"http://hl7.org/fhir/sid/icd-10-se", "ICD-10-SE", "1.2.752.116.1.1.1"};
    case CodeSystemKind::Kva:
      return {"urn:oid:1.2.752.116.1.3.2.1.4", "KVÅ (Klassifikation av vårdåtgärder)",
              "1.2.752.116.1.3.2.1.4"};
    case CodeSystemKind::Atc:
      return {"http://www.whocc.no/atc", "ATC", "1.2.752.129.2.2.3.1.1"};
    case CodeSystemKind::Ni:
      return {"http://informationsstruktur.socialstyrelsen.se",
              "Nationell informationsstruktur och termbank", ""};
  }
  return {"", "", ""};
}

bool parseCodeSystemKind(const std::string& s, CodeSystemKind& out) {
  if (s == "icd10se" || s == "icd-10-se")
    out = CodeSystemKind::Icd10Se;
  else if (s == "kva")
    out = CodeSystemKind::Kva;
  else if (s == "atc")
    out = CodeSystemKind::Atc;
  else if (s == "ni" || s == "termbank")
    out = CodeSystemKind::Ni;
  else
    return false;
  return true;
}

LoadSummary importCodeSystem(Store& store, const std::string& path, const CodeSystemImport& opt,
                             const WriteContext& ctxIn) {
  const SourceFile src = readSourceFile(path);
  if (!text::isValidUtf8(src.bytes))
    throw invalid(src.name, "the file is not UTF-8 (save it as UTF-8 and try again)");
  const char delim = detectDelimiter(src.bytes);
  const auto records = readDelimited(src.bytes, delim, src.name);
  if (records.empty()) throw invalid(src.name, "the file is empty");
  const auto& header = records[0].fields;
  const size_t cCode = column(header, {"kod", "code", "id", "atc-kod", "atc kod", "atc"});
  const size_t cTerm = column(
      header, {"titel", "text", "benämning", "title", "term", "namn", "name", "beskrivning"});
  const size_t cDef = column(header, {"definition", "definiton", "beskrivningstext"});
  const size_t cStatus = column(header, {"status", "termstatus"});
  const size_t cSyn = column(header, {"synonyms", "synonymer"});
  const size_t cSct = column(header, {"snomed", "snomed ct", "snomed-ct"});
  if (cCode == std::string::npos)
    throw invalid(src.name + ":1", "no code column (expected a header such as 'Kod' or 'Code')");
  if (cTerm == std::string::npos)
    throw invalid(src.name + ":1",
                  "no text column (expected a header such as 'Titel', "
                  "'Benämning', 'Text' or 'term')");
  std::vector<Row> rows;
  std::set<std::string> codes;
  for (size_t i = 1; i < records.size(); ++i) {
    const auto& r = records[i];
    const std::string where = src.name + ":" + std::to_string(r.line);
    auto cell = [&](size_t c) {
      return c == std::string::npos || c >= r.fields.size() ? std::string()
                                                            : text::nfc(r.fields[c], where);
    };
    Row row{r.line,        cell(cCode),          cell(cTerm),         cell(cDef),
            cell(cStatus), splitBar(cell(cSyn)), splitBar(cell(cSct))};
    while (!row.code.empty() && row.code.back() == ' ') row.code.pop_back();
    if (row.code.empty() && row.term.empty()) continue;
    if (!validCode(opt.kind, row.code))
      throw invalid(where,
                    "'" + row.code + "' is not a valid " + identityOf(opt.kind).name + " code");
    if (row.term.empty()) throw invalid(where, "code " + row.code + " has no text");
    if (!codes.insert(row.code).second) throw invalid(where, "code " + row.code + " appears twice");
    rows.push_back(std::move(row));
  }
  std::string version = opt.version;
  if (version.empty()) {
    static const std::regex year("(19|20)[0-9]{2}");
    std::smatch m;
    version = std::regex_search(src.name, m, year) ? m.str() : text::today().substr(0, 4);
  }
  const auto id = identityOf(opt.kind);
  ReleaseInfo info{id.uri,  opt.kind == CodeSystemKind::Ni ? "ni" : "classification",
                   id.name, version,
                   "",      version,
                   id.oid,  src.sha256};
  WriteContext ctx = ctxIn;
  ctx.source_file = src.name;
  ctx.sha256 = src.sha256;
  LoadSummary out;
  store.write([&](SQLite::Database& db) {
    TerminologyLoader loader(db, info, ctx);
    if (loader.skipped()) {
      out = loader.finish();
      return;
    }
    IcdContext icd;
    for (const auto& r : rows) {
      if (opt.kind == CodeSystemKind::Icd10Se) {
        if (isChapter(r.code))
          icd = {r.code, {}};
        else if (isBlock(r.code))
          icd.blocks.push_back(r.code);
      }
      loader.addConcept(r.code, r.status != "avrådd", "", "", false, r.status);
      loader.addDescription("", r.code, "sv", 1, r.term, true, 2);
      for (const auto& syn : r.synonyms) loader.addDescription("", r.code, "sv", 1, syn, true, 1);
      if (!r.definition.empty()) loader.addDescription("", r.code, "sv", 2, r.definition, true, 0);
      const std::string parent = parentOf(opt.kind, r.code, codes, icd);
      if (!parent.empty()) loader.addRelationship(r.code, kIsA, parent, 0);
      for (const auto& s : r.snomed) loader.addRelationship(r.code, kSnomedSystem, s, 0);
    }
    out = loader.finish();
  });
  return out;
}

}  // namespace regcat
