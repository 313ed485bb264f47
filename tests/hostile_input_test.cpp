// Hostile input (issue 8, item 5): each case sends the hostile request to the real server over
// loopback (raw sockets where the ordinary client would not send it), checks the answer, and
// checks that the server still serves (GET /healthz) afterwards. The limits are listed in
// docs/operations.md.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "importers/xlsx_reader.h"
#include "test_support.h"

using namespace regcat;
using test::http;
using test::HttpResponse;
using test::TestServer;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A loopback TCP connection, optionally from another loopback address (127.0.0.2 is another
// client to the server, which sees it as the peer address). -1 when it fails. No Catch macros:
// worker threads call it, and Catch's assertions are not thread-safe.
int tryConnect(uint16_t port, const char* from = nullptr, int timeoutSeconds = 10) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  const timeval tv{timeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (from) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, from, &local.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      close(fd);
      return -1;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// The same on the test's own thread, failing the test when it cannot connect.
int connectTo(uint16_t port, const char* from = nullptr, int timeoutSeconds = 10) {
  const int fd = tryConnect(port, from, timeoutSeconds);
  REQUIRE(fd >= 0);
  return fd;
}

// Sends raw bytes and reads one response (by Content-Length, else to EOF or the timeout).
HttpResponse raw(uint16_t port, const std::string& bytes, const char* from = nullptr) {
  const int fd = connectTo(port, from);
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += size_t(n);
  }
  std::string in;
  char buf[65536];
  HttpResponse r;
  for (;;) {
    const size_t head = in.find("\r\n\r\n");
    if (head != std::string::npos) {
      const auto cl = in.find("Content-Length: ");
      if (cl != std::string::npos && cl < head) {
        const size_t len = std::stoul(in.substr(cl + 16, in.find("\r\n", cl) - cl - 16));
        if (in.size() >= head + 4 + len) {
          r.body = in.substr(head + 4, len);
          break;
        }
      }
    }
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      if (head != std::string::npos) r.body = in.substr(head + 4);
      break;
    }
    in.append(buf, size_t(n));
  }
  close(fd);
  if (in.size() >= 12 && in.compare(0, 5, "HTTP/") == 0) r.status = std::stoi(in.substr(9, 3));
  return r;
}

HttpResponse rawGet(uint16_t port, const std::string& target, const char* from = nullptr) {
  return raw(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
             from);
}

std::string errorOf(const HttpResponse& r) {
  rapidjson::Document d;
  d.Parse(r.body.data(), r.body.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("error") || !d["error"].IsString())
    return "<not a JSON error: " + r.body.substr(0, 200) + ">";
  return d["error"].GetString();
}

void stillServesAt(uint16_t port);
void stillServes(uint16_t port) {
  stillServesAt(port);
}
void stillServesAt(uint16_t port) {
  const auto h = http(port, "GET", "/healthz");
  CHECK(h.status == 200);
  CHECK(h.body.find("\"ok\"") != std::string::npos);
}

std::map<std::string, std::string> adminHeaders(std::map<std::string, std::string> h = {}) {
  h["Authorization"] = std::string("Bearer ") + TestServer::kToken;
  return h;
}

// The whole catalogue as the JSON export has it (without its time stamp): a fingerprint to
// compare before and after a hostile request.
std::string catalogue(const TestServer& ts) {
  std::string body = ts.get("/api/export/json").body;
  const std::string stamp = "\"exported_at\":\"";  // the time of the export, not its content
  if (const size_t at = body.find(stamp); at != std::string::npos)
    body.erase(at + stamp.size(), body.find('"', at + stamp.size()) - at - stamp.size());
  return body;
}

}  // namespace

