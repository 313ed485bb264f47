// Accounts, roles, tokens, sessions with CSRF, the proxy header, the authorisation matrix of
// the write endpoints, rate limits, and the audit trail.
#include <SQLiteCpp/SQLiteCpp.h>
#include <rapidjson/document.h>

#include <catch2/catch.hpp>

#include "catalog/errors.h"
#include "catalog/users.h"
#include "cli/demo.h"
#include "test_support.h"

using namespace regcat;

namespace {

rapidjson::Document parse(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

// A demo server with one account per role; tokens by role name.
struct AuthServer : test::TestServer {
  std::map<std::string, std::string> token;
  explicit AuthServer(const std::function<void(web::ApiOptions&)>& configure = {})
      : TestServer(true, 20u << 20, configure) {
    app::loadDemoTerminology(*db.store, test::dataDir());
    app::loadDemoMappings(*db.store, test::dataDir());
    Users users(*db.store);
    users.add("ada", "admin", {}, "");
    users.add("cecilia", "curator", {}, "");
    users.add("erik", "editor", {"strokereg"}, "korrekt häst batteri");
    users.add("diana", "editor", {"diabetes"}, "");
    users.add("rut", "reviewer", {}, "");
    for (const char* n : {"ada", "cecilia", "erik", "diana", "rut"})
      token[n] = users.createToken(n, 30, "test");
  }
  test::HttpResponse as(const std::string& who, const std::string& method,
                        const std::string& target, const std::string& body = {},
                        std::map<std::string, std::string> headers = {}) const {
    if (!who.empty()) headers["Authorization"] = "Bearer " + token.at(who);
    return test::http(port(), method, target, body,
                      test::withIfMatch(port(), method, target, std::move(headers)));
  }
};

}  // namespace

TEST_CASE("accounts: Argon2id passwords, hashed tokens with expiry and revocation", "[auth]") {
  test::TestStore t(true);
  Users users(*t.store);
  CHECK_THROWS_WITH(users.add("x", "admin", {}, "kort"), Catch::Contains("12 characters"));
  CHECK_THROWS_WITH(users.add("a b", "admin", {}, ""), Catch::Contains("name"));
  CHECK_THROWS_WITH(users.add("x", "superuser", {}, ""), Catch::Contains("role"));
  CHECK_THROWS_WITH(users.add("x", "editor", {}, ""), Catch::Contains("register"));
  CHECK_THROWS_WITH(users.add("x", "editor", {"finnsinte"}, ""), Catch::Contains("finnsinte"));
  users.add("anna", "editor", {"strokereg", "diabetes"}, "ett långt lösenord", "Anna Lindqvist");
  CHECK_THROWS_AS(users.add("anna", "admin", {}, ""), Error);
  t.store->read([](SQLite::Database& db) {
    const std::string hash = db.execAndGet("SELECT password_hash FROM app_user").getString();
    CHECK(hash.rfind("$argon2id$", 0) == 0);
  });
  auto p = users.checkPassword("anna", "ett långt lösenord");
  REQUIRE(p);
  CHECK(p->edits("strokereg"));
  CHECK_FALSE(p->edits("hoftprotes"));
  CHECK_FALSE(users.checkPassword("anna", "fel lösenord!!"));
  CHECK_FALSE(users.checkPassword("okänd", "ett långt lösenord"));

  ApiToken info;
  const std::string tok = users.createToken("anna", 7, "skript", &info);
  CHECK(tok.rfind("rct_", 0) == 0);
  CHECK_FALSE(info.expires_at.empty());
  t.store->read([&](SQLite::Database& db) {
    SQLite::Statement s(db, "SELECT count(*) FROM api_token WHERE token_hash = ?");
    s.bind(1, tok);
    s.executeStep();
    CHECK(s.getColumn(0).getInt() == 0);  // never stored in clear
  });
  REQUIRE(users.authenticateToken(tok));
  CHECK(users.authenticateToken(tok)->name == "anna");
  CHECK_FALSE(users.authenticateToken(tok + "x"));
  users.revokeToken(info.id);
  CHECK_FALSE(users.authenticateToken(tok));
  // An expired token is refused.
  const std::string old = users.createToken("anna", 1, "", &info);
  t.store->write([&](SQLite::Database& db) {
    SQLite::Statement s(db,
                        "UPDATE api_token SET expires_at = '2020-01-01T00:00:00Z' WHERE id = ?");
    s.bind(1, static_cast<int64_t>(info.id));
    s.exec();
  });
  CHECK_FALSE(users.authenticateToken(old));
  // Disabling an account ends its tokens' use.
  const std::string live = users.createToken("anna", 0, "");
  users.setDisabled("anna", true);
  CHECK_FALSE(users.authenticateToken(live));
  users.setDisabled("anna", false);
  CHECK(users.setRole("anna", "curator", {}).registers.empty());
}

TEST_CASE("authorisation matrix: anonymous 401, wrong role or scope 403, right role succeeds",
          "[auth]") {
  AuthServer s;
  struct Case {
    std::string method, target, body;
    std::vector<std::string> allowed, refused;
  };
  const std::string reg = R"({"id":"nyreg","name":{"sv":"Nytt register"},
      "cpua":{"name":"Region Testland"}})";
  const std::vector<Case> cases = {
      {"POST", "/api/registers", reg, {"ada"}, {"cecilia", "erik", "rut"}},
      {"PUT",
       "/api/registers/strokereg/datasets/akut",
       R"({"name":{"sv":"Akutskede"}})",
       {"erik"},
       {"diana", "cecilia", "rut"}},
      {"POST",
       "/api/registers/strokereg/datasets",
       R"({"id":"extra","name":{"sv":"Extra"}})",
       {"erik"},
       {"diana", "rut"}},
      {"POST",
       "/api/registers/strokereg/imports?dry_run=1&filename=v.csv",
       "dataset,name,label_sv,datatype\nakut,x1,Test,string\n",
       {"erik"},
       {"diana", "cecilia"}},
      {"POST",
       "/api/mappings",
       R"({"subject":"strokereg/akut/alder","concept_id":"30609999999104",
           "predicate":"skos:broadMatch"})",
       {"erik"},
       {"diana", "rut"}},
      {"POST",
       "/api/mappings",
       R"({"subject":"diabetes/besok/midja","concept_id":"30109999999106",
           "predicate":"skos:broadMatch"})",
       {"cecilia"},
       {"erik", "rut"}},
      {"PUT", "/api/mappings/settings", R"({"four_eyes":true})", {"ada"}, {"cecilia", "rut"}},
      {"POST", "/api/mappings/check-releases", "", {"cecilia"}, {"erik", "rut"}},
      {"POST",
       "/api/linkage-plans",
       R"({"title":"Test","kind":"samkorning","purpose_category":"kvalitetssakring",
           "registers":["strokereg","hjartintensiv"]})",
       {"erik", "cecilia"},
       {"diana", "rut"}},
      {"DELETE", "/api/registers/hoftprotes", "", {"ada"}, {"cecilia", "erik", "diana", "rut"}},
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.target);
    CHECK(test::http(s.port(), c.method, c.target, c.body).status == 401);
    for (const auto& who : c.refused) {
      INFO(who);
      CHECK(s.as(who, c.method, c.target, c.body).status == 403);
    }
    for (const auto& who : c.allowed) {
      INFO(who);
      const auto r = s.as(who, c.method, c.target, c.body);
      INFO(r.body);
      CHECK(r.status >= 200);
      CHECK(r.status < 300);
    }
  }
  // A bad token is 401, not anonymous reading.
  CHECK(test::http(s.port(), "POST", "/api/registers", reg,
                   {{"Authorization", "Bearer rct_nonsense"}})
            .status == 401);
  // Reading stays public.
  CHECK(test::http(s.port(), "GET", "/api/registers").status == 200);
}

