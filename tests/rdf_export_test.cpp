// DCAT-AP 3 / DCAT-AP-SE / HealthDCAT-AP exports, the FAIR Data Point, the persistent URIs and
// the schema.org JSON-LD, checked with the official shapes of ../shared/conformance (DCAT-AP
// 3.0.1, HealthDCAT-AP, FDP) by tests/conformance/validate-shacl.mjs (rdf-validate-shacl, n3,
// jsonld, rdfxml-streaming-parser), and parsed back from every syntax to the same triples.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "cli/demo.h"
#include "exporters/dcat_exporter.h"
#include "exporters/rdf_graph.h"
#include "exporters/rdf_writer.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"
#include "test_support.h"

using namespace regcat;

namespace {

const std::string kBase = "http://localhost:8080";

struct RdfServer : test::TestServer {
  RdfServer() : TestServer(true) {
    app::loadDemoTerminology(*db.store, test::dataDir());
    app::loadDemoMappings(*db.store, test::dataDir());
  }
  test::HttpResponse accept(const std::string& target, const std::string& accept) const {
    return test::http(port(), "GET", target, {}, {{"Accept", accept}});
  }
};

std::string kit() {
  return test::sourceDir() + "/../shared/conformance/";
}

std::string shapes(std::initializer_list<const char*> files) {
  std::string out;
  for (const char* f : files) out += (out.empty() ? "" : ",") + kit() + f;
  return out;
}

const char* kDcat = "dcat-ap-3.0.1/shacl/shapes.ttl";
const char* kDcatRecommended = "dcat-ap-3.0.1/shacl/shapes_recommended.ttl";
const char* kDcatRange = "dcat-ap-3.0.1/shacl/range.ttl";
const char* kHealth = "healthdcat-ap/healthdcatap-shacl.ttl";

std::string fdpShapes() {
  std::string out;
  for (const char* f : {"shape-catalog.ttl", "shape-data-service.ttl", "shape-dataset.ttl",
                        "shape-distribution.ttl", "shape-fdp.ttl", "shape-metadata-service.ttl",
                        "shape-resource.ttl"})
    out += (out.empty() ? "" : ",") + kit() + "fdp/shapes/" + f;
  return out;
}

struct NodeRun {
  int status = -1;
  std::string output;
};

NodeRun node(const test::TempDir& dir, const std::string& args) {
  const std::string log = dir.file("node.log");
  const std::string cmd = "node '" + test::sourceDir() + "/tests/conformance/validate-shacl.mjs' " +
                          args + " > '" + log + "' 2>&1";
  const int rc = std::system(cmd.c_str());
  NodeRun r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.output = test::readFile(log);
  return r;
}

struct Report {
  int triples = 0, violations = 0, warnings = 0;
  bool ok = false;
};

// The validator's JSON line for one file.
Report report(const std::string& output) {
  Report r;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("triples")) continue;
    r.ok = !d.HasMember("error");
    r.triples = d["triples"].GetInt();
    if (d.HasMember("violations")) r.violations = d["violations"].GetInt();
    if (d.HasMember("warnings")) r.warnings = d["warnings"].GetInt();
  }
  return r;
}

Report validate(const test::TempDir& dir, const std::string& shapeList, const std::string& file) {
  const NodeRun run = node(dir, "validate --shapes '" + shapeList + "' '" + file + "'");
  INFO(run.output.substr(0, 6000));
  Report r = report(run.output);
  CHECK(r.ok);
  CHECK(r.triples > 0);
  return r;
}

std::string path(const std::string& iri) {
  return iri.substr(kBase.size());
}

}  // namespace

