// CDISC ODM 1.3.x and REDCap project XML (ODM with redcap: extensions) -> one register.
//
// Mapping: Study/GlobalVariables names the register; each FormDef is a dataset whose variables
// are its ItemGroupRefs' ItemRefs in order; an ItemDef becomes a variable (Question -> label,
// Description -> definition, DataType/CodeListRef -> datatype, MeasurementUnitRef -> unit,
// RangeCheck -> min/max); every CodeList becomes a code list. Vendor extensions (redcap:,
// OpenClinica:, ...) never make a file fail: the REDCap ones that carry meaning are used, the
// rest are ignored.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "importers/variable_import.h"
#include "importers/xml_document.h"

namespace regcat {
namespace {

using xml::attr;

// REDCap writes its attributes in xmlns:redcap="https://projectredcap.org"; matching on part of
// the URI also accepts the http:// spelling of older exports.
constexpr std::string_view kRedcap = "projectredcap";

std::string redcap(const xmlNode* n, std::string_view local) {
  return xml::attrInNamespace(n, kRedcap, local);
}

struct DataTypeMapping {
  std::string_view odm, datatype, format;
};

// Every DataType of ODM 1.3.2 (ODM1-3-2-foundation.xsd, DataType). Types regcat has no direct
// equivalent for are kept as strings with a format saying what the text holds.
constexpr DataTypeMapping kDataTypes[] = {
    {"integer", "integer", ""},
    {"float", "decimal", ""},
    {"double", "decimal", ""},
    {"hexFloat", "decimal", ""},
    {"base64Float", "decimal", ""},
    {"text", "string", ""},
    {"string", "string", ""},
    {"URI", "string", "URI"},
    {"hexBinary", "string", "hexBinary"},
    {"base64Binary", "string", "base64Binary"},
    {"boolean", "boolean", ""},
    {"date", "date", ""},
    {"partialDate", "date", ""},
    {"incompleteDate", "date", ""},
    {"datetime", "datetime", ""},
    {"partialDatetime", "datetime", ""},
    {"incompleteDatetime", "datetime", ""},
    {"time", "string", "HH:MM"},
    {"partialTime", "string", "HH:MM"},
    {"incompleteTime", "string", "HH:MM"},
    {"durationDatetime", "string", "ISO 8601 duration"},
    {"intervalDatetime", "string", "ISO 8601 interval"},
};

const DataTypeMapping* findDataType(const std::string& t) {
  for (const auto& m : kDataTypes)
    if (text::fold(m.odm) == text::fold(t)) return &m;  // REDCap and others vary the case
  return nullptr;
}

std::string dataTypeList() {
  std::string s;
  for (const auto& m : kDataTypes) s += (s.empty() ? "" : ", ") + std::string(m.odm);
  return s;
}

// Sorts references by OrderNumber when every one has it (ODM says OrderNumber, not document
// order, gives the order); otherwise keeps document order.
std::vector<const xmlNode*> ordered(std::vector<const xmlNode*> refs) {
  std::vector<std::pair<double, const xmlNode*>> keyed;
  for (const xmlNode* r : refs) {
    auto n = xml::parseNumber(attr(r, "OrderNumber"));
    if (!n) return refs;
    keyed.push_back({*n, r});
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < keyed.size(); ++i) refs[i] = keyed[i].second;
  return refs;
}

void addAlias(Variable& v, const std::string& alias) {
  if (alias.empty() || alias == v.name) return;
  if (std::find(v.aliases.begin(), v.aliases.end(), alias) == v.aliases.end())
    v.aliases.push_back(alias);
}

// "1, Ja | 2, Nej | 9, Okänt" (REDCap choices and missing data codes) -> (code, label) pairs.
std::vector<std::pair<std::string, std::string>> redcapChoices(const std::string& s) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t bar = s.find('|', start);
    if (bar == std::string::npos) bar = s.size();
    std::string part = s.substr(start, bar - start);
    const size_t comma = part.find(',');
    auto trim = [](std::string t) {
      while (!t.empty() && t.front() == ' ') t.erase(t.begin());
      while (!t.empty() && t.back() == ' ') t.pop_back();
      return t;
    };
    std::string code = trim(comma == std::string::npos ? part : part.substr(0, comma));
    std::string label = comma == std::string::npos ? "" : trim(part.substr(comma + 1));
    if (!code.empty()) out.push_back({code, label});
    start = bar + 1;
  }
  return out;
}

