#include "test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
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

HttpResponse http(uint16_t port, const std::string& method, const std::string& target,
                  const std::string& body, const std::map<std::string, std::string>& headers) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("connect failed");
  }
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
    if (n <= 0) break;  // the server may answer (413) and close before reading everything
    sent += size_t(n);
  }
  // Read the head, then exactly Content-Length bytes: Pistache keeps connections open even when
  // the client asks to close, so reading to EOF would wait for its idle timeout.
  std::string raw;
  char buf[65536];
  size_t need = std::string::npos;
  while (true) {
    const size_t headerEnd = raw.find("\r\n\r\n");
    if (headerEnd != std::string::npos && need == std::string::npos) {
      std::string head = raw.substr(0, headerEnd);
      std::transform(head.begin(), head.end(), head.begin(),
                     [](unsigned char c) { return char(std::tolower(c)); });
      const size_t cl = head.find("\r\ncontent-length:");
      need = headerEnd + 4 + (cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 17)));
    }
    if (need != std::string::npos && raw.size() >= need) break;
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, size_t(n));
  }
  close(fd);

  HttpResponse r;
  const size_t headerEnd = raw.find("\r\n\r\n");
  if (headerEnd == std::string::npos) throw std::runtime_error("no HTTP response: " + raw);
  std::istringstream hs(raw.substr(0, headerEnd));
  std::string line;
  std::getline(hs, line);
  r.status = std::stoi(line.substr(9, 3));
  while (std::getline(hs, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string k = line.substr(0, colon), v = line.substr(colon + 1);
    std::transform(k.begin(), k.end(), k.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    while (!v.empty() && v.front() == ' ') v.erase(v.begin());
    r.headers[k] = v;
  }
  r.body = raw.substr(headerEnd + 4);
  return r;
}

TestServer::TestServer(bool demo, size_t maxBody) : db(demo) {
  web::ServerOptions opt;
  opt.address = "127.0.0.1";
  opt.port = 0;
  opt.threads = 2;
  opt.api.admin_token = kToken;
  opt.api.max_body = maxBody;
  opt.api.static_dir = sourceDir() + "/web/static";
  server = std::make_unique<web::Server>(*db.store, opt);
  server->start();
}

TestServer::~TestServer() {
  server->stop();
}

HttpResponse TestServer::send(const std::string& method, const std::string& target,
                              const std::string& body) const {
  return http(port(), method, target, body, {{"Authorization", std::string("Bearer ") + kToken}});
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
