// regcat: the command-line entry point. Each subcommand parses its own options and calls into
// the libraries; nothing here knows SQL or file formats.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/demo.h"
#include "cli/paths.h"
#include "cli/serve_settings.h"
#include "exporters/atomic_file.h"
#include "exporters/regcat_json_exporter.h"
#include "importers/classification_importer.h"
#include "importers/regcat_json_importer.h"
#include "importers/rf2_importer.h"
#include "importers/source_file.h"
#include "importers/template_exporter.h"
#include "importers/variable_import.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"
#include "web/log.h"
#include "web/server.h"

namespace {

using namespace regcat;
using namespace regcat::cli;

const char* kVersion = "0.1.0";

const char* kMainHelp = R"(regcat — metadata catalogue and variable harmonisation server for
Swedish national quality registers.

Usage: regcat COMMAND [OPTIONS]

Commands:
  serve        run the HTTP server (REST API and web app)
  import       import a catalogue file (regcat JSON)
  export       export the catalogue (regcat JSON, DCAT-AP RDF, RUT, DDI-C/DDI-L, variable
               lists, mappings)
  mapping      curate mappings of variables and codes to concepts (review, bulk, history)
  suggest      suggest concepts for the variables of a register
  compat       semantic compatibility of two variables
  matrix       harmonisation matrix: concepts by registers
  plan         linkage plans (samkörning, utvidgning): create, check, export
  user         accounts, roles and API tokens
  db           database maintenance: migrate, backup, check
  version      print the version

Every command takes --db FILE (default ./regcat.db). Run 'regcat COMMAND --help' for details.
)";

const char* kServeHelp =
    R"(Usage: regcat serve [--config FILE] [--db FILE] [--port N] [--address ADDR]
                    [--no-demo] [--base-uri URI] [--threads N] [--max-body BYTES]
                    [--log-requests true|false]