TEST_CASE("four-eyes review with real accounts, and reviewers only review", "[auth]") {
  AuthServer s;
  auto c = s.as("cecilia", "POST", "/api/mappings",
                R"({"subject":"strokereg/akut/alder","concept_id":"30609999999104",
                    "predicate":"skos:broadMatch"})");
  REQUIRE(c.status == 201);
  const std::string id = std::to_string(parse(c.body)["id"].GetInt64());
  CHECK(s.as("cecilia", "POST", "/api/mappings/" + id + "/review", R"({"decision":"approve"})")
            .status == 403);
  CHECK(
      s.as("erik", "POST", "/api/mappings/" + id + "/review", R"({"decision":"approve"})").status ==
      403);
  auto ok = s.as("rut", "POST", "/api/mappings/" + id + "/review", R"({"decision":"approve"})");
  REQUIRE(ok.status == 200);
  auto m = parse(ok.body);
  CHECK(std::string(m["author"].GetString()) == "cecilia");
  CHECK(std::string(m["reviewer"].GetString()) == "rut");
  // Decisions on plans are not the drafters'.
  auto p = s.as("erik", "POST", "/api/linkage-plans",
                R"({"title":"T","kind":"samkorning","purpose_category":"statistik",
                    "registers":["strokereg","diabetes"]})");
  REQUIRE(p.status == 201);
  const std::string pid = std::to_string(parse(p.body)["id"].GetInt64());
  CHECK(s.as("erik", "POST", "/api/linkage-plans/" + pid + "/status", R"({"status":"submitted"})")
            .status == 200);
  CHECK(s.as("erik", "POST", "/api/linkage-plans/" + pid + "/status", R"({"status":"approved"})")
            .status == 403);
  CHECK(s.as("cecilia", "POST", "/api/linkage-plans/" + pid + "/status", R"({"status":"approved"})")
            .status == 200);
}

