// FHIR R4 terminology operations under /fhir, answered from the terminology store, so that FHIR
// tooling can use regcat as its terminology server: CodeSystem $lookup, $subsumes and
// $validate-code, ValueSet $expand for implicit SNOMED CT value sets (ecl/, isa/, refset/),
// and the CapabilityStatement at /fhir/metadata.
#include <random>

#include "catalog/store.h"
#include "catalog/text.h"
#include "exporters/fhir_conceptmap_writer.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"
#include "web/api.h"
#include "web/api_util.h"

namespace regcat::web {
namespace {

constexpr const char* kFhirJson = "application/fhir+json; charset=utf-8";

Response fhirJson(int status, std::string body) {
  Response r = json(status, std::move(body));
  r.content_type = kFhirJson;
  return r;
}

Response outcome(int status, const char* code, const std::string& message) {
  return fhirJson(status, write([&](JsonWriter& w) {
                    w.StartObject();
                    w.Key("resourceType");
                    w.String("OperationOutcome");
                    w.Key("issue");
                    w.StartArray();
                    w.StartObject();
                    w.Key("severity");
                    w.String("error");
                    w.Key("code");
                    w.String(code);
                    w.Key("diagnostics");
                    writeString(w, message);
                    w.EndObject();
                    w.EndArray();
                    w.EndObject();
                  }));
}

void param(JsonWriter& w, const char* name, const char* valueType, const std::string& value) {
  w.StartObject();
  w.Key("name");
  w.String(name);
  w.Key(valueType);
  writeString(w, value);
  w.EndObject();
}

void paramBool(JsonWriter& w, const char* name, bool value) {
  w.StartObject();
  w.Key("name");
  w.String(name);
  w.Key("valueBoolean");
  w.Bool(value);
  w.EndObject();
}

std::string uuid() {
  std::random_device rd;
  std::mt19937_64 g(rd());
  const uint64_t a = g(), b = g();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", unsigned(a >> 32),
                unsigned(a >> 16) & 0xffff, unsigned(a) & 0xfff,
                unsigned((b >> 48) & 0x3fff) | 0x8000,
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

std::string displayLanguage(const Request& req) {
  std::string l = req.param("displayLanguage").value_or("sv");
  // sv, sv-SE and the SNOMED-style sv-X-46011000052107 all mean Swedish.
  return l.rfind("en", 0) == 0 ? "en" : "sv";
}

}  // namespace

Response Api::fhir(const Request& req) {
  const auto& s = req.segments;  // fhir ...
  if (req.method != "GET" && req.method != "HEAD") return methodNotAllowed("GET, HEAD");
  auto& term = *terminology_;
  if (s.size() == 2 && s[1] == "metadata") {
    return fhirJson(
        200, write([&](JsonWriter& w) {
          w.StartObject();
          w.Key("resourceType");
          w.String("CapabilityStatement");
          w.Key("status");
          w.String("active");
          w.Key("date");
          writeString(w, text::today());
          w.Key("publisher");
          w.String("regcat");
          w.Key("kind");
          w.String("instance");
          w.Key("software");
          w.StartObject();
          w.Key("name");
          w.String("regcat");
          w.Key("version");
          w.String("0.1.0");
          w.EndObject();
          w.Key("implementation");
          w.StartObject();
          w.Key("description");
          w.String("regcat terminology service");
          w.Key("url");
          writeString(w, opt_.base_uri + "/fhir");
          w.EndObject();
          w.Key("fhirVersion");
          w.String("4.0.1");
          w.Key("format");
          w.StartArray();
          w.String("json");
          w.EndArray();
          w.Key("rest");
          w.StartArray();
          w.StartObject();
          w.Key("mode");
          w.String("server");
          w.Key("resource");
          w.StartArray();
          auto resource = [&](const char* type, std::initializer_list<const char*> ops) {
            w.StartObject();
            w.Key("type");
            w.String(type);
            w.Key("operation");
            w.StartArray();
            for (const char* op : ops) {
              w.StartObject();
              w.Key("name");
              w.String(op);
              w.Key("definition");
              writeString(
                  w, std::string("http://hl7.org/fhir/OperationDefinition/") + type + "-" + op);
              w.EndObject();
            }
            w.EndArray();
            w.EndObject();
          };
          resource("CodeSystem", {"lookup", "subsumes", "validate-code"});
          resource("ValueSet", {"expand"});
          resource("ConceptMap", {"translate"});
          w.EndArray();
          w.EndObject();
          w.EndArray();
          w.EndObject();
        }));
  }
  if (s.size() == 3 && s[1] == "ConceptMap") return fhirConceptMap(req);
  if (s.size() != 3 || (s[1] != "CodeSystem" && s[1] != "ValueSet"))
    return outcome(404, "not-found", "no FHIR resource at " + req.path);
  const std::string op = s[2];

  if (s[1] == "CodeSystem" && (op == "$lookup" || op == "$validate-code" || op == "$subsumes")) {
    std::string system = req.param("system").value_or(req.param("url").value_or(""));
    if (system.empty()) return outcome(400, "required", "the parameter 'system' is required");
    auto release = term.release(system, req.param("version").value_or(""));
    if (!release) return outcome(404, "not-found", "code system " + system + " is not loaded");
    const std::string lang = displayLanguage(req);
    if (op == "$subsumes") {
      const std::string a = req.param("codeA").value_or(""), b = req.param("codeB").value_or("");
      if (a.empty() || b.empty()) return outcome(400, "required", "codeA and codeB are required");
      for (const auto* c : {&a, &b})
        if (!term.summary(*release, *c))
          return outcome(404, "not-found", "code " + *c + " not found");
      const bool ab = term.subsumes(*release, a, b), ba = term.subsumes(*release, b, a);
      const char* result = ab && ba ? "equivalent"
                           : ab     ? "subsumes"
                           : ba     ? "subsumed-by"
                                    : "not-subsumed";
      return fhirJson(200, write([&](JsonWriter& w) {
                        w.StartObject();
                        w.Key("resourceType");
                        w.String("Parameters");
                        w.Key("parameter");
                        w.StartArray();
                        param(w, "outcome", "valueCode", result);
                        w.EndArray();
                        w.EndObject();
                      }));
    }
    const std::string code = req.param("code").value_or("");
    if (code.empty()) return outcome(400, "required", "the parameter 'code' is required");
    if (op == "$validate-code") {
      auto c = term.summary(*release, code);
      const std::string display = req.param("display").value_or("");
      bool ok = c && c->active;
      std::string message;
      if (!c)
        message = "code " + code + " is not in " + release->version;
      else if (!c->active)
        message = "code " + code + " is inactive";
      if (ok && !display.empty()) {
        auto d = term.lookup(*release, code);
        bool found = false;
        for (const auto& x : d->designations)
          found = found || (x.active && text::fold(x.term) == text::fold(display));
        if (!found) {
          ok = false;
          message = "'" + display + "' is not a display of " + code;
        }
      }
      return fhirJson(200, write([&](JsonWriter& w) {
                        w.StartObject();
                        w.Key("resourceType");
                        w.String("Parameters");
                        w.Key("parameter");
                        w.StartArray();
                        paramBool(w, "result", ok);
                        if (!message.empty()) param(w, "message", "valueString", message);
                        if (c) param(w, "display", "valueString", c->display(lang));
                        w.EndArray();
                        w.EndObject();
                      }));
    }
    auto d = term.lookup(*release, code);
    if (!d) return outcome(404, "not-found", "code " + code + " is not in " + release->version);
    return fhirJson(200, write([&](JsonWriter& w) {
                      w.StartObject();
                      w.Key("resourceType");
                      w.String("Parameters");
                      w.Key("parameter");
                      w.StartArray();
                      param(w, "name", "valueString", release->name);
                      param(w, "version", "valueString", release->version);
                      param(w, "display", "valueString", d->summary.display(lang));
                      for (const auto& x : d->designations) {
                        if (!x.active) continue;
                        w.StartObject();
                        w.Key("name");
                        w.String("designation");
                        w.Key("part");
                        w.StartArray();
                        param(w, "language", "valueCode", x.lang);
                        w.StartObject();
                        w.Key("name");
                        w.String("use");
                        w.Key("valueCoding");
                        w.StartObject();
                        w.Key("system");
                        w.String("http://snomed.info/sct");
                        w.Key("code");
                        w.String(x.type == "fsn"          ? "900000000000003001"
                                 : x.type == "definition" ? "900000000000550004"
                                                          : "900000000000013009");
                        w.Key("display");
                        w.String(x.type == "fsn"          ? "Fully specified name"
                                 : x.type == "definition" ? "Definition"
                                                          : "Synonym");
                        w.EndObject();
                        w.EndObject();
                        param(w, "value", "valueString", x.term);
                        w.EndArray();
                        w.EndObject();
                      }
                      auto property = [&](const char* name, const char* type,
                                          const std::string& value) {
                        w.StartObject();
                        w.Key("name");
                        w.String("property");
                        w.Key("part");
                        w.StartArray();
                        param(w, "code", "valueCode", name);
                        param(w, "value", type, value);
                        w.EndArray();
                        w.EndObject();
                      };
                      w.StartObject();
                      w.Key("name");
                      w.String("property");
                      w.Key("part");
                      w.StartArray();
                      param(w, "code", "valueCode", "inactive");
                      paramBool(w, "value", !d->summary.active);
                      w.EndArray();
                      w.EndObject();
                      for (const auto& p : d->parents) property("parent", "valueCode", p.code);
                      for (const auto& c : d->children) property("child", "valueCode", c.code);
                      w.EndArray();
                      w.EndObject();
                    }));
  }

  if (s[1] == "ValueSet" && op == "$expand") {
    const std::string url = req.param("url").value_or("");
    const std::string prefix = std::string(kSnomedSystem) + "?fhir_vs";
    if (url.rfind(prefix, 0) != 0)
      return outcome(400, "not-supported",
                     "only implicit SNOMED CT value sets are supported: " + prefix +
                         "=ecl/..., isa/..., refset/... or " + prefix);
    std::string ecl = "*";
    const std::string rest = url.substr(prefix.size());
    if (rest.rfind("=ecl/", 0) == 0)
      ecl = rest.substr(5);
    else if (rest.rfind("=isa/", 0) == 0)
      ecl = "<< " + rest.substr(5);
    else if (rest.rfind("=refset/", 0) == 0)
      ecl = "^ " + rest.substr(8);
    else if (!rest.empty())
      return outcome(400, "invalid", "unrecognised fhir_vs '" + rest + "'");
    std::string version = req.param("system-version").value_or(req.param("version").value_or(""));
    auto release = term.release(kSnomedSystem, version);
    if (!release) return outcome(404, "not-found", "no SNOMED CT release is loaded");
    const std::string lang = displayLanguage(req);
    const int count = intParam(req, "count", 100, 0, 10000);
    const int offset = intParam(req, "offset", 0, 0, 100000000);
    const std::string filter = req.param("filter").value_or("");
    std::vector<std::pair<std::string, std::string>> items;  // code, display
    size_t total = 0;
    try {
      if (!filter.empty()) {
        ConceptQuery q;
        q.q = filter;
        q.lang = lang;
        q.ecl = ecl == "*" ? "" : ecl;
        q.limit = offset + count;
        const auto hits = term.search(*release, q);
        total = hits.size();
        for (size_t i = size_t(offset); i < hits.size(); ++i)
          items.emplace_back(hits[i].summary.code, hits[i].summary.display(lang));
      } else {
        const auto& set = *term.evaluate(*release, ecl);
        total = set.size();
        for (size_t i = size_t(offset); i < set.size() && i < size_t(offset + count); ++i) {
          const std::string code = std::to_string(set[i]);
          auto c = term.summary(*release, code);
          items.emplace_back(code, c ? c->display(lang) : "");
        }
      }
    } catch (const ecl::ParseError& e) {
      return outcome(400, "invalid", e.what());
    }
    return fhirJson(200, write([&](JsonWriter& w) {
                      w.StartObject();
                      w.Key("resourceType");
                      w.String("ValueSet");
                      w.Key("url");
                      writeString(w, url);
                      w.Key("status");
                      w.String("active");
                      w.Key("expansion");
                      w.StartObject();
                      w.Key("identifier");
                      writeString(w, "urn:uuid:" + uuid());
                      w.Key("timestamp");
                      writeString(w, text::now());
                      w.Key("total");
                      w.Int(int(total));
                      w.Key("offset");
                      w.Int(offset);
                      w.Key("parameter");
                      w.StartArray();
                      param(w, "version", "valueUri", release->version);
                      param(w, "displayLanguage", "valueCode", lang);
                      if (!filter.empty()) param(w, "filter", "valueString", filter);
                      w.EndArray();
                      if (!items.empty()) {
                        w.Key("contains");
                        w.StartArray();
                        for (const auto& [code, display] : items) {
                          w.StartObject();
                          w.Key("system");
                          w.String(kSnomedSystem);
                          w.Key("version");
                          writeString(w, release->version);
                          w.Key("code");
                          writeString(w, code);
                          w.Key("display");
                          writeString(w, display);
                          w.EndObject();
                        }
                        w.EndArray();
                      }
                      w.EndObject();
                      w.EndObject();
                    }));
  }
  return outcome(404, "not-supported", "operation " + op + " is not supported on " + s[1]);
}

// ConceptMap/{id} (a register's approved mappings) and ConceptMap/$translate, answered from
// approved mappings: forward from a variable ({base}/variables, code register/dataset/name) or
// one of its codes ({base}/variables/register/dataset/name, code = the code) to concepts, or
// with reverse=true from a concept to the variables and codes mapped to it.
Response Api::fhirConceptMap(const Request& req) {
  const auto& s = req.segments;  // fhir ConceptMap {id | $translate}
  const std::string variablesBase = opt_.base_uri + "/variables";
  if (s[2] != "$translate") {
    // Register ids never contain '.', so the FHIR id maps back unambiguously.
    std::string reg = s[2];
    for (char& c : reg)
      if (c == '.') c = '_';
    if (!store_.getRegister(reg))
      return outcome(404, "not-found", "no ConceptMap " + s[2] + " (no register '" + reg + "')");
    MappingQuery q;
    q.register_id = reg;
    q.limit = -1;
    ConceptMapOptions opt;
    opt.base_uri = opt_.base_uri;
    opt.register_id = reg;
    opt.register_name = store_.getRegister(reg)->name.sv;
    return fhirJson(200, conceptMapJson(mappings_->list(q).items, opt));
  }
  const std::string system = req.param("system").value_or("");
  const std::string code = req.param("code").value_or("");
  if (system.empty() || code.empty())
    return outcome(400, "required", "the parameters 'system' and 'code' are required");
  const std::string target = req.param("target").value_or(req.param("targetsystem").value_or(""));
  const std::string url = req.param("url").value_or("");
  const bool reverse = req.param("reverse").value_or("false") == "true";
  MappingQuery q;
  q.status = "approved";
  q.limit = -1;
  std::vector<Mapping> found;
  if (!reverse) {
    std::string key;
    if (system == variablesBase) {
      key = code;
    } else if (system.rfind(variablesBase + "/", 0) == 0) {
      key = system.substr(variablesBase.size() + 1) + "#" + code;
    } else {
      return outcome(400, "not-supported",
                     "source system " + system + " is not regcat's; use " + variablesBase +
                         " (code register/dataset/name) or the variable's URI for its codes, or "
                         "reverse=true to translate from a terminology");
    }
    auto subj = MappingSubject::parse(key);
    if (!subj) return outcome(400, "invalid", "'" + code + "' is not register/dataset/name");
    q.register_id = subj->register_id;
    q.dataset_id = subj->dataset_id;
    q.variable = subj->variable;
    for (auto& m : mappings_->list(q).items)
      if (m.subject.code == subj->code && (target.empty() || m.system == target))
        found.push_back(std::move(m));
  } else {
    q.system = system;
    q.concept_id = code;
    for (auto& m : mappings_->list(q).items) found.push_back(std::move(m));
  }
  if (!url.empty()) {
    std::vector<Mapping> kept;
    for (auto& m : found)
      if (conceptMapUrl(opt_.base_uri, m.subject.register_id) == url) kept.push_back(std::move(m));
    found = std::move(kept);
  }
  TranslateOptions opt;
  opt.base_uri = opt_.base_uri;
  opt.reverse = reverse;
  return fhirJson(200, translateResult(found, opt));
}

}  // namespace regcat::web
