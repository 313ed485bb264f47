// DDI-Lifecycle 3.3 (3.x namespaces in general) -> one register.
//
// Mapping: each l:VariableScheme is a dataset (VariableSchemeName, else --dataset, else
// `main`); its l:Variables (inline, by r:VariableReference or through l:VariableGroups) are the
// variables: VariableName -> name, r:Label -> label, r:Description -> definition, the question
// item it references -> question, l:VariableRepresentation -> datatype, unit, range, code list
// (r:CodeRepresentation -> l:CodeList -> l:Code + l:Category) and missing values. A Variable
// without a usable representation takes its RepresentedVariable's. The URNs of the
// RepresentedVariable, ConceptualVariable and Concept it references are kept as aliases.
//
// Objects are identified by r:URN or by r:Agency/r:ID/r:Version; references are resolved by
// (agency, id, version), else by id alone (late-bound or version-less references).
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "importers/variable_import.h"
#include "importers/xml_document.h"

namespace regcat {
namespace {

using xml::attr;

bool isDdi(std::string_view ns) {
  return ns.rfind("ddi:", 0) == 0;
}

// True if n is the element `local` of DDI module `module` (any 3.x version).
bool isDdiElement(const xmlNode* n, std::string_view module, std::string_view local) {
  if (!xml::isElement(n, local)) return false;
  const std::string_view ns = xml::namespaceUri(n);
  return ns.size() > module.size() + 5 && ns.compare(0, 4, "ddi:") == 0 &&
         ns.compare(4, module.size(), module) == 0 && ns[4 + module.size()] == ':';
}

// Children of n with this local name in any DDI namespace (the modules reuse element names
// only for the same concept, so the module need not be pinned for child lookups).
std::vector<const xmlNode*> kids(const xmlNode* n, std::string_view local) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* c : xml::children(n, local))
    if (isDdi(xml::namespaceUri(c))) out.push_back(c);
  return out;
}

const xmlNode* kid(const xmlNode* n, std::string_view local) {
  for (const xmlNode* c : xml::children(n, local))
    if (isDdi(xml::namespaceUri(c))) return c;
  return nullptr;
}

struct Urn {
  std::string agency, id, version;
  std::string str() const { return "urn:ddi:" + agency + ":" + id + ":" + version; }
};

// "urn:ddi:se.example:V_1:1.0.0" -> agency, id, version. Agencies contain dots, never colons.
std::optional<Urn> parseUrn(const std::string& s) {
  std::string t = s;
  const std::string prefix = "urn:ddi:";
  if (t.size() <= prefix.size() || text::fold(t.substr(0, prefix.size())) != prefix)
    return std::nullopt;
  t = t.substr(prefix.size());
  const size_t a = t.find(':');
  if (a == std::string::npos) return std::nullopt;
  const size_t b = t.find(':', a + 1);
  Urn u;
  u.agency = t.substr(0, a);
  u.id = t.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  if (b != std::string::npos) u.version = t.substr(b + 1);
  if (u.agency.empty() || u.id.empty()) return std::nullopt;
  return u;
}

// The identity written on an identifiable object or a reference: its r:URN, else its
// r:Agency, r:ID and r:Version children.
std::optional<Urn> identityOf(const xmlNode* n) {
  if (const xmlNode* urn = kid(n, "URN"))
    if (auto u = parseUrn(xml::text(urn))) return u;
  const std::string id = xml::text(kid(n, "ID"));
  if (id.empty()) return std::nullopt;
  return Urn{xml::text(kid(n, "Agency")), id, xml::text(kid(n, "Version"))};
}

// References carry r:TypeOfObject and are named ...Reference; identifiables are neither.
bool isReference(const xmlNode* n) {
  const std::string_view name = xml::localName(n);
  return kid(n, "TypeOfObject") ||
         (name.size() > 9 && name.compare(name.size() - 9, 9, "Reference") == 0);
}

const std::set<std::string, std::less<>> kIntegerTypes = {
    "integer",     "biginteger",         "long",           "short", "int", "count",
    "incremental", "nonnegativeinteger", "positiveinteger"};

