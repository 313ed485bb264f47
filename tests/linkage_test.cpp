// Compatibility over the API, the harmonisation matrix, and linkage plans for demo registers
// under different CPUAs and under the same CPUA: secrecy note, warnings, checklist, exports,
// status and history.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "cli/demo.h"
#include "test_support.h"

using namespace regcat;

namespace {

struct DemoServer : test::TestServer {
  DemoServer() : TestServer(true) {
    app::loadDemoTerminology(*db.store, test::dataDir());
    app::loadDemoMappings(*db.store, test::dataDir());
  }
};

rapidjson::Document parse(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

std::string grade(const DemoServer& s, const std::string& a, const std::string& b) {
  auto r = s.get("/api/compatibility?a=" + test::urlEncode(a) + "&b=" + test::urlEncode(b));
  REQUIRE(r.status == 200);
  return parse(r.body)["result"]["grade"].GetString();
}

bool hasWarning(const rapidjson::Value& review, const std::string& code,
                const std::string& subject = {}) {
  for (const auto& w : review["warnings"].GetArray())
    if (w["code"].GetString() == code && (subject.empty() || w["subject"].GetString() == subject))
      return true;
  return false;
}

const rapidjson::Value& step(const rapidjson::Value& review, int n) {
  for (const auto& s : review["checklist"].GetArray())
    if (s["step"].GetInt() == n) return s;
  FAIL("no step " << n);
  return review;
}

// A samkörning between Riksstroke (Region Västerbotten) and the diabetes register
// (Västra Götalandsregionen).
const char* kTwoCpuas = R"({
  "title": "Rökning och blodtryck efter stroke hos personer med diabetes",
  "kind": "samkorning",
  "purpose_category": "kvalitetssakring",
  "purpose": "Följa upp riskfaktorbehandling efter stroke hos personer med diabetes.",
  "necessity": "Uppgifterna finns inte i något av registren var för sig.",
  "responsible_cpua": "Region Västerbotten",
  "registers": [
    {"register": "strokereg", "role": "begarande", "purpose_reference": "ändamål 1",
     "check_outcome": "förenligt"},
    {"register": "diabetes", "role": "utlamnande"}
  ],
  "variables": [
    {"variable": "strokereg/akut/pnr", "role": "linkage-key", "justification": "Samkörningsnyckel."},
    {"variable": "strokereg/akut/rokning", "justification": "Riskfaktor vid insjuknandet."},
    {"variable": "strokereg/akut/sys_bt", "justification": "Blodtryck vid ankomst."},
    {"variable": "diabetes/grunddata/pnr", "role": "linkage-key", "justification": "Nyckel."},
    {"variable": "diabetes/besok/pnr"},
    {"variable": "diabetes/besok/rokning", "justification": "Rökning vid besök."},
    {"variable": "diabetes/besok/sys_bt", "justification": "Blodtryck vid besök."},
    {"variable": "diabetes/besok/hba1c"}
  ],
  "output_form": "aggregerad",
  "retention": "Fem år efter projektets slut."
})";

// Riksstroke and SWEDEHEART-like hjärtintensiv register, both under Region Västerbotten, but
// for research: not a purpose a QR-to-QR samkörning may have.
const char* kSameCpua = R"({
  "title": "Hjärtinfarkt före stroke",
  "kind": "samkorning",
  "purpose_category": "forskning",
  "purpose": "Studera sambandet mellan tidigare hjärtinfarkt och strokeförlopp.",
  "responsible_cpua": "Region Västerbotten",
  "registers": ["strokereg", "hjartintensiv"],
  "variables": [
    {"variable": "strokereg/akut/tid_hjartinfarkt", "justification": "Exponering."},
    {"variable": "hjartintensiv/vardtillfalle/tid_hjartinfarkt", "justification": "Exponering."},
    {"variable": "hjartintensiv/vardtillfalle/kon", "justification": "Justering."},
    {"variable": "strokereg/akut/kon", "justification": "Justering."}
  ],
  "identifiers_removed_after_linkage": true
})";

}  // namespace

