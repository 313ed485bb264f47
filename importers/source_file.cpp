#include "importers/source_file.h"

#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/errors.h"

namespace regcat {

std::string sha256Hex(const std::string& bytes) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

SourceFile readSourceFile(const std::string& path, size_t maxSize) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw invalid(path, "no such file");
  const auto size = fs::file_size(path, ec);
  if (ec) throw invalid(path, "cannot read the file: " + ec.message());
  if (size > maxSize)
    throw Error(Error::Kind::TooLarge, path,
                "file of " + std::to_string(size) + " bytes exceeds the import limit of " +
                    std::to_string(maxSize));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw invalid(path, "cannot open the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  SourceFile f;
  f.name = fs::path(path).filename().string();
  f.bytes = ss.str();
  f.sha256 = sha256Hex(f.bytes);
  return f;
}

}  // namespace regcat
