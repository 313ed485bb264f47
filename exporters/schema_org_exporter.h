// A register as a schema.org Dataset in JSON-LD, the form general search engines (Google Dataset
// Search and others) read from a page's <script type="application/ld+json">. It says what the
// register is, who is responsible, what it covers, that access is on request, and which
// variables it measures (with their SNOMED CT concept where an approved mapping binds one).
#pragma once

#include <string>
#include <vector>

#include "catalog/model.h"
#include "mapping/mapping.h"

namespace regcat {

struct SchemaOrgOptions {
  std::string base_uri = "http://localhost:8080";
  std::string catalog_name = "regcat – nationella kvalitetsregister";
};

// `doc` is a register with its datasets and variables (closed ones are left out); `approved`
// its approved mappings. Returns one JSON object (UTF-8, NFC).
std::string schemaOrgDataset(const RegisterDocument& doc, const std::vector<Mapping>& approved,
                             const SchemaOrgOptions& o);

}  // namespace regcat
