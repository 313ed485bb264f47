// The REST API end to end: a real Pistache server on a loopback port with the demo catalogue,
// spoken to over a socket. Every rejected write is followed by a check that the catalogue is
// exactly as it was before.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "catalog/text.h"
#include "test_support.h"

using namespace regcat::test;

namespace {

HttpResponse fetch(const TestServer& ts, const std::string& target) {
  return ts.get(target);
}

// A write with the admin token.
HttpResponse admin(const TestServer& ts, const std::string& method, const std::string& target,
                   const std::string& body = {}) {
  return ts.send(method, target, body);
}

rapidjson::Document parseJson(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  INFO("body: " << body.substr(0, 2000));
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

rapidjson::Document parseJson(const HttpResponse& r) {
  INFO("status " << r.status);
  return parseJson(r.body);
}

// A string member, "<null>" for null and "<missing>" when absent or not a string.
std::string str(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject()) return "<not an object>";
  auto it = v.FindMember(key);
  if (it == v.MemberEnd()) return "<missing>";
  if (it->value.IsNull()) return "<null>";
  if (!it->value.IsString()) return "<not a string>";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

int integer(const rapidjson::Value& v, const char* key) {
  REQUIRE(v.IsObject());
  auto it = v.FindMember(key);
  REQUIRE(it != v.MemberEnd());
  REQUIRE(it->value.IsInt());
  return it->value.GetInt();
}

const rapidjson::Value& member(const rapidjson::Value& v, const char* key) {
  REQUIRE(v.IsObject());
  auto it = v.FindMember(key);
  INFO("member " << key);
  REQUIRE(it != v.MemberEnd());
  return it->value;
}

const rapidjson::Value& array(const rapidjson::Value& v, const char* key) {
  const auto& a = member(v, key);
  INFO("member " << key);
  REQUIRE(a.IsArray());
  return a;
}

std::string serialize(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

bool isJsonContent(const HttpResponse& r) {
  auto it = r.headers.find("content-type");
  return it != r.headers.end() && it->second.find("application/json") == 0;
}

// A JSON error response {error, detail} with the given status; returns the detail.
std::string expectError(const HttpResponse& r, int status) {
  INFO("status " << r.status << " body " << r.body.substr(0, 1000));
  CHECK(r.status == status);
  CHECK(isJsonContent(r));
  auto d = parseJson(r.body);
  REQUIRE(d.IsObject());
  CHECK(d.HasMember("error"));
  CHECK(d["error"].IsString());
  REQUIRE(d.HasMember("detail"));
  REQUIRE(d["detail"].IsString());
  CHECK(std::string(d["detail"].GetString()).size() > 0);
  return d["detail"].GetString();
}

// Everything a write could change: the full export (minus its time stamp) and all code lists.
std::string snapshot(const TestServer& ts) {
  auto exp = fetch(ts, "/api/export/json");
  REQUIRE(exp.status == 200);
  auto d = parseJson(exp.body);
  REQUIRE(d.IsObject());
  d.RemoveMember("exported_at");
  auto cl = fetch(ts, "/api/codelists");
  REQUIRE(cl.status == 200);
  auto regs = fetch(ts, "/api/registers");
  REQUIRE(regs.status == 200);
  return serialize(d) + "\n" + cl.body + "\n" + regs.body;
}

// "" when equal, otherwise where the two texts start to differ.
std::string difference(const std::string& a, const std::string& b) {
  if (a == b) return "";
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const size_t from = i > 80 ? i - 80 : 0;
  return "differ at byte " + std::to_string(i) + ":\n  before: " + a.substr(from, 200) +
         "\n  after:  " + b.substr(from, 200);
}

std::vector<std::string> hitIds(const rapidjson::Value& doc) {
  std::vector<std::string> out;
  for (const auto& h : array(doc, "variables").GetArray()) out.push_back(str(h, "id"));
  return out;
}

std::string header(const HttpResponse& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

int currentYear() {
  return std::stoi(regcat::text::today().substr(0, 4));
}

const std::string kRegisterBody = R"({
  "id": "testreg",
  "name": {"sv": "Testregistret för Åre och Östersund", "en": "Test register"},
  "short_name": "TR",
  "purposes": ["Följa vårdens kvalitet", {"sv": "Förbättra utfall", "en": "Improve outcomes"}],
  "cpua": {"name": "Region Jämtland Härjedalen", "unit": "Regionstyrelsen"},
  "register_centre": "Registercentrum Norr",
  "certification_level": "2",
  "start_year": 2020,
  "coverage": [{"value": 80.5, "method": "Jämförelse", "period_start": "2023-01-01",
                "period_end": "2023-12-31", "level": "nationell"}],
  "unit_types": ["person"],
  "holds_personnummer": true,
  "keywords": ["test", "rökning"]
})";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Reads

TEST_CASE("API: health, OpenAPI document, static web app", "[api]") {
  TestServer ts;

  auto h = fetch(ts, "/healthz");
  CHECK(h.status == 200);
  CHECK(isJsonContent(h));
  auto hd = parseJson(h);
  CHECK(str(hd, "status") == "ok");
  CHECK(integer(hd, "schema_version") >= 1);

  auto head = http(ts.port(), "HEAD", "/healthz");
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  auto o = fetch(ts, "/api/openapi.json");
  CHECK(o.status == 200);
  CHECK(isJsonContent(o));
  auto od = parseJson(o);
  REQUIRE(od.IsObject());
  CHECK(str(od, "openapi").rfind("3.1", 0) == 0);
  CHECK(od.HasMember("paths"));

  auto root = fetch(ts, "/");
  CHECK(root.status == 200);
  CHECK(header(root, "content-type").rfind("text/html", 0) == 0);
  CHECK(root.body == readFile(sourceDir() + "/web/static/index.html"));
  CHECK(header(root, "x-content-type-options") == "nosniff");

  auto index = fetch(ts, "/index.html");
  CHECK(index.status == 200);
  CHECK(index.body == root.body);

  expectError(fetch(ts, "/no-such-file.js"), 404);
  expectError(fetch(ts, "/api/no-such-resource"), 404);
}

TEST_CASE("API: register list in Swedish collation order", "[api]") {
  TestServer ts;
  auto r = fetch(ts, "/api/registers");
  REQUIRE(r.status == 200);
  CHECK(isJsonContent(r));
  auto d = parseJson(r);
  CHECK(integer(d, "total") == 4);
  const auto& regs = array(d, "registers");
  REQUIRE(regs.Size() == 4);

  std::vector<std::string> ids, names;
  for (const auto& reg : regs.GetArray()) {
    ids.push_back(str(reg, "id"));
    names.push_back(str(member(reg, "name"), "sv"));
    CHECK(str(reg, "uri").find("/registers/" + ids.back()) != std::string::npos);
    CHECK(integer(reg, "dataset_count") > 0);
    CHECK(integer(reg, "variable_count") > 0);
    CHECK(!str(reg, "cpua").empty());
  }
  CHECK(std::set<std::string>(ids.begin(), ids.end()) ==
        std::set<std::string>{"strokereg", "hjartintensiv", "diabetes", "hoftprotes"});
  // "Nationella ..." before "Svenska ..."
  CHECK(ids == std::vector<std::string>{"diabetes", "strokereg", "hjartintensiv", "hoftprotes"});
  for (size_t i = 0; i + 1 < names.size(); ++i) {
    INFO(names[i] << " / " << names[i + 1]);
    CHECK(regcat::text::collate(names[i], names[i + 1]) <= 0);
  }
  auto sorted = names;
  std::stable_sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
    return regcat::text::collate(a, b) < 0;
  });
  CHECK(sorted == names);
  CHECK(names[0].rfind("Nationella", 0) == 0);
  CHECK(names[1].rfind("Nationella", 0) == 0);
  CHECK(names[2].rfind("Svenska", 0) == 0);
  CHECK(names[3].rfind("Svenska", 0) == 0);
}

TEST_CASE("API: register list orders å, ä, ö after z (created registers)", "[api]") {
  TestServer ts(false);
  // Byte order would put Ä (C3 84) before Å (C3 85) and "Z" before "a"; Swedish: a < z < å < ä < ö.
  const std::vector<std::pair<std::string, std::string>> regs = {
      {"r1", "Öronregistret"}, {"r2", "Ärftlighetsregistret"}, {"r3", "Åldersregistret"},
      {"r4", "Zetaregistret"}, {"r5", "alfaregistret"},        {"r6", "Betaregistret"}};
  for (const auto& [id, name] : regs) {
    auto c = admin(
        ts, "POST", "/api/registers",
        R"({"id":")" + id + R"(","name":{"sv":")" + name + R"("},"cpua":{"name":"Region Skåne"}})");
    INFO(c.body);
    REQUIRE(c.status == 201);
  }
  auto d = parseJson(fetch(ts, "/api/registers"));
  std::vector<std::string> names;
  for (const auto& r : array(d, "registers").GetArray())
    names.push_back(str(member(r, "name"), "sv"));
  CHECK(names == std::vector<std::string>{"alfaregistret", "Betaregistret", "Zetaregistret",
                                          "Åldersregistret", "Ärftlighetsregistret",
                                          "Öronregistret"});
}