TEST_CASE("web sessions: HttpOnly SameSite cookie, CSRF on writes, logout, login rate limit",
          "[auth]") {
  AuthServer s([](web::ApiOptions& o) { o.login_rate = 5; });
  CHECK(
      test::http(s.port(), "POST", "/api/session", R"({"name":"erik","password":"fel"})").status ==
      401);
  auto login = test::http(s.port(), "POST", "/api/session",
                          R"({"name":"erik","password":"korrekt häst batteri"})");
  REQUIRE(login.status == 200);
  const std::string setCookie = login.headers["set-cookie"];
  CHECK(setCookie.find("HttpOnly") != std::string::npos);
  CHECK(setCookie.find("SameSite=Strict") != std::string::npos);
  CHECK(setCookie.find("Secure") == std::string::npos);  // plain http in the test
  const std::string cookie = setCookie.substr(0, setCookie.find(';'));
  const std::string csrf = parse(login.body)["csrf_token"].GetString();
  auto me = test::http(s.port(), "GET", "/api/session", "", {{"Cookie", cookie}});
  REQUIRE(me.status == 200);
  CHECK(std::string(parse(me.body)["role"].GetString()) == "editor");

  const std::string body = R"({"name":{"sv":"Akutskede, ändrad"}})";
  CHECK(test::http(s.port(), "PUT", "/api/registers/strokereg/datasets/akut", body,
                   {{"Cookie", cookie}})
            .status == 403);  // no CSRF token
  CHECK(test::http(s.port(), "PUT", "/api/registers/strokereg/datasets/akut", body,
                   {{"Cookie", cookie}, {"X-CSRF-Token", "fel"}})
            .status == 403);
  CHECK(test::http(s.port(), "PUT", "/api/registers/strokereg/datasets/akut", body,
                   test::withIfMatch(s.port(), "PUT", "/api/registers/strokereg/datasets/akut",
                                     {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}))
            .status == 200);
  CHECK(test::http(s.port(), "DELETE", "/api/session", "",
                   {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})
            .status == 204);
  CHECK(test::http(s.port(), "GET", "/api/session", "", {{"Cookie", cookie}}).status == 401);

  int limited = 0;
  for (int i = 0; i < 8; ++i)
    limited +=
        test::http(s.port(), "POST", "/api/session", R"({"name":"erik","password":"x"})").status ==
        429;
  CHECK(limited >= 3);
  CHECK(s.get("/healthz").status == 200);  // still serving
}