Opens (creating if needed) the database, loads the demo catalogue from data/ on first start
(unless --no-demo), and serves the REST API under /api and the web app under /.

  --db FILE          database file (default ./regcat.db)
  --port N           TCP port (default 8080; 0 picks a free port and prints it)
  --address ADDR     listen address (default 0.0.0.0)
  --base-uri URI     base of persistent URIs (default http://localhost:8080)
  --no-demo          start on an empty catalogue
  --threads N        worker threads (default 4)
  --max-body BYTES   request body limit (default 20971520 = 20 MB)
  --trusted-user-header H   single sign-on: trust header H (e.g. X-Remote-User) set by a
                            reverse proxy to name the logged-in user. Off by default; only
                            enable it when clients can reach regcat through that proxy alone.
  --log-requests B   one JSON line per request on standard error (default false)
  --write-rate N     writes per minute per client address (default 600; 429 above)
  --login-rate N     login attempts per minute per client address (default 10)
  --config FILE      settings file of 'key = value' lines (db, address, port, base_uri,
                     threads, max_body, trusted_user_header, demo, log_requests,
                     write_rate, login_rate); also
                     REGCAT_CONFIG. Each key may also be set as REGCAT_<KEY> in the
                     environment (REGCAT_PORT=8081). The command line wins over the
                     environment, which wins over the file (docs/operations.md).

Logs are JSON lines on standard error. GET /metrics answers in the Prometheus text format.

Reading is public. Writes need an account (regcat user add, then an API token from 'regcat
user token' as 'Authorization: Bearer TOKEN', or a web login). REGCAT_ADMIN_TOKEN, if set,
is a bootstrap administrator token.
)";

const char* kImportHelp =
    R"(Usage: regcat import catalog [--db FILE] [--dry-run] [--effective-date YYYY-MM-DD] FILE
       regcat import variables --register ID [--format F] [--dataset D] FILE
       regcat import rf2|icd10se|kva|atc|ni [--version V] PATH
       regcat import sssom [--status proposed|approved] [--base-uri URI] FILE

Imports a regcat JSON catalogue (docs/json-format.md) in one transaction. Registers are created
or updated; a variable whose definition changed gets a new version (the old one stays readable,
closed the day before the effective date); variables of an imported dataset that the file no
longer lists are closed, never deleted. --dry-run prints the same report and writes nothing.

  --db FILE                 database file (default ./regcat.db)
  --dry-run                 report what would change without writing
  --effective-date DATE     date the changes take effect (default today)
  --json                    print the report as JSON

'import sssom' reads mappings from SSSOM/TSV (docs/sssom.md): subjects regcat:register/dataset/
name[#code] (or URIs under {base-uri}/variables/), objects SCTID: and the other known prefixes.
Rows are proposed unless the file or --status says approved. Every row that names an unknown
variable, code or concept is reported with its line and nothing is written.
)";

const char* kExportHelp =
    R"(Usage: regcat export json [--db FILE] [--register ID ...] [-o FILE] [--base-uri URI]
       regcat export csv|xlsx --register ID [-o FILE]
       regcat export sssom [--register ID] [--status approved,proposed] [-o FILE]
       regcat export fhir-conceptmap --register ID [-o FILE]
       regcat export template [--format csv|xlsx] [-o FILE]
       regcat export dcat-ttl|dcat-jsonld|dcat-rdfxml [--register ID] [--base-uri URI] [-o FILE]
       regcat export schema-org --register ID [--base-uri URI] [-o FILE]
       regcat export rut-json|rut-xlsx|rut-csv|ddi-c|ddi-l [--register IDS] [--base-uri URI]
                     [-o FILE]
       regcat export all -o DIR [--register IDS] [--formats F1,F2] [--threads N]
                     [--base-uri URI]

Writes the catalogue (or the given registers, comma-separated) as a regcat JSON document that
'regcat import catalog' reads back.

dcat-* write the registers as DCAT-AP 3 / DCAT-AP-SE / HealthDCAT-AP RDF (Turtle, JSON-LD with
an inline context, or RDF/XML as Sveriges dataportal harvests it): a dcat:Catalog, one
dcat:Dataset per register (publisher = the CPUA, distribution = the data request route) and the
variables as CSVW tables and columns bound to SNOMED CT by approved mappings. schema-org writes
one register as schema.org Dataset JSON-LD.

rut-json writes the registers in the GSIM shape RUT uses (concepts, conceptual, represented and
instance variables, value domains, unit types, populations, mappings; docs/rut-export.md);
rut-xlsx and rut-csv the variable list with concept columns for a metadata tool; ddi-c a
DDI-Codebook 2.5 codeBook (what SND/researchdata.se read); ddi-l a DDI-Lifecycle 3.3 instance
with URNs urn:ddi:se.regcat:... All carry the concepts of approved mappings.

all writes every format above into DIR at once (what a nightly publication to RUT, SND and
the data portals runs): regcat.json, regcat.rut.json, regcat.rut.xlsx, regcat.rut.csv,
regcat.ddi-c.xml, regcat.ddi-l.xml, regcat.ttl, regcat.jsonld, regcat.rdf, regcat.sssom.tsv,
and csv/, xlsx/, fhir-conceptmap/ with one file per register. The formats run side by side on
--threads worker threads (default: the number of cores), each file written to a temporary
name and renamed when complete. One line per format on standard error.

  --db FILE          database file (default ./regcat.db)
  --register IDS     only these registers (comma-separated)
  -o, --output FILE  write to FILE instead of standard output
  --base-uri URI     base of the URIs written (default http://localhost:8080)
  --formats LIST     (all) only these formats, comma-separated
  --threads N        (all) worker threads (default: the number of cores)
)";

const char* kDbHelp = R"(Usage: regcat db migrate [--db FILE]
       regcat db backup [--db FILE] DEST
       regcat db restore [--db FILE] BACKUP
       regcat db check [--db FILE]

  migrate   bring the schema to the latest version (also done on every open)
  backup    copy the database to DEST with SQLite's online backup (safe while serving)
  restore   replace the database with BACKUP (checked first) in one transaction; the
            current content is kept as FILE.before-restore-TIMESTAMP. Stop the server first.
  check     PRAGMA integrity_check and foreign_key_check; exit 1 on problems
)";