// A representation element (inline) and the managed object a representation reference names.
constexpr std::pair<std::string_view, std::string_view> kRepresentationReferences[] = {
    {"NumericRepresentationReference", "ManagedNumericRepresentation"},
    {"DateTimeRepresentationReference", "ManagedDateTimeRepresentation"},
    {"TextRepresentationReference", "ManagedTextRepresentation"},
    {"ScaleRepresentationReference", "ManagedScaleRepresentation"},
};
constexpr std::string_view kRepresentations[] = {"NumericRepresentation",
                                                 "DateTimeRepresentation",
                                                 "TextRepresentation",
                                                 "CodeRepresentation",
                                                 "ScaleRepresentation",
                                                 "ExternalCategoryRepresentation",
                                                 "GeographicLocationCodeRepresentation",
                                                 "GeographicStructureCodeRepresentation"};

class LifecycleImporter {
 public:
  LifecycleImporter(const xml::Document& doc, ParseContext& ctx) : doc_(doc), ctx_(ctx) {}
  void run();

 private:
  void index(const xmlNode* root);
  // The object a reference names, of element `local`; nullptr when it is not in the file.
  const xmlNode* resolve(const xmlNode* ref, std::string_view local) const;
  std::string urnOf(const xmlNode* n) const;
  // Texts of the `item` children (r:Content, r:String) of n's `holder` children, by language.
  Text texts(const xmlNode* n, std::string_view holder, std::string_view item);
  void warn(const xmlNode* at, const std::string& message) {
    ctx_.result.warnings.push_back(doc_.location(at) + ": " + message);
  }

  void readStudy(const xmlNode* root);
  const std::string& defaultDataset(const xmlNode* at);
  std::string datasetFor(const xmlNode* scheme);
  void readScheme(const xmlNode* scheme);
  void readVariable(const xmlNode* var, const std::string& dataset);
  // The literal text of the first referenced d:QuestionItem in the file.
  void questionOf(const xmlNode* var, Text& question);
  // Applies the representation found in `holder` (a VariableRepresentation or a
  // RepresentedVariable); false when it has none that can be used.
  bool applyRepresentationIn(const xmlNode* holder, Variable& v);
  bool applyRepresentation(const xmlNode* repr, Variable& v);
  void applyMissingValues(const xmlNode* holder, Variable& v);
  void addMissing(Variable& v, const std::string& code, const Text& label);
  // The code list id for an l:CodeList (built once), or an empty list holding the URN of a code
  // list or classification that is referenced but not in the file.
  std::string codeList(const xmlNode* list);
  std::string externalCodeList(const xmlNode* ref);
  std::string uniqueCodeListId(const std::string& base);

  const xml::Document& doc_;
  ParseContext& ctx_;
  std::string register_;
  std::unordered_map<std::string, const xmlNode*> byUrn_;              // agency:id:version
  std::unordered_map<std::string, std::vector<const xmlNode*>> byId_;  // id
  std::vector<const xmlNode*> variables_, schemes_;
  std::unordered_set<const xmlNode*> emitted_;
  std::string defaultDataset_;
  std::set<std::string> datasetIds_, codeListIds_;
  std::map<std::string, std::set<std::string>> names_;
  std::map<std::string, std::string> firstSeen_;
  std::unordered_map<const xmlNode*, std::string> codeLists_;
  std::unordered_map<std::string, std::string> externalLists_;
};

void LifecycleImporter::index(const xmlNode* root) {
  // One pre-order walk over the document: every identifiable object is indexed, and the
  // variables and variable schemes are collected in document order.
  const xmlNode* n = root;
  while (n) {
    if (n->type == XML_ELEMENT_NODE && isDdi(xml::namespaceUri(n))) {
      if (!isReference(n)) {
        if (auto u = identityOf(n)) {
          byUrn_.emplace(u->agency + ":" + u->id + ":" + u->version, n);
          byId_[u->id].push_back(n);
        }
      }
      if (isDdiElement(n, "logicalproduct", "Variable")) variables_.push_back(n);
      if (isDdiElement(n, "logicalproduct", "VariableScheme")) schemes_.push_back(n);
    }
    if (n->type == XML_ELEMENT_NODE && n->children) {
      n = n->children;
      continue;
    }
    while (n && n != root && !n->next) n = n->parent;
    if (!n || n == root) break;
    n = n->next;
  }
}

const xmlNode* LifecycleImporter::resolve(const xmlNode* ref, std::string_view local) const {
  if (!ref) return nullptr;
  const auto u = identityOf(ref);
  if (!u) return nullptr;
  auto exact = byUrn_.find(u->agency + ":" + u->id + ":" + u->version);
  if (exact != byUrn_.end() && xml::localName(exact->second) == local) return exact->second;
  // By ID alone: a late-bound reference, or one that names another version than the file has.
  auto it = byId_.find(u->id);
  if (it == byId_.end()) return nullptr;
  for (const xmlNode* n : it->second)
    if (xml::localName(n) == local) return n;
  return nullptr;
}

