// Fuzz target: DDI-Codebook 2.5 XML.
// parseVariableFile (importers/variable_import.h) with the format forced to ddi-c, as
// `regcat import variables --format ddi-c` and the upload form call it.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  regcat::fuzz::importVariables(regcat::fuzz::bytesOf(data, size), "codebook.xml", "ddi-c");
  return 0;
}
