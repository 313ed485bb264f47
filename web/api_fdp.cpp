// Linked data: the DCAT-AP / HealthDCAT-AP exports (/api/export/dcat-*), the schema.org JSON-LD
// of a register, the FAIR Data Point at /fdp, and the persistent URIs {base}/registers/{id} and
// {base}/variables/{register}/{dataset}/{name}, which answer browsers with HTML and RDF clients
// with RDF, chosen by the Accept header (Vary: Accept). ?format=ttl|jsonld|rdf|html overrides
// the header, for people who want to look at the RDF in a browser.
#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"
#include "exporters/dcat_exporter.h"
#include "exporters/fdp_exporter.h"
#include "exporters/rdf_writer.h"
#include "exporters/schema_org_exporter.h"
#include "mapping/mapping_store.h"
#include "web/api.h"
#include "web/api_util.h"

namespace regcat::web {
namespace {

constexpr const char* kHtml = "text/html";

struct Range {
  std::string type, subtype;
  double q = 1;
};

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<Range> parseAccept(const std::string& accept) {
  std::vector<Range> out;
  std::stringstream ss(accept);
  for (std::string item; std::getline(ss, item, ',');) {
    std::stringstream parts(item);
    std::string media;
    std::getline(parts, media, ';');
    media = text::fold(trim(media));
    const size_t slash = media.find('/');
    if (slash == std::string::npos) continue;
    Range r{media.substr(0, slash), media.substr(slash + 1), 1};
    for (std::string param; std::getline(parts, param, ';');) {
      param = trim(param);
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        try {
          r.q = std::clamp(std::stod(param.substr(2)), 0.0, 1.0);
        } catch (const std::exception&) {
          r.q = 0;
        }
      }
    }
    out.push_back(r);
  }
  return out;
}

// The offer (a media type without parameters) the Accept header prefers; ties go to the
// earlier offer, so the order of `offers` is the server's preference. "" when none is
// acceptable. No header (or an empty one) accepts the first offer.
std::string negotiate(const std::string& accept, const std::vector<std::string>& offers) {
  if (trim(accept).empty()) return offers.front();
  const auto ranges = parseAccept(accept);
  std::string best;
  double bestQ = 0;
  for (const auto& offer : offers) {
    const size_t slash = offer.find('/');
    const std::string type = offer.substr(0, slash), subtype = offer.substr(slash + 1);
    // The most specific range that matches decides the quality of an offer.
    int specificity = -1;
    double q = 0;
    for (const auto& r : ranges) {
      int s = -1;
      if (r.type == type && r.subtype == subtype)
        s = 2;
      else if (r.type == type && r.subtype == "*")
        s = 1;
      else if (r.type == "*" && r.subtype == "*")
        s = 0;
      if (s > specificity) {
        specificity = s;
        q = r.q;
      }
    }
    if (q > bestQ) {
      bestQ = q;
      best = offer;
    }
  }
  return best;
}

const std::vector<std::string>& rdfOffers() {
  static const std::vector<std::string> o = {"text/turtle", "application/ld+json",
                                             "application/rdf+xml"};
  return o;
}

rdf::Syntax syntaxOf(const std::string& mediaType) {
  if (mediaType == "application/ld+json") return rdf::Syntax::JsonLd;
  if (mediaType == "application/rdf+xml") return rdf::Syntax::RdfXml;
  return rdf::Syntax::Turtle;
}

// ?format= as a media type, or "" when absent.
std::string formatOverride(const Request& req) {
  const std::string f = req.param("format").value_or("");
  if (f.empty()) return {};
  if (f == "ttl" || f == "turtle") return "text/turtle";
  if (f == "jsonld" || f == "json-ld") return "application/ld+json";
  if (f == "rdf" || f == "rdfxml" || f == "xml") return "application/rdf+xml";
  if (f == "html") return kHtml;
  throw invalid("format", "'" + f + "' is not one of ttl, jsonld, rdf, html");
}

// Chooses among `offers` or throws a 406 (as an Error the caller turns into a response).
std::string choose(const Request& req, const std::vector<std::string>& offers) {
  std::string chosen = formatOverride(req);
  if (!chosen.empty() && std::find(offers.begin(), offers.end(), chosen) == offers.end())
    throw invalid("format", "this resource is not available as " + chosen);
  if (chosen.empty()) chosen = negotiate(req.header("accept"), offers);
  return chosen;
}

Response notAcceptable(const std::vector<std::string>& offers) {
  std::string list;
  for (const auto& o : offers) list += (list.empty() ? "" : ", ") + o;
  Response r = error(406, "not_acceptable", "this resource is available as " + list);
  r.headers.push_back({"Vary", "Accept"});
  return r;
}

Response rdfResponse(const rdf::Graph& g, rdf::Syntax syntax) {
  Response r;
  r.content_type = rdf::mediaType(syntax);
  r.body = rdf::serialise(g, syntax);
  r.headers.push_back({"Vary", "Accept"});
  return r;
}

Response seeOther(const std::string& location) {
  Response r;
  r.status = 303;
  r.content_type = "text/html; charset=utf-8";
  r.body =
      "<!doctype html><title>regcat</title><a href=\"" + location + "\">" + location + "</a>\n";
  r.headers.push_back({"Location", location});
  r.headers.push_back({"Vary", "Accept"});
  return r;
}

std::string html(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

// JSON inside <script>: every '<' as \u003c, so that no "</script>" or "<!--" can end or
// change the element (JSON allows the escape anywhere in a string, and '<' occurs only there).
std::string scriptJson(const std::string& json) {
  std::string o;
  for (char c : json) {
    if (c == '<')
      o += "\\u003c";
    else
      o += c;
  }
  return o;
}

std::string appLink(const std::string& kind, const std::vector<std::string>& parts) {
  std::string o = "/#" + kind;
  for (const auto& p : parts) o += "/" + rdf::iriSegment(p);
  return o;
}

// The register's page for browsers and crawlers: what it is, with its schema.org JSON-LD in the
// page itself (crawlers without JavaScript find it) and a link to the web app.
std::string registerPage(const RegisterDocument& doc, const std::string& schemaJson,
                         const std::map<std::string, int>& counts, const std::string& uri) {
  const Register& r = doc.reg;
  const std::string name = !r.name.sv.empty() ? r.name.sv : !r.name.en.empty() ? r.name.en : r.id;
  const std::string desc = !r.description.sv.empty() ? r.description.sv : r.description.en;
  const std::string api = "/api/registers/" + rdf::iriSegment(r.id) + "/export/";
  std::string o = "<!doctype html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<title>" + html(name) + " – regcat</title>\n";
  if (!desc.empty()) o += "<meta name=\"description\" content=\"" + html(desc) + "\">\n";
  o += "<link rel=\"stylesheet\" href=\"/app.css\">\n";
  o += "<link rel=\"canonical\" href=\"" + html(uri) + "\">\n";
  o += "<link rel=\"alternate\" type=\"text/turtle\" href=\"" + api + "dcat-ttl\">\n";
  o += "<link rel=\"alternate\" type=\"application/ld+json\" href=\"" + api + "dcat-jsonld\">\n";
  o += "<link rel=\"alternate\" type=\"application/rdf+xml\" href=\"" + api + "dcat-rdfxml\">\n";
  o += "<script type=\"application/ld+json\">" + scriptJson(schemaJson) + "</script>\n";
  o += "</head>\n<body>\n<header><a class=\"brand\" href=\"/\">regcat</a>"
       "<span class=\"tagline\">Variabler i Sveriges nationella kvalitetsregister</span>"
       "</header>\n<main id=\"main\">\n<section id=\"detail\">\n";
  o += "<h1>" + html(name) + "</h1>\n";
  if (!r.name.en.empty() && r.name.en != name)
    o += "<p lang=\"en\"><em>" + html(r.name.en) + "</em></p>\n";
  if (!desc.empty()) o += "<p>" + html(desc) + "</p>\n";
  o += "<table>\n";
  auto row = [&](const std::string& label, const std::string& value) {
    if (!value.empty()) o += "<tr><th>" + label + "</th><td>" + html(value) + "</td></tr>\n";
  };
  row("Personuppgiftsansvarig (CPUA)",
      r.cpua.name + (r.cpua.unit.empty() ? "" : ", " + r.cpua.unit));
  row("Registerhållare",
      r.registerhallare.name +
          (r.registerhallare.organisation.empty()
               ? ""
               : (r.registerhallare.name.empty() ? "" : ", ") + r.registerhallare.organisation));
  row("Registercentrum", r.register_centre);
  row("Startår", r.start_year ? std::to_string(*r.start_year) : "");
  row("Population", r.population.sv);
  row("Utlämnande prövas av", r.disclosure.decided_by);
  row("Handläggningstid", r.disclosure.lead_time);
  o += "</table>\n";
  if (const std::string u = rdf::safeIri(r.disclosure.url); !u.empty())
    o += "<p><a href=\"" + html(u) + "\">Så ansöker du om uppgifter</a></p>\n";
  if (!r.purposes.empty()) {
    o += "<h2>Ändamål</h2>\n<ol>\n";
    for (const auto& p : r.purposes) o += "<li>" + html(p.sv.empty() ? p.en : p.sv) + "</li>\n";
    o += "</ol>\n";
  }
  if (!doc.datasets.empty()) {
    o += "<h2>Dataset</h2>\n<ul>\n";
    for (const auto& d : doc.datasets) {
      const auto n = counts.find(d.id);
      o += "<li>" + html(d.name.sv.empty() ? d.id : d.name.sv) + " (" +
           std::to_string(n == counts.end() ? 0 : n->second) + " variabler)</li>\n";
    }
    o += "</ul>\n";
  }
  o += "<p><a href=\"" + appLink("register", {r.id}) +
       "\">Visa registret och dess variabler i regcat</a></p>\n";
  o += "</section>\n</main>\n</body>\n</html>\n";
  return o;
}

}  // namespace

Response Api::rdfExport(const Request& req, const std::string& format) {
  std::vector<std::string> ids = req.list("register");
  for (const auto& id : ids)
    if (!store_.getRegister(id)) throw notFound("register", "register '" + id + "' not found");
  if (format == "schema-org") {
    if (ids.size() != 1)
      throw invalid("register", "schema.org JSON-LD describes one register: give one register");
    const RegisterDocument doc = loadRegisterDocument(store_, ids[0]);
    SchemaOrgOptions o;
    o.base_uri = opt_.base_uri;
    Response r;
    r.content_type = "application/ld+json";
    r.body = schemaOrgDataset(doc, approvedMappings(mappings_.get(), ids[0]), o);
    return r;
  }
  rdf::Syntax syntax;
  if (format == "dcat-ttl")
    syntax = rdf::Syntax::Turtle;
  else if (format == "dcat-jsonld")
    syntax = rdf::Syntax::JsonLd;
  else if (format == "dcat-rdfxml")
    syntax = rdf::Syntax::RdfXml;
  else
    throw notFound("format", "unknown export format '" + format +
                                 "' (RDF formats: dcat-ttl, dcat-jsonld, dcat-rdfxml, schema-org)");
  DcatOptions o;
  o.base_uri = opt_.base_uri;
  Response r;
  r.content_type = rdf::mediaType(syntax);
  r.stream = [this, ids, o, syntax](std::ostream& out) {
    exportDcat(store_, mappings_.get(), ids, o, syntax, out);
  };
  r.headers.push_back(
      {"Content-Disposition", "attachment; filename=\"" +
                                  (ids.size() == 1 ? ids[0] : std::string("regcat")) + "-dcat." +
                                  rdf::fileExtension(syntax) + "\""});
  return r;
}

Response Api::linkedData(const Request& req) {
  const auto& s = req.segments;
  if (req.method != "GET" && req.method != "HEAD") return methodNotAllowed("GET, HEAD");
  std::vector<std::string> pageOffers = {kHtml};
  pageOffers.insert(pageOffers.end(), rdfOffers().begin(), rdfOffers().end());
  DcatOptions dcat;
  dcat.base_uri = opt_.base_uri;

  if (s[0] == "fdp") {
    FdpOptions fdp;
    fdp.base_uri = opt_.base_uri;
    const std::string chosen = choose(req, rdfOffers());
    if (chosen.empty()) return notAcceptable(rdfOffers());
    const rdf::Syntax syntax = syntaxOf(chosen);
    auto allRegisters = [&] {
      std::vector<Register> regs;
      for (const auto& sum : store_.listRegisters())
        if (auto r = store_.getRegister(sum.id)) regs.push_back(std::move(*r));
      return regs;
    };
    auto one = [&](const std::string& id) {
      auto r = store_.getRegister(id);
      if (!r) throw notFound("", "register '" + id + "' not found");
      return *r;
    };
    if (s.size() == 1) return rdfResponse(fdpRootGraph(allRegisters(), fdp), syntax);
    if (s.size() == 3 && s[1] == "catalog" && s[2] == "registers")
      return rdfResponse(fdpCatalogGraph(allRegisters(), fdp), syntax);
    if (s.size() == 3 && s[1] == "dataset")
      return rdfResponse(fdpDatasetGraph(one(s[2]), fdp), syntax);
    if (s.size() == 4 && s[1] == "distribution" && s[3] == "data-request")
      return rdfResponse(fdpDistributionGraph(one(s[2]), fdp), syntax);
    return error(404, "not_found", "no FAIR Data Point record at " + req.path);
  }

  if (s[0] == "catalog" && s.size() == 1) {
    const std::string chosen = choose(req, pageOffers);
    if (chosen.empty()) return notAcceptable(pageOffers);
    if (chosen == kHtml) return seeOther("/");
    const rdf::Syntax syntax = syntaxOf(chosen);
    Response r;
    r.content_type = rdf::mediaType(syntax);
    r.stream = [this, dcat, syntax](std::ostream& out) {
      exportDcat(store_, mappings_.get(), {}, dcat, syntax, out);
    };
    r.headers.push_back({"Vary", "Accept"});
    return r;
  }

  if (s[0] == "registers" && (s.size() == 2 || (s.size() == 4 && s[2] == "datasets"))) {
    const std::string& id = s[1];
    const std::string chosen = choose(req, pageOffers);
    if (chosen.empty()) return notAcceptable(pageOffers);
    if (!store_.getRegister(id)) throw notFound("", "register '" + id + "' not found");
    if (s.size() == 4 && !store_.getDataset(id, s[3]))
      throw notFound("", "dataset '" + id + "/" + s[3] + "' not found");
    if (chosen == kHtml) {
      if (s.size() == 4) return seeOther(appLink("register", {id}));
      const RegisterDocument doc = loadRegisterDocument(store_, id);
      SchemaOrgOptions so;
      so.base_uri = opt_.base_uri;
      Response r;
      r.content_type = "text/html; charset=utf-8";
      r.body = registerPage(doc, schemaOrgDataset(doc, approvedMappings(mappings_.get(), id), so),
                            store_.variableCounts(id), dcatDatasetIri(dcat, id));
      r.headers.push_back({"Vary", "Accept"});
      return r;
    }
    // The register's own description: the dataset with its parts, without the catalogue.
    dcat.catalog = false;
    std::ostringstream out;
    const rdf::Syntax syntax = syntaxOf(chosen);
    exportDcat(store_, mappings_.get(), {id}, dcat, syntax, out);
    Response r;
    r.content_type = rdf::mediaType(syntax);
    r.body = out.str();
    r.headers.push_back({"Vary", "Accept"});
    return r;
  }

  if (s[0] == "variables" && s.size() == 4) {
    const std::string chosen = choose(req, pageOffers);
    if (chosen.empty()) return notAcceptable(pageOffers);
    // A closed variable keeps its URI: the latest version answers, marked deprecated.
    auto v = store_.getVariable(s[1], s[2], s[3]);
    if (!v) throw notFound("", "variable '" + s[1] + "/" + s[2] + "/" + s[3] + "' not found");
    if (chosen == kHtml) return seeOther(appLink("variable", {s[1], s[2], s[3]}));
    return rdfResponse(dcatVariableGraph(*v, approvedMappings(mappings_.get(), s[1]), dcat),
                       syntaxOf(chosen));
  }
  return error(404, "not_found", "no resource at " + req.path);
}

}  // namespace regcat::web
