// The mapping workbench over HTTP: curation, review with ETags, bulk actions, the review queue,
// suggestions, SSSOM import and export, the FHIR ConceptMap and $translate; and the CLI.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "cli/demo.h"
#include "test_support.h"

using namespace regcat;

namespace {

struct MapServer : test::TestServer {
  MapServer() : TestServer(true) {
    app::loadDemoTerminology(*db.store, test::dataDir());
    app::loadDemoMappings(*db.store, test::dataDir());
  }
  test::HttpResponse sendWith(const std::string& method, const std::string& target,
                              const std::string& body,
                              std::map<std::string, std::string> headers) const {
    headers["Authorization"] = std::string("Bearer ") + kToken;
    return test::http(port(), method, target, body,
                      test::withIfMatch(port(), method, target, std::move(headers)));
  }
};

rapidjson::Document parse(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

std::string str(const rapidjson::Value& v, const char* key) {
  REQUIRE(v.HasMember(key));
  return v[key].IsString() ? v[key].GetString() : "";
}

}  // namespace

TEST_CASE("the demo ships approved, proposed and suggested mappings", "[mapping-api]") {
  MapServer s;
  for (const char* status : {"approved", "proposed", "suggested"}) {
    auto r = s.get(std::string("/api/mappings?status=") + status + "&limit=1");
    REQUIRE(r.status == 200);
    CHECK(parse(r.body)["total"].GetInt() > 0);
  }
  auto r = s.get("/api/mappings?register=strokereg&status=approved&limit=500");
  auto d = parse(r.body);
  CHECK(d["total"].GetInt() >= 20);
  bool sawCode = false;
  for (const auto& m : d["mappings"].GetArray()) {
    CHECK(str(m, "register") == "strokereg");
    CHECK(str(m, "status") == "approved");
    if (!m["code"].IsNull()) sawCode = true;
  }
  CHECK(sawCode);  // value-level mappings are part of the demo
  CHECK(s.get("/api/mappings?status=maybe").status == 400);
}

TEST_CASE("create, review with four eyes, ETag and history through the API", "[mapping-api]") {
  MapServer s;
  // The admin token acts as "admin"; a mapping it makes cannot be approved by it.
  auto c = s.send("POST", "/api/mappings",
                  R"({"subject":"strokereg/akut/alder","system":"snomed",
                      "concept_id":"30609999999104","predicate":"skos:broadMatch",
                      "comment":"Ålder är en tidsuppgift."})");
  REQUIRE(c.status == 201);
  auto m = parse(c.body);
  const std::string id = std::to_string(m["id"].GetInt64());
  CHECK(str(m, "status") == "proposed");
  CHECK(str(m, "author") == "admin");
  CHECK(str(m, "subject_label") == "Ålder vid insjuknandet");
  CHECK(c.headers["etag"] == "\"1\"");
  CHECK(c.headers["location"] == "/api/mappings/" + id);

  CHECK(s.send("POST", "/api/mappings/" + id + "/review", R"({"decision":"approve"})").status ==
        403);
  // Anonymous writes are refused.
  CHECK(test::http(s.port(), "POST", "/api/mappings/" + id + "/review", R"({"decision":"reject"})")
            .status == 401);
  // A stale If-Match gets 412 and changes nothing.
  auto stale =
      s.sendWith("PUT", "/api/mappings/" + id, R"({"comment":"x"})", {{"If-Match", "\"7\""}});
  CHECK(stale.status == 412);
  auto upd = s.sendWith("PUT", "/api/mappings/" + id,
                        R"({"predicate":"skos:relatedMatch","comment":"Närliggande."})",
                        {{"If-Match", "\"1\""}});
  REQUIRE(upd.status == 200);
  CHECK(upd.headers["etag"] == "\"2\"");
  auto rej = s.send("POST", "/api/mappings/" + id + "/review",
                    R"({"decision":"reject","comment":"Ålder är inget begrepp att mappa hit."})");
  REQUIRE(rej.status == 200);
  CHECK(str(parse(rej.body), "status") == "rejected");
  auto h = parse(s.get("/api/mappings/" + id + "/history").body);
  REQUIRE(h["history"].Size() == 3);
  CHECK(str(h["history"][0], "action") == "created");
  CHECK(str(h["history"][2], "action") == "rejected");
  CHECK(str(h["history"][2], "actor") == "admin");

  // Bad input names the field and writes nothing.
  auto bad = s.send("POST", "/api/mappings",
                    R"({"subject":"strokereg/akut/finns_inte","concept_id":"30609999999104"})");
  CHECK(bad.status == 400);
  CHECK(bad.body.find("subject") != std::string::npos);
  CHECK(s.send("POST", "/api/mappings", R"({"subject":"strokereg/akut/alder",
      "concept_id":"30609999999104","colour":"red"})")
            .status == 400);
}