class OdmImporter {
 public:
  OdmImporter(const xml::Document& doc, ParseContext& ctx) : doc_(doc), ctx_(ctx) {}

  void run();

 private:
  // Elements of ODM itself: in the root's namespace (vendor elements are in their own).
  std::vector<const xmlNode*> elems(const xmlNode* parent, std::string_view local) const {
    return xml::children(parent, local, ns_);
  }
  const xmlNode* elem(const xmlNode* parent, std::string_view local) const {
    return xml::child(parent, local, ns_);
  }
  // TranslatedText children of `parent`'s `local` child, picked by language.
  Text translated(const xmlNode* parent, std::string_view local);

  void readGlobalVariables(const xmlNode* study);
  void readUnits(const xmlNode* study);
  void indexMetaData(const xmlNode* mdv);
  void readCodeLists(const xmlNode* mdv);
  void readForms(const xmlNode* mdv);
  void addDataset(const std::string& id, const Text& name, const Text& description,
                  const xmlNode* at);
  void addItems(const std::string& datasetId, const xmlNode* group, std::set<std::string>& seen);
  void addItem(const std::string& datasetId, const xmlNode* itemRef, std::set<std::string>& seen);
  // The variable an ItemDef describes, without dataset, or nullopt when it was skipped (a
  // REDCap descriptive field, or a problem under skip_invalid). Built once per ItemDef.
  const std::optional<Variable>& variableFor(const xmlNode* itemDef);
  std::optional<Variable> buildVariable(const xmlNode* itemDef);
  void applyRangeChecks(Variable& v, const xmlNode* itemDef, const std::string& unitOid);
  void labelCheckboxChoice(Variable& v, const xmlNode* itemDef);
  void addCheckboxGroup(const std::string& datasetId, const Variable& choice,
                        const xmlNode* itemDef, std::set<std::string>& seen);
  void addVariable(Variable v, std::set<std::string>& seen, const xmlNode* at);

  const xml::Document& doc_;
  ParseContext& ctx_;
  std::string ns_;
  std::string register_;
  std::unordered_map<std::string, const xmlNode*> itemDefs_, groupDefs_, codeListDefs_, methods_;
  std::unordered_map<std::string, std::string> units_;      // MeasurementUnit OID -> unit
  std::unordered_map<std::string, std::string> codeLists_;  // CodeList OID -> code list id
  std::set<std::string> codeListIds_, datasetIds_;
  std::unordered_map<const xmlNode*, std::optional<Variable>> built_;
  std::map<std::string, std::string> firstSeen_;  // dataset/name -> where it was first defined
  std::vector<MissingCode> redcapMissing_;
};

Text OdmImporter::translated(const xmlNode* parent, std::string_view local) {
  const xmlNode* holder = elem(parent, local);
  if (!holder) return {};
  std::vector<xml::LangText> texts;
  for (const xmlNode* t : elems(holder, "TranslatedText"))
    texts.push_back({xml::lang(t), xml::text(t)});
  std::string used;
  Text out = xml::pickText(texts, &used);
  if (!used.empty())
    ctx_.result.warnings.push_back(doc_.location(holder) + ": no Swedish or English text; the '" +
                                   used + "' text is used as Swedish");
  return out;
}

void OdmImporter::run() {
  const xmlNode* root = doc_.root();
  if (xml::localName(root) != "ODM")
    throw invalid(doc_.location(root), "expected a CDISC ODM document (root element ODM), found <" +
                                           std::string(xml::localName(root)) + ">");
  ns_ = std::string(xml::namespaceUri(root));
  register_ = ctx_.opt.register_id;

  const auto studies = elems(root, "Study");
  if (studies.empty())
    throw invalid(doc_.location(root), "no Study element: the file holds no metadata to import");
  if (studies.size() > 1)
    ctx_.result.warnings.push_back(doc_.location(studies[1]) +
                                   ": only the first Study of the file is imported");
  const xmlNode* study = studies.front();
  readGlobalVariables(study);
  readUnits(study);

  const auto versions = elems(study, "MetaDataVersion");
  if (versions.empty())
    throw invalid(doc_.location(study), "no MetaDataVersion: the study defines no forms or items");
  // Later MetaDataVersions supersede earlier ones in an ODM file.
  const xmlNode* mdv = versions.back();
  if (versions.size() > 1)
    ctx_.result.warnings.push_back(doc_.location(mdv) + ": the file has " +
                                   std::to_string(versions.size()) +
                                   " MetaDataVersions; the last one is imported");
  if (elem(mdv, "Include"))
    ctx_.result.warnings.push_back(
        doc_.location(elem(mdv, "Include")) +
        ": Include (definitions from another MetaDataVersion) is not followed; only what this "
        "MetaDataVersion defines is imported");
  indexMetaData(mdv);
  readCodeLists(mdv);
  readForms(mdv);
}

