// Reading an input file for import: its bytes, name and SHA-256 (recorded as provenance).
#pragma once

#include <cstddef>
#include <string>

namespace regcat {

struct SourceFile {
  std::string name;  // file name without directories
  std::string bytes;
  std::string sha256;  // lower-case hex
};

inline constexpr size_t kMaxImportFileSize = size_t(512) << 20;

// Throws regcat::Error naming the path when it cannot be read or exceeds maxSize.
SourceFile readSourceFile(const std::string& path, size_t maxSize = kMaxImportFileSize);
std::string sha256Hex(const std::string& bytes);

}  // namespace regcat
