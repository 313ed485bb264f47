// Subcommands that live outside main.cpp.
#pragma once

#include <string>
#include <vector>

#include "cli/args.h"

namespace regcat::cli {

int cmdMapping(const std::vector<std::string>& argv);  // mapping_commands.cpp
int cmdSuggest(const std::vector<std::string>& argv);  // mapping_commands.cpp
// regcat import sssom FILE / regcat export sssom|fhir-conceptmap, with the options main.cpp
// parsed.
int cmdImportSssom(const Args& a);
int cmdExportMappings(const Args& a);
// regcat export dcat-ttl|dcat-jsonld|dcat-rdfxml|schema-org (export_rdf_commands.cpp).
int cmdExportRdf(const Args& a);
// regcat export rut-json|rut-xlsx|rut-csv|ddi-c|ddi-l (export_commands.cpp).
bool isDocumentExport(const std::string& format);
int cmdExportDocument(const Args& a);
int cmdExportAll(const Args& a);                      // regcat export all -o DIR
int cmdCompat(const std::vector<std::string>& argv);  // linkage_commands.cpp
int cmdMatrix(const std::vector<std::string>& argv);  // linkage_commands.cpp
int cmdPlan(const std::vector<std::string>& argv);
int cmdUser(const std::vector<std::string>& argv);  // user_commands.cpp     // linkage_commands.cpp

}  // namespace regcat::cli