int cmdServe(const std::vector<std::string>& argv) {
  Args a = parse(argv, {"no-demo"},
                 {"db", "port", "address", "base-uri", "threads", "max-body", "trusted-user-header",
                  "config", "log-requests", "demo", "write-rate", "login-rate"});
  if (a.has("help")) {
    std::cout << kServeHelp;
    return 0;
  }
  const ServeSettings cfg = resolveServeSettings(a);
  Store store(cfg.db);
  if (cfg.demo) {
    const std::string data = app::findDataDir();
    if (data.empty()) {
      web::logEvent("warn", "data/ not found (set REGCAT_DATA_DIR); starting without the demo");
    } else if (app::loadDemoOnFirstStart(store, data)) {
      web::logEvent("info", "loaded the demo catalogue", {{"from", data + "/demo"}});
    }
  }
  web::ServerOptions opt;
  opt.port = cfg.port;
  opt.address = cfg.address;
  opt.threads = cfg.threads;
  opt.log_requests = cfg.log_requests;
  opt.header_timeout_ms = cfg.header_timeout_ms;
  opt.body_timeout_ms = cfg.body_timeout_ms;
  opt.keepalive_timeout_ms = cfg.keepalive_timeout_ms;
  opt.send_timeout_ms = cfg.send_timeout_ms;
  opt.max_headers = size_t(cfg.max_headers);
  opt.max_header_bytes = size_t(cfg.max_header_bytes);
  opt.api.base_uri = cfg.base_uri;
  opt.api.max_body = cfg.max_body;
  opt.api.static_dir = app::findStaticDir();
  if (const char* t = std::getenv("REGCAT_ADMIN_TOKEN")) opt.api.admin_token = t;
  opt.api.trusted_user_header = cfg.trusted_user_header;
  opt.api.write_rate = cfg.write_rate;
  opt.api.login_rate = cfg.login_rate;
  opt.api.secure_cookies = opt.api.base_uri.rfind("https://", 0) == 0;

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // server threads inherit the mask
  web::Server server(store, opt);
  server.start();
  std::cout << "regcat listening on http://" << opt.address << ":" << server.port() << " (db "
            << cfg.db << ")" << std::endl;
  std::vector<std::pair<std::string, std::string>> fields = {
      {"address", opt.address}, {"db", cfg.db}, {"base_uri", cfg.base_uri}};
  for (const auto& [k, where] : cfg.source)
    if (where != "default") fields.push_back({k + "_from", where});
  web::logEvent("info", "listening", fields,
                {{"port", double(server.port())}, {"threads", double(opt.threads)}});
  int sig = 0;
  sigwait(&set, &sig);
  web::logEvent("info", "stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  server.stop();
  return 0;
}

void printReport(const ImportReport& r, bool asJson) {
  if (asJson) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    writeImportReport(w, r);
    std::cout << buf.GetString() << "\n";
    return;
  }
  std::cout << (r.dry_run ? "Dry run (nothing written):\n" : "Imported:\n");
  std::cout << "  registers: " << r.registers_created.size() << " created, "
            << r.registers_updated.size() << " updated\n";
  std::cout << "  datasets created: " << r.datasets_created.size() << "\n";
  int clAdded = 0, clChanged = 0;
  for (const auto& c : r.codelists) {
    clAdded += c.change == "added";
    clChanged += c.change == "changed";
  }
  std::cout << "  code lists: " << clAdded << " added, " << clChanged << " changed\n";
  std::cout << "  variables: " << r.count("added") << " added, " << r.count("changed")
            << " changed, " << r.count("removed") << " closed, " << r.count("unchanged")
            << " unchanged\n";
  for (const auto& v : r.variables) {
    if (v.change == "changed") {
      std::cout << "    ~ " << v.key << " v" << v.old_version << " -> v" << v.new_version << " (";
      for (size_t i = 0; i < v.fields.size(); ++i) std::cout << (i ? ", " : "") << v.fields[i];
      std::cout << ")\n";
    } else if (v.change == "removed") {
      std::cout << "    - " << v.key << " closed\n";
    }
  }
  for (const auto& c : r.codelists)
    if (c.change == "changed")
      std::cout << "    ~ code list " << c.id << " v" << c.old_version << " -> v" << c.new_version
                << " (+" << c.added_codes.size() << " -" << c.removed_codes.size() << " ~"
                << c.changed_codes.size() << " codes)\n";
}

