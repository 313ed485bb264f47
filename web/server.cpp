#include "web/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <sstream>

#include "catalog/text.h"
#include "web/chunked_sender.h"
#include "web/log.h"

namespace regcat::web {
namespace {

using namespace Pistache;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

// Pistache 0.0.5 drops raw headers from responses (pistacheio/pistache#967), so every response
// header is sent as a typed header that carries its own name.
class NamedHeader : public Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& os) const override { os << value_; }
  // Only used for typed lookups (tryGet<H>), which never ask for this header.
  uint64_t hash() const override { return Http::Header::detail::hash(name_.c_str()); }

 private:
  std::string name_, value_;
};

class Handler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(Handler)
  Handler(Api* api, size_t maxHeaders, size_t maxHeaderBytes, bool logRequests, int sendTimeoutMs)
      : api_(api),
        maxHeaders_(maxHeaders),
        maxHeaderBytes_(maxHeaderBytes),
        log_(logRequests),
        sendTimeoutMs_(sendTimeoutMs) {}

  void onRequest(const Http::Request& hr, Http::ResponseWriter rw) override {
    const auto started = std::chrono::steady_clock::now();
    Request req;
    req.method = Http::methodString(hr.method());
    req.path = hr.resource();
    req.body = hr.body();
    Response resp;
    bool ok = true;
    auto path = percentDecode(req.path, false);
    if (!path) {
      ok = false;
      resp = error(400, "bad_request", "the path is not valid percent-encoded UTF-8");
    } else {
      req.segments = splitPath(*path);
    }
    for (auto it = hr.query().parameters_begin(); ok && it != hr.query().parameters_end(); ++it) {
      auto k = percentDecode(it->first, true), v = percentDecode(it->second, true);
      if (!k || !v) {
        ok = false;
        resp = error(400, "bad_request",
                     "query parameter '" + it->first + "' is not valid percent-encoded UTF-8");
      } else {
        req.query[*k] = *v;
      }
    }
    // Pistache parses the headers it knows into typed objects and keeps the rest raw.
    size_t headerCount = 0, headerBytes = 0;
    for (const auto& [name, value] : hr.headers().rawList()) {
      req.headers[lower(name)] = value.value();
      ++headerCount;
      headerBytes += name.size() + value.value().size() + 4;
    }
    for (const auto& h : hr.headers().list()) {
      std::ostringstream v;
      h->write(v);
      req.headers[lower(h->name())] = v.str();
      ++headerCount;
      headerBytes += std::string(h->name()).size() + v.str().size() + 4;
    }
    if (ok && (headerCount > maxHeaders_ || headerBytes > maxHeaderBytes_)) {
      ok = false;
      resp =
          error(431, "request_header_fields_too_large",
                std::to_string(headerCount) + " header fields of " + std::to_string(headerBytes) +
                    " bytes exceed the limit of " + std::to_string(maxHeaders_) + " fields and " +
                    std::to_string(maxHeaderBytes_) + " bytes");
    }
    // Pistache 0.0.5 parses Accept into media ranges but writes it back empty; rebuild it so that
    // content negotiation (web/api_fdp.cpp) sees what the client sent.
    if (auto accept = hr.headers().tryGet<Http::Header::Accept>()) {
      std::string v;
      for (const auto& m : accept->media()) v += (v.empty() ? "" : ", ") + m.toString();
      req.headers["accept"] = v;
    }
    req.peer = hr.address().host();
    if (ok) resp = api_->handle(req);

    if (resp.stream) {
      sendAsWritten(hr, rw, resp, req);
    } else {
      sendWhole(rw, resp);
    }
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    if (log_)
      logEvent("info", "request", {{"method", req.method}, {"path", req.path}, {"peer", req.peer}},
               {{"status", double(resp.status)}, {"us", double(us)}});
  }

 private:
  static void sendWhole(Http::ResponseWriter& rw, const Response& resp) {
    for (const auto& [name, value] : resp.headers)
      rw.headers().add(std::make_shared<NamedHeader>(name, value));
    rw.headers().add(std::make_shared<NamedHeader>("X-Content-Type-Options", "nosniff"));
    const auto code = static_cast<Http::Code>(resp.status);
    if (resp.content_type.empty()) {
      rw.send(code);
    } else {
      rw.send(code, resp.body, Http::Mime::MediaType::fromString(resp.content_type));
    }
  }

  // The head goes out at once and the body as the exporter writes it, straight to the socket
  // from this reactor thread: Pistache queues its own writes until the handler returns, and
  // nothing else writes to this connection meanwhile. A client that goes away or stops reading
  // ends the export; its connection is then shut down, so that the missing last chunk is seen.
  void sendAsWritten(const Http::Request& hr, Http::ResponseWriter& rw, const Response& resp,
                     const Request& req) {
    const auto peer = rw.getPeer();
    if (!peer) return;  // the client is gone already
    const int fd = peer->fd();
    // HTTP/1.0 has no chunks: the body ends where the connection does.
    const bool http10 = hr.version() == Http::Version::Http10;
    std::string head = "HTTP/1.1 " + std::to_string(resp.status) + " " +
                       Http::codeString(static_cast<Http::Code>(resp.status)) + "\r\n";
    head += "Content-Type: " + resp.content_type + "\r\n";
    for (const auto& [name, value] : resp.headers)
      if ((name + value).find_first_of("\r\n") == std::string::npos)
        head += name + ": " + value + "\r\n";
    head += "X-Content-Type-Options: nosniff\r\n";
    if (!http10) head += "Transfer-Encoding: chunked\r\n";
    const auto connection = hr.headers().tryGet<Http::Header::Connection>();
    const bool close =
        http10 || (connection && connection->control() == Http::ConnectionControl::Close);
    if (close) head += "Connection: close\r\n";
    head += "\r\n";
    try {
      web::sendStreamed(fd, head, resp.stream, std::chrono::milliseconds(sendTimeoutMs_),
                        http10 ? Framing::UntilClose : Framing::Chunked);
      if (close) ::shutdown(fd, SHUT_WR);
    } catch (const ClientGone& e) {
      ::shutdown(fd, SHUT_RDWR);
      logEvent("warn", "streamed response abandoned", {{"path", req.path}, {"detail", e.what()}});
    } catch (const std::exception& e) {
      ::shutdown(fd, SHUT_RDWR);
      logEvent("error", "streamed response failed", {{"path", req.path}, {"detail", e.what()}});
    }
  }

  Api* api_;
  size_t maxHeaders_, maxHeaderBytes_;
  bool log_;
  int sendTimeoutMs_;
};

}  // namespace

