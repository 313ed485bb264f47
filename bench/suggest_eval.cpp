// Evaluation of the concept suggester (issue 5) against a gold set of register variable labels
// (bench/suggest/gold.tsv), side by side with OHDSI Usagi's method on the same data: a plain
// character-trigram TF-IDF cosine between the label and every concept term. Prints precision@1
// and recall@10 per split for both, then the suggester's throughput on a generated register of
// 1,000 variables. One JSON object per measurement on stdout; --verbose lists the misses.
// Usage: suggest_eval [--data DIR] [--gold FILE] [--verbose] [--variables N] [--db FILE]
//   --db: a database with a SNOMED CT release already loaded (e.g. a full-scale synthetic one
//   from bench/rf2_generate and `regcat import rf2`): index build time, memory and throughput
//   there instead of the quality measurements on the demo terminology. --rf2 DIR imports that
//   release into the --db file first.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/store.h"
#include "catalog/text.h"
#include "importers/rf2_importer.h"
#include "mapping/mapping_store.h"
#include "mapping/suggester.h"
#include "mapping/suggester_cache.h"
#include "mapping/terminology.h"

namespace {

using Clock = std::chrono::steady_clock;
using regcat::CodeItem;
using regcat::CodeList;
using regcat::Variable;

struct GoldRow {
  std::string split, kind, label, datatype, unit, variable, batch;
  std::vector<std::string> codes;
  std::set<std::string> gold;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::vector<GoldRow> readGold(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<GoldRow> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    const auto f = split(line, '\t');
    if (f.size() < 8) throw std::runtime_error("bad gold row: " + line);
    GoldRow r;
    r.split = f[0];
    r.kind = f[1];
    r.label = f[2];
    r.datatype = f[3];
    r.unit = f[4];
    if (!f[5].empty()) r.codes = split(f[5], ';');
    r.variable = f[6];
    for (const auto& g : split(f[7], '|')) r.gold.insert(g);
    r.batch = f.size() > 9 ? f[9] : "1";
    rows.push_back(std::move(r));
  }
  return rows;
}

CodeList codeListOf(const std::vector<std::string>& labels) {
  CodeList c;
  c.id = "bench";
  for (size_t i = 0; i < labels.size(); ++i) {
    CodeItem item;
    item.code = std::to_string(i + 1);
    item.label.sv = labels[i];
    // "Okänt", "Uppgift saknas" and the like are missing-value codes in registers.
    const auto w = regcat::text::words(labels[i]);
    item.is_missing = !w.empty() && (w[0] == "uppgift" || w[0] == "okänt" || w[0] == "vet");
    c.items.push_back(item);
  }
  return c;
}

// ------------------------------------------------------------------------------------------
// Baseline: Usagi's ranking, a TF-IDF weighted character-trigram vector per term (words padded
// with a space on either side) and the cosine with the query's vector; a concept scores its
// best term.
// ------------------------------------------------------------------------------------------
class TrigramTfIdf {
 public:
  explicit TrigramTfIdf(regcat::Store& store, int64_t tid) {
    std::vector<std::pair<std::string, std::string>> terms;  // code, term
    store.read([&](SQLite::Database& db) {
      // The same candidates the suggester may propose: active concepts, no metadata.
      SQLite::Statement s(db,
                          "SELECT d.code, d.term, d.type FROM term_description d JOIN term_concept "
                          "c ON c.terminology_id = d.terminology_id AND c.code = d.code WHERE "
                          "d.terminology_id = ? AND d.active = 1 AND c.active = 1 AND d.type <> 2 "
                          "ORDER BY d.id");
      s.bind(1, tid);
      std::map<std::string, std::string> fsn;
      std::vector<std::tuple<std::string, std::string, int>> rows;
      while (s.executeStep())
        rows.emplace_back(s.getColumn(0).getString(), s.getColumn(1).getString(),
                          s.getColumn(2).getInt());
      for (const auto& [code, term, type] : rows)
        if (type == 0) fsn[code] = term;
      for (const auto& [code, term, type] : rows) {
        const std::string tag = regcat::semanticTag(fsn[code]);
        if (tag.find("metadata") != std::string::npos || tag == "attribute" ||
            tag == "linkage concept" || tag == "SNOMED RT+CTV3")
          continue;
        std::string t = term;
        if (type == 0 && !tag.empty()) t = t.substr(0, t.rfind(" ("));
        terms.emplace_back(code, t);
      }
    });
    std::unordered_map<std::string, int> df;
    for (const auto& [code, term] : terms) {
      auto v = counts(term);
      for (const auto& [g, n] : v) ++df[g];
      docs_.push_back({code, std::move(v), 0});
    }
    const double n = double(docs_.size());
    for (const auto& [g, d] : df) idf_[g] = std::log(n / double(d)) + 1.0;
    for (auto& d : docs_) {
      double norm = 0;
      for (auto& [g, w] : d.vec) {
        w *= idf_[g];
        norm += w * w;
      }
      d.norm = std::sqrt(norm);
      for (const auto& [g, w] : d.vec) postings_[g].push_back({uint32_t(&d - docs_.data()), w});
    }
  }

