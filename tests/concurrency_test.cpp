// Concurrent edits (issue 8, item 4): every register, dataset, variable, code list, mapping and
// linkage plan has an ETag; PUT, PATCH and DELETE require If-Match (428 without, also for "*");
// a stale one is 412 with the current version and changes nothing; of two writers holding the
// same ETag exactly one wins. All against the real server over loopback.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "cli/demo.h"
#include "test_support.h"

using namespace regcat;

namespace {

struct DemoServer : test::TestServer {
  DemoServer() : TestServer(true) {
    app::loadDemoTerminology(*db.store, test::dataDir());
    app::loadDemoMappings(*db.store, test::dataDir());
  }
  test::HttpResponse write(const std::string& method, const std::string& target,
                           const std::string& body, const std::string& ifMatch) const {
    std::map<std::string, std::string> h{{"Authorization", std::string("Bearer ") + kToken}};
    if (!ifMatch.empty()) h["If-Match"] = ifMatch;
    return test::http(port(), method, target, body, h);
  }
};

rapidjson::Document parse(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  INFO(body.substr(0, 1000));
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

std::string etag(const test::HttpResponse& r) {
  auto it = r.headers.find("etag");
  return it == r.headers.end() ? std::string() : it->second;
}

// One editable resource: where it is, a PUT body that sets a marker value, and how to read the
// marker back from its GET answer.
struct Resource {
  std::string name, target;
  std::function<std::string(const std::string&)> body;
  std::function<std::string(const rapidjson::Document&)> marker;
};

std::string textSv(const rapidjson::Value& v, const char* key) {
  if (!v.HasMember(key)) return "<missing>";
  const auto& t = v[key];
  if (t.IsString()) return t.GetString();
  if (t.IsObject() && t.HasMember("sv") && t["sv"].IsString()) return t["sv"].GetString();
  return "<?>";
}

const char* kPlan = R"({
  "title": "%TITLE%",
  "kind": "samkorning",
  "purpose_category": "forskning",
  "purpose": "Studera sambandet mellan tidigare hjärtinfarkt och strokeförlopp.",
  "responsible_cpua": "Region Västerbotten",
  "registers": ["strokereg", "hjartintensiv"],
  "variables": [
    {"variable": "strokereg/akut/kon", "justification": "Justering."},
    {"variable": "hjartintensiv/vardtillfalle/kon", "justification": "Justering."}
  ]
})";

std::string plan(const std::string& title) {
  std::string s = kPlan;
  s.replace(s.find("%TITLE%"), 7, title);
  return s;
}

std::vector<Resource> resources(const DemoServer& s) {
  std::vector<Resource> out;
  out.push_back({"register", "/api/registers/strokereg",
                 [](const std::string& v) {
                   return R"({"id":"strokereg","name":{"sv":")" + v +
                          R"("},"cpua":{"name":"Region Västerbotten"}})";
                 },
                 [](const rapidjson::Document& d) { return textSv(d, "name"); }});
  out.push_back({"dataset", "/api/registers/strokereg/datasets/akut",
                 [](const std::string& v) { return R"({"name":{"sv":")" + v + R"("}})"; },
                 [](const rapidjson::Document& d) { return textSv(d, "name"); }});
  out.push_back({"variable", "/api/variables/strokereg/akut/rokning",
                 [](const std::string& v) {
                   return R"({"label":{"sv":")" + v +
                          R"("},"datatype":"code","codelist":"strokereg.rokare"})";
                 },
                 [](const rapidjson::Document& d) { return textSv(d, "label"); }});
  // A code list of its own, so that its items can change freely.
  REQUIRE(s.send("POST", "/api/codelists",
                 R"({"id":"test.lista","name":{"sv":"Start"},"items":[{"code":"1"}]})")
              .status == 201);
  out.push_back({"code list", "/api/codelists/test.lista",
                 [](const std::string& v) {
                   return R"({"name":{"sv":")" + v + R"("},"items":[{"code":"1"},{"code":"2"}]})";
                 },
                 [](const rapidjson::Document& d) { return textSv(d, "name"); }});
  auto list = parse(s.get("/api/mappings?register=strokereg&limit=1").body);
  REQUIRE(list["mappings"].Size() == 1);
  const std::string mappingId = std::to_string(list["mappings"][0]["id"].GetInt64());
  out.push_back({"mapping", "/api/mappings/" + mappingId,
                 [](const std::string& v) { return R"({"comment":")" + v + R"("})"; },
                 [](const rapidjson::Document& d) { return textSv(d, "comment"); }});
  auto created = s.send("POST", "/api/linkage-plans", plan("Start"));
  INFO(created.body);
  REQUIRE(created.status == 201);
  const std::string planId = std::to_string(parse(created.body)["id"].GetInt64());
  out.push_back({"linkage plan", "/api/linkage-plans/" + planId, plan,
                 [](const rapidjson::Document& d) { return textSv(d, "title"); }});
  return out;
}

}  // namespace