struct Server::Impl {
  Api api;
  ServerOptions opt;
  std::unique_ptr<Http::Endpoint> endpoint;
  Impl(Store& store, ServerOptions o) : api(store, o.api), opt(std::move(o)) {}
};

Server::Server(Store& store, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {}

Server::~Server() {
  stop();
}

void Server::start() {
  Address addr(impl_->opt.address, Port(impl_->opt.port));
  impl_->endpoint = std::make_unique<Http::Endpoint>(addr);
  // Pistache refuses anything larger with its own 413; the API checks the exact limit itself
  // so that its answer is JSON. The margin is for the request line and headers.
  auto opts = Http::Endpoint::options()
                  .threads(impl_->opt.threads)
                  .flags(Tcp::Options::ReuseAddr)
                  .maxRequestSize(impl_->opt.api.max_body + (64u << 10))
                  .maxResponseSize(size_t(1) << 31)
                  .headerTimeout(std::chrono::milliseconds(impl_->opt.header_timeout_ms))
                  .bodyTimeout(std::chrono::milliseconds(impl_->opt.body_timeout_ms))
                  .keepaliveTimeout(std::chrono::milliseconds(impl_->opt.keepalive_timeout_ms));
  impl_->endpoint->init(opts);
  impl_->endpoint->setHandler(
      Http::make_handler<Handler>(&impl_->api, impl_->opt.max_headers, impl_->opt.max_header_bytes,
                                  impl_->opt.log_requests, impl_->opt.send_timeout_ms));
  impl_->endpoint->serveThreaded();
}

void Server::stop() {
  if (impl_ && impl_->endpoint) {
    impl_->endpoint->shutdown();
    impl_->endpoint.reset();
  }
}

uint16_t Server::port() const {
  return impl_->endpoint ? uint16_t(impl_->endpoint->getPort()) : impl_->opt.port;
}

}  // namespace regcat::web
