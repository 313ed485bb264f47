// The demo catalogue (data/demo/*.json): loaded into an empty database on first start so that
// `regcat serve` shows something real straight away.
#pragma once

#include <string>

#include "catalog/store.h"

namespace regcat::app {

// Loads every data/demo/*.json in one transaction. Returns the import report.
ImportReport loadDemoCatalog(Store& store, const std::string& dataDir);

// Loads the synthetic demo terminology of data/terminology (SNOMED CT-style RF2 in a fake
// namespace, ICD-10-SE, KVÅ, ATC and NI excerpts); files that are absent are skipped.
void loadDemoTerminology(Store& store, const std::string& dataDir);

// Loads data/demo/mappings.sssom.tsv (approved, proposed and suggested mappings of the demo
// variables to the synthetic SNOMED CT release, which must be loaded); returns how many.
int loadDemoMappings(Store& store, const std::string& dataDir);

// Loads the demo unless this database has had it (or anything else) before; returns true when
// it loaded it now.
bool loadDemoOnFirstStart(Store& store, const std::string& dataDir);

}  // namespace regcat::app
