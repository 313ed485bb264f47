// regcat's own JSON catalogue format (docs/json-format.md): bytes in, domain objects out.
// The same readers parse REST API request bodies, so the API and the file format agree.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "catalog/model.h"

namespace regcat {

// A whole catalogue document {"format": "regcat-catalog", "version": 1, "registers": [...]}.
CatalogDocument importCatalogJson(std::string_view bytes, const std::string& source);

// Single objects, as sent to the REST API. `path` prefixes field names in errors. With
// `identified` (a PUT, whose URL names the object) the id or name may be left out of the body.
Register registerFromJson(const rapidjson::Value& v, const std::string& path,
                          bool identified = false);
Dataset datasetFromJson(const rapidjson::Value& v, const std::string& path,
                        bool identified = false);
Variable variableFromJson(const rapidjson::Value& v, const std::string& path,
                          bool identified = false);
CodeList codeListFromJson(const rapidjson::Value& v, const std::string& path,
                          bool identified = false);

}  // namespace regcat
