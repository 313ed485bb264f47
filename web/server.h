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
