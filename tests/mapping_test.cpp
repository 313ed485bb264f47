// Mapping curation: creation rules, review with the four-eyes rule, bulk actions, history and
// release maintenance, on the demo catalogue and the synthetic demo terminology.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "catalog/errors.h"
#include "cli/demo.h"
#include "importers/rf2_importer.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"
#include "test_support.h"

using namespace regcat;

namespace {

constexpr const char* kMi = "10109999999103";           // hjärtinfarkt
constexpr const char* kStroke = "10529999999101";       // stroke
constexpr const char* kSystolic = "30019999999107";     // systoliskt blodtryck
constexpr const char* kDailySmoker = "14079999999101";  // daglig rökare
constexpr const char* kInactive = "99529999999105";     // inactive, REPLACED BY 14059999999106

struct Fixture {
  test::TestStore t{true};
  Terminology term{*t.store};
  MappingStore maps{*t.store, term};
  Fixture() { app::loadDemoTerminology(*t.store, test::dataDir()); }

  Mapping make(const std::string& subject, const std::string& target,
               const std::string& status = "proposed") {
    Mapping m;
    m.subject = *MappingSubject::parse(subject);
    m.system = "snomed";
    m.concept_id = target;
    m.status = status;
    return m;
  }
};

Error::Kind kindOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("no regcat::Error was thrown");
  return Error::Kind::Internal;
}

}  // namespace

TEST_CASE("subjects parse as register/dataset/name with an optional #code", "[mapping]") {
  auto s = MappingSubject::parse("strokereg/akut/rokning#1");
  REQUIRE(s);
  CHECK(s->register_id == "strokereg");
  CHECK(s->dataset_id == "akut");
  CHECK(s->variable == "rokning");
  CHECK(s->code == "1");
  CHECK(s->key() == "strokereg/akut/rokning#1");
  CHECK(MappingSubject::parse("strokereg/akut/rokning")->code.empty());
  CHECK_FALSE(MappingSubject::parse("strokereg/akut"));
  CHECK_FALSE(MappingSubject::parse("a/b/c/d"));
  CHECK_FALSE(MappingSubject::parse("a//c"));
  CHECK_FALSE(MappingSubject::parse("a/b/c#"));
  CHECK(systemUri("snomed") == kSnomedSystem);
  CHECK(systemUri("ICD10SE") == "http://hl7.org/fhir/sid/icd-10-se");
  CHECK(systemUri("http://example.org/x") == "http://example.org/x");
}

TEST_CASE("creating a mapping checks the subject, the concept and the vocabulary", "[mapping]") {
  Fixture f;
  const Mapping m = f.maps.create(f.make("strokereg/akut/tid_hjartinfarkt", kMi), "anna");
  CHECK(m.id > 0);
  CHECK(m.system == kSnomedSystem);
  CHECK(m.concept_label == "hjärtinfarkt");
  CHECK(m.subject_label == "Tidigare hjärtinfarkt");
  CHECK(m.status == "proposed");
  CHECK(m.author == "anna");
  CHECK(m.revision == 1);
  CHECK_FALSE(m.release.empty());

  // Value level: a code of the variable's code list.
  const Mapping code = f.maps.create(f.make("strokereg/akut/rokning#1", kDailySmoker), "anna");
  CHECK(code.subject.code == "1");
  CHECK_FALSE(code.subject_label.empty());

  CHECK(kindOf([&] { f.maps.create(f.make("strokereg/akut/tid_hjartinfarkt", kMi), "anna"); }) ==
        Error::Kind::Conflict);
  CHECK(kindOf([&] { f.maps.create(f.make("strokereg/akut/nope", kMi), "anna"); }) ==
        Error::Kind::Invalid);
  CHECK(kindOf([&] { f.maps.create(f.make("strokereg/akut/rokning#99", kMi), "anna"); }) ==
        Error::Kind::Invalid);
  CHECK(kindOf([&] { f.maps.create(f.make("strokereg/akut/diabetes", "12345"), "anna"); }) ==
        Error::Kind::Invalid);
  CHECK_THROWS_WITH(f.maps.create(f.make("strokereg/akut/diabetes", kInactive), "anna"),
                    Catch::Contains("inactive"));
  Mapping bad = f.make("strokereg/akut/diabetes", kMi);
  bad.predicate = "owl:sameAs";
  CHECK_THROWS_WITH(f.maps.create(bad, "anna"), Catch::Contains("predicate"));
  bad = f.make("strokereg/akut/diabetes", kMi);
  bad.confidence = 1.5;
  CHECK_THROWS_WITH(f.maps.create(bad, "anna"), Catch::Contains("confidence"));
  // Nothing of the failed attempts was written.
  CHECK(f.maps.list({}).total == 2);
}

