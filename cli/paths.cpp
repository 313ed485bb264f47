#include "cli/paths.h"

#include <cstdlib>
#include <filesystem>

namespace regcat::app {
namespace {

namespace fs = std::filesystem;

std::string find(const char* env, const fs::path& installedRel, const fs::path& sourceRel,
                 const fs::path& marker) {
  if (const char* v = std::getenv(env); v && *v) return v;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path candidate = exe.parent_path().parent_path() / installedRel;
    if (fs::exists(candidate / marker, ec)) return candidate.string();
  }
  const fs::path source = fs::path(REGCAT_SOURCE_DIR) / sourceRel;
  if (fs::exists(source / marker, ec)) return source.string();
  return {};
}

}  // namespace

std::string findDataDir() {
  return find("REGCAT_DATA_DIR", "share/regcat/data", "data", "demo");
}

std::string findStaticDir() {
  return find("REGCAT_WEB_DIR", "share/regcat/web/static", "web/static", "index.html");
}

}  // namespace regcat::app
