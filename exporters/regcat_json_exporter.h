// regcat's own JSON (docs/json-format.md), the REST API's representation: domain objects in,
// bytes out. Field writers emit members only, so callers can nest and extend objects.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ostream>
#include <string>
#include <vector>

#include "catalog/model.h"

namespace regcat {

class Store;

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

struct ExportContext {
  std::string base_uri = "http://localhost:8080";
  std::string registerUri(const std::string& id) const { return base_uri + "/registers/" + id; }
  std::string variableUri(const std::string& key) const { return base_uri + "/variables/" + key; }
};

void writeString(JsonWriter& w, const std::string& s);
void writeText(JsonWriter& w, const Text& t);
void writeProvenance(JsonWriter& w, const Provenance& p);

void writeRegisterFields(JsonWriter& w, const Register& r, const ExportContext& ctx);
void writeDatasetFields(JsonWriter& w, const Dataset& d, const ExportContext& ctx);
// `codes` (may be null) is the variable's code list, written inline as "codes".
void writeVariableFields(JsonWriter& w, const Variable& v, const ExportContext& ctx,
                         const CodeList* codes = nullptr);
void writeCodeListFields(JsonWriter& w, const CodeList& c);

// A register with its datasets, latest variable versions (closed ones too) and code lists, as
// the exporters that take a RegisterDocument need it.
RegisterDocument loadRegisterDocument(Store& store, const std::string& registerId);

// An import's report: what was created, changed, closed (ImportReport).
struct ImportReport;
void writeImportReport(JsonWriter& w, const ImportReport& r);

// The whole catalogue (or the given registers) as one regcat-catalog document, written to
// `out` one register at a time.
void exportCatalogJson(Store& store, const std::vector<std::string>& registerIds,
                       const ExportContext& ctx, std::ostream& out);

}  // namespace regcat