TEST_CASE("bulk actions and the review queue", "[mapping-api]") {
  MapServer s;
  // Demo suggestions above 0.7 become proposed (by admin), then reviewed.
  auto p = s.send("POST", "/api/mappings/bulk",
                  R"({"action":"promote","register":"hoftprotes","min_score":0.7})");
  REQUIRE(p.status == 200);
  auto pd = parse(p.body);
  CHECK(pd["changed"].Size() == 5);  // the five EQ-5D dimension suggestions (0.7)
  auto q = parse(s.get("/api/mappings/review-queue?limit=500").body);
  CHECK(q["total"].GetInt() >= 5);
  std::string ids;
  for (const auto& id : pd["changed"].GetArray())
    ids += (ids.empty() ? "" : ",") + std::to_string(id.GetInt64());
  auto self = parse(
      s.send("POST", "/api/mappings/bulk", R"({"action":"approve","ids":[)" + ids + "]}").body);
  CHECK(self["changed"].Size() == 0);  // admin promoted them: four eyes
  CHECK(self["skipped"].Size() == 5);
  auto off = s.send("PUT", "/api/mappings/settings", R"({"four_eyes":false})");
  CHECK(parse(off.body)["four_eyes"].GetBool() == false);
  auto ok = parse(s.send("POST", "/api/mappings/bulk",
                         R"({"action":"reject","ids":[)" + ids +
                             R"(],"comment":"Dimensionerna är inte skalan."})")
                      .body);
  CHECK(ok["changed"].Size() == 5);
  auto nm = parse(s.send("POST", "/api/mappings/bulk",
                         R"({"action":"no-match","subjects":["hoftprotes/prom/eq_vas"]})")
                      .body);
  CHECK(nm["changed"].Size() == 1);
  CHECK(s.send("POST", "/api/mappings/bulk", R"({"action":"explode"})").status == 400);
}

TEST_CASE("suggestions for a variable and for a code, and stored for a register", "[mapping-api]") {
  MapServer s;
  auto r = s.get("/api/variables/diabetes/besok/sys_bt/suggestions?system=snomed&limit=5");
  REQUIRE(r.status == 200);
  auto d = parse(r.body);
  REQUIRE(d.IsArray());
  REQUIRE(d.Size() >= 1);
  CHECK(str(d[0], "concept_id") == "30019999999107");
  CHECK(str(d[0], "semantic_tag") == "observable entity");
  CHECK(d[0]["score"].GetDouble() > 0.5);
  CHECK(d[0]["reasons"].Size() > 0);
  for (rapidjson::SizeType i = 1; i < d.Size(); ++i)
    CHECK(d[i]["score"].GetDouble() <= d[i - 1]["score"].GetDouble());

  auto code = parse(s.get("/api/variables/diabetes/besok/rokning/suggestions?code=4").body);
  REQUIRE(code.Size() >= 1);
  CHECK(str(code[0], "concept_id") == "14079999999101");  // röker dagligen

  CHECK(s.get("/api/variables/diabetes/besok/nope/suggestions").status == 404);
  CHECK(s.get("/api/variables/diabetes/besok/rokning/suggestions?code=77").status == 404);
  CHECK(s.get("/api/variables/diabetes/besok/rokning/suggestions?system=loinc").status == 404);

  auto saved = s.send("POST", "/api/mappings/suggest",
                      R"({"register":"diabetes","dataset":"patientenkat","limit":1})");
  REQUIRE(saved.status == 200);
  CHECK(parse(saved.body)["variables"].GetInt() == 8);
  auto list =
      parse(s.get("/api/mappings?register=diabetes&dataset=patientenkat&status=suggested").body);
  CHECK(list["total"].GetInt() >= 1);
}

