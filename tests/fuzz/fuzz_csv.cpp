// Fuzz target: regcat's generic variable list as CSV/TSV (docs/variable-list-format.md) and the
// field-level CSV form (OMOP-style), through parseVariableFile with the format forced to csv
// and to fields, and with format detection (auto), which also decodes and sniffs the text.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = regcat::fuzz::bytesOf(data, size);
  regcat::fuzz::importVariables(bytes, "variabler.csv", "csv");
  regcat::fuzz::importVariables(bytes, "fields.csv", "fields");
  regcat::fuzz::importVariables(bytes, "upload.txt", "auto");
  return 0;
}