TEST_CASE("four-eyes review: the author cannot approve, another reviewer can", "[mapping]") {
  Fixture f;
  CHECK(f.maps.fourEyes());
  Mapping m = f.maps.create(f.make("strokereg/akut/sys_bt", kSystolic), "anna");
  CHECK(kindOf([&] { f.maps.review(m.id, "approve", "", "anna"); }) == Error::Kind::Forbidden);
  // Nor may the author create it approved.
  CHECK(kindOf([&] {
          f.maps.create(f.make("strokereg/akut/dia_bt", kSystolic, "approved"), "anna");
        }) == Error::Kind::Forbidden);
  m = f.maps.review(m.id, "approve", "Stämmer med definitionen.", "bertil");
  CHECK(m.status == "approved");
  CHECK(m.reviewer == "bertil");
  CHECK(m.review_comment == "Stämmer med definitionen.");
  CHECK_FALSE(m.reviewed_at.empty());
  CHECK(f.maps.approvedFor("strokereg/akut/sys_bt").size() == 1);

  // Without the rule, one person may do both.
  f.maps.setFourEyes(false);
  CHECK_FALSE(f.maps.fourEyes());
  const Mapping self =
      f.maps.create(f.make("strokereg/akut/tid_stroke", kStroke, "approved"), "anna");
  CHECK(self.status == "approved");
  CHECK(self.reviewer == "anna");
}

TEST_CASE("a stale revision is refused and a change of target needs review again", "[mapping]") {
  Fixture f;
  Mapping m = f.maps.create(f.make("strokereg/akut/tid_hjartinfarkt", kStroke), "anna");
  m = f.maps.review(m.id, "approve", "", "bertil");
  CHECK(m.revision == 2);
  CHECK(kindOf([&] {
          MappingUpdate u;
          u.comment = "x";
          f.maps.update(m.id, u, "anna", 1);
        }) == Error::Kind::Stale);
  MappingUpdate u;
  u.concept_id = kMi;
  u.comment = "Fel begrepp rättat.";
  m = f.maps.update(m.id, u, "anna", 2);
  CHECK(m.concept_id == kMi);
  CHECK(m.status == "proposed");
  CHECK(m.reviewer.empty());
  CHECK(m.revision == 3);

  const auto h = f.maps.history(m.id);
  REQUIRE(h.size() == 3);
  CHECK(h[0].action == "created");
  CHECK(h[1].action == "approved");
  CHECK(h[1].actor == "bertil");
  CHECK(h[1].state.concept_id == kStroke);
  CHECK(h[2].action == "updated");
  CHECK(h[2].state.concept_id == kMi);

  f.maps.remove(m.id, "anna");
  CHECK_FALSE(f.maps.get(m.id));
  const auto after = f.maps.history(m.id);
  REQUIRE(after.size() == 4);
  CHECK(after.back().action == "deleted");
}

