// Operations (issue 8 item 9): serve settings from a file, the environment and the command
// line; GET /metrics in the Prometheus text format; JSON log lines; db backup and restore.
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <map>
#include <regex>
#include <sstream>

#include "cli/serve_settings.h"
#include "server_process.h"
#include "test_support.h"

using namespace regcat;
using namespace regcat::test;

namespace {

// Sets an environment variable for one scope (each Catch test case runs in its own process
// under CTest, and this restores the old value anyway).
struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(std::string n, const std::string& v) : name(std::move(n)) {
    if (const char* o = std::getenv(name.c_str())) old = o;
    setenv(name.c_str(), v.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old)
      setenv(name.c_str(), old->c_str(), 1);
    else
      unsetenv(name.c_str());
  }
};

cli::Args args(const std::map<std::string, std::string>& opts) {
  cli::Args a;
  a.opts = opts;
  return a;
}

struct Run {
  int status = -1;
  std::string output;
};

Run regcatCli(const TempDir& dir, const std::string& args) {
  const std::string log = dir.file("cli.log");
  const int rc = std::system(("env -u REGCAT_ADMIN_TOKEN '" + std::string(REGCAT_BINARY) + "' " +
                              args + " > '" + log + "' 2>&1")
                                 .c_str());
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, readFile(log)};
}

}  // namespace

TEST_CASE("Serve settings: file, then environment, then command line", "[ops]") {
  TempDir dir;
  const std::string file = dir.file("regcat.conf");
  writeFile(file,
            "# regcat settings\n"
            "db = /var/lib/regcat/regcat.db\n"
            "port = 8081\n"
            "threads = 8\n"
            "base_uri = \"https://register.example.se/\"\n"
            "log_requests = true\n"
            "\n");
  {
    ScopedEnv env("REGCAT_PORT", "8082");
    const auto s = cli::resolveServeSettings(args({{"config", file}, {"threads", "2"}}));
    CHECK(s.db == "/var/lib/regcat/regcat.db");
    CHECK(s.port == 8082);  // the environment wins over the file
    CHECK(s.threads == 2);  // the command line wins over both
    CHECK(s.base_uri == "https://register.example.se");
    CHECK(s.log_requests);
    CHECK(s.demo);
    CHECK(s.source.at("port") == "REGCAT_PORT");
    CHECK(s.source.at("db") == file + ":2");
    CHECK(s.source.at("threads") == "--threads");
    CHECK(s.source.at("address") == "default");
  }
  {
    ScopedEnv env("REGCAT_CONFIG", file);
    CHECK(cli::resolveServeSettings(args({{"no-demo", ""}})).port == 8081);
    CHECK_FALSE(cli::resolveServeSettings(args({{"no-demo", ""}})).demo);
  }
  // Mistakes name their place.
  writeFile(file, "port = 8081\nthreds = 4\n");
  CHECK_THROWS_WITH(cli::resolveServeSettings(args({{"config", file}})),
                    Catch::Contains(file + ":2: unknown setting 'threds'"));
  writeFile(file, "port = 80x\n");
  CHECK_THROWS_WITH(cli::resolveServeSettings(args({{"config", file}})),
                    Catch::Contains(file + ":1: '80x' is not a number"));
  writeFile(file, "just words\n");
  CHECK_THROWS_WITH(cli::resolveServeSettings(args({{"config", file}})),
                    Catch::Contains(file + ":1: expected 'key = value'"));
  {
    ScopedEnv env("REGCAT_THREADS", "0");
    CHECK_THROWS_WITH(cli::resolveServeSettings(args({})),
                      Catch::Contains("REGCAT_THREADS: 0 is out of range"));
  }
  CHECK(cli::resolveServeSettings(args({{"write-rate", "5000"}})).write_rate == 5000);
  CHECK(cli::resolveServeSettings(args({})).login_rate == 10);
  CHECK_THROWS_WITH(cli::resolveServeSettings(args({{"base-uri", "ftp://x"}})),
                    Catch::Contains("--base-uri: 'ftp://x' is not an http"));
  CHECK_THROWS_WITH(cli::resolveServeSettings(args({{"config", dir.file("none.conf")}})),
                    Catch::Contains("cannot read the configuration file"));
}

