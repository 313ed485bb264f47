#include "web/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace regcat::web {

std::string mimeType(const std::string& path) {
  const auto ext = std::filesystem::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

Response serveStatic(const std::string& root, const Request& req) {
  namespace fs = std::filesystem;
  if (root.empty()) return error(404, "not_found", "no web app is installed");
  for (const auto& s : req.segments)
    if (s == ".." || s == "." || s.find('\\') != std::string::npos ||
        s.find('\0') != std::string::npos || s.front() == '.')
      return error(404, "not_found", "no such file");
  fs::path p = fs::path(root);
  for (const auto& s : req.segments) p /= s;
  std::error_code ec;
  if (req.segments.empty() || fs::is_directory(p, ec)) p /= "index.html";
  // Refuse anything that resolves outside the root (symlinks included).
  const fs::path canonicalRoot = fs::weakly_canonical(root, ec);
  const fs::path canonical = fs::weakly_canonical(p, ec);
  if (ec) return error(404, "not_found", "no such file");
  auto rel = canonical.lexically_relative(canonicalRoot);
  if (rel.empty() || *rel.begin() == "..") return error(404, "not_found", "no such file");
  if (!fs::is_regular_file(canonical, ec)) return error(404, "not_found", "no such file");
  std::ifstream in(canonical, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  Response r;
  r.content_type = mimeType(canonical.string());
  r.body = ss.str();
  r.headers.push_back({"Cache-Control", "no-cache"});
  return r;
}

}  // namespace regcat::web
