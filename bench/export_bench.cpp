// National-size export benchmark (issue 7): generates a catalogue of R registers x V variables
// (3 datasets each; Swedish labels, code lists with missing codes, units), loads the demo
// terminology and binds about 60% of the variables to SNOMED CT concepts by approved mappings,
// then exports the whole catalogue to every format with the entry points the CLI uses, each to a
// file in a temporary directory. Same-run baselines: copying the database file and the regcat
// JSON export. One JSON object per measurement on stdout.
// Usage: export_bench WORKDIR [--registers R] [--variables V] [--seed S] [--only FORMAT] [--reuse]
//   --reuse keeps an existing WORKDIR/national.db instead of generating it again.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "catalog/store.h"
#include "cli/demo.h"
#include "exporters/atomic_file.h"
#include "exporters/catalogue_publication.h"
#include "exporters/dcat_exporter.h"
#include "exporters/document_export.h"
#include "exporters/fhir_conceptmap_writer.h"
#include "exporters/regcat_json_exporter.h"
#include "exporters/sssom_writer.h"
#include "importers/template_exporter.h"
#include "mapping/mapping.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double cpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// ---------------------------------------------------------------------------------------------
// Generation

const char* kRegions[] = {
    "Region Stockholm", "Västra Götalandsregionen", "Region Skåne",          "Region Östergötland",
    "Region Uppsala",   "Region Västerbotten",      "Region Jönköpings län", "Region Örebro län",
    "Region Halland",   "Region Dalarna",           "Region Gävleborg",      "Region Kalmar län"};
const char* kCentres[] = {"Registercentrum Västra Götaland",
                          "Registercentrum Syd",
                          "Uppsala Clinical Research Center",
                          "Registercentrum Norr",
                          "QRC Stockholm",
                          "RC Sydost"};
const char* kSpecialties[] = {"hjärtsjukvård",  "diabetesvård",   "strokevård",  "ortopedi",
                              "njurmedicin",    "psykiatri",      "cancervård",  "barnmedicin",
                              "reumatologi",    "intensivvård",   "geriatrik",   "kärlkirurgi",
                              "ögonsjukvård",   "öron-näsa-hals", "obstetrik",   "smärtlindring",
                              "rehabilitering", "lungmedicin",    "hudsjukvård", "tandvård"};

// Variables without a concept binding: administrative and background items every register has.
struct Admin {
  const char *sv, *en, *datatype, *codelist;  // codelist: suffix of the register's list or ""
};
const Admin kAdmin[] = {
    {"Inskrivningsdatum", "Date of admission", "date", ""},
    {"Utskrivningsdatum", "Date of discharge", "date", ""},
    {"Rapporterande vårdenhet", "Reporting care unit", "string", ""},
    {"Sjukhus", "Hospital", "string", ""},
    {"Boendeform före insjuknandet", "Living arrangement before onset", "code", "boende"},
    {"Civilstånd", "Marital status", "code", "civilstand"},
    {"Högsta utbildningsnivå", "Highest level of education", "code", "utbildning"},
    {"Behov av tolk", "Need of interpreter", "code", "janej"},
    {"Län där patienten är folkbokförd", "County of residence", "code", "lan"},
    {"Uppföljningsform", "Mode of follow-up", "code", "uppfoljning"},
    {"Formuläret besvarat av", "Form answered by", "code", "besvarare"},
    {"Datum för uppföljning", "Date of follow-up", "date", ""},
    {"Ålder vid inskrivning", "Age at admission", "integer", ""},
    {"Vårdtid i dagar", "Length of stay in days", "integer", ""},
    {"Kommentar från rapportören", "Reporter's comment", "string", ""},
    {"Ankomstsätt till sjukhus", "Mode of arrival at hospital", "code", "ankomst"},
};

// Units of measure for observable entities of the demo release; other observables get one of
// a few common units by hash.
std::string unitFor(const std::string& code) {
  static const std::map<std::string, std::string> units = {
      {"30019999999107", "mm[Hg]"}, {"30029999999100", "mm[Hg]"}, {"30119999999108", "kg"},
      {"30129999999101", "cm"},     {"30139999999104", "kg/m2"},  {"30219999999104", "mmol/mol"},
      {"30279999999105", "umol/L"}, {"30039999999103", "/min"},   {"30299999999109", "mL/min"}};
  auto it = units.find(code);
  if (it != units.end()) return it->second;
  static const char* other[] = {"mmol/L", "g/L", "%", "", "", ""};
  return other[std::hash<std::string>{}(code) % std::size(other)];
}