TEST_CASE("API: one register with purposes, CPUA, coverage and datasets", "[api]") {
  TestServer ts;
  auto r = fetch(ts, "/api/registers/strokereg");
  REQUIRE(r.status == 200);
  CHECK(isJsonContent(r));
  auto d = parseJson(r);
  CHECK(str(d, "id") == "strokereg");
  CHECK(str(member(d, "name"), "sv") == "Nationella strokeregistret");
  CHECK(str(d, "uri") == "http://localhost:8080/registers/strokereg");

  const auto& purposes = array(d, "purposes");
  REQUIRE(purposes.Size() == 3);
  CHECK(str(purposes[0], "id") == "strokereg#purpose-1");
  CHECK(str(purposes[2], "id") == "strokereg#purpose-3");
  CHECK(str(purposes[0], "sv").rfind("Följa och förbättra", 0) == 0);

  CHECK(str(member(d, "cpua"), "name") == "Region Västerbotten");
  CHECK(str(member(d, "cpua"), "unit") == "Regionstyrelsen");
  // Swedish letters intact, byte for byte (NFC: ö is C3 B6).
  CHECK(str(member(d, "registerhallare"), "name") == "Karin Holmstr\xC3\xB6m");

  const auto& cov = array(d, "coverage");
  REQUIRE(cov.Size() == 3);
  CHECK(member(cov[0], "value").GetDouble() == Approx(90.7));
  CHECK(str(cov[0], "period_start") == "2021-01-01");
  CHECK(str(cov[0], "method").find("Jämförelse") == 0);

  const auto& ds = array(d, "datasets");
  REQUIRE(ds.Size() == 2);
  CHECK(str(ds[0], "id") == "akut");
  CHECK(str(ds[1], "id") == "uppf3man");
  CHECK(str(member(ds[1], "name"), "sv") == "3-månadersuppföljning");
  CHECK(integer(d, "start_year") == 1994);
  CHECK(str(d, "certification_level") == "1");
  const auto& units = array(d, "unit_types");
  REQUIRE(units.Size() == 2);
  CHECK(std::string(units[1].GetString()) == "vårdtillfälle");

  auto head = http(ts.port(), "HEAD", "/api/registers/strokereg");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
}

TEST_CASE("API: unknown resources are 404 JSON errors", "[api]") {
  TestServer ts;
  for (const std::string target :
       {"/api/registers/nope", "/api/registers/nope/datasets", "/api/registers/nope/variables",
        "/api/registers/strokereg/datasets/nope",
        "/api/registers/strokereg/datasets/nope/variables", "/api/registers/nope/datasets/akut",
        "/api/variables/strokereg/akut/nope", "/api/variables/strokereg/nope/rokning",
        "/api/variables/strokereg/akut/nope/history", "/api/variables/strokereg/akut",
        "/api/codelists/nope", "/api/codelists/nope/history", "/api/registers/strokereg/frobnicate",
        "/api/registers/nope/export/json"}) {
    INFO(target);
    const std::string detail = expectError(fetch(ts, target), 404);
    auto d = parseJson(fetch(ts, target));
    CHECK(str(d, "error") == "not_found");
    if (target.find("nope") != std::string::npos &&
        target.find("frobnicate") == std::string::npos && target != "/api/variables/strokereg/akut")
      CHECK(detail.find("nope") != std::string::npos);
  }
}

TEST_CASE("API: datasets and variable lists", "[api]") {
  TestServer ts;
  auto l = fetch(ts, "/api/registers/hjartintensiv/datasets");
  REQUIRE(l.status == 200);
  auto ld = parseJson(l);
  CHECK(integer(ld, "total") == 3);
  const auto& dss = array(ld, "datasets");
  REQUIRE(dss.Size() == 3);
  CHECK(str(dss[0], "id") == "vardtillfalle");
  CHECK(str(dss[1], "id") == "angio_pci");
  CHECK(str(dss[2], "id") == "sekundarprevention");
  CHECK(str(member(dss[0], "name"), "sv") == "Vårdtillfälle");
  // variable_count counts the current (open) variables.
  CHECK(integer(dss[0], "variable_count") == 36);  // 37, ckmb_max closed 2010
  CHECK(integer(dss[2], "variable_count") == 12);

  auto one = fetch(ts, "/api/registers/hjartintensiv/datasets/sekundarprevention");
  REQUIRE(one.status == 200);
  auto od = parseJson(one);
  CHECK(str(od, "id") == "sekundarprevention");
  CHECK(str(od, "register") == "hjartintensiv");
  CHECK(str(member(od, "name"), "sv") == "Sekundärprevention");
  CHECK(member(od, "temporal_coverage").IsObject());

  // Register variables: open ones by default, closed ones on request.
  auto rv = parseJson(fetch(ts, "/api/registers/strokereg/variables"));
  CHECK(integer(rv, "total") == 51);
  CHECK(array(rv, "variables").Size() == 51);
  auto ids = hitIds(rv);
  CHECK(ids.front() == "strokereg/akut/pnr");
  CHECK(ids.back() == "strokereg/uppf3man/nojd_vard");
  CHECK(std::find(ids.begin(), ids.end(), "strokereg/akut/dipyridamol_ut") == ids.end());
  auto rvAll = parseJson(fetch(ts, "/api/registers/strokereg/variables?include_closed=1"));
  CHECK(integer(rvAll, "total") == 52);
  auto all = hitIds(rvAll);
  CHECK(std::find(all.begin(), all.end(), "strokereg/akut/dipyridamol_ut") != all.end());

  auto dv = parseJson(fetch(ts, "/api/registers/strokereg/datasets/uppf3man/variables"));
  CHECK(integer(dv, "total") == 17);
  const auto& vars = array(dv, "variables");
  REQUIRE(vars.Size() == 17);
  CHECK(str(vars[0], "id") == "strokereg/uppf3man/vtf_id");
  for (const auto& v : vars.GetArray()) {
    CHECK(str(v, "register") == "strokereg");
    CHECK(str(v, "dataset") == "uppf3man");
    CHECK(!str(member(v, "label"), "sv").empty());
  }
}

TEST_CASE("API: one variable with codes, history and ?at=", "[api]") {
  TestServer ts;
  auto r = fetch(ts, "/api/variables/strokereg/akut/rokning");
  REQUIRE(r.status == 200);
  CHECK(isJsonContent(r));
  auto d = parseJson(r);
  CHECK(str(d, "id") == "strokereg/akut/rokning");
  CHECK(str(d, "uri") == "http://localhost:8080/variables/strokereg/akut/rokning");
  CHECK(str(member(d, "label"), "sv") == "Rökning");
  CHECK(str(d, "datatype") == "code");
  CHECK(str(d, "codelist") == "strokereg.rokare");
  CHECK(integer(d, "version") == 1);
  const auto& codes = array(d, "codes");
  REQUIRE(codes.Size() == 2);
  for (const auto& c : codes.GetArray()) {
    CHECK(str(c, "id") == "strokereg/akut/rokning#" + str(c, "code"));
    CHECK(!str(member(c, "label"), "sv").empty());
  }

  // A variable without a code list has no "codes".
  auto nihss = parseJson(fetch(ts, "/api/variables/strokereg/akut/nihss"));
  CHECK(str(nihss, "datatype") == "integer");
  CHECK(str(nihss, "codelist") == "<null>");
  CHECK_FALSE(nihss.HasMember("codes"));

  auto h = fetch(ts, "/api/variables/strokereg/akut/rokning/history");
  REQUIRE(h.status == 200);
  auto hd = parseJson(h);
  CHECK(str(hd, "id") == "strokereg/akut/rokning");
  REQUIRE(array(hd, "versions").Size() == 1);
  CHECK(integer(array(hd, "versions")[0], "version") == 1);

  // A closed variable: readable, valid in its period only.
  auto closed = parseJson(fetch(ts, "/api/variables/strokereg/akut/dipyridamol_ut"));
  CHECK(str(closed, "valid_to") == "2015-12-31");
  auto inPeriod = fetch(ts, "/api/variables/strokereg/akut/dipyridamol_ut?at=2010-06-01");
  CHECK(inPeriod.status == 200);
  CHECK(integer(parseJson(inPeriod), "version") == 1);
  auto after = fetch(ts, "/api/variables/strokereg/akut/dipyridamol_ut?at=2020-06-01");
  CHECK(expectError(after, 404).find("2020-06-01") != std::string::npos);
  auto before = fetch(ts, "/api/variables/strokereg/akut/dipyridamol_ut?at=1990-01-01");
  CHECK(before.status == 404);

  for (const std::string bad : {"2020-13-01", "2021-02-29", "abc", "2020-1-1", "20200101"}) {
    INFO(bad);
    const std::string detail =
        expectError(fetch(ts, "/api/variables/strokereg/akut/rokning?at=" + bad), 400);
    CHECK(detail.find("at") != std::string::npos);
    CHECK(detail.find(bad) != std::string::npos);
  }
  expectError(fetch(ts, "/api/codelists/strokereg.rokare?at=2020-02-30"), 400);
}

TEST_CASE("API: code lists", "[api]") {
  TestServer ts;
  auto all = parseJson(fetch(ts, "/api/codelists"));
  CHECK(integer(all, "total") == 66);
  CHECK(array(all, "codelists").Size() == 66);
  std::vector<std::string> ids;
  for (const auto& c : array(all, "codelists").GetArray()) ids.push_back(str(c, "id"));
  CHECK(std::is_sorted(ids.begin(), ids.end()));

  auto stroke = parseJson(fetch(ts, "/api/codelists?register=strokereg"));
  CHECK(integer(stroke, "total") == 16);
  for (const auto& c : array(stroke, "codelists").GetArray())
    CHECK(str(c, "register") == "strokereg");

  auto one = fetch(ts, "/api/codelists/strokereg.mrs");
  REQUIRE(one.status == 200);
  auto od = parseJson(one);
  CHECK(str(od, "id") == "strokereg.mrs");
  CHECK(str(od, "register") == "strokereg");
  CHECK(integer(od, "version") == 1);
  const auto& items = array(od, "items");
  CHECK(items.Size() == 7);
  for (const auto& i : items.GetArray()) {
    CHECK(!str(i, "code").empty());
    CHECK(member(i, "is_missing").IsBool());
  }

  auto h = parseJson(fetch(ts, "/api/codelists/strokereg.mrs/history"));
  CHECK(str(h, "id") == "strokereg.mrs");
  REQUIRE(array(h, "versions").Size() == 1);
  CHECK(integer(array(h, "versions")[0], "version") == 1);
}

