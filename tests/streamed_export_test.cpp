// Streamed responses (issue 7: "exports are streamed"): the chunked sender on its own, over a
// socket pair whose far end reads (framing) or does not (backpressure and the stall timeout),
// and the exports over HTTP: chunked, the same bytes as the command line, and a client that
// leaves half-way costs the server nothing.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include "cli/demo.h"
#include "exporters/document_export.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"
#include "test_support.h"
#include "web/chunked_sender.h"

using namespace regcat;

namespace {

struct SocketPair {
  int a = -1, b = -1;
  SocketPair() {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    a = fds[0];
    b = fds[1];
  }
  ~SocketPair() {
    if (a >= 0) close(a);
    if (b >= 0) close(b);
  }
};

std::string readAll(int fd) {
  std::string got;
  char buf[65536];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) got.append(buf, size_t(n));
  return got;
}

// The body of a complete chunked message (after the head); throws if the framing is wrong.
std::string dechunk(const std::string& s, size_t at) {
  std::string out;
  for (;;) {
    const size_t eol = s.find("\r\n", at);
    REQUIRE(eol != std::string::npos);
    const size_t n = std::stoul(s.substr(at, eol - at), nullptr, 16);
    at = eol + 2;
    if (n == 0) {
      REQUIRE(s.substr(at) == "\r\n");
      return out;
    }
    REQUIRE(s.size() >= at + n + 2);
    out.append(s, at, n);
    REQUIRE(s.substr(at + n, 2) == "\r\n");
    at += n + 2;
  }
}

}  // namespace

TEST_CASE("Chunked sender: the body arrives whole and framed, in pieces of every size",
          "[stream]") {
  SocketPair p;
  std::string expected;
  std::string received;
  std::thread reader([&] { received = readAll(p.b); });
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const auto sent = web::sendStreamed(
      p.a, head,
      [&](std::ostream& out) {
        // Single characters, short strings, a write far larger than the 64 KiB buffer, Swedish
        // text across chunk boundaries.
        for (int i = 0; i < 70000; ++i) {
          const char c = char('a' + i % 26);
          out.put(c);
          expected += c;
        }
        const std::string big(300000, 'x');
        out << big;
        expected += big;
        for (int i = 0; i < 20000; ++i) {
          out << "åäö ÅÄÖ ";
          expected += "åäö ÅÄÖ ";
        }
      },
      std::chrono::milliseconds(5000));
  shutdown(p.a, SHUT_WR);
  reader.join();
  CHECK(sent == expected.size());
  REQUIRE(received.rfind(head, 0) == 0);
  CHECK(dechunk(received, head.size()) == expected);
}

TEST_CASE("Chunked sender: an empty body is the last chunk only", "[stream]") {
  SocketPair p;
  web::sendStreamed(
      p.a, "H\r\n\r\n", [](std::ostream&) {}, std::chrono::milliseconds(1000));
  shutdown(p.a, SHUT_WR);
  CHECK(readAll(p.b) == "H\r\n\r\n0\r\n\r\n");
}

TEST_CASE("Chunked sender: a client that stops reading stops the exporter (backpressure)",
          "[stream]") {
  SocketPair p;
  const int small = 16 << 10;
  setsockopt(p.a, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  setsockopt(p.b, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  size_t produced = 0;
  const auto t = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(web::sendStreamed(
                      p.a, "H\r\n\r\n",
                      [&](std::ostream& out) {
                        const std::string block(4096, 'v');
                        for (int i = 0; i < 25600; ++i) {  // 100 MB if unread
                          out << block;
                          produced += block.size();
                        }
                      },
                      std::chrono::milliseconds(300)),
                  web::ClientGone);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  // The exporter was held back where the socket was full and given up after the stall
  // timeout: it produced a few buffers, not the 100 MB.
  CHECK(produced < (2u << 20));
  CHECK(s >= 0.25);
  CHECK(s < 5.0);
}

TEST_CASE("Chunked sender: a client that closed ends the exporter", "[stream]") {
  SocketPair p;
  close(p.b);
  p.b = -1;
  size_t produced = 0;
  CHECK_THROWS_AS(web::sendStreamed(
                      p.a, "H\r\n\r\n",
                      [&](std::ostream& out) {
                        for (int i = 0; i < 1000; ++i) {
                          out << std::string(65536, 'z');
                          produced += 65536;
                        }
                      },
                      std::chrono::milliseconds(1000)),
                  web::ClientGone);
  CHECK(produced < 1000u * 65536u);
}

TEST_CASE("Exports over HTTP are streamed: chunked, the command line's bytes, cheap to abandon",
          "[stream][export][api]") {
  test::TestServer server(true);
  app::loadDemoTerminology(*server.db.store, test::dataDir());
  app::loadDemoMappings(*server.db.store, test::dataDir());
  auto cli = [&](const std::string& format) {
    Terminology terminology(*server.db.store);
    MappingStore mappings(*server.db.store, terminology);
    RutOptions opt;
    opt.ctx.base_uri = "http://localhost:8080";
    std::ostringstream out;
    exportDocument(format, *server.db.store, {}, approvedMappingsFor(mappings, {}), opt, out);
    return out.str();
  };
  for (const char* format : {"ddi-l", "rut-xlsx"}) {
    INFO(format);
    auto r = server.get(std::string("/api/export/") + format);
    CHECK(r.status == 200);
    CHECK(r.headers["transfer-encoding"] == "chunked");
    CHECK(r.headers.count("content-length") == 0);
    CHECK(r.headers["x-content-type-options"] == "nosniff");
    CHECK(r.body == cli(format));
  }
  for (const char* path :
       {"/api/export/dcat-ttl", "/api/export/json", "/api/export/sssom", "/catalog"}) {
    INFO(path);
    auto r = test::http(server.port(), "GET", path, "", {{"Accept", "text/turtle"}});
    CHECK(r.status == 200);
    CHECK(r.headers["transfer-encoding"] == "chunked");
    CHECK(r.body.size() > 1000);
  }
  // Errors are still whole JSON answers with their status.
  auto missing = server.get("/api/export/ddi-l?register=finnsinte");
  CHECK(missing.status == 404);
  CHECK(missing.headers.count("transfer-encoding") == 0);
  // HEAD: the head only.
  auto head = test::http(server.port(), "HEAD", "/api/export/ddi-c");
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  // Clients that read the head and a little of the body, then leave.
  for (int i = 0; i < 5; ++i) {
    const int fd = test::connectLoopback(server.port(), 10);
    const std::string req = "GET /api/export/ddi-l HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    REQUIRE(send(fd, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size()));
    char buf[1024];
    CHECK(recv(fd, buf, sizeof buf, 0) > 0);
    close(fd);
  }
  // An HTTP/1.0 client (no chunks in 1.0): the plain body, ended by the server closing.
  {
    const int fd = test::connectLoopback(server.port(), 10);
    const std::string req = "GET /api/export/ddi-l HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    REQUIRE(send(fd, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size()));
    const std::string got = readAll(fd);  // to EOF: a timeout would leave it incomplete
    close(fd);
    const size_t headEnd = got.find("\r\n\r\n");
    REQUIRE(headEnd != std::string::npos);
    const std::string headText = got.substr(0, headEnd);
    CHECK(headText.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(headText.find("Transfer-Encoding") == std::string::npos);
    CHECK(headText.find("Connection: close") != std::string::npos);
    CHECK(got.substr(headEnd + 4) == cli("ddi-l"));
  }

  // The server goes on serving, exports included.
  CHECK(server.get("/healthz").status == 200);
  CHECK(server.get("/api/export/ddi-l").body == cli("ddi-l"));
}
