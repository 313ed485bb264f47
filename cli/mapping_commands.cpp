// regcat mapping ... (curation), regcat suggest, and the SSSOM / ConceptMap import and export.
#include <charconv>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "exporters/fhir_conceptmap_writer.h"
#include "exporters/mapping_json.h"
#include "exporters/sssom_writer.h"
#include "importers/source_file.h"
#include "importers/sssom_reader.h"
#include "mapping/mapping_store.h"
#include "mapping/suggester_cache.h"
#include "mapping/terminology.h"

namespace regcat::cli {
namespace {

const char* kMappingHelp = R"(Usage: regcat mapping COMMAND [--db FILE] [--actor NAME] ...

Curates mappings of variables ("register/dataset/name") and of their codes
("register/dataset/name#code") to concepts of loaded code systems. Every change is kept in the
mapping's history with the actor (--actor, default $USER).

  list [--register R] [--dataset D] [--status S] [--system SYS] [--flagged] [--json]
  show ID [--json]                      a mapping and its history
  add SUBJECT CONCEPT [--system SYS] [--predicate P] [--status proposed|approved]
                      [--comment TEXT] [--confidence X]
  update ID [--concept C] [--system SYS] [--predicate P] [--comment TEXT] [--status proposed]
  review ID approve|reject [--comment TEXT]
  approve ID... [--comment TEXT]        approve several (those the actor wrote are skipped
  reject ID... [--comment TEXT]         under the four-eyes rule)
  promote --min-score X [--register R] [--dataset D] [--system SYS]
                                        suggestions scoring at least X become proposed
  no-match SUBJECT... [--system SYS] [--comment TEXT]
                                        record that no concept fits (sssom:NoTermFound)
  delete ID
  queue [--json]                        flagged and proposed mappings awaiting review
  check-releases                        flag mappings whose target the newest release made
                                        inactive, with the replacement proposed
  four-eyes [on|off]                    show or set the four-eyes review rule (default on)

SYS is snomed (default), icd10se, kva, atc, ni or a code system URI. Predicates:
skos:exactMatch (default), skos:closeMatch, skos:broadMatch, skos:narrowMatch, skos:relatedMatch.
)";

int64_t parseId(const std::string& s) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0)
    throw UsageError("'" + s + "' is not a mapping id");
  return id;
}

double parseScore(const std::string& s, const std::string& option) {
  try {
    size_t used = 0;
    const double d = std::stod(s, &used);
    if (used == s.size() && d >= 0 && d <= 1) return d;
  } catch (const std::exception&) {
  }
  throw UsageError(option + " must be a number between 0 and 1");
}

std::string toJson(const std::function<void(JsonWriter&)>& f) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  f(w);
  return std::string(buf.GetString(), buf.GetSize());
}

void printMapping(const Mapping& m) {
  std::cout << std::setw(5) << m.id << "  " << std::left << std::setw(9) << m.status << " "
            << std::setw(18) << m.predicate << std::right << " " << m.subject.key();
  if (!m.subject_label.empty()) std::cout << " \"" << m.subject_label << "\"";
  std::cout << " -> ";
  if (m.isNoMatch())
    std::cout << "(no match in " << m.system << ")";
  else
    std::cout << m.concept_id << " \"" << m.concept_label << "\"";
  if (m.confidence) std::cout << " score " << std::fixed << std::setprecision(2) << *m.confidence;
  std::cout.unsetf(std::ios::fixed);
  if (!m.author.empty()) std::cout << " by " << m.author;
  if (!m.reviewer.empty()) std::cout << ", reviewed by " << m.reviewer;
  if (!m.flag.empty()) std::cout << "\n       ! " << m.flag_detail;
  std::cout << "\n";
}

void printPage(const MappingPage& page, bool asJson) {
  if (asJson) {
    ExportContext ctx;
    std::cout << toJson([&](JsonWriter& w) {
      w.StartObject();
      w.Key("total");
      w.Int(page.total);
      w.Key("mappings");
      w.StartArray();
      for (const auto& m : page.items) writeMapping(w, m, ctx);
      w.EndArray();
      w.EndObject();
    }) << "\n";
    return;
  }
  for (const auto& m : page.items) printMapping(m);
  std::cout << page.items.size() << " of " << page.total << " mappings\n";
}

void printBulk(const BulkResult& r) {
  std::cout << r.changed.size() << " changed";
  if (!r.skipped.empty()) std::cout << ", " << r.skipped.size() << " skipped";
  std::cout << "\n";
  for (const auto& s : r.skipped) std::cout << "  skipped " << s << "\n";
}

