// regcat export rut-json|rut-xlsx|rut-csv|ddi-c|ddi-l: register descriptions for RUT, SND and
// other DDI catalogues, streamed to the output one register at a time.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "cli/commands.h"
#include "exporters/document_export.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

namespace regcat::cli {

bool isDocumentExport(const std::string& format) {
  return findDocumentFormat(format) != nullptr;
}

int cmdExportDocument(const Args& a) {
  const std::string format = a.positional[0];
  Store store(dbPath(a));
  std::vector<std::string> ids;
  std::stringstream ss(a.get("register"));
  for (std::string id; std::getline(ss, id, ',');)
    if (!id.empty()) {
      if (!store.getRegister(id)) throw notFound("--register", "register '" + id + "' not found");
      ids.push_back(id);
    }
  Terminology terminology(store);
  MappingStore mappings(store, terminology);
  const std::vector<Mapping> approved = approvedMappingsFor(mappings, ids);
  RutOptions opt;
  opt.ctx.base_uri = a.get("base-uri", opt.ctx.base_uri);
  if (!a.has("output")) {
    exportDocument(format, store, ids, approved, opt, std::cout);
    std::cout.flush();
    return 0;
  }
  // Written to a temporary file and renamed, so a failed export never leaves half a file.
  const std::string path = a.get("output");
  const std::string tmp = path + ".tmp";
  try {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw invalid(path, "cannot write the file");
    exportDocument(format, store, ids, approved, opt, out);
    out.close();
    if (!out) throw invalid(path, "writing the file failed");
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
  std::filesystem::rename(tmp, path);
  return 0;
}

}  // namespace regcat::cli