TEST_CASE("concurrent edits: ETag, If-Match required, 412 on stale, one winner", "[etag]") {
  DemoServer s;
  for (const auto& res : resources(s)) {
    INFO(res.name << " " << res.target);
    auto g = s.get(res.target);
    REQUIRE(g.status == 200);
    const std::string e1 = etag(g);
    REQUIRE_FALSE(e1.empty());
    const std::string before = res.marker(parse(g.body));
    CHECK(s.get(res.target).headers["etag"] == e1);  // stable while nothing changes
    const std::string method = "PUT";

    // No If-Match: 428, naming If-Match and the current ETag; nothing changes.
    auto missing = s.write(method, res.target, res.body("Utan If-Match"), "");
    INFO(missing.body);
    CHECK(missing.status == 428);
    auto m = parse(missing.body);
    CHECK(std::string(m["error"].GetString()) == "precondition_required");
    CHECK(std::string(m["detail"].GetString()).find("If-Match") != std::string::npos);
    CHECK(std::string(m["detail"].GetString()).find(e1) != std::string::npos);
    // "*" is no bypass.
    CHECK(s.write(method, res.target, res.body("Stjärna"), "*").status == 428);
    // A stale ETag: 412 with the current version (body and ETag header); nothing changes.
    auto stale = s.write(method, res.target, res.body("Gammal"), "\"999\"");
    INFO(stale.body);
    CHECK(stale.status == 412);
    auto st = parse(stale.body);
    CHECK(std::string(st["error"].GetString()) == "precondition_failed");
    CHECK(std::string(st["etag"].GetString()) == e1);
    CHECK(etag(stale) == e1);
    REQUIRE(st.HasMember("current"));
    CHECK(st["current"].IsObject());
    {
      rapidjson::Document cur;
      cur.CopyFrom(st["current"], cur.GetAllocator());
      CHECK(res.marker(cur) == before);
    }
    // A malformed one is a 400.
    CHECK(s.write(method, res.target, res.body("Fel"), "inte-en-etag").status == 400);
    auto after = s.get(res.target);
    CHECK(etag(after) == e1);
    CHECK(res.marker(parse(after.body)) == before);

    // The right ETag: the write succeeds and the ETag changes.
    auto ok = s.write(method, res.target, res.body("Ändrad"), e1);
    INFO(ok.body);
    REQUIRE(ok.status == 200);
    const std::string e2 = etag(ok);
    CHECK_FALSE(e2.empty());
    CHECK(e2 != e1);
    auto g2 = s.get(res.target);
    CHECK(etag(g2) == e2);
    CHECK(res.marker(parse(g2.body)) == "Ändrad");
    // The first ETag is now stale.
    CHECK(s.write(method, res.target, res.body("Sent"), e1).status == 412);
    CHECK(res.marker(parse(s.get(res.target).body)) == "Ändrad");

    // Two writers holding the same ETag, at the same moment: exactly one wins, the other gets
    // 412, and the stored value is the winner's. (Each writes a value that is new: a write that
    // changes nothing leaves a variable's or code list's ETag as it was, so that it cannot make
    // another writer's ETag stale.)
    auto value = [](int round, int writer) {
      return "Skribent " + std::to_string(writer) + " i omgång " + std::to_string(round);
    };
    for (int round = 0; round < 5; ++round) {
      const std::string tag = etag(s.get(res.target));
      std::atomic<int> ready{0};
      std::vector<int> status(2, 0);
      std::vector<std::thread> writers;
      for (int w = 0; w < 2; ++w)
        writers.emplace_back([&, w] {
          ++ready;
          while (ready < 2) std::this_thread::yield();
          try {
            status[size_t(w)] = s.write(method, res.target, res.body(value(round, w)), tag).status;
          } catch (const std::exception&) {
            status[size_t(w)] = -1;
          }
        });
      for (auto& t : writers) t.join();
      INFO("round " << round << ": " << status[0] << " " << status[1]);
      CHECK(((status[0] == 200 && status[1] == 412) || (status[0] == 412 && status[1] == 200)));
      const int winner = status[0] == 200 ? 0 : 1;
      auto now = s.get(res.target);
      CHECK(res.marker(parse(now.body)) == value(round, winner));
      CHECK(etag(now) != tag);
    }
  }
  CHECK(s.get("/healthz").status == 200);
}

