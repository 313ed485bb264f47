// RF2 import of a small release written by the test itself, in the Swedish Edition's file layout.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "importers/rf2_importer.h"
#include "mapping/sctid.h"
#include "mapping/terminology.h"
#include "test_support.h"

using namespace regcat;
using regcat::test::TempDir;

namespace {

// Extension ids in a fake namespace (9999999) with valid check digits.
std::string sct(int item, char partition) {
  std::string body = std::to_string(item) + "9999999" + "1" + partition;
  return body + sctid::verhoeffDigit(body);
}

struct MiniRelease {
  std::string root = "138875005", isa = "116680003", finding = sct(1, '0'), disorder = sct(2, '0'),
              mi = sct(3, '0'), stemi = sct(4, '0'), old = sct(5, '0'), site = "363698007",
              heart = sct(6, '0'), urval = sct(7, '0');
  std::map<std::string, std::string> files;
  std::string date = "20260531", suffix = "SE1000052";

  void write(const std::string& dir) const {
    for (const auto& [name, body] : files) test::writeFile(dir + "/" + name, body);
  }

  MiniRelease() {
    const std::string mod = "45991000052106";
    auto conceptRow = [&](const std::string& id, int active) {
      return id + "\t" + date + "\t" + std::to_string(active) + "\t" + mod +
             "\t900000000000074008\r\n";
    };
    std::string c = "id\teffectiveTime\tactive\tmoduleId\tdefinitionStatusId\r\n";
    for (const auto& id : {root, isa, finding, disorder, mi, stemi, site, heart, urval})
      c += conceptRow(id, 1);
    c += conceptRow(old, 0);
    files["sct2_Concept_Snapshot_" + suffix + "_" + date + ".txt"] = c;

    int d = 100;
    std::string en =
        "id\teffectiveTime\tactive\tmoduleId\tconceptId\tlanguageCode\ttypeId\tterm\tcaseSignifican"
        "ceId\r\n";
    std::string sv = en,
                langEn =
                    "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\tacceptab"
                    "ilityId\r\n",
                langSv = langEn;
    int uuid = 0;
    auto row = [&](std::string& file, std::string& lang, const std::string& refset,
                   const std::string& conceptId, const std::string& code, const std::string& type,
                   const std::string& term, bool preferred) {
      const std::string id = sct(d++, '1');
      file += id + "\t" + date + "\t1\t" + mod + "\t" + conceptId + "\t" + code + "\t" + type +
              "\t" + term + "\t900000000000448009\r\n";
      char u[40];
      std::snprintf(u, sizeof u, "00000000-0000-4000-8000-%012d", ++uuid);
      lang += std::string(u) + "\t" + date + "\t1\t" + mod + "\t" + refset + "\t" + id + "\t" +
              (preferred ? "900000000000548007" : "900000000000549004") + "\r\n";
    };
    const std::string fsn = "900000000000003001", syn = "900000000000013009",
                      us = "900000000000509007", svr = "46011000052107";
    auto both = [&](const std::string& id, const std::string& fsnTerm, const std::string& enPt,
                    const std::string& svPt) {
      row(en, langEn, us, id, "en", fsn, fsnTerm, true);
      row(en, langEn, us, id, "en", syn, enPt, true);
      row(sv, langSv, svr, id, "sv", syn, svPt, true);
    };
    both(root, "SNOMED CT Concept (SNOMED RT+CTV3)", "SNOMED CT Concept", "SNOMED CT-begrepp");
    both(isa, "Is a (attribute)", "Is a", "är en");
    both(finding, "Clinical finding (finding)", "Clinical finding", "kliniskt fynd");
    both(disorder, "Disease (disorder)", "Disease", "sjukdom");
    both(mi, "Myocardial infarction (disorder)", "Myocardial infarction", "hjärtinfarkt");
    row(sv, langSv, svr, mi, "sv", syn, "myokardinfarkt", false);
    both(stemi, "ST elevation myocardial infarction (disorder)", "STEMI", "ST-höjningsinfarkt");
    both(old, "Heart attack (disorder)", "Heart attack", "hjärtattack");
    both(site, "Finding site (attribute)", "Finding site", "fyndlokalisation");
    both(heart, "Heart structure (body structure)", "Heart", "hjärta");
    both(urval, "Urval hjärtsjukdomar (foundation metadata concept)", "Heart urval",
         "urval hjärtsjukdomar");
    files["sct2_Description_Snapshot-en_" + suffix + "_" + date + ".txt"] = en;
    files["sct2_Description_Snapshot-sv_" + suffix + "_" + date + ".txt"] = sv;
    files["der2_cRefset_LanguageSnapshot-en_" + suffix + "_" + date + ".txt"] = langEn;
    files["der2_cRefset_LanguageSnapshot-sv_" + suffix + "_" + date + ".txt"] = langSv;

    int r = 200;
    std::string rel =
        "id\teffectiveTime\tactive\tmoduleId\tsourceId\tdestinationId\trelationshipGroup\ttypeId\tc"
        "haracteristicTypeId\tmodifierId\r\n";
    auto edge = [&](const std::string& s, const std::string& t, const std::string& dst, int g) {
      rel += sct(r++, '2') + "\t" + date + "\t1\t" + mod + "\t" + s + "\t" + dst + "\t" +
             std::to_string(g) + "\t" + t + "\t900000000000011006\t900000000000451002\r\n";
    };
    edge(isa, isa, root, 0);
    edge(finding, isa, root, 0);
    edge(disorder, isa, finding, 0);
    edge(mi, isa, disorder, 0);
    edge(stemi, isa, mi, 0);
    edge(site, isa, root, 0);
    edge(heart, isa, root, 0);
    edge(urval, isa, root, 0);
    edge(mi, site, heart, 1);
    edge(stemi, site, heart, 1);
    files["sct2_Relationship_Snapshot_" + suffix + "_" + date + ".txt"] = rel;
    files["der2_Refset_SimpleSnapshot_" + suffix + "_" + date + ".txt"] =
        "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\r\n"
        "10000000-0000-4000-8000-000000000001\t" +
        date + "\t1\t" + mod + "\t" + urval + "\t" + mi +
        "\r\n"
        "10000000-0000-4000-8000-000000000002\t" +
        date + "\t1\t" + mod + "\t" + urval + "\t" + stemi + "\r\n";
    files["der2_cRefset_AssociationSnapshot_" + suffix + "_" + date + ".txt"] =
        "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\ttargetComponentId\r"
        "\n"
        "20000000-0000-4000-8000-000000000001\t" +
        date + "\t1\t" + mod + "\t900000000000526001\t" + old + "\t" + mi + "\r\n";
  }
};

}  // namespace