regcat::CodeList codeList(const std::string& reg, const std::string& suffix, regcat::Text name,
                          std::vector<regcat::CodeItem> items) {
  regcat::CodeList c;
  c.id = reg + "." + suffix;
  c.register_id = reg;
  c.name = std::move(name);
  c.items = std::move(items);
  return c;
}

std::vector<regcat::CodeList> registerCodeLists(const std::string& reg) {
  using I = regcat::CodeItem;
  std::vector<regcat::CodeList> out;
  out.push_back(codeList(
      reg, "kon", {"Kön", "Sex"},
      {I{"1", {"Man", "Male"}, false, "", ""}, I{"2", {"Kvinna", "Female"}, false, "", ""}}));
  out.push_back(
      codeList(reg, "janej", {"Ja/Nej/Okänt", "Yes/No/Unknown"},
               {I{"1", {"Ja", "Yes"}, false, "", ""}, I{"0", {"Nej", "No"}, false, "", ""},
                I{"9", {"Okänt", "Unknown"}, true, "", ""}}));
  out.push_back(
      codeList(reg, "boende", {"Boendeform", "Living arrangement"},
               {I{"1", {"Eget boende utan hemtjänst", "Own home without home care"}, false, "", ""},
                I{"2", {"Eget boende med hemtjänst", "Own home with home care"}, false, "", ""},
                I{"3", {"Särskilt boende", "Residential care"}, false, "", ""},
                I{"9", {"Uppgift saknas", "Not known"}, true, "", ""}}));
  out.push_back(codeList(
      reg, "civilstand", {"Civilstånd", "Marital status"},
      {I{"G", {"Gift", "Married"}, false, "", ""}, I{"OG", {"Ogift", "Unmarried"}, false, "", ""},
       I{"S", {"Skild", "Divorced"}, false, "", ""},
       I{"Ä", {"Änka/änkling", "Widowed"}, false, "", ""},
       I{"99", {"Okänt", "Unknown"}, true, "", ""}}));
  out.push_back(codeList(reg, "utbildning", {"Utbildningsnivå", "Level of education"},
                         {I{"1", {"Förgymnasial", "Primary"}, false, "", ""},
                          I{"2", {"Gymnasial", "Upper secondary"}, false, "", ""},
                          I{"3", {"Eftergymnasial", "Tertiary"}, false, "", ""},
                          I{"9", {"Okänd", "Unknown"}, true, "", ""}}));
  static const char* lan[][2] = {
      {"01", "Stockholms län"},    {"03", "Uppsala län"},       {"04", "Södermanlands län"},
      {"05", "Östergötlands län"}, {"06", "Jönköpings län"},    {"07", "Kronobergs län"},
      {"08", "Kalmar län"},        {"09", "Gotlands län"},      {"10", "Blekinge län"},
      {"12", "Skåne län"},         {"13", "Hallands län"},      {"14", "Västra Götalands län"},
      {"17", "Värmlands län"},     {"18", "Örebro län"},        {"19", "Västmanlands län"},
      {"20", "Dalarnas län"},      {"21", "Gävleborgs län"},    {"22", "Västernorrlands län"},
      {"23", "Jämtlands län"},     {"24", "Västerbottens län"}, {"25", "Norrbottens län"}};
  std::vector<I> lanItems;
  for (const auto& l : lan) lanItems.push_back(I{l[0], {l[1], l[1]}, false, "", ""});
  out.push_back(codeList(reg, "lan", {"Län", "County"}, lanItems));
  out.push_back(codeList(
      reg, "uppfoljning", {"Uppföljningsform", "Mode of follow-up"},
      {I{"1", {"Besök", "Visit"}, false, "", ""}, I{"2", {"Telefon", "Telephone"}, false, "", ""},
       I{"3", {"Enkät per post", "Postal questionnaire"}, false, "", ""},
       I{"4", {"Webbenkät", "Web questionnaire"}, false, "", ""}}));
  out.push_back(codeList(reg, "besvarare", {"Besvarad av", "Answered by"},
                         {I{"1", {"Patienten själv", "The patient"}, false, "", ""},
                          I{"2", {"Närstående", "Next of kin"}, false, "", ""},
                          I{"3", {"Vårdpersonal", "Care staff"}, false, "", ""}}));
  out.push_back(codeList(reg, "ankomst", {"Ankomstsätt", "Mode of arrival"},
                         {I{"1", {"Ambulans", "Ambulance"}, false, "", ""},
                          I{"2", {"Egen transport", "Own transport"}, false, "", ""},
                          I{"3", {"Överflyttad från annat sjukhus", "Transfer"}, false, "", ""},
                          I{"9", {"Okänt", "Unknown"}, true, "", ""}}));
  return out;
}

