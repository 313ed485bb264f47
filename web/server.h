// The HTTP server: Pistache in front of Api. One process, several worker threads, the store
// shared between them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "web/api.h"

namespace regcat::web {

struct ServerOptions {
  std::string address = "0.0.0.0";
  uint16_t port = 8080;  // 0 = any free port (see Server::port())
  int threads = 4;
  bool log_requests = false;  // one JSON line per request on standard error (web/log.h)
  ApiOptions api;
  // Slow clients (docs/operations.md, Limits): a request whose head (request line and headers)
  // has not fully arrived this long after its first byte, or whose body has not arrived this
  // long after its head, is answered 408 and its connection closed (Pistache's timers); an idle
  // keep-alive connection is closed after keepalive_timeout_ms.
  int header_timeout_ms = 10000;
  int body_timeout_ms = 60000;
  int keepalive_timeout_ms = 60000;
  // A streamed response (the exports, web/chunked_sender.h) to a client that accepts no bytes
  // for this long is abandoned and its connection closed.
  int send_timeout_ms = 60000;
  // Header limits: more header fields, or more bytes of them in all, is 431 (checked once
  // Pistache has read the head, which max_body + 64 KiB bounds).
  size_t max_headers = 100;
  size_t max_header_bytes = 32u << 10;
};

class Server {
 public:
  Server(Store& store, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts serving on background threads; returns once the socket listens.
  void start();
  void stop();
  uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace regcat::web
