// Building the RutDocument: the GSIM cascade derived from the catalogue's instance variables.
// The serialisers are in rut_writers.cpp and ddi_lifecycle_exporter.cpp.
#include "exporters/rut_adapter.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"
#include "mapping/mapping_store.h"

namespace regcat {
namespace {

constexpr const char* kSnomed = "http://snomed.info/sct";

std::string hex8(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

// FNV-1a: a short, stable id for a code system URI that has no alias.
uint32_t fnv1a(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

std::string number(double d) {
  std::ostringstream o;
  o.precision(17);
  o << d;
  return o.str();
}

// A readable, stable slug of a unit type ("vårdtillfälle" -> "vardtillfalle").
std::string slugOf(const std::string& s) {
  std::string out;
  for (char c : text::foldDiacritics(s)) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum)
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "unit" : out;
}

std::string join(const std::vector<std::string>& v, char sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : std::string(1, sep)) + x;
  return s;
}

}  // namespace

// --- identifiers ---

std::string ddiIdPart(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
      out += char(c);
    } else if (c == '.') {
      out += '@';
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "$%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string ddiUrn(const std::string& agency, const std::string& id, int version) {
  return "urn:ddi:" + agency + ":" + id + ":" + std::to_string(version < 1 ? 1 : version);
}

std::string ddiVariableId(const Variable& v) {
  return "V-" + ddiIdPart(v.register_id) + "-" + ddiIdPart(v.dataset_id) + "-" + ddiIdPart(v.name);
}

std::string ddiRegisterId(const std::string& registerId) {
  return "SU-" + ddiIdPart(registerId);
}

std::string rutSystemId(const std::string& uri) {
  for (const char* alias : {"sct", "ni", "icd10se", "kva", "atc"})
    if (systemUri(alias) == uri) return alias;
  return "cs-" + hex8(fnv1a(uri));
}

std::string rutSystemName(const std::string& uri) {
  const std::string id = rutSystemId(uri);
  if (id == "sct") return "SNOMED CT";
  if (id == "ni") return "NI (Socialstyrelsens nationella informationsstruktur)";
  if (id == "icd10se") return "ICD-10-SE";
  if (id == "kva") return "KVÅ";
  if (id == "atc") return "ATC";
  return uri;
}

std::string rutConceptId(const std::string& systemUri, const std::string& code) {
  return rutSystemId(systemUri) + ":" + code;
}

std::string rutConceptUri(const std::string& systemUri, const std::string& code) {
  if (systemUri == kSnomed) return "http://snomed.info/id/" + code;
  return {};
}

const RutValueDomain* RutRegister::valueDomain(const std::string& id) const {
  auto it = value_domain_index.find(id);
  return it == value_domain_index.end() ? nullptr : &value_domains[it->second];
}

// --- concept systems ---

std::vector<RutConceptSystem> buildRutConceptSystems(const std::vector<Mapping>& approved) {
  std::map<std::string, RutConceptSystem> byId;
  std::map<std::string, std::map<std::string, RutConcept>> concepts;  // system id -> code -> c
  for (const auto& m : approved) {
    if (m.status != "approved" || m.isNoMatch() || m.concept_id.empty()) continue;
    const std::string sid = rutSystemId(m.system);
    auto& sys = byId[sid];
    if (sys.id.empty()) {
      sys.id = sid;
      sys.uri = m.system;
      sys.name = rutSystemName(m.system);
    }
    if (!m.release.empty() &&
        std::find(sys.versions.begin(), sys.versions.end(), m.release) == sys.versions.end())
      sys.versions.push_back(m.release);
    auto& c = concepts[sid][m.concept_id];
    if (c.id.empty()) {
      c.id = rutConceptId(m.system, m.concept_id);
      c.system = m.system;
      c.code = m.concept_id;
      c.uri = rutConceptUri(m.system, m.concept_id);
    }
    if (c.label.empty()) c.label = m.concept_label;
  }
  std::vector<RutConceptSystem> out;
  for (auto& [sid, sys] : byId) {
    std::sort(sys.versions.begin(), sys.versions.end());
    for (auto& [code, c] : concepts[sid]) sys.concepts.push_back(std::move(c));
    out.push_back(std::move(sys));
  }
  return out;
}

// --- one register ---

RutRegister buildRutRegister(const RegisterDocument& doc, const std::vector<Mapping>& approved,
                             const RutOptions& opt) {
  RutRegister r;
  r.reg = doc.reg;
  r.uri = opt.ctx.registerUri(doc.reg.id);

  // Approved mappings of this register's variables and codes.
  std::unordered_map<std::string, std::vector<std::string>> varConcepts, exactConcepts;
  std::unordered_map<std::string, std::vector<std::pair<std::string, std::vector<std::string>>>>
      codeConcepts;  // variable key -> code -> concepts
  for (const auto& m : approved) {
    if (m.status != "approved" || m.isNoMatch() || m.subject.register_id != doc.reg.id) continue;
    const std::string target = rutConceptId(m.system, m.concept_id);
    RutMapping rm;
    rm.subject = m.subject.key();
    rm.subject_uri = opt.ctx.variableUri(m.subject.variableKey()) +
                     (m.subject.isCode() ? "#" + m.subject.code : std::string());
    rm.object = target;
    rm.predicate = m.predicate;
    rm.justification = m.justification;
    rm.author = m.author;
    rm.reviewer = m.reviewer;
    rm.reviewed_at = m.reviewed_at;
    rm.release = m.release;
    rm.confidence = m.confidence;
    r.mappings.push_back(std::move(rm));
    if (auto& c = r.concepts[target]; c.id.empty())
      c = {target, m.system, m.concept_id, m.concept_label, rutConceptUri(m.system, m.concept_id)};
    const std::string key = m.subject.variableKey();
    if (m.subject.isCode()) {
      auto& codes = codeConcepts[key];
      auto it = std::find_if(codes.begin(), codes.end(),
                             [&](const auto& p) { return p.first == m.subject.code; });
      if (it == codes.end()) {
        codes.push_back({m.subject.code, {}});
        it = codes.end() - 1;
      }
      it->second.push_back(target);
    } else {
      varConcepts[key].push_back(target);
      if (m.predicate == "skos:exactMatch") exactConcepts[key].push_back(target);
    }
  }
  std::sort(r.mappings.begin(), r.mappings.end(), [](const RutMapping& a, const RutMapping& b) {
    return std::tie(a.subject, a.object) < std::tie(b.subject, b.object);
  });

  // Unit types: the register's, then any a dataset names that the register does not.
  std::map<std::string, std::string> unitTypeId;  // label -> id
  std::set<std::string> slugs;
  auto unitType = [&](const std::string& label) -> std::string {
    if (label.empty()) return {};
    if (auto it = unitTypeId.find(label); it != unitTypeId.end()) return it->second;
    std::string slug = slugOf(label);
    for (int n = 2; slugs.count(slug); ++n) slug = slugOf(label) + "-" + std::to_string(n);
    slugs.insert(slug);
    RutUnitType u;
    u.slug = slug;
    u.id = doc.reg.id + "#unit-type-" + slug;
    u.label = label;
    r.unit_types.push_back(u);
    unitTypeId[label] = u.id;
    return u.id;
  };
  for (const auto& u : doc.reg.unit_types) r.population.unit_types.push_back(unitType(u));
  r.population.id = doc.reg.id + "#population";
  r.population.description = doc.reg.population;
  std::map<std::string, std::string> datasetUnitType;
  std::map<std::string, size_t> datasetIndex;
  for (const auto& d : doc.datasets) {
    RutDataset rd;
    rd.dataset = d;
    rd.uri = opt.ctx.registerUri(d.register_id) + "/datasets/" + d.id;
    rd.unit_type = unitType(d.unit_type);
    datasetUnitType[d.id] = rd.unit_type;
    datasetIndex[d.id] = r.datasets.size();
    r.datasets.push_back(std::move(rd));
  }
  if (r.population.unit_types.empty())
    for (const auto& u : r.unit_types) r.population.unit_types.push_back(u.id);

  std::map<std::string, const CodeList*> lists;
  for (const auto& c : doc.codelists) lists[c.id] = &c;

  // Value domains, conceptual and represented variables, first come first named.
  std::map<std::string, size_t> vdByKey, cvByKey, rvByKey;
  std::map<std::string, std::vector<const Variable*>> listUsers;  // code list -> variables
  int registerVersion = 0;
  for (const auto& v : doc.variables) {
    RutInstanceVariable iv;
    iv.var = v;
    iv.uri = opt.ctx.variableUri(v.key());
    iv.urn = ddiUrn(opt.agency, ddiVariableId(v), v.version);
    iv.unit_type = datasetUnitType.count(v.dataset_id) ? datasetUnitType[v.dataset_id] : "";
    if (auto it = varConcepts.find(v.key()); it != varConcepts.end()) iv.concepts = it->second;
    if (auto it = codeConcepts.find(v.key()); it != codeConcepts.end())
      iv.code_concepts = it->second;
    iv.identifiers = {{"regcat", v.key()}, {"uri", iv.uri}, {"ddi-urn", iv.urn}};
    for (const auto& a : v.aliases) iv.identifiers.push_back({"alias", a});
    registerVersion += std::max(v.version, 1);

    // Value domain.
    std::string vdKey;
    if (v.datatype == "code" && !v.codelist.empty()) {
      vdKey = "enumerated\x1f" + v.codelist;
      listUsers[v.codelist].push_back(&v);
    } else {
      vdKey = "described\x1f" + v.datatype + "\x1f" + v.unit + "\x1f" +
              (v.min ? number(*v.min) : "") + "\x1f" + (v.max ? number(*v.max) : "") + "\x1f" +
              v.format;
    }
    auto vd = vdByKey.find(vdKey);
    if (vd == vdByKey.end()) {
      RutValueDomain d;
      d.datatype = v.datatype;
      if (v.datatype == "code" && !v.codelist.empty()) {
        d.kind = "enumerated";
        d.id = v.codelist;
        if (auto it = lists.find(v.codelist); it != lists.end()) {
          CodeList c = *it->second;
          for (const auto& item : c.items) d.codes.push_back({item, {}});
          c.items.clear();
          d.codelist = std::move(c);
        }
      } else {
        d.kind = "described";
        d.id = v.key();
        d.unit = v.unit;
        d.min = v.min;
        d.max = v.max;
        d.format = v.format;
      }
      vd = vdByKey.emplace(vdKey, r.value_domains.size()).first;
      r.value_domain_index.emplace(d.id, r.value_domains.size());
      r.value_domains.push_back(std::move(d));
    }
    iv.value_domain = r.value_domains[vd->second].id;

    // Conceptual variable: what is measured, of which unit type, meaning which concept.
    const auto exact =
        exactConcepts.count(v.key()) ? exactConcepts[v.key()] : std::vector<std::string>{};
    const std::string cvKey = v.name + "\x1f" + v.label.sv + "\x1f" + v.label.en + "\x1f" +
                              v.definition.sv + "\x1f" + v.definition.en + "\x1f" + iv.unit_type +
                              "\x1f" + join(exact, ' ');
    auto cv = cvByKey.find(cvKey);
    if (cv == cvByKey.end()) {
      RutConceptualVariable c;
      c.id = v.key();
      c.name = v.name;
      c.label = v.label;
      c.definition = v.definition;
      c.unit_type = iv.unit_type;
      c.concepts = exact;
      cv = cvByKey.emplace(cvKey, r.conceptual_variables.size()).first;
      r.conceptual_variables.push_back(std::move(c));
    }
    auto& cvar = r.conceptual_variables[cv->second];
    cvar.version = std::max(cvar.version, v.version);
    iv.conceptual_variable = cvar.id;

    // Represented variable: the conceptual variable in a value domain, with its sentinels.
    std::string rvKey = cvar.id + "\x1f" + iv.value_domain;
    for (const auto& m : v.missing_codes)
      rvKey += "\x1f" + m.code + "=" + m.label.sv + "/" + m.label.en;
    auto rv = rvByKey.find(rvKey);
    if (rv == rvByKey.end()) {
      RutRepresentedVariable rep;
      rep.id = v.key();
      rep.name = v.name;
      rep.label = v.label;
      rep.definition = v.definition;
      rep.conceptual_variable = cvar.id;
      rep.value_domain = iv.value_domain;
      rep.missing_codes = v.missing_codes;
      rv = rvByKey.emplace(rvKey, r.represented_variables.size()).first;
      r.represented_variables.push_back(std::move(rep));
    }
    auto& rvar = r.represented_variables[rv->second];
    rvar.version = std::max(rvar.version, v.version);
    iv.represented_variable = rvar.id;

    if (auto d = datasetIndex.find(v.dataset_id); d != datasetIndex.end())
      r.datasets[d->second].variables.push_back(r.instance_variables.size());
    r.instance_variables.push_back(std::move(iv));
  }

  // A code's concept, when every variable that uses its list agrees on exactly one.
  for (auto& d : r.value_domains) {
    if (d.kind != "enumerated") continue;
    const auto& users = listUsers[d.id];
    for (auto& code : d.codes) {
      std::set<std::string> seen;
      bool consistent = !users.empty();
      for (const Variable* v : users) {
        std::vector<std::string> cs;
        if (auto it = codeConcepts.find(v->key()); it != codeConcepts.end())
          for (const auto& [c, ids] : it->second)
            if (c == code.item.code) cs = ids;
        if (cs.size() != 1) consistent = false;
        seen.insert(cs.begin(), cs.end());
      }
      if (consistent && seen.size() == 1) code.concepts = {*seen.begin()};
    }
    if (d.codelist) registerVersion += std::max(d.codelist->version, 1);
  }

  r.version = std::max(registerVersion, 1);
  r.urn = ddiUrn(opt.agency, ddiRegisterId(doc.reg.id), r.version);
  r.identifiers = {{"regcat", doc.reg.id}, {"uri", r.uri}, {"ddi-urn", r.urn}};
  return r;
}

// --- loading ---

std::vector<std::string> exportRegisterIds(Store& store, const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  if (ids.empty()) {
    for (const auto& r : store.listRegisters()) out.push_back(r.id);
    return out;
  }
  for (const auto& id : ids) {
    if (!store.getRegister(id)) throw notFound("register", "register '" + id + "' not found");
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

RegisterDocument loadRutSource(Store& store, const std::string& registerId) {
  RegisterDocument doc = loadRegisterDocument(store, registerId);
  if (doc.reg.id.empty()) throw notFound("register", "register '" + registerId + "' not found");
  std::set<std::string> have;
  for (const auto& c : doc.codelists) have.insert(c.id);
  // A variable may use a shared code list, or one of another register.
  for (const auto& v : doc.variables)
    if (!v.codelist.empty() && !have.count(v.codelist)) {
      have.insert(v.codelist);
      if (auto c = store.getCodeList(v.codelist)) doc.codelists.push_back(std::move(*c));
    }
  return doc;
}

MappingsByRegister groupByRegister(const std::vector<Mapping>& approved) {
  MappingsByRegister out;
  for (const auto& m : approved) out[m.subject.register_id].push_back(m);
  return out;
}

RutRegister loadRutRegister(Store& store, const std::string& registerId,
                            const MappingsByRegister& approved, const RutOptions& opt) {
  static const std::vector<Mapping> kNone;
  const auto it = approved.find(registerId);
  return buildRutRegister(loadRutSource(store, registerId),
                          it == approved.end() ? kNone : it->second, opt);
}

RutRegister loadRutShell(Store& store, const std::string& registerId, const RutOptions& opt) {
  RegisterDocument doc;
  auto reg = store.getRegister(registerId);
  if (!reg) throw notFound("register", "register '" + registerId + "' not found");
  doc.reg = std::move(*reg);
  doc.datasets = store.listDatasets(registerId);
  return buildRutRegister(doc, {}, opt);
}

}  // namespace regcat