void OdmImporter::readGlobalVariables(const xmlNode* study) {
  const xmlNode* gv = elem(study, "GlobalVariables");
  auto& reg = ctx_.result.doc.reg;
  if (const std::string name = xml::text(elem(gv, "StudyName")); !name.empty()) {
    reg.name = Text{name, ""};
    ctx_.result.register_named_from_file = true;
  }
  if (const std::string d = xml::text(elem(gv, "StudyDescription")); !d.empty())
    reg.description = Text{d, ""};
  // REDCap project-wide missing data codes ("UNK, Okänt | NA, Ej tillämpligt") may be entered in
  // any field, so every variable gets them.
  for (const auto& [code, label] : redcapChoices(xml::text(xml::child(gv, "MissingDataCodes"))))
    redcapMissing_.push_back({code, Text{label, ""}});
}

void OdmImporter::readUnits(const xmlNode* study) {
  for (const xmlNode* bd : elems(study, "BasicDefinitions"))
    for (const xmlNode* mu : elems(bd, "MeasurementUnit")) {
      // The symbol is what is written next to a value; prefer its English or untagged form,
      // which is what the UCUM spellings are based on.
      std::string symbol;
      if (const xmlNode* sym = elem(mu, "Symbol")) {
        for (const xmlNode* t : elems(sym, "TranslatedText")) {
          const auto l = xml::classifyLang(xml::lang(t));
          const std::string s = xml::text(t);
          if (s.empty()) continue;
          if (xml::ucumUnit(s)) {
            symbol = s;
            break;
          }
          if (symbol.empty() && l != xml::Lang::Other) symbol = s;
        }
      }
      const std::string name = attr(mu, "Name");
      std::string unit;
      if (!symbol.empty() && xml::ucumUnit(symbol))
        unit = *xml::ucumUnit(symbol);
      else if (xml::ucumUnit(name))
        unit = *xml::ucumUnit(name);
      else
        unit = xml::normalizeUnit(symbol.empty() ? name : symbol);
      units_[attr(mu, "OID")] = unit;
    }
}

void OdmImporter::indexMetaData(const xmlNode* mdv) {
  auto index = [&](std::string_view local, auto& map) {
    for (const xmlNode* n : elems(mdv, local)) {
      const std::string oid = attr(n, "OID");
      if (oid.empty()) {
        ctx_.problem(doc_.location(n), std::string(local) + " has no OID");
        continue;
      }
      if (!map.emplace(oid, n).second) {
        ctx_.problem(doc_.location(n), "a second " + std::string(local) + " with OID '" + oid +
                                           "' (the first is at " + doc_.line(map[oid]) + ")");
        continue;
      }
    }
  };
  index("ItemDef", itemDefs_);
  index("ItemGroupDef", groupDefs_);
  index("CodeList", codeListDefs_);
  index("MethodDef", methods_);
}

