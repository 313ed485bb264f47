// In-process terminology benchmark over a loaded SNOMED CT release: text search, constrained
// search, subsumption and ECL expansion. Prints one JSON object per measurement.
// Usage: terminology_bench DB [--iterations N] [--fts-dir DIR]
//   --fts-dir: also write, per search text, a sqlite3 shell script running the bare FTS5 query
//   on the same text (term_fts_N MATCH ... LIMIT 20) 50 times: bench/run's baseline.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "catalog/store.h"
#include "catalog/text.h"
#include "mapping/terminology.h"

namespace {

using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

void report(const char* name, const std::vector<double>& us, const char* extra = "") {
  std::printf("{\"bench\":\"%s\",\"n\":%zu,\"p50_us\":%.2f,\"p99_us\":%.2f,\"max_us\":%.2f%s}\n",
              name, us.size(), percentile(us, 0.5), percentile(us, 0.99), percentile(us, 1.0),
              extra);
  std::fflush(stdout);
}

// Writes DIR/concept_NN.sql: 50 times the bare FTS5 query on queries[NN], output discarded.
void writeFtsScripts(const std::string& dir, const std::string& table,
                     const std::vector<std::string>& queries) {
  for (size_t i = 0; i < queries.size(); ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "/concept_%02zu.sql", i);
    std::ofstream o(dir + name);
    std::string m;
    for (const auto& w : regcat::text::words(queries[i]))
      m += (m.empty() ? "\"" : " \"") + w + "\"";
    o << "-- " << queries[i] << "\n.output /dev/null\n";
    for (int r = 0; r < 50; ++r)
      o << "SELECT rowid FROM " << table << " WHERE " << table << " MATCH '" << m
        << "' LIMIT 20;\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: terminology_bench DB [--iterations N]\n");
    return 2;
  }
  int iterations = 400;
  std::string ftsDir;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--iterations")
      iterations = std::atoi(argv[i + 1]);
    else if (a == "--fts-dir")
      ftsDir = argv[i + 1];
  }
  regcat::Store store(argv[1]);
  regcat::Terminology term(store);
  auto rel = term.release(regcat::kSnomedSystem);
  if (!rel) {
    std::fprintf(stderr, "no SNOMED CT release in %s\n", argv[1]);
    return 1;
  }
  auto t0 = Clock::now();
  auto h = term.hierarchy(*rel);
  const double loadMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  std::printf("{\"bench\":\"hierarchy_load\",\"concepts\":%zu,\"ms\":%.1f}\n", h->size(), loadMs);

  const std::vector<std::string> queries = {"hjärtinfarkt",
                                            "hjartinfarkt",
                                            "infarkt",
                                            "höftledsartros",
                                            "njursvikt",
                                            "akut blödning",
                                            "kronisk smärta",
                                            "lungemboli",
                                            "fraktur",
                                            "kranskärlsförträngning",
                                            "myocardial infarction",
                                            "chronic kidney failure",
                                            "hip fracture",
                                            "acute",
                                            "diabetisk",
                                            "tumör",
                                            "ögon",
                                            "thrombosis",
                                            "näthinneskada",
                                            "bröstsmärta"};
  if (!ftsDir.empty()) writeFtsScripts(ftsDir, "term_fts_" + std::to_string(rel->id), queries);
  std::mt19937_64 g(7);
  std::vector<double> us;
  for (int i = 0; i < iterations; ++i) {
    regcat::ConceptQuery q;
    q.q = queries[size_t(i) % queries.size()];
    q.lang = i % 2 ? "en" : "sv";
    auto s = Clock::now();
    auto hits = term.search(*rel, q);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - s).count());
  }
  report("concept_search", us);
  for (size_t k = 0; k < queries.size(); ++k) {
    std::vector<double> mine;
    for (size_t i = k; i < us.size(); i += queries.size()) mine.push_back(us[i]);
    std::printf("{\"bench\":\"concept_search_query\",\"index\":%zu,\"q\":\"%s\",\"p50_us\":%.2f}\n",
                k, queries[k].c_str(), percentile(mine, 0.5));
  }

  // Constrained: descendants of the largest top-level branch plus text.
  const auto rootIdx = h->index("138875005");
  std::string branch;
  size_t best = 0;
  std::vector<std::pair<size_t, std::string>> subtrees;
  for (auto c : h->children(rootIdx)) {
    const size_t n = h->descendants(c).size();
    subtrees.emplace_back(n, h->code(c));
    if (n > best) best = n, branch = h->code(c);
  }
  us.clear();
  for (int i = 0; i < iterations / 4; ++i) {
    regcat::ConceptQuery q;
    q.q = queries[size_t(i) % queries.size()];
    q.ecl = "<< " + branch;
    auto s = Clock::now();
    auto hits = term.search(*rel, q);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - s).count());
  }
  char extra[128];
  std::snprintf(extra, sizeof extra, ",\"subtree\":%zu", best);
  report("constrained_search", us, extra);

  us.clear();
  const size_t n = h->size();
  int yes = 0;
  for (int i = 0; i < 200000; ++i) {
    const auto a = regcat::Hierarchy::Index(g() % n), b = regcat::Hierarchy::Index(g() % n);
    auto s = Clock::now();
    yes += h->subsumes(a, b);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - s).count());
  }
  std::snprintf(extra, sizeof extra, ",\"true\":%d", yes);
  report("subsumption", us, extra);

  us.clear();
  size_t count = 0;
  for (int i = 0; i < 20; ++i) {
    auto s = Clock::now();
    // A different spelling each time (trailing spaces) so the result cache is not what is timed.
    count = term.evaluate(*rel, "<< " + branch + std::string(size_t(i), ' '))->size();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - s).count());
  }
  std::snprintf(extra, sizeof extra, ",\"concepts\":%zu", count);
  report("ecl_descendants", us, extra);
  return 0;
}