std::string LifecycleImporter::urnOf(const xmlNode* n) const {
  auto u = identityOf(n);
  return u ? u->str() : std::string();
}

Text LifecycleImporter::texts(const xmlNode* n, std::string_view holder, std::string_view item) {
  std::vector<xml::LangText> all;
  const xmlNode* first = nullptr;
  for (const xmlNode* h : kids(n, holder))
    for (const xmlNode* t : kids(h, item)) {
      all.push_back({xml::lang(t), xml::text(t)});
      if (!first) first = h;
    }
  if (!first) return {};
  std::string used;
  Text out = xml::pickText(all, &used);
  if (!used.empty())
    warn(first, "no Swedish or English text; the '" + used + "' text is used as Swedish");
  return out;
}

void LifecycleImporter::run() {
  const xmlNode* root = doc_.root();
  if (!isDdi(xml::namespaceUri(root)))
    throw invalid(doc_.location(root),
                  "expected a DDI-Lifecycle 3.x document (elements in the ddi:...:3_3 "
                  "namespaces), found <" +
                      std::string(xml::localName(root)) + "> in namespace '" +
                      std::string(xml::namespaceUri(root)) + "'");
  register_ = ctx_.opt.register_id;
  index(root);
  if (variables_.empty())
    throw invalid(doc_.location(root), "no l:Variable in the document: nothing to import");

  readStudy(root);
  for (const xmlNode* scheme : schemes_) readScheme(scheme);
  // Variables outside every VariableScheme (e.g. fragments of a FragmentInstance).
  for (const xmlNode* var : variables_)
    if (!emitted_.count(var)) readVariable(var, defaultDataset(var));
}

void LifecycleImporter::readStudy(const xmlNode* root) {
  const xmlNode* study = isDdiElement(root, "studyunit", "StudyUnit") ? root : nullptr;
  if (!study) {
    auto studies = xml::descendants(root, "StudyUnit", isDdi);
    if (!studies.empty()) study = studies.front();
  }
  const xmlNode* owner = study ? study : root;
  auto& reg = ctx_.result.doc.reg;
  if (const xmlNode* citation = kid(owner, "Citation")) {
    if (Text title = texts(citation, "Title", "String"); !title.empty()) {
      reg.name = title;
      ctx_.result.register_named_from_file = true;
    }
  }
  if (Text abstract = texts(owner, "Abstract", "Content"); !abstract.empty())
    reg.description = abstract;
}

const std::string& LifecycleImporter::defaultDataset(const xmlNode* at) {
  if (defaultDataset_.empty()) {
    defaultDataset_ = ctx_.opt.dataset.empty() ? "main" : ctx_.opt.dataset;
    if (datasetIds_.insert(defaultDataset_).second) {
      Dataset d;
      d.register_id = register_;
      d.id = defaultDataset_;
      d.name = Text{defaultDataset_, ""};
      d.origin = doc_.location(at);
      ctx_.result.doc.datasets.push_back(std::move(d));
    }
  }
  return defaultDataset_;
}

std::string LifecycleImporter::datasetFor(const xmlNode* scheme) {
  const Text name = texts(scheme, "VariableSchemeName", "String");
  const std::string id = xml::sanitizeLocalName(!name.sv.empty() ? name.sv : name.en);
  if (id.empty() || !isValidLocalName(id)) return defaultDataset(scheme);
  if (datasetIds_.insert(id).second) {
    Dataset d;
    d.register_id = register_;
    d.id = id;
    d.name = name;
    d.description = texts(scheme, "Description", "Content");
    d.origin = doc_.location(scheme);
    ctx_.result.doc.datasets.push_back(std::move(d));
  }
  return id;
}

void LifecycleImporter::readScheme(const xmlNode* scheme) {
  const std::string dataset = datasetFor(scheme);
  std::set<const xmlNode*> inDataset;
  auto emit = [&](const xmlNode* var) {
    if (inDataset.insert(var).second) readVariable(var, dataset);
  };
  std::set<const xmlNode*> groups;  // a group that (indirectly) references itself is read once
  std::function<void(const xmlNode*)> group = [&](const xmlNode* g) {
    if (!groups.insert(g).second) return;
    for (const xmlNode* c : xml::children(g)) {
      if (isDdiElement(c, "logicalproduct", "Variable")) emit(c);
      if (xml::localName(c) == "VariableReference") {
        if (const xmlNode* var = resolve(c, "Variable"))
          emit(var);
        else
          ctx_.problem(doc_.location(c),
                       "VariableReference " + urnOf(c) + " names no l:Variable in this file");
      }
      if (xml::localName(c) == "VariableGroup") group(c);
      if (xml::localName(c) == "VariableGroupReference")
        if (const xmlNode* sub = resolve(c, "VariableGroup")) group(sub);
    }
  };
  group(scheme);
}

