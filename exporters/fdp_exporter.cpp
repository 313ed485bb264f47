#include "exporters/fdp_exporter.h"

#include "exporters/dcat_exporter.h"

namespace regcat {
namespace {

using rdf::add;
using rdf::Graph;
using rdf::iri;
using rdf::Term;
namespace ns = rdf::ns;

std::string P(const char* nsIri, const char* local) {
  return std::string(nsIri) + local;
}

const std::string kFdpSpec = "https://specs.fairdatapoint.org/fdp-specs-v1.2.html";
const std::string kLangEn = "http://id.loc.gov/vocabulary/iso639-1/en";
const std::string kLangSv = "http://id.loc.gov/vocabulary/iso639-1/sv";
const std::string kThemeHealth = "http://publications.europa.eu/resource/authority/data-theme/HEAL";
const std::string kThemeScheme = "http://publications.europa.eu/resource/authority/data-theme";
const std::string kNonPublic =
    "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC";

DcatOptions dcatOptions(const FdpOptions& o) {
  DcatOptions d;
  d.base_uri = o.base_uri;
  return d;
}

// One literal for FDP's single-valued title and description: English when there is English.
Term preferred(const std::string& sv, const std::string& en) {
  return en.empty() ? rdf::langText(sv, "sv") : rdf::langText(en, "en");
}

std::string datePart(const std::string& dateTime) {
  return dateTime.substr(0, 10);
}

// The metadata-record bookkeeping every FDP record carries: identifier, record dates, parent.
void record(Graph& g, const Term& s, const std::string& issued, const std::string& modified,
            const std::string& parent) {
  const Term id = iri(s.value + "#identifier");
  add(g, s, P(ns::fdpo, "metadataIdentifier"), id);
  add(g, id, "a", iri(P(ns::datacite, "Identifier")));
  add(g, id, P(ns::dct, "identifier"), rdf::text(s.value));
  if (!issued.empty()) {
    add(g, s, P(ns::fdpo, "metadataIssued"), rdf::dateTime(issued));
    add(g, s, P(ns::dct, "issued"), rdf::dateTime(issued));
  }
  if (!modified.empty()) {
    add(g, s, P(ns::fdpo, "metadataModified"), rdf::dateTime(modified));
    add(g, s, P(ns::dct, "modified"), rdf::dateTime(modified));
  }
  if (!parent.empty()) add(g, s, P(ns::dct, "isPartOf"), iri(parent));
}

// The LDP container of a record's children: `relation` is the membership predicate.
void container(Graph& g, const std::string& parent, const std::string& name,
               const std::string& title, const std::string& relation,
               const std::vector<std::string>& children) {
  const Term c = iri(parent + "#" + name);
  add(g, c, "a", iri(P(ns::ldp, "DirectContainer")));
  add(g, c, P(ns::dct, "title"), rdf::langText(title, "en"));
  add(g, c, P(ns::ldp, "membershipResource"), iri(parent));
  add(g, c, P(ns::ldp, "hasMemberRelation"), iri(relation));
  for (const auto& child : children) add(g, c, P(ns::ldp, "contains"), iri(child));
}

void publisher(Graph& g, const Term& s, const std::string& agentIri, const std::string& name) {
  add(g, s, P(ns::dct, "publisher"), iri(agentIri));
  add(g, iri(agentIri), "a", iri(P(ns::foaf, "Agent")));
  add(g, iri(agentIri), P(ns::foaf, "name"), rdf::text(name));
}

std::pair<std::string, std::string> dates(const std::vector<Register>& registers) {
  std::string issued, modified;
  for (const auto& r : registers) {
    if (!r.created_at.empty() && (issued.empty() || r.created_at < issued)) issued = r.created_at;
    if (r.updated_at > modified) modified = r.updated_at;
  }
  return {issued, modified};
}

std::string registerVersion(const Register& r) {
  // A register description has no version number of its own; the day it last changed is one.
  return r.updated_at.empty() ? "1" : datePart(r.updated_at);
}

}  // namespace

std::string fdpRootIri(const FdpOptions& o) {
  return o.base_uri + "/fdp";
}

std::string fdpCatalogIri(const FdpOptions& o) {
  return o.base_uri + "/fdp/catalog/registers";
}

std::string fdpDatasetIri(const FdpOptions& o, const std::string& registerId) {
  return o.base_uri + "/fdp/dataset/" + rdf::iriSegment(registerId);
}

std::string fdpDistributionIri(const FdpOptions& o, const std::string& registerId) {
  return o.base_uri + "/fdp/distribution/" + rdf::iriSegment(registerId) + "/data-request";
}

rdf::Graph fdpRootGraph(const std::vector<Register>& registers, const FdpOptions& o) {
  Graph g;
  const Term fdp = iri(fdpRootIri(o));
  for (const char* t : {"FAIRDataPoint", "MetadataService"}) add(g, fdp, "a", iri(P(ns::fdpo, t)));
  add(g, fdp, "a", iri(P(ns::dcat, "DataService")));
  add(g, fdp, "a", iri(P(ns::dcat, "Resource")));
  add(g, fdp, P(ns::dct, "title"), rdf::langText(o.title, "en"));
  add(g, fdp, P(ns::dct, "description"),
      rdf::langText("Metadata of Swedish national quality registers (nationella kvalitetsregister) "
                    "and their variables, served by regcat.",
                    "en"));
  publisher(g, fdp, fdpRootIri(o) + "#publisher", o.publisher.empty() ? "regcat" : o.publisher);
  add(g, fdp, P(ns::dcat, "version"), rdf::text(o.software_version));
  add(g, fdp, P(ns::dct, "language"), iri(kLangEn));
  if (const std::string l = rdf::safeIri(o.license); !l.empty())
    add(g, fdp, P(ns::dct, "license"), iri(l));
  add(g, fdp, P(ns::dct, "conformsTo"), iri(kFdpSpec));
  add(g, fdp, P(ns::fdpo, "conformsToFdpSpec"), iri(kFdpSpec));
  add(g, fdp, P(ns::fdpo, "hasSoftwareVersion"), rdf::text("regcat " + o.software_version));
  add(g, fdp, P(ns::fdpo, "uiLanguage"), iri(kLangEn));
  add(g, fdp, P(ns::dcat, "endpointURL"), iri(fdpRootIri(o)));
  const auto [issued, modified] = dates(registers);
  if (!issued.empty()) add(g, fdp, P(ns::fdpo, "startDate"), rdf::date(datePart(issued)));
  record(g, fdp, issued, modified, "");
  add(g, fdp, P(ns::fdpo, "metadataCatalog"), iri(fdpCatalogIri(o)));
  container(g, fdpRootIri(o), "catalogs", "Catalogs", P(ns::fdpo, "metadataCatalog"),
            {fdpCatalogIri(o)});
  return g;
}

rdf::Graph fdpCatalogGraph(const std::vector<Register>& registers, const FdpOptions& o) {
  Graph g;
  const Term cat = iri(fdpCatalogIri(o));
  add(g, cat, "a", iri(P(ns::dcat, "Catalog")));
  add(g, cat, "a", iri(P(ns::dcat, "Resource")));
  add(g, cat, P(ns::dct, "title"), rdf::langText("Swedish national quality registers", "en"));
  add(g, cat, P(ns::rdfs, "label"), rdf::langText("Nationella kvalitetsregister", "sv"));
  add(g, cat, P(ns::dct, "description"),
      rdf::langText("The national quality registers described in regcat: purposes, data "
                    "controller (CPUA), coverage, how to request data, and their variables.",
                    "en"));
  publisher(g, cat, fdpRootIri(o) + "#publisher", o.publisher.empty() ? "regcat" : o.publisher);
  add(g, cat, P(ns::dcat, "version"), rdf::text(o.software_version));
  add(g, cat, P(ns::dct, "language"), iri(kLangEn));
  if (const std::string l = rdf::safeIri(o.license); !l.empty())
    add(g, cat, P(ns::dct, "license"), iri(l));
  // FDP's catalogue shape spells it foaf:homePage.
  add(g, cat, P(ns::foaf, "homePage"), iri(o.base_uri + "/"));
  add(g, cat, P(ns::dcat, "themeTaxonomy"), iri(kThemeScheme));
  add(g, cat, P(ns::rdfs, "seeAlso"), iri(dcatCatalogIri(dcatOptions(o))));
  const auto [issued, modified] = dates(registers);
  record(g, cat, issued, modified, fdpRootIri(o));
  std::vector<std::string> children;
  for (const auto& r : registers) {
    children.push_back(fdpDatasetIri(o, r.id));
    add(g, cat, P(ns::dcat, "dataset"), iri(children.back()));
  }
  container(g, fdpCatalogIri(o), "datasets", "Datasets", P(ns::dcat, "dataset"), children);
  return g;
}

rdf::Graph fdpDatasetGraph(const Register& r, const FdpOptions& o) {
  Graph g;
  const DcatOptions d = dcatOptions(o);
  const std::string persistent = dcatDatasetIri(d, r.id);
  const Term ds = iri(fdpDatasetIri(o, r.id));
  add(g, ds, "a", iri(P(ns::dcat, "Dataset")));
  add(g, ds, "a", iri(P(ns::dcat, "Resource")));
  add(g, ds, P(ns::dct, "title"), preferred(r.name.sv.empty() ? r.id : r.name.sv, r.name.en));
  rdf::addText(g, ds, P(ns::rdfs, "label"), r.name.sv, r.name.en);
  if (!r.description.sv.empty() || !r.description.en.empty())
    add(g, ds, P(ns::dct, "description"), preferred(r.description.sv, r.description.en));
  publisher(g, ds, persistent + "#cpua", r.cpua.name.empty() ? r.id : r.cpua.name);
  add(g, ds, P(ns::dcat, "version"), rdf::text(registerVersion(r)));
  add(g, ds, P(ns::dct, "language"), iri(kLangSv));
  add(g, ds, P(ns::dct, "accessRights"), iri(kNonPublic));
  add(g, ds, P(ns::dcat, "theme"), iri(kThemeHealth));
  for (const auto& k : r.keywords) add(g, ds, P(ns::dcat, "keyword"), rdf::langText(k, "sv"));
  add(g, ds, P(ns::dcat, "landingPage"), iri(persistent));
  add(g, ds, P(ns::rdfs, "seeAlso"), iri(persistent));
  // The contact point is the one of the DCAT-AP description (same IRI, same statements).
  const Term contact = iri(persistent + "#contact");
  add(g, ds, P(ns::dcat, "contactPoint"), contact);
  add(g, contact, "a", iri(P(ns::vcard, "Kind")));
  const Contact& rh = r.registerhallare;
  add(g, contact, P(ns::vcard, "fn"),
      rdf::text(!rh.name.empty()           ? rh.name
                : !rh.organisation.empty() ? rh.organisation
                                           : r.id));
  if (const std::string mail = rdf::mailtoIri(rh.email); !mail.empty())
    add(g, contact, P(ns::vcard, "hasEmail"), iri(mail));
  record(g, ds, r.created_at, r.updated_at, fdpCatalogIri(o));
  add(g, ds, P(ns::dcat, "distribution"), iri(fdpDistributionIri(o, r.id)));
  container(g, ds.value, "distributions", "Distributions", P(ns::dcat, "distribution"),
            {fdpDistributionIri(o, r.id)});
  return g;
}

rdf::Graph fdpDistributionGraph(const Register& r, const FdpOptions& o) {
  Graph g;
  const DcatOptions d = dcatOptions(o);
  const std::string persistent = dcatDatasetIri(d, r.id);
  const Term dist = iri(fdpDistributionIri(o, r.id));
  add(g, dist, "a", iri(P(ns::dcat, "Distribution")));
  add(g, dist, "a", iri(P(ns::dcat, "Resource")));
  const std::string name = !r.name.en.empty() ? r.name.en : !r.name.sv.empty() ? r.name.sv : r.id;
  add(g, dist, P(ns::dct, "title"), rdf::langText("Data access request: " + name, "en"));
  std::string desc = "Data are disclosed on request to the register's data controller (CPUA)";
  if (!r.disclosure.decided_by.empty())
    desc += "; requests are decided by " + r.disclosure.decided_by;
  if (!r.disclosure.lead_time.empty()) desc += "; lead time " + r.disclosure.lead_time;
  add(g, dist, P(ns::dct, "description"), rdf::langText(desc + ".", "en"));
  publisher(g, dist, persistent + "#cpua", r.cpua.name.empty() ? r.id : r.cpua.name);
  add(g, dist, P(ns::dcat, "version"), rdf::text(registerVersion(r)));
  add(g, dist, P(ns::dct, "language"), iri(kLangSv));
  std::string url = rdf::safeIri(r.disclosure.url);
  if (url.empty()) url = rdf::safeIri(r.homepage);
  if (url.empty()) url = persistent;
  add(g, dist, P(ns::dcat, "accessURL"), iri(url));
  add(g, dist, P(ns::dcat, "mediaType"), rdf::text("text/html"));
  record(g, dist, r.created_at, r.updated_at, fdpDatasetIri(o, r.id));
  return g;
}

}  // namespace regcat