TEST_CASE("hostile: an oversized body is 413 JSON, before authentication", "[hostile]") {
  TestServer ts(true, 1000);
  const std::string before = catalogue(ts);
  const std::string big =
      R"({"id":"stor","name":")" + std::string(5000, 'x') + R"(","cpua":{"name":"R"}})";
  for (const auto& headers : {adminHeaders(), std::map<std::string, std::string>{}}) {
    auto r = http(ts.port(), "POST", "/api/registers", big, headers);
    CHECK(r.status == 413);
    CHECK(errorOf(r) == "payload_too_large");
    CHECK(r.body.find("1000") != std::string::npos);
  }
  // Past the transport limit (max_body + 64 KiB) Pistache refuses it while reading.
  auto huge = http(ts.port(), "POST", "/api/registers", std::string(200000, 'x'), adminHeaders());
  CHECK(huge.status == 413);
  stillServes(ts.port());
  CHECK(catalogue(ts) == before);
}

TEST_CASE("hostile: oversized and too many headers are 431", "[hostile]") {
  TestServer ts(false);
  // One header of 40 KiB (the limit is 32 KiB of header fields in all).
  auto r = http(ts.port(), "GET", "/api/registers", "", {{"X-Big", std::string(40000, 'a')}});
  CHECK(r.status == 431);
  CHECK(errorOf(r) == "request_header_fields_too_large");
  stillServes(ts.port());
  // 500 small header fields (the limit is 100).
  std::map<std::string, std::string> many;
  for (int i = 0; i < 500; ++i) many["X-H" + std::to_string(i)] = "v";
  r = http(ts.port(), "GET", "/api/registers", "", many);
  CHECK(r.status == 431);
  CHECK(r.body.find("100") != std::string::npos);
  stillServes(ts.port());
  // An ordinary request with a dozen headers is fine.
  std::map<std::string, std::string> usual;
  for (int i = 0; i < 12; ++i) usual["X-H" + std::to_string(i)] = std::string(100, 'v');
  CHECK(http(ts.port(), "GET", "/api/registers", "", usual).status == 200);
}

// Slowloris: clients that send their request a byte at a time and never finish must not hold up
// other clients, and are dropped (408, connection closed) after the header or body timeout.
TEST_CASE("hostile: slow clients are dropped after the timeout and do not block others",
          "[hostile]") {
  test::TestStore db(false);
  web::ServerOptions opt;
  opt.address = "127.0.0.1";
  opt.port = 0;
  opt.threads = 2;
  opt.header_timeout_ms = 1500;
  opt.body_timeout_ms = 1500;
  web::Server server(*db.store, opt);
  server.start();
  const uint16_t port = server.port();

  constexpr int kSlow = 8;  // more slow clients than server threads
  std::vector<double> droppedAfter(kSlow, -1);
  std::vector<std::string> answers(kSlow);
  std::atomic<bool> stop{false};
  std::vector<std::thread> slow;
  const auto start = Clock::now();
  for (int i = 0; i < kSlow; ++i)
    slow.emplace_back([&, i] {
      const int fd = tryConnect(port, nullptr, 1);
      if (fd < 0) return;  // droppedAfter stays -1, which the test reports
      // Half send the head slowly, half a complete head and then the body slowly.
      const std::string head =
          i % 2 == 0 ? std::string("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                     : std::string(
                           "POST /api/registers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Content-Type: application/json\r\nContent-Length: 100000\r\n"
                           "\r\n{\"id\":\"");
      const size_t first = i % 2 == 0 ? 5 : head.size();
      ::send(fd, head.data(), first, MSG_NOSIGNAL);
      size_t pos = first;
      while (!stop && secondsSince(start) < 10) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const char c = pos < head.size() ? head[pos++] : 'a';
        const ssize_t n = ::send(fd, &c, 1, MSG_NOSIGNAL);
        char buf[4096];
        const ssize_t got = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (got > 0) answers[size_t(i)].append(buf, size_t(got));
        if (n < 0 || got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
          droppedAfter[size_t(i)] = secondsSince(start);
          break;
        }
      }
      close(fd);
    });
  // Meanwhile, ordinary clients are served at once.
  for (int k = 0; k < 6; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    const auto t = Clock::now();
    const auto h = http(port, "GET", "/healthz");
    CHECK(h.status == 200);
    CHECK(secondsSince(t) < 1.0);
  }
  for (auto& t : slow) t.join();
  stop = true;
  for (int i = 0; i < kSlow; ++i) {
    INFO("slow client " << i << " answer: " << answers[size_t(i)].substr(0, 200));
    CHECK(droppedAfter[size_t(i)] > 1.0);  // not before the timeout...
    CHECK(droppedAfter[size_t(i)] < 5.0);  // ...and soon after it
    if (!answers[size_t(i)].empty()) CHECK(answers[size_t(i)].rfind("HTTP/1.1 408", 0) == 0);
  }
  stillServes(port);
  server.stop();
}