TEST_CASE("SSSOM export re-imports to the same set, and a foreign file imports", "[mapping-api]") {
  MapServer s;
  auto e = s.get("/api/registers/strokereg/export/sssom");
  REQUIRE(e.status == 200);
  CHECK(e.headers["content-type"].find("tab-separated") != std::string::npos);
  CHECK(e.body.find("# curie_map:") != std::string::npos);
  CHECK(e.body.find("regcat:strokereg/akut/tid_hjartinfarkt") != std::string::npos);
  CHECK(e.body.find("SCTID:20019999999109") != std::string::npos);
  CHECK(e.body.find("hoftprotes") == std::string::npos);

  // Re-importing our own export changes nothing.
  auto again = s.send("POST", "/api/mappings/import?status=approved", e.body);
  REQUIRE(again.status == 200);
  auto a = parse(again.body);
  CHECK(a["created"].GetInt() == 0);
  CHECK(a["updated"].GetInt() == 0);
  CHECK(a["unchanged"].GetInt() == a["rows"].GetInt());

  // A file written by another tool (its own prefix for the register's variables, SNOMED:,
  // owl:equivalentClass, ORCID authors, a no-match row): its rows arrive as proposed.
  const std::string foreign =
      test::readFile(test::sourceDir() + "/tests/fixtures/sssom/other-tool-strokereg.sssom.tsv");
  auto f = s.send("POST", "/api/mappings/import?filename=other-tool.sssom.tsv", foreign);
  INFO(f.body);
  REQUIRE(f.status == 200);
  CHECK(parse(f.body)["created"].GetInt() == 6);
  auto imported = parse(s.get("/api/mappings?register=strokereg&variable=strokediagnos").body);
  int codeRows = 0;
  for (const auto& m : imported["mappings"].GetArray()) {
    if (m["code"].IsNull()) continue;
    ++codeRows;
    CHECK(str(m, "status") == "proposed");
    CHECK(str(m, "author") == "orcid:0000-0002-1825-0097");
  }
  CHECK(codeRows == 4);
  auto i61 = parse(s.get("/api/mappings?register=strokereg&concept=10569999999105").body);
  REQUIRE(i61["total"].GetInt() == 1);
  CHECK(str(i61["mappings"][0], "predicate") == "skos:exactMatch");  // owl:equivalentClass
  // Importing it again changes nothing.
  auto f2 = parse(s.send("POST", "/api/mappings/import", foreign).body);
  CHECK(f2["unchanged"].GetInt() == 6);

  // A row naming an unknown variable is reported with its line; nothing is written.
  const std::string before = s.get("/api/mappings?limit=0").body;
  std::string bad = e.body;
  bad +=
      "regcat:strokereg/akut/finns_inte\tX\tskos:exactMatch\tSCTID:10109999999103\t"
      "hjärtinfarkt\tsemapv:ManualMappingCuration\n";
  auto b = s.send("POST", "/api/mappings/import", bad);
  CHECK(b.status == 400);
  CHECK(b.body.find("finns_inte") != std::string::npos);
  CHECK(s.get("/api/mappings?limit=0").body == before);
}

TEST_CASE("FHIR ConceptMap per register and $translate from approved mappings", "[mapping-api]") {
  MapServer s;
  auto cm = s.get("/fhir/ConceptMap/strokereg");
  REQUIRE(cm.status == 200);
  auto d = parse(cm.body);
  CHECK(str(d, "resourceType") == "ConceptMap");
  REQUIRE(d["group"].Size() >= 1);
  CHECK(s.get("/api/registers/hoftprotes/export/fhir-conceptmap").status == 200);
  CHECK(s.get("/fhir/ConceptMap/finnsinte").status == 404);

  auto t = parse(s.get("/fhir/ConceptMap/$translate?system=" +
                       test::urlEncode("http://localhost:8080/variables") +
                       "&code=" + test::urlEncode("strokereg/akut/tid_hjartinfarkt"))
                     .body);
  CHECK(str(t, "resourceType") == "Parameters");
  bool result = false, found = false;
  for (const auto& p : t["parameter"].GetArray()) {
    if (str(p, "name") == "result") result = p["valueBoolean"].GetBool();
    if (str(p, "name") == "match")
      for (const auto& part : p["part"].GetArray())
        if (str(part, "name") == "concept" &&
            std::string(part["valueCoding"]["code"].GetString()) == "20019999999109")
          found = true;
  }
  CHECK(result);
  CHECK(found);

  // Reverse: which variables are mapped to systolic blood pressure?
  auto rev = s.get(
      "/fhir/ConceptMap/$translate?system=http://snomed.info/sct"
      "&code=30019999999107&reverse=true");
  REQUIRE(rev.status == 200);
  CHECK(rev.body.find("diabetes/besok/sys_bt") != std::string::npos);
  CHECK(rev.body.find("strokereg/akut/sys_bt") != std::string::npos);
}

TEST_CASE("the mapping CLI: add, review, queue, suggest, SSSOM round trip", "[mapping-api][cli]") {
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
  auto [rc1, add] =
      run("mapping add strokereg/akut/alder 30609999999104 --predicate "
          "skos:broadMatch --actor anna");
  INFO(add);
  REQUIRE(rc1 == 0);
  std::string id;
  std::istringstream(add) >> id;  // the listing starts with the mapping's id
  CHECK(run("mapping review " + id + " approve --actor anna").first == 1);  // four eyes
  CHECK(run("mapping review " + id + " approve --actor bertil").first == 0);
  auto [rc2, show] = run("mapping show " + id);
  CHECK(rc2 == 0);
  CHECK(show.find("reviewed by bertil") != std::string::npos);
  CHECK(run("mapping queue").first == 0);
  auto [rc3, sug] = run("suggest --register hoftprotes --dataset prom --limit 2 --json");
  CHECK(rc3 == 0);
  CHECK(sug.find("\"variables\"") != std::string::npos);
  CHECK(run("export sssom --register strokereg -o " + dir.file("s.sssom.tsv")).first == 0);
  auto [rc4, imp] = run("import sssom --status approved " + dir.file("s.sssom.tsv"));
  INFO(imp);
  CHECK(rc4 == 0);
  CHECK(imp.find("0 created, 0 updated") != std::string::npos);
  CHECK(run("export fhir-conceptmap --register strokereg -o " + dir.file("cm.json")).first == 0);
  CHECK(test::readFile(dir.file("cm.json")).find("\"ConceptMap\"") != std::string::npos);
}