std::vector<int64_t> ids(const Args& a, size_t from) {
  std::vector<int64_t> out;
  for (size_t i = from; i < a.positional.size(); ++i) out.push_back(parseId(a.positional[i]));
  if (out.empty()) throw UsageError("name at least one mapping id");
  return out;
}

const char* kSuggestHelp =
    R"(Usage: regcat suggest --register ID [--dataset D] [--limit N] [--system SYS]
                      [--codes] [--json] [--save [--min-score X]] [--db FILE]

Ranks candidate concepts for every current variable of a register (or one dataset), from the
variable's label, definition, question, code labels, unit and datatype, and from what approved
mappings in the catalogue already say. Inactive concepts are never suggested; their
replacements are.

  --register ID     the register (required)
  --dataset D       only this dataset
  --limit N         suggestions per variable (default 3)
  --system SYS      snomed (default), icd10se, kva, atc, ni or a code system URI
  --codes           also suggest concepts for each code of the variables' code lists
  --json            print JSON
  --save            store the suggestions as status "suggested" mappings for curation
  --min-score X     with --save: only suggestions scoring at least X (default 0)
)";

}  // namespace

int cmdSuggest(const std::vector<std::string>& argv) {
  Args a = parse(argv, {"json", "codes", "save"},
                 {"db", "actor", "register", "dataset", "limit", "system", "min-score"});
  if (a.has("help") || !a.has("register")) {
    std::cout << kSuggestHelp;
    return a.has("help") ? 0 : 2;
  }
  const int limit = std::stoi(a.get("limit", "3"));
  if (limit < 1 || limit > 100) throw UsageError("--limit must be between 1 and 100");
  Store store(dbPath(a));
  Terminology terminology(store);
  MappingStore mappings(store, terminology);
  const std::string system = systemUri(a.get("system", "snomed"));
  auto release = terminology.release(system);
  if (!release) throw notFound("--system", "no release of " + system + " is loaded");
  const auto started = std::chrono::steady_clock::now();
  const Suggester suggester(store, *release);
  const auto all = suggestForRegister(store, suggester, a.get("register"), a.get("dataset"), limit,
                                      a.has("codes"), approvedPriors(mappings, system));
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (a.has("save")) {
    const double minScore = a.has("min-score") ? parseScore(a.get("min-score"), "--min-score") : 0;
    const std::vector<Mapping> rows = suggestionMappings(all, system, release->version, minScore);
    const int saved = mappings.saveSuggestions(rows, actorOf(a));
    std::cerr << "saved " << saved << " of " << rows.size()
              << " suggestions as status 'suggested' (the others were there already)\n";
  }
  if (a.has("json")) {
    std::cout << toJson([&](JsonWriter& w) {
      w.StartObject();
      w.Key("register");
      writeString(w, a.get("register"));
      w.Key("system");
      writeString(w, system);
      w.Key("release");
      writeString(w, release->version);
      w.Key("variables");
      w.StartArray();
      for (const auto& vs : all) {
        w.StartObject();
        w.Key("variable");
        writeString(w, vs.variable.key());
        w.Key("label");
        writeString(w, vs.variable.label.sv);
        w.Key("suggestions");
        w.StartArray();
        for (const auto& x : vs.suggestions) writeSuggestion(w, x);
        w.EndArray();
        if (a.has("codes")) {
          w.Key("codes");
          w.StartObject();
          for (const auto& [code, list] : vs.codes) {
            w.Key(code.c_str(), rapidjson::SizeType(code.size()));
            w.StartArray();
            for (const auto& x : list) writeSuggestion(w, x);
            w.EndArray();
          }
          w.EndObject();
        }
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }) << "\n";
  } else {
    for (const auto& vs : all) {
      std::cout << vs.variable.key() << " \"" << vs.variable.label.sv << "\"\n";
      if (vs.suggestions.empty()) std::cout << "    (no suggestion)\n";
      for (const auto& x : vs.suggestions)
        std::cout << "    " << std::fixed << std::setprecision(2) << x.score << "  " << x.concept_id
                  << "  " << x.term << (x.semantic_tag.empty() ? "" : " (" + x.semantic_tag + ")")
                  << "\n";
      for (const auto& [code, list] : vs.codes) {
        std::cout << "    #" << code << ":";
        if (list.empty()) std::cout << " (no suggestion)";
        if (!list.empty())
          std::cout << " " << std::fixed << std::setprecision(2) << list[0].score << "  "
                    << list[0].concept_id << "  " << list[0].term;
        std::cout << "\n";
      }
    }
    std::cout.unsetf(std::ios::fixed);
  }
  std::cerr << all.size() << " variables in " << secs << " s\n";
  return 0;
}

int cmdMapping(const std::vector<std::string>& argv) {
  Args a = parse(argv, {"json", "flagged"},
                 {"db", "actor", "register", "dataset", "status", "system", "predicate", "comment",
                  "confidence", "concept", "min-score", "limit", "offset"});
  if (a.has("help") || a.positional.empty()) {
    std::cout << kMappingHelp;
    return a.has("help") ? 0 : 2;
  }
  const std::string sub = a.positional[0];
  const std::string actor = actorOf(a);
  Store store(dbPath(a));
  Terminology terminology(store);
  MappingStore mappings(store, terminology);
  const bool asJson = a.has("json");
  ExportContext ctx;
  if (sub == "list") {
    MappingQuery q;
    q.register_id = a.get("register");
    q.dataset_id = a.get("dataset");
    q.status = a.get("status");
    q.system = a.get("system");
    q.flagged_only = a.has("flagged");
    q.limit = std::stoi(a.get("limit", "-1"));
    q.offset = std::stoi(a.get("offset", "0"));
    printPage(mappings.list(q), asJson);
    return 0;
  }
  if (sub == "queue") {
    printPage(mappings.reviewQueue(std::stoi(a.get("limit", "1000")), 0), asJson);
    return 0;
  }
  if (sub == "show") {
    if (a.positional.size() != 2) throw UsageError("expected 'regcat mapping show ID'");
    const int64_t id = parseId(a.positional[1]);
    auto m = mappings.get(id);
    const auto history = mappings.history(id);
    if (!m && history.empty()) throw notFound("ID", "mapping " + a.positional[1] + " not found");
    if (asJson) {
      std::cout << toJson([&](JsonWriter& w) {
        w.StartObject();
        w.Key("mapping");
        if (m)
          writeMapping(w, *m, ctx);
        else
          w.Null();
        w.Key("history");
        w.StartArray();
        for (const auto& c : history) writeMappingChange(w, c, ctx);
        w.EndArray();
        w.EndObject();
      }) << "\n";
      return 0;
    }
    if (m)
      printMapping(*m);
    else
      std::cout << "mapping " << id << " was deleted\n";
    for (const auto& c : history)
      std::cout << "  r" << c.revision << " " << c.at << " " << c.action << " by " << c.actor
                << ": " << c.state.status << " " << c.state.predicate << " " << c.state.concept_id
                << (c.state.review_comment.empty() ? "" : " — ") << c.state.review_comment << "\n";
    return 0;
  }
  if (sub == "add") {
    if (a.positional.size() != 3) throw UsageError("expected 'regcat mapping add SUBJECT CONCEPT'");
    auto subj = MappingSubject::parse(a.positional[1]);
    if (!subj) throw UsageError("'" + a.positional[1] + "' is not register/dataset/name[#code]");
    Mapping m;
    m.subject = *subj;
    m.concept_id = a.positional[2];
    m.system = a.get("system", "snomed");
    m.predicate = a.get("predicate", m.predicate);
    m.status = a.get("status", "proposed");
    m.comment = a.get("comment");
    if (a.has("confidence")) m.confidence = parseScore(a.get("confidence"), "--confidence");
    m = mappings.create(m, actor);
    if (asJson)
      std::cout << toJson([&](JsonWriter& w) { writeMapping(w, m, ctx); }) << "\n";
    else
      printMapping(m);
    return 0;
  }
  if (sub == "update") {
    if (a.positional.size() != 2) throw UsageError("expected 'regcat mapping update ID'");
    MappingUpdate u;
    if (a.has("concept")) u.concept_id = a.get("concept");
    if (a.has("system")) u.system = a.get("system");
    if (a.has("predicate")) u.predicate = a.get("predicate");
    if (a.has("comment")) u.comment = a.get("comment");
    if (a.has("status")) u.status = a.get("status");
    if (a.has("confidence")) u.confidence = parseScore(a.get("confidence"), "--confidence");
    printMapping(mappings.update(parseId(a.positional[1]), u, actor));
    return 0;
  }
  if (sub == "review") {
    if (a.positional.size() != 3)
      throw UsageError("expected 'regcat mapping review ID approve|reject'");
    printMapping(
        mappings.review(parseId(a.positional[1]), a.positional[2], a.get("comment"), actor));
    return 0;
  }
  if (sub == "approve" || sub == "reject") {
    printBulk(mappings.reviewMany(ids(a, 1), sub, a.get("comment"), actor));
    return 0;
  }
  if (sub == "promote") {
    if (!a.has("min-score")) throw UsageError("--min-score X is required");
    MappingQuery q;
    q.register_id = a.get("register");
    q.dataset_id = a.get("dataset");
    q.system = a.get("system");
    printBulk(mappings.promoteSuggestions(q, parseScore(a.get("min-score"), "--min-score"), actor));
    return 0;
  }
  if (sub == "no-match") {
    std::vector<std::string> subjects(a.positional.begin() + 1, a.positional.end());
    if (subjects.empty()) throw UsageError("name at least one variable or code");
    printBulk(mappings.noMatch(subjects, a.get("system", "snomed"), a.get("comment"), actor));
    return 0;
  }
  if (sub == "delete") {
    if (a.positional.size() != 2) throw UsageError("expected 'regcat mapping delete ID'");
    mappings.remove(parseId(a.positional[1]), actor);
    std::cout << "deleted mapping " << a.positional[1] << " (its history is kept)\n";
    return 0;
  }
  if (sub == "check-releases") {
    const auto flagged = mappings.checkReleases(actor);
    for (const auto& f : flagged)
      std::cout << "flagged " << f.id << " " << f.subject << ": " << f.detail << "\n";
    std::cout << flagged.size() << " mappings newly flagged\n";
    return 0;
  }
  if (sub == "four-eyes") {
    if (a.positional.size() == 2) {
      if (a.positional[1] != "on" && a.positional[1] != "off")
        throw UsageError("four-eyes takes on or off");
      mappings.setFourEyes(a.positional[1] == "on");
    }
    std::cout << "four-eyes review: " << (mappings.fourEyes() ? "on" : "off") << "\n";
    return 0;
  }
  throw UsageError("unknown mapping command '" + sub + "'");
}

int cmdImportSssom(const Args& a) {
  const SourceFile src = readSourceFile(a.positional[1]);
  const std::string status = a.get("status", "proposed");
  if (status != "proposed" && status != "approved")
    throw UsageError("--status must be proposed or approved");
  const SssomDocument doc = parseSssom(src.bytes, src.name);
  SssomResolveOptions opt;
  opt.base_uri = a.get("base-uri", opt.base_uri);
  opt.default_status = status;
  const SssomResolution res = resolveSssom(doc, opt);
  if (!res.problems.empty()) {
    for (const auto& p : res.problems) std::cerr << p.describe() << "\n";
    throw invalid(src.name, std::to_string(res.problems.size()) +
                                " rows cannot be imported; nothing was written");
  }
  std::vector<Mapping> rows;
  std::vector<std::string> where;
  for (const auto& m : res.mappings) {
    rows.push_back(m.mapping);
    where.push_back(src.name + ":" + std::to_string(m.line));
  }
  Store store(dbPath(a));
  Terminology terminology(store);
  MappingStore mappings(store, terminology);
  const auto r = mappings.importMappings(rows, where, actorOf(a), "sssom", src.name);
  std::cout << src.name << ": " << rows.size() << " mappings: " << r.created << " created, "
            << r.updated << " updated, " << r.unchanged << " unchanged\n";
  if (r.held_for_review)
    std::cout << r.held_for_review
              << " approved rows name no reviewer other than their author and were stored as "
                 "proposed (four-eyes review is on)\n";
  return 0;
}

int cmdExportMappings(const Args& a) {
  const std::string format = a.positional[0];
  const std::string reg = a.get("register");
  Store store(dbPath(a));
  if (!reg.empty() && !store.getRegister(reg))
    throw notFound("--register", "register '" + reg + "' not found");
  Terminology terminology(store);
  MappingStore mappings(store, terminology);
  MappingQuery q;
  q.register_id = reg;
  q.limit = -1;
  const auto all = mappings.list(q).items;
  const std::string base = a.get("base-uri", "http://localhost:8080");
  if (format == "fhir-conceptmap") {
    if (reg.empty()) throw UsageError("--register ID is required for fhir-conceptmap");
    ConceptMapOptions opt;
    opt.base_uri = base;
    opt.register_id = reg;
    opt.register_name = store.getRegister(reg)->name.sv;
    writeOutput(a, conceptMapJson(all, opt));
    return 0;
  }
  SssomWriteOptions opt;
  opt.base_uri = base;
  opt.register_id = reg;
  if (a.has("status")) {
    opt.statuses.clear();
    std::stringstream ss(a.get("status"));
    for (std::string st; std::getline(ss, st, ',');) {
      if (!isValidMappingStatus(st)) throw UsageError("'" + st + "' is not a mapping status");
      opt.statuses.push_back(st);
    }
  }
  std::ostringstream out;
  const size_t n = writeSssom(out, all, opt);
  writeOutput(a, out.str());
  if (a.has("output")) std::cerr << n << " mappings written to " << a.get("output") << "\n";
  return 0;
}

}  // namespace regcat::cli
