// regcat export rut-json|rut-xlsx|rut-csv|ddi-c|ddi-l: register descriptions for RUT, SND and
// other DDI catalogues, streamed to the output one register at a time.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "cli/commands.h"
#include "exporters/atomic_file.h"
#include "exporters/catalogue_publication.h"
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
  writeFileAtomically(a.get("output"), [&](std::ostream& out) {
    exportDocument(format, store, ids, approved, opt, out);
  });
  return 0;
}

int cmdExportAll(const Args& a) {
  if (!a.has("output")) throw UsageError("export all needs -o DIR, the folder to write into");
  PublishOptions opt;
  opt.base_uri = a.get("base-uri", opt.base_uri);
  auto list = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string x; std::getline(ss, x, ',');)
      if (!x.empty()) out.push_back(x);
    return out;
  };
  opt.registers = list(a.get("register"));
  opt.formats = list(a.get("formats"));
  if (a.has("threads")) {
    const std::string t = a.get("threads");
    if (t.empty() || t.size() > 3 || t.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(t) < 1)
      throw UsageError("--threads is a number from 1 to 999");
    opt.threads = unsigned(std::stoi(t));
  }
  const auto t0 = std::chrono::steady_clock::now();
  unsigned long long total = 0;
  bool shared = false;
  publishCatalogue(dbPath(a), a.get("output"), opt, [&](const PublishedFile& f) {
    total += f.bytes;
    char line[256];
    std::snprintf(line, sizeof line, "%-16s %-22s %10.1f MB %7.2f s%s\n", f.format.c_str(),
                  f.path.c_str(), double(f.bytes) / 1e6, f.seconds, f.shared ? " *" : "");
    shared = shared || f.shared;
    std::cerr << line;
  });
  char line[128];
  if (shared)
    std::cerr << "* written together in one pass (RUT and DDI from one GSIM cascade per register, "
                 "the DCAT syntaxes from one graph): the time is the pass's\n";
  std::snprintf(line, sizeof line, "%.1f MB in %.2f s\n", double(total) / 1e6,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::cerr << line;
  return 0;
}

}  // namespace regcat::cli