void LifecycleImporter::addMissing(Variable& v, const std::string& code, const Text& label) {
  if (code.empty()) return;
  for (const auto& m : v.missing_codes)
    if (m.code == code) return;
  v.missing_codes.push_back({code, label});
}

void LifecycleImporter::readVariable(const xmlNode* var, const std::string& dataset) {
  emitted_.insert(var);
  const std::string where = doc_.location(var);
  const auto identity = identityOf(var);
  const Text names = texts(var, "VariableName", "String");
  const std::string rawName = !names.sv.empty() ? names.sv : names.en;

  Variable v;
  v.register_id = register_;
  v.dataset_id = dataset;
  v.origin = where;
  // The name when it is identifier-like; else the object's ID (as ODM's OID), which DDI
  // restricts to identifier characters.
  v.name = isValidLocalName(rawName) ? rawName
                                     : xml::sanitizeLocalName(identity ? identity->id : rawName);
  if (v.name.empty()) v.name = xml::sanitizeLocalName(rawName);
  if (v.name.empty()) {
    ctx_.problem(where, "Variable has neither a VariableName nor an ID usable as a name");
    return;
  }
  auto alias = [&](const std::string& a) {
    if (!a.empty() && a != v.name &&
        std::find(v.aliases.begin(), v.aliases.end(), a) == v.aliases.end())
      v.aliases.push_back(a);
  };
  alias(rawName);
  if (identity) alias(identity->str());

  v.label = texts(var, "Label", "Content");
  v.definition = texts(var, "Description", "Content");

  const xmlNode* rvRef = kid(var, "RepresentedVariableReference");
  const xmlNode* cvRef = kid(var, "ConceptualVariableReference");
  const xmlNode* rv = resolve(rvRef, "RepresentedVariable");
  const xmlNode* cv = resolve(cvRef, "ConceptualVariable");
  if (!cv && rv) cv = resolve(kid(rv, "ConceptualVariableReference"), "ConceptualVariable");
  // The references are kept even when the objects are elsewhere (isExternal="true").
  for (const xmlNode* ref : {rvRef, cvRef, kid(var, "ConceptReference")})
    if (ref) alias(urnOf(ref));
  for (const xmlNode* from : {rv, cv}) {
    if (!from) continue;
    if (v.label.empty()) v.label = texts(from, "Label", "Content");
    if (v.definition.empty()) v.definition = texts(from, "Description", "Content");
  }
  questionOf(var, v.question);
  if (v.label.empty()) v.label = !v.question.empty() ? v.question : v.definition;
  if (v.label.empty()) v.label = names.empty() ? Text{v.name, ""} : names;

  const xmlNode* vr = kid(var, "VariableRepresentation");
  bool represented = vr && applyRepresentationIn(vr, v);
  if (!represented && rv) {
    represented = applyRepresentationIn(rv, v);
    if (represented && vr)
      warn(var,
           "the Variable's own representation is not in the file; its RepresentedVariable's "
           "is used");
  }
  if (!represented) {
    v.datatype = "string";
    warn(var, "Variable '" + v.name + "' has no representation in the file; imported as a string");
  }
  if (vr) applyMissingValues(vr, v);

  const std::string key = dataset + "/" + v.name;
  if (!names_[dataset].insert(v.name).second) {
    ctx_.problem(where, "duplicate variable name '" + v.name + "' in dataset '" + dataset +
                            "' (first defined at " + firstSeen_[key] + ")");
    return;
  }
  firstSeen_[key] = doc_.line(var);
  ctx_.result.doc.variables.push_back(std::move(v));
}

void LifecycleImporter::questionOf(const xmlNode* var, Text& question) {
  for (const xmlNode* ref : kids(var, "QuestionReference")) {
    const xmlNode* q = resolve(ref, "QuestionItem");
    if (!q) continue;
    std::vector<xml::LangText> all;
    for (const xmlNode* qt : kids(q, "QuestionText"))
      for (const xmlNode* lit : kids(qt, "LiteralText"))
        for (const xmlNode* t : kids(lit, "Text")) {
          // The language is on the text, or given as the question text's audienceLanguage.
          std::string l = xml::lang(t);
          if (l.empty()) l = attr(qt, "audienceLanguage");
          all.push_back({l, xml::text(t)});
        }
    question = xml::pickText(all);
    if (!question.empty()) return;
  }
}

