// The terminology API and the FHIR operations over the demo terminology (data/terminology),
// through the real server. FHIR answers are validated against the R4 specification with the
// npm `fhir` package (tests/conformance, installed by scripts/test).
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "cli/demo.h"
#include "mapping/terminology.h"
#include "test_support.h"

using namespace regcat;
using regcat::test::TestServer;
using regcat::test::urlEncode;

namespace {

rapidjson::Document parse(const test::HttpResponse& r) {
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

struct TermServer : TestServer {
  TermServer() : TestServer(true) { app::loadDemoTerminology(*db.store, test::dataDir()); }
};

std::string firstCode(const TestServer& ts, const std::string& q) {
  auto r = ts.get("/api/terminology/concepts?q=" + urlEncode(q) + "&limit=5");
  REQUIRE(r.status == 200);
  auto d = parse(r);
  REQUIRE(d["concepts"].Size() > 0);
  return d["concepts"][0]["code"].GetString();
}

}  // namespace

TEST_CASE("terminology: releases of the demo terminology", "[terminology][api]") {
  TermServer ts;
  auto d = parse(ts.get("/api/terminology"));
  std::set<std::string> systems;
  for (auto& r : d["releases"].GetArray()) systems.insert(r["system"].GetString());
  CHECK(systems.count("http://snomed.info/sct"));
  CHECK(systems.count("http://hl7.org/fhir/sid/icd-10-se"));
  CHECK(systems.count("http://www.whocc.no/atc"));
  CHECK(systems.count("urn:oid:1.2.752.116.1.3.2.1.4"));
  CHECK(systems.count("http://informationsstruktur.socialstyrelsen.se"));
}

TEST_CASE("terminology: Swedish search finds myocardial infarction first", "[terminology][api]") {
  TermServer ts;
  const std::string mi = firstCode(ts, "hjärtinfarkt");
  auto c = parse(ts.get("/api/terminology/concepts/" + mi));
  CHECK(std::string(c["concept"]["fsn"].GetString()) == "Myocardial infarction (disorder)");
  CHECK(std::string(c["concept"]["semantic_tag"].GetString()) == "disorder");
  CHECK(firstCode(ts, "hjartinfarkt") == mi);
  // "infarkt" alone: myocardial infarction is among the first hits (infix in a compound).
  auto inf = parse(ts.get("/api/terminology/concepts?q=infarkt&limit=5"));
  bool found = false;
  for (auto& h : inf["concepts"].GetArray()) found = found || h["code"].GetString() == mi;
  CHECK(found);
  // English too.
  auto en = parse(ts.get("/api/terminology/concepts?q=myocardial+infarction&lang=en&limit=3"));
  CHECK(std::string(en["concepts"][0]["code"].GetString()) == mi);
  // Inactive concepts are never returned by default.
  auto all = parse(ts.get("/api/terminology/concepts?q=infarkt&limit=200"));
  for (auto& h : all["concepts"].GetArray()) CHECK(h["concept"]["active"].GetBool());
}

TEST_CASE("terminology: constrained search, subsumption, ECL, replacements", "[terminology][api]") {
  TermServer ts;
  const std::string mi = firstCode(ts, "hjärtinfarkt");
  const std::string stemi = firstCode(ts, "STEMI");
  auto sub = parse(ts.get("/api/terminology/subsumes?a=" + mi + "&b=" + stemi));
  CHECK(std::string(sub["outcome"].GetString()) == "subsumes");
  auto rev = parse(ts.get("/api/terminology/subsumes?a=" + stemi + "&b=" + mi));
  CHECK(std::string(rev["outcome"].GetString()) == "subsumed-by");
  CHECK(ts.get("/api/terminology/subsumes?a=" + mi + "&b=1").status == 404);

  auto ecl = parse(ts.get("/api/terminology/ecl?expr=" + urlEncode("<< " + mi)));
  CHECK(ecl["total"].GetInt() >= 2);
  auto bad = ts.get("/api/terminology/ecl?expr=" + urlEncode("<< " + mi + " AND"));
  CHECK(bad.status == 400);
  CHECK(bad.body.find("column") != std::string::npos);

  // Only descendants of myocardial infarction: the STEMI concept, not the disorder itself.
  auto constrained =
      parse(ts.get("/api/terminology/concepts?q=infarkt&ecl=" + urlEncode("< " + mi)));
  REQUIRE(constrained["concepts"].Size() > 0);
  for (auto& h : constrained["concepts"].GetArray()) CHECK(h["code"].GetString() != mi);

  // Inactive concepts carry their replacements.
  auto inactive = parse(ts.get("/api/terminology/concepts?q=infarkt&include_inactive=1&limit=200"));
  bool sawReplacement = false;
  for (auto& h : inactive["concepts"].GetArray()) {
    if (h["concept"]["active"].GetBool()) continue;
    auto c = parse(ts.get(std::string("/api/terminology/concepts/") + h["code"].GetString()));
    sawReplacement = sawReplacement || c["replacements"].Size() > 0;
  }
  CHECK(sawReplacement);
}

TEST_CASE("terminology: classifications", "[terminology][api]") {
  TermServer ts;
  const std::string icd = "system=" + urlEncode("http://hl7.org/fhir/sid/icd-10-se");
  auto c = parse(ts.get("/api/terminology/concepts/I21.0?" + icd));
  CHECK(std::string(c["parents"][0]["code"].GetString()) == "I21");
  auto s = parse(ts.get("/api/terminology/concepts?q=hjärtinfarkt&" + icd));
  REQUIRE(s["concepts"].Size() > 0);
  CHECK(std::string(s["concepts"][0]["code"].GetString()).rfind("I21", 0) == 0);
  auto sub = parse(ts.get("/api/terminology/subsumes?a=I21&b=I21.0&" + icd));
  CHECK(std::string(sub["outcome"].GetString()) == "subsumes");
  CHECK(ts.get("/api/terminology/ecl?expr=*&" + icd).status == 400);
}

TEST_CASE("FHIR terminology operations are valid FHIR R4", "[terminology][fhir][conformance]") {
  TermServer ts;
  const std::string mi = firstCode(ts, "hjärtinfarkt");
  const std::string stemi = firstCode(ts, "STEMI");
  const std::string sct = urlEncode("http://snomed.info/sct");
  test::TempDir out;
  std::vector<std::string> files;
  auto save = [&](const std::string& name, const test::HttpResponse& r, int status = 200) {
    INFO(name << ": " << r.body.substr(0, 300));
    CHECK(r.status == status);
    CHECK(r.headers.at("content-type").rfind("application/fhir+json", 0) == 0);
    files.push_back(out.file(name + ".json"));
    test::writeFile(files.back(), r.body);
    return parse(r);
  };
  save("metadata", ts.get("/fhir/metadata"));
  auto lookup = save("lookup", ts.get("/fhir/CodeSystem/$lookup?system=" + sct + "&code=" + mi));
  bool display = false;
  for (auto& p : lookup["parameter"].GetArray())
    if (std::string(p["name"].GetString()) == "display")
      display = std::string(p["valueString"].GetString()) == "hjärtinfarkt";
  CHECK(display);
  auto lookupEn = save("lookup-en", ts.get("/fhir/CodeSystem/%24lookup?system=" + sct +
                                           "&code=" + mi + "&displayLanguage=en"));
  auto sub = save("subsumes", ts.get("/fhir/CodeSystem/$subsumes?system=" + sct + "&codeA=" + mi +
                                     "&codeB=" + stemi));
  CHECK(std::string(sub["parameter"][0]["valueCode"].GetString()) == "subsumes");
  auto valid = save("validate", ts.get("/fhir/CodeSystem/$validate-code?url=" + sct +
                                       "&code=" + mi + "&display=" + urlEncode("hjärtinfarkt")));
  CHECK(valid["parameter"][0]["valueBoolean"].GetBool());
  auto invalid = save("validate-bad", ts.get("/fhir/CodeSystem/$validate-code?url=" + sct +
                                             "&code=" + mi + "&display=" + urlEncode("benbrott")));
  CHECK_FALSE(invalid["parameter"][0]["valueBoolean"].GetBool());
  auto expand = save("expand-isa",
                     ts.get("/fhir/ValueSet/$expand?url=" +
                            urlEncode("http://snomed.info/sct?fhir_vs=isa/" + mi) + "&count=10"));
  CHECK(expand["expansion"]["total"].GetInt() >= 2);
  auto ecl = save("expand-ecl", ts.get("/fhir/ValueSet/$expand?url=" +
                                       urlEncode("http://snomed.info/sct?fhir_vs=ecl/< " + mi) +
                                       "&displayLanguage=sv-SE"));
  auto filtered =
      save("expand-filter",
           ts.get("/fhir/ValueSet/$expand?url=" + urlEncode("http://snomed.info/sct?fhir_vs") +
                  "&filter=" + urlEncode("hjärtinfarkt") + "&count=5"));
  CHECK(filtered["expansion"]["contains"].Size() > 0);
  save("lookup-unknown", ts.get("/fhir/CodeSystem/$lookup?system=" + sct + "&code=123"), 404);
  save("expand-bad-ecl",
       ts.get("/fhir/ValueSet/$expand?url=" + urlEncode("http://snomed.info/sct?fhir_vs=ecl/<< (")),
       400);

  std::string cmd = "node " + test::sourceDir() + "/tests/conformance/validate-fhir.mjs";
  for (const auto& f : files) cmd += " '" + f + "'";
  cmd += " > " + out.file("validation.txt") + " 2>&1";
  const int rc = std::system(cmd.c_str());
  INFO(test::readFile(out.file("validation.txt")));
  CHECK(rc == 0);
}