TEST_CASE("concurrent edits: DELETE requires a current If-Match", "[etag]") {
  DemoServer s;
  REQUIRE(s.send("POST", "/api/registers",
                 R"({"id":"tillfallig","name":{"sv":"Tillfällig"},"cpua":{"name":"Region Skåne"}})")
              .status == 201);
  REQUIRE(
      s.send("POST", "/api/registers/tillfallig/datasets", R"({"id":"ds","name":"Ds"})").status ==
      201);
  REQUIRE(s.send("POST", "/api/variables",
                 R"({"register":"tillfallig","dataset":"ds","name":"v","label":"V",
                     "datatype":"integer"})")
              .status == 201);
  REQUIRE(s.send("POST", "/api/codelists",
                 R"({"id":"tillfallig.lista","name":"L","items":[{"code":"1"}]})")
              .status == 201);
  auto list = parse(s.get("/api/mappings?register=diabetes&limit=1").body);
  REQUIRE(list["mappings"].Size() == 1);
  const std::string mapping =
      "/api/mappings/" + std::to_string(list["mappings"][0]["id"].GetInt64());
  // Innermost first, so that each delete is allowed; a variable is closed (200), the rest go.
  const std::vector<std::pair<std::string, int>> targets = {
      {"/api/variables/tillfallig/ds/v", 200},
      {"/api/codelists/tillfallig.lista", 204},
      {mapping, 204},
      {"/api/registers/tillfallig/datasets/ds", 204},
      {"/api/registers/tillfallig", 204},
  };
  for (const auto& [target, success] : targets) {
    INFO(target);
    auto g = s.get(target);
    REQUIRE(g.status == 200);
    const std::string e1 = etag(g);
    REQUIRE_FALSE(e1.empty());
    auto missing = s.write("DELETE", target, "", "");
    CHECK(missing.status == 428);
    CHECK(std::string(parse(missing.body)["detail"].GetString()).find(e1) != std::string::npos);
    CHECK(s.write("DELETE", target, "", "*").status == 428);
    auto stale = s.write("DELETE", target, "", "\"999\"");
    CHECK(stale.status == 412);
    CHECK(etag(stale) == e1);
    auto still = s.get(target);
    CHECK(still.status == 200);
    CHECK(etag(still) == e1);
    CHECK(still.body == g.body);
    auto del = s.write("DELETE", target, "", e1);
    INFO(del.body);
    CHECK(del.status == success);
    if (success == 204) {
      CHECK(s.get(target).status == 404);
    } else {
      CHECK(etag(del) != e1);  // closed: a change, so a new ETag
      CHECK(etag(s.get(target)) == etag(del));
      CHECK(s.write("DELETE", target, "", e1).status == 412);
    }
  }
  CHECK(s.get("/healthz").status == 200);
}