// A client that connects and sends nothing is not timed by the header timeout (it has no first
// byte); the keep-alive timeout closes it.
TEST_CASE("hostile: a connection that sends nothing is closed by the keep-alive timeout",
          "[hostile]") {
  test::TestStore db(false);
  web::ServerOptions opt;
  opt.address = "127.0.0.1";
  opt.port = 0;
  opt.threads = 2;
  opt.header_timeout_ms = 1500;
  opt.keepalive_timeout_ms = 1500;
  web::Server server(*db.store, opt);
  server.start();
  std::vector<int> idle;
  for (int i = 0; i < 6; ++i) idle.push_back(connectTo(server.port(), nullptr, 6));
  const auto t = Clock::now();
  CHECK(http(server.port(), "GET", "/healthz").status == 200);
  for (int fd : idle) {
    // Whatever the server says (a 408), then the end of the connection; a receive timeout
    // (EAGAIN after 6 s) would mean it stayed open.
    std::string got;
    char buf[256];
    ssize_t n = 0;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, size_t(n));
    INFO("received: " << got);
    CHECK((n == 0 || errno == ECONNRESET));
    if (!got.empty()) CHECK(got.rfind("HTTP/1.1 408", 0) == 0);
    close(fd);
  }
  CHECK(secondsSince(t) < 5.0);
  stillServesAt(server.port());
  server.stop();
}

TEST_CASE("hostile: logins are rate-limited per client", "[hostile]") {
  TestServer ts(false, 20u << 20, [](web::ApiOptions& o) { o.login_rate = 3; });
  const std::string wrong = R"({"name":"ingen","password":"fel lösenord 123"})";
  const std::string request =
      "POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nConnection: close\r\n"
      "Content-Length: " +
      std::to_string(wrong.size()) + "\r\n\r\n" + wrong;
  for (int i = 0; i < 3; ++i) CHECK(http(ts.port(), "POST", "/api/session", wrong).status == 401);
  auto limited = http(ts.port(), "POST", "/api/session", wrong);
  CHECK(limited.status == 429);
  CHECK(errorOf(limited) == "too_many_requests");
  // Another client (another loopback address) is not affected.
  CHECK(raw(ts.port(), request, "127.0.0.2").status == 401);
  // Reading goes on for everyone.
  CHECK(http(ts.port(), "GET", "/api/registers").status == 200);
  stillServes(ts.port());
}

TEST_CASE("hostile: writes are rate-limited per client", "[hostile]") {
  TestServer ts(false, 20u << 20, [](web::ApiOptions& o) { o.write_rate = 3; });
  auto reg = [](int i) {
    return R"({"id":"r)" + std::to_string(i) + R"(","name":"R","cpua":{"name":"Region"}})";
  };
  for (int i = 0; i < 3; ++i)
    CHECK(http(ts.port(), "POST", "/api/registers", reg(i), adminHeaders()).status == 201);
  auto limited = http(ts.port(), "POST", "/api/registers", reg(3), adminHeaders());
  CHECK(limited.status == 429);
  CHECK(errorOf(limited) == "too_many_requests");
  CHECK(ts.get("/api/registers/r3").status == 404);
  // Another client may still write.
  const std::string body = reg(4);
  CHECK(raw(ts.port(),
            "POST /api/registers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            "Authorization: Bearer " +
                std::string(TestServer::kToken) +
                "\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body,
            "127.0.0.2")
            .status == 201);
  CHECK(ts.get("/api/registers").status == 200);
  stillServes(ts.port());
}