TEST_CASE("API: exports", "[api]") {
  TestServer ts;
  auto e = fetch(ts, "/api/export/json");
  REQUIRE(e.status == 200);
  CHECK(isJsonContent(e));
  CHECK(header(e, "content-disposition").find("attachment") == 0);
  auto d = parseJson(e);
  CHECK(str(d, "format") == "regcat-catalog");
  CHECK(integer(d, "version") == 1);
  CHECK(str(d, "exported_at").size() == 20);
  CHECK(array(d, "registers").Size() == 4);

  auto one = fetch(ts, "/api/registers/hoftprotes/export/json");
  REQUIRE(one.status == 200);
  auto od = parseJson(one);
  CHECK(str(od, "format") == "regcat-catalog");
  const auto& regs = array(od, "registers");
  REQUIRE(regs.Size() == 1);
  CHECK(str(regs[0], "id") == "hoftprotes");
  CHECK(array(regs[0], "codelists").Size() == 16);
  size_t vars = 0;
  for (const auto& ds : array(regs[0], "datasets").GetArray())
    vars += array(ds, "variables").Size();
  CHECK(vars == 51);  // closed variables included

  auto two = parseJson(fetch(ts, "/api/export/json?register=strokereg,diabetes"));
  REQUIRE(array(two, "registers").Size() == 2);

  expectError(fetch(ts, "/api/export/xml"), 404);
  expectError(fetch(ts, "/api/registers/strokereg/export/docx"), 404);
  // The variable list to edit offline and import again.
  auto csv = fetch(ts, "/api/registers/strokereg/export/csv");
  CHECK(csv.status == 200);
  CHECK(csv.headers["content-type"].rfind("text/csv", 0) == 0);
  CHECK(csv.body.rfind("\xEF\xBB\xBF"
                       "dataset,name,label_sv",
                       0) == 0);
  CHECK(csv.body.find("Rökning") != std::string::npos);
  auto xlsx = fetch(ts, "/api/registers/strokereg/export/xlsx");
  CHECK(xlsx.status == 200);
  CHECK(xlsx.body.rfind("PK", 0) == 0);
  expectError(fetch(ts, "/api/export/csv"), 400);  // per register
  expectError(fetch(ts, "/api/export/json?register=nope"), 404);
  expectError(fetch(ts, "/api/export"), 404);
}

// ---------------------------------------------------------------------------------------------
// Search

TEST_CASE("API: search finds compounds (q=infarkt)", "[api]") {
  TestServer ts;
  auto r = fetch(ts, "/api/variables?q=infarkt&limit=1000");
  REQUIRE(r.status == 200);
  auto d = parseJson(r);
  CHECK(str(d, "query") == "infarkt");
  const auto ids = hitIds(d);
  CHECK(integer(d, "total") == int(ids.size()));

  // Every open variable whose Swedish label contains "hjärtinfarkt" is found.
  std::set<std::string> expected;
  for (const char* reg : {"strokereg", "hjartintensiv", "diabetes", "hoftprotes"}) {
    auto vl = parseJson(fetch(ts, std::string("/api/registers/") + reg + "/variables"));
    for (const auto& v : array(vl, "variables").GetArray()) {
      const std::string label = str(member(v, "label"), "sv");
      if (label.find("hjärtinfarkt") != std::string::npos ||
          label.find("Hjärtinfarkt") != std::string::npos)
        expected.insert(str(v, "id"));
    }
  }
  CHECK(expected.size() >= 3);
  CHECK(expected.count("strokereg/akut/tid_hjartinfarkt"));
  CHECK(expected.count("hjartintensiv/vardtillfalle/tid_hjartinfarkt"));
  CHECK(expected.count("diabetes/besok/tid_hjartinfarkt"));
  for (const auto& id : expected) {
    INFO(id);
    CHECK(std::find(ids.begin(), ids.end(), id) != ids.end());
  }
  for (const auto& h : array(d, "variables").GetArray()) {
    CHECK(member(h, "score").IsNumber());
    if (str(h, "name") == "tid_hjartinfarkt") {
      CHECK(str(h, "match") == "infix");
      CHECK(str(h, "matched_in") == "label");
    }
  }
  // Relevance order: scores never increase.
  const auto& hits = array(d, "variables");
  for (rapidjson::SizeType i = 0; i + 1 < hits.Size(); ++i)
    CHECK(member(hits[i], "score").GetDouble() >= member(hits[i + 1], "score").GetDouble());
}

TEST_CASE("API: search without diacritics finds the same variables, ranked lower", "[api]") {
  TestServer ts;
  auto plain = parseJson(fetch(ts, "/api/variables?q=rokning&limit=1000"));
  auto swedish = parseJson(fetch(ts, "/api/variables?q=" + urlEncode("rökning") + "&limit=1000"));
  CHECK(str(plain, "query") == "rokning");
  CHECK(str(swedish, "query") == "rökning");
  CHECK(integer(plain, "total") == integer(swedish, "total"));

  struct Hit {
    double score;
    std::string match, field;
  };
  auto collect = [](const rapidjson::Value& d) {
    std::map<std::string, Hit> out;
    for (const auto& h : array(d, "variables").GetArray())
      out[str(h, "id")] = {member(h, "score").GetDouble(), str(h, "match"), str(h, "matched_in")};
    return out;
  };
  const auto a = collect(plain), b = collect(swedish);
  std::set<std::string> ka, kb;
  for (const auto& [k, v] : a) ka.insert(k);
  for (const auto& [k, v] : b) kb.insert(k);
  CHECK(ka == kb);

  // The "Rökning" variables of all four registers.
  for (const char* id :
       {"strokereg/akut/rokning", "strokereg/uppf3man/rokning_3m",
        "hjartintensiv/vardtillfalle/rokning", "hjartintensiv/sekundarprevention/rokning",
        "diabetes/besok/rokning", "hoftprotes/primaroperation/rokning"}) {
    INFO(id);
    CHECK(ka.count(id));
    CHECK(kb.count(id));
  }
  for (const auto& [id, hs] : b) {
    auto it = a.find(id);
    if (it == a.end()) continue;
    INFO(id << ": rokning " << it->second.score << " " << it->second.match << "/"
            << it->second.field << ", rökning " << hs.score << " " << hs.match << "/" << hs.field);
    CHECK(it->second.score < hs.score);
    CHECK((it->second.match != hs.match || it->second.field != hs.field));
  }
  // The exact Swedish label hit is an exact label match.
  auto sa = b.find("strokereg/akut/rokning");
  REQUIRE(sa != b.end());
  CHECK(sa->second.match == "exact");
  CHECK(sa->second.field == "label");
  // Without diacritics the column name "rokning" is what matches exactly; the label only matches
  // folded. (Both report match "exact": they differ in matched_in, name vs label.)
  auto pa = a.find("strokereg/akut/rokning");
  REQUIRE(pa != a.end());
  CHECK(pa->second.field == "name");
  CHECK(pa->second.score < 1.0);
}

TEST_CASE("API: search query encodings", "[api]") {
  TestServer ts;
  auto base = parseJson(fetch(ts, "/api/variables?q=r%C3%B6kning&limit=1000"));
  CHECK(str(base, "query") == "rökning");
  const auto ids = hitIds(base);
  REQUIRE(!ids.empty());
  // Decomposed (NFD) ö, upper case, and '+' as space around the word all mean the same.
  for (const std::string q :
       {"ro%CC%88kning", "R%C3%96KNING", "r%C3%B6kning+", "%20r%C3%B6kning"}) {
    INFO(q);
    auto d = parseJson(fetch(ts, "/api/variables?limit=1000&q=" + q));
    CHECK(hitIds(d) == ids);
  }
  auto nfd = parseJson(fetch(ts, "/api/variables?q=ro%CC%88kning"));
  CHECK(str(nfd, "query") == "rökning");  // normalised to NFC

  // A single ö: valid and answered.
  auto o = fetch(ts, "/api/variables?q=%C3%B6");
  CHECK(o.status == 200);
  CHECK(str(parseJson(o), "query") == "ö");

  // Malformed escapes and invalid UTF-8 in the query.
  expectError(fetch(ts, "/api/variables?q=%C3"), 400);
  expectError(fetch(ts, "/api/variables?q=%FF%FE"), 400);
  expectError(fetch(ts, "/api/variables?q=%ZZ"), 400);

  // A query without any word finds nothing.
  for (const std::string q : {"%21%21", "%20", "---", "%C2%BF%3F"}) {
    INFO(q);
    auto n = fetch(ts, "/api/variables?q=" + q);
    REQUIRE(n.status == 200);
    auto nd = parseJson(n);
    CHECK(integer(nd, "total") == 0);
    CHECK(array(nd, "variables").Size() == 0);
  }
}

