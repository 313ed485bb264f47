#include "web/http.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "catalog/text.h"

namespace regcat::web {

std::optional<std::string> Request::param(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Request::list(const std::string& name) const {
  std::vector<std::string> out;
  auto v = param(name);
  if (!v) return out;
  size_t start = 0;
  while (start <= v->size()) {
    const size_t comma = v->find(',', start);
    const std::string part =
        v->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string Request::header(const std::string& lowerName) const {
  auto it = headers.find(lowerName);
  return it == headers.end() ? std::string() : it->second;
}

Response json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response error(int status, const std::string& err, const std::string& detail) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("error");
  w.String(err.c_str());
  w.Key("detail");
  // Details may quote user input; keep the JSON valid whatever it contained.
  const std::string safe = text::isValidUtf8(detail) ? detail : std::string("(invalid UTF-8)");
  w.String(safe.data(), rapidjson::SizeType(safe.size()));
  w.EndObject();
  return json(status, std::string(buf.GetString(), buf.GetSize()));
}

std::optional<std::string> percentDecode(const std::string& s, bool plusIsSpace) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int a = hex(s[i + 1]), b = hex(s[i + 2]);
      if (a < 0 || b < 0) return std::nullopt;
      out += char(a * 16 + b);
      i += 2;
    } else if (s[i] == '+' && plusIsSpace) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  if (!text::isValidUtf8(out)) return std::nullopt;
  return text::nfc(out);
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string::npos ? path.size() : slash;
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace regcat::web
