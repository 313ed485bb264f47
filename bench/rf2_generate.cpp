// Writes a synthetic SNOMED CT RF2 Snapshot release of national size, deterministically from a
// seed, for benchmarks: concepts in a fake namespace (9999999) with valid check digits, a deep
// polyhierarchy, English and Swedish descriptions built from clinical word parts (Swedish
// compounds included), a language refset row for every description, inferred IS-A and
// attribute relationships, simple refsets and historical associations.
//
// Usage: rf2_generate OUT_DIR [--concepts N] [--seed S]
//   default N = 370000: about 1.6 M descriptions (0.6 M Swedish), 1.3 M IS-A rows,
//   0.9 M attribute rows and 1.6 M language refset rows.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "mapping/sctid.h"

namespace {

std::string sct(int64_t item, char partition) {
  std::string body = std::to_string(item) + "9999999" + "1" + partition;
  return body + regcat::sctid::verhoeffDigit(body);
}

const char* kEnParts[] = {
    "heart",     "cardiac",  "coronary",   "myocardial", "cerebral", "renal",   "hepatic",
    "pulmonary", "vascular", "arterial",   "venous",     "femoral",  "hip",     "knee",
    "spinal",    "gastric",  "intestinal", "ocular",     "retinal",  "dermal",  "bone",
    "joint",     "muscle",   "nerve",      "blood",      "lymph",    "thyroid", "pancreatic",
    "adrenal",   "bladder",  "prostate",   "uterine",    "ovarian",  "breast",  "skin",
    "brain",     "lung",     "kidney",     "liver",      "colon"};
const char* kEnKinds[] = {"infarction", "ischaemia", "haemorrhage",   "stenosis",    "occlusion",
                          "fracture",   "arthrosis", "inflammation",  "infection",   "neoplasm",
                          "ulcer",      "failure",   "insufficiency", "hypertrophy", "atrophy",
                          "cyst",       "abscess",   "thrombosis",    "embolism",    "aneurysm",
                          "dysplasia",  "injury",    "pain",          "disorder",    "disease",
                          "syndrome",   "deformity", "lesion"};
const char* kEnMods[] = {"acute",    "chronic",      "primary",   "secondary",  "bilateral",
                         "left",     "right",        "recurrent", "congenital", "traumatic",
                         "partial",  "complete",     "severe",    "mild",       "post-operative",
                         "diabetic", "hypertensive", "ischaemic"};
const char* kSvParts[] = {"hjärt",          "kranskärls", "hjärn",     "njur",       "lever",
                          "lung",           "kärl",       "artär",     "ven",        "lår",
                          "höft",           "knä",        "rygg",      "mag",        "tarm",
                          "ögon",           "näthinne",   "hud",       "ben",        "led",
                          "muskel",         "nerv",       "blod",      "lymf",       "sköldkörtel",
                          "bukspottkörtel", "binjure",    "urinblåse", "prostata",   "livmoder",
                          "äggstock",       "bröst",      "skelett",   "tjocktarms", "struphuvud",
                          "öron",           "näs",        "mun",       "tand",       "fot"};
const char* kSvKinds[] = {"infarkt",  "ischemi",      "blödning",     "förträngning", "ocklusion",
                          "fraktur",  "artros",       "inflammation", "infektion",    "tumör",
                          "sår",      "svikt",        "insufficiens", "förstoring",   "förtvining",
                          "cysta",    "abscess",      "trombos",      "emboli",       "aneurysm",
                          "dysplasi", "skada",        "smärta",       "sjukdom",      "störning",
                          "syndrom",  "missbildning", "förändring"};
const char* kSvMods[] = {"akut",         "kronisk",     "primär",       "sekundär", "bilateral",
                         "vänstersidig", "högersidig",  "återkommande", "medfödd",  "traumatisk",
                         "partiell",     "fullständig", "svår",         "lindrig",  "postoperativ",
                         "diabetisk",    "hypertensiv", "ischemisk"};
const char* kTags[] = {"disorder",
                       "finding",
                       "procedure",
                       "observable entity",
                       "body structure",
                       "substance",
                       "morphologic abnormality",
                       "situation",
                       "qualifier value",
                       "product"};

template <size_t N>
const char* pick(std::mt19937_64& g, const char* const (&a)[N]) {
  return a[g() % N];
}

struct Out {
  std::FILE* f;
  explicit Out(const std::string& path) : f(std::fopen(path.c_str(), "wb")) {
    if (!f) {
      std::perror(path.c_str());
      std::exit(1);
    }
  }
  ~Out() { std::fclose(f); }
  void line(const std::string& s) {
    std::fwrite(s.data(), 1, s.size(), f);
    std::fwrite("\r\n", 1, 2, f);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: rf2_generate OUT_DIR [--concepts N] [--seed S]\n");
    return 2;
  }
  const std::string dir = argv[1];
  int64_t n = 370000;
  uint64_t seed = 20260531;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--concepts") n = std::atoll(argv[i + 1]);
    if (std::string(argv[i]) == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  std::filesystem::create_directories(dir);
  std::mt19937_64 g(seed);
  const std::string date = "20260531", mod = "45991000052106", sfx = "_XX9999999_" + date + ".txt";
  const std::string isa = "116680003", root = "138875005";
  const std::vector<std::string> attrs = {"363698007", "116676008", "260686004", "363704007",
                                          "127489000", "246075003", "370135005", "263502005"};

  // Concept i (0-based) has item id 1000 + i; the first 19 are the top-level hierarchies under
  // the root. Each other concept takes a uniformly random earlier concept of its branch as
  // parent (a random recursive tree: depth about ln n, as in SNOMED CT), and one in six a second
  // parent, which gives ancestor sets of a few tens.
  std::vector<int> top(static_cast<size_t>(n));
  std::vector<std::vector<int64_t>> parents(static_cast<size_t>(n));
  std::vector<bool> active(static_cast<size_t>(n), true);
  std::vector<std::vector<int64_t>> members(19);
  for (int64_t i = 0; i < n; ++i) {
    if (i < 19) {
      top[size_t(i)] = int(i);
      members[size_t(i)].push_back(i);
      continue;
    }
    // Branch 0 holds about 14% of the concepts (a 50,000-concept subtree for the ECL benchmark).
    const int b = g() % 100 < 14 ? 0 : int(1 + g() % 18);
    top[size_t(i)] = b;
    auto& m = members[size_t(b)];
    const int count = 1 + (g() % 6 == 0);
    for (int k = 0; k < count; ++k) {
      const int64_t p = m[g() % m.size()];
      if (std::find(parents[size_t(i)].begin(), parents[size_t(i)].end(), p) ==
          parents[size_t(i)].end())
        parents[size_t(i)].push_back(p);
    }
    m.push_back(i);
    if (g() % 100 < 4) active[size_t(i)] = false;
  }
  auto cid = [&](int64_t i) { return sct(1000 + i, '0'); };

  {
    Out c(dir + "/sct2_Concept_Snapshot" + sfx);
    c.line("id\teffectiveTime\tactive\tmoduleId\tdefinitionStatusId");
    c.line(root + "\t" + date + "\t1\t900000000000207008\t900000000000074008");
    c.line(isa + "\t" + date + "\t1\t900000000000207008\t900000000000074008");
    for (const auto& a : attrs)
      c.line(a + "\t" + date + "\t1\t900000000000207008\t900000000000074008");
    for (int64_t i = 0; i < n; ++i)
      c.line(cid(i) + "\t" + date + "\t" + (active[size_t(i)] ? "1" : "0") + "\t" + mod + "\t" +
             (g() % 3 ? "900000000000074008" : "900000000000073002"));
  }
  int64_t descId = 1000, uuid = 0;
  auto uid = [&]() {
    char b[40];
    std::snprintf(b, sizeof b, "%08llx-0000-4000-8000-%012llx", (unsigned long long)(uuid >> 20),
                  (unsigned long long)(uuid & 0xfffff));
    ++uuid;
    return std::string(b);
  };
  {
    Out en(dir + "/sct2_Description_Snapshot-en" + sfx),
        sv(dir + "/sct2_Description_Snapshot-sv" + sfx);
    Out len(dir + "/der2_cRefset_LanguageSnapshot-en" + sfx),
        lsv(dir + "/der2_cRefset_LanguageSnapshot-sv" + sfx);
    const std::string dh =
        "id\teffectiveTime\tactive\tmoduleId\tconceptId\tlanguageCode\ttypeId\tterm\tcaseSignifican"
        "ceId";
    const std::string lh =
        "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\tacceptabilityId";
    en.line(dh);
    sv.line(dh);
    len.line(lh);
    lsv.line(lh);
    auto desc = [&](Out& f, Out& l, const std::string& refset, const std::string& conceptId,
                    const char* lang, const char* type, const std::string& term, bool preferred) {
      const std::string id = sct(descId++, '1');
      f.line(id + "\t" + date + "\t1\t" + mod + "\t" + conceptId + "\t" + lang + "\t" + type +
             "\t" + term + "\t900000000000448009");
      l.line(uid() + "\t" + date + "\t1\t" + mod + "\t" + refset + "\t" + id + "\t" +
             (preferred ? "900000000000548007" : "900000000000549004"));
    };
    const char *fsn = "900000000000003001", *syn = "900000000000013009";
    const std::string us = "900000000000509007", svr = "46011000052107";
    desc(en, len, us, root, "en", fsn, "SNOMED CT Concept (SNOMED RT+CTV3)", true);
    desc(en, len, us, isa, "en", fsn, "Is a (attribute)", true);
    for (int64_t i = 0; i < n; ++i) {
      const std::string c = cid(i);
      const std::string part = pick(g, kEnParts), kind = pick(g, kEnKinds), m = pick(g, kEnMods);
      const std::string svPart = pick(g, kSvParts), svKind = pick(g, kSvKinds),
                        svMod = pick(g, kSvMods);
      const std::string base = m + " " + part + " " + kind + " type " + std::to_string(i % 97);
      desc(en, len, us, c, "en", fsn, base + " (" + kTags[top[size_t(i)] % 10] + ")", true);
      desc(en, len, us, c, "en", syn, base, true);
      if (g() % 100 < 70)
        desc(en, len, us, c, "en", syn, part + " " + kind + " " + std::to_string(i % 89), false);
      // Swedish: a compound (hjärt+infarkt) with a modifier; some concepts have a synonym.
      desc(sv, lsv, svr, c, "sv", syn,
           svMod + " " + svPart + svKind + " typ " + std::to_string(i % 97), true);
      if (g() % 100 < 62)
        desc(sv, lsv, svr, c, "sv", syn, svPart + svKind + " " + std::to_string(i % 83), false);
    }
  }
  {
    Out r(dir + "/sct2_Relationship_Snapshot" + sfx);
    r.line(
        "id\teffectiveTime\tactive\tmoduleId\tsourceId\tdestinationId\trelationshipGroup\ttypeId\tc"
        "haracteristicTypeId\tmodifierId");
    int64_t relId = 1000;
    auto rel = [&](const std::string& s, const std::string& d, int grp, const std::string& type,
                   bool on) {
      r.line(sct(relId++, '2') + "\t" + date + "\t" + (on ? "1" : "0") + "\t" + mod + "\t" + s +
             "\t" + d + "\t" + std::to_string(grp) + "\t" + type +
             "\t900000000000011006\t900000000000451002");
    };
    rel(isa, root, 0, isa, true);
    for (const auto& a : attrs) rel(a, root, 0, isa, true);
    for (int64_t i = 0; i < n; ++i) {
      const std::string c = cid(i);
      if (i < 19) rel(c, root, 0, isa, true);
      for (auto p : parents[size_t(i)]) rel(c, cid(p), 0, isa, true);
      // Inactive historical IS-A rows, as a Snapshot carries them.
      const int old = int(g() % 4);
      for (int k = 0; k < old && i > 19; ++k)
        rel(c, cid(int64_t(g() % uint64_t(i))), 0, isa, false);
      if (i >= 19) {
        const int na = int(g() % 5);
        for (int k = 0; k < na; ++k)
          rel(c, cid(int64_t(g() % uint64_t(n))), 1 + k / 2, attrs[g() % attrs.size()], true);
      }
    }
  }
  {
    Out s(dir + "/der2_Refset_SimpleSnapshot" + sfx);
    s.line("id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId");
    for (int r = 0; r < 20; ++r)
      for (int k = 0; k < 500; ++k)
        s.line(uid() + "\t" + date + "\t1\t" + mod + "\t" + cid(19 + r) + "\t" +
               cid(int64_t(g() % uint64_t(n))));
    Out a(dir + "/der2_cRefset_AssociationSnapshot" + sfx);
    a.line(
        "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\ttargetComponentId");
    for (int64_t i = 0; i < n; ++i)
      if (!active[size_t(i)])
        a.line(uid() + "\t" + date + "\t1\t" + mod + "\t900000000000526001\t" + cid(i) + "\t" +
               cid(parents[size_t(i)].empty() ? 0 : parents[size_t(i)][0]));
  }
  std::printf("wrote %lld concepts to %s\n", static_cast<long long>(n), dir.c_str());
  return 0;
}
