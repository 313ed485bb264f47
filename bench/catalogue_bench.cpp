// Benchmark suite (issue 10), in process over a generated catalogue (matrix_bench
// --generate-only): variable search latency (Store::searchVariables, as GET /api/variables?q=
// does) and the compatibility of random variable pairs (compareVariables, as
// GET /api/compatibility does). One JSON object per measurement on stdout.
// Usage: catalogue_bench DB [--search-iterations N] [--pairs N] [--repetitions R] [--seed S]
//                           [--fts-dir DIR]
//   --fts-dir: also write, per search text, a sqlite3 shell script running the bare FTS5 query
//   on the same text (variable_fts MATCH ... LIMIT 20) 50 times: bench/run's baseline.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "catalog/store.h"
#include "catalog/text.h"
#include "mapping/compat_service.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

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

// Search texts: words the generated labels hold (synthetic SNOMED CT terms, dataset names,
// administrative items), single words, compounds and two-word queries, plus one that matches
// nothing.
const std::vector<std::string> kQueries = {
    "hjärtinfarkt",   "infarkt",          "njursvikt",      "fraktur",
    "akut blödning",  "kronisk",          "kronisk smärta", "lungemboli",
    "höftledsartros", "uppföljning",      "grunddata",      "administrativ",
    "tumör",          "diabetisk",        "blodtryck",      "trombos",
    "ögon",           "kärlförträngning", "sjukdom",        "zzzyxqq"};

// A user's words as a bare FTS5 query: each word quoted, all required (FTS5's implicit AND).
std::string bareMatch(const std::string& q) {
  std::string out;
  for (const auto& w : regcat::text::words(q)) {
    if (!out.empty()) out += ' ';
    out += "\"" + w + "\"";
  }
  return out;
}

}  // namespace