TEST_CASE("RDF serialisers escape every syntax and keep Swedish letters", "[rdf]") {
  using namespace regcat::rdf;
  Graph g;
  const Term s = iri("http://example.org/reg/ö#x");
  // "å" decomposed (a + combining ring) becomes one NFC letter; \x01 cannot stand in XML 1.0.
  const std::string tricky =
      "Rökning \"citat\" \\ back\nny rad\r\ttab <tagg> & a\xCC\x8A \x01slut ]]> '";
  add(g, s, "a", iri(std::string(ns::dcat) + "Dataset"));
  add(g, s, std::string(ns::dct) + "title", langText(tricky, "sv"));
  add(g, s, std::string(ns::dct) + "title", langText("Smoking", "EN"));
  add(g, s, std::string(ns::dct) + "issued", date("2024-01-31"));
  add(g, s, "http://example.org/vocab/weird-pred", text("x"));
  add(g, s, std::string(ns::rdfs) + "seeAlso", iri(safeIri(" https://example.se/a b?q=\"1\" ")));
  add(g, s, std::string(ns::dct) + "relation", blank("b1"));
  add(g, blank("b1"), std::string(ns::rdfs) + "label", decimal(89.5));
  CHECK(safeIri("not an address").empty());
  CHECK(safeIri("https://example.se/a b") == "https://example.se/a%20b");
  CHECK(mailtoIri("eva.sandberg@example.se") == "mailto:eva.sandberg@example.se");
  CHECK(mailtoIri("ring 090-123").empty());
  CHECK(decimal(90).value == "90");

  test::TempDir dir;
  for (auto [syntax, ext] : {std::pair{Syntax::Turtle, "ttl"}, std::pair{Syntax::JsonLd, "jsonld"},
                             std::pair{Syntax::RdfXml, "rdf"}}) {
    const std::string out = serialise(g, syntax);
    INFO(out);
    CHECK(out.find("R\xC3\xB6kning") != std::string::npos);  // ö as written
    CHECK(out.find("\xC3\xA5 slut") != std::string::npos);   // å composed (NFC), \x01 gone
    CHECK(out.find("a\xCC\x8A") == std::string::npos);
    CHECK(out.find('\x01') == std::string::npos);
    test::writeFile(dir.file(std::string("g.") + ext), out);
  }
  const NodeRun run = node(dir, "roundtrip '" + dir.file("g.ttl") + "' '" + dir.file("g.jsonld") +
                                    "' '" + dir.file("g.rdf") + "'");
  INFO(run.output);
  CHECK(run.status == 0);
  CHECK(run.output.find("\"isomorphic\":true") != std::string::npos);
  CHECK(run.output.find("\"triples\":8") != std::string::npos);
}

