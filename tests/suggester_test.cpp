// The concept suggester (issue 5) over the demo terminology: compounds, the variable's shape,
// approved mappings, inactive concepts, code items and a classification release.
#include "mapping/suggester.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catalog/store.h"
#include "importers/classification_importer.h"
#include "importers/rf2_importer.h"
#include "mapping/terminology.h"
#include "test_support.h"

using namespace regcat;

namespace {

// Ids of the synthetic demo terminology (data/terminology/demo-concepts.txt).
const std::string kBloodPressure = "30009999999105", kSystolicBp = "30019999999107",
                  kHypertension = "10309999999101", kAntihypertensive = "60509999999105",
                  kStatin = "60029999999108", kDiabetes = "11109999999108",
                  kType2Diabetes = "11129999999103", kAdultOnsetDiabetes = "99539999999107",
                  kMyocardialInfarction = "10109999999103", kHistoryOfMi = "20019999999109",
                  kSmoker = "14069999999109", kDailySmoker = "14079999999101",
                  kExSmoker = "14059999999106", kExSmokerInactive = "99529999999105",
                  kSmokingBehaviour = "30719999999109", kStroke = "10529999999101",
                  kApoplexy = "99549999999102";

struct Demo {
  test::TestStore db;
  std::optional<TerminologyInfo> release;
  std::unique_ptr<Suggester> suggester;
  Demo() {
    WriteContext ctx{"test", "rf2", "snomed-demo", ""};
    importRf2(*db.store, test::dataDir() + "/terminology/snomed-demo", ctx);
    Terminology term(*db.store);
    release = term.release(kSnomedSystem);
    REQUIRE(release);
    suggester = std::make_unique<Suggester>(*db.store, *release);
  }
  std::set<std::string> inactive() {
    std::set<std::string> out;
    db.store->read([&](SQLite::Database& d) {
      SQLite::Statement s(d,
                          "SELECT code FROM term_concept WHERE terminology_id = ? AND active = 0");
      s.bind(1, static_cast<int64_t>(release->id));
      while (s.executeStep()) out.insert(s.getColumn(0).getString());
    });
    return out;
  }
};

Variable variable(const std::string& label, const std::string& datatype = "code",
                  const std::string& unit = {}) {
  Variable v;
  v.register_id = "reg";
  v.dataset_id = "ds";
  v.name = "x";
  v.label.sv = label;
  v.datatype = datatype;
  v.unit = unit;
  return v;
}

CodeList codes(const std::vector<std::string>& labels) {
  CodeList c;
  c.id = "reg.codes";
  int n = 0;
  for (const auto& l : labels) {
    CodeItem item;
    item.code = std::to_string(++n);
    item.label.sv = l;
    c.items.push_back(item);
  }
  return c;
}

const CodeList kYesNo = codes({"Ja", "Nej"});

// 1-based rank of a concept among the suggestions, 0 when absent.
int rankOf(const std::vector<Suggestion>& s, const std::string& id) {
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i].concept_id == id) return int(i + 1);
  return 0;
}

double scoreOf(const std::vector<Suggestion>& s, const std::string& id) {
  for (const auto& x : s)
    if (x.concept_id == id) return x.score;
  return 0;
}

bool anyReasonContains(const Suggestion& s, const std::string& part) {
  for (const auto& r : s.reasons)
    if (r.find(part) != std::string::npos) return true;
  return false;
}

void checkWellFormed(const std::vector<Suggestion>& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    CHECK(s[i].score >= 0.0);
    CHECK(s[i].score <= 1.0);
    CHECK_FALSE(s[i].reasons.empty());
    CHECK_FALSE(s[i].term.empty());
    if (i > 0) CHECK(s[i - 1].score >= s[i].score);
  }
}

}  // namespace

TEST_CASE("suggester: Swedish compounds meet the words they are made of", "[suggester]") {
  Demo demo;
  const auto& s = *demo.suggester;
  // A compound the terminology holds: the agent first, and blood pressure, the word inside it,
  // among the suggestions.
  auto r = s.forVariable(variable("Blodtryckssänkande"), &kYesNo, 10);
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].concept_id == kAntihypertensive);
  CHECK(rankOf(r, kBloodPressure) > 0);
  // A compound the terminology does not hold: split at the linking -s- into known words.
  r = s.forVariable(variable("Blodtrycksmätning", "integer", "mm[Hg]"), nullptr, 5);
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].concept_id == kBloodPressure);
  CHECK(anyReasonContains(r[0], "blodtryck"));
  // The rare part of a compound weighs more than the common one (statin, not "behandling").
  r = s.forVariable(variable("Statinbehandling vid utskrivning"), &kYesNo, 5);
  REQUIRE(rankOf(r, kStatin) > 0);
  CHECK(rankOf(r, kStatin) <= 2);
  // Inflection: definite form and -t adjective ending.
  r = s.forVariable(variable("Systoliskt blodtrycket", "integer", "mmHg"), nullptr, 3);
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].concept_id == kSystolicBp);
  checkWellFormed(r);
}

