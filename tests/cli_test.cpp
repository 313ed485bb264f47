// The regcat command line, run as a real process (REGCAT_BINARY) in a temporary directory.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "server_process.h"
#include "test_support.h"

using namespace regcat::test;

namespace {

struct Run {
  int status = -1;     // exit status, or -1 if the process did not exit normally
  std::string output;  // standard output and standard error
};

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

// Runs `regcat ARGS` through the shell, from `cwd`, collecting stdout and stderr.
Run runRegcat(const std::string& args, const std::string& cwd = "") {
  std::string cmd;
  if (!cwd.empty()) cmd = "cd " + quote(cwd) + " && ";
  cmd += "env -u REGCAT_ADMIN_TOKEN " + quote(REGCAT_BINARY) + " " + args + " 2>&1 </dev/null";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int st = pclose(p);
  if (st != -1 && WIFEXITED(st)) r.status = WEXITSTATUS(st);
  return r;
}

std::string demo(const std::string& file) {
  return quote(dataDir() + "/demo/" + file);
}

void stripKeys(rapidjson::Value& v, const std::set<std::string>& keys) {
  if (v.IsObject()) {
    // By index: `it != v.MemberEnd()` on mutable iterators is ambiguous in C++20 with
    // rapidjson 1.1 (clang's -Wambiguous-reversed-operator).
    for (rapidjson::SizeType i = 0; i < v.MemberCount();) {
      auto it = v.MemberBegin() + i;
      if (keys.count(std::string(it->name.GetString(), it->name.GetStringLength()))) {
        v.EraseMember(it);
      } else {
        stripKeys(it->value, keys);
        ++i;
      }
    }
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) stripKeys(e, keys);
  }
}

// A catalogue export as canonical text, without the values that record when or by whom.
std::string canonicalExport(const std::string& path) {
  const std::string bytes = readFile(path);
  rapidjson::Document d;
  d.Parse(bytes.data(), bytes.size());
  INFO(path << ": " << bytes.substr(0, 500));
  REQUIRE_FALSE(d.HasParseError());
  REQUIRE(d.IsObject());
  REQUIRE(d.HasMember("format"));
  CHECK(std::string(d["format"].GetString()) == "regcat-catalog");
  stripKeys(d, {"exported_at", "recorded_at", "created_at", "updated_at", "provenance"});
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  d.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string difference(const std::string& a, const std::string& b) {
  if (a == b) return "";
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const size_t from = i > 80 ? i - 80 : 0;
  return "differ at byte " + std::to_string(i) + ":\n  a: " + a.substr(from, 200) +
         "\n  b: " + b.substr(from, 200);
}

// Exports db to a new file in dir and returns its canonical text.
std::string exportOf(const TempDir& dir, const std::string& db, const std::string& name) {
  const std::string out = dir.file(name);
  auto r = runRegcat("export json --db " + quote(db) + " -o " + quote(out));
  INFO(r.output);
  REQUIRE(r.status == 0);
  return canonicalExport(out);
}

std::string regcatDb(const TempDir& dir, const std::string& name) {
  return dir.file(name);
}

}  // namespace

TEST_CASE("CLI: help and usage errors", "[cli]") {
  TempDir dir;
  auto main = runRegcat("--help", dir.path());
  CHECK(main.status == 0);
  CHECK(main.output.find("Usage: regcat COMMAND") != std::string::npos);
  for (const char* cmd : {"serve", "import", "export", "db"}) {
    INFO(cmd);
    CHECK(main.output.find(std::string("  ") + cmd) != std::string::npos);
    auto r = runRegcat(std::string(cmd) + " --help", dir.path());
    CHECK(r.status == 0);
    CHECK(r.output.find(std::string("Usage: regcat ") + cmd) != std::string::npos);
    auto h = runRegcat(std::string(cmd) + " -h", dir.path());
    CHECK(h.status == 0);
    CHECK(h.output == r.output);
  }
  CHECK(runRegcat("-h", dir.path()).status == 0);
  CHECK(runRegcat("help", dir.path()).output == main.output);

  auto version = runRegcat("version", dir.path());
  CHECK(version.status == 0);
  CHECK(version.output.rfind("regcat ", 0) == 0);

  auto unknown = runRegcat("frobnicate", dir.path());
  CHECK(unknown.status == 2);
  CHECK(unknown.output.find("unknown command 'frobnicate'") != std::string::npos);
  CHECK(runRegcat("", dir.path()).status == 2);
  auto badOpt = runRegcat("import catalog --bogus x.json", dir.path());
  CHECK(badOpt.status == 2);
  CHECK(badOpt.output.find("--bogus") != std::string::npos);
  CHECK(runRegcat("import", dir.path()).status == 2);
  CHECK(runRegcat("export xml --db " + quote(dir.file("x.db")), dir.path()).status == 2);
  CHECK(runRegcat("db frobnicate --db " + quote(dir.file("x.db")), dir.path()).status == 2);
  CHECK(runRegcat("import catalog --db", dir.path()).status == 2);  // option without its value
  // None of these created a database in the working directory.
  CHECK_FALSE(std::filesystem::exists(dir.file("regcat.db")));
}