TEST_CASE("hostile: path traversal on static files is refused", "[hostile]") {
  TestServer ts(false);
  REQUIRE(ts.get("/index.html").status == 200);
  const std::vector<std::string> targets = {
      "/../../etc/passwd",
      "/../../../../../../../../etc/passwd",
      "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
      "/..%2f..%2f..%2f..%2fetc%2fpasswd",
      "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/js/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
      "/%252e%252e/%252e%252e/etc/passwd",
      "/..%5c..%5c..%5cetc%5cpasswd",
      "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
      "/index.html%00.js",
      "/%00/../../etc/passwd",
      "/..%00/etc/passwd",
      "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
      "//etc/passwd",
      "/.git/config",
      "/%2e%2e/CMakeLists.txt",
      "/../web/server.cpp",
  };
  for (const auto& target : targets) {
    INFO(target);
    auto r = rawGet(ts.port(), target);
    CHECK((r.status == 404 || r.status == 400));
    CHECK(r.body.find("root:") == std::string::npos);
    CHECK(r.body.find("[core]") == std::string::npos);
    CHECK(r.body.find("cmake_minimum_required") == std::string::npos);
    CHECK(r.body.find("#include") == std::string::npos);
  }
  // A raw NUL byte in the request line.
  const char nulRequest[] =
      "GET /index.html\0/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto nul = raw(ts.port(), std::string(nulRequest, sizeof nulRequest - 1));
  CHECK(nul.body.find("root:") == std::string::npos);
  stillServes(ts.port());
}

TEST_CASE("hostile: SQL injection strings are answered as ordinary input", "[hostile]") {
  TestServer ts;
  const std::string before = catalogue(ts);
  const std::vector<std::string> payloads = {
      "' OR '1'='1",
      "' OR 1=1 --",
      "\"; DROP TABLE variable; --",
      "rökning'; DELETE FROM register; --",
      "x' UNION SELECT name, password_hash FROM app_user --",
      "1; ATTACH DATABASE '/tmp/x.db' AS x; --",
      "NEAR(a b)",
      "\"unterminated",
      "main_exact:rokning",
      "*",
      "a OR b AND NOT c",
      "%' AND 1=1 AND '%'='",
      "\\' OR 1=1 #",
  };
  const std::vector<std::string> bad = {"SQLITE",  "sqlite3",        "syntax error",
                                        "$argon2", "no such column", "fts5"};
  auto check = [&](const std::string& target) {
    INFO(target);
    auto r = ts.get(target);
    CHECK(r.status != 500);
    CHECK((r.status == 200 || r.status == 400 || r.status == 404));
    for (const auto& b : bad) CHECK(r.body.find(b) == std::string::npos);
  };
  for (const auto& p : payloads) {
    const std::string q = test::urlEncode(p);
    check("/api/variables?q=" + q);
    check("/api/variables?q=rokning&register=" + q);
    check("/api/variables?dataset=" + q + "&datatype=" + q + "&identifier_class=" + q);
    check("/api/variables?category=" + q + "&sort=" + q);
    check("/api/registers/" + q);
    check("/api/registers/" + q + "/datasets/" + q);
    check("/api/variables/" + q + "/" + q + "/" + q);
    check("/api/variables/strokereg/akut/" + q + "/history");
    check("/api/codelists/" + q);
    check("/api/codelists?register=" + q);
    check("/api/mappings?register=" + q + "&author=" + q + "&concept=" + q);
    check("/api/audit?entity=" + q + "&id=" + q + "&user=" + q);
    check("/api/terminology/concepts?q=" + q);
    check("/api/linkage-plans?register=" + q);
    check("/api/export/json?register=" + q);
  }
  // Nothing changed, the database is sound, and a plain search still finds what it should.
  CHECK(catalogue(ts) == before);
  CHECK(ts.db.store->integrityCheck() == "ok");
  auto ok = ts.get("/api/variables?q=rokning");
  CHECK(ok.status == 200);
  CHECK(ok.body.find("strokereg/akut/rokning") != std::string::npos);
  stillServes(ts.port());
}

