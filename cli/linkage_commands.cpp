// regcat compat, regcat matrix and regcat plan: compatibility of variables, the
// harmonisation matrix and linkage plans from the command line.
#include <charconv>
#include <iostream>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "exporters/compatibility_json.h"
#include "exporters/harmonisation_export.h"
#include "exporters/linkage_plan_exporter.h"
#include "importers/linkage_plan_reader.h"
#include "importers/source_file.h"
#include "mapping/compat_service.h"
#include "mapping/harmonisation_matrix.h"
#include "mapping/linkage_review.h"
#include "mapping/linkage_store.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

namespace regcat::cli {
namespace {

const char* kCompatHelp = R"(Usage: regcat compat A B [--at YYYY-MM-DD] [--json] [--db FILE]

Semantic compatibility of two variables (register/dataset/name): identical, compatible,
partial, incompatible or unknown, with the reasons (Swedish and English) and the transform
(a unit factor or a code-to-code table) that pools them where one exists. Computed from the
variables' approved concept mappings, value-level mappings, units and code lists.
)";

const char* kMatrixHelp =
    R"(Usage: regcat matrix [--registers A,B,...] [--concepts C1,C2,...] [--topic C]
                    [--system SYS] [--limit N] [--offset N] [--csv | --json] [--db FILE]

Concepts (rows) by registers (columns): each cell lists the register's variables bound by
approved mappings to the row concept (identical) or to a concept below it (partial). --topic
makes the topic's children the rows, each grouping its descendants.
)";

const char* kPlanHelp = R"(Usage: regcat plan COMMAND [--db FILE] [--actor NAME] ...

Linkage plans for a samkörning or utvidgning of quality registers (SKR's eight steps), or the
variable request of a research linkage. regcat checks what the catalogue can check; the legal
decisions stay with each CPUA.

  list [--register R] [--status S]
  create FILE.json             create a draft from a JSON plan (docs/linkage-plans.md)
  update ID FILE.json          replace a draft's or submitted plan's content
  show ID [--json]             the plan with its review: CPUAs, secrecy note, warnings,
                               compatibility and the checklist of the eight steps
  status ID STATUS [--note T]  draft -> submitted -> approved | rejected
  export ID json|csv|html [--register R] [-o FILE]
)";

int64_t parseId(const std::string& s) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0)
    throw UsageError("'" + s + "' is not a plan id");
  return id;
}

std::vector<std::string> commaList(const std::string& s) {
  std::vector<std::string> out;
  size_t a = 0;
  while (a <= s.size() && !s.empty()) {
    size_t b = s.find(',', a);
    if (b == std::string::npos) b = s.size();
    if (b > a) out.push_back(s.substr(a, b - a));
    a = b + 1;
  }
  return out;
}

std::string jsonOf(const std::function<void(JsonWriter&)>& f) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  f(w);
  return std::string(buf.GetString(), buf.GetSize());
}

void printReview(const LinkagePlan& p, const PlanReview& r) {
  std::cout << "Plan " << p.id << " (revision " << p.revision << "): " << p.title << "\n"
            << "  " << p.kind << ", " << p.purpose_category << ", status " << p.status << "\n"
            << "  CPUA: " << (r.cpuas.empty() ? "(none documented)" : "");
  for (size_t i = 0; i < r.cpuas.size(); ++i) std::cout << (i ? ", " : "") << r.cpuas[i];
  std::cout << "\n  " << r.secrecy_note.sv << "\n";
  for (const auto& g : r.registers)
    std::cout << "  " << g.id << ": key " << (g.linkage_key.empty() ? "?" : g.linkage_key)
              << ", period " << g.coverage_from << " – " << g.coverage_to << ", "
              << g.requested.size() << " variables requested\n";
  for (const auto& c : r.concepts) {
    std::cout << "  concept " << c.concept_id << " " << c.label << "\n";
    for (const auto& pair : c.pairs)
      std::cout << "    " << pair.a << " ~ " << pair.b << ": " << pair.result.grade << "\n";
    for (const auto& reg : c.registers_without) std::cout << "    (" << reg << ": none)\n";
  }
  if (!r.warnings.empty()) std::cout << "Warnings:\n";
  for (const auto& x : r.warnings) std::cout << "  ! " << x.text.sv << "\n";
  std::cout << "Checklist:\n";
  for (const auto& s : r.checklist) {
    std::cout << "  " << s.number << ". " << s.title.sv << ": " << s.state << "\n";
    for (const auto& m : s.missing) std::cout << "       saknas: " << m.sv << "\n";
  }
  std::cout << r.disclaimer.sv << "\n";
}

}  // namespace

int cmdCompat(const std::vector<std::string>& argv) {
  Args a = parse(argv, {"json"}, {"db", "at"});
  if (a.has("help") || a.positional.size() != 2) {
    std::cout << kCompatHelp;
    return a.has("help") ? 0 : 2;
  }
  Store store(dbPath(a));
  Terminology terminology(store);
  MappingStore mappings(store, terminology);
  const Compatibility c =
      compareVariables(store, terminology, mappings, a.positional[0], a.positional[1], a.get("at"));
  if (a.has("json")) {
    std::cout << jsonOf([&](JsonWriter& w) { writeCompatibility(w, c); }) << "\n";
    return 0;
  }
  std::cout << a.positional[0] << " ~ " << a.positional[1] << ": " << c.grade << "\n";
  for (const auto& r : c.reasons) std::cout << "  - " << r.sv << "\n    (" << r.en << ")\n";
  if (c.transform.kind != "none") {
    std::cout << "transform (" << c.transform.kind << "): " << c.transform.sv << "\n";
    for (const auto& e : c.transform.table)
      std::cout << "    " << e.from << " -> " << e.to << (e.missing ? " (missing)" : "") << "\n";
  }
  return 0;
}

