#include "exporters/schema_org_exporter.h"

#include <map>

#include "exporters/dcat_exporter.h"
#include "exporters/rdf_graph.h"
#include "exporters/regcat_json_exporter.h"

namespace regcat {
namespace {

void str(JsonWriter& w, const char* key, const std::string& value) {
  if (value.empty()) return;
  w.Key(key);
  writeString(w, rdf::cleanText(value));
}

void organisation(JsonWriter& w, const char* key, const std::string& name) {
  if (name.empty()) return;
  w.Key(key);
  w.StartObject();
  str(w, "@type", "Organization");
  str(w, "name", name);
  w.EndObject();
}

}  // namespace

std::string schemaOrgDataset(const RegisterDocument& doc, const std::vector<Mapping>& approved,
                             const SchemaOrgOptions& o) {
  const Register& r = doc.reg;
  DcatOptions d;
  d.base_uri = o.base_uri;
  const std::string uri = dcatDatasetIri(d, r.id);
  // The SNOMED CT concept a variable measures: its approved exact (else close) match.
  std::map<std::string, std::string> concepts;
  for (const char* pred : {"skos:closeMatch", "skos:exactMatch"})
    for (const auto& m : approved)
      if (m.status == "approved" && !m.subject.isCode() && !m.isNoMatch() &&
          m.system == "http://snomed.info/sct" && m.predicate == pred)
        concepts[m.subject.variableKey()] = snomedConceptIri(m.concept_id);

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  str(w, "@context", "https://schema.org");
  str(w, "@type", "Dataset");
  str(w, "@id", uri);
  str(w, "url", uri);
  str(w, "identifier", uri);
  str(w, "name", !r.name.sv.empty() ? r.name.sv : !r.name.en.empty() ? r.name.en : r.id);
  w.Key("alternateName");
  w.StartArray();
  for (const auto& a : {r.name.en, r.short_name})
    if (!a.empty() && a != r.name.sv) writeString(w, rdf::cleanText(a));
  w.EndArray();
  // Search engines want a description of some length; the population completes a short one.
  std::string description = r.description.sv.empty() ? r.description.en : r.description.sv;
  if (description.size() < 50 && !r.population.sv.empty())
    description += (description.empty() ? "" : " ") + r.population.sv;
  if (description.empty()) description = r.name.sv.empty() ? r.id : r.name.sv;
  str(w, "description", description);
  str(w, "inLanguage", "sv");
  if (!r.keywords.empty()) {
    w.Key("keywords");
    w.StartArray();
    for (const auto& k : r.keywords) writeString(w, rdf::cleanText(k));
    w.EndArray();
  }
  w.Key("isAccessibleForFree");
  w.Bool(false);
  std::string conditions = "Uppgifter lämnas ut efter ansökan";
  if (!r.disclosure.decided_by.empty())
    conditions += "; utlämnandet prövas av " + r.disclosure.decided_by;
  conditions += ".";
  if (!r.disclosure.notes.empty()) conditions += " " + r.disclosure.notes;
  str(w, "conditionsOfAccess", conditions);
  if (const std::string u = rdf::safeIri(r.disclosure.url); !u.empty()) str(w, "usageInfo", u);
  if (const std::string h = rdf::safeIri(r.homepage); !h.empty()) str(w, "sameAs", h);
  organisation(w, "creator", r.cpua.name);
  organisation(w, "publisher", r.cpua.name);
  organisation(w, "provider", r.register_centre);
  if (!r.registerhallare.name.empty()) {
    w.Key("maintainer");
    w.StartObject();
    str(w, "@type", "Person");
    str(w, "name", r.registerhallare.name);
    str(w, "email", r.registerhallare.email);
    organisation(w, "affiliation", r.registerhallare.organisation);
    w.EndObject();
  }
  std::string start;
  for (const auto& ds : doc.datasets)
    if (!ds.coverage_start.empty() && (start.empty() || ds.coverage_start < start))
      start = ds.coverage_start;
  if (start.empty() && r.start_year) start = std::to_string(*r.start_year);
  if (!start.empty()) str(w, "temporalCoverage", start + "/..");
  w.Key("spatialCoverage");
  w.StartObject();
  str(w, "@type", "Place");
  str(w, "name", "Sverige");
  w.Key("address");
  w.StartObject();
  str(w, "@type", "PostalAddress");
  str(w, "addressCountry", "SE");
  w.EndObject();
  w.EndObject();
  str(w, "dateCreated", r.created_at);
  str(w, "dateModified", r.updated_at);
  w.Key("includedInDataCatalog");
  w.StartObject();
  str(w, "@type", "DataCatalog");
  str(w, "name", o.catalog_name);
  str(w, "url", o.base_uri + "/");
  w.EndObject();
  const auto current = currentVariables(doc.variables);
  if (!current.empty()) {
    w.Key("variableMeasured");
    w.StartArray();
    for (const auto& v : current) {
      w.StartObject();
      str(w, "@type", "PropertyValue");
      str(w, "name", !v.label.sv.empty() ? v.label.sv : v.name);
      str(w, "alternateName", v.name);
      str(w, "description", v.definition.sv);
      str(w, "url", dcatColumnIri(d, v));
      const auto c = concepts.find(v.key());
      if (c != concepts.end()) str(w, "propertyID", c->second);
      str(w, "unitText", v.unit);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace regcat
