// Fuzz target: JSON input. The whole catalogue document (importCatalogJson, as `regcat import`
// reads it) and REST API request bodies: the body is parsed as the API does (json::parse,
// bounded depth) and handed to every single-object reader (register, dataset, variable, code
// list; as a POST and as a PUT whose URL names the object) and to the linkage plan reader.
#include <rapidjson/document.h>

#include "fuzz_support.h"
#include "importers/json_document.h"
#include "importers/linkage_plan_reader.h"
#include "importers/regcat_json_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regcat;
  const std::string_view bytes = fuzz::bytesOf(data, size);
  fuzz::expectErrors([&] { importCatalogJson(bytes, "fuzz.json"); });
  fuzz::expectErrors([&] { readLinkagePlanJson(bytes, "plan.json"); });
  rapidjson::Document doc;
  try {
    json::parse(doc, bytes, "body");
  } catch (const Error&) {
    return 0;
  }
  for (const bool identified : {false, true}) {
    fuzz::expectErrors([&] { registerFromJson(doc, "", identified); });
    fuzz::expectErrors([&] { datasetFromJson(doc, "", identified); });
    fuzz::expectErrors([&] { variableFromJson(doc, "", identified); });
    fuzz::expectErrors([&] { codeListFromJson(doc, "", identified); });
  }
  fuzz::expectErrors([&] { readLinkagePlan(doc, ""); });
  return 0;
}