int cmdMatrix(const std::vector<std::string>& argv) {
  Args a = parse(argv, {"json", "csv"},
                 {"db", "registers", "concepts", "topic", "system", "limit", "offset", "output"});
  if (a.has("help")) {
    std::cout << kMatrixHelp;
    return 0;
  }
  Store store(dbPath(a));
  Terminology terminology(store);
  MatrixQuery q;
  q.registers = commaList(a.get("registers"));
  q.concepts = commaList(a.get("concepts"));
  q.topic = a.get("topic");
  q.system = a.get("system", "snomed");
  q.limit = std::stoi(a.get("limit", a.has("csv") ? "-1" : "50"));
  q.offset = std::stoi(a.get("offset", "0"));
  const Matrix m = harmonisationMatrix(store, terminology, q);
  if (a.has("csv")) {
    writeOutput(a, matrixCsv(m));
    return 0;
  }
  if (a.has("json")) {
    writeOutput(a, jsonOf([&](JsonWriter& w) { writeMatrix(w, m); }) + "\n");
    return 0;
  }
  std::cout << m.total_rows << " concepts, " << m.columns.size() << " registers (" << m.release
            << ")\n";
  for (const auto& r : m.rows) {
    std::cout << r.concept_id << " " << r.label << " — " << r.registers_covered << " registers\n";
    for (size_t c = 0; c < r.cells.size(); ++c)
      for (const auto& v : r.cells[c].variables)
        std::cout << "    " << v.key << " \"" << v.label << "\" (" << v.grade << ")\n";
  }
  return 0;
}

int cmdPlan(const std::vector<std::string>& argv) {
  Args a = parse(argv, {"json"}, {"db", "actor", "register", "status", "note", "output"});
  if (a.has("help") || a.positional.empty()) {
    std::cout << kPlanHelp;
    return a.has("help") ? 0 : 2;
  }
  const std::string sub = a.positional[0];
  Store store(dbPath(a));
  Terminology terminology(store);
  MappingStore mappings(store, terminology);
  LinkageStore plans(store);
  auto show = [&](const LinkagePlan& p) {
    const PlanReview r = reviewPlan(store, terminology, mappings, p);
    if (a.has("json"))
      std::cout << planJson(p, r) << "\n";
    else
      printReview(p, r);
    return 0;
  };
  if (sub == "list") {
    for (const auto& p : plans.list(a.get("register"), a.get("status"))) {
      std::cout << p.id << "  " << p.status << "  " << p.kind << "  " << p.title << " [";
      for (size_t i = 0; i < p.registers.size(); ++i)
        std::cout << (i ? ", " : "") << p.registers[i];
      std::cout << "]\n";
    }
    return 0;
  }
  if (sub == "create" || sub == "update") {
    const size_t fileArg = sub == "create" ? 1 : 2;
    if (a.positional.size() != fileArg + 1)
      throw UsageError(sub == "create" ? "expected 'regcat plan create FILE.json'"
                                       : "expected 'regcat plan update ID FILE.json'");
    const SourceFile src = readSourceFile(a.positional[fileArg]);
    const LinkagePlan in = readLinkagePlanJson(src.bytes, src.name);
    const LinkagePlan p = sub == "create" ? plans.create(in, actorOf(a))
                                          : plans.update(parseId(a.positional[1]), in, actorOf(a));
    std::cerr << (sub == "create" ? "created" : "updated") << " plan " << p.id << "\n";
    return show(p);
  }
  if (a.positional.size() < 2) throw UsageError("expected a plan id");
  const int64_t id = parseId(a.positional[1]);
  if (sub == "show") {
    auto p = plans.get(id);
    if (!p) throw notFound("ID", "linkage plan " + a.positional[1] + " not found");
    return show(*p);
  }
  if (sub == "status") {
    if (a.positional.size() != 3) throw UsageError("expected 'regcat plan status ID STATUS'");
    const LinkagePlan p = plans.setStatus(id, a.positional[2], a.get("note"), actorOf(a));
    std::cout << "plan " << p.id << " is now " << p.status << "\n";
    return 0;
  }
  if (sub == "export") {
    if (a.positional.size() != 3)
      throw UsageError("expected 'regcat plan export ID json|csv|html'");
    auto p = plans.get(id);
    if (!p) throw notFound("ID", "linkage plan " + a.positional[1] + " not found");
    const std::string& f = a.positional[2];
    if (f == "csv") {
      writeOutput(a, planVariablesCsv(store, mappings, *p, a.get("register")));
      return 0;
    }
    const PlanReview r = reviewPlan(store, terminology, mappings, *p);
    if (f == "json")
      writeOutput(a, planJson(*p, r) + "\n");
    else if (f == "html")
      writeOutput(a, planHtml(store, *p, r));
    else
      throw UsageError("unknown plan export '" + f + "' (json, csv, html)");
    return 0;
  }
  throw UsageError("unknown plan command '" + sub + "'");
}

}  // namespace regcat::cli
