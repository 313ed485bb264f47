#include "web/multipart.h"

#include "catalog/errors.h"
#include "catalog/text.h"

namespace regcat::web {
namespace {

// The value of `key="..."` (or key=token) in a header line such as Content-Disposition.
std::string param(std::string_view header, const std::string& key) {
  size_t pos = 0;
  while ((pos = header.find(key + "=", pos)) != std::string_view::npos) {
    // Must start a parameter: preceded by ';' or whitespace.
    if (pos > 0 && header[pos - 1] != ';' && header[pos - 1] != ' ' && header[pos - 1] != '\t') {
      pos += key.size();
      continue;
    }
    size_t v = pos + key.size() + 1;
    if (v < header.size() && header[v] == '"') {
      const size_t end = header.find('"', v + 1);
      return std::string(header.substr(
          v + 1, end == std::string_view::npos ? std::string_view::npos : end - v - 1));
    }
    const size_t end = header.find(';', v);
    std::string out(
        header.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v));
    while (!out.empty() && (out.back() == ' ' || out.back() == '\r')) out.pop_back();
    return out;
  }
  return {};
}

}  // namespace

std::optional<std::string> multipartBoundary(const std::string& contentType) {
  if (text::fold(contentType).rfind("multipart/form-data", 0) != 0) return std::nullopt;
  std::string b = param(contentType, "boundary");
  if (b.empty() || b.size() > 200) return std::nullopt;
  return b;
}

std::vector<FormPart> parseMultipart(std::string_view body, const std::string& boundary) {
  const std::string delim = "--" + boundary;
  std::vector<FormPart> parts;
  size_t pos = body.find(delim);
  if (pos == std::string_view::npos) throw invalid("(body)", "multipart boundary not found");
  while (true) {
    pos += delim.size();
    if (body.substr(pos, 2) == "--") break;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n")
      throw invalid("(body)", "malformed multipart delimiter line");
    pos += 2;
    const size_t headEnd = body.find("\r\n\r\n", pos);
    if (headEnd == std::string_view::npos)
      throw invalid("(body)", "multipart part without headers");
    const std::string_view head = body.substr(pos, headEnd - pos);
    const size_t next = body.find("\r\n" + delim, headEnd + 4);
    if (next == std::string_view::npos) throw invalid("(body)", "multipart body is truncated");
    FormPart part;
    size_t lineStart = 0;
    while (lineStart <= head.size()) {
      size_t lineEnd = head.find("\r\n", lineStart);
      if (lineEnd == std::string_view::npos) lineEnd = head.size();
      const std::string_view line = head.substr(lineStart, lineEnd - lineStart);
      const size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        const std::string name = text::fold(line.substr(0, colon));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (name == "content-disposition") {
          part.name = param(value, "name");
          part.filename = param(value, "filename");
        } else if (name == "content-type") {
          part.content_type = std::string(value);
        }
      }
      lineStart = lineEnd + 2;
    }
    part.body = std::string(body.substr(headEnd + 4, next - headEnd - 4));
    parts.push_back(std::move(part));
    pos = next + 2;
  }
  return parts;
}

}  // namespace regcat::web