TEST_CASE("API: search filters, facets and paging", "[api]") {
  TestServer ts;
  // No query: every open variable, in register order.
  auto all = parseJson(fetch(ts, "/api/variables?limit=1000"));
  int sum = 0;
  for (const char* reg : {"strokereg", "hjartintensiv", "diabetes", "hoftprotes"})
    sum +=
        integer(parseJson(fetch(ts, std::string("/api/registers/") + reg + "/variables")), "total");
  CHECK(integer(all, "total") == sum);
  CHECK(int(array(all, "variables").Size()) == sum);
  CHECK(integer(all, "limit") == 1000);
  CHECK(integer(all, "offset") == 0);
  CHECK_FALSE(array(all, "variables")[0].HasMember("score"));

  // Facets: every facet is present; with no filters each adds up to the total.
  const auto& facets = member(all, "facets");
  for (const char* f : {"register", "dataset", "datatype", "identifier_class", "category"}) {
    INFO(f);
    const auto& values = array(facets, f);
    int n = 0;
    for (const auto& v : values.GetArray()) {
      CHECK(integer(v, "count") > 0);
      n += integer(v, "count");
    }
    if (std::string(f) == "category")
      CHECK(n <= sum);
    else
      CHECK(n == sum);
    for (rapidjson::SizeType i = 0; i + 1 < values.Size(); ++i)
      CHECK(integer(values[i], "count") >= integer(values[i + 1], "count"));
  }
  CHECK(array(facets, "register").Size() == 4);

  // register=
  auto stroke = parseJson(fetch(ts, "/api/variables?register=strokereg&limit=1000"));
  CHECK(integer(stroke, "total") == 51);
  for (const auto& h : array(stroke, "variables").GetArray())
    CHECK(str(h, "register") == "strokereg");
  // The register facet ignores its own filter, so the alternatives stay visible.
  CHECK(array(member(stroke, "facets"), "register").Size() == 4);
  for (const auto& v : array(member(stroke, "facets"), "register").GetArray())
    if (str(v, "value") == "strokereg") CHECK(integer(v, "count") == 51);
  int dsSum = 0;
  for (const auto& v : array(member(stroke, "facets"), "dataset").GetArray()) {
    CHECK(str(v, "value").rfind("strokereg/", 0) == 0);
    dsSum += integer(v, "count");
  }
  CHECK(dsSum == 51);

  auto two = parseJson(fetch(ts, "/api/variables?register=strokereg,diabetes&limit=1000"));
  CHECK(integer(two, "total") == 51 + 50);

  // dataset= as register/dataset and as a bare id
  auto ds = parseJson(fetch(ts, "/api/variables?dataset=strokereg/uppf3man&limit=1000"));
  CHECK(integer(ds, "total") == 17);
  for (const auto& h : array(ds, "variables").GetArray()) CHECK(str(h, "dataset") == "uppf3man");
  auto bare = parseJson(fetch(ts, "/api/variables?dataset=uppf3man&limit=1000"));
  CHECK(hitIds(bare) == hitIds(ds));

  // datatype= and identifier_class= (comma lists)
  auto dates = parseJson(fetch(ts, "/api/variables?datatype=date,datetime&limit=1000"));
  CHECK(integer(dates, "total") > 0);
  for (const auto& h : array(dates, "variables").GetArray())
    CHECK((str(h, "datatype") == "date" || str(h, "datatype") == "datetime"));
  int dtCount = 0;
  for (const auto& v : array(member(all, "facets"), "datatype").GetArray())
    if (str(v, "value") == "date" || str(v, "value") == "datetime") dtCount += integer(v, "count");
  CHECK(integer(dates, "total") == dtCount);

  auto ident = parseJson(fetch(ts, "/api/variables?identifier_class=direct,indirect&limit=1000"));
  int idCount = 0;
  for (const auto& v : array(member(all, "facets"), "identifier_class").GetArray())
    if (str(v, "value") == "direct" || str(v, "value") == "indirect")
      idCount += integer(v, "count");
  CHECK(integer(ident, "total") == idCount);
  for (const auto& h : array(ident, "variables").GetArray())
    CHECK((str(h, "identifier_class") == "direct" || str(h, "identifier_class") == "indirect"));
  auto direct = parseJson(fetch(ts, "/api/variables?identifier_class=direct&register=hoftprotes"));
  CHECK(hitIds(direct) ==
        std::vector<std::string>{"hoftprotes/primaroperation/pnr", "hoftprotes/reoperation/pnr"});

  // Combined with a query
  auto q =
      parseJson(fetch(ts, "/api/variables?q=" + urlEncode("rökning") + "&register=hjartintensiv"));
  for (const auto& h : array(q, "variables").GetArray())
    CHECK(str(h, "register") == "hjartintensiv");
  CHECK(integer(q, "total") >= 2);

  // Paging: no overlap, stable total, pages concatenate to the longer page.
  auto p1 = parseJson(fetch(ts, "/api/variables?limit=10&offset=0"));
  auto p2 = parseJson(fetch(ts, "/api/variables?limit=10&offset=10"));
  auto p12 = parseJson(fetch(ts, "/api/variables?limit=20"));
  CHECK(integer(p1, "total") == sum);
  CHECK(integer(p2, "total") == sum);
  auto i1 = hitIds(p1), i2 = hitIds(p2), i12 = hitIds(p12);
  REQUIRE(i1.size() == 10);
  REQUIRE(i2.size() == 10);
  for (const auto& id : i1) CHECK(std::find(i2.begin(), i2.end(), id) == i2.end());
  auto joined = i1;
  joined.insert(joined.end(), i2.begin(), i2.end());
  CHECK(joined == i12);
  auto last = parseJson(fetch(ts, "/api/variables?limit=10&offset=" + std::to_string(sum - 3)));
  CHECK(array(last, "variables").Size() == 3);
  auto past = parseJson(fetch(ts, "/api/variables?limit=10&offset=100000"));
  CHECK(array(past, "variables").Size() == 0);
  CHECK(integer(past, "total") == sum);
  auto zero = parseJson(fetch(ts, "/api/variables?limit=0"));
  CHECK(array(zero, "variables").Size() == 0);
  CHECK(integer(zero, "total") == sum);
  // Paging a relevance-ordered query
  auto q1 = parseJson(fetch(ts, "/api/variables?q=datum&limit=5"));
  auto q2 = parseJson(fetch(ts, "/api/variables?q=datum&limit=5&offset=5"));
  auto q10 = parseJson(fetch(ts, "/api/variables?q=datum&limit=10"));
  auto qa = hitIds(q1), qb = hitIds(q2);
  qa.insert(qa.end(), qb.begin(), qb.end());
  CHECK(qa == hitIds(q10));

  for (const std::string bad : {"limit=abc", "limit=-1", "limit=1001", "limit=10x", "offset=-5",
                                "offset=z", "sort=colour"}) {
    INFO(bad);
    const std::string detail = expectError(fetch(ts, "/api/variables?" + bad), 400);
    CHECK(detail.find(bad.substr(0, bad.find('='))) != std::string::npos);
  }
}

TEST_CASE("API: search sort=label uses Swedish collation", "[api]") {
  TestServer ts;
  auto d = parseJson(fetch(ts, "/api/variables?sort=label&limit=1000"));
  std::vector<std::string> labels;
  for (const auto& h : array(d, "variables").GetArray())
    labels.push_back(str(member(h, "label"), "sv"));
  REQUIRE(labels.size() > 100);
  for (size_t i = 0; i + 1 < labels.size(); ++i) {
    INFO(labels[i] << " / " << labels[i + 1]);
    CHECK(regcat::text::collate(labels[i], labels[i + 1]) <= 0);
  }
  // Independently of the collator: every label starting with an ASCII letter comes before every
  // label starting with Å, Ä or Ö, and "a..." labels are not put after "Z..." (byte order would).
  auto swedishInitial = [](const std::string& s) {
    return s.rfind("Å", 0) == 0 || s.rfind("Ä", 0) == 0 || s.rfind("Ö", 0) == 0;
  };
  size_t lastAscii = 0, firstSwedish = labels.size();
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!labels[i].empty() && std::isalpha(static_cast<unsigned char>(labels[i][0]))) lastAscii = i;
    if (swedishInitial(labels[i]) && firstSwedish == labels.size()) firstSwedish = i;
  }
  REQUIRE(firstSwedish < labels.size());
  CHECK(lastAscii < firstSwedish);
  // "eGFR" (lower-case initial) sorts among the E's, not after the capitals.
  auto egfr = std::find(labels.begin(), labels.end(), "eGFR");
  REQUIRE(egfr != labels.end());
  CHECK((egfr + 1 == labels.end() || (*(egfr + 1))[0] != 'A'));
  CHECK(std::find_if(egfr, labels.end(), [](const std::string& s) { return s[0] == 'D'; }) ==
        labels.end());

  // sort=name and sort=register are accepted too.
  CHECK(fetch(ts, "/api/variables?sort=name").status == 200);
  CHECK(fetch(ts, "/api/variables?sort=register&q=datum").status == 200);
  CHECK(fetch(ts, "/api/variables?sort=relevance&q=datum").status == 200);
}

// ---------------------------------------------------------------------------------------------
// Writes

