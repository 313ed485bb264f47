#include "exporters/ddi_lifecycle_exporter.h"

#include <charconv>
#include <map>
#include <set>

#include "catalog/store.h"
#include "exporters/xml_writer.h"

namespace regcat {
namespace {

// Numbers in xs:decimal form (NumberRange's Low and High): never an exponent.
std::string decimal(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

// "strokereg/akut/rokning" -> "strokereg-akut-rokning", each part escaped.
std::string keyId(const std::string& prefix, const std::string& key) {
  std::string out = prefix;
  size_t start = 0;
  for (;;) {
    const size_t slash = key.find('/', start);
    out += "-" + ddiIdPart(key.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) return out;
    start = slash + 1;
  }
}

// "sct:30809999999100" -> "C-sct-30809999999100".
std::string conceptId(const std::string& rutConceptId) {
  const size_t colon = rutConceptId.find(':');
  return "C-" + ddiIdPart(rutConceptId.substr(0, colon)) + "-" +
         ddiIdPart(rutConceptId.substr(colon + 1));
}

std::string codeListId(const std::string& id) {
  return "CL-" + ddiIdPart(id);
}

class Ddi {
 public:
  Ddi(XmlWriter& w, const RutOptions& opt) : w(w), agency_(opt.agency) {}

  void urn(const std::string& id, int version) { w.element("r:URN", ddiUrn(agency_, id, version)); }
  void maintainable(std::string_view element, const std::string& id, int version) {
    w.start(element).attr("isMaintainable", "true");
    urn(id, version);
  }
  void versionable(std::string_view element, const std::string& id, int version) {
    w.start(element).attr("isVersionable", "true");
    urn(id, version);
  }
  void reference(std::string_view element, std::string_view type, const std::string& id,
                 int version) {
    w.start(element);
    urn(id, version);
    w.element("r:TypeOfObject", type);
    w.end();
  }
  // <element><r:String xml:lang="sv">..</r:String>...</element>, nothing when t is empty.
  void strings(std::string_view element, const Text& t) {
    if (t.empty()) return;
    w.start(element);
    w.element("r:String", t.sv, "sv");
    w.element("r:String", t.en, "en");
    w.end();
  }
  void string(std::string_view element, const std::string& s) {
    if (s.empty()) return;
    w.start(element);
    w.element("r:String", s);
    w.end();
  }
  // <element><r:Content xml:lang="sv">..</r:Content>...</element> (r:Label, r:Description).
  void content(std::string_view element, const Text& t) {
    if (t.empty()) return;
    w.start(element);
    w.element("r:Content", t.sv, "sv");
    w.element("r:Content", t.en, "en");
    w.end();
  }
  void content(std::string_view element, const std::string& s) {
    if (s.empty()) return;
    w.start(element);
    w.element("r:Content", s);
    w.end();
  }
  void userId(std::string_view type, const std::string& value) {
    if (value.empty()) return;
    w.start("r:UserID").attr("typeOfUserID", type).text(value);
    w.end();
  }

  XmlWriter& w;

 private:
  std::string agency_;
};

void writeConceptSystems(Ddi& d, const std::vector<RutConceptSystem>& systems) {
  if (systems.empty()) return;
  XmlWriter& w = d.w;
  d.maintainable("g:ResourcePackage", "RP-concepts", 1);
  w.start("r:Citation");
  d.strings("r:Title", Text{"Standardbegrepp som variablerna är mappade till",
                            "Standard concepts the variables are mapped to"});
  w.end();
  for (const auto& s : systems) {
    d.maintainable("c:ConceptScheme", "CS-" + ddiIdPart(s.id), 1);
    d.userId("regcat:code_system", s.uri);
    d.string("c:ConceptSchemeName", s.name);
    if (!s.versions.empty()) {
      std::string v;
      for (const auto& x : s.versions) v += (v.empty() ? "" : ", ") + x;
      d.content("r:Description", Text{"Utgåvor: " + v, "Releases: " + v});
    }
    for (const auto& c : s.concepts) {
      d.versionable("c:Concept", conceptId(c.id), 1);
      d.userId(s.uri, c.code);
      if (!c.uri.empty()) d.userId("URI", c.uri);
      d.string("c:ConceptName", c.label.empty() ? c.code : c.label);
      d.content("r:Label", c.label);
      w.end();
    }
    w.end();
  }
  w.end();
}

// The value representation of a variable (also its represented variable's).
void writeRepresentation(Ddi& d, const Variable& v, const RutValueDomain* vd) {
  XmlWriter& w = d.w;
  if (vd && vd->kind == "enumerated") {
    w.start("r:CodeRepresentation");
    d.reference("r:CodeListReference", "CodeList", codeListId(vd->id),
                vd->codelist ? vd->codelist->version : 1);
    w.end();
    return;
  }
  if (v.datatype == "date" || v.datatype == "datetime") {
    w.start("r:DateTimeRepresentation");
    w.element("r:DateFieldFormat", v.format);
    w.element("r:DateTypeCode", v.datatype == "date" ? "Date" : "DateTime");
    w.end();
    return;
  }
  if (v.datatype == "integer" || v.datatype == "decimal" || v.datatype == "boolean") {
    w.start("r:NumericRepresentation");
    w.optAttr("format", v.format);
    if (v.datatype != "decimal") w.attr("decimalPositions", "0");
    // DDI has no boolean; it is an integer 0/1, recommended to be read as xs:boolean.
    if (v.datatype == "boolean") w.element("r:RecommendedDataType", "xs:boolean");
    w.element("r:MeasurementUnit", v.unit);
    std::optional<double> lo = v.min, hi = v.max;
    if (v.datatype == "boolean" && !lo && !hi) lo = 0, hi = 1;
    if (lo || hi) {
      w.start("r:NumberRange");
      if (lo) {
        w.start("r:Low").attr("isInclusive", "true").text(decimal(*lo));
        w.end();
      }
      if (hi) {
        w.start("r:High").attr("isInclusive", "true").text(decimal(*hi));
        w.end();
      }
      w.end();
    }
    w.element("r:NumericTypeCode", v.datatype == "decimal" ? "Decimal" : "Integer");
    w.end();
    return;
  }
  // Text (and a "code" variable without a code list): the format, when there is one, is the
  // pattern it is written in ("ÅÅÅÅMMDD-NNNN"), not a regular expression.
  w.start("r:TextRepresentation");
  w.element("r:GenericOutputFormat", v.format);
  w.element("r:MeasurementUnit", v.unit);
  w.end();
}

void writeStudyUnit(Ddi& d, const RutRegister& r) {
  XmlWriter& w = d.w;
  const Register& g = r.reg;
  const std::string reg = ddiIdPart(g.id);
  const int version = r.version;

  // Lookups by id, and which code lists, categories, questions and missing values there are.
  std::map<std::string, const RutRepresentedVariable*> rvById;
  std::map<std::string, const RutConceptualVariable*> cvById;
  std::map<std::string, const RutUnitType*> unitById;
  for (const auto& rv : r.represented_variables) rvById[rv.id] = &rv;
  for (const auto& c : r.conceptual_variables) cvById[c.id] = &c;
  for (const auto& u : r.unit_types) unitById[u.id] = &u;
  auto unitTypeRef = [&](const std::string& id) {
    if (auto it = unitById.find(id); it != unitById.end())
      d.reference("r:UnitTypeReference", "UnitType",
                  "UT-" + reg + "-" + ddiIdPart(it->second->slug), 1);
  };
  std::map<std::string, const RutInstanceVariable*> firstOfRv;
  for (const auto& iv : r.instance_variables) firstOfRv.emplace(iv.represented_variable, &iv);
  bool questions = false, missing = false;
  for (const auto& iv : r.instance_variables) questions |= !iv.var.question.empty();
  for (const auto& rv : r.represented_variables) missing |= !rv.missing_codes.empty();
  int listsVersion = 0, cvVersion = 0, rvVersion = 0;
  for (const auto& vd : r.value_domains)
    if (vd.kind == "enumerated") listsVersion += vd.codelist ? vd.codelist->version : 1;
  for (const auto& c : r.conceptual_variables) cvVersion += c.version;
  for (const auto& rv : r.represented_variables) rvVersion += rv.version;

  d.maintainable("s:StudyUnit", "SU-" + reg, version);
  d.userId("regcat", g.id);
  d.userId("URI", r.uri);
  w.start("r:Citation");
  d.strings("r:Title", g.name);
  d.string("r:AlternateTitle", g.short_name);
  if (!g.cpua.name.empty()) {
    // The CPUA (central personuppgiftsansvarig) answers for the register.
    w.start("r:Creator");
    w.start("r:CreatorName").optAttr("affiliation", g.cpua.unit);
    w.element("r:String", g.cpua.name);
    w.end();
    w.end();
  }
  if (!g.register_centre.empty()) {
    w.start("r:Publisher");
    d.string("r:PublisherName", g.register_centre);
    w.end();
  }
  if (!g.registerhallare.name.empty()) {
    w.start("r:Contributor");
    w.start("r:ContributorName").optAttr("affiliation", g.registerhallare.organisation);
    w.element("r:String", g.registerhallare.name);
    w.end();
    w.element("r:ContributorRole", "registerhållare");
    w.end();
  }
  w.start("r:InternationalIdentifier");
  w.element("r:IdentifierContent", r.uri);
  w.element("r:ManagingAgency", "regcat");
  w.end();
  w.end();  // Citation
  d.content("r:Abstract", g.description);
  d.reference("r:UniverseReference", "Universe", "U-" + reg, 1);
  if (!g.purposes.empty()) {
    w.start("r:Purpose");
    for (const auto& p : g.purposes) {
      w.element("r:Content", p.sv, "sv");
      w.element("r:Content", p.en, "en");
    }
    w.end();
  }
  for (const auto& u : r.unit_types) w.element("r:AnalysisUnit", u.label);

  // Conceptual component: unit types (with the concepts DDI requires of them), the population,
  // the conceptual variables.
  d.maintainable("c:ConceptualComponent", "CC-" + reg, version);
  if (!r.unit_types.empty()) {
    d.maintainable("c:ConceptScheme", "CS-" + reg + "-unittypes", 1);
    d.strings("c:ConceptSchemeName", Text{"Enhetstyper", "Unit types"});
    for (const auto& u : r.unit_types) {
      d.versionable("c:Concept", "C-" + reg + "-unittype-" + ddiIdPart(u.slug), 1);
      d.string("c:ConceptName", u.label);
      d.content("r:Label", u.label);
      w.end();
    }
    w.end();
  }
  d.maintainable("c:UniverseScheme", "US-" + reg, 1);
  d.versionable("c:Universe", "U-" + reg, 1);
  d.strings("c:UniverseName", Text{"Population: " + (g.name.sv.empty() ? g.name.en : g.name.sv),
                                   g.name.en.empty() ? "" : "Population: " + g.name.en});
  d.content("r:Description", r.population.description);
  if (!r.population.unit_types.empty()) unitTypeRef(r.population.unit_types.front());
  w.end();
  w.end();
  if (!r.conceptual_variables.empty()) {
    d.maintainable("c:ConceptualVariableScheme", "CVS-" + reg, cvVersion);
    for (const auto& c : r.conceptual_variables) {
      d.versionable("c:ConceptualVariable", keyId("CV", c.id), c.version);
      d.string("c:ConceptualVariableName", c.name);
      d.content("r:Label", c.label);
      d.content("r:Description", c.definition);
      if (!c.concepts.empty())
        d.reference("r:ConceptReference", "Concept", conceptId(c.concepts.front()), 1);
      unitTypeRef(c.unit_type);
      w.end();
    }
    w.end();
  }
  if (!r.unit_types.empty()) {
    d.maintainable("c:UnitTypeScheme", "UTS-" + reg, 1);
    for (const auto& u : r.unit_types) {
      d.versionable("c:UnitType", "UT-" + reg + "-" + ddiIdPart(u.slug), 1);
      d.content("r:Label", u.label);
      d.reference("r:ConceptReference", "Concept", "C-" + reg + "-unittype-" + ddiIdPart(u.slug),
                  1);
      w.end();
    }
    w.end();
  }
  w.end();  // ConceptualComponent

  if (questions) {
    d.maintainable("d:DataCollection", "DC-" + reg, version);
    d.maintainable("d:QuestionScheme", "QS-" + reg, version);
    for (const auto& iv : r.instance_variables) {
      const Variable& v = iv.var;
      if (v.question.empty()) continue;
      d.versionable("d:QuestionItem", keyId("Q", v.key()), v.version);
      d.string("d:QuestionItemName", v.name);
      for (const auto& [lang, text] : {std::pair{"sv", v.question.sv}, {"en", v.question.en}}) {
        if (text.empty()) continue;
        w.start("d:QuestionText").attr("audienceLanguage", lang);
        w.start("d:LiteralText");
        w.element("d:Text", text, lang);
        w.end();
        w.end();
      }
      d.reference("r:RepresentedVariableReference", "RepresentedVariable",
                  keyId("RV", iv.represented_variable),
                  rvById.at(iv.represented_variable)->version);
      w.end();
    }
    w.end();
    w.end();
  }

  d.maintainable("l:LogicalProduct", "LP-" + reg, version);
  // Categories: the code lists' items, and the sentinel values of represented variables.
  if (listsVersion > 0 || missing) {
    d.maintainable("l:CategoryScheme", "CATS-" + reg, listsVersion + rvVersion);
    for (const auto& vd : r.value_domains) {
      if (vd.kind != "enumerated") continue;
      const int lv = vd.codelist ? vd.codelist->version : 1;
      for (const auto& c : vd.codes) {
        w.start("l:Category").attr("isVersionable", "true");
        if (c.item.is_missing) w.attr("isMissing", "true");
        d.urn("CAT-" + ddiIdPart(vd.id) + "-" + ddiIdPart(c.item.code), lv);
        d.content("r:Label", c.item.label);
        if (!c.concepts.empty())
          d.reference("r:ConceptReference", "Concept", conceptId(c.concepts.front()), 1);
        w.end();
      }
    }
    for (const auto& rv : r.represented_variables)
      for (const auto& m : rv.missing_codes) {
        w.start("l:Category").attr("isVersionable", "true").attr("isMissing", "true");
        d.urn(keyId("MCAT", rv.id) + "-" + ddiIdPart(m.code), rv.version);
        d.content("r:Label", m.label);
        w.end();
      }
    w.end();

    d.maintainable("l:CodeListScheme", "CLS-" + reg, listsVersion + rvVersion);
    for (const auto& vd : r.value_domains) {
      if (vd.kind != "enumerated") continue;
      const int lv = vd.codelist ? vd.codelist->version : 1;
      d.maintainable("l:CodeList", codeListId(vd.id), lv);
      d.userId("regcat", vd.id);
      if (vd.codelist && !vd.codelist->system.uri.empty()) {
        // A list of codes from ICD-10-SE, KVÅ, ATC, ...: which system, which version.
        w.start("r:UserAttributePair");
        w.element("r:AttributeKey", "regcat:code_system");
        w.element(
            "r:AttributeValue",
            vd.codelist->system.uri +
                (vd.codelist->system.version.empty() ? "" : "|" + vd.codelist->system.version));
        w.end();
      }
      if (vd.codelist) {
        d.strings("l:CodeListName", vd.codelist->name);
        d.content("r:Description", vd.codelist->description);
      }
      for (const auto& c : vd.codes) {
        w.start("l:Code").attr("isIdentifiable", "true");
        d.urn("CODE-" + ddiIdPart(vd.id) + "-" + ddiIdPart(c.item.code), lv);
        d.reference("r:CategoryReference", "Category",
                    "CAT-" + ddiIdPart(vd.id) + "-" + ddiIdPart(c.item.code), lv);
        w.element("r:Value", c.item.code);
        w.end();
      }
      w.end();
    }
    for (const auto& rv : r.represented_variables) {
      if (rv.missing_codes.empty()) continue;
      d.maintainable("l:CodeList", keyId("MCL", rv.id), rv.version);
      d.strings("l:CodeListName", Text{"Saknade värden: " + rv.name, "Missing values: " + rv.name});
      for (const auto& m : rv.missing_codes) {
        w.start("l:Code").attr("isIdentifiable", "true");
        d.urn(keyId("MCODE", rv.id) + "-" + ddiIdPart(m.code), rv.version);
        d.reference("r:CategoryReference", "Category",
                    keyId("MCAT", rv.id) + "-" + ddiIdPart(m.code), rv.version);
        w.element("r:Value", m.code);
        w.end();
      }
      w.end();
    }
    w.end();
  }
  if (missing) {
    d.maintainable("r:ManagedRepresentationScheme", "MRS-" + reg, rvVersion);
    for (const auto& rv : r.represented_variables) {
      if (rv.missing_codes.empty()) continue;
      d.versionable("r:ManagedMissingValuesRepresentation", keyId("MV", rv.id), rv.version);
      w.start("r:MissingCodeRepresentation");
      d.reference("r:CodeListReference", "CodeList", keyId("MCL", rv.id), rv.version);
      w.end();
      w.end();
    }
    w.end();
  }
  if (!r.represented_variables.empty()) {
    d.maintainable("l:RepresentedVariableScheme", "RVS-" + reg, rvVersion);
    for (const auto& rv : r.represented_variables) {
      d.versionable("l:RepresentedVariable", keyId("RV", rv.id), rv.version);
      d.string("l:RepresentedVariableName", rv.name);
      d.content("r:Label", rv.label);
      d.content("r:Description", rv.definition);
      d.reference("r:ConceptualVariableReference", "ConceptualVariable",
                  keyId("CV", rv.conceptual_variable), cvById.at(rv.conceptual_variable)->version);
      writeRepresentation(d, firstOfRv.at(rv.id)->var, r.valueDomain(rv.value_domain));
      w.end();
    }
    w.end();
  }
  for (const auto& ds : r.datasets) {
    int dv = 0;
    for (size_t i : ds.variables) dv += r.instance_variables[i].var.version;
    d.maintainable("l:VariableScheme", "VS-" + reg + "-" + ddiIdPart(ds.dataset.id),
                   dv > 0 ? dv : 1);
    // The scheme's name is the dataset id, which importers take as the dataset; the human
    // name is its label.
    d.string("l:VariableSchemeName", ds.dataset.id);
    d.content("r:Label", ds.dataset.name);
    d.content("r:Description", ds.dataset.description);
    for (size_t i : ds.variables) {
      const RutInstanceVariable& iv = r.instance_variables[i];
      const Variable& v = iv.var;
      d.versionable("l:Variable", ddiVariableId(v), v.version);
      d.userId("regcat", v.key());
      d.userId("URI", iv.uri);
      d.string("l:VariableName", v.name);
      d.content("r:Label", v.label);
      d.content("r:Description", v.definition);
      const RutRepresentedVariable* rep = rvById.at(iv.represented_variable);
      const RutConceptualVariable* cv = cvById.at(iv.conceptual_variable);
      d.reference("r:RepresentedVariableReference", "RepresentedVariable", keyId("RV", rep->id),
                  rep->version);
      d.reference("r:ConceptualVariableReference", "ConceptualVariable", keyId("CV", cv->id),
                  cv->version);
      d.reference("r:UniverseReference", "Universe", "U-" + reg, 1);
      if (!cv->concepts.empty())
        d.reference("r:ConceptReference", "Concept", conceptId(cv->concepts.front()), 1);
      if (!v.question.empty())
        d.reference("r:QuestionReference", "QuestionItem", keyId("Q", v.key()), v.version);
      unitTypeRef(iv.unit_type);
      w.start("l:VariableRepresentation");
      writeRepresentation(d, v, r.valueDomain(iv.value_domain));
      if (!rep->missing_codes.empty())
        d.reference("l:MissingValuesReference", "ManagedMissingValuesRepresentation",
                    keyId("MV", rep->id), rep->version);
      w.end();
      w.end();  // Variable
    }
    w.end();  // VariableScheme
  }
  w.end();  // LogicalProduct
  w.end();  // StudyUnit
}

}  // namespace

struct DdiLifecycleWriter::State {
  State(std::ostream& out, const RutOptions& opt) : w(out), d(w, opt) {}
  XmlWriter w;
  Ddi d;
};

DdiLifecycleWriter::DdiLifecycleWriter(std::ostream& out, const std::optional<Register>& only,
                                       const std::vector<RutConceptSystem>& systems,
                                       const RutOptions& opt)
    : s_(std::make_unique<State>(out, opt)) {
  XmlWriter& w = s_->w;
  Ddi& d = s_->d;
  w.declaration();
  w.start("ddi:DDIInstance")
      .attr("xmlns:ddi", "ddi:instance:3_3")
      .attr("xmlns:r", "ddi:reusable:3_3")
      .attr("xmlns:g", "ddi:group:3_3")
      .attr("xmlns:s", "ddi:studyunit:3_3")
      .attr("xmlns:c", "ddi:conceptualcomponent:3_3")
      .attr("xmlns:d", "ddi:datacollection:3_3")
      .attr("xmlns:l", "ddi:logicalproduct:3_3")
      .attr("isMaintainable", "true");
  d.urn(only ? "DI-" + ddiIdPart(only->id) : "DI-regcat", 1);
  w.start("r:Citation");
  if (only) {
    d.strings("r:Title", only->name);
  } else {
    d.strings("r:Title", Text{"regcat – registerbeskrivningar", "regcat – register descriptions"});
  }
  w.end();
  writeConceptSystems(d, systems);
}

DdiLifecycleWriter::~DdiLifecycleWriter() = default;

void DdiLifecycleWriter::add(const RutRegister& r) {
  writeStudyUnit(s_->d, r);
}

void DdiLifecycleWriter::finish() {
  s_->w.finish();
}

void exportDdiLifecycle(Store& store, const std::vector<std::string>& registerIds,
                        const std::vector<Mapping>& approved, const RutOptions& opt,
                        std::ostream& out) {
  const std::vector<std::string> ids = exportRegisterIds(store, registerIds);
  const MappingsByRegister byRegister = groupByRegister(approved);
  std::optional<Register> only;
  if (ids.size() == 1) only = store.getRegister(ids[0]);
  DdiLifecycleWriter writer(out, only, buildRutConceptSystems(approved), opt);
  for (const auto& id : ids) writer.add(loadRutRegister(store, id, byRegister, opt));
  writer.finish();
}

}  // namespace regcat