TEST_CASE("hostile: CSV and XLSX exports neutralise formula cells stored via the API",
          "[hostile]") {
  TestServer ts;
  const std::vector<std::string> formulas = {"=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(1)",
                                             "=HYPERLINK(\"http://example.invalid\")"};
  for (size_t i = 0; i < formulas.size(); ++i) {
    std::string label;
    for (char c : formulas[i]) label += (c == '"' ? std::string("\\\"") : std::string(1, c));
    const std::string body = R"({"register":"strokereg","dataset":"akut","name":"formel)" +
                             std::to_string(i) + R"(","label":")" + label + R"(","definition":")" +
                             label + R"(","datatype":"string"})";
    INFO(body);
    REQUIRE(http(ts.port(), "POST", "/api/variables", body, adminHeaders()).status == 201);
  }
  auto csv = ts.get("/api/export/csv?register=strokereg");
  REQUIRE(csv.status == 200);
  for (const auto& f : formulas) {
    INFO(f);
    // No cell starts with the formula (a cell starts after a comma, a line break or an opening
    // quote); every cell that holds it starts with the apostrophe guard. As a CSV field it may
    // be quoted, with a quote inside doubled.
    std::string field = f;
    for (size_t k = 0; (k = field.find('"', k)) != std::string::npos; k += 2) field.insert(k, "\"");
    size_t guarded = 0;
    for (const std::string start : {",", "\n", ",\"", "\n\""}) {
      CHECK(csv.body.find(start + field) == std::string::npos);
      for (size_t at = 0; (at = csv.body.find(start + "'" + field, at)) != std::string::npos; ++at)
        ++guarded;
    }
    CHECK(guarded >= 2);  // label and definition
  }
  auto xlsx = ts.get("/api/export/xlsx?register=strokereg");
  REQUIRE(xlsx.status == 200);
  XlsxWorkbook book(xlsx.body, "export.xlsx");
  size_t guarded = 0;
  for (const auto& name : book.sheetNames())
    for (const auto& row : book.sheet(name).rows)
      for (const auto& cell : row.cells)
        for (const auto& f : formulas) {
          INFO(name << " row " << row.number << ": " << cell.text);
          CHECK(cell.text != f);
          if (cell.text == "'" + f) ++guarded;
        }
  CHECK(guarded >= formulas.size() * 2);
  stillServes(ts.port());
}

