#include "exporters/atomic_file.h"

#include "catalog/errors.h"

namespace regcat {

AtomicFile::AtomicFile(std::filesystem::path path)
    : path_(std::move(path)), tmp_(path_.string() + ".tmp"), buffer_(size_t(1) << 20) {
  // The buffer is set before opening, the only time a filebuf is sure to take it.
  out_.rdbuf()->pubsetbuf(buffer_.data(), std::streamsize(buffer_.size()));
  out_.open(tmp_, std::ios::binary | std::ios::trunc);
  if (!out_) throw invalid(path_.string(), "cannot write the file");
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::error_code ec;
  std::filesystem::remove(tmp_, ec);
}

unsigned long long AtomicFile::commit() {
  out_.close();
  if (!out_) throw invalid(path_.string(), "writing the file failed (disk full?)");
  std::error_code ec;
  std::filesystem::rename(tmp_, path_, ec);
  if (ec) throw invalid(path_.string(), "cannot replace the file: " + ec.message());
  committed_ = true;
  return std::filesystem::file_size(path_, ec);
}

}  // namespace regcat