void OdmImporter::readCodeLists(const xmlNode* mdv) {
  for (const xmlNode* cl : elems(mdv, "CodeList")) {
    const std::string oid = attr(cl, "OID");
    if (oid.empty() || codeListDefs_[oid] != cl) continue;  // reported by indexMetaData
    const std::string where = doc_.location(cl);
    const std::string local = xml::sanitizeLocalName(oid);
    CodeList c;
    c.id = register_.empty() ? local : register_ + "." + local;
    c.register_id = register_;
    c.origin = where;
    if (local.empty() || !isValidLocalName(c.id)) {
      ctx_.problem(where, "CodeList OID '" + oid + "' cannot be made into a code list id");
      continue;
    }
    if (!codeListIds_.insert(c.id).second) {
      ctx_.problem(where, "CodeList OID '" + oid + "' gives the code list id '" + c.id +
                              "', which another CodeList already has");
      continue;
    }
    const std::string name = attr(cl, "Name");
    c.name = Text{name.empty() ? oid : name, ""};
    c.description = translated(cl, "Description");

    std::vector<const xmlNode*> items = elems(cl, "CodeListItem");
    const auto enumerated = elems(cl, "EnumeratedItem");
    items.insert(items.end(), enumerated.begin(), enumerated.end());
    std::set<std::string> codes;
    for (const xmlNode* it : ordered(items)) {
      CodeItem item;
      item.code = attr(it, "CodedValue");
      if (item.code.empty()) {
        ctx_.problem(doc_.location(it), "CodedValue is missing or empty");
        continue;
      }
      if (!codes.insert(item.code).second) {
        ctx_.problem(doc_.location(it),
                     "CodedValue '" + item.code + "' appears twice in CodeList '" + oid + "'");
        continue;
      }
      if (xml::localName(it) == "CodeListItem") item.label = translated(it, "Decode");
      c.items.push_back(std::move(item));
    }
    if (const xmlNode* ext = elem(cl, "ExternalCodeList")) {
      // A reference to a published code system (MedDRA, ICD-10-SE, ...): no items to copy,
      // but where they are is kept.
      c.system.uri = attr(ext, "href").empty() ? attr(ext, "ref") : attr(ext, "href");
      c.system.version = attr(ext, "Version");
      const std::string dict = attr(ext, "Dictionary");
      if (c.description.empty() && !dict.empty())
        c.description = Text{
            "Extern kodlista: " + dict + (c.system.version.empty() ? "" : " " + c.system.version),
            ""};
    }
    codeLists_[oid] = c.id;
    ctx_.result.doc.codelists.push_back(std::move(c));
  }
}

void OdmImporter::addDataset(const std::string& id, const Text& name, const Text& description,
                             const xmlNode* at) {
  Dataset d;
  d.register_id = register_;
  d.id = id;
  d.name = name.empty() ? Text{id, ""} : name;
  d.description = description;
  d.origin = doc_.location(at);
  ctx_.result.doc.datasets.push_back(std::move(d));
}

void OdmImporter::readForms(const xmlNode* mdv) {
  const auto forms = elems(mdv, "FormDef");
  if (forms.empty()) {
    // Metadata without forms (define.xml-like files): item groups are the datasets.
    const auto groups = elems(mdv, "ItemGroupDef");
    if (groups.empty()) {
      const std::string id = ctx_.opt.dataset.empty() ? "main" : ctx_.opt.dataset;
      addDataset(id, {}, {}, mdv);
      std::set<std::string> seen;
      for (const xmlNode* item : elems(mdv, "ItemDef")) {
        const auto& v = variableFor(item);
        if (!v) continue;
        Variable copy = *v;
        copy.dataset_id = id;
        addVariable(std::move(copy), seen, item);
      }
      return;
    }
    for (const xmlNode* g : groups) {
      const std::string oid = attr(g, "OID");
      const std::string id = xml::sanitizeLocalName(oid);
      if (id.empty() || !datasetIds_.insert(id).second) {
        ctx_.problem(doc_.location(g),
                     "ItemGroupDef OID '" + oid + "' does not give a usable, unique dataset id");
        continue;
      }
      addDataset(id, Text{attr(g, "Name"), ""}, translated(g, "Description"), g);
      std::set<std::string> seen;
      addItems(id, g, seen);
    }
    return;
  }

  for (const xmlNode* form : forms) {
    const std::string oid = attr(form, "OID");
    // REDCap names its instruments in redcap:FormName ("demographics" for OID
    // "Form.demographics"): the same name its data dictionary uses as Form Name, so a project
    // imported from either file lands in the same datasets.
    const std::string redcapForm = redcap(form, "FormName");
    std::string id = xml::sanitizeLocalName(!redcapForm.empty() ? redcapForm : oid);
    if (id.empty() || !isValidLocalName(id)) {
      ctx_.problem(doc_.location(form),
                   "FormDef OID '" + oid + "' cannot be made into a dataset id");
      continue;
    }
    if (!datasetIds_.insert(id).second) {
      ctx_.problem(doc_.location(form), "FormDef OID '" + oid + "' gives the dataset id '" + id +
                                            "', which another FormDef already has");
      continue;
    }
    addDataset(id, Text{attr(form, "Name"), ""}, translated(form, "Description"), form);
    std::set<std::string> seen;
    for (const xmlNode* ref : ordered(elems(form, "ItemGroupRef"))) {
      const std::string groupOid = attr(ref, "ItemGroupOID");
      auto it = groupDefs_.find(groupOid);
      if (it == groupDefs_.end()) {
        ctx_.problem(doc_.location(ref), "ItemGroupRef names ItemGroupOID '" + groupOid +
                                             "', which no ItemGroupDef has");
        continue;
      }
      addItems(id, it->second, seen);
    }
  }
  // An ItemDef no form uses is not data anyone collects; say so rather than drop it silently.
  for (const xmlNode* item : elems(mdv, "ItemDef"))
    if (!built_.count(item) && itemDefs_[attr(item, "OID")] == item)
      ctx_.result.warnings.push_back(doc_.location(item) + ": ItemDef '" + attr(item, "OID") +
                                     "' is used by no FormDef and is not imported");
}