struct Generated {
  int variables = 0, bound = 0;
  size_t mappings = 0;
  double terminologyS = 0, catalogueS = 0, mappingsS = 0;
};

Generated generate(regcat::Store& store, int nRegisters, int nVariables, unsigned long seed) {
  Generated g;
  auto t = Clock::now();
  regcat::app::loadDemoTerminology(store, std::string(REGCAT_SOURCE_DIR) + "/data");
  g.terminologyS = secondsSince(t);

  regcat::Terminology term(store);
  auto rel = term.release(regcat::kSnomedSystem);
  if (!rel) throw std::runtime_error("the demo SNOMED CT release did not load");
  auto h = term.hierarchy(*rel);
  // Bindable concepts: active descendants of clinical finding, situation, observable entity and
  // procedure (demo ids).
  std::vector<std::string> pool;
  std::map<std::string, regcat::ConceptSummary> summaries;
  {
    std::set<regcat::Hierarchy::Index> seen;
    for (const char* top : {"1009999999109", "1019999999106", "1029999999107", "1039999999102"})
      if (auto i = h->index(top); i != regcat::Hierarchy::kNone)
        for (auto d : h->descendants(i))
          if (h->active(d) && seen.insert(d).second) pool.push_back(h->code(d));
  }
  std::sort(pool.begin(), pool.end());
  if (pool.empty()) throw std::runtime_error("no bindable concepts in the demo release");
  for (const auto& c : pool) summaries.emplace(c, *term.summary(*rel, c));

  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  regcat::CatalogDocument doc;
  std::vector<regcat::Mapping> rows;
  const int perDataset = (nVariables + 2) / 3;
  const char* dsIds[] = {"grund", "uppfoljning1", "uppfoljning2"};
  const char* dsSv[] = {"Grunddata", "Uppföljning efter 1 år", "Uppföljning efter 5 år"};
  const char* dsEn[] = {"Baseline", "Follow-up at 1 year", "Follow-up at 5 years"};
  for (int r = 0; r < nRegisters; ++r) {
    char id[32];
    std::snprintf(id, sizeof id, "reg%03d", r + 1);
    const std::string spec = kSpecialties[size_t(r) % std::size(kSpecialties)];
    regcat::RegisterDocument rd;
    auto& reg = rd.reg;
    reg.id = id;
    reg.name = {"Nationellt kvalitetsregister för " + spec + " " + std::to_string(r + 1),
                "National quality register " + std::to_string(r + 1)};
    reg.short_name = "NKR" + std::to_string(r + 1);
    reg.description = {"Registret följer patienter inom " + spec +
                           " från första vårdkontakt till uppföljning efter fem år, för att "
                           "förbättra vårdens kvalitet och jämlikhet i hela landet.",
                       "The register follows patients from first contact to five-year "
                       "follow-up to improve the quality and equity of care."};
    reg.purposes = {{"Kvalitetsutveckling av vården", "Quality improvement of care"},
                    {"Forskning", "Research"}};
    reg.cpua.name = kRegions[size_t(r) % std::size(kRegions)];
    reg.registerhallare = {"Anna Öberg", reg.cpua.name, "registret@example.se", ""};
    reg.register_centre = kCentres[size_t(r) % std::size(kCentres)];
    reg.start_year = 1990 + r % 30;
    regcat::Coverage cov;
    cov.value = 80 + r % 20;
    cov.method = "Jämförelse med patientregistret";
    cov.denominator_source = "Patientregistret (Socialstyrelsen)";
    cov.period_start = "2024-01-01";
    cov.period_end = "2024-12-31";
    cov.level = "national";
    reg.coverage = {cov};
    reg.population = {"Patienter i Sverige som vårdas inom " + spec,
                      "Patients in Sweden treated in this specialty"};
    reg.unit_types = {"patient"};
    reg.holds_personnummer = true;
    reg.keywords = {spec, "kvalitetsregister", "hälsodata"};
    reg.homepage = "https://example.se/" + std::string(id);
    rd.codelists = registerCodeLists(id);

    int made = 0;
    for (int d = 0; d < 3 && made < nVariables; ++d) {
      regcat::Dataset ds;
      ds.register_id = id;
      ds.id = dsIds[d];
      ds.name = {dsSv[d], dsEn[d]};
      ds.unit_type = "patient";
      ds.coverage_start = "2015-01-01";
      rd.datasets.push_back(ds);
      for (int p = 0; p < perDataset && made < nVariables; ++p, ++made) {
        regcat::Variable v;
        v.register_id = id;
        v.dataset_id = ds.id;
        v.valid_from = "2015-01-01";
        v.source = d == 0 ? "care-record" : "patient-reported";
        v.category = d == 0 ? "background" : "outcome";
        v.mandatory = p % 4 == 0;
        if (p == 0) {  // sex, bound below when the demo release has it
          v.name = "kon";
          v.label = {"Kön", "Sex"};
          v.datatype = "code";
          v.codelist = std::string(id) + ".kon";
        }
        const bool bind = p == 0 || u(rng) < 0.6;
        std::string code;
        if (!bind) {
          const Admin& a = kAdmin[size_t(p) % std::size(kAdmin)];
          v.name = "adm_" + std::to_string(p);
          v.label = {std::string(a.sv), std::string(a.en)};
          v.datatype = a.datatype;
          if (*a.codelist) v.codelist = std::string(id) + "." + a.codelist;
          v.category = "administrative";
          v.source = "administrative";
        } else if (p == 0) {
          code = summaries.count("30809999999100") ? "30809999999100" : "";
        } else {
          code = pool[rng() % pool.size()];
          const auto& s = summaries.at(code);
          v.name = "var_" + std::to_string(p);
          v.label = {s.display("sv"), s.display("en")};
          v.definition = {"Registreras i " + std::string(dsSv[d]) + ": " + s.display("sv") + ".",
                          ""};
          if (s.semantic_tag == "observable entity") {
            v.unit = unitFor(code);
            v.datatype = v.unit.empty() ? "integer" : "decimal";
            v.min = 0;
            v.max = 500;
            v.missing_codes = {{"-9", {"Ej mätt", "Not measured"}}};
          } else if (s.semantic_tag == "procedure") {
            v.datatype = "date";
            v.label.sv = "Datum för " + v.label.sv;
          } else {
            v.datatype = "code";
            v.codelist = std::string(id) + ".janej";
            v.question = {"Har patienten " + s.display("sv") + "?", ""};
          }
        }
        if (!code.empty()) {
          regcat::Mapping m;
          m.subject = {id, ds.id, v.name, ""};
          m.system = regcat::kSnomedSystem;
          m.concept_id = code;
          m.predicate = u(rng) < 0.85 ? "skos:exactMatch" : "skos:closeMatch";
          m.status = "approved";
          m.author = "bench-kurator";
          m.reviewer = "bench-granskare";
          rows.push_back(std::move(m));
          ++g.bound;
        }
        rd.variables.push_back(std::move(v));
        ++g.variables;
      }
    }
    doc.registers.push_back(std::move(rd));
  }
  regcat::WriteContext ctx;
  ctx.actor = "bench";
  ctx.format = "generated";
  t = Clock::now();
  store.applyImport(doc, {}, ctx);
  g.catalogueS = secondsSince(t);
  t = Clock::now();
  regcat::MappingStore ms(store, term);
  ms.importMappings(rows, {}, "bench", "generated", "export_bench");
  g.mappingsS = secondsSince(t);
  g.mappings = rows.size();
  return g;
}

