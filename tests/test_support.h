// Helpers shared by the tests: throw-away databases, the demo catalogue, a running server on a
// free loopback port, and the one blocking HTTP client the tests use to talk to it over a real
// socket.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "catalog/store.h"
#include "web/server.h"

namespace regcat::test {

// A unique temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string sourceDir();
std::string dataDir();
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& bytes);

// A store in a fresh temporary database, optionally with the demo catalogue loaded.
struct TestStore {
  TempDir dir;
  std::unique_ptr<Store> store;
  explicit TestStore(bool demo = false);
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// A TCP connection to 127.0.0.1:port with SO_RCVTIMEO and SO_SNDTIMEO set; throws
// std::runtime_error with the reason when it cannot connect (no Catch macros: safe on any
// thread).
int connectLoopback(uint16_t port, int timeoutSeconds);

// Receive and send timeout of every test HTTP exchange.
constexpr int kHttpTimeoutSeconds = 10;

// One HTTP/1.1 request with "Connection: close" and any extra `headers` (a POST or PUT, or any
// request with a body, gets Content-Length and, unless given, "Content-Type: application/json").
// The response is read by its Content-Length or, when chunked (the streamed exports), up to its
// last chunk, which must arrive (no body for HEAD, 1xx, 204 and 304; to EOF only without
// either), so a server that keeps the connection open does not block it.
// Throws std::runtime_error when it cannot connect, when no complete response arrives within
// kHttpTimeoutSeconds, or when the response is malformed or truncated.
HttpResponse http(uint16_t port, const std::string& method, const std::string& target,
                  const std::string& body = {},
                  const std::map<std::string, std::string>& headers = {});

// What a client that read before writing sends: for PUT, PATCH and DELETE without an If-Match in
// `headers`, the ETag a GET of the target's path answers now (none when the GET has no ETag).
// Tests of If-Match itself call http() directly.
std::map<std::string, std::string> withIfMatch(uint16_t port, const std::string& method,
                                               const std::string& target,
                                               std::map<std::string, std::string> headers = {});

// A real server on 127.0.0.1 with an OS-chosen port and the test admin token.
struct TestServer {
  static constexpr const char* kToken = "test-admin-token-0123456789";
  TestStore db;
  std::unique_ptr<web::Server> server;
  explicit TestServer(bool demo = true, size_t maxBody = 20u << 20,
                      const std::function<void(web::ApiOptions&)>& configure = {});
  ~TestServer();
  uint16_t port() const { return server->port(); }
  HttpResponse get(const std::string& target) const { return http(port(), "GET", target); }
  // A write with the admin token; PUT, PATCH and DELETE carry the current ETag (withIfMatch).
  HttpResponse send(const std::string& method, const std::string& target,
                    const std::string& body = {}) const;
};

// The variable or code list of an importer's document with that name or id; throws when there
// is none (which fails the test case).
const Variable& var(const RegisterDocument& doc, const std::string& name);
const CodeList& list(const RegisterDocument& doc, const std::string& id);

// Percent-encodes a query value.
std::string urlEncode(const std::string& s);

}  // namespace regcat::test