TEST_CASE("API: writes without a valid token are refused and change nothing", "[api]") {
  TestServer ts;
  const std::string before = snapshot(ts);
  const std::string regBody =
      R"({"id":"ny","name":{"sv":"Nytt register"},"cpua":{"name":"Region Skåne"}})";
  const std::string putReg =
      R"({"id":"strokereg","name":{"sv":"Ändrat namn"},"cpua":{"name":"Region Skåne"}})";
  const std::string dsBody = R"({"id":"nytt","name":{"sv":"Nytt formulär"}})";
  const std::string varBody =
      R"({"register":"strokereg","dataset":"akut","name":"ny","label":{"sv":"Ny"},"datatype":"integer"})";
  const std::string putVar =
      R"({"label":{"sv":"Ändrad rökning"},"datatype":"code","codelist":"strokereg.rokare"})";
  const std::string clBody = R"({"id":"ny.lista","name":{"sv":"Ny"},"items":[{"code":"1"}]})";
  const std::string putCl = R"({"name":{"sv":"Ändrad"},"items":[{"code":"1"}]})";
  const std::vector<std::tuple<std::string, std::string, std::string>> writes = {
      {"POST", "/api/registers", regBody},
      {"PUT", "/api/registers/strokereg", putReg},
      {"DELETE", "/api/registers/strokereg", ""},
      {"POST", "/api/registers/strokereg/datasets", dsBody},
      {"PUT", "/api/registers/strokereg/datasets/akut", dsBody},
      {"DELETE", "/api/registers/strokereg/datasets/akut", ""},
      {"POST", "/api/variables", varBody},
      {"PUT", "/api/variables/strokereg/akut/rokning", putVar},
      {"DELETE", "/api/variables/strokereg/akut/rokning", ""},
      {"POST", "/api/codelists", clBody},
      {"PUT", "/api/codelists/strokereg.rokare", putCl},
      {"DELETE", "/api/codelists/strokereg.janejokant", ""},
  };
  const std::string token = TestServer::kToken;
  const std::vector<std::map<std::string, std::string>> credentials = {
      {},
      {{"Authorization", "Bearer wrong"}},
      {{"Authorization", "Bearer test-admin-token-0123456788"}},  // same length, one byte off
      {{"Authorization", "Bearer " + token + "x"}},
      {{"Authorization", "Bearer " + token.substr(0, token.size() - 1)}},
      {{"Authorization", token}},
      {{"Authorization", "Basic dGVzdDp0ZXN0"}},
      {{"Authorization", "Bearer "}},
  };
  for (const auto& [method, target, body] : writes) {
    for (size_t c = 0; c < credentials.size(); ++c) {
      INFO(method << " " << target << " credentials #" << c);
      auto r = http(ts.port(), method, target, body, credentials[c]);
      const std::string detail = expectError(r, 401);
      CHECK(header(r, "www-authenticate").rfind("Bearer", 0) == 0);
      CHECK(detail.find("Authorization") != std::string::npos);
    }
    INFO(method << " " << target);
    CHECK(difference(before, snapshot(ts)) == "");
  }
  // And the token does work (the refusals above were about the token, not the requests).
  auto ok = admin(ts, "POST", "/api/registers", regBody);
  CHECK(ok.status == 201);
}

TEST_CASE("API: create, read, update, version and delete through the API", "[api]") {
  TestServer ts;
  const int year = currentYear() + 5;
  const std::string effective = std::to_string(year) + "-01-01";

  // Register
  auto c = admin(ts, "POST", "/api/registers", kRegisterBody);
  INFO(c.body);
  REQUIRE(c.status == 201);
  CHECK(header(c, "location") == "/api/registers/testreg");
  auto cd = parseJson(c);
  CHECK(str(cd, "id") == "testreg");
  CHECK(str(member(cd, "name"), "sv") == "Testregistret för Åre och Östersund");
  CHECK(str(member(cd, "provenance"), "recorded_by") == "admin");
  CHECK(str(member(cd, "provenance"), "format") == "api");

  auto g = fetch(ts, "/api/registers/testreg");
  REQUIRE(g.status == 200);
  auto gd = parseJson(g);
  CHECK(str(member(gd, "name"), "sv") == "Testregistret för Åre och Östersund");
  CHECK(str(member(gd, "cpua"), "name") == "Region Jämtland Härjedalen");
  REQUIRE(array(gd, "purposes").Size() == 2);
  CHECK(str(array(gd, "purposes")[0], "sv") == "Följa vårdens kvalitet");
  CHECK(str(array(gd, "purposes")[1], "en") == "Improve outcomes");
  CHECK(array(gd, "coverage").Size() == 1);
  CHECK(array(gd, "datasets").Size() == 0);
  CHECK(integer(gd, "start_year") == 2020);
  CHECK(integer(parseJson(fetch(ts, "/api/registers")), "total") == 5);

  // PUT replaces the register's fields.
  std::string changed = kRegisterBody;
  changed.replace(changed.find("\"TR\""), 4, "\"TRX\"");
  changed.replace(changed.find("2020"), 4, "2021");
  auto u = admin(ts, "PUT", "/api/registers/testreg", changed);
  INFO(u.body);
  REQUIRE(u.status == 200);
  auto ud = parseJson(fetch(ts, "/api/registers/testreg"));
  CHECK(str(ud, "short_name") == "TRX");
  CHECK(integer(ud, "start_year") == 2021);
  CHECK(str(ud, "created_at") == str(gd, "created_at"));
  expectError(admin(ts, "PUT", "/api/registers/strokereg", changed),
              400);  // id in body differs from URL
  expectError(admin(ts, "PUT", "/api/registers/nope", changed), 404);
  expectError(admin(ts, "PUT", "/api/registers/nope",
                    R"({"name":{"sv":"X"},"cpua":{"name":"Region Skåne"}})"),
              404);

  // Dataset
  auto ds = admin(ts, "POST", "/api/registers/testreg/datasets",
                  R"({"id":"form1","name":{"sv":"Formulär 1"},"unit_type":"vårdtillfälle",
                        "temporal_coverage":{"start":"2020-01-01","end":null}})");
  INFO(ds.body);
  REQUIRE(ds.status == 201);
  CHECK(header(ds, "location") == "/api/registers/testreg/datasets/form1");
  auto dsd = parseJson(fetch(ts, "/api/registers/testreg/datasets/form1"));
  CHECK(str(member(dsd, "name"), "sv") == "Formulär 1");
  CHECK(str(member(dsd, "temporal_coverage"), "start") == "2020-01-01");
  auto dsu = admin(ts, "PUT", "/api/registers/testreg/datasets/form1",
                   R"({"name":{"sv":"Formulär ett"}})");
  CHECK(dsu.status == 200);
  CHECK(str(member(parseJson(fetch(ts, "/api/registers/testreg/datasets/form1")), "name"), "sv") ==
        "Formulär ett");
  expectError(
      admin(ts, "POST", "/api/registers/testreg/datasets", R"({"id":"form1","name":"Igen"})"), 409);
  expectError(admin(ts, "POST", "/api/registers/nope/datasets", R"({"id":"f","name":"F"})"), 404);

  // Code list
  auto cl = admin(ts, "POST", "/api/codelists",
                  R"({"id":"testreg.janej","register":"testreg","name":{"sv":"Ja/nej"},
                        "items":[{"code":"1","label":{"sv":"Ja","en":"Yes"}},
                                 {"code":"0","label":{"sv":"Nej","en":"No"}},
                                 {"code":"9","label":{"sv":"Okänt"},"is_missing":true}]})");
  INFO(cl.body);
  REQUIRE(cl.status == 201);
  CHECK(header(cl, "location") == "/api/codelists/testreg.janej");
  auto cld = parseJson(fetch(ts, "/api/codelists/testreg.janej"));
  CHECK(array(cld, "items").Size() == 3);
  CHECK(str(member(array(cld, "items")[2], "label"), "sv") == "Okänt");
  CHECK(member(array(cld, "items")[2], "is_missing").GetBool());
  expectError(admin(ts, "POST", "/api/codelists",
                    R"({"id":"testreg.janej","name":"Igen","items":[{"code":"1"}]})"),
              409);

  // Variable referencing the code list
  auto v = admin(ts, "POST", "/api/variables",
                 R"({"register":"testreg","dataset":"form1","name":"rokare",
                       "label":{"sv":"Rökare","en":"Smoker"},"datatype":"code",
                       "codelist":"testreg.janej","identifier_class":"sensitive","category":"background"})");
  INFO(v.body);
  REQUIRE(v.status == 201);
  CHECK(header(v, "location") == "/api/variables/testreg/form1/rokare");
  auto vd = parseJson(v);
  CHECK(integer(vd, "version") == 1);
  CHECK(array(vd, "codes").Size() == 3);
  CHECK(str(vd, "valid_to") == "<null>");
  const std::string validFrom1 = str(vd, "valid_from");
  CHECK(validFrom1 == regcat::text::today());
  expectError(
      admin(
          ts, "POST", "/api/variables",
          R"({"register":"testreg","dataset":"form1","name":"rokare","label":"X","datatype":"integer"})"),
      409);
  // Listed and searchable
  CHECK(integer(parseJson(fetch(ts, "/api/registers/testreg/variables")), "total") == 1);
  auto found =
      parseJson(fetch(ts, "/api/variables?q=" + urlEncode("rökare") + "&register=testreg"));
  CHECK(hitIds(found) == std::vector<std::string>{"testreg/form1/rokare"});

  // Update with a changed label effective in the future: a new version.
  auto pv = admin(ts, "PUT", "/api/variables/testreg/form1/rokare?effective_date=" + effective,
                  R"({"label":{"sv":"Daglig rökare","en":"Daily smoker"},"datatype":"code",
                        "codelist":"testreg.janej","identifier_class":"sensitive","category":"background"})");
  INFO(pv.body);
  REQUIRE(pv.status == 200);
  auto pvd = parseJson(pv);
  CHECK(integer(pvd, "version") == 2);
  CHECK(str(member(pvd, "label"), "sv") == "Daglig rökare");
  CHECK(str(pvd, "valid_from") == effective);

  auto hist = parseJson(fetch(ts, "/api/variables/testreg/form1/rokare/history"));
  const auto& versions = array(hist, "versions");
  REQUIRE(versions.Size() == 2);
  CHECK(integer(versions[0], "version") == 1);
  CHECK(integer(versions[1], "version") == 2);
  CHECK(str(member(versions[0], "label"), "sv") == "Rökare");
  CHECK(str(versions[0], "valid_to") == std::to_string(year - 1) + "-12-31");
  CHECK(str(versions[1], "valid_from") == effective);

  auto old =
      fetch(ts, "/api/variables/testreg/form1/rokare?at=" + std::to_string(year - 1) + "-06-30");
  REQUIRE(old.status == 200);
  auto oldd = parseJson(old);
  CHECK(integer(oldd, "version") == 1);
  CHECK(str(member(oldd, "label"), "sv") == "Rökare");
  auto today =
      parseJson(fetch(ts, "/api/variables/testreg/form1/rokare?at=" + regcat::text::today()));
  CHECK(integer(today, "version") == 1);
  auto edge = parseJson(
      fetch(ts, "/api/variables/testreg/form1/rokare?at=" + std::to_string(year - 1) + "-12-31"));
  CHECK(integer(edge, "version") == 1);
  auto neu = fetch(ts, "/api/variables/testreg/form1/rokare?at=" + std::to_string(year) + "-06-30");
  REQUIRE(neu.status == 200);
  auto neud = parseJson(neu);
  CHECK(integer(neud, "version") == 2);
  CHECK(str(member(neud, "label"), "sv") == "Daglig rökare");
  CHECK(integer(parseJson(fetch(ts, "/api/variables/testreg/form1/rokare?at=" + effective)),
                "version") == 2);
  expectError(fetch(ts, "/api/variables/testreg/form1/rokare?at=2000-01-01"), 404);

  // An unchanged PUT adds no version.
  auto same = admin(ts, "PUT", "/api/variables/testreg/form1/rokare",
                    R"({"label":{"sv":"Daglig rökare","en":"Daily smoker"},"datatype":"code",
                          "codelist":"testreg.janej","identifier_class":"sensitive","category":"background"})");
  CHECK(same.status == 200);
  CHECK(array(parseJson(fetch(ts, "/api/variables/testreg/form1/rokare/history")), "versions")
            .Size() == 2);
  expectError(admin(ts, "PUT", "/api/variables/testreg/form1/rokare?effective_date=2020-02-30",
                    R"({"label":"X","datatype":"integer"})"),
              400);
  expectError(admin(ts, "PUT", "/api/variables/testreg/form1/nope",
                    R"({"label":"X","datatype":"integer"})"),
              404);

  // DELETE closes the variable; it stays readable.
  auto del = admin(ts, "DELETE", "/api/variables/testreg/form1/rokare");
  INFO(del.body);
  REQUIRE(del.status == 200);
  auto deld = parseJson(del);
  CHECK(str(deld, "valid_to") != "<null>");
  CHECK(str(deld, "valid_to").size() == 10);
  auto still = fetch(ts, "/api/variables/testreg/form1/rokare");
  CHECK(still.status == 200);
  CHECK(str(parseJson(still), "valid_to") == str(deld, "valid_to"));
  CHECK(fetch(ts, "/api/variables/testreg/form1/rokare/history").status == 200);

  // A referenced code list cannot be deleted.
  const std::string beforeConflict = snapshot(ts);
  const std::string detail = expectError(admin(ts, "DELETE", "/api/codelists/testreg.janej"), 409);
  CHECK(detail.find("testreg/form1/rokare") != std::string::npos);
  CHECK(fetch(ts, "/api/codelists/testreg.janej").status == 200);
  CHECK(difference(beforeConflict, snapshot(ts)) == "");

  // Deleting the dataset removes its variables.
  auto dd = admin(ts, "DELETE", "/api/registers/testreg/datasets/form1");
  CHECK(dd.status == 204);
  CHECK(dd.body.empty());
  expectError(fetch(ts, "/api/registers/testreg/datasets/form1"), 404);
  expectError(fetch(ts, "/api/variables/testreg/form1/rokare"), 404);
  CHECK(integer(parseJson(fetch(ts, "/api/variables?register=testreg")), "total") == 0);
  CHECK(
      integer(parseJson(fetch(ts, "/api/variables?q=" + urlEncode("rökare") + "&register=testreg")),
              "total") == 0);
  expectError(admin(ts, "DELETE", "/api/registers/testreg/datasets/form1"), 404);

  // Now unreferenced, the code list can go.
  CHECK(admin(ts, "DELETE", "/api/codelists/testreg.janej").status == 204);
  expectError(fetch(ts, "/api/codelists/testreg.janej"), 404);
  expectError(admin(ts, "DELETE", "/api/codelists/testreg.janej"), 404);

  // Register
  auto dr = admin(ts, "DELETE", "/api/registers/testreg");
  CHECK(dr.status == 204);
  expectError(fetch(ts, "/api/registers/testreg"), 404);
  expectError(admin(ts, "DELETE", "/api/registers/testreg"), 404);
  CHECK(integer(parseJson(fetch(ts, "/api/registers")), "total") == 4);
}