// Writes DIR/<prefix>NN.sql: `reps` times the bare FTS5 query for queries[NN], output discarded.
void writeFtsScripts(const std::string& dir, const std::string& prefix, const std::string& table,
                     const std::vector<std::string>& queries, int reps) {
  for (size_t i = 0; i < queries.size(); ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "/%s%02zu.sql", prefix.c_str(), i);
    std::ofstream o(dir + name);
    o << "-- " << queries[i] << "\n.output /dev/null\n";
    std::string m = bareMatch(queries[i]);
    std::string esc;
    for (char c : m) esc += c == '\'' ? std::string("''") : std::string(1, c);
    for (int r = 0; r < reps; ++r)
      o << "SELECT rowid FROM " << table << " WHERE " << table << " MATCH '" << esc
        << "' LIMIT 20;\n";
  }
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: catalogue_bench DB [--search-iterations N] [--pairs N] "
                 "[--repetitions R] [--seed S] [--fts-dir DIR]\n");
    return 2;
  }
  int iterations = 400, pairs = 10000, reps = 3;
  unsigned long seed = 10;
  std::string ftsDir;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--search-iterations")
      iterations = std::atoi(argv[i + 1]);
    else if (a == "--pairs")
      pairs = std::atoi(argv[i + 1]);
    else if (a == "--repetitions")
      reps = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--seed")
      seed = std::strtoul(argv[i + 1], nullptr, 10);
    else if (a == "--fts-dir")
      ftsDir = argv[i + 1];
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  try {
    regcat::Store store(argv[1]);
    if (!ftsDir.empty()) writeFtsScripts(ftsDir, "variable_", "variable_fts", kQueries, 50);

    // Variable search, limit 20, relevance order with facets, as the search page asks.
    if (iterations > 0) {
      regcat::VariableQuery first;
      first.q = kQueries[0];
      first.limit = 20;
      auto t = Clock::now();
      (void)store.searchVariables(first);  // builds the in-memory snapshot
      const double firstMs = msSince(t);
      std::vector<double> ms;
      std::vector<int> totals(kQueries.size());
      for (int i = 0; i < iterations; ++i) {
        regcat::VariableQuery q;
        q.q = kQueries[size_t(i) % kQueries.size()];
        q.limit = 20;
        t = Clock::now();
        const auto r = store.searchVariables(q);
        ms.push_back(msSince(t));
        totals[size_t(i) % kQueries.size()] = r.total;
      }
      int maxTotal = 0;
      for (int n : totals) maxTotal = std::max(maxTotal, n);
      std::printf(
          "{\"bench\":\"variable_search\",\"n\":%zu,\"queries\":%zu,\"first_ms\":%.2f,"
          "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"largest_result\":%d,"
          "\"goal\":\"p99 < 10 ms\",\"met\":%s}\n",
          ms.size(), kQueries.size(), firstMs, percentile(ms, 0.5), percentile(ms, 0.99),
          percentile(ms, 1.0), maxTotal, percentile(ms, 0.99) < 10 ? "true" : "false");
      // Per query, for the comparison with the bare FTS5 query on the same text.
      for (size_t k = 0; k < kQueries.size(); ++k) {
        std::vector<double> mine;
        for (size_t i = k; i < ms.size(); i += kQueries.size()) mine.push_back(ms[i]);
        std::printf(
            "{\"bench\":\"variable_search_query\",\"index\":%zu,\"q\":\"%s\",\"matches\":%d,"
            "\"p50_ms\":%.3f}\n",
            k, kQueries[k].c_str(), totals[k], percentile(mine, 0.5));
      }
      std::fflush(stdout);
    }

    if (pairs > 0) {
      std::vector<std::string> keys;
      store.read([&](SQLite::Database& db) {
        SQLite::Statement s(db,
                            "SELECT register_id || '/' || dataset_id || '/' || name FROM "
                            "variable ORDER BY id");
        while (s.executeStep()) keys.push_back(s.getColumn(0).getString());
      });
      if (keys.size() < 2) throw std::runtime_error("fewer than two variables in the catalogue");
      std::mt19937_64 g(seed);
      std::vector<std::pair<size_t, size_t>> sample;
      for (int i = 0; i < pairs; ++i) sample.emplace_back(g() % keys.size(), g() % keys.size());

      regcat::Terminology term(store);
      regcat::MappingStore mappings(store, term);
      auto t = Clock::now();
      (void)regcat::compareVariables(store, term, mappings, keys[0], keys[1]);
      const double firstMs = msSince(t);  // loads the hierarchy

      // Same-run baseline: the two point reads any comparison needs (each variable's current
      // version by register/dataset/name), with one prepared statement.
      std::vector<double> baseTotals;
      for (int r = 0; r < reps; ++r) {
        t = Clock::now();
        store.read([&](SQLite::Database& db) {
          SQLite::Statement s(db,
                              "SELECT vv.label_sv, vv.datatype, vv.unit, vv.codelist_id FROM "
                              "variable v JOIN variable_version vv ON vv.variable_id = v.id AND "
                              "vv.version = v.current_version WHERE v.register_id = ? AND "
                              "v.dataset_id = ? AND v.name = ?");
          for (const auto& [a, b] : sample)
            for (const auto* k : {&keys[a], &keys[b]}) {
              const auto p1 = k->find('/'), p2 = k->find('/', p1 + 1);
              s.reset();
              s.bind(1, k->substr(0, p1));
              s.bind(2, k->substr(p1 + 1, p2 - p1 - 1));
              s.bind(3, k->substr(p2 + 1));
              while (s.executeStep()) (void)s.getColumn(0).getText();
            }
        });
        baseTotals.push_back(msSince(t));
      }

      std::vector<double> totals, each;
      int compatible = 0;
      for (int r = 0; r < reps; ++r) {
        compatible = 0;
        const auto start = Clock::now();
        for (const auto& [a, b] : sample) {
          t = Clock::now();
          const auto c = regcat::compareVariables(store, term, mappings, keys[a], keys[b]);
          each.push_back(msSince(t));
          compatible += c.grade == "identical" || c.grade == "compatible" || c.grade == "partial";
        }
        totals.push_back(msSince(start));
      }
      const double total = percentile(totals, 0.5), base = percentile(baseTotals, 0.5);
      std::printf(
          "{\"bench\":\"compatibility\",\"pairs\":%d,\"repetitions\":%d,\"first_ms\":%.2f,"
          "\"median_total_s\":%.3f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"comparable\":%d,"
          "\"baseline_point_reads_s\":%.3f,\"ratio\":%.2f,\"goal\":\"10,000 pairs < 1 s\","
          "\"met\":%s}\n",
          pairs, reps, firstMs, total / 1000, percentile(each, 0.5), percentile(each, 0.99),
          compatible, base / 1000, base > 0 ? total / base : 0.0,
          total * 10000.0 / pairs < 1000 ? "true" : "false");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "catalogue_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