bool LifecycleImporter::applyRepresentationIn(const xmlNode* holder, Variable& v) {
  for (const xmlNode* c : xml::children(holder)) {
    if (!isDdi(xml::namespaceUri(c))) continue;
    const std::string_view name = xml::localName(c);
    if (std::find(std::begin(kRepresentations), std::end(kRepresentations), name) !=
        std::end(kRepresentations))
      return applyRepresentation(c, v);
    for (const auto& [refName, managed] : kRepresentationReferences) {
      if (name != refName) continue;
      if (const xmlNode* m = resolve(c, managed)) return applyRepresentation(m, v);
      warn(c, std::string(refName) + " " + urnOf(c) + " is not in the file");
      return false;
    }
  }
  return false;
}

bool LifecycleImporter::applyRepresentation(const xmlNode* repr, Variable& v) {
  const std::string_view name = xml::localName(repr);
  // missingValue="-9 -8" on any representation lists codes that mean "no value".
  std::istringstream missing(attr(repr, "missingValue"));
  for (std::string code; missing >> code;) addMissing(v, code, {});

  if (name == "NumericRepresentation" || name == "ManagedNumericRepresentation" ||
      name == "ScaleRepresentation" || name == "ManagedScaleRepresentation") {
    std::string type = xml::text(kid(repr, "NumericTypeCode"));
    if (type.empty()) type = xml::text(kid(repr, "RecommendedDataType"));
    const std::string decimals = attr(repr, "decimalPositions");
    bool integer;
    if (!type.empty())
      integer = kIntegerTypes.count(text::fold(type)) > 0;
    else
      integer = decimals == "0" || name.find("Scale") != std::string_view::npos;
    v.datatype = integer ? "integer" : "decimal";
    for (const xmlNode* range : kids(repr, "NumberRange")) {
      for (const char* low : {"Low", "LowDouble"})
        if (auto n = xml::parseNumber(xml::text(kid(range, low))); n && (!v.min || *n < *v.min))
          v.min = n;
      for (const char* high : {"High", "HighDouble"})
        if (auto n = xml::parseNumber(xml::text(kid(range, high))); n && (!v.max || *n > *v.max))
          v.max = n;
    }
    if (const std::string unit = xml::text(kid(repr, "MeasurementUnit")); !unit.empty())
      v.unit = xml::normalizeUnit(unit);
    return true;
  }
  if (name == "DateTimeRepresentation" || name == "ManagedDateTimeRepresentation") {
    const std::string code = xml::text(kid(repr, "DateTypeCode"));
    const std::string folded = text::fold(code);
    if (folded == "datetime") {
      v.datatype = "datetime";
    } else if (folded == "date") {
      v.datatype = "date";
    } else if (folded == "time") {
      v.datatype = "string";
      v.format = "HH:MM";
    } else {
      // Year, YearMonth, Duration, ...: kept as text, the kind of date as its format.
      v.datatype = "string";
      v.format = code;
    }
    if (const std::string f = xml::text(kid(repr, "DateFieldFormat")); !f.empty()) v.format = f;
    return true;
  }
  if (name == "TextRepresentation" || name == "ManagedTextRepresentation") {
    v.datatype = "string";
    return true;
  }
  if (name == "CodeRepresentation") {
    std::string id;
    if (const xmlNode* ref = kid(repr, "CodeListReference")) {
      const xmlNode* list = resolve(ref, "CodeList");
      id = list ? codeList(list) : externalCodeList(ref);
    } else if (const xmlNode* cls = kid(repr, "StatisticalClassificationReference")) {
      id = externalCodeList(cls);
    }
    if (id.empty()) return false;
    v.datatype = "code";
    v.codelist = id;
    v.format.clear();
    return true;
  }
  warn(repr, std::string(name) + " is not supported; the variable is imported as a string");
  v.datatype = "string";
  return true;
}

