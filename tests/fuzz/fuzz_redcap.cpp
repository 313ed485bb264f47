// Fuzz target: REDCap data dictionary CSV.
// parseVariableFile (importers/variable_import.h) with the format forced to redcap, as
// `regcat import variables --format redcap` and the upload form call it.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  regcat::fuzz::importVariables(regcat::fuzz::bytesOf(data, size), "hjartsvikt_dictionary.csv",
                                "redcap");
  return 0;
}
