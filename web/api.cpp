#include "web/api.h"

#include <SQLiteCpp/Exception.h>
#include <rapidjson/document.h>
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"
#include "catalog/users.h"
#include "importers/json_document.h"
#include "importers/regcat_json_importer.h"
#include "importers/template_exporter.h"
#include "mapping/linkage_store.h"
#include "mapping/mapping_store.h"
#include "mapping/suggester_cache.h"
#include "mapping/terminology.h"
#include "web/api_util.h"
#include "web/log.h"
#include "web/rate_limiter.h"
#include "web/static_files.h"

namespace regcat::web {
namespace {

int statusOf(Error::Kind k) {
  switch (k) {
    case Error::Kind::Invalid:
      return 400;
    case Error::Kind::NotFound:
      return 404;
    case Error::Kind::Conflict:
      return 409;
    case Error::Kind::Stale:
      return 412;
    case Error::Kind::PreconditionRequired:
      return 428;
    case Error::Kind::Unauthorized:
      return 401;
    case Error::Kind::Forbidden:
      return 403;
    case Error::Kind::TooLarge:
      return 413;
    case Error::Kind::TooMany:
      return 429;
    case Error::Kind::Internal:
      return 500;
  }
  return 500;
}

const char* errorName(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 409:
      return "conflict";
    case 412:
      return "precondition_failed";
    case 413:
      return "payload_too_large";
    case 428:
      return "precondition_required";
    case 429:
      return "too_many_requests";
    default:
      return "internal_error";
  }
}

// The register a code list belongs to ("" for a shared list, or one that does not exist).
std::string codeListOwner(Store& store, const std::string& id) {
  auto c = store.getCodeList(id);
  return c ? c->register_id : std::string();
}

WriteContext apiContext(const std::string& actor) {
  WriteContext c;
  c.actor = actor;
  c.format = "api";
  return c;
}

Response created(std::string bodyText, const std::string& location) {
  Response r = json(201, std::move(bodyText));
  r.headers.push_back({"Location", location});
  return r;
}

void writeSummary(JsonWriter& w, const RegisterSummary& r, const ExportContext& ctx) {
  w.StartObject();
  w.Key("id");
  writeString(w, r.id);
  w.Key("uri");
  writeString(w, ctx.registerUri(r.id));
  w.Key("name");
  writeText(w, r.name);
  w.Key("short_name");
  writeString(w, r.short_name);
  w.Key("cpua");
  writeString(w, r.cpua);
  w.Key("register_centre");
  writeString(w, r.register_centre);
  w.Key("certification_level");
  writeString(w, r.certification_level);
  w.Key("dataset_count");
  w.Int(r.datasets);
  w.Key("variable_count");
  w.Int(r.variables);
  w.EndObject();
}

}  // namespace