int cmdImportVariables(const Args& a) {
  if (a.positional.size() != 2)
    throw UsageError("expected 'regcat import variables --register ID FILE'");
  if (!a.has("register")) throw UsageError("--register ID is required");
  const SourceFile src = readSourceFile(a.positional[1]);
  VariableImportOptions opt;
  opt.register_id = a.get("register");
  opt.format = a.get("format", "auto");
  opt.dataset = a.get("dataset");
  opt.encoding = a.get("encoding");
  opt.skip_invalid = a.has("skip-invalid");
  ImportOptions io;
  io.dry_run = a.has("dry-run");
  io.effective_date = a.get("effective-date");
  const char* user = std::getenv("USER");
  WriteContext ctx{a.get("actor", user ? user : "cli"), "variables", src.name, src.sha256};
  Store store(dbPath(a));
  const bool progress = isatty(2) || a.has("progress");
  const auto started = std::chrono::steady_clock::now();
  if (progress)
    std::cerr << "reading " << src.name << " (" << src.bytes.size() / 1024 << " kB) and writing "
              << (io.dry_run ? "nothing (dry run)" : dbPath(a)) << "..." << std::endl;
  auto [parsed, report] =
      applyVariableImport(store, src.name, src.bytes, opt, io, ctx, a.get("cpua"));
  if (progress)
    std::cerr << "done in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
              << " s" << std::endl;
  if (a.has("json")) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    writeImportReport(w, report);
    std::cout << buf.GetString() << "\n";
  } else {
    std::cout << src.name << ": " << parsed.format << " (" << parsed.encoding << "), "
              << parsed.doc.datasets.size() << " datasets, " << parsed.doc.variables.size()
              << " variables, " << parsed.doc.codelists.size() << " code lists\n";
    for (const auto& k : parsed.skipped)
      std::cout << "  skipped " << k.where << ": " << k.reason << "\n";
    printReport(report, false);
  }
  for (const auto& w : report.warnings) std::cerr << "warning: " << w << "\n";
  return 0;
}

// After a new terminology release: mappings whose target it made inactive go to the review
// queue with the replacement proposed.
void reportFlaggedMappings(Store& store) {
  Terminology terminology(store);
  MappingStore mappings(store, terminology);
  const auto flagged = mappings.checkReleases();
  if (flagged.empty()) return;
  std::cout << flagged.size()
            << " mappings point to concepts this release made inactive; see 'regcat mapping "
               "queue':\n";
  for (const auto& f : flagged) std::cout << "  " << f.subject << ": " << f.detail << "\n";
}

