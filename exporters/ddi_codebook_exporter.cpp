#include "exporters/ddi_codebook_exporter.h"

#include <algorithm>
#include <charconv>

#include "catalog/store.h"
#include "catalog/text.h"
#include "exporters/xml_writer.h"

namespace regcat {
namespace {

std::string number(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

// Both languages of a text as repeated elements with xml:lang (empty ones left out).
void texts(XmlWriter& w, std::string_view name, const Text& t) {
  w.element(name, t.sv, "sv");
  w.element(name, t.en, "en");
}

// An xs:ID (NCName) from a regcat id, which may start with a digit, '-' or '.'.
std::string ncName(const std::string& id) {
  const unsigned char c = id.empty() ? '0' : static_cast<unsigned char>(id[0]);
  const bool startOk = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  return startOk ? id : "_" + id;
}

// Datasets are fileDscr elements whose ID is the dataset id, which the importer reads back as
// the dataset; with several registers in one codeBook the register is prefixed, since IDs are
// unique per document.
std::string fileId(const std::string& registerId, const std::string& datasetId, bool several) {
  return ncName(several ? registerId + "." + datasetId : datasetId);
}

bool numericCodes(const RutValueDomain* d) {
  if (!d || d->codes.empty()) return false;
  return std::all_of(d->codes.begin(), d->codes.end(), [](const RutCode& c) {
    const std::string& s = c.item.code;
    if (s.empty()) return false;
    for (size_t i = 0; i < s.size(); ++i)
      if (!((s[i] >= '0' && s[i] <= '9') || (i == 0 && s[i] == '-' && s.size() > 1))) return false;
    return true;
  });
}

void writeStudy(XmlWriter& w, const RutRegister& r) {
  const Register& g = r.reg;
  w.start("stdyDscr");
  w.start("citation");
  w.start("titlStmt");
  // titl is the title in the document's language (Swedish), parTitl the English title.
  w.element("titl", g.name.sv.empty() ? g.name.en : g.name.sv, g.name.sv.empty() ? "en" : "sv");
  w.element("altTitl", g.short_name);
  if (!g.name.sv.empty()) w.element("parTitl", g.name.en, "en");
  w.start("IDNo").attr("agency", "regcat").text(g.id);
  w.end();
  w.start("IDNo").attr("agency", "URI").text(r.uri);
  w.end();
  w.end();  // titlStmt
  if (!g.cpua.name.empty() || !g.registerhallare.name.empty()) {
    w.start("rspStmt");
    // The CPUA (central personuppgiftsansvarig) is the register's responsible body; the
    // registerhållare is the person who runs it.
    w.element("AuthEnty", g.cpua.unit.empty() ? g.cpua.name : g.cpua.name + ", " + g.cpua.unit);
    if (!g.registerhallare.name.empty()) {
      w.start("othId").attr("role", "registerhållare");
      w.optAttr("affiliation", g.registerhallare.organisation);
      w.text(g.registerhallare.name);
      w.end();
    }
    w.end();
  }
  if (!g.register_centre.empty() || !g.platform.empty()) {
    w.start("prodStmt");
    if (!g.register_centre.empty()) {
      w.start("producer").attr("role", "registercentrum").text(g.register_centre);
      w.end();
    }
    w.element("software", g.platform);
    w.end();
  }
  if (!g.registerhallare.name.empty() &&
      (!g.registerhallare.email.empty() || !g.registerhallare.organisation.empty())) {
    w.start("distStmt");
    w.start("contact");
    w.optAttr("affiliation", g.registerhallare.organisation);
    w.optAttr("email", g.registerhallare.email);
    w.text(g.registerhallare.name);
    w.end();
    w.end();
  }
  if (!g.homepage.empty()) {
    w.start("holdings").attr("URI", g.homepage).text(g.name.sv.empty() ? g.name.en : g.name.sv);
    w.end();
  }
  w.end();  // citation

  w.start("stdyInfo");
  if (!g.keywords.empty()) {
    w.start("subject");
    for (const auto& k : g.keywords) w.element("keyword", k, "sv");
    w.end();
  }
  texts(w, "abstract", g.description);
  w.start("sumDscr");
  // The period the register covers: its start year (else its datasets' earliest start) and,
  // only when every dataset has ended, the latest end.
  std::string start = g.start_year ? std::to_string(*g.start_year) : "";
  std::string end;
  bool open = r.datasets.empty();
  for (const auto& d : r.datasets) {
    const std::string& s = d.dataset.coverage_start;
    if (!g.start_year && !s.empty() && (start.empty() || s < start)) start = s;
    if (d.dataset.coverage_end.empty())
      open = true;
    else
      end = std::max(end, d.dataset.coverage_end);
  }
  if (!start.empty()) {
    w.start("timePrd").attr("event", "start").attr("date", start).text(start);
    w.end();
  }
  if (!open && !end.empty()) {
    w.start("timePrd").attr("event", "end").attr("date", end).text(end);
    w.end();
  }
  // Nationella kvalitetsregister cover the whole country by definition.
  w.start("nation").attr("abbr", "SE").attr("xml:lang", "sv").text("Sverige");
  w.end();
  w.element("geogCover", "Sverige", "sv");
  w.element("geogCover", "Sweden", "en");
  for (const auto& u : r.unit_types) w.element("anlyUnit", u.label);
  for (const auto& [lang, text] : {std::pair{"sv", g.population.sv}, {"en", g.population.en}}) {
    if (text.empty()) continue;
    w.start("universe").attr("xml:lang", lang).attr("clusion", "I").text(text);
    w.end();
  }
  w.element("dataKind", g.register_type);
  w.end();  // sumDscr
  w.end();  // stdyInfo

  if (!g.coverage.empty()) {
    // Täckningsgrad: the share of the population the register reaches, DDI's response rate.
    w.start("method");
    w.start("anlyInfo");
    for (const auto& c : g.coverage) {
      std::string s = "Täckningsgrad";
      if (c.value) s += " " + number(*c.value) + " %";
      if (!c.period_start.empty())
        s += " (" + c.period_start + (c.period_end.empty() ? "" : "–" + c.period_end) + ")";
      if (!c.level.empty()) s += ", " + c.level;
      if (!c.denominator_source.empty()) s += "; jämfört med " + c.denominator_source;
      if (!c.method.empty()) s += ". " + c.method;
      w.element("respRate", s, "sv");
    }
    w.end();
    w.end();
  }

  const Disclosure& d = g.disclosure;
  if (!d.decided_by.empty() || !d.url.empty() || !d.contact.empty() || !d.notes.empty() ||
      !d.lead_time.empty()) {
    w.start("dataAccs");
    if (!d.decided_by.empty() || !d.url.empty() || !d.lead_time.empty()) {
      w.start("setAvail");
      if (!d.decided_by.empty() || !d.url.empty()) {
        w.start("accsPlac");
        w.optAttr("URI", d.url);
        w.text(d.decided_by.empty() ? g.cpua.name : d.decided_by);
        w.end();
      }
      if (!d.lead_time.empty()) {
        w.start("notes").attr("type", "lead_time").text(d.lead_time);
        w.end();
      }
      w.end();
    }
    if (!d.contact.empty() || !d.notes.empty()) {
      w.start("useStmt");
      if (!d.contact.empty()) {
        w.start("contact");
        if (d.contact.find('@') != std::string::npos && d.contact.find(' ') == std::string::npos)
          w.attr("email", d.contact);
        w.text(d.contact);
        w.end();
      }
      w.element("conditions", d.notes);
      w.end();
    }
    w.end();
  }
  w.end();  // stdyDscr
}

void writeFiles(XmlWriter& w, const RutRegister& r, bool several) {
  for (const auto& d : r.datasets) {
    w.start("fileDscr").attr("ID", fileId(r.reg.id, d.dataset.id, several)).attr("URI", d.uri);
    w.start("fileTxt");
    texts(w, "fileName", d.dataset.name.empty() ? Text{d.dataset.id, ""} : d.dataset.name);
    // fileCont occurs once: the Swedish description; the English one follows as a note.
    const Text& desc = d.dataset.description;
    w.element("fileCont", desc.sv.empty() ? desc.en : desc.sv, desc.sv.empty() ? "en" : "sv");
    w.end();
    if (!desc.sv.empty() && !desc.en.empty()) {
      w.start("notes").attr("type", "description").attr("xml:lang", "en").text(desc.en);
      w.end();
    }
    w.end();
  }
}

void writeVariable(XmlWriter& w, const RutRegister& r, const RutInstanceVariable& iv,
                   bool several) {
  const Variable& v = iv.var;
  const RutValueDomain* vd = r.valueDomain(iv.value_domain);
  const bool coded = vd && vd->kind == "enumerated";
  w.start("var").attr("name", v.name).attr("files", fileId(v.register_id, v.dataset_id, several));
  if (v.datatype == "integer" || coded || v.datatype == "boolean")
    w.attr("intrvl", "discrete");
  else if (v.datatype == "decimal")
    w.attr("intrvl", "contin");
  if (v.datatype == "integer") w.attr("dcml", "0");
  w.optAttr("measUnit", v.unit);

  texts(w, "labl", v.label);
  if (!v.question.empty()) {
    w.start("qstn");
    texts(w, "qstnLit", v.question);
    w.end();
  }
  if (v.min || v.max) {
    w.start("valrng");
    w.start("range");
    if (v.min) w.attr("min", number(*v.min));
    if (v.max) w.attr("max", number(*v.max));
    w.end();
    w.end();
  }
  if (!v.missing_codes.empty()) {
    w.start("invalrng");
    for (const auto& m : v.missing_codes) {
      w.start("item").attr("VALUE", m.code);
      w.end();
    }
    w.end();
  }
  texts(w, "txt", v.definition);
  if (coded && vd->codelist && !vd->codelist->system.uri.empty()) {
    // A code list bound to ICD-10-SE, KVÅ, ATC, ...: DDI's standard category codes.
    const CodeSystemRef& s = vd->codelist->system;
    w.start("stdCatgry").attr("URI", s.uri).optAttr("date", s.version);
    w.text(rutSystemName(s.uri));
    w.end();
  }
  if (coded) {
    for (const auto& c : vd->codes) {
      w.start("catgry");
      if (c.item.is_missing) w.attr("missing", "Y");
      w.element("catValu", c.item.code);
      texts(w, "labl", c.item.label);
      w.end();
    }
  } else {
    // Missing codes of a measurement: categories that are all missing, which DDI readers (and
    // regcat's importer) take as the variable's missing values rather than as a code list.
    for (const auto& m : v.missing_codes) {
      w.start("catgry").attr("missing", "Y");
      w.element("catValu", m.code);
      texts(w, "labl", m.label);
      w.end();
    }
  }
  w.start("verStmt");
  w.start("version").optAttr("date", v.valid_from).text(std::to_string(v.version));
  w.end();
  if (!v.valid_to.empty()) {
    w.start("notes").attr("type", "valid_to").text(v.valid_to);
    w.end();
  }
  w.end();
  for (const auto& id : iv.concepts) {
    auto it = r.concepts.find(id);
    if (it == r.concepts.end()) continue;
    const RutConcept& c = it->second;
    w.start("concept").attr("vocab", rutSystemName(c.system)).attr("vocabURI", c.system);
    // The SNOMED CT expression form "code |term|" carries both the code and its term.
    w.text(c.code + (c.label.empty() ? "" : " |" + c.label + "|"));
    w.end();
  }
  if (!v.calculation.empty()) {
    w.start("derivation");
    w.element("drvdesc", v.calculation);
    w.end();
  }
  w.start("varFormat");
  if (v.datatype == "date" || v.datatype == "datetime") {
    // A format name with a time of day is what the importer (and SPSS/SAS readers) take as a
    // date-time; an ISO date-time pattern stands in when the variable has none.
    std::string format = v.format;
    if (format.empty() && v.datatype == "datetime") format = "YYYY-MM-DDThh:mm:ss";
    w.attr("type", "numeric").attr("schema", "ISO").optAttr("formatname", format);
    w.attr("category", "date");
  } else if (v.datatype == "string" || (coded && !numericCodes(vd))) {
    w.attr("type", "character");
    if (v.datatype == "string") w.text(v.format);
  } else {
    w.attr("type", "numeric");
    if (v.datatype != "code") w.text(v.format);
  }
  w.end();
  for (const auto& [type, value] : {std::pair{"regcat:datatype", v.datatype},
                                    {"regcat:identifier_class", v.identifier_class},
                                    {"regcat:source", v.source},
                                    {"regcat:category", v.category},
                                    {"regcat:uri", iv.uri},
                                    {"regcat:ddi-urn", iv.urn}}) {
    if (value.empty()) continue;
    w.start("notes").attr("type", type).text(value);
    w.end();
  }
  w.end();  // var
}

}  // namespace

struct DdiCodebookWriter::State {
  explicit State(std::ostream& out) : w(out) {}
  XmlWriter w;
  bool several = false;
};

DdiCodebookWriter::DdiCodebookWriter(std::ostream& out, const std::vector<RutRegister>& shells,
                                     const RutOptions&)
    : s_(std::make_unique<State>(out)) {
  XmlWriter& w = s_->w;
  s_->several = shells.size() != 1;
  w.declaration();
  w.start("codeBook")
      .attr("xmlns", "ddi:codebook:2_5")
      .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
      .attr("xsi:schemaLocation",
            "ddi:codebook:2_5 "
            "http://www.ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd")
      .attr("version", "2.5")
      .attr("xml:lang", "sv");
  w.start("docDscr");
  w.start("citation");
  w.start("titlStmt");
  w.element("titl", s_->several ? std::string("regcat – registerbeskrivningar")
                                : "Variabelbeskrivning: " + (shells[0].reg.name.sv.empty()
                                                                 ? shells[0].reg.name.en
                                                                 : shells[0].reg.name.sv));
  w.end();
  w.start("prodStmt");
  w.start("prodDate").attr("date", text::today()).text(text::today());
  w.end();
  w.element("software", "regcat");
  w.end();
  w.end();
  w.end();
  // The codeBook lists all study descriptions before any file description, and all files
  // before the variables, which add() writes.
  for (const auto& r : shells) writeStudy(w, r);
  for (const auto& r : shells) writeFiles(w, r, s_->several);
}

DdiCodebookWriter::~DdiCodebookWriter() = default;

void DdiCodebookWriter::add(const RutRegister& r) {
  if (r.instance_variables.empty()) return;
  XmlWriter& w = s_->w;
  w.start("dataDscr");
  for (const auto& d : r.datasets)
    for (size_t i : d.variables) writeVariable(w, r, r.instance_variables[i], s_->several);
  w.end();
}

void DdiCodebookWriter::finish() {
  s_->w.finish();
}

void exportDdiCodebook(Store& store, const std::vector<std::string>& registerIds,
                       const std::vector<Mapping>& approved, const RutOptions& opt,
                       std::ostream& out) {
  const std::vector<std::string> ids = exportRegisterIds(store, registerIds);
  const MappingsByRegister byRegister = groupByRegister(approved);
  std::vector<RutRegister> shells;
  for (const auto& id : ids) shells.push_back(loadRutShell(store, id, opt));
  DdiCodebookWriter writer(out, shells, opt);
  for (const auto& id : ids) writer.add(loadRutRegister(store, id, byRegister, opt));
  writer.finish();
}

}  // namespace regcat