TEST_CASE("the demo catalogue as DCAT-AP conforms to DCAT-AP 3.0.1 and HealthDCAT-AP",
          "[rdf][conformance]") {
  RdfServer s;
  test::TempDir dir;
  const std::map<std::string, std::string> formats = {
      {"dcat-ttl", "ttl"}, {"dcat-jsonld", "jsonld"}, {"dcat-rdfxml", "rdf"}};
  std::vector<std::string> files;
  for (const auto& [format, ext] : formats) {
    const auto started = std::chrono::steady_clock::now();
    auto r = s.get("/api/export/" + format);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    WARN(format << ": " << r.body.size() << " bytes in " << ms << " ms over HTTP");
    REQUIRE(r.status == 200);
    CHECK(r.headers["content-type"].find(format == "dcat-ttl"      ? "text/turtle"
                                         : format == "dcat-jsonld" ? "application/ld+json"
                                                                   : "application/rdf+xml") == 0);
    // Swedish letters survive in every syntax, as UTF-8 (not escaped).
    CHECK(r.body.find("Västra Götalandsregionen") != std::string::npos);
    CHECK(r.body.find("Nationella strokeregistret") != std::string::npos);
    CHECK(r.body.find("Rökning") != std::string::npos);
    // An approved SNOMED CT mapping binds a column (strokereg/akut/medvetande, demo SSSOM).
    CHECK(r.body.find("http://snomed.info/id/30499999999105") != std::string::npos);
    CHECK(r.body.find(kBase + "/variables/strokereg/akut/medvetande") != std::string::npos);
    files.push_back(dir.file("catalog." + ext));
    test::writeFile(files.back(), r.body);
  }

  // Violations of DCAT-AP 3.0.1 and HealthDCAT-AP (with its owl:imports replaced by the 3.0.1
  // shapes) fail; the recommended shapes' warnings are reported.
  for (const auto& f : files) {
    INFO(f);
    const Report core = validate(dir, shapes({kDcat, kHealth}), f);
    CHECK(core.violations == 0);
    const Report recommended = validate(dir, shapes({kDcat, kDcatRecommended, kHealth}), f);
    CHECK(recommended.violations == 0);
    WARN(f << ": " << recommended.triples << " triples, DCAT-AP + HealthDCAT-AP violations "
           << core.violations << ", recommended-shape warnings " << recommended.warnings);
    // The class-range shapes pass too: every referenced vocabulary term is typed in the graph.
    const Report range = validate(dir, shapes({kDcat, kDcatRange, kHealth}), f);
    CHECK(range.violations == 0);
  }

  // Turtle, JSON-LD and RDF/XML hold the same triples.
  const NodeRun rt =
      node(dir, "roundtrip '" + files[0] + "' '" + files[1] + "' '" + files[2] + "'");
  INFO(rt.output);
  CHECK(rt.status == 0);
  CHECK(rt.output.find("\"isomorphic\":true") != std::string::npos);

  // One register, and the validator can fail: a dataset without its access rights does not
  // conform to HealthDCAT-AP.
  auto one = s.get("/api/registers/strokereg/export/dcat-ttl");
  REQUIRE(one.status == 200);
  CHECK(one.body.find("hjartintensiv") == std::string::npos);
  // The register's published size (demo: 480,000 records of 410,000 persons).
  CHECK(one.body.find("healthdcatap:numberOfRecords \"480000\"^^xsd:nonNegativeInteger") !=
        std::string::npos);
  CHECK(
      one.body.find("healthdcatap:numberOfUniqueIndividuals \"410000\"^^xsd:nonNegativeInteger") !=
      std::string::npos);
  CHECK(s.get("/api/registers/hjartintensiv/export/dcat-ttl").body.find("numberOfRecords") ==
        std::string::npos);  // not published, so not claimed
  test::writeFile(dir.file("strokereg.ttl"), one.body);
  CHECK(validate(dir, shapes({kDcat, kHealth}), dir.file("strokereg.ttl")).violations == 0);
  std::string broken = std::regex_replace(one.body, std::regex("dct:accessRights <[^>]*> ;"), "");
  REQUIRE(broken != one.body);
  test::writeFile(dir.file("broken.ttl"), broken);
  CHECK(validate(dir, shapes({kDcat, kHealth}), dir.file("broken.ttl")).violations > 0);
  CHECK(s.get("/api/registers/nosuch/export/dcat-ttl").status == 404);
  CHECK(s.get("/api/export/dcat-nt").status == 404);
}