TEST_CASE("GET /metrics: requests, latency and imports in the Prometheus text format",
          "[ops][api]") {
  TestServer server(true);
  for (int i = 0; i < 3; ++i) CHECK(server.get("/api/registers").status == 200);
  CHECK(server.get("/api/variables/strokereg/akut/rokning").status == 200);
  CHECK(server.get("/api/variables/strokereg/akut/finnsinte").status == 404);
  CHECK(server.get("/api/variables/diabetes/x/y").status == 404);
  const std::string csv = "dataset,name,label_sv,datatype\nbesok,vikt,Vikt,decimal\n";
  auto dry = http(server.port(), "POST",
                  "/api/registers/strokereg/imports?filename=d.csv&format=csv&dry_run=1", csv,
                  {{"Authorization", std::string("Bearer ") + TestServer::kToken},
                   {"Content-Type", "text/csv"}});
  CHECK(dry.status == 200);

  auto m = server.get("/metrics");
  REQUIRE(m.status == 200);
  CHECK(m.headers["content-type"].find("text/plain; version=0.0.4") == 0);
  const std::string& t = m.body;
  INFO(t.substr(0, 3000));
  CHECK(t.find("regcat_http_requests_total{method=\"GET\",route=\"/api/registers\",status=\"200\"} "
               "3\n") != std::string::npos);
  // Ids are folded into the route template, so clients cannot grow the series without bound.
  CHECK(t.find("route=\"/api/variables/{id}/{id}/{id}\",status=\"404\"} 2\n") != std::string::npos);
  CHECK(t.find("route=\"/api/variables/{id}/{id}/{id}\",status=\"200\"} 1\n") != std::string::npos);
  CHECK(t.find("regcat_http_request_duration_seconds_bucket{route=\"/api/registers\",le=\"+Inf\"} "
               "3\n") != std::string::npos);
  CHECK(t.find("regcat_http_request_duration_seconds_count{route=\"/api/registers\"} 3\n") !=
        std::string::npos);
  CHECK(t.find("regcat_imports_total{result=\"dry_run\"} 1\n") != std::string::npos);
  CHECK(t.find("regcat_imports_total{result=\"committed\"} 0\n") != std::string::npos);
  CHECK(t.find("regcat_registers 4\n") != std::string::npos);
  CHECK(t.find("process_resident_memory_bytes ") != std::string::npos);
  // Every line is a comment or a sample: name{labels} value.
  const std::regex sample(
      R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-z_]+="[^"]*",?)*\})? [-+0-9.eE]+(Inf)?$)");
  std::istringstream lines(t);
  int samples = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# ", 0) == 0) continue;
    INFO(line);
    CHECK(std::regex_match(line, sample));
    ++samples;
  }
  CHECK(samples > 20);
  // Buckets are cumulative: the largest finite one holds every request of the route.
  CHECK(t.find("regcat_http_request_duration_seconds_bucket{route=\"/api/registers\",le=\"10\"} "
               "3\n") != std::string::npos);
  CHECK(server.send("POST", "/metrics").status == 405);
}

TEST_CASE("regcat serve with a settings file logs JSON lines and answers on the configured port",
          "[ops][cli]") {
  TempDir dir;
  const uint16_t filePort = freePort(), envPort = freePort();
  writeFile(dir.file("regcat.conf"), "db = " + dir.file("s.db") + "\naddress = 127.0.0.1\nport = " +
                                         std::to_string(filePort) +
                                         "\ndemo = false\nlog_requests = true\n"
                                         "max_headers = 20\n");
  Child child;
  spawnRegcat(child, {"serve", "--config", dir.file("regcat.conf")}, dir.file("serve.log"),
              {"REGCAT_PORT=" + std::to_string(envPort), "REGCAT_THREADS=2"});
  const bool up = waitUntilServing(child, envPort);
  INFO(readFile(dir.file("serve.log")));
  REQUIRE(up);
  CHECK(http(envPort, "GET", "/api/registers").status == 200);
  // The limits of the file reach the server: 25 header fields are more than max_headers = 20
  // (the default, 100, would let them through).
  std::map<std::string, std::string> many;
  for (int i = 0; i < 25; ++i) many["X-Extra-" + std::to_string(i)] = "ja";
  CHECK(http(envPort, "GET", "/api/registers", "", many).status == 431);
  REQUIRE(kill(child.pid, SIGTERM) == 0);
  REQUIRE(child.waitExit(std::chrono::seconds(10)));
  const std::string log = readFile(dir.file("serve.log"));
  CHECK(log.find("\"msg\":\"listening\"") != std::string::npos);
  CHECK(log.find("\"port_from\":\"REGCAT_PORT\"") != std::string::npos);
  CHECK(log.find("\"msg\":\"request\",\"method\":\"GET\",\"path\":\"/api/registers\"") !=
        std::string::npos);
  CHECK(log.find("\"msg\":\"stopping\"") != std::string::npos);
  CHECK(std::filesystem::exists(dir.file("s.db")));

  // A bad file stops the start with its place named.
  writeFile(dir.file("bad.conf"), "port = 8080\nmax_body = lots\n");
  auto bad = regcatCli(dir, "serve --config '" + dir.file("bad.conf") + "'");
  CHECK(bad.status == 2);
  CHECK(bad.output.find("bad.conf:2: 'lots' is not a number") != std::string::npos);
}

TEST_CASE("regcat db backup and restore", "[ops][cli]") {
  TempDir dir;
  const std::string db = dir.file("live.db"), backup = dir.file("backup.db");
  {
    TestStore demo(true);
    demo.store->backup(db);
  }
  auto b = regcatCli(dir, "db backup --db '" + db + "' '" + backup + "'");
  INFO(b.output);
  REQUIRE(b.status == 0);
  {
    Store store(db);
    store.deleteRegister("strokereg", "test");
    CHECK_FALSE(store.getRegister("strokereg"));
  }
  // Not a database: refused, nothing changed.
  writeFile(dir.file("junk.db"), "this is not SQLite");
  auto junk = regcatCli(dir, "db restore --db '" + db + "' '" + dir.file("junk.db") + "'");
  CHECK(junk.status == 1);
  CHECK_FALSE(Store(db).getRegister("strokereg"));

  auto r = regcatCli(dir, "db restore --db '" + db + "' '" + backup + "'");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("check: ok") != std::string::npos);
  Store restored(db);
  CHECK(restored.getRegister("strokereg"));
  CHECK(restored.listRegisters().size() == 4);
  // The content before the restore is kept beside it.
  int kept = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    kept += e.path().filename().string().find("live.db.before-restore-") == 0;
  CHECK(kept == 1);
  auto missing = regcatCli(dir, "db restore --db '" + db + "' '" + dir.file("none.db") + "'");
  CHECK(missing.status == 1);
  CHECK(missing.output.find("no such backup file") != std::string::npos);
}