TEST_CASE("compatibility grades over the API, case by case", "[linkage][compat]") {
  DemoServer s;
  // identical: same concept, same unit
  CHECK(grade(s, "strokereg/akut/sys_bt", "diabetes/besok/sys_bt") == "identical");
  // compatible: one-to-one recode (1/2 vs M/K), unit factors (cm/m, µmol/L vs mmol/L)
  CHECK(grade(s, "strokereg/akut/kon", "hjartintensiv/vardtillfalle/kon") == "compatible");
  CHECK(grade(s, "diabetes/besok/langd", "hoftprotes/primaroperation/langd") == "compatible");
  CHECK(grade(s, "hjartintensiv/vardtillfalle/kreatinin", "diabetes/besok/kreatinin") ==
        "compatible");
  // identical code lists: same codes, same labels
  CHECK(grade(s, "strokereg/akut/kon", "hoftprotes/primaroperation/kon") == "identical");
  // partial: lossy recode (4-level smoking to 2-level) and subsumption in both directions
  CHECK(grade(s, "diabetes/besok/rokning", "strokereg/akut/rokning") == "partial");
  CHECK(grade(s, "strokereg/akut/statin_ut", "hjartintensiv/vardtillfalle/lipid_ut") == "partial");
  CHECK(grade(s, "hjartintensiv/vardtillfalle/lipid_ut", "strokereg/akut/statin_ut") == "partial");
  // incompatible: systolic versus diastolic
  CHECK(grade(s, "strokereg/akut/sys_bt", "diabetes/besok/dia_bt") == "incompatible");
  // unknown: a side without an approved binding (either side)
  CHECK(grade(s, "strokereg/akut/alder", "diabetes/besok/sys_bt") == "unknown");
  CHECK(grade(s, "diabetes/besok/sys_bt", "strokereg/akut/alder") == "unknown");

  auto r = parse(s.get("/api/compatibility?a=diabetes/besok/langd&b=hoftprotes/primaroperation/"
                       "langd")
                     .body);
  const auto& t = r["result"]["transform"];
  CHECK(std::string(t["kind"].GetString()) == "unit-factor");
  CHECK(t["unit"]["factor"].GetDouble() == Approx(0.01));
  auto k = parse(
      s.get("/api/compatibility?a=strokereg/akut/kon&b=hjartintensiv/vardtillfalle/kon").body);
  CHECK(k["result"]["transform"]["table"].Size() == 2);

  CHECK(s.get("/api/compatibility?a=strokereg/akut/sys_bt").status == 400);
  CHECK(s.get("/api/compatibility?a=strokereg/akut/nope&b=diabetes/besok/sys_bt").status == 404);
}

TEST_CASE("the harmonisation matrix: concepts by registers, paged, with topics and CSV",
          "[linkage][matrix]") {
  DemoServer s;
  auto r = s.get(
      "/api/harmonisation/matrix?registers=strokereg,hjartintensiv,diabetes,hoftprotes"
      "&limit=5");
  REQUIRE(r.status == 200);
  auto m = parse(r.body);
  CHECK(m["columns"].Size() == 4);
  CHECK(m["rows"].Size() == 5);
  CHECK(m["total_rows"].GetInt() > 20);
  // The most widely covered concepts come first: sex and smoking are in all four registers.
  CHECK(m["rows"][0]["registers_covered"].GetInt() == 4);
  for (rapidjson::SizeType i = 1; i < m["rows"].Size(); ++i)
    CHECK(m["rows"][i]["registers_covered"].GetInt() <=
          m["rows"][i - 1]["registers_covered"].GetInt());

  // Explicit rows; a concept groups variables bound below it (partial).
  auto lip = parse(s.get("/api/harmonisation/matrix?registers=strokereg,hjartintensiv"
                         "&concepts=60019999999101")
                       .body);
  REQUIRE(lip["rows"].Size() == 1);
  const auto& cells = lip["rows"][0]["cells"];
  CHECK(std::string(cells[0]["grade"].GetString()) == "partial");    // statin_ut (statin)
  CHECK(std::string(cells[1]["grade"].GetString()) == "identical");  // lipid_ut

  auto csv = s.get("/api/harmonisation/matrix?registers=strokereg,diabetes&format=csv");
  REQUIRE(csv.status == 200);
  CHECK(csv.body.find("concept_id,concept_label,registers_covered,strokereg,diabetes") !=
        std::string::npos);
  CHECK(csv.body.find("strokereg/akut/sys_bt (identical)") != std::string::npos);
  CHECK(s.get("/api/harmonisation/matrix?registers=nope").status == 404);
  CHECK(s.get("/api/harmonisation/matrix?topic=123").status == 400);
}