Api::Api(Store& store, ApiOptions options)
    : store_(store),
      opt_(std::move(options)),
      terminology_(std::make_unique<Terminology>(store)),
      mappings_(std::make_unique<MappingStore>(store, *terminology_)),
      suggesters_(std::make_unique<SuggesterCache>(store)),
      linkage_(std::make_unique<LinkageStore>(store)) {
  users_ = std::make_unique<Users>(store);
  limiter_ = std::make_unique<RateLimiter>();
  ctx_.base_uri = opt_.base_uri;
  startTime_ = double(std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count());
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

Api::~Api() = default;

Response Api::handle(const Request& req) {
  const auto started = std::chrono::steady_clock::now();
  Response r = dispatch(req);
  metrics_.observe(
      req.method, routeTemplate(req.segments), r.status,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return r;
}

Response Api::dispatch(const Request& req) {
  try {
    if (req.body.size() > opt_.max_body)
      return error(413, "payload_too_large",
                   "request body of " + std::to_string(req.body.size()) +
                       " bytes exceeds the limit of " + std::to_string(opt_.max_body));
    Response r = route(req);
    if (req.method == "HEAD") {
      r.body.clear();
      r.stream = nullptr;
    }
    return r;
  } catch (const ecl::ParseError& e) {
    return error(400, "bad_request", e.what());
  } catch (const Error& e) {
    const int status = statusOf(e.kind());
    Response r = error(status, errorName(status), e.what());
    if (status == 401) r.headers.push_back({"WWW-Authenticate", "Bearer realm=\"regcat\""});
    return r;
  } catch (const SQLite::Exception& e) {
    logEvent("error", "database error", {{"detail", e.what()}, {"path", req.path}});
    return error(500, "internal_error", "database error");
  } catch (const std::exception& e) {
    logEvent("error", "unhandled exception", {{"detail", e.what()}, {"path", req.path}});
    return error(500, "internal_error", "unexpected error");
  }
}

Response Api::metricsPage(const Request& req) {
  if (req.method != "GET" && req.method != "HEAD") return methodNotAllowed("GET, HEAD");
  std::vector<std::pair<std::string, double>> gauges;
  double variables = 0, registers = 0;
  for (const auto& r : store_.listRegisters()) {
    ++registers;
    variables += r.variables;
  }
  gauges.push_back({"regcat_registers", registers});
  gauges.push_back({"regcat_variables", variables});
  // Resident memory from /proc (Linux): pages in the second field of statm.
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    long size = 0, resident = 0;
    if (std::fscanf(f, "%ld %ld", &size, &resident) == 2)
      gauges.push_back({"process_resident_memory_bytes", double(resident) * double(getpagesize())});
    std::fclose(f);
  }
  gauges.push_back({"process_start_time_seconds", startTime_});
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics_.render(gauges);
  return r;
}

Response Api::route(const Request& req) {
  const auto& s = req.segments;
  const bool read = req.method == "GET" || req.method == "HEAD";
  if (s.size() == 1 && s[0] == "metrics") return metricsPage(req);
  if (s.size() == 1 && s[0] == "healthz") {
    if (!read) return methodNotAllowed("GET, HEAD");
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("status");
                  w.String("ok");
                  w.Key("schema_version");
                  w.Int(store_.schemaVersion());
                  w.EndObject();
                }));
  }
  if (!s.empty() && s[0] == "fhir") return fhir(req);
  if (!s.empty() && (s[0] == "fdp" || s[0] == "registers" || s[0] == "variables" ||
                     (s[0] == "catalog" && s.size() == 1)))
    return linkedData(req);
  if (s.empty() || s[0] != "api") {
    if (!read) return methodNotAllowed("GET, HEAD");
    return serveStatic(opt_.static_dir, req);
  }
  if (s.size() == 2 && s[1] == "openapi.json") {
    if (!read) return methodNotAllowed("GET, HEAD");
    return json(200, openApiDocument());
  }
  if (s.size() >= 2 && s[1] == "registers") return registers(req);
  if (s.size() == 6 && s[1] == "variables" && s[5] == "suggestions") return suggestions(req);
  if (s.size() >= 2 && s[1] == "variables") return variables(req);
  if (s.size() >= 2 && s[1] == "codelists") return codelists(req);
  if (s.size() >= 2 && s[1] == "export") return catalogExport(req);
  if (s.size() >= 2 && s[1] == "terminology") return terminology(req);
  if (s.size() >= 2 && s[1] == "mappings") return mappings(req);
  if (s.size() == 2 && s[1] == "session") return session(req);
  if (s.size() == 2 && s[1] == "users") return users(req);
  if (s.size() == 2 && s[1] == "audit") return audit(req);
  if (s.size() == 2 && s[1] == "compatibility") return compatibility(req);
  if (s.size() >= 2 && s[1] == "harmonisation") return harmonisation(req);
  if (s.size() >= 2 && s[1] == "linkage-plans") return linkagePlans(req);
  return error(404, "not_found", "no API resource at " + req.path);
}

