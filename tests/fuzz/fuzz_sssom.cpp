// Fuzz target: SSSOM/TSV mapping sets (importers/sssom_reader.h): parseSssom, then resolveSssom
// as `regcat mapping import` and POST /api/mappings/import do, with both default statuses.
#include "fuzz_support.h"
#include "importers/sssom_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = regcat::fuzz::bytesOf(data, size);
  regcat::fuzz::expectErrors([&] {
    const regcat::SssomDocument doc = regcat::parseSssom(text, "fuzz.sssom.tsv");
    regcat::SssomResolveOptions opt;
    regcat::resolveSssom(doc, opt);
    opt.default_status = "approved";
    opt.system_prefixes.push_back({"LOCAL", "http://example.org/local/", "http://example.org/cs"});
    regcat::resolveSssom(doc, opt);
  });
  return 0;
}
