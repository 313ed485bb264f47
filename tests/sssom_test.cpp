// SSSOM/TSV reading (importers/sssom_reader), writing (exporters/sssom_writer) and the FHIR R4
// ConceptMap and $translate writers (exporters/fhir_conceptmap_writer). The official SSSOM
// examples come from ../shared/conformance/sssom; the exported files are validated against the
// SSSOM JSON Schema and the FHIR R4 specification with Node (tests/conformance, installed by
// scripts/test).
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <sstream>

#include "catalog/errors.h"
#include "exporters/fhir_conceptmap_writer.h"
#include "exporters/sssom_writer.h"
#include "importers/sssom_reader.h"
#include "test_support.h"

using namespace regcat;

namespace {

std::string example(const std::string& name) {
  return test::readFile(test::sourceDir() + "/../shared/conformance/sssom/examples/" + name);
}

std::string fixture() {
  return test::readFile(test::sourceDir() + "/tests/fixtures/sssom/register-mappings.sssom.tsv");
}

const SssomResolvedMapping& bySubject(const SssomResolution& r, const std::string& key) {
  for (const auto& m : r.mappings)
    if (m.mapping.subject.key() == key) return m;
  FAIL("no mapping of " << key);
  throw std::logic_error("unreachable");
}

Mapping mapping(const std::string& subject, const std::string& system, const std::string& code,
                const std::string& predicate = "skos:exactMatch",
                const std::string& status = "approved") {
  Mapping m;
  auto s = MappingSubject::parse(subject);
  REQUIRE(s);
  m.subject = *s;
  m.subject_label = "Etikett för " + subject;
  m.system = system;
  m.concept_id = code;
  m.concept_label = code == kNoTermFound ? "" : "begrepp " + code;
  m.predicate = predicate;
  m.status = status;
  return m;
}

// A mapping set with every feature the writer must carry: code-level subjects with characters
// that need encoding, every target system, no-match, labels and comments with tabs, line
// breaks, quotes and å/ä/ö, confidences, ORCID and plain authors, all four statuses.
std::vector<Mapping> sampleSet() {
  const std::string sct = "http://snomed.info/sct";
  std::vector<Mapping> v;
  v.push_back(mapping("strokereg/akut/rokning", sct, "14029999999100"));
  v.back().confidence = 0.95;
  v.back().author = "orcid:0000-0002-1825-0097";
  v.back().reviewer = "orcid:0000-0001-5109-3700";
  v.back().comment = "Rökvanor vid \"insjuknandet\";\ttabb och\nny rad, även å/ä/ö.";
  v.back().release = "http://snomed.info/sct/45991000052106/version/20260531";
  v.back().reviewed_at = "2026-02-14T10:00:00Z";
  v.push_back(mapping("strokereg/akut/rokning#1", sct, "14069999999109"));
  v.back().confidence = 1.0 / 3.0;
  v.back().author = "Anna Lindqvist";
  v.back().reviewer = "kalle";
  v.push_back(mapping("strokereg/akut/rokning#2", sct, "14049999999108", "skos:closeMatch"));
  v.push_back(mapping("strokereg/akut/rokning#9 okänd | #x", sct, "14079999999101",
                      "skos:narrowMatch", "proposed"));
  v.back().justification = kLexicalMatching;
  v.back().confidence = 0.5;
  v.push_back(mapping("strokereg/akut/medvetande", sct, kNoTermFound));
  v.back().comment = "Inget lämpligt begrepp";
  v.push_back(mapping("strokereg/akut/strokediagnos#2", "http://hl7.org/fhir/sid/icd-10-se", "I63",
                      "skos:broadMatch"));
  v.push_back(mapping("strokereg/akut/hypertoni_beh", sct, "10309999999101", "skos:relatedMatch",
                      "rejected"));
  v.back().reviewer = "orcid:0000-0001-5109-3700";
  v.back().review_comment = "not exported: SSSOM has no slot for it";
  v.push_back(mapping("strokereg/akut/antikoag_fore", "http://www.whocc.no/atc", "B01AA03",
                      "skos:broadMatch", "suggested"));
  v.back().justification = kLexicalMatching;
  v.push_back(mapping("hoftprotes/primaroperation/operationstyp#total cementerad",
                      "urn:oid:1.2.752.116.1.3.2.1.4", "NFB49"));
  v.push_back(mapping("diabetes/besok/hba1c", "http://informationsstruktur.socialstyrelsen.se",
                      "NI-hba1c"));
  return v;
}

rapidjson::Document json(const std::string& s) {
  rapidjson::Document d;
  d.Parse(s.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

// The Parameters part of a $translate match with that name.
const rapidjson::Value* part(const rapidjson::Value& match, const char* name) {
  for (const auto& p : match["part"].GetArray())
    if (std::string(p["name"].GetString()) == name) return &p;
  return nullptr;
}

std::string errorOf(const std::string& text) {
  try {
    parseSssom(text, "bad.sssom.tsv");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kHeader =
    "# curie_map:\n"
    "#   SCTID: http://snomed.info/id/\n"
    "#   regcat: https://regcat.example.se/variables/\n"
    "# mapping_set_id: https://example.se/m.sssom.tsv\n"
    "# license: https://creativecommons.org/publicdomain/zero/1.0/\n"
    "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\n";

}  // namespace

TEST_CASE("SSSOM: the official examples parse", "[sssom]") {
  const auto foodie = parseSssom(example("foodie-inc-2022-05-01.sssom.tsv"), "foodie.sssom.tsv");
  CHECK(foodie.metadata.mapping_set_id == "https://w3id.org/sssom/tutorial/example1.sssom.tsv");
  CHECK(foodie.metadata.mapping_set_version == "2022-05-01");
  CHECK(foodie.metadata.mapping_date == "2022-05-02");
  CHECK(foodie.metadata.license == "https://creativecommons.org/licenses/by/4.0/");
  CHECK(foodie.metadata.object_source == "wikidata:Q55118395");
  // A plain scalar folded over two lines, with quotes inside it.
  CHECK(foodie.metadata.comment ==
        "We could map to FOODON:00004187 instead which more specifically refers to 'raw' Pink "
        "apples. Decided against to be consistent with other mapping choices.");
  CHECK(foodie.metadata.mapping_set_description.rfind("Manually curated alignment", 0) == 0);
  REQUIRE(foodie.curie_map.size() == 10);
  CHECK(foodie.curie_map[0] ==
        std::pair<std::string, std::string>("FOODON", "http://purl.obolibrary.org/obo/FOODON_"));
  REQUIRE(foodie.rows.size() == 5);
  CHECK(foodie.header_line == 24);
  CHECK(foodie.rows[0].line == 25);
  CHECK(foodie.rows[0].subject_id == "KF_FOOD:F001");
  CHECK(foodie.rows[0].confidence == "0.95");
  CHECK(foodie.rows[0].comment ==
        "We could map to FOODON:03310788 instead to cover sliced apples, but only \"whole\" "
        "apple types exist.");
  CHECK(foodie.rows[3].object_id == "sssom:NoMapping");
  CHECK(foodie.rows[4].predicate_id == "skos:broadMatch");
  CHECK(foodie.rows[4].object_source_version ==
        "http://purl.obolibrary.org/obo/foodon/releases/2022-02-01/foodon.owl");

  const auto mphp = parseSssom(example("mp-hp-exact-0.0.1.sssom.tsv"), "mp-hp.sssom.tsv");
  CHECK(mphp.metadata.mapping_provider == "http://purl.obolibrary.org/obo/upheno.owl");
  REQUIRE(mphp.rows.size() == 42);
  CHECK(mphp.rows[0].line == 14);
  CHECK(mphp.rows[41].line == 55);
  CHECK(mphp.rows[41].object_label == "cleft chin");

  // Neither maps regcat variables: every row is reported, on its line, at its subject.
  const auto r = resolveSssom(mphp);
  CHECK(r.mappings.empty());
  REQUIRE(r.problems.size() == 42);
  CHECK(r.problems[0].line == 14);
  CHECK(r.problems[0].column == "subject_id");
  CHECK(r.problems[0].describe().rfind("mp-hp.sssom.tsv:14: subject_id: 'HP:0000175' is not a "
                                       "regcat variable",
                                       0) == 0);
}

TEST_CASE("SSSOM: a register's mapping file from another tool", "[sssom]") {
  const auto doc = parseSssom(fixture(), "register-mappings.sssom.tsv");
  CHECK(doc.metadata.mapping_set_title == "Riksstroke – SNOMED CT, ICD-10-SE och KVÅ");
  // The continuation line's " # ..." is a YAML comment, not part of the value.
  CHECK(doc.metadata.comment ==
        "Mappningar för Riksstroke och Höftprotesregistret, granskade av registrens "
        "informatiker.");
  CHECK(doc.metadata.creator_id == std::vector<std::string>{"orcid:0000-0002-1825-0097"});
  REQUIRE(doc.rows.size() == 8);
  // The third row's comment spans two lines, so the fourth starts on line 30.
  CHECK(doc.rows[2].line == 28);
  CHECK(doc.rows[2].comment == "Omfattar även före detta rökare,\nsom SNOMED CT skiljer ut.");
  CHECK(doc.rows[3].line == 30);

  SssomResolveOptions opt;
  opt.base_uri = "https://regcat.example.se";
  const auto r = resolveSssom(doc, opt);
  for (const auto& p : r.problems) INFO(p.describe());
  REQUIRE(r.problems.empty());
  REQUIRE(r.mappings.size() == 8);

  const auto& rok = bySubject(r, "strokereg/akut/rokning");
  CHECK(rok.line == 26);
  CHECK(rok.mapping.subject_label == "Rökning");
  CHECK(rok.mapping.system == "http://snomed.info/sct");
  CHECK(rok.mapping.concept_id == "14029999999100");
  CHECK(rok.mapping.concept_label == "fynd avseende rökvanor");
  CHECK(rok.mapping.predicate == "skos:exactMatch");
  CHECK(rok.mapping.status == "proposed");
  CHECK(rok.mapping.justification == kManualCuration);
  CHECK(rok.mapping.confidence == Approx(0.95));
  CHECK(rok.mapping.author == "orcid:0000-0002-1825-0097");
  CHECK(rok.mapping.reviewer == "orcid:0000-0001-5109-3700");
  CHECK(rok.mapping.comment ==
        "Rökvanor vid insjuknandet; \"rökning\" avser tobak, även snus räknas inte.");
  CHECK(rok.mapping.release == "http://snomed.info/sct/45991000052106/version/20260531");
  CHECK(rok.mapping_date == "2026-02-14");

  const auto& code1 = bySubject(r, "strokereg/akut/rokning#1");
  CHECK(code1.mapping.subject.code == "1");
  CHECK(code1.mapping.concept_id == "14069999999109");
  // sct: is another name of the same namespace.
  CHECK(bySubject(r, "strokereg/akut/rokning#2").mapping.predicate == "skos:closeMatch");
  CHECK(bySubject(r, "strokereg/akut/rokning#2").mapping.concept_id == "14049999999108");
  const auto& hyp = bySubject(r, "strokereg/akut/hypertoni_beh");
  CHECK(hyp.mapping.author == "Anna Lindqvist");  // from author_label
  CHECK(hyp.mapping.justification == kLexicalMatching);
  CHECK(hyp.mapping_date == "2026-03-01");  // the set's
  const auto& icd = bySubject(r, "strokereg/akut/strokediagnos#2");
  CHECK(icd.mapping.system == "http://hl7.org/fhir/sid/icd-10-se");
  CHECK(icd.mapping.concept_id == "I63");
  CHECK(icd.mapping.predicate == "skos:broadMatch");
  CHECK(icd.mapping.confidence == Approx(1.0));
  // riksstroke: expands under {base}/variables/strokereg/; owl:equivalentClass is exactMatch.
  const auto& diag = bySubject(r, "strokereg/akut/strokediagnos");
  CHECK(diag.mapping.predicate == "skos:exactMatch");
  CHECK_FALSE(diag.mapping.confidence);
  // No concept: the system is the set's object_source.
  const auto& none = bySubject(r, "strokereg/akut/medvetande");
  CHECK(none.mapping.isNoMatch());
  CHECK(none.mapping.system == "http://snomed.info/sct");
  // A percent-encoded code.
  const auto& kva = bySubject(r, "hoftprotes/primaroperation/operationstyp#total cementerad");
  CHECK(kva.mapping.system == "urn:oid:1.2.752.116.1.3.2.1.4");
  CHECK(kva.mapping.concept_id == "NFB49");

  opt.default_status = "approved";
  for (const auto& m : resolveSssom(doc, opt).mappings) CHECK(m.mapping.status == "approved");
}

TEST_CASE("SSSOM: bad rows are reported with their line and column", "[sssom]") {
  const std::string text = kHeader +
                           "regcat:strokereg/akut/a\tskos:broaderTransitive\tSCTID:14029999999100\t"
                           "semapv:ManualMappingCuration\t\n"  // line 7
                           "regcat:strokereg/akut/b\tskos:exactMatch\tSCTID:14029999999100\t"
                           "semapv:ManualMappingCuration\t1.5\n"  // 8
                           "regcat:strokereg/akut/c\tskos:exactMatch\tSCTID:14029999999100\t"
                           "semapv:ManualMappingCuration\thög\n"  // 9
                           "strokereg/akut/d\tskos:exactMatch\tSCTID:14029999999100\t"
                           "semapv:ManualMappingCuration\t\n"  // 10
                           "regcat:strokereg/akut/e\tskos:exactMatch\tfoo:123\t"
                           "semapv:ManualMappingCuration\t\n"  // 11
                           "regcat:strokereg/akut/f\tskos:exactMatch\tSCTID:14029999999101\t"
                           "semapv:ManualMappingCuration\t\n"  // 12: wrong check digit
                           "regcat:strokereg/akut\tskos:exactMatch\tSCTID:14029999999100\t"
                           "semapv:ManualMappingCuration\t\n"  // 13
                           "regcat:strokereg/akut/h\tskos:exactMatch\tSCTID:14029999999100\t"
                           "semapv:Guesswork\t\n"  // 14
                           "regcat:strokereg/akut/i\tskos:exactMatch\tsssom:NoTermFound\t"
                           "semapv:ManualMappingCuration\t\n"  // 15: no object_source
                           "regcat:strokereg/akut/j\tskos:exactMatch\tSCTID:14029999999100\t"
                           "semapv:ManualMappingCuration\t0.7\n"  // 16: fine
                           "regcat:strokereg/akut/j\tskos:closeMatch\tSCTID:14029999999100\t"
                           "semapv:ManualMappingCuration\t\n"  // 17: the same pair again
                           "http://x.se/a\tskos:exactMatch\tSCTID:14029999999100\t"
                           "semapv:ManualMappingCuration\t\n";  // 18
  const auto r = resolveSssom(parseSssom(text, "bad.sssom.tsv"),
                              SssomResolveOptions{"https://regcat.example.se", "proposed", {}});
  REQUIRE(r.mappings.size() == 1);
  CHECK(r.mappings[0].line == 16);
  std::vector<std::pair<size_t, std::string>> got;
  for (const auto& p : r.problems) got.emplace_back(p.line, p.column);
  CHECK(got == std::vector<std::pair<size_t, std::string>>{{7, "predicate_id"},
                                                           {8, "confidence"},
                                                           {9, "confidence"},
                                                           {10, "subject_id"},
                                                           {11, "object_id"},
                                                           {12, "object_id"},
                                                           {13, "subject_id"},
                                                           {14, "mapping_justification"},
                                                           {15, "object_source"},
                                                           {17, "object_id"},
                                                           {18, "subject_id"}});
  REQUIRE(r.problems.size() == 11);
  CHECK(r.problems[0].describe() ==
        "bad.sssom.tsv:7: predicate_id: 'skos:broaderTransitive' is not one of skos:exactMatch, "
        "skos:closeMatch, skos:broadMatch, skos:narrowMatch, skos:relatedMatch");
  CHECK(r.problems[1].message == "'1.5' is not a number between 0 and 1");
  CHECK(r.problems[3].message.find("not a CURIE") != std::string::npos);
  CHECK(r.problems[4].message.find("'foo' of 'foo:123' is not declared") != std::string::npos);
  CHECK(r.problems[5].message.find("not a SNOMED CT concept id") != std::string::npos);
  CHECK(r.problems[9].message.find("first on line 16") != std::string::npos);
  CHECK(r.problems[10].message.find("is an IRI") != std::string::npos);

  // Status: the column, the set's value, predicate_modifier Not.
  const std::string statuses =
      "# curie_map:\n#   SCTID: http://snomed.info/id/\n#   regcat: http://localhost:8080/"
      "variables/\n# regcat_status: approved\n"
      "subject_id\tpredicate_id\tpredicate_modifier\tobject_id\tmapping_justification\t"
      "regcat_status\n"
      "regcat:r/d/a\tskos:exactMatch\t\tSCTID:14029999999100\tsemapv:MappingReview\t\n"
      "regcat:r/d/b\tskos:exactMatch\t\tSCTID:14029999999100\tsemapv:MappingReview\tsuggested\n"
      "regcat:r/d/c\tskos:exactMatch\tNot\tSCTID:14029999999100\tsemapv:MappingReview\t\n"
      "regcat:r/d/d\tskos:exactMatch\tNot\tSCTID:14029999999100\tsemapv:MappingReview\tapproved\n"
      "regcat:r/d/e\tskos:exactMatch\t\tSCTID:14029999999100\tsemapv:MappingReview\tgodkänd\n";
  const auto s = resolveSssom(parseSssom(statuses, "s.sssom.tsv"));
  REQUIRE(s.mappings.size() == 3);
  CHECK(s.mappings[0].mapping.status == "approved");
  CHECK(s.mappings[1].mapping.status == "suggested");
  CHECK(s.mappings[2].mapping.status == "rejected");
  REQUIRE(s.problems.size() == 2);
  CHECK(s.problems[0].line == 9);
  CHECK(s.problems[0].column == "predicate_modifier");
  CHECK(s.problems[1].line == 10);
  CHECK(s.problems[1].column == "regcat_status");
}

TEST_CASE("SSSOM: malformed files are refused with file:line", "[sssom]") {
  const std::string table = "subject_id\tpredicate_id\tobject_id\tmapping_justification\n";
  CHECK(errorOf("# curie_map:\n#   a: http://a/\nsubject_id\tpredicate_id\tobject_id\n") ==
        "bad.sssom.tsv:3: the header has no mapping_justification column");
  CHECK(errorOf("# curie_map:\n#   a: http://a/\n" + table + "a:1\tskos:exactMatch\ta:2\tx\ty\n") ==
        "bad.sssom.tsv:4: the row has 5 cells but the header has 4 columns");
  CHECK(errorOf("# license: &lic http://x\n" + table) ==
        "bad.sssom.tsv:1: YAML anchors, aliases and tags are not supported");
  CHECK(errorOf("# comment: |\n#   text\n" + table).rfind("bad.sssom.tsv:1: YAML block", 0) == 0);
  CHECK(errorOf("# license: 'open\n# comment: x\n" + table)
            .rfind("bad.sssom.tsv:1: the quoted value is never closed", 0) == 0);
  CHECK(errorOf("# curie_map:\n#   a:\n#     b: c\n" + table)
            .rfind("bad.sssom.tsv:3: nested YAML structures", 0) == 0);
  CHECK(errorOf("# license: x\n#  extra: y\n" + table).rfind("bad.sssom.tsv:2:", 0) == 0);
  CHECK(errorOf("# license: x\n# license: y\n" + table) ==
        "bad.sssom.tsv:2: metadata key 'license' appears twice (first on line 1)");
  CHECK(errorOf("# curie_map:\n#   skos: http://example.org/skos#\n" + table)
            .rfind("bad.sssom.tsv:2: curie_map: the built-in prefix 'skos' must expand", 0) == 0);
  CHECK(errorOf("# license: x\n" + table + "a:1\tskos:exactMatch\t\"a:2\tx\n")
            .rfind("bad.sssom.tsv:3: a quoted field is never closed", 0) == 0);
  CHECK(errorOf("# license: x\n#\tcomment: y\n" + table).rfind("bad.sssom.tsv:2:", 0) == 0);
  CHECK(errorOf("# mapping_set_title: [a, b]\n" + table)
            .rfind("bad.sssom.tsv:1: 'mapping_set_title' takes a single value", 0) == 0);
  CHECK(errorOf("# other_thing:\n#   a: b\n" + table).rfind("bad.sssom.tsv:1: 'other_thing'", 0) ==
        0);

  // What the subset does accept: quoting styles, flow and block lists, extension definitions.
  const auto ok = parseSssom(
      "#mapping_set_title: \"tab\\there \\u00e5\"\n"
      "#mapping_set_description: 'it''s\n"
      "#  folded'\n"
      "#creator_id: [orcid:1, 'orcid:2']\n"
      "#mapping_set_source:\n"
      "#- a:1\n"
      "#- a:2\n"
      "#extension_definitions:\n"
      "#  - slot_name: regcat_status\n"
      "#    property: adms:status\n"
      "#regcat_status: approved\n" +
          table,
      "ok.sssom.tsv");
  CHECK(ok.metadata.mapping_set_title == "tab\there å");
  CHECK(ok.metadata.mapping_set_description == "it's folded");
  CHECK(ok.metadata.creator_id == std::vector<std::string>{"orcid:1", "orcid:2"});
  CHECK(ok.metadata.mapping_set_source == std::vector<std::string>{"a:1", "a:2"});
  REQUIRE(ok.metadata.extension_definitions.size() == 1);
  CHECK(ok.metadata.extension_definitions[0].property == "adms:status");
  CHECK(ok.metadata.other ==
        SssomSlots{std::pair<std::string, std::string>("regcat_status", "approved")});
}

TEST_CASE("SSSOM: write, read and resolve give the same mappings", "[sssom]") {
  const auto set = sampleSet();
  SssomWriteOptions wopt;
  wopt.base_uri = "https://regcat.example.se/";
  wopt.title = "Riksstroke: mappningar, även ”citat”";
  wopt.creator_id = {"orcid:0000-0002-1825-0097"};
  wopt.version = "2026.1";
  wopt.statuses = {"approved", "proposed", "suggested", "rejected"};
  std::ostringstream out;
  CHECK(writeSssom(out, set, wopt) == set.size());
  const std::string text = out.str();
  INFO(text);
  CHECK(text.find("# mapping_set_id: https://regcat.example.se/mappings/all.sssom.tsv\n") !=
        std::string::npos);
  CHECK(text.find("#   regcat: https://regcat.example.se/variables/\n") != std::string::npos);
  CHECK(text.find("#   orcid: https://orcid.org/\n") != std::string::npos);
  CHECK(text.find("#   owl:") == std::string::npos);  // only prefixes that are used
  CHECK(text.find("regcat:strokereg/akut/rokning#9%20okänd%20%7C%20%23x\t") != std::string::npos);

  const auto doc = parseSssom(text, "export.sssom.tsv");
  CHECK(doc.metadata.mapping_set_title == wopt.title);
  CHECK(doc.metadata.mapping_set_version == "2026.1");
  CHECK(doc.metadata.license == "https://creativecommons.org/publicdomain/zero/1.0/");
  CHECK(doc.metadata.creator_id == wopt.creator_id);
  SssomResolveOptions ropt;
  ropt.base_uri = "https://regcat.example.se";
  const auto r = resolveSssom(doc, ropt);
  for (const auto& p : r.problems) INFO(p.describe());
  REQUIRE(r.problems.empty());
  REQUIRE(r.mappings.size() == set.size());
  for (const auto& m : set) {
    INFO(m.subject.key());
    const auto& got = bySubject(r, m.subject.key());
    CHECK(got.mapping.subject == m.subject);
    CHECK(got.mapping.subject_label == m.subject_label);
    CHECK(got.mapping.system == m.system);
    CHECK(got.mapping.concept_id == m.concept_id);
    CHECK(got.mapping.concept_label == m.concept_label);
    CHECK(got.mapping.predicate == m.predicate);
    CHECK(got.mapping.status == m.status);
    CHECK(got.mapping.justification == m.justification);
    CHECK(got.mapping.confidence == m.confidence);  // exactly: shortest round-trip form
    CHECK(got.mapping.author == m.author);
    CHECK(got.mapping.reviewer == m.reviewer);
    CHECK(got.mapping.comment == m.comment);
    CHECK(got.mapping.release == m.release);
  }
  CHECK(bySubject(r, "strokereg/akut/rokning").mapping_date == "2026-02-14");

  // By default only approved mappings are published; a register's set holds its own only.
  std::ostringstream approvedOnly;
  CHECK(writeSssom(approvedOnly, set, SssomWriteOptions{}) == 7);
  CHECK(approvedOnly.str().find("predicate_modifier") == std::string::npos);
  SssomWriteOptions one;
  one.register_id = "strokereg";
  std::ostringstream strokereg;
  CHECK(writeSssom(strokereg, set, one) == 5);
  CHECK(strokereg.str().find(
            "# mapping_set_id: http://localhost:8080/mappings/strokereg.sssom.tsv\n") !=
        std::string::npos);
  CHECK(strokereg.str().find("regcat:hoftprotes") == std::string::npos);

  // A system without a prefix cannot be written as a CURIE.
  std::ostringstream bad;
  auto unknown = set;
  unknown[0].system = "http://example.org/codes";
  CHECK_THROWS_WITH(writeSssom(bad, unknown, wopt),
                    Catch::Contains("strokereg/akut/rokning: no CURIE prefix is known"));
  SssomWriteOptions extra = wopt;
  extra.system_prefixes = {{"EX", "http://example.org/codes/", "http://example.org/codes"}};
  std::ostringstream ok;
  writeSssom(ok, unknown, extra);
  SssomResolveOptions ropt2 = ropt;
  ropt2.system_prefixes = extra.system_prefixes;
  const auto r2 = resolveSssom(parseSssom(ok.str(), "ex.sssom.tsv"), ropt2);
  CHECK(r2.problems.empty());
  CHECK(bySubject(r2, "strokereg/akut/rokning").mapping.system == "http://example.org/codes");
}

TEST_CASE("FHIR: a register's ConceptMap and $translate", "[sssom][fhir]") {
  const auto set = sampleSet();
  ConceptMapOptions opt;
  opt.base_uri = "https://regcat.example.se";
  opt.register_id = "strokereg";
  opt.register_name = "Riksstroke";
  opt.date = "2026-03-01T12:00:00Z";
  const auto cm = json(conceptMapJson(set, opt));
  CHECK(std::string(cm["resourceType"].GetString()) == "ConceptMap");
  CHECK(std::string(cm["id"].GetString()) == "strokereg");
  CHECK(std::string(cm["url"].GetString()) ==
        "https://regcat.example.se/fhir/ConceptMap/strokereg");
  CHECK(std::string(cm["sourceUri"].GetString()) ==
        "https://regcat.example.se/registers/strokereg");
  CHECK_FALSE(cm.HasMember("targetUri"));  // SNOMED CT and ICD-10-SE
  // Approved strokereg mappings only: variables -> SCT, rokning's codes -> SCT, strokediagnos's
  // codes -> ICD-10-SE.
  const auto& groups = cm["group"];
  REQUIRE(groups.Size() == 3);
  std::map<std::string, std::string> equivalence;  // source code -> equivalence(s)
  for (const auto& g : groups.GetArray()) {
    for (const auto& e : g["element"].GetArray())
      for (const auto& t : e["target"].GetArray()) {
        const std::string eq = t["equivalence"].GetString();
        equivalence[std::string(g["source"].GetString()) + " " + e["code"].GetString()] = eq;
        if (eq == "unmatched") CHECK_FALSE(t.HasMember("code"));
        if (eq == "narrower" || eq == "inexact") CHECK(t.HasMember("comment"));  // cmd-1
      }
  }
  const std::string vars = "https://regcat.example.se/variables";
  CHECK(equivalence == std::map<std::string, std::string>{
                           {vars + " strokereg/akut/medvetande", "unmatched"},
                           {vars + " strokereg/akut/rokning", "equivalent"},
                           {vars + "/strokereg/akut/rokning 1", "equivalent"},
                           {vars + "/strokereg/akut/rokning 2", "inexact"},
                           {vars + "/strokereg/akut/strokediagnos 2", "wider"},
                       });
  CHECK(std::string(groups[0]["target"].GetString()) == "http://snomed.info/sct");
  CHECK(std::string(groups[0]["targetVersion"].GetString()) ==
        "http://snomed.info/sct/45991000052106/version/20260531");
  CHECK(conceptMapId("hjart_kirurgi") == "hjart.kirurgi");
  CHECK_THROWS_AS(conceptMapJson(set, ConceptMapOptions{}), Error);

  // $translate from a variable to its target, and the other way round.
  std::vector<Mapping> found = {set[0], set[3], set[6]};  // approved, proposed, rejected
  TranslateOptions topt;
  topt.base_uri = "https://regcat.example.se";
  const auto tr = json(translateResult(found, topt));
  CHECK(std::string(tr["resourceType"].GetString()) == "Parameters");
  const auto& ps = tr["parameter"];
  REQUIRE(ps.Size() == 3);  // result, message, one match
  CHECK(ps[0]["valueBoolean"].GetBool());
  const auto& match = ps[2];
  CHECK(std::string(part(match, "equivalence")->operator[]("valueCode").GetString()) ==
        "equivalent");
  CHECK(std::string(part(match, "concept")->operator[]("valueCoding")["code"].GetString()) ==
        "14029999999100");
  CHECK(std::string(part(match, "source")->operator[]("valueUri").GetString()) ==
        "https://regcat.example.se/fhir/ConceptMap/strokereg");
  topt.reverse = true;
  const auto rev = json(translateResult({set[5]}, topt));
  const auto& rmatch = rev["parameter"][2];
  CHECK(std::string(part(rmatch, "equivalence")->operator[]("valueCode").GetString()) ==
        "narrower");  // the variable's code is narrower than I63
  CHECK(std::string(part(rmatch, "concept")->operator[]("valueCoding")["system"].GetString()) ==
        vars + "/strokereg/akut/strokediagnos");
  const auto nothing = json(translateResult({set[4]}, TranslateOptions{}));
  CHECK_FALSE(nothing["parameter"][0]["valueBoolean"].GetBool());
  CHECK(nothing["parameter"].Size() == 3);  // the unmatched match is reported
}

TEST_CASE("SSSOM and ConceptMap exports are valid against the official schemas",
          "[sssom][fhir][conformance]") {
  test::TempDir out;
  const auto set = sampleSet();
  SssomWriteOptions wopt;
  wopt.register_id = "strokereg";
  wopt.creator_id = {"orcid:0000-0002-1825-0097"};
  wopt.statuses = {"approved", "proposed", "suggested", "rejected"};
  std::ostringstream sssom;
  writeSssom(sssom, set, wopt);
  test::writeFile(out.file("strokereg.sssom.tsv"), sssom.str());
  std::ostringstream approved;
  writeSssom(approved, set, SssomWriteOptions{});
  test::writeFile(out.file("all.sssom.tsv"), approved.str());

  ConceptMapOptions copt;
  copt.register_id = "strokereg";
  copt.publisher = "Riksstroke";
  test::writeFile(out.file("conceptmap.json"), conceptMapJson(set, copt));
  test::writeFile(out.file("translate.json"), translateResult({set[0], set[4]}, {}));
  TranslateOptions reverse;
  reverse.reverse = true;
  test::writeFile(out.file("translate-reverse.json"), translateResult({set[2]}, reverse));
  test::writeFile(out.file("translate-none.json"), translateResult({}, {}));

  const std::string conformance = test::sourceDir() + "/tests/conformance/";
  const std::string examples = test::sourceDir() + "/../shared/conformance/sssom/examples/";
  auto run = [&](const std::string& cmd) {
    const int rc = std::system((cmd + " > " + out.file("validation.txt") + " 2>&1").c_str());
    return std::make_pair(rc, test::readFile(out.file("validation.txt")));
  };
  // The validator accepts the official examples and the fixture (a sanity check of the
  // validator itself), and the exports.
  auto [rc, log] =
      run("node " + conformance + "validate-sssom.js '" + out.file("strokereg.sssom.tsv") + "' '" +
          out.file("all.sssom.tsv") + "' '" + examples + "foodie-inc-2022-05-01.sssom.tsv' '" +
          examples + "mp-hp-exact-0.0.1.sssom.tsv' '" + test::sourceDir() +
          "/tests/fixtures/sssom/register-mappings.sssom.tsv'");
  INFO(log);
  CHECK(rc == 0);
  // ...and it can fail: a row without mapping_justification is not a valid mapping.
  std::string broken = sssom.str();
  broken.replace(broken.find("\tsemapv:ManualMappingCuration\t"), 30, "\t\t");
  test::writeFile(out.file("broken.sssom.tsv"), broken);
  auto [rcBroken, logBroken] =
      run("node " + conformance + "validate-sssom.js '" + out.file("broken.sssom.tsv") + "'");
  INFO(logBroken);
  CHECK(rcBroken != 0);
  CHECK(logBroken.find("mapping_justification") != std::string::npos);

  auto [rcFhir, logFhir] =
      run("node " + conformance + "validate-fhir.mjs '" + out.file("conceptmap.json") + "' '" +
          out.file("translate.json") + "' '" + out.file("translate-reverse.json") + "' '" +
          out.file("translate-none.json") + "'");
  INFO(logFhir);
  CHECK(rcFhir == 0);
}