Response Api::registers(const Request& req) {
  const auto& s = req.segments;
  const bool read = req.method == "GET" || req.method == "HEAD";
  if (s.size() == 2) {
    if (read)
      return json(200, write([&](JsonWriter& w) {
                    const auto list = store_.listRegisters();
                    w.StartObject();
                    w.Key("total");
                    w.Int(int(list.size()));
                    w.Key("registers");
                    w.StartArray();
                    for (const auto& r : list) writeSummary(w, r, ctx_);
                    w.EndArray();
                    w.EndObject();
                  }));
    if (req.method == "POST") {
      const std::string actor = authorise(req, Permission::ManageRegisters).name;
      auto doc = body(req);
      Register r = store_.createRegister(registerFromJson(doc, ""), apiContext(actor));
      return created(write([&](JsonWriter& w) {
                       w.StartObject();
                       writeRegisterFields(w, r, ctx_);
                       w.EndObject();
                     }),
                     "/api/registers/" + r.id);
    }
    return methodNotAllowed("GET, HEAD, POST");
  }
  const std::string& id = s[2];
  if (s.size() == 3) {
    // The register as GET answers it (with its datasets), and its revision, which is the ETag.
    auto current = [&]() -> std::optional<std::pair<std::string, int>> {
      auto r = store_.getRegister(id);
      if (!r) return std::nullopt;
      const auto datasets = store_.listDatasets(id);
      return std::pair{write([&](JsonWriter& w) {
                         w.StartObject();
                         writeRegisterFields(w, *r, ctx_);
                         w.Key("datasets");
                         w.StartArray();
                         for (const auto& d : datasets) {
                           w.StartObject();
                           writeDatasetFields(w, d, ctx_);
                           w.EndObject();
                         }
                         w.EndArray();
                         w.EndObject();
                       }),
                       r->revision};
    };
    auto mustExist = [&] {
      auto r = store_.getRegister(id);
      if (!r) throw notFound("", "register '" + id + "' not found");
      return *r;
    };
    if (read) {
      auto r = current();
      if (!r) throw notFound("", "register '" + id + "' not found");
      return withEtag(json(200, std::move(r->first)), r->second);
    }
    if (req.method == "PUT") {
      const std::string actor = authorise(req, Permission::EditRegister, id).name;
      const int expected = requireIfMatch(req, "register '" + id + "'", mustExist().revision);
      auto doc = body(req);
      return conditionalWrite(
          [&] {
            Register r = store_.updateRegister(id, registerFromJson(doc, "", true),
                                               apiContext(actor), expected);
            return withEtag(json(200, write([&](JsonWriter& w) {
                                   w.StartObject();
                                   writeRegisterFields(w, r, ctx_);
                                   w.EndObject();
                                 })),
                            r.revision);
          },
          current);
    }
    if (req.method == "DELETE") {
      const std::string actor = authorise(req, Permission::ManageRegisters).name;
      const int expected = requireIfMatch(req, "register '" + id + "'", mustExist().revision);
      return conditionalWrite(
          [&] {
            store_.deleteRegister(id, actor, expected);
            Response r;
            r.status = 204;
            r.content_type.clear();
            return r;
          },
          current);
    }
    return methodNotAllowed("GET, HEAD, PUT, DELETE");
  }
  if (s[3] == "datasets") return datasets(req);
  if (s[3] == "imports" && s.size() == 4) return imports(req);
  if (s[3] == "variables" && s.size() == 4) {
    if (!read) return methodNotAllowed("GET, HEAD");
    if (!store_.getRegister(id)) throw notFound("", "register '" + id + "' not found");
    const auto vars = store_.listVariables(id, "", flag(req, "include_closed"));
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("total");
                  w.Int(int(vars.size()));
                  w.Key("variables");
                  w.StartArray();
                  for (const auto& v : vars) {
                    w.StartObject();
                    writeVariableFields(w, v, ctx_);
                    w.EndObject();
                  }
                  w.EndArray();
                  w.EndObject();
                }));
  }
  if (s[3] == "export" && s.size() == 5) {
    if (!read) return methodNotAllowed("GET, HEAD");
    if (!store_.getRegister(id)) throw notFound("", "register '" + id + "' not found");
    Request copy = req;
    copy.segments = {"api", "export", s[4]};
    copy.query["register"] = id;
    return catalogExport(copy);
  }
  return error(404, "not_found", "no API resource at " + req.path);
}

