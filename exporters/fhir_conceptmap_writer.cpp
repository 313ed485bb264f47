#include "exporters/fhir_conceptmap_writer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "catalog/errors.h"
#include "catalog/model.h"
#include "catalog/text.h"

namespace regcat {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, const char* k, const std::string& v) {
  w.Key(k);
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}

void optStr(Writer& w, const char* k, const std::string& v) {
  if (!v.empty()) str(w, k, v);
}

std::string trimBase(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

// FHIR strings may not be empty and codes may not hold leading, trailing or repeated white
// space; labels and codes from registers can, so they are normalised here.
std::string fhirCode(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// A FHIR string: no leading or trailing white space (inner line breaks are allowed).
std::string fhirString(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// The comment FHIR requires for narrower and inexact targets (constraint cmd-1) when the
// mapping has none of its own.
std::string targetComment(const Mapping& m, const std::string& equivalence) {
  if (!m.comment.empty()) return m.comment;
  if (equivalence == "narrower") return "skos:narrowMatch: the target concept is narrower.";
  if (equivalence == "inexact")
    return "skos:closeMatch: the meanings overlap but are not known to be the same.";
  return {};
}

std::string targetSystemUri(const std::string& system) {
  // SNOMED CT's implicit value set of all concepts.
  if (system == "http://snomed.info/sct") return "http://snomed.info/sct?fhir_vs";
  return system;
}

std::string fhirName(const std::string& registerId) {
  // Computable name: [A-Z]([A-Za-z0-9_]){0,254} (FHIR warning cmd-0).
  std::string n = "RegcatMappings_";
  for (char c : registerId) n += (c == '-') ? '_' : c;
  return n;
}

bool approved(const Mapping& m) {
  return m.status == "approved";
}

void coding(Writer& w, const std::string& system, const std::string& code,
            const std::string& display) {
  w.StartObject();
  str(w, "system", system);
  str(w, "code", code);
  optStr(w, "display", fhirCode(display));
  w.EndObject();
}

const char* swapped(const char* e) {
  const std::string s = e;
  if (s == "wider") return "narrower";
  if (s == "narrower") return "wider";
  return e;
}

}  // namespace

const char* fhirEquivalence(const Mapping& m) {
  if (m.isNoMatch()) return "unmatched";
  if (m.predicate == "skos:exactMatch") return "equivalent";
  // R4: inexact = "overlaps ... or it is uncertain whether they have the same boundaries",
  // which is what SKOS says of closeMatch; equivalent would claim more.
  if (m.predicate == "skos:closeMatch") return "inexact";
  // The object is broader than the subject: the target is wider.
  if (m.predicate == "skos:broadMatch") return "wider";
  if (m.predicate == "skos:narrowMatch") return "narrower";
  if (m.predicate == "skos:relatedMatch") return "relatedto";
  return "";
}

std::string conceptMapId(const std::string& registerId) {
  std::string id = registerId;
  std::replace(id.begin(), id.end(), '_', '.');
  return id;
}

std::string conceptMapUrl(const std::string& baseUri, const std::string& registerId) {
  return trimBase(baseUri) + "/fhir/ConceptMap/" + conceptMapId(registerId);
}

std::string fhirSourceSystem(const std::string& baseUri, const MappingSubject& s) {
  const std::string variables = trimBase(baseUri) + "/variables";
  return s.isCode() ? variables + "/" + s.variableKey() : variables;
}

std::string fhirSourceCode(const MappingSubject& s) {
  return s.isCode() ? fhirCode(s.code) : s.variableKey();
}

void writeConceptMap(std::ostream& out, const std::vector<Mapping>& mappings,
                     const ConceptMapOptions& opt) {
  out << conceptMapJson(mappings, opt);
}

std::string conceptMapJson(const std::vector<Mapping>& mappings, const ConceptMapOptions& opt) {
  if (!isValidRegisterId(opt.register_id))
    throw invalid("register", "'" + opt.register_id + "' is not a register id");
  const std::string base = trimBase(opt.base_uri);

  // group (source, target) -> element code -> targets, in a stable order.
  struct Element {
    std::string display;
    std::vector<const Mapping*> targets;
  };
  struct Group {
    std::map<std::string, Element> elements;
    std::vector<std::string> releases;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  std::vector<std::string> targetSystems;
  for (const auto& m : mappings) {
    if (!approved(m) || m.subject.register_id != opt.register_id || m.system.empty()) continue;
    Group& g = groups[{fhirSourceSystem(base, m.subject), m.system}];
    Element& e = g.elements[fhirSourceCode(m.subject)];
    if (e.display.empty()) e.display = fhirCode(m.subject_label);
    e.targets.push_back(&m);
    if (!m.release.empty() &&
        std::find(g.releases.begin(), g.releases.end(), m.release) == g.releases.end())
      g.releases.push_back(m.release);
    if (std::find(targetSystems.begin(), targetSystems.end(), m.system) == targetSystems.end())
      targetSystems.push_back(m.system);
  }

  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  str(w, "resourceType", "ConceptMap");
  str(w, "id", conceptMapId(opt.register_id));
  str(w, "url", conceptMapUrl(base, opt.register_id));
  str(w, "version", opt.version.empty() ? text::today() : opt.version);
  str(w, "name", fhirName(opt.register_id));
  str(w, "title",
      "Mappings of " + (opt.register_name.empty() ? opt.register_id : opt.register_name));
  str(w, "status", "active");
  w.Key("experimental");
  w.Bool(false);
  str(w, "date", opt.date.empty() ? text::now() : opt.date);
  optStr(w, "publisher", opt.publisher);
  str(w, "description",
      "Approved mappings of the register's variables and codes to terminology concepts, as "
      "curated in regcat.");
  str(w, "sourceUri", base + "/registers/" + opt.register_id);
  if (targetSystems.size() == 1) str(w, "targetUri", targetSystemUri(targetSystems[0]));
  if (!groups.empty()) {
    w.Key("group");
    w.StartArray();
    for (const auto& [systems, g] : groups) {
      w.StartObject();
      str(w, "source", systems.first);
      str(w, "target", systems.second);
      if (g.releases.size() == 1) optStr(w, "targetVersion", g.releases[0]);
      w.Key("element");
      w.StartArray();
      for (const auto& [code, e] : g.elements) {
        w.StartObject();
        str(w, "code", code);
        optStr(w, "display", e.display);
        std::vector<const Mapping*> targets = e.targets;
        std::stable_sort(targets.begin(), targets.end(), [](const Mapping* a, const Mapping* b) {
          return std::tie(a->concept_id, a->predicate) < std::tie(b->concept_id, b->predicate);
        });
        w.Key("target");
        w.StartArray();
        for (const Mapping* m : targets) {
          const std::string eq = fhirEquivalence(*m);
          w.StartObject();
          if (!m->isNoMatch()) {
            str(w, "code", fhirCode(m->concept_id));
            optStr(w, "display", fhirCode(m->concept_label));
          }
          str(w, "equivalence", eq);
          optStr(w, "comment", fhirString(targetComment(*m, eq)));
          w.EndObject();
        }
        w.EndArray();
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string translateResult(const std::vector<Mapping>& mappings, const TranslateOptions& opt) {
  const std::string base = trimBase(opt.base_uri);
  std::vector<const Mapping*> matches;
  for (const auto& m : mappings)
    if (approved(m) && !(opt.reverse && m.isNoMatch())) matches.push_back(&m);
  bool result = false;
  for (const Mapping* m : matches) result = result || !m->isNoMatch();

  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  str(w, "resourceType", "Parameters");
  w.Key("parameter");
  w.StartArray();
  w.StartObject();
  str(w, "name", "result");
  w.Key("valueBoolean");
  w.Bool(result);
  w.EndObject();
  std::string message = opt.message;
  if (message.empty()) {
    size_t real = 0;
    for (const Mapping* m : matches) real += !m->isNoMatch();
    if (result)
      message = std::to_string(real) + " approved mapping" + (real == 1 ? "" : "s") + " found.";
    else if (!matches.empty())
      message = "Reviewed: there is no concept for this in the target code system.";
    else
      message = "No approved mapping.";
  }
  w.StartObject();
  str(w, "name", "message");
  str(w, "valueString", message);
  w.EndObject();
  for (const Mapping* m : matches) {
    w.StartObject();
    str(w, "name", "match");
    w.Key("part");
    w.StartArray();
    const char* eq = fhirEquivalence(*m);
    w.StartObject();
    str(w, "name", "equivalence");
    str(w, "valueCode", opt.reverse ? swapped(eq) : eq);
    w.EndObject();
    if (!m->isNoMatch()) {
      w.StartObject();
      str(w, "name", "concept");
      w.Key("valueCoding");
      if (opt.reverse)
        coding(w, fhirSourceSystem(base, m->subject), fhirSourceCode(m->subject), m->subject_label);
      else
        coding(w, m->system, fhirCode(m->concept_id), m->concept_label);
      w.EndObject();
    }
    w.StartObject();
    str(w, "name", "source");
    str(w, "valueUri", conceptMapUrl(base, m->subject.register_id));
    w.EndObject();
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace regcat
