#include "cli/demo.h"

#include <algorithm>
#include <filesystem>

#include "catalog/errors.h"
#include "importers/classification_importer.h"
#include "importers/regcat_json_importer.h"
#include "importers/rf2_importer.h"
#include "importers/source_file.h"
#include "importers/sssom_reader.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

namespace regcat::app {

ImportReport loadDemoCatalog(Store& store, const std::string& dataDir) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(dataDir) / "demo";
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  if (ec || files.empty()) throw invalid(dir.string(), "no demo catalogue files found");
  std::sort(files.begin(), files.end());
  CatalogDocument all;
  std::string hashes;
  for (const auto& f : files) {
    const SourceFile src = readSourceFile(f.string());
    CatalogDocument doc = importCatalogJson(src.bytes, src.name);
    for (auto& r : doc.registers) all.registers.push_back(std::move(r));
    hashes += src.sha256;
  }
  WriteContext ctx{"regcat", "regcat-json", "data/demo", sha256Hex(hashes)};
  return store.applyImport(all, {}, ctx);
}

void loadDemoTerminology(Store& store, const std::string& dataDir) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(dataDir) / "terminology";
  std::error_code ec;
  WriteContext ctx{"regcat", "demo", "data/terminology", ""};
  if (fs::is_directory(dir / "snomed-demo", ec))
    importRf2(store, (dir / "snomed-demo").string(), ctx);
  const std::pair<const char*, CodeSystemKind> files[] = {
      {"icd10se-demo.tsv", CodeSystemKind::Icd10Se},
      {"kva-demo.tsv", CodeSystemKind::Kva},
      {"atc-demo.csv", CodeSystemKind::Atc},
      {"ni-demo.csv", CodeSystemKind::Ni}};
  for (const auto& [name, kind] : files)
    if (fs::is_regular_file(dir / name, ec))
      importCodeSystem(store, (dir / name).string(), {kind, "demo"}, ctx);
}

int loadDemoMappings(Store& store, const std::string& dataDir) {
  const std::string path = dataDir + "/demo/mappings.sssom.tsv";
  if (!std::filesystem::is_regular_file(path)) return 0;
  const SourceFile src = readSourceFile(path);
  const SssomResolution res = resolveSssom(parseSssom(src.bytes, src.name));
  if (!res.problems.empty()) throw invalid(path, res.problems[0].describe());
  std::vector<Mapping> rows;
  std::vector<std::string> where;
  for (const auto& m : res.mappings) {
    rows.push_back(m.mapping);
    where.push_back(src.name + ":" + std::to_string(m.line));
  }
  Terminology terminology(store);
  MappingStore mappings(store, terminology);
  const auto r = mappings.importMappings(rows, where, "regcat", "sssom", "data/demo");
  return r.created + r.updated;
}

bool loadDemoOnFirstStart(Store& store, const std::string& dataDir) {
  if (store.meta("demo_loaded") || !store.listRegisters().empty()) return false;
  loadDemoCatalog(store, dataDir);
  loadDemoTerminology(store, dataDir);
  loadDemoMappings(store, dataDir);
  store.setMeta("demo_loaded", "1");
  return true;
}

}  // namespace regcat::app