TEST_CASE("the FAIR Data Point negotiates, navigates and conforms to the FDP shapes",
          "[rdf][fdp][conformance]") {
  RdfServer s;
  test::TempDir dir;
  // Default is Turtle; each Accept type gets its syntax, with Vary: Accept.
  auto plain = s.get("/fdp");
  REQUIRE(plain.status == 200);
  CHECK(plain.headers["content-type"].find("text/turtle") == 0);
  CHECK(plain.headers["vary"] == "Accept");
  CHECK(s.accept("/fdp", "text/html").status == 406);
  CHECK(s.accept("/fdp", "application/ld+json;q=0.5, text/turtle;q=0.9")
            .headers["content-type"]
            .find("text/turtle") == 0);

  // Walk FDP -> catalogue -> dataset -> distribution through the LDP containers, in every syntax.
  const std::regex contains("ldp:contains ((<[^>]+>(, )?)+)"), iriRef("<([^>]+)>");
  std::vector<std::string> records = {"/fdp"};
  for (size_t i = 0; i < records.size(); ++i) {
    auto r = s.accept(records[i], "text/turtle");
    INFO(records[i] << "\n" << r.body);
    REQUIRE(r.status == 200);
    for (std::sregex_iterator m(r.body.begin(), r.body.end(), contains), e; m != e; ++m) {
      const std::string objects = (*m)[1];
      for (std::sregex_iterator o(objects.begin(), objects.end(), iriRef); o != e; ++o)
        records.push_back(path((*o)[1]));
    }
  }
  // 1 FDP + 1 catalogue + 4 datasets + 4 distributions
  CHECK(records.size() == 10);
  CHECK(std::find(records.begin(), records.end(), "/fdp/distribution/strokereg/data-request") !=
        records.end());
  std::string all;
  for (size_t n = 0; n < records.size(); ++n) {
    for (auto [accept, ext] :
         {std::pair{"text/turtle", "ttl"}, std::pair{"application/ld+json", "jsonld"},
          std::pair{"application/rdf+xml", "rdf"}}) {
      auto r = s.accept(records[n], accept);
      INFO(records[n] << " as " << accept);
      REQUIRE(r.status == 200);
      CHECK(r.headers["content-type"].find(accept) == 0);
      CHECK(r.headers["vary"] == "Accept");
      const std::string f = dir.file("rec" + std::to_string(n) + "." + ext);
      test::writeFile(f, r.body);
      all += " '" + f + "'";
    }
    const std::string stem = dir.file("rec" + std::to_string(n));
    const NodeRun rt =
        node(dir, "roundtrip '" + stem + ".ttl' '" + stem + ".jsonld' '" + stem + ".rdf'");
    INFO(records[n] << ": " << rt.output);
    CHECK(rt.status == 0);
  }
  // Every record in every syntax against all seven FDP shapes, in one run of the validator.
  const NodeRun val = node(dir, "validate --shapes '" + fdpShapes() + "'" + all);
  INFO(val.output.substr(0, 8000));
  CHECK(val.status == 0);
  std::istringstream lines(val.output);
  int files = 0;
  for (std::string line; std::getline(lines, line);) {
    const Report rep = report(line);
    if (!rep.ok) continue;
    ++files;
    CHECK(rep.triples > 0);
    CHECK(rep.violations == 0);
    CHECK(rep.warnings == 0);
  }
  CHECK(files == int(records.size() * 3));
  auto ds = s.get("/fdp/dataset/hjartintensiv");
  CHECK(ds.body.find("Svenska hjärtintensivregistret") != std::string::npos);
  CHECK(ds.body.find("fdp-o:metadataIdentifier") != std::string::npos);
  CHECK(s.get("/fdp/dataset/nosuch").status == 404);
  CHECK(s.get("/fdp/nothing").status == 404);
  CHECK(test::http(s.port(), "POST", "/fdp", "{}").status == 405);
}