int cmdImport(const std::vector<std::string>& argv) {
  Args a = parse(argv, {"dry-run", "json", "progress", "skip-invalid"},
                 {"db", "effective-date", "actor", "version", "register", "format", "dataset",
                  "encoding", "cpua", "status", "base-uri"});
  if (a.has("help") || a.positional.empty()) {
    std::cout << kImportHelp;
    return a.has("help") ? 0 : 2;
  }
  const char* user = std::getenv("USER");
  if (a.positional.size() != 2) throw UsageError("expected 'regcat import KIND FILE'");
  if (a.positional[0] == "variables") return cmdImportVariables(a);
  if (a.positional[0] == "sssom") return cmdImportSssom(a);
  if (a.positional[0] == "rf2") {
    Store store(dbPath(a));
    Rf2Options ro;
    if (isatty(2) || a.has("progress")) ro.progress = &std::cerr;
    WriteContext wc{a.get("actor", user ? user : "cli"), "rf2", a.positional[1], ""};
    const auto started = std::chrono::steady_clock::now();
    const Rf2Report r = importRf2(store, a.positional[1], wc, ro);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (r.load.skipped) {
      std::cout << "already loaded: " << r.version << " (nothing changed)\n";
      return 0;
    }
    std::cout << (r.load.replaced ? "replaced " : "loaded ") << r.version << " in " << secs
              << " s: " << r.load.concepts << " concepts, " << r.load.descriptions
              << " descriptions, " << r.load.relationships << " relationships, "
              << r.load.language_rows << " language refset rows, " << r.load.refset_members
              << " refset members\n";
    for (const auto& f : r.files_ignored) std::cout << "  ignored " << f << "\n";
    reportFlaggedMappings(store);
    return 0;
  }
  CodeSystemKind kind;
  if (parseCodeSystemKind(a.positional[0], kind)) {
    Store store(dbPath(a));
    WriteContext wc{a.get("actor", user ? user : "cli"), a.positional[0], "", ""};
    const LoadSummary r = importCodeSystem(store, a.positional[1], {kind, a.get("version")}, wc);
    std::cout << (r.skipped    ? "already loaded (nothing changed)"
                  : r.replaced ? "replaced"
                               : "loaded")
              << ": " << identityOf(kind).name << ", " << r.concepts << " codes\n";
    if (!r.skipped) reportFlaggedMappings(store);
    return 0;
  }
  if (a.positional[0] != "catalog")
    throw UsageError("unknown import kind '" + a.positional[0] +
                     "' (catalog, variables, rf2, icd10se, kva, atc, ni, sssom)");
  const SourceFile src = readSourceFile(a.positional[1]);
  const CatalogDocument doc = importCatalogJson(src.bytes, src.name);
  Store store(dbPath(a));
  ImportOptions opt;
  opt.dry_run = a.has("dry-run");
  opt.effective_date = a.get("effective-date");
  WriteContext ctx{a.get("actor", user ? user : "cli"), "regcat-json", src.name, src.sha256};
  printReport(store.applyImport(doc, opt, ctx), a.has("json"));
  return 0;
}

int cmdExport(const std::vector<std::string>& argv) {
  Args a = parse(
      argv, {}, {"db", "register", "output", "base-uri", "format", "status", "formats", "threads"});
  if (a.has("help") || a.positional.empty()) {
    std::cout << kExportHelp;
    return a.has("help") ? 0 : 2;
  }
  auto writeOut = [&](const std::string& bytes) { writeOutput(a, bytes); };
  if (a.positional[0] == "template") {
    const std::string format = a.get("format", "xlsx");
    if (format != "csv" && format != "xlsx") throw UsageError("--format is csv or xlsx");
    writeOut(format == "csv" ? writeVariableListCsv({}) : writeVariableListXlsx({}));
    return 0;
  }
  if (a.positional[0] == "csv" || a.positional[0] == "xlsx") {
    if (!a.has("register")) throw UsageError("--register ID is required for " + a.positional[0]);
    Store store(dbPath(a));
    const RegisterDocument doc = loadRegisterDocument(store, a.get("register"));
    if (doc.reg.id.empty())
      throw notFound("--register", "register '" + a.get("register") + "' not found");
    writeOut(a.positional[0] == "csv" ? writeVariableListCsv(doc) : writeVariableListXlsx(doc));
    return 0;
  }
  if (a.positional[0] == "all") return cmdExportAll(a);
  if (a.positional[0] == "sssom" || a.positional[0] == "fhir-conceptmap")
    return cmdExportMappings(a);
  if (a.positional[0].rfind("dcat-", 0) == 0 || a.positional[0] == "schema-org")
    return cmdExportRdf(a);
  if (isDocumentExport(a.positional[0])) return cmdExportDocument(a);  // rut-*, ddi-c, ddi-l
  if (a.positional[0] != "json")
    throw UsageError("unknown export format '" + a.positional[0] +
                     "' (available: json, csv, xlsx, template, sssom, fhir-conceptmap, dcat-ttl, "
                     "dcat-jsonld, dcat-rdfxml, schema-org, rut-json, rut-xlsx, rut-csv, ddi-c, "
                     "ddi-l)");
  Store store(dbPath(a));
  ExportContext ctx;
  ctx.base_uri = a.get("base-uri", ctx.base_uri);
  std::vector<std::string> ids;
  std::stringstream ss(a.get("register"));
  for (std::string id; std::getline(ss, id, ',');)
    if (!id.empty()) {
      if (!store.getRegister(id)) throw notFound("--register", "register '" + id + "' not found");
      ids.push_back(id);
    }
  if (a.has("output")) {
    writeFileAtomically(a.get("output"),
                        [&](std::ostream& out) { exportCatalogJson(store, ids, ctx, out); });
  } else {
    exportCatalogJson(store, ids, ctx, std::cout);
  }
  return 0;
}

