// DDI-Codebook 2.5 (also 2.1 and 2.6, which share the elements read here) -> one register.
//
// Mapping: stdyDscr's title and abstract describe the register; each fileDscr is a dataset
// (its ID is the dataset id); each dataDscr/var is a variable in the file(s) its `files`
// attribute (or location/@fileid) names, else in --dataset, else in the only fileDscr, else in
// `main`. labl -> label, txt -> definition, qstn/qstnLit -> question, varFormat + intrvl + dcml
// -> datatype, valrng -> min/max, catgry -> code list, missing categories and invalrng items ->
// missing codes, var/@measUnit (DDI-C 2.5) -> unit.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "importers/variable_import.h"
#include "importers/xml_document.h"

namespace regcat {
namespace {

using xml::attr;

bool knownNamespace(std::string_view ns) {
  return ns.empty() || ns.rfind("ddi:codebook:", 0) == 0 || ns == "http://www.icpsr.umich.edu/DDI";
}

std::vector<std::string> splitIdrefs(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string id; in >> id;) out.push_back(id);
  return out;
}

std::string lowerAscii(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

// Date formats by name: SPSS (DATE, ADATE, EDATE, SDATE, JDATE, DATETIME, YMDHMS), SAS (DATE9.,
// YYMMDD10., E8601DA., DATETIME20., E8601DT.), Stata (%td, %tc) and ISO patterns.
std::string datatypeOfFormatName(const std::string& formatName) {
  const std::string f = lowerAscii(formatName);
  if (f.empty()) return {};
  for (const char* dt :
       {"datetime", "ymdhms", "e8601dt", "is8601dt", "%tc", "yyyy-mm-ddthh", "dtime"})
    if (f.find(dt) != std::string::npos) return "datetime";
  // A date pattern with a time of day ("YYYY-MM-DD hh:mm"); "hh:mm" alone is a time.
  if (f.find("hh:mm") != std::string::npos && f.find("dd") != std::string::npos) return "datetime";
  for (const char* d :
       {"date", "yymmdd", "ddmmyy", "mmddyy", "e8601da", "is8601da", "%td", "yyyy-mm-dd"})
    if (f.find(d) != std::string::npos) return "date";
  return {};
}

class CodebookImporter {
 public:
  CodebookImporter(const xml::Document& doc, ParseContext& ctx) : doc_(doc), ctx_(ctx) {}
  void run();

 private:
  std::vector<const xmlNode*> elems(const xmlNode* parent, std::string_view local) const {
    return xml::children(parent, local, ns_);
  }
  const xmlNode* elem(const xmlNode* parent, std::string_view local) const {
    return xml::child(parent, local, ns_);
  }
  // The texts of parent's `local` children, picked by xml:lang.
  Text texts(const xmlNode* parent, std::string_view local);
  Text pick(const std::vector<xml::LangText>& texts, const xmlNode* at);

  void readStudy(const xmlNode* root);
  void readFiles(const xmlNode* root);
  void readVariable(const xmlNode* var);
  std::vector<std::string> datasetsOf(const xmlNode* var);
  const std::string& defaultDataset(const xmlNode* at);
  std::string codeListFor(const xmlNode* var, const std::string& name, const Text& label,
                          const std::vector<const xmlNode*>& categories);

  const xml::Document& doc_;
  ParseContext& ctx_;
  std::string ns_;
  std::string register_;
  std::unordered_map<std::string, std::string> files_;  // fileDscr ID -> dataset id
  std::string defaultDataset_;
  std::map<std::string, std::set<std::string>> names_;         // dataset -> variable names
  std::map<std::string, std::string> firstSeen_;               // dataset/name -> where
  std::unordered_map<const xmlNode*, std::string> codeLists_;  // var -> code list id
  std::set<std::string> codeListIds_;
};

Text CodebookImporter::pick(const std::vector<xml::LangText>& texts, const xmlNode* at) {
  std::string used;
  Text out = xml::pickText(texts, &used);
  if (!used.empty())
    ctx_.result.warnings.push_back(doc_.location(at) + ": no Swedish or English text; the '" +
                                   used + "' text is used as Swedish");
  return out;
}

Text CodebookImporter::texts(const xmlNode* parent, std::string_view local) {
  std::vector<xml::LangText> all;
  const auto nodes = elems(parent, local);
  for (const xmlNode* n : nodes) all.push_back({xml::lang(n), xml::text(n)});
  return nodes.empty() ? Text{} : pick(all, nodes.front());
}

void CodebookImporter::run() {
  const xmlNode* root = doc_.root();
  if (xml::localName(root) != "codeBook")
    throw invalid(doc_.location(root),
                  "expected a DDI-Codebook document (root element codeBook), "
                  "found <" +
                      std::string(xml::localName(root)) + ">");
  ns_ = std::string(xml::namespaceUri(root));
  if (!knownNamespace(ns_))
    ctx_.result.warnings.push_back(doc_.location(root) + ": namespace '" + ns_ +
                                   "' is not DDI-Codebook 2.x (ddi:codebook:2_5); read anyway");
  register_ = ctx_.opt.register_id;
  readStudy(root);
  readFiles(root);
  for (const xmlNode* dd : elems(root, "dataDscr"))
    for (const xmlNode* var : elems(dd, "var")) readVariable(var);
}

void CodebookImporter::readStudy(const xmlNode* root) {
  const xmlNode* study = elem(root, "stdyDscr");
  if (!study) return;
  auto& reg = ctx_.result.doc.reg;
  std::vector<xml::LangText> titles;
  const xmlNode* at = nullptr;
  for (const xmlNode* citation : elems(study, "citation"))
    for (const xmlNode* ts : elems(citation, "titlStmt")) {
      // titl is the title, parTitl the same title in another language.
      for (const xmlNode* t : elems(ts, "titl")) titles.push_back({xml::lang(t), xml::text(t)});
      for (const xmlNode* t : elems(ts, "parTitl")) titles.push_back({xml::lang(t), xml::text(t)});
      if (!at) at = ts;
    }
  if (Text name = at ? pick(titles, at) : Text{}; !name.empty()) {
    reg.name = name;
    ctx_.result.register_named_from_file = true;
  }
  std::vector<xml::LangText> abstracts;
  const xmlNode* abstractAt = nullptr;
  for (const xmlNode* info : elems(study, "stdyInfo"))
    for (const xmlNode* a : elems(info, "abstract")) {
      abstracts.push_back({xml::lang(a), xml::text(a)});
      if (!abstractAt) abstractAt = a;
    }
  if (abstractAt) reg.description = pick(abstracts, abstractAt);
}

void CodebookImporter::readFiles(const xmlNode* root) {
  std::set<std::string> ids;
  for (const xmlNode* f : elems(root, "fileDscr")) {
    const std::string fileId = attr(f, "ID");
    const xmlNode* txt = elem(f, "fileTxt");
    const Text fileName = texts(txt, "fileName");
    std::string id = xml::sanitizeLocalName(!fileId.empty()        ? fileId
                                            : !fileName.sv.empty() ? fileName.sv
                                                                   : fileName.en);
    if (id.empty() || !isValidLocalName(id)) {
      ctx_.problem(doc_.location(f), "fileDscr has no ID or file name usable as a dataset id");
      continue;
    }
    if (!ids.insert(id).second) {
      ctx_.problem(doc_.location(f), "a second fileDscr gives the dataset id '" + id + "'");
      continue;
    }
    Dataset d;
    d.register_id = register_;
    d.id = id;
    d.name = fileName.empty() ? Text{fileId.empty() ? id : fileId, ""} : fileName;
    d.description = texts(txt, "fileCont");
    d.origin = doc_.location(f);
    ctx_.result.doc.datasets.push_back(std::move(d));
    if (!fileId.empty()) files_[fileId] = id;
  }
}

// Variables that say nothing about their file: --dataset, else the file when there is just one,
// else `main`. The dataset is created when first needed.
const std::string& CodebookImporter::defaultDataset(const xmlNode* at) {
  if (!defaultDataset_.empty()) return defaultDataset_;
  auto& datasets = ctx_.result.doc.datasets;
  if (!ctx_.opt.dataset.empty())
    defaultDataset_ = ctx_.opt.dataset;
  else if (datasets.size() == 1)
    defaultDataset_ = datasets.front().id;
  else
    defaultDataset_ = "main";
  const bool exists = std::any_of(datasets.begin(), datasets.end(),
                                  [&](const Dataset& d) { return d.id == defaultDataset_; });
  if (!exists) {
    Dataset d;
    d.register_id = register_;
    d.id = defaultDataset_;
    d.name = Text{defaultDataset_, ""};
    d.origin = doc_.location(at);
    datasets.push_back(std::move(d));
  }
  return defaultDataset_;
}

std::vector<std::string> CodebookImporter::datasetsOf(const xmlNode* var) {
  std::vector<std::string> refs = splitIdrefs(attr(var, "files"));
  if (refs.empty())
    for (const xmlNode* loc : elems(var, "location"))
      if (const std::string f = attr(loc, "fileid"); !f.empty()) refs.push_back(f);
  std::vector<std::string> out;
  for (const auto& ref : refs) {
    auto it = files_.find(ref);
    if (it == files_.end()) {
      ctx_.problem(doc_.location(var), "var '" + attr(var, "name") + "' refers to file '" + ref +
                                           "', which no fileDscr has as its ID");
      continue;
    }
    if (std::find(out.begin(), out.end(), it->second) == out.end()) out.push_back(it->second);
  }
  if (refs.empty()) out.push_back(defaultDataset(var));
  return out;
}

void CodebookImporter::readVariable(const xmlNode* var) {
  const std::string where = doc_.location(var);
  const std::string rawName = attr(var, "name");
  const std::string id = attr(var, "ID");
  Variable v;
  v.register_id = register_;
  v.origin = where;
  v.name = isValidLocalName(rawName) ? rawName : xml::sanitizeLocalName(rawName);
  if (v.name.empty()) v.name = xml::sanitizeLocalName(id);
  if (v.name.empty()) {
    ctx_.problem(where, "var has neither a name nor an ID usable as a variable name");
    return;
  }
  for (const std::string& alias : {rawName, id})
    if (!alias.empty() && alias != v.name &&
        std::find(v.aliases.begin(), v.aliases.end(), alias) == v.aliases.end())
      v.aliases.push_back(alias);

  v.label = texts(var, "labl");
  v.definition = texts(var, "txt");
  {
    std::vector<xml::LangText> questions;
    const auto qstns = elems(var, "qstn");
    for (const xmlNode* q : qstns) {
      // qstnLit is the literal question; a qstn without one holds the question as text.
      const auto lits = elems(q, "qstnLit");
      if (lits.empty()) questions.push_back({xml::lang(q), xml::text(q)});
      for (const xmlNode* l : lits) questions.push_back({xml::lang(l), xml::text(l)});
    }
    if (!qstns.empty()) v.question = pick(questions, qstns.front());
  }
  if (v.label.empty()) v.label = !v.question.empty() ? v.question : v.definition;
  if (v.label.empty()) v.label = Text{rawName.empty() ? v.name : rawName, ""};

  // Value type.
  const xmlNode* format = elem(var, "varFormat");
  const std::string type = format ? attr(format, "type") : "";
  const std::string category = format ? attr(format, "category") : "";
  const std::string byFormat = format ? datatypeOfFormatName(attr(format, "formatname")) : "";
  const std::string intrvl = attr(var, "intrvl");
  const auto dcml = xml::parseNumber(attr(var, "dcml"));
  if (category == "date" || !byFormat.empty()) {
    v.datatype = byFormat.empty() ? "date" : byFormat;
  } else if (category == "time") {
    v.datatype = "string";
    v.format = "HH:MM";
  } else if (type == "character") {
    v.datatype = "string";
  } else if (format || !intrvl.empty() || dcml || elem(var, "valrng")) {
    // varFormat's type defaults to numeric, intrvl to discrete.
    v.datatype = (intrvl == "contin" || (dcml && *dcml > 0)) ? "decimal" : "integer";
  } else {
    v.datatype = "string";
    ctx_.result.warnings.push_back(where + ": var '" + rawName +
                                   "' has no varFormat, interval or range; imported as a string");
  }
  if (format && !attr(format, "formatname").empty() && v.format.empty() &&
      (v.datatype == "date" || v.datatype == "datetime"))
    v.format = attr(format, "formatname");
  if (const std::string unit = attr(var, "measUnit"); !unit.empty())
    v.unit = xml::normalizeUnit(unit);

  // Range of valid values.
  for (const xmlNode* vr : elems(var, "valrng"))
    for (const xmlNode* r : elems(vr, "range")) {
      const std::string mn = attr(r, "min").empty() ? attr(r, "minExclusive") : attr(r, "min");
      const std::string mx = attr(r, "max").empty() ? attr(r, "maxExclusive") : attr(r, "max");
      if (auto n = xml::parseNumber(mn); n && (!v.min || *n < *v.min)) v.min = n;
      if (auto n = xml::parseNumber(mx); n && (!v.max || *n > *v.max)) v.max = n;
    }
  if (v.datatype != "integer" && v.datatype != "decimal") {
    v.min.reset();  // a date or text range is not a number
    v.max.reset();
  }
  if (v.min && v.max && *v.min > *v.max) {
    ctx_.problem(doc_.location(elem(var, "valrng")),
                 "valrng of var '" + rawName + "' gives a minimum above its maximum");
    return;
  }

  // Categories: a code list when any category is a real value; otherwise (only missing-value
  // categories, as on a numeric measurement) they are the variable's missing codes.
  const auto categories = elems(var, "catgry");
  const bool coded = std::any_of(categories.begin(), categories.end(),
                                 [](const xmlNode* c) { return attr(c, "missing") != "Y"; });
  std::set<std::string> missing;
  auto addMissing = [&](const std::string& code, const Text& label) {
    if (!code.empty() && missing.insert(code).second) v.missing_codes.push_back({code, label});
  };
  if (coded) {
    const std::string id = codeListFor(var, v.name, v.label, categories);
    if (id.empty()) return;  // skipped: reported
    v.datatype = "code";
    v.codelist = id;
    v.format.clear();
  } else {
    for (const xmlNode* c : categories) addMissing(xml::text(elem(c, "catValu")), texts(c, "labl"));
  }
  for (const xmlNode* ir : elems(var, "invalrng")) {
    for (const xmlNode* item : elems(ir, "item")) {
      // The label of a missing value is on the category with that value, if there is one.
      Text label;
      const std::string value = attr(item, "VALUE");
      for (const xmlNode* c : categories)
        if (xml::text(elem(c, "catValu")) == value) label = texts(c, "labl");
      addMissing(value, label);
    }
    if (!elems(ir, "range").empty())
      ctx_.result.warnings.push_back(doc_.location(ir) +
                                     ": invalrng/range (a range of missing values) cannot be "
                                     "listed as missing codes; only its items are kept");
  }

  for (const std::string& dataset : datasetsOf(var)) {
    Variable copy = v;
    copy.dataset_id = dataset;
    const std::string key = dataset + "/" + copy.name;
    if (!names_[dataset].insert(copy.name).second) {
      ctx_.problem(where, "duplicate variable name '" + copy.name + "' in dataset '" + dataset +
                              "' (first defined at " + firstSeen_[key] + ")");
      continue;
    }
    firstSeen_[key] = doc_.line(var);
    ctx_.result.doc.variables.push_back(std::move(copy));
  }
}

std::string CodebookImporter::codeListFor(const xmlNode* var, const std::string& name,
                                          const Text& label,
                                          const std::vector<const xmlNode*>& categories) {
  if (auto it = codeLists_.find(var); it != codeLists_.end()) return it->second;
  // One code list per var, named after its ID (unique in the document) or its name.
  const std::string varId = attr(var, "ID");
  const std::string base = xml::sanitizeLocalName(varId.empty() ? name : varId);
  std::string local = base;
  for (int n = 2; codeListIds_.count(register_.empty() ? local : register_ + "." + local); ++n)
    local = base + "_" + std::to_string(n);
  CodeList c;
  c.id = register_.empty() ? local : register_ + "." + local;
  c.register_id = register_;
  c.name = label.empty() ? Text{name, ""} : label;
  c.origin = doc_.location(var);
  std::set<std::string> codes;
  for (const xmlNode* cat : categories) {
    const xmlNode* value = elem(cat, "catValu");
    CodeItem item;
    item.code = xml::text(value);
    if (item.code.empty()) {
      ctx_.problem(doc_.location(cat), "catgry has no catValu (the code is required)");
      continue;
    }
    if (!codes.insert(item.code).second) {
      ctx_.problem(doc_.location(cat),
                   "catValu '" + item.code + "' appears twice in var '" + attr(var, "name") + "'");
      continue;
    }
    item.label = texts(cat, "labl");
    item.is_missing = attr(cat, "missing") == "Y";
    c.items.push_back(std::move(item));
  }
  codeListIds_.insert(c.id);
  codeLists_[var] = c.id;
  ctx_.result.doc.codelists.push_back(std::move(c));
  return codeLists_[var];
}

}  // namespace

void parseDdiCodebook(std::string_view xml, ParseContext& ctx) {
  const xml::Document doc = xml::Document::parse(xml, ctx.source);
  for (const auto& w : doc.warnings()) ctx.result.warnings.push_back(w);
  CodebookImporter(doc, ctx).run();
}

}  // namespace regcat