Response Api::datasets(const Request& req) {
  const auto& s = req.segments;  // api registers {id} datasets [{ds} [variables]]
  const std::string& reg = s[2];
  const bool read = req.method == "GET" || req.method == "HEAD";
  auto writeOne = [&](const Dataset& d) {
    return write([&](JsonWriter& w) {
      w.StartObject();
      writeDatasetFields(w, d, ctx_);
      w.EndObject();
    });
  };
  if (s.size() == 4) {
    if (read) {
      const auto list = store_.listDatasets(reg);
      return json(200, write([&](JsonWriter& w) {
                    w.StartObject();
                    w.Key("total");
                    w.Int(int(list.size()));
                    w.Key("datasets");
                    w.StartArray();
                    const auto counts = store_.variableCounts(reg);
                    for (const auto& d : list) {
                      w.StartObject();
                      writeDatasetFields(w, d, ctx_);
                      w.Key("variable_count");
                      const auto n = counts.find(d.id);
                      w.Int(n == counts.end() ? 0 : n->second);
                      w.EndObject();
                    }
                    w.EndArray();
                    w.EndObject();
                  }));
    }
    if (req.method == "POST") {
      const std::string actor = authorise(req, Permission::EditRegister, reg).name;
      auto doc = body(req);
      Dataset d = datasetFromJson(doc, "");
      if (!d.register_id.empty() && d.register_id != reg)
        throw invalid("register", "the register in the body differs from the URL");
      d.register_id = reg;
      d = store_.createDataset(d, apiContext(actor));
      return created(writeOne(d), "/api/registers/" + reg + "/datasets/" + d.id);
    }
    return methodNotAllowed("GET, HEAD, POST");
  }
  const std::string& ds = s[4];
  if (s.size() == 5) {
    const std::string what = "dataset '" + reg + "/" + ds + "'";
    auto mustExist = [&] {
      auto d = store_.getDataset(reg, ds);
      if (!d) throw notFound("", what + " not found");
      return *d;
    };
    auto current = [&]() -> std::optional<std::pair<std::string, int>> {
      auto d = store_.getDataset(reg, ds);
      if (!d) return std::nullopt;
      return std::pair{writeOne(*d), d->revision};
    };
    if (read) {
      const Dataset d = mustExist();
      return withEtag(json(200, writeOne(d)), d.revision);
    }
    if (req.method == "PUT") {
      const std::string actor = authorise(req, Permission::EditRegister, reg).name;
      const int expected = requireIfMatch(req, what, mustExist().revision);
      auto doc = body(req);
      return conditionalWrite(
          [&] {
            Dataset d = store_.updateDataset(reg, ds, datasetFromJson(doc, "", true),
                                             apiContext(actor), expected);
            return withEtag(json(200, writeOne(d)), d.revision);
          },
          current);
    }
    if (req.method == "DELETE") {
      const std::string actor = authorise(req, Permission::EditRegister, reg).name;
      const int expected = requireIfMatch(req, what, mustExist().revision);
      return conditionalWrite(
          [&] {
            store_.deleteDataset(reg, ds, actor, expected);
            Response r;
            r.status = 204;
            r.content_type.clear();
            return r;
          },
          current);
    }
    return methodNotAllowed("GET, HEAD, PUT, DELETE");
  }
  if (s.size() == 6 && s[5] == "variables") {
    if (!read) return methodNotAllowed("GET, HEAD");
    if (!store_.getDataset(reg, ds))
      throw notFound("", "dataset '" + reg + "/" + ds + "' not found");
    const auto vars = store_.listVariables(reg, ds, flag(req, "include_closed"));
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("total");
                  w.Int(int(vars.size()));
                  w.Key("variables");
                  w.StartArray();
                  for (const auto& v : vars) {
                    w.StartObject();
                    writeVariableFields(w, v, ctx_);
                    w.EndObject();
                  }
                  w.EndArray();
                  w.EndObject();
                }));
  }
  return error(404, "not_found", "no API resource at " + req.path);
}