  std::vector<std::string> rank(const std::string& query, size_t limit) const {
    auto q = counts(query);
    double qn = 0;
    for (auto& [g, w] : q) {
      auto it = idf_.find(g);
      w *= it == idf_.end() ? 0 : it->second;
      qn += w * w;
    }
    qn = std::sqrt(qn);
    std::unordered_map<uint32_t, double> dot;
    for (const auto& [g, w] : q) {
      auto it = postings_.find(g);
      if (it == postings_.end()) continue;
      for (const auto& [d, dw] : it->second) dot[d] += w * dw;
    }
    std::unordered_map<std::string, double> best;
    for (const auto& [d, x] : dot) {
      const double cos = x / (qn * docs_[d].norm + 1e-12);
      auto& b = best[docs_[d].code];
      b = std::max(b, cos);
    }
    std::vector<std::pair<double, std::string>> v;
    for (const auto& [c, s] : best) v.emplace_back(s, c);
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size() && i < limit; ++i) out.push_back(v[i].second);
    return out;
  }

 private:
  struct Doc {
    std::string code;
    std::unordered_map<std::string, double> vec;
    double norm;
  };
  static std::unordered_map<std::string, double> counts(const std::string& s) {
    std::unordered_map<std::string, double> v;
    for (const auto& w : regcat::text::words(s)) {
      const std::u32string padded = U" " + toU32(w) + U" ";
      for (size_t i = 0; i + 3 <= padded.size(); ++i) v[toUtf8(padded.substr(i, 3))] += 1;
    }
    return v;
  }
  static std::u32string toU32(const std::string& s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
      for (size_t k = 1; k < n && i + k < s.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      out.push_back(cp);
      i += n;
    }
    return out;
  }
  static std::string toUtf8(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) {
      if (c < 0x80) {
        out += char(c);
      } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
      } else {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
      }
    }
    return out;
  }
  std::vector<Doc> docs_;
  std::unordered_map<std::string, double> idf_;
  std::unordered_map<std::string, std::vector<std::pair<uint32_t, double>>> postings_;
};

struct Tally {
  int n = 0, p1 = 0, r10 = 0;
  double rr = 0;  // sum of reciprocal ranks (0 beyond rank 10)
  void add(const std::vector<std::string>& ranked, const std::set<std::string>& gold) {
    ++n;
    if (!ranked.empty() && gold.count(ranked[0])) ++p1;
    for (size_t i = 0; i < ranked.size() && i < 10; ++i)
      if (gold.count(ranked[i])) {
        ++r10;
        rr += 1.0 / double(i + 1);
        break;
      }
  }
  double p() const { return n ? double(p1) / n : 0; }
  double r() const { return n ? double(r10) / n : 0; }
  double mrr() const { return n ? rr / n : 0; }
};