TEST_CASE("a linkage plan across two CPUAs: secrecy boundary, warnings, checklist, exports",
          "[linkage]") {
  DemoServer s;
  auto c = s.send("POST", "/api/linkage-plans", kTwoCpuas);
  INFO(c.body);
  REQUIRE(c.status == 201);
  auto p = parse(c.body);
  const std::string id = std::to_string(p["id"].GetInt64());
  CHECK(std::string(p["status"].GetString()) == "draft");
  const auto& r = p["review"];
  CHECK(r["cpuas"].Size() == 2);
  CHECK(r["secrecy_boundary"].GetBool());
  CHECK_FALSE(r["same_cpua"].GetBool());
  CHECK(std::string(r["secrecy_note"]["sv"].GetString()).find("sekretessgräns") !=
        std::string::npos);
  for (const auto& g : r["registers"].GetArray())
    CHECK(std::string(g["linkage_key"].GetString()) == "personnummer");

  CHECK(hasWarning(r, "missing-justification", "diabetes/besok/hba1c"));
  CHECK(hasWarning(r, "direct-identifier", "diabetes/besok/pnr"));  // a second pnr, no role
  CHECK_FALSE(hasWarning(r, "direct-identifier", "strokereg/akut/pnr"));
  CHECK_FALSE(hasWarning(r, "purpose-not-allowed"));
  CHECK(hasWarning(r, "concept-not-carried", "strokereg"));  // HbA1c only in diabetes

  // Every wanted concept, its carriers and the pairwise grades.
  std::map<std::string, std::string> grades;
  for (const auto& cpt : r["concepts"].GetArray())
    for (const auto& pair : cpt["pairs"].GetArray())
      grades[cpt["concept_id"].GetString()] = pair["compatibility"]["grade"].GetString();
  CHECK(grades["30019999999107"] == "identical");  // systolic blood pressure
  CHECK(grades["30719999999109"] == "partial");    // smoking: 4 levels versus 2

  CHECK(std::string(step(r, 1)["state"].GetString()) == "partial");  // diabetes' check missing
  CHECK(std::string(step(r, 5)["state"].GetString()) == "partial");
  CHECK(std::string(step(r, 6)["state"].GetString()) == "missing");  // no secrecy assessments
  CHECK(std::string(step(r, 7)["state"].GetString()) == "missing");
  CHECK(std::string(r["disclaimer"]["sv"].GetString()).find("CPUA") != std::string::npos);

  // Exports: JSON, the variable list per register (CSV), a printable page.
  auto j = s.get("/api/linkage-plans/" + id + "/export/json");
  CHECK(j.status == 200);
  CHECK(parse(j.body)["review"]["checklist"].Size() == 8);
  auto csv = s.get("/api/linkage-plans/" + id + "/export/csv?register=diabetes");
  REQUIRE(csv.status == 200);
  CHECK(csv.body.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.body.find("diabetes,besok,sys_bt") != std::string::npos);
  CHECK(csv.body.find("strokereg") == std::string::npos);
  CHECK(csv.body.find("Systoliskt blodtryck") != std::string::npos);
  auto html = s.get("/api/linkage-plans/" + id + "/export/html");
  REQUIRE(html.status == 200);
  CHECK(html.headers["content-type"].find("text/html") != std::string::npos);
  CHECK(html.body.find("Rökning och blodtryck efter stroke") != std::string::npos);
  CHECK(html.body.find("Sekretessprövning") != std::string::npos);
  CHECK(s.get("/api/linkage-plans/" + id + "/export/pdf").status == 404);
}