Response Api::variables(const Request& req) {
  const auto& s = req.segments;
  const bool read = req.method == "GET" || req.method == "HEAD";
  auto writeFull = [&](const Variable& v) {
    std::optional<CodeList> codes;
    if (!v.codelist.empty()) {
      // The code list as it was when this version was valid.
      const std::string at = !v.valid_to.empty() ? v.valid_to : std::string();
      codes = store_.getCodeList(v.codelist, at);
      if (!codes) codes = store_.getCodeList(v.codelist);
    }
    return write([&](JsonWriter& w) {
      w.StartObject();
      writeVariableFields(w, v, ctx_, codes ? &*codes : nullptr);
      w.EndObject();
    });
  };
  if (s.size() == 2) {
    if (read) {
      VariableQuery q;
      q.q = req.param("q").value_or("");
      q.registers = req.list("register");
      q.datasets = req.list("dataset");
      q.datatypes = req.list("datatype");
      q.identifier_classes = req.list("identifier_class");
      q.categories = req.list("category");
      q.sort = req.param("sort").value_or("");
      if (!q.sort.empty() && q.sort != "name" && q.sort != "label" && q.sort != "register" &&
          q.sort != "relevance")
        throw invalid("sort", "'" + q.sort + "' is not one of relevance, name, label, register");
      if (q.sort == "relevance") q.sort.clear();
      q.include_closed = flag(req, "include_closed");
      q.limit = intParam(req, "limit", 50, 0, 1000);
      q.offset = intParam(req, "offset", 0, 0, 1000000000);
      const SearchResult res = store_.searchVariables(q);
      return json(200, write([&](JsonWriter& w) {
                    w.StartObject();
                    w.Key("query");
                    writeString(w, q.q);
                    w.Key("total");
                    w.Int(res.total);
                    w.Key("limit");
                    w.Int(q.limit);
                    w.Key("offset");
                    w.Int(q.offset);
                    w.Key("variables");
                    w.StartArray();
                    for (const auto& h : res.hits) {
                      const Variable& v = h.variable;
                      w.StartObject();
                      w.Key("id");
                      writeString(w, v.key());
                      w.Key("uri");
                      writeString(w, ctx_.variableUri(v.key()));
                      w.Key("register");
                      writeString(w, v.register_id);
                      w.Key("register_name");
                      writeText(w, h.register_name);
                      w.Key("dataset");
                      writeString(w, v.dataset_id);
                      w.Key("dataset_name");
                      writeText(w, h.dataset_name);
                      w.Key("name");
                      writeString(w, v.name);
                      w.Key("label");
                      writeText(w, v.label);
                      w.Key("definition");
                      writeText(w, v.definition);
                      w.Key("datatype");
                      writeString(w, v.datatype);
                      w.Key("unit");
                      writeString(w, v.unit);
                      w.Key("codelist");
                      if (v.codelist.empty())
                        w.Null();
                      else
                        writeString(w, v.codelist);
                      w.Key("identifier_class");
                      writeString(w, v.identifier_class);
                      w.Key("category");
                      writeString(w, v.category);
                      w.Key("valid_from");
                      writeString(w, v.valid_from);
                      w.Key("valid_to");
                      if (v.valid_to.empty())
                        w.Null();
                      else
                        writeString(w, v.valid_to);
                      w.Key("version");
                      w.Int(v.version);
                      if (!q.q.empty()) {
                        w.Key("score");
                        w.Double(h.score);
                        w.Key("match");
                        writeString(w, h.match);
                        w.Key("matched_in");
                        writeString(w, h.field);
                      }
                      w.EndObject();
                    }
                    w.EndArray();
                    w.Key("facets");
                    w.StartObject();
                    for (const auto& [facet, counts] : res.facets) {
                      w.Key(facet.c_str());
                      w.StartArray();
                      std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
                      std::stable_sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) {
                        if (a.second != b.second) return a.second > b.second;
                        return text::collate(a.first, b.first) < 0;
                      });
                      for (const auto& [value, count] : sorted) {
                        w.StartObject();
                        w.Key("value");
                        writeString(w, value);
                        w.Key("count");
                        w.Int(count);
                        w.EndObject();
                      }
                      w.EndArray();
                    }
                    w.EndObject();
                    w.EndObject();
                  }));
    }
    if (req.method == "POST") {
      if (!authenticate(req)) authorise(req, Permission::EditRegister);  // 401 first
      auto doc = body(req);
      Variable v = variableFromJson(doc, "");
      if (v.register_id.empty()) throw invalid("register", "is required");
      if (v.dataset_id.empty()) throw invalid("dataset", "is required");
      const std::string actor = authorise(req, Permission::EditRegister, v.register_id).name;
      v = store_.createVariable(v, apiContext(actor));
      return created(writeFull(v), "/api/variables/" + v.key());
    }
    return methodNotAllowed("GET, HEAD, POST");
  }
  if (s.size() < 5 || s.size() > 6 || (s.size() == 6 && s[5] != "history"))
    return error(404, "not_found",
                 "variables are addressed as /api/variables/{register}/{dataset}/{name}");
  const std::string &reg = s[2], &ds = s[3], &name = s[4];
  const std::string key = reg + "/" + ds + "/" + name;
  if (s.size() == 6) {
    if (!read) return methodNotAllowed("GET, HEAD");
    const auto versions = store_.variableHistory(reg, ds, name);
    if (versions.empty()) throw notFound("", "variable '" + key + "' not found");
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("id");
                  writeString(w, key);
                  w.Key("versions");
                  w.StartArray();
                  for (const auto& v : versions) {
                    w.StartObject();
                    writeVariableFields(w, v, ctx_);
                    w.EndObject();
                  }
                  w.EndArray();
                  w.EndObject();
                }));
  }
  if (read) {
    const std::string at = dateParam(req, "at");
    auto v = store_.getVariable(reg, ds, name, at);
    if (!v) {
      if (!at.empty() && store_.getVariable(reg, ds, name))
        throw notFound("at", "variable '" + key + "' has no version valid on " + at);
      throw notFound("", "variable '" + key + "' not found");
    }
    Response r = json(200, writeFull(*v));
    // The ETag is the variable's revision (a version as of ?at= is not something to edit).
    if (at.empty()) r = withEtag(std::move(r), v->revision);
    return r;
  }
  const std::string what = "variable '" + key + "'";
  auto mustExist = [&] {
    auto v = store_.getVariable(reg, ds, name);
    if (!v) throw notFound("", what + " not found");
    return *v;
  };
  auto current = [&]() -> std::optional<std::pair<std::string, int>> {
    auto v = store_.getVariable(reg, ds, name);
    if (!v) return std::nullopt;
    return std::pair{writeFull(*v), v->revision};
  };
  if (req.method == "PUT") {
    const std::string actor = authorise(req, Permission::EditRegister, reg).name;
    const int expected = requireIfMatch(req, what, mustExist().revision);
    auto doc = body(req);
    const std::string effective = dateParam(req, "effective_date");
    return conditionalWrite(
        [&] {
          Variable v = store_.updateVariable(reg, ds, name, variableFromJson(doc, "", true),
                                             apiContext(actor), effective, expected);
          return withEtag(json(200, writeFull(v)), v.revision);
        },
        current);
  }
  if (req.method == "DELETE") {
    const std::string actor = authorise(req, Permission::EditRegister, reg).name;
    const int expected = requireIfMatch(req, what, mustExist().revision);
    const std::string date = dateParam(req, "date");
    return conditionalWrite(
        [&] {
          Variable v = store_.retireVariable(reg, ds, name, apiContext(actor), date, expected);
          return withEtag(json(200, writeFull(v)), v.revision);
        },
        current);
  }
  return methodNotAllowed("GET, HEAD, PUT, DELETE");
}