void OdmImporter::addItems(const std::string& datasetId, const xmlNode* group,
                           std::set<std::string>& seen) {
  for (const xmlNode* ref : ordered(elems(group, "ItemRef"))) addItem(datasetId, ref, seen);
}

void OdmImporter::addItem(const std::string& datasetId, const xmlNode* ref,
                          std::set<std::string>& seen) {
  const std::string oid = attr(ref, "ItemOID");
  auto it = itemDefs_.find(oid);
  if (it == itemDefs_.end()) {
    ctx_.problem(doc_.location(ref), "ItemRef names ItemOID '" + oid + "', which no ItemDef has");
    return;
  }
  const xmlNode* def = it->second;
  const auto& built = variableFor(def);
  if (!built) return;
  Variable v = *built;
  v.dataset_id = datasetId;
  v.mandatory = attr(ref, "Mandatory") == "Yes";
  if (const std::string method = attr(ref, "MethodOID"); !method.empty()) {
    // A derivation: keep the method's expression (or its description) as the calculation.
    auto m = methods_.find(method);
    if (m == methods_.end()) {
      ctx_.result.warnings.push_back(doc_.location(ref) + ": MethodOID '" + method +
                                     "' names no MethodDef");
    } else if (v.calculation.empty()) {
      const std::string expr = xml::text(elem(m->second, "FormalExpression"));
      const Text desc = translated(m->second, "Description");
      v.calculation = !expr.empty() ? expr : (!desc.sv.empty() ? desc.sv : desc.en);
      if (v.source.empty()) v.source = "computed";
    }
  }
  // REDCap exports a checkbox as one boolean item per choice (check___1, check___2); its data
  // dictionary names the field itself, so the field is added too, before its first choice.
  if (redcap(def, "FieldType") == "checkbox" && !redcap(def, "Variable").empty() &&
      redcap(def, "Variable") != v.name)
    addCheckboxGroup(datasetId, v, def, seen);
  addVariable(std::move(v), seen, def);
}

void OdmImporter::addCheckboxGroup(const std::string& datasetId, const Variable& choice,
                                   const xmlNode* itemDef, std::set<std::string>& seen) {
  const std::string field = redcap(itemDef, "Variable");
  if (seen.count(field) || !isValidLocalName(field)) return;
  Variable g;
  g.register_id = register_;
  g.dataset_id = datasetId;
  g.name = field;
  g.label = translated(itemDef, "Question");  // the choice's own label names its choice
  if (g.label.empty()) g.label = Text{field, ""};
  g.definition = choice.definition;
  g.mandatory = choice.mandatory;
  g.identifier_class = choice.identifier_class;
  g.origin = choice.origin;
  // The choices are on the choice's CodeList (redcap:CheckboxChoices="1, Ja | 2, Nej").
  std::string choices;
  if (const xmlNode* ref = elem(itemDef, "CodeListRef")) {
    auto cl = codeListDefs_.find(attr(ref, "CodeListOID"));
    if (cl != codeListDefs_.end()) choices = redcap(cl->second, "CheckboxChoices");
  }
  const auto pairs = redcapChoices(choices);
  if (pairs.empty()) {
    g.datatype = "string";
  } else {
    CodeList c;
    const std::string local = xml::sanitizeLocalName(field + ".choices");
    c.id = register_.empty() ? local : register_ + "." + local;
    c.register_id = register_;
    c.name = Text{field, ""};
    c.origin = choice.origin;
    std::set<std::string> codes;
    for (const auto& [code, label] : pairs)
      if (codes.insert(code).second) c.items.push_back({code, Text{label, ""}, false, "", ""});
    if (codeListIds_.insert(c.id).second) ctx_.result.doc.codelists.push_back(std::move(c));
    g.datatype = "code";
    g.codelist = register_.empty() ? local : register_ + "." + local;
  }
  addVariable(std::move(g), seen, itemDef);
}