TEST_CASE("persistent URIs answer browsers with HTML and RDF clients with RDF",
          "[rdf][conformance]") {
  RdfServer s;
  test::TempDir dir;
  const std::string browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  auto page = s.accept("/registers/strokereg", browser);
  REQUIRE(page.status == 200);
  CHECK(page.headers["content-type"].find("text/html") == 0);
  CHECK(page.headers["vary"] == "Accept");
  CHECK(page.body.find("<h1>Nationella strokeregistret</h1>") != std::string::npos);
  CHECK(page.body.find("href=\"/#register/strokereg\"") != std::string::npos);

  // The page carries the same schema.org JSON-LD the API serves (with '<' escaped for <script>).
  auto api = s.get("/api/registers/strokereg/export/schema-org");
  REQUIRE(api.status == 200);
  CHECK(api.headers["content-type"].find("application/ld+json") == 0);
  const std::string open = "<script type=\"application/ld+json\">";
  const size_t a = page.body.find(open), b = page.body.find("</script>", a);
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  std::string embedded = page.body.substr(a + open.size(), b - a - open.size());
  embedded = std::regex_replace(embedded, std::regex("\\\\u003c"), "<");
  CHECK(embedded == api.body);
  rapidjson::Document so;
  so.Parse(api.body.c_str());
  REQUIRE_FALSE(so.HasParseError());
  CHECK(std::string(so["@type"].GetString()) == "Dataset");
  CHECK(std::string(so["name"].GetString()) == "Nationella strokeregistret");
  test::writeFile(dir.file("schema.jsonld"), api.body);
  const NodeRun parsed = node(dir, "triples '" + dir.file("schema.jsonld") + "'");
  INFO(parsed.output);
  CHECK(parsed.status == 0);
  CHECK(parsed.output.find("\"https://schema.org/Dataset\":1") != std::string::npos);
  CHECK(s.get("/api/export/schema-org").status == 400);  // one register

  // RDF clients get the register's DCAT-AP description (no catalogue around it), conforming.
  for (auto [accept, ext] :
       {std::pair{"text/turtle", "ttl"}, std::pair{"application/ld+json", "jsonld"},
        std::pair{"application/rdf+xml", "rdf"}}) {
    auto r = s.accept("/registers/strokereg", accept);
    REQUIRE(r.status == 200);
    CHECK(r.headers["content-type"].find(accept) == 0);
    CHECK(r.headers["vary"] == "Accept");
    CHECK(r.body.find("dcat:Catalog") == std::string::npos);
    test::writeFile(dir.file(std::string("reg.") + ext), r.body);
    CHECK(validate(dir, shapes({kDcat, kHealth}), dir.file(std::string("reg.") + ext)).violations ==
          0);
  }
  CHECK(s.get("/registers/strokereg?format=ttl").headers["content-type"].find("text/turtle") == 0);
  CHECK(s.get("/registers/nosuch").status == 404);

  // A variable: browsers go to the web app's page, RDF clients get its CSVW column.
  auto v = s.accept("/variables/strokereg/akut/medvetande", browser);
  CHECK(v.status == 303);
  CHECK(v.headers["location"] == "/#variable/strokereg/akut/medvetande");
  auto vt = s.accept("/variables/strokereg/akut/medvetande", "text/turtle");
  REQUIRE(vt.status == 200);
  CHECK(vt.body.find("csvw:propertyUrl <http://snomed.info/id/30499999999105>") !=
        std::string::npos);
  CHECK(vt.body.find("Medvetandegrad") != std::string::npos);
  auto vj = s.accept("/variables/strokereg/akut/medvetande", "application/ld+json");
  test::writeFile(dir.file("var.jsonld"), vj.body);
  test::writeFile(dir.file("var.ttl"), vt.body);
  const NodeRun rt =
      node(dir, "roundtrip '" + dir.file("var.ttl") + "' '" + dir.file("var.jsonld") + "'");
  INFO(rt.output);
  CHECK(rt.status == 0);
  CHECK(s.accept("/variables/strokereg/akut/nosuch", "text/turtle").status == 404);
  CHECK(s.accept("/variables/strokereg/akut/medvetande", "image/png").status == 406);
}

TEST_CASE("regcat export dcat-* writes the same RDF from the command line", "[rdf][cli]") {
  test::TestStore db(true);
  app::loadDemoTerminology(*db.store, test::dataDir());
  app::loadDemoMappings(*db.store, test::dataDir());
  test::TempDir dir;
  const std::string dbFile = db.store->path();
  for (const char* format : {"dcat-ttl", "dcat-jsonld", "dcat-rdfxml"}) {
    const std::string out = dir.file(std::string("cli-") + format);
    const std::string cmd =
        std::string("env -u REGCAT_ADMIN_TOKEN '") + REGCAT_BINARY + "' export " + format +
        " --db '" + dbFile +
        "' --register diabetes,hoftprotes --base-uri https://regcat.example.se -o '" + out +
        "' > '" + dir.file("cli.log") + "' 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string body = test::readFile(out);
    CHECK(body.find("https://regcat.example.se/registers/diabetes") != std::string::npos);
    CHECK(body.find("Svenska höftprotesregistret") != std::string::npos);
    CHECK(body.find("/registers/strokereg") == std::string::npos);
  }
  // In process, the three syntaxes of the whole demo catalogue (timing reported).
  Terminology terminology(*db.store);
  MappingStore mappings(*db.store, terminology);
  for (auto syntax : {rdf::Syntax::Turtle, rdf::Syntax::JsonLd, rdf::Syntax::RdfXml}) {
    std::ostringstream out;
    const auto started = std::chrono::steady_clock::now();
    const size_t triples = exportDcat(*db.store, &mappings, {}, DcatOptions{}, syntax, out);
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    WARN(rdf::fileExtension(syntax) << ": " << triples << " triples, " << out.str().size()
                                    << " bytes in " << us / 1000.0 << " ms");
    CHECK(triples > 1000);
  }
}
