// Fuzz target: SNOMED CT RF2 Snapshot rows through importRf2 (importers/rf2_importer.h) into a
// real store. importRf2 reads a release folder or .zip from disk, so the input is written to a
// temporary release first:
//   * input starting with "PK\3\4": written as release.zip and imported as a zip release;
//   * otherwise: split at NUL bytes into the files below, in this order (missing parts are
//     missing files; parts after the seventh are ignored). Seeds (scripts/fuzz) are the
//     first rows of each file of data/terminology/snomed-demo, joined the same way.
// Each input gets a fresh copy of an empty, migrated database, so inputs do not affect each
// other and a crash replays from its input alone.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "catalog/store.h"
#include "fuzz_support.h"
#include "importers/rf2_importer.h"

namespace {

namespace fs = std::filesystem;

const char* const kFiles[] = {
    "sct2_Concept_Snapshot_XX9999999_20260531.txt",
    "sct2_Description_Snapshot-en_XX9999999_20260531.txt",
    "sct2_Relationship_Snapshot_XX9999999_20260531.txt",
    "der2_cRefset_LanguageSnapshot-en_XX9999999_20260531.txt",
    "der2_Refset_SimpleSnapshot_XX9999999_20260531.txt",
    "der2_cRefset_AssociationSnapshot_XX9999999_20260531.txt",
    "sct2_TextDefinition_Snapshot-sv_XX9999999_20260531.txt",
};

void writeFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "fuzz_rf2: cannot write %s\n", path.c_str());
    std::abort();
  }
}

// A private directory (in /dev/shm when there is one) with an empty migrated database, removed
// when the process exits normally (libFuzzer too ends with exit()).
struct Workspace {
  fs::path dir, templateDb;
  Workspace() {
    std::error_code ec;
    std::string base = fs::is_directory("/dev/shm", ec) ? "/dev/shm" : fs::temp_directory_path();
    std::string pattern = base + "/regcat-fuzz-rf2-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      std::perror("fuzz_rf2: mkdtemp");
      std::abort();
    }
    dir = pattern;
    templateDb = dir / "template.sqlite";
    { regcat::Store store(templateDb.string()); }
  }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static Workspace& instance() {
    static Workspace w;
    return w;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = regcat::fuzz::bytesOf(data, size);
  Workspace& ws = Workspace::instance();
  const fs::path release = ws.dir / "release", zip = ws.dir / "release.zip",
                 db = ws.dir / "db.sqlite";
  fs::remove_all(release);
  fs::remove(zip);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  fs::copy_file(ws.templateDb, db);

  std::string path;
  if (bytes.substr(0, 4) == std::string_view("PK\3\4", 4)) {
    writeFile(zip, bytes);
    path = zip.string();
  } else {
    fs::create_directory(release);
    size_t start = 0;
    for (const char* name : kFiles) {
      if (start > bytes.size()) break;
      const size_t nul = std::min(bytes.find('\0', start), bytes.size());
      writeFile(release / name, bytes.substr(start, nul - start));
      start = nul + 1;
    }
    path = release.string();
  }
  regcat::fuzz::expectErrors([&] {
    regcat::Store store(db.string());
    regcat::WriteContext ctx;
    ctx.actor = "fuzz";
    ctx.format = "rf2";
    regcat::importRf2(store, path, ctx);
  });
  return 0;
}