void OdmImporter::addVariable(Variable v, std::set<std::string>& seen, const xmlNode* at) {
  const std::string key = v.dataset_id + "/" + v.name;
  if (!seen.insert(v.name).second) {
    ctx_.problem(doc_.location(at), "duplicate variable name '" + v.name + "' in dataset '" +
                                        v.dataset_id + "' (first defined at " + firstSeen_[key] +
                                        ")");
    return;
  }
  firstSeen_[key] = doc_.line(at);
  ctx_.result.doc.variables.push_back(std::move(v));
}

const std::optional<Variable>& OdmImporter::variableFor(const xmlNode* itemDef) {
  auto it = built_.find(itemDef);
  if (it == built_.end()) it = built_.emplace(itemDef, buildVariable(itemDef)).first;
  return it->second;
}

std::optional<Variable> OdmImporter::buildVariable(const xmlNode* def) {
  const std::string where = doc_.location(def);
  const std::string oid = attr(def, "OID");
  const std::string name = attr(def, "Name");
  const std::string fieldType = redcap(def, "FieldType");
  // Descriptive fields are text shown on a REDCap form, not data.
  if (fieldType == "descriptive") return std::nullopt;

  Variable v;
  v.register_id = register_;
  v.origin = where;
  v.name = isValidLocalName(name) ? name : xml::sanitizeLocalName(oid);
  if (v.name.empty()) {
    ctx_.problem(where, "ItemDef has neither a Name nor an OID usable as a variable name");
    return std::nullopt;
  }
  addAlias(v, oid);
  addAlias(v, name);
  for (const xmlNode* a : elems(def, "Alias")) addAlias(v, attr(a, "Name"));

  v.label = translated(def, "Question");
  v.definition = translated(def, "Description");
  if (v.label.empty()) v.label = v.definition;
  if (v.label.empty()) v.label = Text{name.empty() ? v.name : name, ""};

  const std::string dataType = attr(def, "DataType");
  const DataTypeMapping* m = findDataType(dataType);
  if (!m) {
    ctx_.problem(where, "ItemDef '" + oid + "' has DataType '" + dataType +
                            "', which is not an ODM data type (expected one of " + dataTypeList() +
                            ")");
    return std::nullopt;
  }
  v.datatype = std::string(m->datatype);
  v.format = std::string(m->format);

  // REDCap's text validation says more than the DataType it exports for some fields.
  const std::string validation = redcap(def, "TextValidationType");
  if (validation.find("comma_decimal") != std::string::npos && v.datatype == "string")
    v.datatype = "decimal";
  else if (validation == "time_hh_mm_ss")
    v.format = "HH:MM:SS";
  else if (validation == "time_mm_ss")
    v.format = "MM:SS";
  if (redcap(def, "Identifier") == "y") v.identifier_class = "direct";
  if (const std::string calc = redcap(def, "Calculation"); !calc.empty()) {
    v.calculation = calc;
    v.source = "computed";
  }

  if (const xmlNode* ref = elem(def, "CodeListRef")) {
    const std::string clOid = attr(ref, "CodeListOID");
    auto cl = codeLists_.find(clOid);
    if (cl == codeLists_.end()) {
      ctx_.problem(doc_.location(ref), "CodeListRef of ItemDef '" + oid + "' names CodeListOID '" +
                                           clOid + "', which no CodeList has");
      return std::nullopt;
    }
    v.datatype = "code";  // also REDCap's boolean yesno/truefalse/checkbox lists
    v.codelist = cl->second;
    v.format.clear();
  }

  std::string unitOid;
  if (const xmlNode* ref = elem(def, "MeasurementUnitRef")) {
    unitOid = attr(ref, "MeasurementUnitOID");
    auto u = units_.find(unitOid);
    if (u == units_.end())
      ctx_.result.warnings.push_back(doc_.location(ref) + ": MeasurementUnitOID '" + unitOid +
                                     "' names no MeasurementUnit; the unit is left empty");
    else
      v.unit = u->second;
  }
  if (unitOid.empty()) {
    // No unit on the item, but its range checks all name one: values are entered in that unit.
    std::set<std::string> checkUnits;
    for (const xmlNode* rc : elems(def, "RangeCheck"))
      if (const xmlNode* u = elem(rc, "MeasurementUnitRef"))
        checkUnits.insert(attr(u, "MeasurementUnitOID"));
    if (checkUnits.size() == 1 && units_.count(*checkUnits.begin())) {
      unitOid = *checkUnits.begin();
      v.unit = units_[unitOid];
    }
  }
  if (v.unit.empty()) {
    // REDCap keeps units in the field note ("kg", "mmHg"): only a recognisable unit is taken.
    if (auto u = xml::ucumUnit(redcap(def, "FieldNote"))) v.unit = *u;
  }
  applyRangeChecks(v, def, unitOid);
  for (const auto& mc : redcapMissing_) v.missing_codes.push_back(mc);
  if (fieldType == "checkbox") labelCheckboxChoice(v, def);
  return v;
}