// ---------------------------------------------------------------------------------------------
// Measurement

struct Result {
  std::string format;
  double seconds = 0, cpu = 0;
  uintmax_t bytes = 0;
  int files = 0;
};

// Writes through a temporary file renamed into place, as the CLI does.
template <typename F>
void writeFile(const fs::path& path, F&& write) {
  regcat::writeFileAtomically(path, write);
}

std::string gOnly;  // --only FORMAT: measure just that one (for profiling)

template <typename F>
Result measure(const std::string& format, const fs::path& dir, F&& run) {
  if (!gOnly.empty() && format != gOnly) return Result{format, 0, 0, 0, 0};
  fs::create_directories(dir);
  const double c = cpuSeconds();
  const auto t = Clock::now();
  run(dir);
  Result r;
  r.format = format;
  r.seconds = secondsSince(t);
  r.cpu = cpuSeconds() - c;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) {
      r.bytes += e.file_size();
      ++r.files;
    }
  std::printf(
      "{\"bench\":\"export\",\"format\":\"%s\",\"seconds\":%.3f,\"cpu_seconds\":%.3f,"
      "\"mb\":%.2f,\"files\":%d}\n",
      r.format.c_str(), r.seconds, r.cpu, double(r.bytes) / 1e6, r.files);
  std::fflush(stdout);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: export_bench WORKDIR [--registers R] [--variables V] [--seed S] "
                 "[--only FORMAT] [--reuse]\n");
    return 2;
  }
  const fs::path work = argv[1];
  int nRegisters = 150, nVariables = 300;
  unsigned long seed = 7;
  std::string only;
  bool reuse = false;
  for (int i = 2; i < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--reuse") {
      reuse = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "option %s needs a value\n", a.c_str());
      return 2;
    }
    if (a == "--only")
      only = argv[i + 1];
    else if (a == "--registers")
      nRegisters = std::atoi(argv[i + 1]);
    else if (a == "--variables")
      nVariables = std::atoi(argv[i + 1]);
    else if (a == "--seed")
      seed = std::strtoul(argv[i + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  try {
    fs::create_directories(work);
    const fs::path db = work / "national.db";
    const fs::path out = work / "out";
    gOnly = only;
    if (!reuse || !fs::exists(db)) {
      fs::remove(db);
      regcat::Store store(db.string());
      const Generated g = generate(store, nRegisters, nVariables, seed);
      std::printf(
          "{\"bench\":\"export_generate\",\"registers\":%d,\"variables\":%d,\"bound\":%d,"
          "\"approved_mappings\":%zu,\"terminology_s\":%.2f,\"catalogue_s\":%.2f,"
          "\"mappings_s\":%.2f}\n",
          nRegisters, g.variables, g.bound, g.mappings, g.terminologyS, g.catalogueS, g.mappingsS);
      std::fflush(stdout);
    }

    // Baseline 1: copying the database file (as `cp` would); its size says what there is.
    double copyS = 0;
    {
      const fs::path copy = work / "copy.db";
      const auto t = Clock::now();
      fs::copy_file(db, copy, fs::copy_options::overwrite_existing);
      copyS = secondsSince(t);
      std::printf("{\"bench\":\"export_baseline_copy_db\",\"seconds\":%.3f,\"mb\":%.2f}\n", copyS,
                  double(fs::file_size(db)) / 1e6);
      std::fflush(stdout);
      fs::remove(copy);
    }

    // Each format as one CLI invocation over the whole catalogue would produce it: open the
    // store, read the mappings it needs, write the file(s).
    std::vector<Result> results;
    auto documentFormat = [&](const std::string& format) {
      return measure(format, out / format, [&](const fs::path& dir) {
        regcat::Store store(db.string());
        regcat::Terminology terminology(store);
        regcat::MappingStore mappings(store, terminology);
        const auto approved = regcat::approvedMappingsFor(mappings, {});
        const regcat::RutOptions opt;
        const auto* f = regcat::findDocumentFormat(format);
        writeFile(dir / regcat::documentFileName(*f, {}), [&](std::ostream& o) {
          regcat::exportDocument(format, store, {}, approved, opt, o);
        });
      });
    };
    auto dcat = [&](const std::string& format, regcat::rdf::Syntax syntax, const char* ext) {
      return measure(format, out / format, [&](const fs::path& dir) {
        regcat::Store store(db.string());
        regcat::Terminology terminology(store);
        regcat::MappingStore mappings(store, terminology);
        const regcat::DcatOptions o;
        writeFile(dir / (std::string("regcat.") + ext), [&](std::ostream& os) {
          regcat::exportDcat(store, &mappings, {}, o, syntax, os);
        });
      });
    };
    // The same-run baseline of the issue: regcat's own JSON of the whole catalogue.
    results.push_back(measure("json", out / "json", [&](const fs::path& dir) {
      regcat::Store store(db.string());
      const regcat::ExportContext ctx;
      writeFile(dir / "regcat.json",
                [&](std::ostream& o) { regcat::exportCatalogJson(store, {}, ctx, o); });
    }));
    for (const char* f : {"rut-json", "rut-xlsx", "rut-csv", "ddi-c", "ddi-l"})
      results.push_back(documentFormat(f));
    results.push_back(dcat("dcat-ttl", regcat::rdf::Syntax::Turtle, "ttl"));
    results.push_back(dcat("dcat-jsonld", regcat::rdf::Syntax::JsonLd, "jsonld"));
    results.push_back(dcat("dcat-rdfxml", regcat::rdf::Syntax::RdfXml, "rdf"));
    // csv and xlsx are per register (`regcat export csv --register ID`): one file each.
    for (const std::string format : {"csv", "xlsx"})
      results.push_back(measure(format, out / format, [&](const fs::path& dir) {
        regcat::Store store(db.string());
        for (const auto& r : store.listRegisters()) {
          const regcat::RegisterDocument doc = regcat::loadRegisterDocument(store, r.id);
          const std::string bytes = format == "csv" ? regcat::writeVariableListCsv(doc)
                                                    : regcat::writeVariableListXlsx(doc);
          writeFile(dir / (r.id + "." + format),
                    [&](std::ostream& o) { o.write(bytes.data(), std::streamsize(bytes.size())); });
        }
      }));
    results.push_back(measure("sssom", out / "sssom", [&](const fs::path& dir) {
      regcat::Store store(db.string());
      regcat::Terminology terminology(store);
      regcat::MappingStore mappings(store, terminology);
      regcat::MappingQuery q;
      q.limit = -1;
      const auto all = mappings.list(q).items;
      const regcat::SssomWriteOptions opt;
      writeFile(dir / "regcat.sssom.tsv",
                [&](std::ostream& o) { regcat::writeSssom(o, all, opt); });
    }));
    // fhir-conceptmap is per register (`regcat export fhir-conceptmap --register ID`).
    results.push_back(measure("fhir-conceptmap", out / "fhir-conceptmap", [&](const fs::path& dir) {
      regcat::Store store(db.string());
      regcat::Terminology terminology(store);
      regcat::MappingStore mappings(store, terminology);
      for (const auto& r : store.listRegisters()) {
        regcat::MappingQuery q;
        q.register_id = r.id;
        q.limit = -1;
        const auto all = mappings.list(q).items;
        regcat::ConceptMapOptions opt;
        opt.register_id = r.id;
        opt.register_name = r.name.sv;
        writeFile(dir / (r.id + ".conceptmap.json"),
                  [&](std::ostream& o) { regcat::writeConceptMap(o, all, opt); });
      }
    }));

    // `regcat export all`: every format in one run, spread over the cores, and on one thread
    // (what it costs where only one core is free).
    if (gOnly.empty() || gOnly == "all") {
      const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
      for (unsigned threads : {cores, 1u}) {
        const double c = cpuSeconds();
        const auto t = Clock::now();
        regcat::PublishOptions po;
        po.threads = threads;
        const auto files = regcat::publishCatalogue(
            db.string(), (out / ("all-" + std::to_string(threads))).string(), po);
        uintmax_t b = 0;
        for (const auto& f : files) b += f.bytes;
        const double secs = secondsSince(t);
        std::printf(
            "{\"bench\":\"export_all\",\"threads\":%u,\"formats\":%zu,\"seconds\":%.3f,"
            "\"cpu_seconds\":%.3f,\"mb\":%.2f,\"goal\":\"< 10 s\",\"met\":%s}\n",
            threads, files.size(), secs, cpuSeconds() - c, double(b) / 1e6,
            secs < 10 ? "true" : "false");
        std::fflush(stdout);
        if (threads == 1) break;  // one core: the first run was this one
      }
    }

    if (!gOnly.empty()) return 0;  // the totals below need every format
    double total = 0, cpu = 0, json = 0;
    uintmax_t bytes = 0;
    const Result* slowest = &results[0];
    for (const auto& r : results) {
      total += r.seconds;
      cpu += r.cpu;
      bytes += r.bytes;
      if (r.format == "json") json = r.seconds;
      if (r.seconds > slowest->seconds) slowest = &r;
    }
    std::printf(
        "{\"bench\":\"export_total\",\"formats\":%zu,\"seconds\":%.3f,\"cpu_seconds\":%.3f,"
        "\"mb\":%.2f,\"ratio_to_json\":%.2f,\"ratio_to_copy_db\":%.1f,\"slowest\":\"%s\",\"slowest_"
        "seconds\":%.3f,\"note\":\"each format exported on its own, one after another: "
        "nothing shared; the goal is measured by export_all\"}\n",
        results.size(), total, cpu, double(bytes) / 1e6, json > 0 ? total / json : 0.0,
        copyS > 0 ? total / copyS : 0.0, slowest->format.c_str(), slowest->seconds);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "export_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