TEST_CASE("suggester: a unit points to an observable entity, Ja/Nej to a disorder", "[suggester]") {
  Demo demo;
  const auto& s = *demo.suggester;
  auto measured = s.forVariable(variable("Blodtryck", "integer", "mm[Hg]"), nullptr, 10);
  REQUIRE_FALSE(measured.empty());
  CHECK(measured[0].concept_id == kBloodPressure);
  CHECK(measured[0].semantic_tag == "observable entity");
  CHECK(anyReasonContains(measured[0], "mm[Hg]"));
  // The same words as a yes/no question: the disorder gains on the observable entity.
  auto yesNo = s.forVariable(variable("Blodtryck"), &kYesNo, 10);
  REQUIRE(scoreOf(measured, kHypertension) > 0);
  REQUIRE(scoreOf(yesNo, kHypertension) > 0);
  CHECK(scoreOf(measured, kBloodPressure) / scoreOf(measured, kHypertension) >
        scoreOf(yesNo, kBloodPressure) / scoreOf(yesNo, kHypertension));

  auto high = s.forVariable(variable("Högt blodtryck"), &kYesNo, 5);
  REQUIRE_FALSE(high.empty());
  CHECK(high[0].concept_id == kHypertension);
  CHECK(high[0].semantic_tag == "disorder");

  // A disease named by a Ja/Nej variable: the disorder, not a situation or a procedure.
  for (const auto& [label, id] : std::vector<std::pair<std::string, std::string>>{
           {"Diabetes", kDiabetes}, {"Hjärtinfarkt", kMyocardialInfarction}, {"Stroke", kStroke}}) {
    auto r = s.forVariable(variable(label), &kYesNo, 5);
    INFO(label);
    REQUIRE_FALSE(r.empty());
    CHECK(r[0].concept_id == id);
    CHECK(r[0].semantic_tag == "disorder");
    checkWellFormed(r);
  }
  // "Tidigare ..." is the history-of situation.
  auto hist = s.forVariable(variable("Tidigare hjärtinfarkt"), &kYesNo, 5);
  REQUIRE_FALSE(hist.empty());
  CHECK(hist[0].concept_id == kHistoryOfMi);
}

TEST_CASE("suggester: approved mappings come first", "[suggester]") {
  Demo demo;
  const auto& s = *demo.suggester;
  const auto rokning = codes({"Ja, rökare", "Nej, ej rökare"});
  auto before = s.forVariable(variable("Rökning"), &rokning, 10);
  REQUIRE_FALSE(before.empty());
  REQUIRE(before[0].concept_id != kSmoker);
  // Approved before for the same label (written without diacritics): offered first.
  const std::vector<PriorMapping> priors = {{"Rokning", kSmoker, {}}, {"Diabetes", kDiabetes, {}}};
  auto after = s.forVariable(variable("Rökning"), &rokning, 10, priors);
  REQUIRE_FALSE(after.empty());
  CHECK(after[0].concept_id == kSmoker);
  CHECK(anyReasonContains(after[0], "approved before for the label 'Rokning'"));
  checkWellFormed(after);
  // Keys prepared once (as for a whole register) give exactly the same suggestions.
  auto prepared = priors;
  prepareKeys(prepared);
  CHECK(prepared[0].key == std::vector<std::string>{"rokning"});
  const auto same = s.forVariable(variable("Rökning"), &rokning, 10, prepared);
  REQUIRE(same.size() == after.size());
  for (size_t i = 0; i < same.size(); ++i) {
    CHECK(same[i].concept_id == after[i].concept_id);
    CHECK(same[i].score == after[i].score);
    CHECK(same[i].reasons == after[i].reasons);
  }
  // A prior for another label changes nothing here.
  auto other = s.forVariable(variable("Rökning"), &rokning, 10, {{"Diabetes", kDiabetes, {}}});
  REQUIRE_FALSE(other.empty());
  CHECK(other[0].concept_id == before[0].concept_id);
  // An approval of a concept that has since been retired points to its replacement.
  auto retired = s.forVariable(variable("Diabetestyp 2"), nullptr, 5,
                               {{"Diabetestyp 2", kAdultOnsetDiabetes, {}}});
  REQUIRE_FALSE(retired.empty());
  CHECK(retired[0].concept_id == kType2Diabetes);
}

