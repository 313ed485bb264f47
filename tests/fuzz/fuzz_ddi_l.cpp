// Fuzz target: DDI-Lifecycle 3.3 XML.
// parseVariableFile (importers/variable_import.h) with the format forced to ddi-l, as
// `regcat import variables --format ddi-l` and the upload form call it.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  regcat::fuzz::importVariables(regcat::fuzz::bytesOf(data, size), "instance.xml", "ddi-l");
  return 0;
}