TEST_CASE("API: code list updates make versions", "[api]") {
  TestServer ts;
  REQUIRE(
      admin(ts, "POST", "/api/codelists",
            R"({"id":"fri.lista","name":{"sv":"Fri lista"},"items":[{"code":"1","label":"Ett"}]})")
          .status == 201);
  auto u = admin(
      ts, "PUT", "/api/codelists/fri.lista",
      R"({"name":{"sv":"Fri lista"},"items":[{"code":"1","label":"Ett"},{"code":"2","label":"Två"}]})");
  INFO(u.body);
  REQUIRE(u.status == 200);
  auto ud = parseJson(u);
  CHECK(integer(ud, "version") == 2);
  CHECK(array(ud, "items").Size() == 2);
  auto h = parseJson(fetch(ts, "/api/codelists/fri.lista/history"));
  REQUIRE(array(h, "versions").Size() == 2);
  CHECK(array(array(h, "versions")[0], "items").Size() == 1);
  CHECK(str(array(h, "versions")[1], "register") == "<null>");
  expectError(admin(ts, "PUT", "/api/codelists/nope", R"({"name":"X","items":[]})"), 404);
}

TEST_CASE("API: invalid bodies are 400/409 and change nothing", "[api]") {
  TestServer ts;
  const std::string before = snapshot(ts);
  auto rejected = [&](const std::string& method, const std::string& target, const std::string& body,
                      int status, std::vector<std::string> mentions) {
    INFO(method << " " << target << " " << body);
    const std::string detail = expectError(admin(ts, method, target, body), status);
    for (const auto& m : mentions) {
      INFO("detail should mention '" << m << "': " << detail);
      CHECK(detail.find(m) != std::string::npos);
    }
    CHECK(difference(before, snapshot(ts)) == "");
  };

  // Malformed JSON: the detail names line and column.
  rejected("POST", "/api/registers", "{\"id\": \"x\",\n  \"name\": }", 400,
           {"(body):2:11", "malformed JSON"});
  rejected("POST", "/api/registers", "{\"id\": \"x\"", 400, {"(body):1:", "malformed JSON"});
  rejected("POST", "/api/registers", "not json", 400, {"(body):1:", "malformed JSON"});
  rejected("POST", "/api/variables", "{\n\n   ,}", 400, {"(body):3:4"});
  rejected("POST", "/api/registers", "", 400, {"body"});
  rejected("POST", "/api/registers", "[]", 400, {"expected an object"});
  rejected("POST", "/api/registers", "{\"id\":\"x\xff\"}", 400, {});  // invalid UTF-8

  // Wrong types and unknown fields name the field.
  rejected("POST", "/api/registers",
           R"({"id":"x","name":"X","cpua":{"name":"Region Skåne"},"start_year":"abc"})", 400,
           {"start_year", "integer"});
  rejected("POST", "/api/registers",
           R"({"id":"x","name":"X","cpua":{"name":"Region Skåne"},"holds_personnummer":"ja"})", 400,
           {"holds_personnummer"});
  rejected("POST", "/api/registers",
           R"({"id":"x","name":"X","cpua":{"name":"Region Skåne"},"colour":"blå"})", 400,
           {"colour", "unknown field"});
  rejected("POST", "/api/registers",
           R"({"id":"x","name":"X","cpua":{"name":"Region Skåne","enhet":"y"}})", 400,
           {"cpua.enhet"});
  rejected("POST", "/api/registers",
           R"({"id":"x","name":"X","cpua":{"name":"Region Skåne"},"coverage":[{"value":120}]})",
           400, {"coverage[0].value"});
  rejected("POST", "/api/registers", R"({"id":"x","name":"X"})", 400, {"cpua"});
  rejected("POST", "/api/registers", R"({"id":"x","name":"X","cpua":{"unit":"Styrelsen"}})", 400,
           {"cpua.name"});
  rejected("POST", "/api/registers", R"({"id":"Stora Bokstäver","name":"X","cpua":{"name":"R"}})",
           400, {"id"});
  rejected("POST", "/api/registers", R"({"name":"X","cpua":{"name":"R"}})", 400, {"id"});
  rejected("POST", "/api/registers",
           R"({"id":"x","name":"X","cpua":{"name":"R"},"certification_level":"5"})", 400,
           {"certification_level"});

  // Duplicate register id
  rejected("POST", "/api/registers",
           R"({"id":"strokereg","name":"Dubblett","cpua":{"name":"Region Skåne"}})", 409,
           {"strokereg"});

  // Datasets
  rejected("POST", "/api/registers/strokereg/datasets", R"({"id":"akut","name":"Akut igen"})", 409,
           {"akut"});
  rejected("POST", "/api/registers/strokereg/datasets",
           R"({"id":"ny","name":"Ny","register":"diabetes"})", 400, {"register"});
  rejected("POST", "/api/registers/strokereg/datasets", R"({"id":"ny"})", 400, {"name"});
  rejected(
      "POST", "/api/registers/strokereg/datasets",
      R"({"id":"ny","name":"Ny","temporal_coverage":{"start":"2020-01-01","end":"2019-01-01"}})",
      400, {"temporal_coverage.end"});

  // Variables
  const std::string v =
      R"({"register":"strokereg","dataset":"akut","name":"nyvar","label":{"sv":"Ny variabel"},)";
  rejected("POST", "/api/variables", v + R"("datatype":"code","codelist":"finns.inte"})", 400,
           {"codelist", "finns.inte"});
  rejected("POST", "/api/variables", v + R"("datatype":"code"})", 400, {"codelist"});
  rejected("POST", "/api/variables", v + R"("datatype":"integer","codelist":"strokereg.rokare"})",
           400, {"codelist"});
  rejected("POST", "/api/variables", v + R"("datatype":"text"})", 400, {"datatype"});
  rejected("POST", "/api/variables", v + R"("datatype":"integer","min":10,"max":1})", 400, {"min"});
  rejected("POST", "/api/variables", v + R"("datatype":"integer","identifier_class":"secret"})",
           400, {"identifier_class"});
  rejected("POST", "/api/variables",
           v + R"("datatype":"integer","missing_codes":[{"code":"9"},{"code":"9"}]})", 400,
           {"missing_codes[1].code"});
  rejected("POST", "/api/variables", v + R"("datatype":"integer","mandatory":"ja"})", 400,
           {"mandatory"});
  rejected("POST", "/api/variables", v + R"("datatype":"integer","färg":1})", 400, {"färg"});
  rejected(
      "POST", "/api/variables",
      R"({"register":"strokereg","dataset":"nope","name":"x","label":"X","datatype":"integer"})",
      400, {"dataset"});
  rejected("POST", "/api/variables",
           R"({"register":"nope","dataset":"akut","name":"x","label":"X","datatype":"integer"})",
           400, {"register"});
  rejected("POST", "/api/variables",
           R"({"dataset":"akut","name":"x","label":"X","datatype":"integer"})", 400, {"register"});
  rejected(
      "POST", "/api/variables",
      R"({"register":"strokereg","dataset":"akut","name":"rokning","label":"X","datatype":"integer"})",
      409, {"rokning"});
  rejected("PUT", "/api/variables/strokereg/akut/rokning",
           R"({"label":"Rökning","datatype":"code"})", 400, {"codelist"});
  rejected("PUT", "/api/variables/strokereg/akut/rokning",
           R"({"name":"annan","label":"Rökning","datatype":"integer"})", 400, {"name"});
  rejected("PUT", "/api/variables/strokereg/akut/rokning",
           R"({"label":"Rökning","datatype":"code","codelist":"finns.inte"})", 400, {"codelist"});

  // Code lists
  rejected("POST", "/api/codelists", R"({"id":"ny.lista","name":"Ny"})", 400, {"items"});
  rejected("POST", "/api/codelists",
           R"({"id":"ny.lista","name":"Ny","items":[{"code":"1"},{"code":"1"}]})", 400,
           {"items[1].code"});
  rejected("POST", "/api/codelists",
           R"({"id":"ny.lista","name":"Ny","register":"nope","items":[]})", 400, {"register"});
  rejected("POST", "/api/codelists", R"({"id":"strokereg.rokare","name":"Ny","items":[]})", 409,
           {"strokereg.rokare"});
  rejected("PUT", "/api/codelists/strokereg.rokare", R"({"id":"annan","name":"Ny","items":[]})",
           400, {"id"});
  rejected("DELETE", "/api/codelists/strokereg.rokare", "", 409, {"strokereg.rokare"});
}

