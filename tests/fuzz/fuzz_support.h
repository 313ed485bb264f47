// Shared by the fuzz targets (docs/fuzzing.md). Each target feeds the bytes to a real importer
// or parser. Bad input must end in the error the importer documents (regcat::Error naming the
// place, or ecl::ParseError); anything else is a bug that libFuzzer reports: a crash, an
// AddressSanitizer or UndefinedBehaviorSanitizer report, another exception escaping (which ends
// in std::terminate), a hang (-timeout) or a memory blow-up (-rss_limit_mb).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "catalog/errors.h"
#include "importers/variable_import.h"

namespace regcat::fuzz {

inline std::string_view bytesOf(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs f and accepts a regcat::Error, the documented outcome of bad input. An Internal error
// means the importer lost track of something it should have reported as the user's mistake,
// so it counts as a bug.
template <class F>
void expectErrors(F&& f) {
  try {
    f();
  } catch (const regcat::Error& e) {
    if (e.kind() == regcat::Error::Kind::Internal) {
      std::fprintf(stderr, "internal error from an importer: %s\n", e.what());
      std::abort();
    }
  }
}

// parseVariableFile with the format forced, both with and without skip_invalid (the web
// upload and `regcat import variables` offer both).
inline void importVariables(std::string_view bytes, const char* fileName, const char* format) {
  for (const bool skip : {false, true}) {
    VariableImportOptions opt;
    opt.register_id = "fuzzreg";
    opt.format = format;
    opt.skip_invalid = skip;
    expectErrors([&] { parseVariableFile(fileName, bytes, opt); });
  }
}

}  // namespace regcat::fuzz