TEST_CASE("CLI: import, export and re-import round trip", "[cli]") {
  TempDir dir;
  const std::string x = regcatDb(dir, "x.db"), y = regcatDb(dir, "y.db");

  auto imp = runRegcat("import catalog --db " + quote(x) + " " + demo("strokereg.json"));
  INFO(imp.output);
  REQUIRE(imp.status == 0);
  CHECK(imp.output.find("Imported:") != std::string::npos);
  CHECK(imp.output.find("registers: 1 created") != std::string::npos);
  CHECK(imp.output.find("variables: 52 added") != std::string::npos);

  const std::string out = dir.file("out.json");
  auto exp = runRegcat("export json --db " + quote(x) + " -o " + quote(out));
  INFO(exp.output);
  REQUIRE(exp.status == 0);
  const std::string first = canonicalExport(out);
  CHECK_FALSE(std::filesystem::exists(out + ".tmp"));

  {
    rapidjson::Document d;
    const std::string bytes = readFile(out);
    d.Parse(bytes.data(), bytes.size());
    REQUIRE(d["registers"].Size() == 1);
    CHECK(std::string(d["registers"][0]["id"].GetString()) == "strokereg");
    CHECK(std::string(d["registers"][0]["cpua"]["name"].GetString()) == "Region Västerbotten");
    size_t vars = 0;
    for (const auto& ds : d["registers"][0]["datasets"].GetArray()) vars += ds["variables"].Size();
    CHECK(vars == 52);
    CHECK(d["registers"][0]["codelists"].Size() == 16);
  }

  auto imp2 = runRegcat("import catalog --db " + quote(y) + " " + quote(out));
  INFO(imp2.output);
  REQUIRE(imp2.status == 0);
  const std::string second = exportOf(dir, y, "out2.json");
  CHECK(difference(first, second) == "");

  // Export to standard output is the same document.
  auto stdoutExport = runRegcat("export json --db " + quote(y) + " --register strokereg");
  REQUIRE(stdoutExport.status == 0);
  writeFile(dir.file("stdout.json"), stdoutExport.output);
  CHECK(difference(first, canonicalExport(dir.file("stdout.json"))) == "");
  auto missing = runRegcat("export json --db " + quote(y) + " --register nope");
  CHECK(missing.status == 1);
  CHECK(missing.output.find("nope") != std::string::npos);

  // Importing the same file again changes nothing.
  auto again = runRegcat("import catalog --db " + quote(x) + " " + quote(out));
  INFO(again.output);
  REQUIRE(again.status == 0);
  CHECK(again.output.find("0 added, 0 changed, 0 closed") != std::string::npos);
  CHECK(difference(first, exportOf(dir, x, "out3.json")) == "");
}

TEST_CASE("CLI: --dry-run writes nothing", "[cli]") {
  TempDir dir;
  const std::string x = regcatDb(dir, "x.db");
  REQUIRE(runRegcat("import catalog --db " + quote(x) + " " + demo("strokereg.json")).status == 0);
  const std::string before = exportOf(dir, x, "before.json");

  auto dry =
      runRegcat("import catalog --db " + quote(x) + " --dry-run " + demo("hjartintensiv.json"));
  INFO(dry.output);
  REQUIRE(dry.status == 0);
  CHECK(dry.output.find("Dry run (nothing written)") != std::string::npos);
  CHECK(dry.output.find("registers: 1 created") != std::string::npos);
  CHECK(difference(before, exportOf(dir, x, "after.json")) == "");

  auto json =
      runRegcat("import catalog --db " + quote(x) + " --dry-run --json " + demo("diabetes.json"));
  INFO(json.output);
  REQUIRE(json.status == 0);
  rapidjson::Document d;
  d.Parse(json.output.data(), json.output.size());
  REQUIRE_FALSE(d.HasParseError());
  CHECK(d["dry_run"].GetBool());
  REQUIRE(d["registers_created"].Size() == 1);
  CHECK(std::string(d["registers_created"][0].GetString()) == "diabetes");
  CHECK(difference(before, exportOf(dir, x, "after2.json")) == "");
}