TEST_CASE("API: oversized bodies are 413 and the server stays up", "[api]") {
  TestServer ts(true, 1000);
  const std::string before = snapshot(ts);
  std::string big = R"({"id":"stor","name":{"sv":")" + std::string(5000, 'x') +
                    R"("},"cpua":{"name":"Region Skåne"}})";
  REQUIRE(big.size() > 5000);
  auto r = admin(ts, "POST", "/api/registers", big);
  const std::string detail = expectError(r, 413);
  CHECK(detail.find("1000") != std::string::npos);
  // Also without a token: the size is checked first.
  expectError(http(ts.port(), "POST", "/api/registers", big), 413);
  auto h = fetch(ts, "/healthz");
  CHECK(h.status == 200);
  CHECK(difference(before, snapshot(ts)) == "");
  // A body under the limit is accepted as usual.
  std::string small = R"({"id":"liten","name":{"sv":"Litet"},"cpua":{"name":"Region Skåne"}})";
  CHECK(admin(ts, "POST", "/api/registers", small).status == 201);
}

TEST_CASE("API: methods, paths and traversal", "[api]") {
  TestServer ts;
  const std::string before = snapshot(ts);
  const std::vector<std::tuple<std::string, std::string, std::string>> notAllowed = {
      {"PATCH", "/api/registers", "GET, HEAD, POST"},
      {"DELETE", "/api/registers", "GET, HEAD, POST"},
      {"PATCH", "/api/registers/strokereg", "GET, HEAD, PUT, DELETE"},
      {"POST", "/api/registers/strokereg", "GET, HEAD, PUT, DELETE"},
      {"POST", "/api/registers/strokereg/variables", "GET, HEAD"},
      {"POST", "/api/registers/strokereg/datasets/akut", "GET, HEAD, PUT, DELETE"},
      {"DELETE", "/api/registers/strokereg/datasets", "GET, HEAD, POST"},
      {"PUT", "/api/variables", "GET, HEAD, POST"},
      {"POST", "/api/variables/strokereg/akut/rokning", "GET, HEAD, PUT, DELETE"},
      {"DELETE", "/api/variables/strokereg/akut/rokning/history", "GET, HEAD"},
      {"DELETE", "/api/codelists", "GET, HEAD, POST"},
      {"POST", "/api/codelists/strokereg.rokare", "GET, HEAD, PUT, DELETE"},
      {"POST", "/api/codelists/strokereg.rokare/history", "GET, HEAD"},
      {"POST", "/api/export/json", "GET, HEAD"},
      {"POST", "/healthz", "GET, HEAD"},
      {"PUT", "/api/openapi.json", "GET, HEAD"},
      {"POST", "/index.html", "GET, HEAD"},
  };
  for (const auto& [method, target, allow] : notAllowed) {
    INFO(method << " " << target);
    auto r = admin(ts, method, target, method == "DELETE" ? "" : "{}");
    expectError(r, 405);
    CHECK(header(r, "allow") == allow);
  }
  CHECK(difference(before, snapshot(ts)) == "");

  // Invalid percent-encoding in the path
  for (const std::string target : {"/api/registers/%ZZ", "/api/registers/%C3", "/api/registers/%FF",
                                   "/api/registers/stroke%", "/api/variables/a/b/%C3%28"}) {
    INFO(target);
    expectError(fetch(ts, target), 400);
  }
  // Encoded characters are decoded before routing.
  CHECK(fetch(ts, "/api/registers/%73trokereg").status == 200);

  // Traversal never reaches files outside web/static.
  for (const std::string target :
       {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd", "/static/../../../../etc/passwd", "/.%2e/.%2e/etc/passwd",
        "/%2e%2e%5c%2e%2e%5cetc%5cpasswd", "/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt",
        "/.git/config", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"}) {
    INFO(target);
    auto r = fetch(ts, target);
    CHECK(r.status == 404);
    CHECK(r.body.find("root:") == std::string::npos);
    CHECK(r.body.find("cmake_minimum_required") == std::string::npos);
    CHECK(r.body.find("[core]") == std::string::npos);
  }
}

TEST_CASE("API: bodies beyond the transport limit are refused and the server stays up", "[api]") {
  TestServer ts(true, 1000);
  const std::string before = snapshot(ts);
  // Past max_body + 64 KiB Pistache answers 413 itself (plain text, see web/server.cpp).
  const std::string huge = R"({"id":"stor","name":")" + std::string(200000, 'x') + R"("})";
  auto r = admin(ts, "POST", "/api/registers", huge);
  CHECK(r.status == 413);
  CHECK(fetch(ts, "/healthz").status == 200);
  CHECK(difference(before, snapshot(ts)) == "");
}

TEST_CASE("API: hostile JSON is rejected without harm", "[api]") {
  TestServer ts;
  const std::string before = snapshot(ts);
  // Deep nesting: parsed iteratively and refused.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK(expectError(admin(ts, "POST", "/api/registers", deep), 400).find("nested deeper") !=
        std::string::npos);
  const std::string deepObject = R"({"id":"x","name":"X","cpua":{"name":"R"},"keywords":)" +
                                 std::string(5000, '[') + std::string(5000, ']') + "}";
  expectError(admin(ts, "POST", "/api/registers", deepObject), 400);
  const std::string unclosed = std::string(100000, '{');
  expectError(admin(ts, "POST", "/api/registers", unclosed), 400);
  // Text that is not UTF-8 inside a string value, and a NUL byte.
  expectError(
      admin(ts, "POST", "/api/registers", std::string("{\"id\":\"x\",\"name\":\"\xC3\x28\"}")),
      400);
  expectError(
      admin(ts, "POST", "/api/registers", std::string("{\"id\":\"x\0\",\"name\":\"X\"}", 22)), 400);
  CHECK(fetch(ts, "/healthz").status == 200);
  CHECK(difference(before, snapshot(ts)) == "");
}