TEST_CASE("hostile: XML with a DTD, external entities or entity expansion imports nothing",
          "[hostile]") {
  TestServer ts;
  const std::string odm = test::readFile(test::sourceDir() + "/tests/fixtures/odm/hjartsvikt.xml");
  const size_t rootAt = odm.find("<ODM");
  REQUIRE(rootAt != std::string::npos);
  auto withDoctype = [&](const std::string& doctype, const std::string& entityUse) {
    std::string x = odm.substr(0, rootAt) + doctype + "\n" + odm.substr(rootAt);
    if (!entityUse.empty()) {
      const size_t name = x.find("<StudyName>");
      REQUIRE(name != std::string::npos);
      x.insert(name + 11, entityUse);
    }
    return x;
  };
  std::string laughs = "<!DOCTYPE ODM [\n<!ENTITY lol \"lol\">\n";
  laughs += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n";
  for (int i = 2; i <= 9; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) laughs += "&lol" + std::to_string(i - 1) + ";";
    laughs += "\">\n";
  }
  laughs += "]>";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"XXE", withDoctype("<!DOCTYPE ODM [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>", "&xxe;")},
      {"billion laughs", withDoctype(laughs, "&lol9;")},
      {"external DTD", withDoctype("<!DOCTYPE ODM SYSTEM \"http://127.0.0.1:9/odm.dtd\">", "")},
      {"internal DTD", withDoctype("<!DOCTYPE ODM [<!ELEMENT ODM ANY>]>", "")},
      {"parameter entity",
       withDoctype("<!DOCTYPE ODM [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>", "")},
  };
  const std::string before = catalogue(ts);
  for (const auto& [what, xml] : cases)
    for (const std::string reg : {"strokereg", "xmltest"}) {
      INFO(what << " into " << reg);
      const auto t = Clock::now();
      auto r = http(ts.port(), "POST", "/api/registers/" + reg + "/imports?filename=odm.xml", xml,
                    adminHeaders({{"Content-Type", "application/xml"}}));
      INFO(r.body);
      CHECK(r.status == 400);
      CHECK(r.body.find("DOCTYPE") != std::string::npos);
      CHECK(r.body.find("root:") == std::string::npos);
      CHECK(secondsSince(t) < 5);
      // And as a multipart upload, as the web app sends it.
      const std::string boundary = "----regcat-test";
      const std::string form = "--" + boundary +
                               "\r\nContent-Disposition: form-data; name=\"file\"; "
                               "filename=\"odm.xml\"\r\nContent-Type: text/xml\r\n\r\n" +
                               xml + "\r\n--" + boundary + "--\r\n";
      auto m = http(ts.port(), "POST", "/api/registers/" + reg + "/imports", form,
                    adminHeaders({{"Content-Type", "multipart/form-data; boundary=" + boundary}}));
      CHECK(m.status == 400);
      CHECK(m.body.find("DOCTYPE") != std::string::npos);
    }
  CHECK(ts.get("/api/registers/xmltest").status == 404);
  CHECK(catalogue(ts) == before);
  // The same file without the DOCTYPE imports (the refusals were about the DTD).
  auto ok = http(ts.port(), "POST", "/api/registers/xmltest/imports?filename=odm.xml&dry_run=1",
                 odm, adminHeaders({{"Content-Type", "application/xml"}}));
  INFO(ok.body);
  CHECK(ok.status == 200);
  stillServes(ts.port());
}

TEST_CASE("hostile: JSON nested 10,000 deep and invalid UTF-8 are 400", "[hostile]") {
  TestServer ts;
  const std::string before = catalogue(ts);
  const std::string deepArray = std::string(10000, '[') + std::string(10000, ']');
  std::string deepObject;
  for (int i = 0; i < 10000; ++i) deepObject += "{\"a\":";
  deepObject += "1" + std::string(10000, '}');
  for (const auto& body : {deepArray, deepObject}) {
    auto r = http(ts.port(), "POST", "/api/registers", body, adminHeaders());
    CHECK(r.status == 400);
    CHECK(r.body.find("nested deeper") != std::string::npos);
    stillServes(ts.port());
  }
  // Deep nesting inside an otherwise valid register, on PUT, and on a linkage plan.
  auto put = http(ts.port(), "POST", "/api/linkage-plans", deepObject, adminHeaders());
  CHECK(put.status == 400);
  for (const std::string& bad :
       {std::string("{\"id\":\"x\",\"name\":\"\xC3\x28\",\"cpua\":{\"name\":\"R\"}}"),
        std::string("{\"id\":\"x\",\"name\":\"\xED\xA0\x80\",\"cpua\":{\"name\":\"R\"}}"),
        std::string("{\"id\":\"x\",\"name\":\"\xFF\xFE\",\"cpua\":{\"name\":\"R\"}}"),
        std::string("{\"id\":\"x\",\"name\":\"\xC0\xAF\",\"cpua\":{\"name\":\"R\"}}")}) {
    auto r = http(ts.port(), "POST", "/api/registers", bad, adminHeaders());
    CHECK(r.status == 400);
    CHECK(errorOf(r) == "bad_request");
    stillServes(ts.port());
  }
  CHECK(catalogue(ts) == before);
}
