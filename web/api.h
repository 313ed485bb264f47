// The REST API: routes a Request to the handler of its resource and turns domain errors into
// JSON error responses. Holds no state of its own beyond the store it serves.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exporters/regcat_json_exporter.h"
#include "web/http.h"
#include "web/metrics.h"

namespace regcat {
class Store;
class Terminology;
class MappingStore;
class LinkageStore;
class SuggesterCache;
class Users;
struct MappingPage;
struct Principal;
struct LinkagePlan;
}  // namespace regcat

namespace regcat::web {

class RateLimiter;

struct ApiOptions {
  std::string base_uri = "http://localhost:8080";
  std::string static_dir;  // web/static; empty = no static files
  size_t max_body = 20u << 20;
  // A bootstrap administrator token (REGCAT_ADMIN_TOKEN) beside the accounts of catalog/users.h;
  // empty = none.
  std::string admin_token;
  // Single sign-on behind a reverse proxy: the proxy authenticates and names the user in this
  // header (e.g. X-Remote-User). Off (empty) by default; only enable it when the server is
  // reachable through that proxy alone.
  std::string trusted_user_header;
  // Session cookies get the Secure attribute (set when the base URI is https).
  bool secure_cookies = false;
  // Login attempts and writes allowed per client address and minute.
  int login_rate = 10, write_rate = 600;
};

// What a request asks to do, for authorisation (web/auth.cpp has the rules).
enum class Permission {
  EditRegister,     // a register's metadata, datasets, variables, code lists, imports
  ManageRegisters,  // create or delete registers, shared code lists
  CurateMappings,   // create and change mappings (an editor: of its registers' variables)
  ReviewMappings,   // approve or reject mappings
  EditPlans,        // draft linkage plans (an editor: involving its registers)
  DecidePlans,      // record a CPUA's decision on a plan
  Administer,       // settings
};

class Api {
 public:
  Api(Store& store, ApiOptions options);
  ~Api();
  Response handle(const Request& req);
  const ApiOptions& options() const { return opt_; }

 private:
  Response dispatch(const Request& req);  // handle() without the metrics
  Response route(const Request& req);
  Response metricsPage(const Request& req);  // GET /metrics (Prometheus text format)
  Response registers(const Request& req);
  Response datasets(const Request& req);
  Response variables(const Request& req);
  Response codelists(const Request& req);
  Response catalogExport(const Request& req);
  // api_fdp.cpp: dcat-ttl|dcat-jsonld|dcat-rdfxml|schema-org exports; the FAIR Data Point
  // (/fdp), /catalog and the persistent URIs /registers/... and /variables/... (HTML or RDF).
  Response rdfExport(const Request& req, const std::string& format);
  Response linkedData(const Request& req);
  Response terminology(const Request& req);     // api_terminology.cpp
  Response imports(const Request& req);         // api_imports.cpp
  Response fhir(const Request& req);            // fhir.cpp
  Response fhirConceptMap(const Request& req);  // fhir.cpp
  Response mappings(const Request& req);        // api_mappings.cpp
  Response writeMappingPage(const MappingPage& page, int limit, int offset) const;
  Response suggestions(const Request& req);      // api_suggestions.cpp
  Response saveSuggestions(const Request& req);  // api_suggestions.cpp
  Response importSssom(const Request& req);      // api_sssom.cpp
  Response compatibility(const Request& req);    // api_linkage.cpp
  Response harmonisation(const Request& req);    // api_linkage.cpp
  Response linkagePlans(const Request& req);     // api_linkage.cpp
  std::string scopedRegister(const Request& req, const LinkagePlan& plan) const;
  Response exportMappings(const Request& req, const std::string& registerId,
                          const std::string& format);  // api_sssom.cpp
  // rut-json, rut-xlsx, rut-csv, ddi-c, ddi-l of the given registers (all when ids is empty);
  // nullopt when `format` is none of them (api_export_documents.cpp).
  std::optional<Response> exportDocument(const std::vector<std::string>& registerIds,
                                         const std::string& format);
  // web/auth.cpp. authenticate: the principal of a bearer token, session cookie (with its
  // CSRF header on writes) or trusted proxy header; nullopt for anonymous requests; throws
  // Unauthorized for a bad credential. authorise: also checks the permission, else throws
  // Unauthorized (anonymous) or Forbidden, and applies the per-client write rate limit.
  std::optional<Principal> authenticate(const Request& req) const;
  Principal authorise(const Request& req, Permission p, const std::string& registerId = {});
  Response session(const Request& req);  // /api/session: log in, who am I, log out
  Response users(const Request& req);    // /api/users (admin)
  Response audit(const Request& req);    // /api/audit (web/api_audit.cpp)
  bool rateLimited(const std::string& bucket, const std::string& peer, int perMinute);

  Store& store_;
  ApiOptions opt_;
  ExportContext ctx_;
  std::unique_ptr<Terminology> terminology_;
  std::unique_ptr<MappingStore> mappings_;
  std::unique_ptr<SuggesterCache> suggesters_;
  std::unique_ptr<Users> users_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<LinkageStore> linkage_;
  Metrics metrics_;
  double startTime_ = 0;  // seconds since the epoch
};

// The OpenAPI 3.1 document (web/openapi.json, compiled in).
const std::string& openApiDocument();

}  // namespace regcat::web