// A register of n variables in the shapes and language of real ones: the gold labels and the
// demo's with register boilerplate around them (time points, places in the care chain), plus
// variables that the terminology cannot know (identifiers, free text).
std::vector<std::pair<Variable, CodeList>> generateRegister(const std::vector<GoldRow>& gold,
                                                            size_t n) {
  const std::vector<std::string> frames = {"",
                                           " vid ankomst",
                                           " vid utskrivning",
                                           " efter 3 månader",
                                           " vid uppföljning",
                                           " före insjuknandet",
                                           " (registrerad av vårdenheten)",
                                           " senaste året"};
  const std::vector<std::string> admin = {
      "Personnummer",       "Vårdtillfällets id", "Inrapporterande enhet", "Kommentar",
      "Registreringsdatum", "Fritext övrigt",     "Version av formuläret", "Ifylld av"};
  std::vector<const GoldRow*> vars;
  for (const auto& g : gold)
    if (g.kind == "variable") vars.push_back(&g);
  std::vector<std::pair<Variable, CodeList>> out;
  for (size_t i = 0; out.size() < n; ++i) {
    Variable v;
    v.register_id = "bench";
    v.dataset_id = "ds" + std::to_string(i / 100);
    v.name = "v" + std::to_string(i);
    CodeList codes;
    if (i % 10 == 9) {
      v.label.sv = admin[(i / 10) % admin.size()] + " " + std::to_string(i);
      v.datatype = "string";
    } else {
      const GoldRow& g = *vars[i % vars.size()];
      v.label.sv = g.label + frames[(i / vars.size()) % frames.size()];
      v.datatype = g.datatype;
      v.unit = g.unit;
      codes = codeListOf(g.codes);
    }
    out.emplace_back(std::move(v), std::move(codes));
  }
  return out;
}