TEST_CASE("CLI: db backup, check and migrate", "[cli]") {
  TempDir dir;
  const std::string x = regcatDb(dir, "x.db"), backup = dir.file("backup.db");
  REQUIRE(runRegcat("import catalog --db " + quote(x) + " " + demo("hoftprotes.json")).status == 0);

  auto b = runRegcat("db backup --db " + quote(x) + " " + quote(backup));
  INFO(b.output);
  REQUIRE(b.status == 0);
  CHECK(std::filesystem::exists(backup));
  CHECK(std::filesystem::file_size(backup) > 0);

  auto check = runRegcat("db check --db " + quote(backup));
  INFO(check.output);
  CHECK(check.status == 0);
  CHECK(check.output == "ok\n");
  CHECK(difference(exportOf(dir, x, "a.json"), exportOf(dir, backup, "b.json")) == "");

  // A second backup to the same file is refused.
  auto again = runRegcat("db backup --db " + quote(x) + " " + quote(backup));
  CHECK(again.status == 1);
  CHECK(again.output.find("already exists") != std::string::npos);

  auto migrate = runRegcat("db migrate --db " + quote(x));
  INFO(migrate.output);
  CHECK(migrate.status == 0);
  std::smatch m;
  REQUIRE(
      std::regex_search(migrate.output, m, std::regex(R"(schema version (\d+) \(latest (\d+)\))")));
  CHECK(m[1] == m[2]);
  CHECK(std::stoi(m[1]) >= 1);
}

TEST_CASE("CLI: a broken file is reported with file, line and column and changes nothing",
          "[cli]") {
  TempDir dir;
  const std::string x = regcatDb(dir, "x.db");
  REQUIRE(runRegcat("import catalog --db " + quote(x) + " " + demo("diabetes.json")).status == 0);
  const std::string before = exportOf(dir, x, "before.json");

  // The first 40 complete lines of a real catalogue: the document ends inside an object.
  const std::string full = readFile(dataDir() + "/demo/strokereg.json");
  size_t cut = 0;
  for (int i = 0; i < 40; ++i) cut = full.find('\n', cut) + 1;
  const std::string broken = full.substr(0, cut);
  writeFile(dir.file("broken.json"), broken);

  auto r = runRegcat("import catalog --db " + quote(x) + " " + quote(dir.file("broken.json")));
  INFO(r.output);
  CHECK(r.status == 1);
  std::smatch m;
  REQUIRE(std::regex_search(r.output, m, std::regex(R"(broken\.json:(\d+):(\d+))")));
  CHECK(std::stoi(m[1]) >= 40);
  CHECK(std::stoi(m[1]) <= 41);
  CHECK(std::stoi(m[2]) >= 1);
  CHECK(r.output.find("malformed JSON") != std::string::npos);
  CHECK(difference(before, exportOf(dir, x, "after.json")) == "");

  // A syntax error in the middle names its exact place.
  writeFile(dir.file("bad.json"), "{\n  \"format\": \"regcat-catalog\",\n  \"version\": 1,,\n}\n");
  auto bad = runRegcat("import catalog --db " + quote(x) + " " + quote(dir.file("bad.json")));
  INFO(bad.output);
  CHECK(bad.status == 1);
  CHECK(bad.output.find("bad.json:3:16") != std::string::npos);  // the second comma

  // Valid JSON with an unknown field: named by its path.
  writeFile(
      dir.file("unknown.json"),
      R"({"format":"regcat-catalog","version":1,"registers":[{"id":"x","name":"X","cpua":{"name":"R"},"colour":1}]})");
  auto unknown =
      runRegcat("import catalog --db " + quote(x) + " " + quote(dir.file("unknown.json")));
  INFO(unknown.output);
  CHECK(unknown.status == 1);
  CHECK(unknown.output.find("registers[0].colour") != std::string::npos);

  auto missing =
      runRegcat("import catalog --db " + quote(x) + " " + quote(dir.file("missing.json")));
  CHECK(missing.status == 1);
  CHECK(missing.output.find("missing.json") != std::string::npos);
  CHECK(difference(before, exportOf(dir, x, "after2.json")) == "");
}

