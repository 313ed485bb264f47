// Harmonisation matrix benchmark (issue 6): generates a catalogue of R registers x V variables
// (3 datasets each) bound to a SNOMED CT release by approved variable-level mappings, then times
// the matrix in process and over HTTP against same-run SQL baselines. One JSON object per
// measurement on stdout.
// Usage: matrix_bench DB [--registers R] [--variables V] [--repetitions N] [--rf2 DIR]
//                        [--seed S] [--codelists N] [--codelist-items M] [--bind-share F]
//                        [--generate-only]
//   DB is created when it holds no register; an existing catalogue is measured as it is (so a
//   generated database can be kept and re-measured while optimising).
//   --rf2: the release to load (default: the demo release in data/terminology/snomed-demo).
//   --codelists N --codelist-items M: N more code lists (spread over the registers) holding M
//   items in all, used by the administrative variables (bench/run's national catalogue: 15,000
//   lists with 200,000 items). --bind-share: the share of variables bound to a concept (0.7).
//   --generate-only: generate the catalogue (when DB holds no register) and stop.
#include <SQLiteCpp/SQLiteCpp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "catalog/store.h"
#include "exporters/harmonisation_export.h"
#include "importers/rf2_importer.h"
#include "mapping/harmonisation_matrix.h"
#include "mapping/mapping.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"
#include "web/server.h"

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

double cpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Wall time is what a user waits for; CPU time of the whole process (the server's threads
// included, the client's share is small) is reported too because the benchmark machines are
// shared: with other work running, wall time is often twice the CPU time.
struct Timing {
  double first = 0, p50 = 0, p90 = 0, cpu50 = 0;
};

// The first call is reported apart: it pays for the hierarchy and any cache the code keeps.
// `before` runs ahead of each call, untimed.
Timing timeIt(int repetitions, const std::function<void()>& fn,
              const std::function<void()>& before = {}) {
  std::vector<double> ms, cpu;
  Timing t;
  for (int i = 0; i <= repetitions; ++i) {
    if (before) before();
    const double c = cpuMs();
    const auto s = Clock::now();
    fn();
    const double d = msSince(s);
    if (i == 0) {
      t.first = d;
    } else {
      ms.push_back(d);
      cpu.push_back(cpuMs() - c);
    }
  }
  t.p50 = percentile(ms, 0.5);
  t.p90 = percentile(ms, 0.9);
  t.cpu50 = percentile(cpu, 0.5);
  return t;
}

void report(const std::string& name, const Timing& t, const std::string& extra = "") {
  std::printf(
      "{\"bench\":\"%s\",\"first_ms\":%.2f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,"
      "\"cpu_p50_ms\":%.2f%s}\n",
      name.c_str(), t.first, t.p50, t.p90, t.cpu50, extra.c_str());
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------------------------
// Generation

// Concepts many registers record (demo release ids), with the share of registers given a
// variable for each. The shares are an assumption, not a measurement: sex and blood pressure
// nearly everywhere, smoking and body measures in most, laboratory values in some.
struct Common {
  const char* code;
  double share;
};
const Common kCommon[] = {
    {"30809999999100", 0.95},  // Sex
    {"30019999999107", 0.85},  // Systolic blood pressure
    {"30029999999100", 0.80},  // Diastolic blood pressure
    {"30719999999109", 0.75},  // Tobacco smoking behaviour
    {"30119999999108", 0.70},  // Body weight
    {"30129999999101", 0.65},  // Body height
    {"30619999999102", 0.60},  // Date of death
    {"11109999999108", 0.50},  // Diabetes mellitus
    {"30139999999104", 0.45},  // Body mass index
    {"10309999999101", 0.40},  // Hypertensive disorder
    {"30219999999104", 0.35},  // HbA1c
    {"30279999999105", 0.35},  // Creatinine
    {"10219999999105", 0.35},  // Atrial fibrillation
    {"30039999999103", 0.30},  // Heart rate
    {"30439999999109", 0.30},  // EQ-5D index value
    {"20019999999109", 0.25},  // History of myocardial infarction
    {"20029999999102", 0.25},  // History of stroke
    {"30299999999109", 0.20},  // eGFR
};
// Top-level hierarchies variables are bound in (demo ids): clinical finding, situation,
// observable entity, procedure.
const char* kBindable[] = {"1009999999109", "1019999999106", "1029999999104", "1039999999102"};
// The topic of measurement (b): observable entity, whose children (blood pressure, body measure,
// laboratory test observable, assessment scale score, ...) group most common variables.
const char* kDemoTopic = "1029999999104";

const char* kRegions[] = {
    "Region Stockholm", "Västra Götalandsregionen", "Region Skåne",          "Region Östergötland",
    "Region Uppsala",   "Region Västerbotten",      "Region Jönköpings län", "Region Örebro län",
    "Region Halland",   "Region Dalarna",           "Region Gävleborg",      "Region Kalmar län"};

struct Extra {
  int codelists = 0, items = 0;
  double bindShare = 0.7;
};

struct Generated {
  int variables = 0, bound = 0, exact = 0, close = 0, noise = 0, concepts = 0, codelists = 0,
      items = 0;
  double catalogueS = 0, mappingsS = 0, rf2S = 0;
};

std::string unitFor(const std::string& code) {
  static const std::map<std::string, std::string> units = {
      {"30019999999107", "mm[Hg]"}, {"30029999999100", "mm[Hg]"}, {"30119999999108", "kg"},
      {"30129999999101", "cm"},     {"30139999999104", "kg/m2"},  {"30219999999104", "mmol/mol"},
      {"30279999999105", "umol/L"}, {"30039999999103", "/min"},   {"30299999999109", "mL/min"}};
  auto it = units.find(code);
  return it == units.end() ? "" : it->second;
}

Generated generate(regcat::Store& store, const std::string& rf2, int nRegisters, int nVariables,
                   unsigned long seed, const Extra& extra) {
  Generated g;
  regcat::WriteContext ctx;
  ctx.actor = "bench";
  ctx.format = "generated";
  auto t = Clock::now();
  regcat::importRf2(store, rf2, ctx);
  g.rf2S = msSince(t) / 1000;

  regcat::Terminology term(store);
  auto rel = term.release(regcat::kSnomedSystem);
  if (!rel) throw std::runtime_error("no SNOMED CT release loaded from " + rf2);
  auto h = term.hierarchy(*rel);

  // The pool of bindable concepts: active descendants of the bindable top levels (or of the
  // root when the release is not the demo one).
  std::vector<regcat::Hierarchy::Index> pool;
  {
    std::set<regcat::Hierarchy::Index> seen;
    std::vector<regcat::Hierarchy::Index> tops;
    for (const char* c : kBindable)
      if (auto i = h->index(c); i != regcat::Hierarchy::kNone) tops.push_back(i);
    if (tops.empty()) tops.push_back(h->index("138875005"));
    for (auto top : tops)
      for (auto d : h->descendants(top))
        if (h->active(d) && seen.insert(d).second) pool.push_back(d);
    std::sort(pool.begin(), pool.end());
  }
  if (pool.empty()) throw std::runtime_error("no bindable concepts in the release");
  std::mt19937_64 rng(seed);
  std::shuffle(pool.begin(), pool.end(), rng);
  std::vector<std::string> common;
  std::vector<double> commonShare;
  for (const auto& c : kCommon)
    if (auto i = h->index(c.code); i != regcat::Hierarchy::kNone && h->active(i)) {
      common.push_back(c.code);
      commonShare.push_back(c.share);
    }
  if (common.size() < 5)  // not the demo release: the first concepts of the shuffled pool
    for (size_t k = 0; k < 15 && k < pool.size(); ++k) {
      common.push_back(h->code(pool[k]));
      commonShare.push_back(0.9 - 0.05 * double(k));
    }
  // The long tail: Zipf over the shuffled pool, so a few concepts are frequent and most rare.
  // Variables are bound to specific concepts, not to "Disease" or "Procedure": the tail leaves
  // out concepts with many descendants.
  std::vector<regcat::Hierarchy::Index> specific;
  for (auto c : pool)
    if (h->descendants(c).size() <= 12) specific.push_back(c);
  std::vector<double> zipf(specific.size());
  for (size_t r = 0; r < specific.size(); ++r) zipf[r] = 1.0 / double(r + 5);
  std::discrete_distribution<size_t> tail(zipf.begin(), zipf.end());
  // Specialties: the specific concepts of a subtree of 3-40 (heart disease, diabetes, hip
  // procedures, ...); a register covers much of one of them.
  const std::set<regcat::Hierarchy::Index> isSpecific(specific.begin(), specific.end());
  std::vector<std::vector<regcat::Hierarchy::Index>> specialties;
  for (auto c : pool) {
    auto d = h->descendants(c);
    if (d.size() < 3 || d.size() > 40) continue;
    d.push_back(c);
    std::erase_if(d, [&](auto i) { return !isSpecific.count(i); });
    if (d.size() >= 3) specialties.push_back(std::move(d));
  }
  if (specialties.empty()) specialties.push_back(specific);
  std::map<std::string, regcat::ConceptSummary> labels;
  auto label = [&](const std::string& code) -> const regcat::ConceptSummary& {
    auto it = labels.find(code);
    if (it == labels.end()) it = labels.emplace(code, *term.summary(*rel, code)).first;
    return it->second;
  };
  std::uniform_real_distribution<double> u(0, 1);
  // Variables bound to a descendant of a common concept instead of the concept itself (type 2
  // diabetes rather than diabetes) so that topic rows and subsumption get exercised.
  auto refine = [&](const std::string& code) {
    auto kids = h->descendants(h->index(code));
    std::erase_if(kids, [&](auto i) { return !h->active(i); });
    if (kids.empty() || u(rng) >= 0.2) return code;
    return h->code(kids[rng() % kids.size()]);
  };

  regcat::CatalogDocument doc;
  struct Bind {
    std::string reg, ds, name, concept_id, predicate, status;
  };
  std::vector<Bind> binds;
  const int perDataset = (nVariables + 2) / 3;
  const char* dsIds[] = {"grund", "uppfoljning1", "uppfoljning2"};
  const char* dsNames[] = {"Grunddata", "Uppföljning 1 år", "Uppföljning 5 år"};
  for (int r = 0; r < nRegisters; ++r) {
    char id[32];
    std::snprintf(id, sizeof id, "reg%03d", r + 1);
    regcat::RegisterDocument rd;
    rd.reg.id = id;
    rd.reg.name = {"Nationellt kvalitetsregister " + std::to_string(r + 1),
                   "National quality register " + std::to_string(r + 1)};
    rd.reg.cpua.name = kRegions[size_t(r) % std::size(kRegions)];
    rd.reg.holds_personnummer = true;
    regcat::CodeList kon;
    kon.id = std::string(id) + ".kon";
    kon.register_id = id;
    kon.name = {"Kön", "Sex"};
    kon.items = {{"1", {"Man", "Male"}, false, "", ""}, {"2", {"Kvinna", "Female"}, false, "", ""}};
    rd.codelists.push_back(kon);
    // Extra code lists: list k gets the items of an even spread of the total, paired lists
    // trading up to 10 items so sizes run from about 3 to 24 while the total stays exact.
    std::vector<std::string> extraLists;
    if (extra.codelists > 0) {
      const int lists = extra.codelists / nRegisters + (r < extra.codelists % nRegisters ? 1 : 0);
      const int first =
          r * (extra.codelists / nRegisters) + std::min(r, extra.codelists % nRegisters);
      for (int j = 0; j < lists; ++j) {
        const int64_t k = first + j, L = extra.codelists, T = extra.items;
        auto even = [&](int64_t i) { return int(T * (i + 1) / L - T * i / L); };
        int n = even(k);
        const int trade = int((k / 2) % 11);
        if (k % 2 == 0 && k + 1 < L) n += trade;
        if (k % 2 == 1) n -= trade;
        n = std::max(n, 1);
        regcat::CodeList cl;
        cl.id = std::string(id) + ".cl" + std::to_string(j + 1);
        cl.register_id = id;
        cl.name = {"Kodlista " + std::to_string(k + 1), "Code list " + std::to_string(k + 1)};
        for (int i = 1; i <= n; ++i) {
          regcat::CodeItem item;
          const bool missing = i == n && n > 2;
          item.code = missing ? "99" : std::to_string(i);
          item.label = {missing
                            ? std::string("Uppgift saknas")
                            : "Kategori " + std::to_string(i) + " i lista " + std::to_string(k + 1),
                        missing ? std::string("Unknown") : "Category " + std::to_string(i)};
          item.is_missing = missing;
          cl.items.push_back(std::move(item));
        }
        g.items += n;
        ++g.codelists;
        extraLists.push_back(cl.id);
        rd.codelists.push_back(std::move(cl));
      }
    }
    int admin = 0;
    // The register's distinct concepts: the common ones it records, most of a specialty
    // subtree and a Zipf-drawn tail (the most frequent lands in about 65% of registers, the
    // 100th in 5%). Baseline and follow-up datasets then bind their variables to these, so a
    // concept has several variables per register (date, side and type of a hip replacement;
    // weight at baseline and at one year).
    std::vector<std::string> mine;
    std::set<std::string> have;
    auto add = [&](const std::string& c) {
      if (have.insert(c).second) mine.push_back(c);
    };
    for (size_t k = 0; k < common.size(); ++k)
      if (u(rng) < commonShare[k]) add(refine(common[k]));
    for (auto c : specialties[rng() % specialties.size()])
      if (u(rng) < 0.6) add(h->code(c));
    for (int k = 0; k < 20; ++k) add(h->code(specific[tail(rng)]));
    int made = 0;
    size_t next = 0;
    for (int d = 0; d < 3 && made < nVariables; ++d) {
      regcat::Dataset ds;
      ds.register_id = id;
      ds.id = dsIds[d];
      ds.name = {dsNames[d], ""};
      rd.datasets.push_back(ds);
      for (int p = 0; p < perDataset && made < nVariables; ++p, ++made) {
        std::string concept_id;
        if (u(rng) < extra.bindShare)  // each of the register's concepts once, then repeats
          concept_id = next < mine.size() ? mine[next++] : mine[rng() % mine.size()];
        regcat::Variable v;
        v.register_id = id;
        v.dataset_id = ds.id;
        v.valid_from = "2015-01-01";
        v.source = "care-record";
        if (concept_id.empty()) {
          v.name = "admin_" + std::to_string(made);
          v.label = {"Administrativ uppgift " + std::to_string(made),
                     "Administrative item " + std::to_string(made)};
          v.datatype = made % 2 ? "string" : "date";
          if (!extraLists.empty() && admin++ % 2 == 0) {
            v.datatype = "code";
            v.codelist = extraLists[size_t(admin / 2) % extraLists.size()];
          }
          v.category = "administrative";
          if (u(rng) < 0.05) {  // a suggestion nobody has reviewed: must not show
            binds.push_back(
                {id, ds.id, v.name, h->code(specific[tail(rng)]), "skos:exactMatch", "proposed"});
            ++g.noise;
          }
        } else {
          const auto& s = label(concept_id);
          v.name = "var_" + std::to_string(made);
          v.label = {s.display("sv") + " (" + dsNames[d] + ")", s.display("en")};
          if (concept_id == "30809999999100") {
            v.datatype = "code";
            v.codelist = kon.id;
          } else if (s.semantic_tag == "observable entity") {
            v.unit = unitFor(concept_id);
            v.datatype = v.unit.empty() ? "integer" : "decimal";
          } else if (s.semantic_tag == "procedure") {
            v.datatype = "date";
          } else {
            v.datatype = "boolean";
          }
          v.category = d == 0 ? "background" : "outcome";
          const bool exact = u(rng) < 0.85;
          binds.push_back({id, ds.id, v.name, concept_id,
                           exact ? "skos:exactMatch" : "skos:closeMatch", "approved"});
          ++g.bound;
          ++(exact ? g.exact : g.close);
        }
        rd.variables.push_back(std::move(v));
        ++g.variables;
      }
    }
    doc.registers.push_back(std::move(rd));
  }
  t = Clock::now();
  store.applyImport(doc, {}, ctx);
  g.catalogueS = msSince(t) / 1000;

  std::set<std::string> concepts;
  std::vector<regcat::Mapping> rows;
  rows.reserve(binds.size());
  for (const auto& b : binds) {
    regcat::Mapping m;
    m.subject = {b.reg, b.ds, b.name, ""};
    m.system = regcat::kSnomedSystem;
    m.concept_id = b.concept_id;
    m.predicate = b.predicate;
    m.status = b.status;
    m.author = "bench-kurator";
    if (b.status == "approved") {
      m.reviewer = "bench-granskare";
      concepts.insert(b.concept_id);
    }
    rows.push_back(std::move(m));
  }
  g.concepts = int(concepts.size());
  t = Clock::now();
  regcat::MappingStore ms(store, term);
  ms.importMappings(rows, {}, "bench", "generated", "matrix_bench");
  g.mappingsS = msSince(t) / 1000;
  return g;
}

// ---------------------------------------------------------------------------------------------
// A plain HTTP/1.1 client: one connection per request, as a browser's first load would be.
// ttfbMs: time to the first byte of the answer, i.e. the server's work before it starts sending
// (the matrix and its JSON); the rest is the transfer.

std::string httpGet(uint16_t port, const std::string& target, int* status, double* ttfbMs) {
  const auto start = Clock::now();
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("connect failed");
  }
  const std::string req =
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (send(fd, req.data(), req.size(), MSG_NOSIGNAL) != ssize_t(req.size())) {
    close(fd);
    throw std::runtime_error("send failed");
  }
  // Read the head, then exactly Content-Length bytes (Pistache may keep the socket open).
  std::string raw;
  size_t headEnd = std::string::npos, need = std::string::npos;
  char buf[65536];
  for (;;) {
    if (headEnd == std::string::npos && (headEnd = raw.find("\r\n\r\n")) != std::string::npos) {
      std::string head = raw.substr(0, headEnd);
      for (auto& c : head) c = char(std::tolower(static_cast<unsigned char>(c)));
      const auto cl = head.find("content-length:");
      if (cl != std::string::npos)
        need = headEnd + 4 + std::stoul(head.substr(cl + 15, head.find("\r\n", cl) - cl - 15));
    }
    if (need != std::string::npos && raw.size() >= need) break;
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    if (raw.empty()) *ttfbMs = msSince(start);
    raw.append(buf, size_t(n));
  }
  close(fd);
  if (headEnd == std::string::npos) throw std::runtime_error("no response to " + target);
  *status = std::atoi(raw.c_str() + 9);
  return raw.substr(headEnd + 4);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: matrix_bench DB [--registers R] [--variables V] [--repetitions N] "
                 "[--rf2 DIR] [--seed S] [--codelists N] [--codelist-items M] "
                 "[--bind-share F] [--generate-only]\n");
    return 2;
  }
  const std::string path = argv[1];
  int nRegisters = 150, nVariables = 300, reps = 30;
  Extra extra;
  bool generateOnly = false;
  unsigned long seed = 6;
  std::string rf2 = std::string(REGCAT_SOURCE_DIR) + "/data/terminology/snomed-demo";
  for (int i = 2; i < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--generate-only") {  // the only option without a value
      generateOnly = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) break;
    if (a == "--registers")
      nRegisters = std::atoi(argv[i + 1]);
    else if (a == "--variables")
      nVariables = std::atoi(argv[i + 1]);
    else if (a == "--repetitions")
      reps = std::atoi(argv[i + 1]);
    else if (a == "--rf2")
      rf2 = argv[i + 1];
    else if (a == "--seed")
      seed = std::strtoul(argv[i + 1], nullptr, 10);
    else if (a == "--codelists")
      extra.codelists = std::atoi(argv[i + 1]);
    else if (a == "--codelist-items")
      extra.items = std::atoi(argv[i + 1]);
    else if (a == "--bind-share")
      extra.bindShare = std::atof(argv[i + 1]);
  }

  try {
    regcat::Store store(path);
    if (store.listRegisters().empty()) {
      const Generated g = generate(store, rf2, nRegisters, nVariables, seed, extra);
      std::printf(
          "{\"bench\":\"matrix_dataset\",\"registers\":%d,\"variables\":%d,\"bound\":%d,"
          "\"exact\":%d,\"close\":%d,\"unreviewed_noise\":%d,\"distinct_concepts\":%d,"
          "\"codelists\":%d,\"codelist_items\":%d,"
          "\"rf2_load_s\":%.2f,\"catalogue_import_s\":%.2f,\"mapping_import_s\":%.2f}\n",
          nRegisters, g.variables, g.bound, g.exact, g.close, g.noise, g.concepts,
          g.codelists + nRegisters, g.items + 2 * nRegisters, g.rf2S, g.catalogueS, g.mappingsS);
      std::fflush(stdout);
    }
    if (generateOnly) return 0;

    // Same-run baselines: the cheapest question about the mappings, and one full read of the
    // join the matrix needs (every approved variable binding with its variable's current
    // version), which any implementation that reads from SQL per request pays at least.
    int64_t mappings = 0;
    const Timing count = timeIt(reps, [&] {
      store.read([&](SQLite::Database& db) {
        mappings = db.execAndGet("SELECT count(*) FROM mapping").getInt64();
      });
    });
    report("baseline_count_mappings", count, ",\"mappings\":" + std::to_string(mappings));
    size_t joined = 0;
    const Timing scan = timeIt(reps, [&] {
      store.read([&](SQLite::Database& db) {
        SQLite::Statement s(db,
                            "SELECT v.register_id, v.dataset_id, v.name, vv.label_sv, "
                            "vv.datatype, vv.unit, m.concept_id, m.predicate FROM mapping m "
                            "JOIN variable v ON v.id = m.variable_id JOIN variable_version vv "
                            "ON vv.variable_id = v.id AND vv.version = v.current_version WHERE "
                            "m.status = 'approved' AND m.code = '' AND m.system = ? AND "
                            "vv.valid_to = ''");
        s.bind(1, regcat::kSnomedSystem);
        std::vector<std::string> cells;
        while (s.executeStep())
          for (int c = 0; c < 8; ++c) cells.push_back(s.getColumn(c).getString());
        joined = cells.size() / 8;
      });
    });
    report("baseline_full_join_read", scan, ",\"rows\":" + std::to_string(joined));

    regcat::Terminology term(store);
    auto run = [&](const char* name, regcat::MatrixQuery q, bool csv = false) {
      regcat::Matrix m;
      size_t bytes = 0;
      const Timing t = timeIt(reps, [&] {
        m = regcat::harmonisationMatrix(store, term, q);
        if (csv) bytes = regcat::matrixCsv(m).size();
      });
      char extra[256];
      std::snprintf(extra, sizeof extra,
                    ",\"columns\":%zu,\"total_rows\":%d,\"rows\":%zu,\"csv_bytes\":%zu,"
                    "\"ratio_p50_to_full_join\":%.2f",
                    m.columns.size(), m.total_rows, m.rows.size(), bytes, t.p50 / scan.p50);
      report(name, t, extra);
      return m;
    };
    regcat::MatrixQuery all;
    all.limit = 50;
    run("matrix_first_page_all_registers", all);
    // The same page serialised as the API does (web/api_linkage.cpp), to tell the matrix, the
    // JSON and the transfer apart in the HTTP figure.
    {
      size_t bytes = 0;
      const Timing t = timeIt(reps, [&] {
        const regcat::Matrix m = regcat::harmonisationMatrix(store, term, all);
        rapidjson::StringBuffer buf;
        regcat::JsonWriter w(buf);
        regcat::writeMatrix(w, m);
        bytes = buf.GetSize();
      });
      char extra[128];
      std::snprintf(extra, sizeof extra, ",\"json_bytes\":%zu,\"ratio_p50_to_full_join\":%.2f",
                    bytes, t.p50 / scan.p50);
      report("matrix_first_page_all_registers_with_json", t, extra);
    }
    // The first page right after a mapping changed (one reviewed mapping gets a new comment,
    // outside the timing): what the first visitor after each curation step waits for.
    regcat::MappingStore mappingStore(store, term);
    int64_t changing = 0;
    store.read([&](SQLite::Database& db) {
      changing = db.execAndGet("SELECT min(id) FROM mapping WHERE status = 'approved'").getInt64();
    });
    int changes = 0;
    auto afterChange = [&](const std::function<void()>& timed) {
      return timeIt(reps, timed, [&] {
        regcat::MappingUpdate u;
        u.comment = "bench " + std::to_string(++changes);
        mappingStore.update(changing, u, "bench");
      });
    };
    {
      const Timing t = afterChange([&] { regcat::harmonisationMatrix(store, term, all); });
      char extra[64];
      std::snprintf(extra, sizeof extra, ",\"ratio_p50_to_full_join\":%.2f", t.p50 / scan.p50);
      report("matrix_first_page_after_mapping_change", t, extra);
    }
    regcat::MatrixQuery page2 = all;
    page2.offset = 50;
    run("matrix_second_page_all_registers", page2);
    regcat::MatrixQuery topic = all;
    auto rel = term.release(regcat::kSnomedSystem);
    auto h = term.hierarchy(*rel);
    topic.topic = kDemoTopic;
    if (h->index(topic.topic) == regcat::Hierarchy::kNone)  // not the demo release
      topic.topic = h->code(h->children(h->index("138875005")).front());
    std::printf("{\"bench\":\"matrix_topic\",\"topic\":\"%s\"}\n", topic.topic.c_str());
    run("matrix_topic_all_registers", topic);
    regcat::MatrixQuery three = all;
    for (int r : {1, (nRegisters + 1) / 2, nRegisters}) {
      char id[32];
      std::snprintf(id, sizeof id, "reg%03d", r);
      three.registers.push_back(id);
    }
    run("matrix_three_registers", three);
    regcat::MatrixQuery full = all;
    full.limit = 100000;  // what the API's CSV export asks for
    run("matrix_csv_export_full", full, true);

    // Over HTTP, a server started in process on the same database (its own Terminology, as in
    // `regcat serve`); the client is a plain socket, one connection per request.
    regcat::web::ServerOptions opt;
    opt.address = "127.0.0.1";
    opt.port = 0;
    opt.threads = 2;
    regcat::web::Server server(store, opt);
    server.start();
    auto http = [&](const char* name, const std::string& target) {
      size_t bytes = 0;
      int status = 0;
      std::vector<double> ttfb;
      const Timing t = timeIt(reps, [&] {
        double first = 0;
        bytes = httpGet(server.port(), target, &status, &first).size();
        ttfb.push_back(first);
      });
      if (status != 200) throw std::runtime_error(target + " answered " + std::to_string(status));
      ttfb.erase(ttfb.begin());  // the first request, reported apart in timeIt too
      char extra[200];
      std::snprintf(extra, sizeof extra,
                    ",\"ttfb_p50_ms\":%.2f,\"ttfb_p90_ms\":%.2f,\"bytes\":%zu,"
                    "\"ratio_p50_to_full_join\":%.2f",
                    percentile(ttfb, 0.5), percentile(ttfb, 0.9), bytes, t.p50 / scan.p50);
      report(name, t, extra);
    };
    http("http_matrix_first_page_all_registers", "/api/harmonisation/matrix?limit=50");
    // After a mapping change, through the server: the curation loop (approve, look again).
    {
      std::vector<double> ttfb;
      int status = 0;
      const Timing t = afterChange([&] {
        double first = 0;
        httpGet(server.port(), "/api/harmonisation/matrix?limit=50", &status, &first);
        ttfb.push_back(first);
      });
      ttfb.erase(ttfb.begin());
      char extra[160];
      std::snprintf(extra, sizeof extra, ",\"ttfb_p50_ms\":%.2f,\"ratio_p50_to_full_join\":%.2f",
                    percentile(ttfb, 0.5), t.p50 / scan.p50);
      report("http_matrix_first_page_after_mapping_change", t, extra);
    }
    http("http_matrix_topic_all_registers",
         "/api/harmonisation/matrix?limit=50&topic=" + topic.topic);
    http("http_matrix_three_registers",
         "/api/harmonisation/matrix?limit=50&registers=" + three.registers[0] + "," +
             three.registers[1] + "," + three.registers[2]);
    http("http_matrix_csv_export_full", "/api/harmonisation/matrix?format=csv");
    server.stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "matrix_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
