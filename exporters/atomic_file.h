// Writing a file so that nobody ever reads half of it: the bytes go to "{path}.tmp" (through a
// large buffer) and are renamed over `path` only when everything was written and the stream
// reported no error. A failure — an exception before commit(), a full disk — removes the
// temporary file and leaves an earlier file at `path` as it was.
#pragma once

#include <filesystem>
#include <fstream>
#include <ostream>
#include <vector>

namespace regcat {

class AtomicFile {
 public:
  // Throws regcat::Error (Invalid, naming the path) when the file cannot be created.
  explicit AtomicFile(std::filesystem::path path);
  ~AtomicFile();  // removes the temporary file unless commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  // Flushes, closes and renames; returns the file's size. Throws (naming the path) when
  // writing failed, after removing the temporary file.
  unsigned long long commit();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_, tmp_;
  std::vector<char> buffer_;
  std::ofstream out_;
  bool committed_ = false;
};

// Calls write(stream) and commits; the size written.
template <typename F>
unsigned long long writeFileAtomically(const std::filesystem::path& path, F&& write) {
  AtomicFile f(path);
  write(f.stream());
  return f.commit();
}

}  // namespace regcat