TEST_CASE("CLI: serve answers HTTP and stops on SIGTERM", "[cli]") {
  TempDir dir;
  const std::string db = dir.file("z.db"), log = dir.file("serve.log");
  const uint16_t port = freePort();
  const std::string portText = std::to_string(port);

  Child child;
  spawnRegcat(child,
              {"serve", "--db", db, "--port", portText, "--no-demo", "--address", "127.0.0.1",
               "--threads", "2"},
              log);

  const bool up = waitUntilServing(child, port);
  INFO("server log: " << (std::filesystem::exists(log) ? readFile(log) : std::string("(none)")));
  REQUIRE(up);
  const HttpResponse health = http(port, "GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body.find("\"status\":\"ok\"") != std::string::npos);

  auto regs = http(port, "GET", "/api/registers");
  CHECK(regs.status == 200);
  rapidjson::Document d;
  d.Parse(regs.body.data(), regs.body.size());
  REQUIRE_FALSE(d.HasParseError());
  CHECK(d["total"].GetInt() == 0);
  CHECK(d["registers"].Size() == 0);

  // Without REGCAT_ADMIN_TOKEN the server is read-only.
  auto write = http(port, "POST", "/api/registers", R"({"id":"x","name":"X","cpua":{"name":"R"}})",
                    {{"Authorization", "Bearer "}});
  CHECK(write.status == 401);

  REQUIRE(kill(child.pid, SIGTERM) == 0);
  REQUIRE(child.waitExit(std::chrono::seconds(10)));
  CHECK(WIFEXITED(child.status));
  CHECK(WEXITSTATUS(child.status) == 0);
  const std::string output = readFile(log);
  CHECK(output.find("regcat listening on http://127.0.0.1:" + portText) != std::string::npos);
  CHECK(output.find("stopping") != std::string::npos);
  // The database it created is sound.
  CHECK(runRegcat("db check --db " + quote(db)).output == "ok\n");
}

TEST_CASE("CLI: import variables, dry run, export and template", "[cli][import]") {
  TempDir dir;
  const std::string db = quote(dir.file("v.db"));
  const std::string dict = quote(sourceDir() + "/tests/fixtures/redcap/hjartsvikt_dictionary.csv");
  auto dry = runRegcat("import variables --db " + db + " --register hfreg --dry-run " + dict);
  INFO(dry.output);
  CHECK(dry.status == 0);
  CHECK(dry.output.find("redcap (UTF-8)") != std::string::npos);
  CHECK(dry.output.find("Dry run (nothing written)") != std::string::npos);
  CHECK(runRegcat("export json --db " + db).output.find("\"registers\":[]") != std::string::npos);

  auto real = runRegcat("import variables --db " + db + " --register hfreg --cpua " +
                        quote("Region Örebro län") + " " + dict);
  CHECK(real.status == 0);
  CHECK(real.output.find("1 created") != std::string::npos);
  auto again = runRegcat("import variables --db " + db + " --register hfreg --json " + dict);
  CHECK(again.output.find("\"added\":0,\"changed\":0,\"removed\":0") != std::string::npos);

  CHECK(runRegcat("export xlsx --db " + db + " --register hfreg -o " + quote(dir.file("hf.xlsx")))
            .status == 0);
  auto round = runRegcat("import variables --db " + db + " --register hfreg --dry-run --json " +
                         quote(dir.file("hf.xlsx")));
  CHECK(round.output.find("\"added\":0,\"changed\":0,\"removed\":0") != std::string::npos);
  CHECK(runRegcat("export template -o " + quote(dir.file("t.xlsx"))).status == 0);
  CHECK(readFile(dir.file("t.xlsx")).rfind("PK", 0) == 0);

  auto bad = runRegcat("import variables --db " + db + " --register hfreg --format odm " + dict);
  CHECK(bad.status == 1);
  CHECK(bad.output.find("hjartsvikt_dictionary.csv") != std::string::npos);
  CHECK(runRegcat("import variables --db " + db + " " + dict).status == 2);  // no --register
}
