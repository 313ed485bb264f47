#include "cli/serve_settings.h"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <vector>

namespace regcat::cli {
namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

unsigned long long number(const std::string& v, unsigned long long lo, unsigned long long hi,
                          const std::string& where) {
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError(where + ": '" + v + "' is not a number");
  const unsigned long long n = std::stoull(v);
  if (n < lo || n > hi)
    throw UsageError(where + ": " + v + " is out of range (" + std::to_string(lo) + " to " +
                     std::to_string(hi) + ")");
  return n;
}

bool boolean(const std::string& v, const std::string& where) {
  if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  throw UsageError(where + ": '" + v + "' is not true or false");
}

// Every key with how to set it; `where` names the place of the value for errors.
using Setter = std::function<void(ServeSettings&, const std::string&, const std::string&)>;

const std::vector<std::pair<std::string, Setter>>& keys() {
  static const std::vector<std::pair<std::string, Setter>> k = {
      {"db", [](ServeSettings& s, const std::string& v, const std::string&) { s.db = v; }},
      {"address",
       [](ServeSettings& s, const std::string& v, const std::string&) { s.address = v; }},
      {"port", [](ServeSettings& s, const std::string& v,
                  const std::string& w) { s.port = uint16_t(number(v, 0, 65535, w)); }},
      {"base_uri",
       [](ServeSettings& s, const std::string& v, const std::string& w) {
         if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
           throw UsageError(w + ": '" + v + "' is not an http:// or https:// URI");
         s.base_uri = v;
         while (!s.base_uri.empty() && s.base_uri.back() == '/') s.base_uri.pop_back();
       }},
      {"threads", [](ServeSettings& s, const std::string& v,
                     const std::string& w) { s.threads = int(number(v, 1, 256, w)); }},
      {"max_body",
       [](ServeSettings& s, const std::string& v, const std::string& w) {
         s.max_body = size_t(number(v, 1024, 1ull << 31, w));
       }},
      {"trusted_user_header", [](ServeSettings& s, const std::string& v,
                                 const std::string&) { s.trusted_user_header = v; }},
      {"demo", [](ServeSettings& s, const std::string& v,
                  const std::string& w) { s.demo = boolean(v, w); }},
      {"log_requests", [](ServeSettings& s, const std::string& v,
                          const std::string& w) { s.log_requests = boolean(v, w); }},
      {"write_rate", [](ServeSettings& s, const std::string& v,
                        const std::string& w) { s.write_rate = int(number(v, 1, 1000000, w)); }},
      {"login_rate", [](ServeSettings& s, const std::string& v,
                        const std::string& w) { s.login_rate = int(number(v, 1, 1000000, w)); }},
      {"header_timeout_ms",
       [](ServeSettings& s, const std::string& v, const std::string& w) {
         s.header_timeout_ms = int(number(v, 100, 3600000, w));
       }},
      {"body_timeout_ms",
       [](ServeSettings& s, const std::string& v, const std::string& w) {
         s.body_timeout_ms = int(number(v, 100, 3600000, w));
       }},
      {"keepalive_timeout_ms",
       [](ServeSettings& s, const std::string& v, const std::string& w) {
         s.keepalive_timeout_ms = int(number(v, 100, 3600000, w));
       }},
      {"send_timeout_ms",
       [](ServeSettings& s, const std::string& v, const std::string& w) {
         s.send_timeout_ms = int(number(v, 100, 3600000, w));
       }},
      {"max_headers", [](ServeSettings& s, const std::string& v,
                         const std::string& w) { s.max_headers = int(number(v, 10, 10000, w)); }},
      {"max_header_bytes",
       [](ServeSettings& s, const std::string& v, const std::string& w) {
         s.max_header_bytes = int(number(v, 1024, 1 << 20, w));
       }},
  };
  return k;
}

const Setter* setterFor(const std::string& key) {
  for (const auto& [k, f] : keys())
    if (k == key) return &f;
  return nullptr;
}

void set(ServeSettings& s, const std::string& key, const std::string& value,
         const std::string& where) {
  const Setter* f = setterFor(key);
  if (!f) {
    std::string known;
    for (const auto& [k, _] : keys()) known += (known.empty() ? "" : ", ") + k;
    throw UsageError(where + ": unknown setting '" + key + "' (known: " + known + ")");
  }
  (*f)(s, value, where);
  s.source[key] = where;
}

void readFile(ServeSettings& s, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError(path + ": cannot read the configuration file");
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::string where = path + ":" + std::to_string(n);
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const size_t eq = t.find('=');
    if (eq == std::string::npos) throw UsageError(where + ": expected 'key = value'");
    std::string value = trim(t.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    set(s, trim(t.substr(0, eq)), value, where);
  }
}

}  // namespace

ServeSettings resolveServeSettings(const Args& a) {
  ServeSettings s;
  for (const auto& [k, _] : keys()) s.source[k] = "default";
  std::string config = a.get("config");
  if (config.empty())
    if (const char* c = std::getenv("REGCAT_CONFIG")) config = c;
  if (!config.empty()) readFile(s, config);
  for (const auto& [k, _] : keys()) {
    std::string var = "REGCAT_";
    for (char c : k) var += char(std::toupper(static_cast<unsigned char>(c)));
    if (const char* v = std::getenv(var.c_str())) set(s, k, v, var);
  }
  for (const auto& [k, _] : keys()) {
    std::string opt = k;
    for (char& c : opt)
      if (c == '_') c = '-';
    if (a.has(opt)) set(s, k, a.get(opt), "--" + opt);
  }
  if (a.has("no-demo")) set(s, "demo", "false", "--no-demo");
  return s;
}

}  // namespace regcat::cli
