#include "test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli/demo.h"

namespace regcat::test {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "regcat-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string sourceDir() {
  return REGCAT_SOURCE_DIR;
}
std::string dataDir() {
  return sourceDir() + "/data";
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

TestStore::TestStore(bool demo) : store(std::make_unique<Store>(dir.file("test.db"))) {
  if (demo) app::loadDemoCatalog(*store, dataDir());
}

namespace {

std::string lowerCase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

// Parses the status line and header fields of a response head (without the blank line).
bool parseHead(const std::string& head, HttpResponse& r) {
  std::istringstream hs(head);
  std::string line;
  std::getline(hs, line);
  if (line.size() < 12 || line.compare(0, 5, "HTTP/") != 0) return false;
  try {
    r.status = std::stoi(line.substr(9, 3));
  } catch (const std::exception&) {
    return false;
  }
  while (std::getline(hs, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string v = line.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(v.begin());
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
    r.headers[lowerCase(line.substr(0, colon))] = v;
  }
  return true;
}

// The body of a chunked response (RFC 9112 7.1) starting at `at`, into body; false while the
// last chunk has not arrived. Chunk extensions and trailers are skipped.
bool decodeChunked(const std::string& raw, size_t at, std::string& body) {
  std::string out;
  for (;;) {
    const size_t eol = raw.find("\r\n", at);
    if (eol == std::string::npos) return false;
    const size_t size = std::stoul(raw.substr(at, eol - at), nullptr, 16);
    at = eol + 2;
    if (size == 0) {
      if (raw.find("\r\n\r\n", eol) == std::string::npos && raw.compare(at, 2, "\r\n") != 0)
        return false;
      body = std::move(out);
      return true;
    }
    if (raw.size() < at + size + 2) return false;
    out.append(raw, at, size);
    at += size + 2;
  }
}

}  // namespace

int connectLoopback(uint16_t port, int timeoutSeconds) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket failed: ") + std::strerror(errno));
  const timeval tv{timeoutSeconds, 0};
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
    const int err = errno;
    close(fd);
    throw std::runtime_error(std::string("setsockopt failed: ") + std::strerror(err));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const int err = errno;
    close(fd);
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) +
                             " failed: " + std::strerror(err));
  }
  return fd;
}

HttpResponse http(uint16_t port, const std::string& method, const std::string& target,
                  const std::string& body, const std::map<std::string, std::string>& headers) {
  const std::string what = method + " " + target + " (127.0.0.1:" + std::to_string(port) + ")";
  const int fd = connectLoopback(port, kHttpTimeoutSeconds);
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    if (!headers.count("Content-Type")) req += "Content-Type: application/json\r\n";
  }
  req += "\r\n" + body;
  size_t sent = 0;
  while (sent < req.size()) {
    const ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    // The server may answer (413) and stop reading, or close, before it has read everything; a
    // send timeout ends up here too, and the read below then reports a missing response.
    if (n <= 0) break;
    sent += size_t(n);
  }

  // Read the head, then exactly Content-Length bytes: the server may keep the connection open
  // even when the client asks to close, so reading to EOF would wait for its idle timeout. Only a
  // response without Content-Length is read to EOF. A receive timeout throws.
  HttpResponse r;
  std::string raw;
  size_t headerEnd = std::string::npos, need = std::string::npos;
  bool eof = false, chunked = false;
  char buf[65536];
  for (;;) {
    if (headerEnd == std::string::npos && (headerEnd = raw.find("\r\n\r\n")) != std::string::npos) {
      if (!parseHead(raw.substr(0, headerEnd), r)) {
        close(fd);
        throw std::runtime_error("malformed HTTP response to " + what + ": " + raw.substr(0, 200));
      }
      const auto cl = r.headers.find("content-length");
      const auto te = r.headers.find("transfer-encoding");
      chunked = te != r.headers.end() && te->second == "chunked";
      if (method == "HEAD" || r.status == 204 || r.status == 304 ||
          (r.status >= 100 && r.status < 200))
        need = headerEnd + 4;
      else if (cl != r.headers.end())
        need = headerEnd + 4 + std::stoul(cl->second);
    }
    if (need != std::string::npos && raw.size() >= need) break;
    // Decoded once the data ends like a last chunk (the check then reads every chunk size).
    if (chunked && raw.size() >= headerEnd + 9 &&
        raw.compare(raw.size() - 5, 5, "0\r\n\r\n") == 0 &&
        decodeChunked(raw, headerEnd + 4, r.body)) {
      close(fd);
      return r;
    }
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      raw.append(buf, size_t(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      close(fd);
      throw std::runtime_error("HTTP timeout: no complete response to " + what + " within " +
                               std::to_string(kHttpTimeoutSeconds) + " s (sent " +
                               std::to_string(sent) + " of " + std::to_string(req.size()) +
                               " request bytes, received " + std::to_string(raw.size()) + ")");
    }
    eof = n == 0;  // otherwise an error such as a reset after an early answer: keep what arrived
    break;
  }
  close(fd);
  if (headerEnd == std::string::npos)
    throw std::runtime_error(std::string("no HTTP response to ") + what +
                             (eof ? " (connection closed)" : " (connection error)") + ": " + raw);
  if (chunked)
    throw std::runtime_error("truncated chunked HTTP response to " + what + ": " +
                             std::to_string(raw.size() - headerEnd - 4) +
                             " bytes without the last chunk");
  if (need != std::string::npos && raw.size() < need)
    throw std::runtime_error("truncated HTTP response to " + what + ": " +
                             std::to_string(raw.size() - headerEnd - 4) + " of " +
                             std::to_string(need - headerEnd - 4) + " body bytes");
  r.body = raw.substr(headerEnd + 4,
                      need == std::string::npos ? std::string::npos : need - headerEnd - 4);
  return r;
}

TestServer::TestServer(bool demo, size_t maxBody,
                       const std::function<void(web::ApiOptions&)>& configure)
    : db(demo) {
  web::ServerOptions opt;
  opt.address = "127.0.0.1";
  opt.port = 0;
  opt.threads = 2;
  opt.api.admin_token = kToken;
  opt.api.max_body = maxBody;
  opt.api.static_dir = sourceDir() + "/web/static";
  if (configure) configure(opt.api);
  server = std::make_unique<web::Server>(*db.store, opt);
  server->start();
}

TestServer::~TestServer() {
  server->stop();
}

std::map<std::string, std::string> withIfMatch(uint16_t port, const std::string& method,
                                               const std::string& target,
                                               std::map<std::string, std::string> headers) {
  if ((method != "PUT" && method != "PATCH" && method != "DELETE") || headers.count("If-Match"))
    return headers;
  const auto r = http(port, "GET", target.substr(0, target.find('?')));
  if (auto tag = r.headers.find("etag"); tag != r.headers.end()) headers["If-Match"] = tag->second;
  return headers;
}

HttpResponse TestServer::send(const std::string& method, const std::string& target,
                              const std::string& body) const {
  return http(
      port(), method, target, body,
      withIfMatch(port(), method, target, {{"Authorization", std::string("Bearer ") + kToken}}));
}

const Variable& var(const RegisterDocument& doc, const std::string& name) {
  for (const auto& v : doc.variables)
    if (v.name == name) return v;
  throw std::runtime_error("no variable " + name);
}

const CodeList& list(const RegisterDocument& doc, const std::string& id) {
  for (const auto& c : doc.codelists)
    if (c.id == id) return c;
  throw std::runtime_error("no code list " + id);
}

std::string urlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace regcat::test