TEST_CASE("a linkage plan under one CPUA, its status and history", "[linkage]") {
  DemoServer s;
  auto c = s.send("POST", "/api/linkage-plans", kSameCpua);
  INFO(c.body);
  REQUIRE(c.status == 201);
  auto p = parse(c.body);
  const std::string id = std::to_string(p["id"].GetInt64());
  const auto& r = p["review"];
  CHECK(r["same_cpua"].GetBool());
  CHECK_FALSE(r["secrecy_boundary"].GetBool());
  CHECK(std::string(r["secrecy_note"]["sv"].GetString()).find("ingen sekretessgräns") !=
        std::string::npos);
  CHECK(hasWarning(r, "purpose-not-allowed"));
  CHECK(std::string(step(r, 6)["state"].GetString()) == "documented");
  CHECK(std::string(step(r, 1)["state"].GetString()) != "documented");

  // Status: draft -> submitted -> approved, each kept in the history; an approved plan is a
  // record and is not edited.
  CHECK(s.send("POST", "/api/linkage-plans/" + id + "/status", R"({"status":"approved"})").status ==
        409);
  CHECK(
      s.send("POST", "/api/linkage-plans/" + id + "/status", R"({"status":"submitted"})").status ==
      200);
  auto ok = s.send("POST", "/api/linkage-plans/" + id + "/status",
                   R"({"status":"approved","note":"Beslut 2026-11-20, dnr 123-2026."})");
  REQUIRE(ok.status == 200);
  CHECK(std::string(parse(ok.body)["status"].GetString()) == "approved");
  CHECK(s.send("PUT", "/api/linkage-plans/" + id, kSameCpua).status == 409);
  auto h = parse(s.get("/api/linkage-plans/" + id + "/history").body);
  REQUIRE(h["history"].Size() == 3);
  CHECK(std::string(h["history"][2]["action"].GetString()) == "approved");
  auto list = parse(s.get("/api/linkage-plans?register=hjartintensiv").body);
  CHECK(list["total"].GetInt() == 1);

  // Bad plans name the field and store nothing.
  CHECK(s.send("POST", "/api/linkage-plans",
               R"({"title":"x","kind":"samkorning","purpose_category":"kvalitetssakring",
                   "registers":["strokereg"],
                   "variables":[{"variable":"diabetes/besok/sys_bt"}]})")
            .status == 400);
  CHECK(s.send("POST", "/api/linkage-plans",
               R"({"title":"x","kind":"merge","purpose_category":"statistik",
                   "registers":["strokereg"]})")
            .status == 400);
  CHECK(test::http(s.port(), "POST", "/api/linkage-plans", kSameCpua).status == 401);
  CHECK(parse(s.get("/api/linkage-plans").body)["total"].GetInt() == 1);
}

TEST_CASE("compat, matrix and plan from the command line", "[linkage][cli]") {
  test::TempDir dir;
  const std::string db = dir.file("cli.db");
  {
    Store store(db);
    app::loadDemoOnFirstStart(store, test::dataDir());
  }
  auto run = [&](const std::string& args) {
    const std::string out = dir.file("out.txt");
    const int rc = std::system(
        (std::string(REGCAT_BINARY) + " " + args + " --db " + db + " >" + out + " 2>&1").c_str());
    return std::make_pair(WEXITSTATUS(rc), test::readFile(out));
  };
  auto [rc1, compat] = run("compat diabetes/besok/rokning strokereg/akut/rokning");
  CHECK(rc1 == 0);
  CHECK(compat.find(": partial") != std::string::npos);
  CHECK(compat.find("1 -> 2") != std::string::npos);
  auto [rc2, matrix] = run("matrix --registers strokereg,diabetes --csv");
  CHECK(rc2 == 0);
  CHECK(matrix.find("strokereg/akut/sys_bt (identical)") != std::string::npos);
  test::writeFile(dir.file("plan.json"), kTwoCpuas);
  auto [rc3, created] = run("plan create " + dir.file("plan.json") + " --actor anna");
  INFO(created);
  CHECK(rc3 == 0);
  CHECK(created.find("sekretessgräns") != std::string::npos);
  CHECK(run("plan status 1 submitted").first == 0);
  CHECK(run("plan export 1 html -o " + dir.file("plan.html")).first == 0);
  CHECK(test::readFile(dir.file("plan.html")).find("<!DOCTYPE html>") == 0);
  CHECK(run("plan export 1 csv --register strokereg -o " + dir.file("v.csv")).first == 0);
  CHECK(test::readFile(dir.file("v.csv")).find("strokereg,akut,rokning") != std::string::npos);
  CHECK(run("compat strokereg/akut/nope diabetes/besok/sys_bt").first == 1);
}
