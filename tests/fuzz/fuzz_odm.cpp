// Fuzz target: CDISC ODM 1.3 XML (and REDCap project XML).
// parseVariableFile (importers/variable_import.h) with the format forced to odm, as
// `regcat import variables --format odm` and the upload form call it.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  regcat::fuzz::importVariables(regcat::fuzz::bytesOf(data, size), "study.xml", "odm");
  return 0;
}