TEST_CASE("single sign-on through a trusted proxy header, off by default", "[auth]") {
  {
    AuthServer off;
    CHECK(test::http(off.port(), "POST", "/api/registers/strokereg/datasets",
                     R"({"id":"p1","name":{"sv":"P"}})", {{"X-Remote-User", "erik"}})
              .status == 401);
  }
  AuthServer on([](web::ApiOptions& o) { o.trusted_user_header = "X-Remote-User"; });
  CHECK(test::http(on.port(), "POST", "/api/registers/strokereg/datasets",
                   R"({"id":"p1","name":{"sv":"P"}})", {{"X-Remote-User", "erik"}})
            .status == 201);
  CHECK(test::http(on.port(), "POST", "/api/registers/diabetes/datasets",
                   R"({"id":"p1","name":{"sv":"P"}})", {{"X-Remote-User", "erik"}})
            .status == 403);
  CHECK(test::http(on.port(), "POST", "/api/registers/strokereg/datasets",
                   R"({"id":"p2","name":{"sv":"P"}})", {{"X-Remote-User", "mallory"}})
            .status == 401);
}

TEST_CASE("the audit trail records who changed what with before and after, append-only",
          "[auth][audit]") {
  AuthServer s;
  auto v = s.get("/api/variables/strokereg/akut/sys_bt");
  REQUIRE(v.status == 200);
  auto doc = parse(v.body);
  std::string body = v.body;
  const std::string from = "\"Systoliskt blodtryck vid ankomst\"";
  body.replace(body.find(from), from.size(), "\"Systoliskt blodtryck vid ankomst till sjukhus\"");
  auto put = s.as("erik", "PUT", "/api/variables/strokereg/akut/sys_bt", body);
  INFO(put.body);
  REQUIRE(put.status == 200);

  auto a = parse(s.get("/api/audit?entity=variable&id=strokereg/akut/sys_bt").body);
  REQUIRE(a["entries"].Size() >= 1);
  const auto& e = a["entries"][0];
  CHECK(std::string(e["user"].GetString()) == "erik");
  CHECK(std::string(e["action"].GetString()) == "insert");  // a new version
  CHECK(std::string(e["after"]["label_sv"].GetString()) ==
        "Systoliskt blodtryck vid ankomst till sjukhus");
  CHECK(std::string(e["before"]["label_sv"].GetString()) == "Systoliskt blodtryck vid ankomst");

  // Mapping reviews and plan changes are in the same trail.
  auto c = s.as("cecilia", "POST", "/api/mappings",
                R"({"subject":"strokereg/akut/alder","concept_id":"30609999999104"})");
  REQUIRE(c.status == 201);
  auto byUser = parse(s.get("/api/audit?user=cecilia").body);
  REQUIRE(byUser["entries"].Size() >= 1);
  CHECK(std::string(byUser["entries"][0]["entity"].GetString()) == "mapping");
  CHECK(s.get("/api/audit?entity=nonsense").status == 400);
  CHECK(parse(s.get("/api/audit?since=2999-01-01").body)["entries"].Size() == 0);

  // Append-only, even for someone with the database file.
  s.db.store->read([](SQLite::Database& db) { (void)db; });
  CHECK_THROWS(s.db.store->write(
      [](SQLite::Database& db) { db.exec("UPDATE audit SET actor = 'mallory'"); }));
  CHECK_THROWS(s.db.store->write([](SQLite::Database& db) { db.exec("DELETE FROM audit"); }));
}