// Resident set size of this process in MB (Linux).
long rssMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6) / 1024;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = REGCAT_SOURCE_DIR;
  std::string data = root + "/data", goldPath = root + "/bench/suggest/gold.tsv";
  bool verbose = false;
  size_t nvars = 1000;
  std::string external, rf2;
  bool inStore = false;  // --in-store: the register is written to the store, then suggested for
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--data" && i + 1 < argc)
      data = argv[++i];
    else if (a == "--gold" && i + 1 < argc)
      goldPath = argv[++i];
    else if (a == "--verbose")
      verbose = true;
    else if (a == "--variables" && i + 1 < argc)
      nvars = size_t(std::atol(argv[++i]));
    else if (a == "--db" && i + 1 < argc)
      external = argv[++i];
    else if (a == "--rf2" && i + 1 < argc)
      rf2 = argv[++i];
    else if (a == "--in-store")
      inStore = true;
    else {
      std::fprintf(stderr,
                   "usage: suggest_eval [--data DIR] [--gold FILE] [--verbose] [--variables N] "
                   "[--db FILE [--rf2 DIR] [--in-store]]\n");
      return 2;
    }
  }
  const auto gold = readGold(goldPath);

  char tmpl[] = "/tmp/regcat-suggest-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string dir = tmpl;
  int rc = 0;
  if (!external.empty()) {
    try {
      regcat::Store store(external);
      if (!rf2.empty()) {
        const auto t = Clock::now();
        regcat::importRf2(store, rf2, {"bench", "rf2", rf2, ""});
        std::printf("{\"bench\":\"rf2_import\",\"seconds\":%.1f}\n",
                    std::chrono::duration<double>(Clock::now() - t).count());
      }
      regcat::Terminology term(store);
      const auto release = term.release(regcat::kSnomedSystem);
      if (!release) throw std::runtime_error("no SNOMED CT release in " + external);
      const long rssBefore = rssMb();
      auto t0 = Clock::now();
      const regcat::Suggester suggester(store, *release);
      const double buildS = std::chrono::duration<double>(Clock::now() - t0).count();
      std::printf(
          "{\"bench\":\"suggester_index\",\"terms\":%zu,\"words\":%zu,\"build_s\":%.2f,"
          "\"index_rss_mb\":%ld}\n",
          suggester.indexedTerms(), suggester.vocabulary(), buildS, rssMb() - rssBefore);
      const auto reg = generateRegister(gold, nvars);
      if (inStore) {
        // The register as the API sees it (issue 10): written to the catalogue, then
        // suggestForRegister with the catalogue's approved mappings as priors, as
        // GET /api/registers/{id}/suggestions does.
        const std::string id = "suggest" + std::to_string(reg.size());
        if (!store.getRegister(id)) {
          regcat::CatalogDocument doc;
          regcat::RegisterDocument rd;
          rd.reg.id = id;
          rd.reg.name = {"Förslagsregister", "Suggestion register"};
          rd.reg.cpua.name = "Region Test";
          std::set<std::string> datasets;
          for (size_t i = 0; i < reg.size(); ++i) {
            Variable v = reg[i].first;
            v.register_id = id;
            v.valid_from = "2015-01-01";
            if (datasets.insert(v.dataset_id).second) {
              regcat::Dataset ds;
              ds.register_id = id;
              ds.id = v.dataset_id;
              ds.name = {v.dataset_id, ""};
              rd.datasets.push_back(ds);
            }
            if (!reg[i].second.items.empty()) {
              CodeList cl = reg[i].second;
              cl.id = id + ".cl" + std::to_string(i);
              cl.register_id = id;
              cl.name = {v.label.sv, ""};
              v.codelist = cl.id;
              v.datatype = "code";
              rd.codelists.push_back(std::move(cl));
            } else if (v.datatype == "code") {
              v.datatype = "string";
            }
            rd.variables.push_back(std::move(v));
          }
          doc.registers.push_back(std::move(rd));
          regcat::WriteContext ctx;
          ctx.actor = "bench";
          ctx.format = "generated";
          store.applyImport(doc, {}, ctx);
        }
        regcat::MappingStore mappings(store, term);
        t0 = Clock::now();
        const auto priors = regcat::approvedPriors(mappings, regcat::kSnomedSystem);
        const double priorS = std::chrono::duration<double>(Clock::now() - t0).count();
        t0 = Clock::now();
        const auto all = regcat::suggestForRegister(store, suggester, id, "", 10, false, priors);
        const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf(
            "{\"bench\":\"suggest_register\",\"variables\":%zu,\"priors\":%zu,"
            "\"priors_s\":%.3f,\"seconds\":%.3f,\"variables_per_s\":%.0f,"
            "\"rss_mb\":%ld}\n",
            all.size(), priors.size(), priorS, sec, double(all.size()) / sec, rssMb());
        // The same with the priors' keys worked out at each use, as before prepareKeys existed
        // (a same-run comparison; identical suggestions).
        auto unprepared = priors;
        for (auto& p : unprepared) p.key.clear();
        t0 = Clock::now();
        const auto again =
            regcat::suggestForRegister(store, suggester, id, "", 10, false, unprepared);
        const double secUnprepared = std::chrono::duration<double>(Clock::now() - t0).count();
        bool same = again.size() == all.size();
        for (size_t i = 0; same && i < all.size(); ++i) {
          same = again[i].suggestions.size() == all[i].suggestions.size();
          for (size_t k = 0; same && k < all[i].suggestions.size(); ++k)
            same = again[i].suggestions[k].concept_id == all[i].suggestions[k].concept_id;
        }
        std::printf(
            "{\"bench\":\"suggest_register_unprepared_priors\",\"variables\":%zu,"
            "\"seconds\":%.3f,\"same_suggestions\":%s}\n",
            again.size(), secUnprepared, same ? "true" : "false");
      } else {
        t0 = Clock::now();
        for (const auto& [v, codes] : reg)
          (void)suggester.forVariable(v, codes.items.empty() ? nullptr : &codes, 10);
        const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf(
            "{\"bench\":\"suggest_throughput\",\"variables\":%zu,\"seconds\":%.3f,"
            "\"variables_per_s\":%.0f}\n",
            reg.size(), sec, double(reg.size()) / sec);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "suggest_eval: %s\n", e.what());
      rc = 1;
    }
    std::filesystem::remove_all(dir);
    return rc;
  }
  try {
    regcat::Store store(dir + "/bench.db");
    regcat::WriteContext ctx{"bench", "rf2", "snomed-demo", ""};
    regcat::importRf2(store, data + "/terminology/snomed-demo", ctx);
    regcat::Terminology term(store);
    const auto release = term.release(regcat::kSnomedSystem);
    if (!release) throw std::runtime_error("no SNOMED CT release loaded");

    auto t0 = Clock::now();
    const regcat::Suggester suggester(store, *release);
    const double buildMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    const TrigramTfIdf baseline(store, release->id);
    std::printf("{\"bench\":\"suggester_index\",\"terms\":%zu,\"words\":%zu,\"build_ms\":%.1f}\n",
                suggester.indexedTerms(), suggester.vocabulary(), buildMs);

    std::map<std::string, Tally> ours, base;  // by split/kind
    for (const auto& g : gold) {
      std::vector<regcat::Suggestion> s;
      std::string query = g.label;
      const CodeList codes = codeListOf(g.codes);
      Variable v;
      v.register_id = "gold";
      v.dataset_id = "gold";
      v.name = "x";
      v.datatype = g.datatype;
      v.unit = g.unit;
      if (g.kind == "code") {
        v.label.sv = g.variable;
        CodeItem item;
        item.code = "1";
        item.label.sv = g.label;
        s = suggester.forCode(v, item, 10);
      } else {
        v.label.sv = g.label;
        s = suggester.forVariable(v, g.codes.empty() ? nullptr : &codes, 10);
      }
      std::vector<std::string> ranked;
      for (const auto& x : s) ranked.push_back(x.concept_id);
      const auto b = baseline.rank(query, 10);
      for (const std::string& key :
           {g.split + "/" + g.kind, g.split + "/all", g.split + "/batch" + g.batch}) {
        ours[key].add(ranked, g.gold);
        base[key].add(b, g.gold);
      }
      if (verbose && (ranked.empty() || !g.gold.count(ranked[0])) && g.split == "dev") {
        std::fprintf(stderr, "MISS [%s %s] %s%s%s (%s %s) gold=", g.split.c_str(), g.kind.c_str(),
                     g.label.c_str(), g.kind == "code" ? " in " : "", g.variable.c_str(),
                     g.datatype.c_str(), g.unit.c_str());
        for (const auto& x : g.gold) std::fprintf(stderr, "%s ", x.c_str());
        std::fprintf(stderr, "\n");
        for (size_t i = 0; i < s.size() && i < 4; ++i) {
          std::fprintf(stderr, "   %s%.3f %s '%s' (%s)\n",
                       g.gold.count(s[i].concept_id) ? "*" : " ", s[i].score,
                       s[i].concept_id.c_str(), s[i].term.c_str(), s[i].semantic_tag.c_str());
          for (const auto& r : s[i].reasons) std::fprintf(stderr, "        - %s\n", r.c_str());
        }
      }
    }
    for (const auto& [key, t] : ours) {
      const auto& b = base[key];
      std::printf(
          "{\"bench\":\"suggest_quality\",\"set\":\"%s\",\"n\":%d,\"regcat_p_at_1\":%.3f,"
          "\"regcat_r_at_10\":%.3f,\"regcat_mrr\":%.3f,\"baseline_p_at_1\":%.3f,"
          "\"baseline_r_at_10\":%.3f,\"baseline_mrr\":%.3f}\n",
          key.c_str(), t.n, t.p(), t.r(), t.mrr(), b.p(), b.r(), b.mrr());
    }

    // Throughput on a generated register.
    const auto reg = generateRegister(gold, nvars);
    size_t items = 0, suggestions = 0;
    t0 = Clock::now();
    for (const auto& [v, codes] : reg)
      suggestions += suggester.forVariable(v, codes.items.empty() ? nullptr : &codes, 10).size();
    const double varSec = std::chrono::duration<double>(Clock::now() - t0).count();
    t0 = Clock::now();
    for (const auto& [v, codes] : reg)
      for (const auto& item : codes.items) {
        suggestions += suggester.forCode(v, item, 10).size();
        ++items;
      }
    const double codeSec = std::chrono::duration<double>(Clock::now() - t0).count();
    t0 = Clock::now();
    for (const auto& [v, codes] : reg) (void)baseline.rank(v.label.sv, 10);
    const double baseSec = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf(
        "{\"bench\":\"suggest_throughput\",\"variables\":%zu,\"seconds\":%.3f,"
        "\"variables_per_s\":%.0f,\"code_items\":%zu,\"code_items_seconds\":%.3f,"
        "\"code_items_per_s\":%.0f,\"baseline_variables_per_s\":%.0f,\"goal\":\"1000 variables "
        "< 10 s\"}\n",
        reg.size(), varSec, double(reg.size()) / varSec, items, codeSec,
        items ? double(items) / codeSec : 0.0, double(reg.size()) / baseSec);
    (void)suggestions;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "suggest_eval: %s\n", e.what());
    rc = 1;
  }
  std::filesystem::remove_all(dir);
  return rc;
}