TEST_CASE("RF2 import of a Swedish Edition layout release", "[rf2]") {
  TempDir dir;
  MiniRelease rel;
  rel.write(dir.path());
  test::TestStore t;
  const auto report = importRf2(*t.store, dir.path(), {});
  CHECK(report.edition == "45991000052106");
  CHECK(report.version == "http://snomed.info/sct/45991000052106/version/20260531");
  CHECK(report.load.concepts == 10);
  CHECK(report.load.refset_members == 3);

  Terminology term(*t.store);
  auto r = term.release(kSnomedSystem);
  REQUIRE(r);
  CHECK(r->version == report.version);
  CHECK(term.release(kSnomedSystem, "20260531"));

  auto mi = term.lookup(*r, rel.mi);
  REQUIRE(mi);
  CHECK(mi->summary.pt_sv == "hjärtinfarkt");
  CHECK(mi->summary.pt_en == "Myocardial infarction");
  CHECK(mi->summary.semantic_tag == "disorder");
  REQUIRE(mi->parents.size() == 1);
  CHECK(mi->parents[0].code == rel.disorder);
  REQUIRE(mi->attributes.size() == 1);
  CHECK(mi->attributes[0].value.code == rel.heart);
  CHECK(mi->attributes[0].group == 1);
  REQUIRE(mi->refsets.size() == 1);
  auto old = term.lookup(*r, rel.old);
  REQUIRE(old);
  CHECK_FALSE(old->summary.active);
  REQUIRE(old->replacements.size() == 1);
  CHECK(old->replacements[0].association == "REPLACED BY");
  CHECK(old->replacements[0].target.code == rel.mi);

  CHECK(term.subsumes(*r, rel.finding, rel.stemi));
  CHECK(term.subsumes(*r, rel.mi, rel.mi));
  CHECK_FALSE(term.subsumes(*r, rel.stemi, rel.mi));

  CHECK(term.evaluate(*r, "<< " + rel.mi)->size() == 2);
  CHECK(term.evaluate(*r, "^ " + rel.urval)->size() == 2);
  CHECK(term.evaluate(*r, "< " + rel.finding + " : " + rel.site + " = " + rel.heart)->size() == 2);

  // Swedish search: exact, without å/ä/ö, and inside a compound.
  for (const char* q : {"hjärtinfarkt", "hjartinfarkt", "infarkt"}) {
    ConceptQuery cq;
    cq.q = q;
    auto hits = term.search(*r, cq);
    INFO(q);
    REQUIRE_FALSE(hits.empty());
    CHECK(hits[0].summary.code == rel.mi);
    for (const auto& h : hits) CHECK(h.summary.active);  // the inactive "hjärtattack" never
  }
  ConceptQuery constrained;
  constrained.q = "infarkt";
  constrained.ecl = "< " + rel.mi;
  auto only = term.search(*r, constrained);
  REQUIRE(only.size() == 1);
  CHECK(only[0].summary.code == rel.stemi);

  // The same release again changes nothing.
  CHECK(importRf2(*t.store, dir.path(), {}).load.skipped);
  CHECK(term.releases().size() == 1);
}