// A checkbox choice item (f___2) is labelled as REDCap labels it in data exports:
// "Question (choice=Label)". Without that every choice would carry the field's question only.
void OdmImporter::labelCheckboxChoice(Variable& v, const xmlNode* def) {
  const std::string field = redcap(def, "Variable");
  if (field.empty() || v.name.size() <= field.size() + 3 || v.name.compare(0, field.size(), field))
    return;
  const std::string suffix = v.name.substr(field.size() + 3);  // after "___"
  const xmlNode* ref = elem(def, "CodeListRef");
  auto cl = ref ? codeListDefs_.find(attr(ref, "CodeListOID")) : codeListDefs_.end();
  if (cl == codeListDefs_.end()) return;
  // REDCap writes a choice code into the item name lower-cased, with '-' and '.' as '_'.
  auto asSuffix = [](std::string code) {
    for (auto& c : code) {
      if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
      if (c == '-' || c == '.') c = '_';
    }
    return code;
  };
  for (const auto& [code, label] : redcapChoices(redcap(cl->second, "CheckboxChoices"))) {
    if (asSuffix(code) != suffix) continue;
    if (!v.label.sv.empty()) v.label.sv += " (choice=" + label + ")";
    if (!v.label.en.empty()) v.label.en += " (choice=" + label + ")";
    return;
  }
}

// RangeCheck GE/GT gives min, LE/LT gives max. Hard checks (what may be entered) win over soft
// ones (what is plausible); a check in another unit than the item's is not this item's range.
void OdmImporter::applyRangeChecks(Variable& v, const xmlNode* def, const std::string& unitOid) {
  if (v.datatype != "integer" && v.datatype != "decimal") return;  // date ranges are not numbers
  std::optional<double> hardMin, hardMax, softMin, softMax;
  for (const xmlNode* rc : elems(def, "RangeCheck")) {
    if (const xmlNode* u = elem(rc, "MeasurementUnitRef");
        u && !unitOid.empty() && attr(u, "MeasurementUnitOID") != unitOid)
      continue;
    const std::string cmp = attr(rc, "Comparator");
    const bool lower = cmp == "GE" || cmp == "GT", upper = cmp == "LE" || cmp == "LT";
    if (!lower && !upper) continue;  // EQ, NE, IN, NOTIN do not bound a range
    const auto values = elems(rc, "CheckValue");
    if (values.size() != 1) continue;
    const auto value = xml::parseNumber(xml::text(values.front()));
    if (!value) {
      ctx_.result.warnings.push_back(doc_.location(values.front()) + ": CheckValue '" +
                                     xml::text(values.front()) + "' is not a number; ignored");
      continue;
    }
    const bool hard = attr(rc, "SoftHard") != "Soft";
    auto& slot = lower ? (hard ? hardMin : softMin) : (hard ? hardMax : softMax);
    // Several checks of one kind: the widest bound is the one every value must pass.
    if (!slot || (lower ? *value < *slot : *value > *slot)) slot = *value;
  }
  v.min = hardMin ? hardMin : softMin;
  v.max = hardMax ? hardMax : softMax;
  if (v.min && v.max && *v.min > *v.max) {
    ctx_.result.warnings.push_back(v.origin +
                                   ": RangeChecks give a minimum above the maximum; "
                                   "the range is left out");
    v.min.reset();
    v.max.reset();
  }
}

}  // namespace

void parseOdm(std::string_view xml, ParseContext& ctx) {
  const xml::Document doc = xml::Document::parse(xml, ctx.source);
  for (const auto& w : doc.warnings()) ctx.result.warnings.push_back(w);
  OdmImporter(doc, ctx).run();
}

}  // namespace regcat
