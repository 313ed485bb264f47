// The REST API: routes a Request to the handler of its resource and turns domain errors into
// JSON error responses. Holds no state of its own beyond the store it serves.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "exporters/regcat_json_exporter.h"
#include "web/http.h"

namespace regcat {
class Store;
class Terminology;
class MappingStore;
class LinkageStore;
class SuggesterCache;
struct MappingPage;
}  // namespace regcat

namespace regcat::web {

struct ApiOptions {
  std::string base_uri = "http://localhost:8080";
  std::string static_dir;  // web/static; empty = no static files
  size_t max_body = 20u << 20;
  // Until accounts exist, writes need this bearer token; empty = writes are refused.
  std::string admin_token;
};

class Api {
 public:
  Api(Store& store, ApiOptions options);
  ~Api();
  Response handle(const Request& req);
  const ApiOptions& options() const { return opt_; }

 private:
  Response route(const Request& req);
  Response registers(const Request& req);
  Response datasets(const Request& req);
  Response variables(const Request& req);
  Response codelists(const Request& req);
  Response catalogExport(const Request& req);
  Response terminology(const Request& req);  // api_terminology.cpp
  Response imports(const Request& req);      // api_imports.cpp
  Response fhir(const Request& req);         // fhir.cpp
  Response fhirConceptMap(const Request& req);  // fhir.cpp
  Response mappings(const Request& req);     // api_mappings.cpp
  Response writeMappingPage(const MappingPage& page, int limit, int offset) const;
  Response suggestions(const Request& req);      // api_suggestions.cpp
  Response saveSuggestions(const Request& req);  // api_suggestions.cpp
  Response importSssom(const Request& req);      // api_sssom.cpp
  Response compatibility(const Request& req);   // api_linkage.cpp
  Response harmonisation(const Request& req);   // api_linkage.cpp
  Response linkagePlans(const Request& req);    // api_linkage.cpp
  Response exportMappings(const Request& req, const std::string& registerId,
                          const std::string& format);  // api_sssom.cpp
  // Throws Unauthorized unless the request may write.
  std::string requireWriter(const Request& req) const;

  Store& store_;
  ApiOptions opt_;
  ExportContext ctx_;
  std::unique_ptr<Terminology> terminology_;
  std::unique_ptr<MappingStore> mappings_;
  std::unique_ptr<SuggesterCache> suggesters_;
  std::unique_ptr<LinkageStore> linkage_;
};

// The OpenAPI 3.1 document (web/openapi.json, compiled in).
const std::string& openApiDocument();

}  // namespace regcat::web