Response Api::codelists(const Request& req) {
  const auto& s = req.segments;
  const bool read = req.method == "GET" || req.method == "HEAD";
  auto writeOne = [&](const CodeList& c) {
    return write([&](JsonWriter& w) {
      w.StartObject();
      writeCodeListFields(w, c);
      w.EndObject();
    });
  };
  if (s.size() == 2) {
    if (read) {
      const auto list = store_.listCodeLists(req.param("register").value_or(""));
      return json(200, write([&](JsonWriter& w) {
                    w.StartObject();
                    w.Key("total");
                    w.Int(int(list.size()));
                    w.Key("codelists");
                    w.StartArray();
                    for (const auto& c : list) {
                      w.StartObject();
                      writeCodeListFields(w, c);
                      w.EndObject();
                    }
                    w.EndArray();
                    w.EndObject();
                  }));
    }
    if (req.method == "POST") {
      if (!authenticate(req)) authorise(req, Permission::EditRegister);  // 401 first
      auto doc = body(req);
      CodeList c = codeListFromJson(doc, "");
      // A list shared by several registers belongs to none and is the admins' to manage.
      const std::string actor =
          (c.register_id.empty() ? authorise(req, Permission::ManageRegisters)
                                 : authorise(req, Permission::EditRegister, c.register_id))
              .name;
      c = store_.createCodeList(c, apiContext(actor));
      return created(writeOne(c), "/api/codelists/" + c.id);
    }
    return methodNotAllowed("GET, HEAD, POST");
  }
  const std::string& id = s[2];
  if (s.size() == 4 && s[3] == "history") {
    if (!read) return methodNotAllowed("GET, HEAD");
    const auto versions = store_.codeListHistory(id);
    if (versions.empty()) throw notFound("", "code list '" + id + "' not found");
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("id");
                  writeString(w, id);
                  w.Key("versions");
                  w.StartArray();
                  for (const auto& c : versions) {
                    w.StartObject();
                    writeCodeListFields(w, c);
                    w.EndObject();
                  }
                  w.EndArray();
                  w.EndObject();
                }));
  }
  if (s.size() != 3) return error(404, "not_found", "no API resource at " + req.path);
  if (read) {
    const std::string at = dateParam(req, "at");
    auto c = store_.getCodeList(id, at);
    if (!c)
      throw notFound("", "code list '" + id + "' not found" + (at.empty() ? "" : " on " + at));
    Response r = json(200, writeOne(*c));
    if (at.empty()) r = withEtag(std::move(r), c->revision);
    return r;
  }
  const std::string what = "code list '" + id + "'";
  auto mustExist = [&] {
    auto c = store_.getCodeList(id);
    if (!c) throw notFound("", what + " not found");
    return *c;
  };
  auto current = [&]() -> std::optional<std::pair<std::string, int>> {
    auto c = store_.getCodeList(id);
    if (!c) return std::nullopt;
    return std::pair{writeOne(*c), c->revision};
  };
  if (req.method == "PUT") {
    const std::string actor =
        authorise(req, Permission::EditRegister, codeListOwner(store_, id)).name;
    const int expected = requireIfMatch(req, what, mustExist().revision);
    auto doc = body(req);
    return conditionalWrite(
        [&] {
          CodeList c = store_.updateCodeList(id, codeListFromJson(doc, "", true), apiContext(actor),
                                             expected);
          return withEtag(json(200, writeOne(c)), c.revision);
        },
        current);
  }
  if (req.method == "DELETE") {
    const std::string actor =
        authorise(req, Permission::EditRegister, codeListOwner(store_, id)).name;
    const int expected = requireIfMatch(req, what, mustExist().revision);
    return conditionalWrite(
        [&] {
          store_.deleteCodeList(id, actor, expected);
          Response r;
          r.status = 204;
          r.content_type.clear();
          return r;
        },
        current);
  }
  return methodNotAllowed("GET, HEAD, PUT, DELETE");
}