void LifecycleImporter::applyMissingValues(const xmlNode* holder, Variable& v) {
  const xmlNode* m =
      resolve(kid(holder, "MissingValuesReference"), "ManagedMissingValuesRepresentation");
  if (!m) return;
  std::istringstream direct(attr(m, "missingValue"));
  for (std::string code; direct >> code;) addMissing(v, code, {});
  for (const xmlNode* c : xml::children(m)) {
    std::istringstream codes(attr(c, "missingValue"));
    for (std::string code; codes >> code;) addMissing(v, code, {});
    if (xml::localName(c) != "MissingCodeRepresentation") continue;
    const xmlNode* list = resolve(kid(c, "CodeListReference"), "CodeList");
    if (!list) continue;
    // The codes of a missing-values code list, with their category labels.
    for (const xmlNode* code : xml::descendants(list, "Code", isDdi)) {
      const xmlNode* cat = resolve(kid(code, "CategoryReference"), "Category");
      addMissing(v, xml::text(kid(code, "Value")), cat ? texts(cat, "Label", "Content") : Text{});
    }
  }
}

std::string LifecycleImporter::uniqueCodeListId(const std::string& base) {
  std::string local = base.empty() ? "codelist" : base;
  auto full = [&](const std::string& l) { return register_.empty() ? l : register_ + "." + l; };
  for (int n = 2; codeListIds_.count(full(local)); ++n) local = base + "_" + std::to_string(n);
  codeListIds_.insert(full(local));
  return full(local);
}

std::string LifecycleImporter::codeList(const xmlNode* list) {
  if (auto it = codeLists_.find(list); it != codeLists_.end()) return it->second;
  const auto identity = identityOf(list);
  CodeList c;
  c.id = uniqueCodeListId(xml::sanitizeLocalName(identity ? identity->id : ""));
  c.register_id = register_;
  c.origin = doc_.location(list);
  c.name = texts(list, "CodeListName", "String");
  if (c.name.empty()) c.name = texts(list, "Label", "Content");
  if (c.name.empty()) c.name = Text{identity ? identity->id : c.id, ""};
  c.description = texts(list, "Description", "Content");
  std::set<std::string> codes;
  bool unresolved = false;
  // Codes nest for hierarchies; every level is a value.
  for (const xmlNode* code : xml::descendants(list, "Code", isDdi)) {
    CodeItem item;
    item.code = xml::text(kid(code, "Value"));
    if (item.code.empty()) {
      ctx_.problem(doc_.location(code), "l:Code has no r:Value (the code is required)");
      continue;
    }
    if (!codes.insert(item.code).second) {
      ctx_.problem(doc_.location(code), "the value '" + item.code +
                                            "' appears twice in code list " +
                                            (identity ? identity->str() : c.id));
      continue;
    }
    if (const xmlNode* cat = resolve(kid(code, "CategoryReference"), "Category")) {
      item.label = texts(cat, "Label", "Content");
      if (item.label.empty()) item.label = texts(cat, "CategoryName", "String");
      item.is_missing = attr(cat, "isMissing") == "true";
    } else if (kid(code, "CategoryReference")) {
      unresolved = true;
    }
    c.items.push_back(std::move(item));
  }
  if (unresolved)
    warn(list, "some codes refer to categories that are not in the file; they have no label");
  codeLists_[list] = c.id;
  ctx_.result.doc.codelists.push_back(std::move(c));
  return codeLists_[list];
}

std::string LifecycleImporter::externalCodeList(const xmlNode* ref) {
  const auto u = identityOf(ref);
  if (!u) {
    warn(ref, "a code list reference without URN or ID; the variable has no code list");
    return {};
  }
  const std::string urn = u->str();
  if (auto it = externalLists_.find(urn); it != externalLists_.end()) return it->second;
  // The list is maintained elsewhere (another DDI file, a classification server): an empty code
  // list records where, so the reference is not lost and can be filled in later.
  CodeList c;
  c.id = uniqueCodeListId(xml::sanitizeLocalName(u->id));
  c.register_id = register_;
  c.origin = doc_.location(ref);
  c.name = Text{u->id, ""};
  c.system.uri = urn;
  c.system.version = u->version;
  warn(ref, "code list " + urn + " is not in the file; an empty code list '" + c.id +
                "' records the reference");
  externalLists_[urn] = c.id;
  ctx_.result.doc.codelists.push_back(std::move(c));
  return externalLists_[urn];
}

}  // namespace

void parseDdiLifecycle(std::string_view xml, ParseContext& ctx) {
  const xml::Document doc = xml::Document::parse(xml, ctx.source);
  for (const auto& w : doc.warnings()) ctx.result.warnings.push_back(w);
  LifecycleImporter(doc, ctx).run();
}

}  // namespace regcat