TEST_CASE("suggester: inactive concepts are never suggested, their replacements are",
          "[suggester]") {
  Demo demo;
  const auto& s = *demo.suggester;
  const auto inactive = demo.inactive();
  REQUIRE(inactive.count(kAdultOnsetDiabetes));
  auto r = s.forVariable(variable("Åldersdiabetes"), &kYesNo, 10);
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].concept_id == kType2Diabetes);
  CHECK(anyReasonContains(r[0], "inactive concept"));
  CHECK(anyReasonContains(r[0], "REPLACED BY"));
  auto apoplexy = s.forVariable(variable("Apoplexi"), &kYesNo, 10);
  REQUIRE_FALSE(apoplexy.empty());
  CHECK(apoplexy[0].concept_id == kStroke);
  for (const std::string label :
       {"Åldersdiabetes", "Apoplexi", "Diabetes", "Cerebral infarkt", "Aspirin",
        "Före detta rökare", "Glykosylerat hemoglobin", "Höftprotesoperation", "Slag"}) {
    INFO(label);
    auto x = s.forVariable(variable(label), &kYesNo, 20);
    CHECK_FALSE(x.empty());
    for (const auto& sug : x) CHECK_FALSE(inactive.count(sug.concept_id));
    CHECK(rankOf(x, kApoplexy) == 0);
    checkWellFormed(x);
  }
}

TEST_CASE("suggester: code items of a smoking variable", "[suggester]") {
  Demo demo;
  const auto& s = *demo.suggester;
  const auto v = variable("Rökning");
  CodeItem daily;
  daily.code = "1";
  daily.label.sv = "Daglig rökare";
  auto r = s.forCode(v, daily, 5);
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].concept_id == kDailySmoker);
  CHECK(anyReasonContains(r[0], "rökare"));
  checkWellFormed(r);

  CodeItem former;
  former.code = "2";
  former.label.sv = "Före detta rökare (slutat för mer än tre månader sedan)";
  r = s.forCode(v, former, 5);
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].concept_id == kExSmoker);
  CHECK(rankOf(r, kExSmokerInactive) == 0);

  // "Ja, dagligen": yes marks the answer, the rest and the variable say what it is.
  CodeItem yesDaily;
  yesDaily.code = "1";
  yesDaily.label.sv = "Ja, dagligen";
  r = s.forCode(variable("Röker patienten?"), yesDaily, 5);
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].concept_id == kDailySmoker);

  // The variable as a whole: what it asks, not one of its answers.
  const auto list = codes({"Aldrig rökare", "Före detta rökare", "Röker ibland", "Röker dagligen"});
  auto whole = s.forVariable(v, &list, 5);
  REQUIRE_FALSE(whole.empty());
  CHECK(whole[0].concept_id == kSmokingBehaviour);
  checkWellFormed(whole);
}

TEST_CASE("suggester: scores, order, reasons and limits", "[suggester]") {
  Demo demo;
  const auto& s = *demo.suggester;
  for (const std::string label :
       {"Systoliskt blodtryck vid ankomst", "HbA1c", "Längd", "Vikt", "Datum för operation",
        "Diabetestyp", "Har patienten diabetes?", "Kroppsvikt (kg)", "Midjeomfång", "Xyzzy"}) {
    INFO(label);
    auto r = s.forVariable(variable(label), nullptr, 7);
    CHECK(r.size() <= 7);
    checkWellFormed(r);
  }
  CHECK(s.forVariable(variable("Diabetes"), nullptr, 0).empty());
  auto date = s.forVariable(variable("Datum för operation", "date"), nullptr, 3);
  REQUIRE_FALSE(date.empty());
  CHECK(date[0].semantic_tag == "procedure");
  // The same suggester answers from several threads at once.
  std::vector<std::vector<Suggestion>> out(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < out.size(); ++i)
    threads.emplace_back(
        [&, i] { out[i] = s.forVariable(variable("Tidigare hjärtinfarkt"), &kYesNo, 5); });
  for (auto& t : threads) t.join();
  for (const auto& o : out) {
    REQUIRE(o.size() == out[0].size());
    for (size_t k = 0; k < o.size(); ++k) CHECK(o[k].concept_id == out[0][k].concept_id);
  }
}

TEST_CASE("suggester: a classification release (ICD-10-SE) without semantic tags", "[suggester]") {
  test::TestStore db;
  WriteContext ctx{"test", "icd10se", "icd10se-demo.tsv", ""};
  importCodeSystem(*db.store, test::dataDir() + "/terminology/icd10se-demo.tsv",
                   {CodeSystemKind::Icd10Se, "demo"}, ctx);
  Terminology term(*db.store);
  const auto release = term.release(identityOf(CodeSystemKind::Icd10Se).uri);
  REQUIRE(release);
  REQUIRE(release->kind == "classification");
  const Suggester s(*db.store, *release);
  auto r = s.forVariable(variable("Diabetes typ 2"), &kYesNo, 5);
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].concept_id == "E11");
  for (const auto& x : r) {
    CHECK(x.semantic_tag.empty());
    CHECK_FALSE(anyReasonContains(x, "suggests"));
  }
  checkWellFormed(r);
  r = s.forVariable(variable("Akut hjärtinfarkt", "code"), nullptr, 5);
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].concept_id == "I21");
  CodeItem item;
  item.code = "I63";
  item.label.sv = "Cerebral infarkt";
  r = s.forCode(variable("Strokediagnos"), item, 5);
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].concept_id == "I63");
}