TEST_CASE("bulk curation: promote suggestions above a score, review many, no match", "[mapping]") {
  Fixture f;
  std::vector<Mapping> suggestions;
  auto sug = [&](const std::string& subject, const std::string& target, double score) {
    Mapping m = f.make(subject, target, "suggested");
    m.confidence = score;
    m.concept_label = "x";
    suggestions.push_back(m);
  };
  sug("strokereg/akut/tid_hjartinfarkt", kMi, 0.95);
  sug("strokereg/akut/tid_stroke", kStroke, 0.91);
  sug("strokereg/akut/sys_bt", kSystolic, 0.55);
  CHECK(f.maps.saveSuggestions(suggestions, "regcat-suggester") == 3);
  CHECK(f.maps.saveSuggestions(suggestions, "regcat-suggester") == 0);  // already there

  MappingQuery q;
  q.register_id = "strokereg";
  const BulkResult promoted = f.maps.promoteSuggestions(q, 0.9, "anna");
  CHECK(promoted.changed.size() == 2);
  CHECK(promoted.skipped.size() == 1);
  q.status = "proposed";
  CHECK(f.maps.list(q).total == 2);

  // Anna promoted them, so under four-eyes she cannot approve them; Bertil can.
  const BulkResult own = f.maps.reviewMany(promoted.changed, "approve", "", "anna");
  CHECK(own.changed.empty());
  CHECK(own.skipped.size() == 2);
  const BulkResult ok = f.maps.reviewMany(promoted.changed, "approve", "OK", "bertil");
  CHECK(ok.changed.size() == 2);
  q.status = "approved";
  q.reviewer = "bertil";
  CHECK(f.maps.list(q).total == 2);

  const BulkResult none =
      f.maps.noMatch({"strokereg/akut/sjukhus", "strokereg/akut/vtf_id"}, "snomed", "", "anna");
  CHECK(none.changed.size() == 2);
  auto nm = f.maps.get(none.changed[0]);
  REQUIRE(nm);
  CHECK(nm->isNoMatch());
  CHECK(nm->status == "proposed");
  CHECK_THROWS(f.maps.noMatch({"strokereg/akut/finns_ej"}, "snomed", "", "anna"));
  CHECK(f.maps.list({}).total == 5);  // the failed bulk call wrote nothing
}

TEST_CASE("a new release that retires a mapped concept flags the mapping with its replacement",
          "[mapping]") {
  Fixture f;
  Mapping m = f.maps.create(f.make("strokereg/akut/tid_hjartinfarkt", kMi), "anna");
  f.maps.review(m.id, "approve", "", "bertil");
  CHECK(f.maps.checkReleases().empty());

  // The next release: the same content, one concept made inactive and REPLACED BY another.
  test::TempDir next;
  const std::string replacement = "10129999999108";
  for (const auto& e :
       std::filesystem::directory_iterator(test::dataDir() + "/terminology/snomed-demo")) {
    std::string name = e.path().filename().string();
    std::string body = test::readFile(e.path().string());
    for (size_t p = 0; (p = body.find("20260531", p)) != std::string::npos;)
      body.replace(p, 8, "20261130");
    name.replace(name.find("20260531"), 8, "20261130");
    if (name.rfind("sct2_Concept_", 0) == 0) {
      const std::string row = std::string(kMi) + "\t20261130\t1\t";
      const size_t at = body.find(row);
      REQUIRE(at != std::string::npos);
      body[at + row.size() - 2] = '0';
    }
    if (name.rfind("der2_cRefset_Association", 0) == 0)
      body +=
          "5e0f7b3c-1111-4a2b-9c3d-000000000001\t20261130\t1\t45991000052106\t"
          "900000000000526001\t" +
          std::string(kMi) + "\t" + replacement + "\r\n";
    test::writeFile(next.file(name), body);
  }
  importRf2(*f.t.store, next.path(), {});
  REQUIRE(f.term.release(kSnomedSystem)->effective == "20261130");

  const auto flagged = f.maps.checkReleases();
  REQUIRE(flagged.size() == 1);
  CHECK(flagged[0].id == m.id);
  CHECK(flagged[0].replacement_id == replacement);
  CHECK_THAT(flagged[0].detail, Catch::Contains("REPLACED BY"));
  CHECK(f.maps.checkReleases().empty());  // flagged once

  const MappingPage queue = f.maps.reviewQueue();
  REQUIRE(queue.total >= 1);
  CHECK(queue.items[0].id == m.id);
  CHECK(queue.items[0].flag == "inactive-target");
  CHECK(queue.items[0].replacement_id == replacement);

  // Approving the retired target is refused; moving to the replacement clears the flag.
  CHECK(kindOf([&] { f.maps.review(m.id, "approve", "", "bertil"); }) == Error::Kind::Conflict);
  MappingUpdate u;
  u.concept_id = replacement;
  const Mapping moved = f.maps.update(m.id, u, "anna");
  CHECK(moved.flag.empty());
  CHECK(moved.status == "proposed");
  CHECK(moved.release.find("20261130") != std::string::npos);
}