Response Api::catalogExport(const Request& req) {
  const auto& s = req.segments;
  if (req.method != "GET" && req.method != "HEAD") return methodNotAllowed("GET, HEAD");
  if (s.size() != 3) return error(404, "not_found", "exports are at /api/export/{format}");
  if (s[2] == "csv" || s[2] == "xlsx") {
    const auto ids = req.list("register");
    if (ids.size() != 1)
      throw invalid("register",
                    "the csv and xlsx variable lists are per register: give one register");
    const RegisterDocument doc = loadRegisterDocument(store_, ids[0]);
    if (doc.reg.id.empty()) throw notFound("register", "register '" + ids[0] + "' not found");
    Response r;
    r.body = s[2] == "csv" ? writeVariableListCsv(doc) : writeVariableListXlsx(doc);
    r.content_type = s[2] == "csv"
                         ? "text/csv; charset=utf-8"
                         : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"" + ids[0] + "-variabler." + s[2] + "\""});
    return r;
  }
  if (s[2].rfind("dcat-", 0) == 0 || s[2] == "schema-org") return rdfExport(req, s[2]);
  if (auto r = exportDocument(req.list("register"), s[2])) return *r;  // rut-*, ddi-c, ddi-l
  if (s[2] == "sssom" || s[2] == "fhir-conceptmap") {
    const auto ids = req.list("register");
    if (ids.size() > 1) throw invalid("register", "give at most one register");
    return exportMappings(req, ids.empty() ? std::string() : ids[0], s[2]);
  }
  if (s[2] != "json")
    throw notFound("format", "unknown export format '" + s[2] +
                                 "' (available: json, csv, xlsx, sssom, fhir-conceptmap, "
                                 "dcat-ttl, dcat-jsonld, dcat-rdfxml, schema-org, rut-json, "
                                 "rut-xlsx, rut-csv, ddi-c, ddi-l)");
  std::vector<std::string> ids = req.list("register");
  for (const auto& id : ids)
    if (!store_.getRegister(id)) throw notFound("register", "register '" + id + "' not found");
  Response r;
  r.stream = [this, ids](std::ostream& out) { exportCatalogJson(store_, ids, ctx_, out); };
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"regcat-catalog.json\""});
  return r;
}

}  // namespace regcat::web