TEST_CASE("a bad RF2 row names file and line and leaves the previous release intact", "[rf2]") {
  TempDir good, bad;
  MiniRelease rel;
  rel.write(good.path());
  test::TestStore t;
  importRf2(*t.store, good.path(), {});

  MiniRelease broken;  // the same content with one concept id's check digit corrupted
  auto& concepts = broken.files["sct2_Concept_Snapshot_SE1000052_20260531.txt"];
  const size_t pos = concepts.find(broken.mi);
  REQUIRE(pos != std::string::npos);
  concepts[pos + broken.mi.size() - 1] = concepts[pos + broken.mi.size() - 1] == '0' ? '1' : '0';
  // A different version, so it would be a second release if it loaded.
  std::map<std::string, std::string> renamed;
  for (auto& [name, body] : broken.files) {
    std::string n = name;
    n.replace(n.find("20260531"), 8, "20261130");
    renamed[n] = body;
  }
  broken.files = renamed;
  broken.write(bad.path());
  try {
    importRf2(*t.store, bad.path(), {});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("sct2_Concept_Snapshot_SE1000052_20261130.txt:") !=
          std::string::npos);
    CHECK(std::string(e.what()).find("check digit") != std::string::npos);
  }
  Terminology term(*t.store);
  REQUIRE(term.releases().size() == 1);
  CHECK(term.releases()[0].effective == "20260531");
}

TEST_CASE("RF2 header and column checks", "[rf2]") {
  TempDir dir;
  MiniRelease rel;
  auto& rels = rel.files["sct2_Relationship_Snapshot_SE1000052_20260531.txt"];
  rels += "too\tfew\tcolumns\r\n";
  rel.write(dir.path());
  test::TestStore t;
  CHECK_THROWS_WITH(importRf2(*t.store, dir.path(), {}),
                    Catch::Contains("sct2_Relationship_Snapshot_SE1000052_20260531.txt:12") &&
                        Catch::Contains("expected 10"));
  CHECK(Terminology(*t.store).releases().empty());
  CHECK_THROWS_WITH(importRf2(*t.store, dir.file("nope"), {}), Catch::Contains("no such"));
}

TEST_CASE(
    "International and Swedish Edition files side by side load as one release; several releases "
    "are held",
    "[rf2]") {
  TempDir dir;
  MiniRelease rel;
  // The metadata concepts (root, IS-A, finding site) come from an International Edition concept
  // file in its own folder, the way an edition package lies beside the International release.
  const std::set<std::string> core = {rel.root, rel.isa, rel.site};
  const std::string conceptFile = "sct2_Concept_Snapshot_SE1000052_20260531.txt";
  std::istringstream in(rel.files[conceptFile]);
  std::string header, line, intBody, seBody;
  std::getline(in, header);
  intBody = seBody = header + "\n";
  while (std::getline(in, line))
    (core.count(line.substr(0, line.find('\t'))) ? intBody : seBody) += line + "\n";
  std::filesystem::create_directories(dir.file("int"));
  std::filesystem::create_directories(dir.file("se"));
  test::writeFile(dir.file("int/sct2_Concept_Snapshot_INT_20260131.txt"), intBody);
  rel.files[conceptFile] = seBody;
  for (const auto& [n, b] : rel.files) test::writeFile(dir.file("se/" + n), b);

  test::TestStore t;
  const auto report = importRf2(*t.store, dir.path(), {});
  CHECK(report.edition == "45991000052106");
  CHECK(report.load.concepts == 10);  // the International and the Swedish concepts together
  Terminology term(*t.store);
  auto r = term.release(kSnomedSystem);
  REQUIRE(r);
  CHECK(term.subsumes(*r, rel.root, rel.stemi));

  // A second, newer release is held beside the first; the newest is the default.
  TempDir next;
  MiniRelease later;
  for (const auto& [name, body] : later.files) {
    std::string n = name;
    n.replace(n.find("20260531"), 8, "20261130");
    std::string b = body;
    size_t p = 0;
    while ((p = b.find("20260531", p)) != std::string::npos) b.replace(p, 8, "20261130");
    test::writeFile(next.file(n), b);
  }
  importRf2(*t.store, next.path(), {});
  CHECK(term.releases().size() == 2);
  CHECK(term.release(kSnomedSystem)->effective == "20261130");
  CHECK(term.release(kSnomedSystem, "20260531")->effective == "20260531");
  CHECK(term.release(kSnomedSystem, "http://snomed.info/sct/45991000052106/version/20260531"));
}