int cmdDb(const std::vector<std::string>& argv) {
  Args a = parse(argv, {}, {"db"});
  if (a.has("help") || a.positional.empty()) {
    std::cout << kDbHelp;
    return a.has("help") ? 0 : 2;
  }
  const std::string& sub = a.positional[0];
  if (sub == "migrate") {
    Store store(dbPath(a));
    std::cout << "schema version " << store.schemaVersion() << " (latest "
              << Store::latestSchemaVersion() << ")\n";
    return 0;
  }
  if (sub == "backup") {
    if (a.positional.size() != 2) throw UsageError("expected 'regcat db backup DEST'");
    if (std::filesystem::exists(a.positional[1]))
      throw invalid(a.positional[1], "already exists; choose a new file");
    Store store(dbPath(a));
    store.backup(a.positional[1]);
    std::cout << "backed up " << dbPath(a) << " to " << a.positional[1] << "\n";
    return 0;
  }
  if (sub == "restore") {
    if (a.positional.size() != 2) throw UsageError("expected 'regcat db restore BACKUP'");
    const std::string& backup = a.positional[1];
    if (!std::filesystem::exists(backup)) throw notFound(backup, "no such backup file");
    Store::verifyBackup(backup);
    std::string keep;
    if (std::filesystem::exists(dbPath(a))) {
      std::string stamp = text::now();
      for (char& c : stamp)
        if (c == ':') c = '-';
      keep = dbPath(a) + ".before-restore-" + stamp;
      Store(dbPath(a)).backup(keep);
    }
    {
      Store store(dbPath(a));
      store.restore(backup);
    }
    Store store(dbPath(a));  // reopened: migrates a backup of an older schema
    const std::string check = store.integrityCheck();
    std::cout << "restored " << dbPath(a) << " from " << backup
              << (keep.empty() ? "" : " (previous content kept in " + keep + ")")
              << "; check: " << check << "\n";
    return check == "ok" ? 0 : 1;
  }
  if (sub == "check") {
    Store store(dbPath(a));
    const std::string r = store.integrityCheck();
    std::cout << r << "\n";
    return r == "ok" ? 0 : 1;
  }
  throw UsageError("unknown db command '" + sub + "'");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kMainHelp;
    return args.empty() ? 2 : 0;
  }
  const std::string cmd = args[0];
  args.erase(args.begin());
  try {
    if (cmd == "serve") return cmdServe(args);
    if (cmd == "import") return cmdImport(args);
    if (cmd == "export") return cmdExport(args);
    if (cmd == "db") return cmdDb(args);
    if (cmd == "mapping") return cmdMapping(args);
    if (cmd == "suggest") return cmdSuggest(args);
    if (cmd == "compat") return cmdCompat(args);
    if (cmd == "matrix") return cmdMatrix(args);
    if (cmd == "plan") return cmdPlan(args);
    if (cmd == "user") return cmdUser(args);
    if (cmd == "version" || cmd == "--version") {
      std::cout << "regcat " << kVersion << "\n";
      return 0;
    }
    std::cerr << "regcat: unknown command '" << cmd << "'\n\n" << kMainHelp;
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "regcat " << cmd << ": " << e.what() << " (see 'regcat " << cmd << " --help')\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "regcat " << cmd << ": " << e.what() << "\n";
    return 1;
  }
}