TEST_CASE("API: a register whose code list another register uses cannot be deleted", "[api]") {
  TestServer ts;
  REQUIRE(admin(ts, "POST", "/api/registers",
                R"({"id":"extra","name":"Extra","cpua":{"name":"Region Skåne"}})")
              .status == 201);
  REQUIRE(
      admin(
          ts, "POST", "/api/codelists",
          R"({"id":"extra.lista","register":"extra","name":"Lista","items":[{"code":"1","label":"Ett"}]})")
          .status == 201);
  auto v =
      admin(ts, "POST", "/api/variables",
            R"({"register":"strokereg","dataset":"akut","name":"lanad","label":"Lånad värdemängd",
                     "datatype":"code","codelist":"extra.lista"})");
  INFO(v.body);
  REQUIRE(v.status == 201);
  const std::string before = snapshot(ts);
  const std::string searchBefore =
      fetch(ts, "/api/variables?q=" + urlEncode("rökning") + "&limit=1000").body;
  const std::string detail = expectError(admin(ts, "DELETE", "/api/registers/extra"), 409);
  CHECK(detail.find("extra") != std::string::npos);
  CHECK(difference(before, snapshot(ts)) == "");
  // The search index was not touched by the failed delete.
  CHECK(difference(searchBefore,
                   fetch(ts, "/api/variables?q=" + urlEncode("rökning") + "&limit=1000").body) ==
        "");
  CHECK(hitIds(parseJson(fetch(ts, "/api/variables?q=" + urlEncode("lånad")))) ==
        std::vector<std::string>{"strokereg/akut/lanad"});
  // Deleting strokereg itself takes its variables, code lists and index entries with it.
  CHECK(admin(ts, "DELETE", "/api/registers/strokereg").status == 204);
  CHECK(integer(parseJson(fetch(ts, "/api/variables?register=strokereg")), "total") == 0);
  CHECK(integer(parseJson(fetch(ts, "/api/variables?q=" + urlEncode("lånad"))), "total") == 0);
  CHECK(integer(parseJson(fetch(ts, "/api/codelists?register=strokereg")), "total") == 0);
  CHECK(admin(ts, "DELETE", "/api/registers/extra").status == 204);
}

TEST_CASE("API: concurrent reads and writes", "[api]") {
  TestServer ts;
  std::vector<std::thread> threads;
  std::vector<std::vector<int>> statuses(5);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 15; ++i) {
        try {
          const auto r = http(ts.port(), "GET",
                              i % 3 == 0   ? "/api/variables?q=" + urlEncode("rökning")
                              : i % 3 == 1 ? "/api/registers"
                                           : "/api/variables/strokereg/akut/rokning");
          statuses[size_t(t)].push_back(r.status);
        } catch (const std::exception&) {
          statuses[size_t(t)].push_back(-1);
        }
      }
    });
  threads.emplace_back([&] {
    for (int i = 0; i < 8; ++i) {
      try {
        const auto r = http(
            ts.port(), "POST", "/api/registers",
            R"({"id":"par)" + std::to_string(i) + R"(","name":"Parallell","cpua":{"name":"R"}})",
            {{"Authorization", std::string("Bearer ") + TestServer::kToken}});
        statuses[4].push_back(r.status);
      } catch (const std::exception&) {
        statuses[4].push_back(-1);
      }
    }
  });
  for (auto& t : threads) t.join();
  for (int t = 0; t < 4; ++t) {
    INFO("reader " << t);
    CHECK(statuses[size_t(t)] == std::vector<int>(15, 200));
  }
  CHECK(statuses[4] == std::vector<int>(8, 201));
  CHECK(integer(parseJson(fetch(ts, "/api/registers")), "total") == 12);
}

// ---------------------------------------------------------------------------------------------
// Server behaviour that is wrong at the time of writing is tagged [!mayfail]: those tests describe
// the correct behaviour.

// BUG (web/server.cpp with Pistache 0.0.5): a response to a request with "Connection: close"
// carries "Connection: Close" but the server keeps the socket open (measured: ~189 s). RFC 9112
// §9.6 requires the server to close it. test_support's http() therefore reads by Content-Length
// rather than until EOF, which would block for minutes on every call.
TEST_CASE("API: the server closes the connection after 'Connection: close'", "[api][!mayfail]") {
  TestServer ts;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(ts.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  REQUIRE(::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size()));
  std::string raw;
  char buf[4096];
  bool closed = false;
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n == 0) closed = true;
    if (n <= 0) break;
    raw.append(buf, size_t(n));
  }
  close(fd);
  CHECK(raw.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(closed);
}

// BUG (web/api.cpp, Api::handle: `if (req.method == "HEAD") r.body.clear();`): HEAD answers
// "Content-Length: 0" instead of the length GET would send; RFC 9110 §8.6 forbids a
// Content-Length that differs from GET's.
TEST_CASE("API: HEAD reports the Content-Length of GET", "[api][!mayfail]") {
  TestServer ts;
  for (const std::string target : {"/healthz", "/api/registers/strokereg", "/"}) {
    INFO(target);
    const auto g = fetch(ts, target);
    const auto h = http(ts.port(), "HEAD", target);
    CHECK(h.status == g.status);
    CHECK(h.body.empty());
    CHECK(header(h, "content-type") == header(g, "content-type"));
    CHECK(header(h, "content-length") == std::to_string(g.body.size()));
  }
}

// Regression: the authentication scheme is case-insensitive (RFC 9110 §11.1); "bearer TOKEN"
// used to be refused with 401.
TEST_CASE("API: the Bearer scheme is matched case-insensitively", "[api]") {
  TestServer ts;
  auto r = http(ts.port(), "POST", "/api/registers",
                R"({"id":"ny","name":"Nytt","cpua":{"name":"Region Skåne"}})",
                {{"Authorization", std::string("bearer ") + TestServer::kToken}});
  CHECK(r.status == 201);
}

// Regression: retiring a variable whose current version starts after the retirement date used to
// close only that future version, at its own start date, leaving the previous version valid for
// years. No version may be valid after the retirement date.
TEST_CASE("API: DELETE closes a variable on its date even when a future version exists", "[api]") {
  TestServer ts;
  const int year = currentYear() + 5;
  const std::string today = regcat::text::today(), tomorrow = regcat::text::addDays(today, 1);
  const std::string effective = std::to_string(year) + "-01-01";
  REQUIRE(
      admin(
          ts, "POST", "/api/variables",
          R"({"register":"strokereg","dataset":"akut","name":"ny","label":"Ny","datatype":"integer"})")
          .status == 201);
  REQUIRE(admin(ts, "PUT", "/api/variables/strokereg/akut/ny?effective_date=" + effective,
                R"({"label":"Ny definition","datatype":"integer"})")
              .status == 200);
  auto del = admin(ts, "DELETE", "/api/variables/strokereg/akut/ny?date=" + today);
  REQUIRE(del.status == 200);
  CHECK(fetch(ts, "/api/variables/strokereg/akut/ny?at=" + today).status == 200);
  CHECK(fetch(ts, "/api/variables/strokereg/akut/ny?at=" + tomorrow).status == 404);
  CHECK(fetch(ts, "/api/variables/strokereg/akut/ny?at=" + effective).status == 404);
}

TEST_CASE("API: a variable's ETag changes with it, and a stale If-Match on PUT is 412", "[api]") {
  TestServer ts;
  auto g = fetch(ts, "/api/variables/strokereg/akut/rokning");
  REQUIRE(g.status == 200);
  const auto v1 = integer(parseJson(g), "version");
  const std::string e1 = header(g, "etag");
  REQUIRE_FALSE(e1.empty());
  CHECK(header(fetch(ts, "/api/variables/strokereg/akut/rokning?at=2016-06-01"), "etag").empty());
  const std::string body = R"({"label":{"sv":"Rökning vid insjuknandet"},"datatype":"code",
                               "codelist":"strokereg.rokare"})";
  auto put = [&](const std::string& ifMatch) {
    return http(
        ts.port(), "PUT", "/api/variables/strokereg/akut/rokning", body,
        {{"Authorization", std::string("Bearer ") + TestServer::kToken}, {"If-Match", ifMatch}});
  };
  // A stale or malformed If-Match changes nothing.
  auto stale = put("\"999\"");
  INFO(stale.body);
  CHECK(stale.status == 412);
  CHECK(put("x").status == 400);
  CHECK(integer(parseJson(fetch(ts, "/api/variables/strokereg/akut/rokning")), "version") == v1);
  // The current ETag as If-Match makes a new version, whose ETag comes back.
  auto ok = put(e1);
  INFO(ok.body);
  REQUIRE(ok.status == 200);
  CHECK(integer(parseJson(ok), "version") == v1 + 1);
  CHECK(header(ok, "etag") != e1);
  CHECK(header(fetch(ts, "/api/variables/strokereg/akut/rokning"), "etag") == header(ok, "etag"));
  // The old ETag is now stale.
  CHECK(put(e1).status == 412);
}
