// SNOMED CT RF2 Snapshot releases (a folder or a .zip, International and national editions
// side by side) into the terminology store: concepts, descriptions in every language, text
// definitions, language refsets, active inferred relationships, simple refsets and historical
// associations. Every row is checked (column count, SCTID check digit and partition, flags)
// and a bad row stops the import with file and line; the whole import is one transaction, so
// a failure leaves the previous state intact.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "mapping/terminology_loader.h"

namespace regcat {

class Store;
struct WriteContext;

struct Rf2Options {
  std::ostream* progress = nullptr;  // rows per file, percentage and elapsed time
};

struct Rf2Report {
  LoadSummary load;
  std::string system, version, edition, effective;
  std::vector<std::string> files_read, files_ignored;
};

Rf2Report importRf2(Store& store, const std::string& path, const WriteContext& ctx,
                    const Rf2Options& opt = {});

}  // namespace regcat
