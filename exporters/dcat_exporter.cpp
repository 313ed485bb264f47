#include "exporters/dcat_exporter.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "catalog/store.h"
#include "catalog/text.h"
#include "exporters/regcat_json_exporter.h"
#include "mapping/mapping_store.h"

namespace regcat {
namespace {

using rdf::add;
using rdf::addText;
using rdf::Graph;
using rdf::iri;
using rdf::Term;
namespace ns = rdf::ns;

std::string P(const char* nsIri, const char* local) {
  return std::string(nsIri) + local;
}

// Controlled vocabularies. The EU authority tables (publications.europa.eu) are what DCAT-AP
// prescribes for themes, access rights, countries, languages and file types; the legal acts are
// ELI IRIs. Where HealthDCAT-AP's own vocabularies are not yet published as stable IRIs (health
// category, dataset type), the values below are the ones its draft examples use; they are kept
// in this one place so that a published vocabulary is a one-line change.
const std::string kThemeHealth = "http://publications.europa.eu/resource/authority/data-theme/HEAL";
const std::string kThemeScheme = "http://publications.europa.eu/resource/authority/data-theme";
const std::string kNonPublic =
    "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC";
const std::string kSweden = "http://publications.europa.eu/resource/authority/country/SWE";
const std::string kSwedish = "http://publications.europa.eu/resource/authority/language/SWE";
const std::string kEnglish = "http://publications.europa.eu/resource/authority/language/ENG";
const std::string kFormatHtml = "http://publications.europa.eu/resource/authority/file-type/HTML";
const std::string kMediaHtml = "https://www.iana.org/assignments/media-types/text/html";
const std::string kAvailabilityStable = "http://data.europa.eu/r5r/availability/stable";
const std::string kPersonalData =
    "http://publications.europa.eu/resource/authority/dataset-type/PERSONAL_DATA";
const std::string kCategoryRegistries = "http://healthdataportal.eu/ns/health-category/registries";
const std::string kRegionalAuthority = "http://purl.org/adms/publishertype/RegionalAuthority";
const std::string kPublicDomain = "http://purl.org/adms/licencetype/PublicDomain";
// Applicable legislation: the GDPR (personal data), the EHDS regulation (secondary use of health
// data, which makes the HDAB catalogues), and the Swedish Patient Data Act, whose chapter 7
// establishes the national quality registers. Swedish statutes have no ELI, so the PDL is
// identified by its page in Riksdagen's statute database and typed as an ELI legal resource.
const std::string kGdpr = "http://data.europa.eu/eli/reg/2016/679/oj";
const std::string kEhds = "http://data.europa.eu/eli/reg/2025/327/oj";
const std::string kPdl =
    "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/"
    "patientdatalag-2008355_sfs-2008-355/";

void skosConcept(Graph& g, const std::string& id, const std::string& sv, const std::string& en) {
  const Term t = iri(id);
  add(g, t, "a", iri(P(ns::skos, "Concept")));
  addText(g, t, P(ns::skos, "prefLabel"), sv, en);
}

Term dcatType(const char* local) {
  return iri(P(ns::dcat, local));
}

std::string first(std::initializer_list<std::string> candidates) {
  for (const auto& c : candidates)
    if (!c.empty()) return c;
  return {};
}

bool looksRegional(const std::string& name) {
  const std::string f = text::fold(name);
  return f.find("region") != std::string::npos || f.find("landsting") != std::string::npos;
}

// CSVW's built-in datatype names for regcat's datatypes; coded values are written as text.
std::string csvwDatatype(const std::string& datatype) {
  if (datatype == "integer" || datatype == "decimal" || datatype == "string" ||
      datatype == "date" || datatype == "datetime" || datatype == "boolean")
    return datatype;
  return "string";
}

std::string isoNumber(double v) {
  return rdf::decimal(v).value;
}

// The coverage levels registers report, in English for the English statement.
std::string coverageLevelEn(const std::string& level) {
  const std::string f = text::fold(level);
  if (f == "nationell") return "national";
  if (f == "regional") return "regional";
  if (f == "lokal") return "local";
  if (f == "klinik" || f == "klinisk") return "clinic";
  return level;
}

// "tel:" IRI of a phone number written the way people write them (+46 90-123 45 67).
std::string telIri(const std::string& phone) {
  std::string digits;
  for (char c : phone)
    if ((c >= '0' && c <= '9') || (c == '+' && digits.empty())) digits += c;
  return digits.size() >= 5 ? "tel:" + digits : std::string();
}

// The best approved SNOMED CT binding of a variable for csvw:propertyUrl: an exact match, else a
// close one. Broader, narrower and related concepts are written as SKOS links only.
const Mapping* propertyBinding(const std::vector<const Mapping*>& ms) {
  for (const char* p : {"skos:exactMatch", "skos:closeMatch"})
    for (const Mapping* m : ms)
      if (m->predicate == p) return m;
  return nullptr;
}

void addColumn(Graph& g, const Variable& v, const std::vector<const Mapping*>& bindings,
               const DcatOptions& o) {
  const Term col = iri(dcatColumnIri(o, v));
  add(g, col, "a", iri(P(ns::csvw, "Column")));
  add(g, col, P(ns::csvw, "name"), rdf::text(v.name));
  add(g, col, P(ns::dct, "identifier"), rdf::text(v.key()));
  addText(g, col, P(ns::csvw, "titles"), first({v.label.sv, v.name}), v.label.en);
  // HealthDCAT-AP wants a description for every column; the label stands in when a variable
  // has no definition yet.
  addText(g, col, P(ns::dct, "description"), first({v.definition.sv, v.label.sv, v.name}),
          first({v.definition.en, v.label.en}));
  add(g, col, P(ns::csvw, "datatype"), rdf::text(csvwDatatype(v.datatype)));
  if (v.mandatory) add(g, col, P(ns::csvw, "required"), rdf::boolean(true));
  if (const Mapping* m = propertyBinding(bindings))
    add(g, col, P(ns::csvw, "propertyUrl"), iri(snomedConceptIri(m->concept_id)));
  for (const Mapping* m : bindings)
    add(g, col, std::string(ns::skos) + m->predicate.substr(5),
        iri(snomedConceptIri(m->concept_id)));
  if (!v.valid_to.empty() && v.valid_to < text::today())
    add(g, col, P(ns::owl, "deprecated"), rdf::boolean(true));
}

// Variable-level approved SNOMED CT mappings by variable key.
std::map<std::string, std::vector<const Mapping*>> snomedBindings(
    const std::vector<Mapping>& approved) {
  std::map<std::string, std::vector<const Mapping*>> out;
  for (const auto& m : approved)
    if (m.status == "approved" && !m.subject.isCode() && !m.isNoMatch() &&
        m.system == "http://snomed.info/sct" && m.predicate.rfind("skos:", 0) == 0 &&
        !m.concept_id.empty())
      out[m.subject.variableKey()].push_back(&m);
  return out;
}

}  // namespace

std::string dcatCatalogIri(const DcatOptions& o) {
  return o.base_uri + "/catalog";
}

std::string dcatDatasetIri(const DcatOptions& o, const std::string& registerId) {
  return o.base_uri + "/registers/" + rdf::iriSegment(registerId);
}

std::string dcatTableIri(const DcatOptions& o, const std::string& registerId,
                         const std::string& datasetId) {
  return dcatDatasetIri(o, registerId) + "/datasets/" + rdf::iriSegment(datasetId);
}

std::string dcatColumnIri(const DcatOptions& o, const Variable& v) {
  return o.base_uri + "/variables/" + rdf::iriSegment(v.register_id) + "/" +
         rdf::iriSegment(v.dataset_id) + "/" + rdf::iriSegment(v.name);
}

std::string snomedConceptIri(const std::string& conceptId) {
  return "http://snomed.info/id/" + rdf::iriSegment(conceptId);
}

std::vector<Variable> currentVariables(const std::vector<Variable>& all) {
  const std::string today = text::today();
  std::vector<Variable> out;
  for (const auto& v : all)
    if (v.valid_to.empty() || v.valid_to >= today) out.push_back(v);
  return out;
}

std::vector<Mapping> approvedMappings(MappingStore* mappings, const std::string& registerId) {
  if (!mappings) return {};
  MappingQuery q;
  q.register_id = registerId;
  q.status = "approved";
  q.limit = -1;
  return mappings->list(q).items;
}

rdf::Graph dcatVocabularyGraph(const DcatOptions& o) {
  Graph g;
  skosConcept(g, kThemeHealth, "Hälsa", "Health");
  add(g, iri(kThemeHealth), P(ns::skos, "inScheme"), iri(kThemeScheme));
  add(g, iri(kThemeScheme), "a", iri(P(ns::skos, "ConceptScheme")));
  addText(g, iri(kThemeScheme), P(ns::dct, "title"), "Datateman", "Data themes");
  skosConcept(g, kNonPublic, "Icke-offentlig", "Non-public");
  add(g, iri(kNonPublic), "a", iri(P(ns::dct, "RightsStatement")));
  skosConcept(g, kSweden, "Sverige", "Sweden");
  add(g, iri(kSweden), "a", iri(P(ns::dct, "Location")));
  skosConcept(g, kSwedish, "svenska", "Swedish");
  add(g, iri(kSwedish), "a", iri(P(ns::dct, "LinguisticSystem")));
  skosConcept(g, kEnglish, "engelska", "English");
  add(g, iri(kEnglish), "a", iri(P(ns::dct, "LinguisticSystem")));
  add(g, iri(kFormatHtml), "a", iri(P(ns::dct, "MediaTypeOrExtent")));
  add(g, iri(kFormatHtml), P(ns::rdfs, "label"), rdf::text("HTML"));
  add(g, iri(kMediaHtml), "a", iri(P(ns::dct, "MediaType")));
  add(g, iri(kMediaHtml), P(ns::rdfs, "label"), rdf::text("text/html"));
  skosConcept(g, kAvailabilityStable, "stabil", "stable");
  skosConcept(g, kPersonalData, "personuppgifter", "personal data");
  skosConcept(g, kCategoryRegistries, "register", "registries");
  skosConcept(g, kRegionalAuthority, "regional myndighet", "regional authority");
  for (const auto& [law, sv, en] :
       {std::tuple{kGdpr, "Dataskyddsförordningen (EU) 2016/679",
                   "General Data Protection Regulation (EU) 2016/679"},
        std::tuple{kEhds, "Förordningen om ett europeiskt hälsodataområde (EU) 2025/327",
                   "European Health Data Space Regulation (EU) 2025/327"},
        std::tuple{kPdl, "Patientdatalag (2008:355)", "Patient Data Act (2008:355)"}}) {
    add(g, iri(law), "a", iri(P(ns::eli, "LegalResource")));
    addText(g, iri(law), P(ns::rdfs, "label"), sv, en);
  }
  if (const std::string license = rdf::safeIri(o.license); !license.empty()) {
    add(g, iri(license), "a", iri(P(ns::dct, "LicenseDocument")));
    if (license == "http://creativecommons.org/publicdomain/zero/1.0/") {
      add(g, iri(license), P(ns::dct, "type"), iri(kPublicDomain));
      skosConcept(g, kPublicDomain, "allmän egendom", "public domain");
    }
  }
  return g;
}

rdf::Graph dcatDatasetGraph(const RegisterDocument& doc, const std::vector<Mapping>& approved,
                            const DcatOptions& o) {
  const Register& r = doc.reg;
  Graph g;
  const std::string base = dcatDatasetIri(o, r.id);
  const Term ds = iri(base);
  const Term cpua = iri(base + "#cpua");
  const Term cpuaContact = iri(base + "#cpua-contact");
  const Term contact = iri(base + "#contact");
  const Term distribution = iri(base + "#data-request");
  const Term temporal = iri(base + "#temporal");
  const Term provenance = iri(base + "#provenance");
  const Term variables = iri(base + "#variables");
  const std::string homepage = rdf::safeIri(r.homepage);
  const std::string requestUrl = first({rdf::safeIri(r.disclosure.url), homepage, base});

  add(g, ds, "a", dcatType("Dataset"));
  addText(g, ds, P(ns::dct, "title"), first({r.name.sv, r.name.en.empty() ? r.id : ""}), r.name.en);
  // DCAT-AP requires a description; the population (else the name) stands in for a register
  // without one.
  std::string descSv = first({r.description.sv, r.population.sv});
  const std::string descEn = first({r.description.en, r.population.en});
  if (descSv.empty() && descEn.empty()) descSv = first({r.name.sv, r.name.en, r.id});
  addText(g, ds, P(ns::dct, "description"), descSv, descEn);
  if (!r.short_name.empty()) add(g, ds, P(ns::dct, "alternative"), rdf::text(r.short_name));
  add(g, ds, P(ns::dct, "identifier"), rdf::text(base));
  add(g, ds, P(ns::dct, "type"), iri(kPersonalData));
  add(g, ds, P(ns::dcat, "theme"), iri(kThemeHealth));
  add(g, ds, P(ns::healthdcatap, "healthCategory"), iri(kCategoryRegistries));
  add(g, ds, P(ns::dct, "accessRights"), iri(kNonPublic));
  for (const auto& law : {kGdpr, kEhds, kPdl})
    add(g, ds, P(ns::dcatap, "applicableLegislation"), iri(law));
  add(g, ds, P(ns::dct, "spatial"), iri(kSweden));
  add(g, ds, P(ns::dct, "language"), iri(kSwedish));
  // HealthDCAT-AP requires keywords of a non-public dataset; a register that has none is still
  // findable as a quality register under its short name.
  if (!r.keywords.empty()) {
    for (const auto& k : r.keywords) add(g, ds, P(ns::dcat, "keyword"), rdf::langText(k, "sv"));
  } else {
    add(g, ds, P(ns::dcat, "keyword"), rdf::langText("kvalitetsregister", "sv"));
    if (!r.short_name.empty())
      add(g, ds, P(ns::dcat, "keyword"), rdf::langText(r.short_name, "sv"));
  }
  if (!homepage.empty()) {
    add(g, ds, P(ns::dcat, "landingPage"), iri(homepage));
    add(g, iri(homepage), "a", iri(P(ns::foaf, "Document")));
  }
  if (!r.created_at.empty()) add(g, ds, P(ns::dct, "issued"), rdf::dateTime(r.created_at));
  if (!r.updated_at.empty()) add(g, ds, P(ns::dct, "modified"), rdf::dateTime(r.updated_at));

  // Publisher: the register's CPUA, which also decides on disclosure and so stands as the
  // health data access body until Sweden designates one under the EHDS. The agent is a fragment
  // of the register (not one IRI per authority) because HealthDCAT-AP allows an agent exactly
  // one contact point, and that contact is the register's own disclosure contact.
  add(g, ds, P(ns::dct, "publisher"), cpua);
  add(g, ds, P(ns::healthdcatap, "hdab"), cpua);
  add(g, cpua, "a", iri(P(ns::foaf, "Agent")));
  add(g, cpua, P(ns::foaf, "name"),
      rdf::text(first({r.cpua.name, r.registerhallare.organisation, r.name.sv, r.id})));
  if (looksRegional(r.cpua.name)) add(g, cpua, P(ns::dct, "type"), iri(kRegionalAuthority));
  add(g, cpua, P(ns::dcat, "contactPoint"), cpuaContact);
  add(g, cpuaContact, "a", iri(P(ns::vcard, "Kind")));
  add(g, cpuaContact, "a", iri(P(ns::vcard, "Organization")));
  add(g, cpuaContact, P(ns::vcard, "fn"),
      rdf::text(first({r.cpua.name, r.name.sv, r.id}) + " – utlämnande av uppgifter"));
  if (!r.cpua.name.empty())
    add(g, cpuaContact, P(ns::vcard, "organization-name"), rdf::text(r.cpua.name));
  if (const std::string mail = rdf::mailtoIri(r.disclosure.contact); !mail.empty())
    add(g, cpuaContact, P(ns::vcard, "hasEmail"), iri(mail));
  else
    add(g, cpuaContact, P(ns::vcard, "hasURL"), iri(requestUrl));

  // Contact point: the registerhållare.
  const Contact& rh = r.registerhallare;
  add(g, ds, P(ns::dcat, "contactPoint"), contact);
  add(g, contact, "a", iri(P(ns::vcard, "Kind")));
  add(g, contact, "a", iri(P(ns::vcard, rh.name.empty() ? "Organization" : "Individual")));
  add(g, contact, P(ns::vcard, "fn"),
      rdf::text(first({rh.name, rh.organisation, r.name.sv, r.id})));
  if (!rh.organisation.empty())
    add(g, contact, P(ns::vcard, "organization-name"), rdf::text(rh.organisation));
  if (const std::string mail = rdf::mailtoIri(rh.email); !mail.empty())
    add(g, contact, P(ns::vcard, "hasEmail"), iri(mail));
  else
    add(g, contact, P(ns::vcard, "hasURL"), iri(first({homepage, base})));
  if (const std::string tel = telIri(rh.phone); !tel.empty())
    add(g, contact, P(ns::vcard, "hasTelephone"), iri(tel));

  // Temporal coverage: from the earliest dataset start (or the start year); open-ended unless
  // every dataset has ended.
  std::string start, end;
  bool ongoing = doc.datasets.empty();
  for (const auto& d : doc.datasets) {
    if (!d.coverage_start.empty() && (start.empty() || d.coverage_start < start))
      start = d.coverage_start;
    if (d.coverage_end.empty())
      ongoing = true;
    else if (d.coverage_end > end)
      end = d.coverage_end;
  }
  if (start.empty() && r.start_year) start = std::to_string(*r.start_year) + "-01-01";
  if (!start.empty()) {
    add(g, ds, P(ns::dct, "temporal"), temporal);
    add(g, temporal, "a", iri(P(ns::dct, "PeriodOfTime")));
    add(g, temporal, P(ns::dcat, "startDate"), rdf::date(start));
    if (!ongoing && !end.empty()) add(g, temporal, P(ns::dcat, "endDate"), rdf::date(end));
  }

  // Size, where the register publishes it.
  if (r.number_of_records)
    add(g, ds, P(ns::healthdcatap, "numberOfRecords"),
        rdf::nonNegativeInteger(*r.number_of_records));
  if (r.number_of_individuals)
    add(g, ds, P(ns::healthdcatap, "numberOfUniqueIndividuals"),
        rdf::nonNegativeInteger(*r.number_of_individuals));

  // Population and coverage (täckningsgrad), as HealthDCAT-AP's free-text population coverage.
  addText(g, ds, P(ns::healthdcatap, "populationCoverage"), r.population.sv, r.population.en);
  for (const auto& c : r.coverage) {
    if (!c.value) continue;
    std::string sv = "Täckningsgrad " + isoNumber(*c.value) + " %";
    std::string en = "Coverage " + isoNumber(*c.value) + " %";
    if (!c.period_start.empty() || !c.period_end.empty()) {
      sv += " " + c.period_start + "–" + c.period_end;
      en += " " + c.period_start + "–" + c.period_end;
    }
    if (!c.level.empty()) {
      sv += " (" + c.level + ")";
      en += " (" + coverageLevelEn(c.level) + ")";
    }
    if (!c.method.empty()) sv += ": " + c.method;
    if (!c.denominator_source.empty()) sv += ". Jämförelsekälla: " + c.denominator_source;
    add(g, ds, P(ns::healthdcatap, "populationCoverage"), rdf::langText(sv, "sv"));
    add(g, ds, P(ns::healthdcatap, "populationCoverage"), rdf::langText(en, "en"));
  }

  // Provenance: what the register is by law, who runs it, and where regcat's description of it
  // came from.
  std::string sv = "Kvalitetsregister enligt 7 kap. patientdatalagen (2008:355).";
  std::string en = "Quality register under chapter 7 of the Patient Data Act (2008:355).";
  auto both = [&](const std::string& svLabel, const std::string& enLabel, const std::string& v) {
    if (v.empty()) return;
    sv += " " + svLabel + ": " + v + ".";
    en += " " + enLabel + ": " + v + ".";
  };
  both("Registertyp", "Register type", r.register_type);
  both("Personuppgiftsansvarig central myndighet (CPUA)", "Central data controller (CPUA)",
       r.cpua.name + (r.cpua.unit.empty() ? "" : ", " + r.cpua.unit));
  both("Registerhållare", "Register holder",
       rh.name + (!rh.name.empty() && !rh.organisation.empty() ? ", " : "") + rh.organisation);
  both("Registercentrum", "Register centre", r.register_centre);
  both("Plattform", "Platform", r.platform);
  both("Certifieringsnivå", "Certification level", r.certification_level);
  both("Startår", "Start year", r.start_year ? std::to_string(*r.start_year) : "");
  both("Beskrivningens källa i regcat", "Source of this description in regcat",
       r.provenance.source_file.empty()
           ? ""
           : r.provenance.source_file +
                 (r.provenance.format.empty() ? "" : " (" + r.provenance.format + ")") +
                 (r.provenance.recorded_at.empty() ? "" : ", " + r.provenance.recorded_at));
  add(g, ds, P(ns::dct, "provenance"), provenance);
  add(g, provenance, "a", iri(P(ns::dct, "ProvenanceStatement")));
  addText(g, provenance, P(ns::rdfs, "label"), sv, en);

  // Coding systems: those the code lists are bound to and those approved mappings point into.
  std::set<std::string> systems;
  for (const auto& c : doc.codelists)
    if (const std::string s = rdf::safeIri(c.system.uri); !s.empty()) systems.insert(s);
  for (const auto& m : approved)
    if (m.status == "approved" && !m.isNoMatch())
      if (const std::string s = rdf::safeIri(m.system); !s.empty()) systems.insert(s);
  for (const auto& s : systems) add(g, ds, P(ns::healthdcatap, "hasCodingSystem"), iri(s));

  // Distribution: the way to the data is a request to the CPUA, described on a web page.
  const Disclosure& dl = r.disclosure;
  add(g, ds, P(ns::dcat, "distribution"), distribution);
  add(g, distribution, "a", dcatType("Distribution"));
  addText(g, distribution, P(ns::dct, "title"),
          "Ansökan om utlämnande av uppgifter ur " + first({r.name.sv, r.name.en, r.id}),
          "Data access request: " + first({r.name.en, r.name.sv, r.id}));
  std::string dsv, den;
  if (!dl.decided_by.empty()) {
    dsv += "Utlämnande prövas av " + dl.decided_by + ".";
    den += "Requests are decided by " + dl.decided_by + ".";
  }
  if (!dl.lead_time.empty()) {
    dsv += (dsv.empty() ? "" : " ") + std::string("Handläggningstid: ") + dl.lead_time + ".";
    den += (den.empty() ? "" : " ") + std::string("Lead time: ") + dl.lead_time + ".";
  }
  if (!dl.contact.empty()) {
    dsv += (dsv.empty() ? "" : " ") + std::string("Kontakt: ") + dl.contact + ".";
    den += (den.empty() ? "" : " ") + std::string("Contact: ") + dl.contact + ".";
  }
  if (!dl.notes.empty()) dsv += (dsv.empty() ? "" : " ") + dl.notes;
  if (dsv.empty()) {
    dsv = "Uppgifter lämnas ut efter ansökan till registrets personuppgiftsansvariga (CPUA).";
    den = "Data are disclosed on request to the register's data controller (CPUA).";
  }
  addText(g, distribution, P(ns::dct, "description"), dsv, den);
  add(g, distribution, P(ns::dcat, "accessURL"), iri(requestUrl));
  add(g, distribution, P(ns::dct, "format"), iri(kFormatHtml));
  add(g, distribution, P(ns::dcat, "mediaType"), iri(kMediaHtml));
  add(g, distribution, P(ns::dcatap, "availability"), iri(kAvailabilityStable));
  for (const auto& law : {kGdpr, kEhds, kPdl})
    add(g, distribution, P(ns::dcatap, "applicableLegislation"), iri(law));

  // Variables: one CSVW table per dataset (logical record) with a column per current variable.
  const auto bindings = snomedBindings(approved);
  const auto current = currentVariables(doc.variables);
  static const std::vector<const Mapping*> none;
  bool anyTable = false;
  for (const auto& d : doc.datasets) {
    bool any = false;
    for (const auto& v : current) any = any || v.dataset_id == d.id;
    if (!any) continue;  // HealthDCAT-AP: a table has at least one column
    if (!anyTable) {
      add(g, ds, P(ns::healthdcatap, "hasVariables"), variables);
      add(g, variables, "a", iri(P(ns::csvw, "TableGroup")));
      anyTable = true;
    }
    const Term table = iri(dcatTableIri(o, r.id, d.id));
    add(g, variables, P(ns::csvw, "table"), table);
    add(g, table, "a", iri(P(ns::csvw, "Table")));
    addText(g, table, P(ns::dct, "title"), first({d.name.sv, d.name.en.empty() ? d.id : ""}),
            d.name.en);
    addText(g, table, P(ns::dct, "description"), d.description.sv, d.description.en);
    if (!d.unit_type.empty())
      add(g, table, P(ns::dcat, "keyword"), rdf::langText(d.unit_type, "sv"));
    for (const auto& v : current)
      if (v.dataset_id == d.id) add(g, table, P(ns::csvw, "column"), iri(dcatColumnIri(o, v)));
    for (const auto& v : current) {
      if (v.dataset_id != d.id) continue;
      const auto b = bindings.find(v.key());
      addColumn(g, v, b == bindings.end() ? none : b->second, o);
    }
  }
  return g;
}

rdf::Graph dcatVariableGraph(const Variable& v, const std::vector<Mapping>& approved,
                             const DcatOptions& o) {
  Graph g;
  add(g, iri(dcatTableIri(o, v.register_id, v.dataset_id)), P(ns::csvw, "column"),
      iri(dcatColumnIri(o, v)));
  const auto bindings = snomedBindings(approved);
  const auto b = bindings.find(v.key());
  addColumn(g, v, b == bindings.end() ? std::vector<const Mapping*>{} : b->second, o);
  return g;
}

rdf::Graph dcatCatalogGraph(const std::vector<Register>& registers, const DcatOptions& o) {
  Graph g;
  const Term cat = iri(dcatCatalogIri(o));
  const Term publisher = iri(dcatCatalogIri(o) + "#publisher");
  add(g, cat, "a", dcatType("Catalog"));
  addText(g, cat, P(ns::dct, "title"), o.catalog_title_sv, o.catalog_title_en);
  addText(g, cat, P(ns::dct, "description"),
          "Beskrivningar av nationella kvalitetsregister och deras variabler: ändamål, "
          "personuppgiftsansvarig (CPUA), täckningsgrad, hur uppgifter begärs ut och "
          "variablernas definitioner med kopplingar till SNOMED CT.",
          "Descriptions of Swedish national quality registers and their variables: purposes, data "
          "controller (CPUA), coverage, how to request data, and the variables' definitions with "
          "their SNOMED CT bindings.");
  add(g, cat, P(ns::dct, "publisher"), publisher);
  add(g, publisher, "a", iri(P(ns::foaf, "Agent")));
  add(g, publisher, P(ns::foaf, "name"), rdf::text(o.publisher.empty() ? "regcat" : o.publisher));
  add(g, cat, P(ns::dct, "language"), iri(kSwedish));
  add(g, cat, P(ns::dct, "language"), iri(kEnglish));
  add(g, cat, P(ns::dct, "spatial"), iri(kSweden));
  if (const std::string license = rdf::safeIri(o.license); !license.empty())
    add(g, cat, P(ns::dct, "license"), iri(license));
  add(g, cat, P(ns::dcat, "themeTaxonomy"), iri(kThemeScheme));
  add(g, cat, P(ns::dcatap, "applicableLegislation"), iri(kEhds));
  add(g, cat, P(ns::foaf, "homepage"), iri(o.base_uri + "/"));
  add(g, iri(o.base_uri + "/"), "a", iri(P(ns::foaf, "Document")));
  std::string issued, modified;
  for (const auto& r : registers) {
    if (!r.created_at.empty() && (issued.empty() || r.created_at < issued)) issued = r.created_at;
    if (r.updated_at > modified) modified = r.updated_at;
  }
  if (!issued.empty()) add(g, cat, P(ns::dct, "issued"), rdf::dateTime(issued));
  if (!modified.empty()) add(g, cat, P(ns::dct, "modified"), rdf::dateTime(modified));
  for (const auto& r : registers) add(g, cat, P(ns::dcat, "dataset"), iri(dcatDatasetIri(o, r.id)));
  return g;
}

size_t exportDcat(Store& store, MappingStore* mappings, const std::vector<std::string>& registerIds,
                  const DcatOptions& o, const std::vector<DcatOutput>& outputs) {
  std::vector<std::string> ids = registerIds;
  if (ids.empty())
    for (const auto& r : store.listRegisters()) ids.push_back(r.id);
  std::vector<rdf::Stream> streams(outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    streams[i].syntax = outputs[i].syntax;
    streams[i].out = outputs[i].out;
    rdf::begin(streams[i]);
  }
  // Each graph is built once and written in every syntax.
  auto write = [&](const Graph& g) {
    for (auto& s : streams) rdf::write(s, g);
  };
  write(dcatVocabularyGraph(o));
  // The approved mappings of several registers are read in one query and grouped here: one
  // query per register costs a pass over the mapping table each time (seconds at 150 registers).
  std::map<std::string, std::vector<Mapping>> byRegister;
  const bool oneQuery = mappings && ids.size() > 1;
  if (oneQuery)
    for (auto& m : approvedMappings(mappings, ""))
      byRegister[m.subject.register_id].push_back(std::move(m));
  std::vector<Register> written;
  for (const auto& id : ids) {
    RegisterDocument doc = loadRegisterDocument(store, id);
    if (doc.reg.id.empty()) continue;
    write(dcatDatasetGraph(doc, oneQuery ? byRegister[id] : approvedMappings(mappings, id), o));
    written.push_back(std::move(doc.reg));
  }
  // The catalogue node comes last: its dates are known once every register has been read.
  if (o.catalog) write(dcatCatalogGraph(written, o));
  for (auto& s : streams) rdf::end(s);
  return streams.empty() ? 0 : streams[0].triples;
}

size_t exportDcat(Store& store, MappingStore* mappings, const std::vector<std::string>& registerIds,
                  const DcatOptions& o, rdf::Syntax syntax, std::ostream& out) {
  return exportDcat(store, mappings, registerIds, o, {{syntax, &out}});
}

}  // namespace regcat
