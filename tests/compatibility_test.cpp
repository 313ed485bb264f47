#include "mapping/compatibility.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "exporters/compatibility_json.h"
#include "mapping/units.h"

using namespace regcat;

namespace {

// SNOMED CT ids as the registers would bind them; the hierarchy is the fake oracle's.
const std::string kSct = "http://snomed.info/sct";
const std::string kBodyWeight = "27113001";
const std::string kBodyHeight = "50373000";
const std::string kSystolic = "271649006";
const std::string kDiastolic = "271650006";
const std::string kDiabetes = "73211009";
const std::string kDiabetesType2 = "44054006";
const std::string kSmoking = "365981007";
const std::string kHba1c = "43396009";
const std::string kCreatinine = "70901006";
const std::string kTemperature = "386725007";
const std::string kAdmission = "399423000";
const std::string kAlbuminuria = "274769005";
const std::string kRankin = "1255866005";
// Value-level smoking concepts.
const std::string kCurrentSmoker = "77176002";
const std::string kNonSmoker = "8392000";
const std::string kDailySmoker = "449868002";
const std::string kOccasionalSmoker = "428041000124106";
const std::string kNeverSmoked = "266919005";
const std::string kExSmoker = "8517006";

// ancestor -> all its descendants.
const std::map<std::string, std::set<std::string>> kDescendants = {
    {kDiabetes, {kDiabetesType2}},
    {kCurrentSmoker, {kDailySmoker, kOccasionalSmoker}},
    {kNonSmoker, {kNeverSmoked, kExSmoker}},
};

int oracleCalls = 0;
const SubsumptionOracle kOracle = [](const std::string& system, const std::string& ancestor,
                                     const std::string& descendant) {
  ++oracleCalls;
  if (system != kSct) return false;
  auto it = kDescendants.find(ancestor);
  return it != kDescendants.end() && it->second.count(descendant) > 0;
};

Variable var(const std::string& reg, const std::string& name, const std::string& datatype,
             const std::string& unit = {}) {
  Variable v;
  v.register_id = reg;
  v.dataset_id = "d";
  v.name = name;
  v.label = {name, name};
  v.datatype = datatype;
  v.unit = unit;
  v.valid_from = "2012-01-01";
  return v;
}

Mapping mapping(const Variable& v, const std::string& conceptId,
                const std::string& predicate = "skos:exactMatch", const std::string& code = {},
                const std::string& system = kSct) {
  Mapping m;
  m.subject = {v.register_id, v.dataset_id, v.name, code};
  m.system = system;
  m.concept_id = conceptId;
  m.concept_label = conceptId == kDiabetes ? "Diabetes mellitus" : "";
  m.predicate = predicate;
  m.status = "approved";
  return m;
}

struct Code {
  std::string code, sv, en;
  bool missing = false;
};

CodeList codes(const std::string& id, const std::vector<Code>& items) {
  CodeList c;
  c.id = id;
  for (const auto& i : items) c.items.push_back({i.code, {i.sv, i.en}, i.missing, {}, {}});
  return c;
}

// A side bound by exactMatch to `conceptId` (none when empty).
CompatSide side(Variable v, const std::string& conceptId, std::optional<CodeList> list = {}) {
  CompatSide s;
  if (list) v.codelist = list->id;
  if (!conceptId.empty()) s.mappings.push_back(mapping(v, conceptId));
  s.variable = std::move(v);
  s.codes = std::move(list);
  return s;
}

bool hasReason(const Compatibility& c, const std::string& code) {
  return std::any_of(c.reasons.begin(), c.reasons.end(),
                     [&](const CompatReason& r) { return r.code == code; });
}

const CompatReason& reason(const Compatibility& c, const std::string& code) {
  auto it = std::find_if(c.reasons.begin(), c.reasons.end(),
                         [&](const CompatReason& r) { return r.code == code; });
  REQUIRE(it != c.reasons.end());
  return *it;
}

std::string detail(const CompatReason& r, const std::string& key) {
  for (const auto& [k, v] : r.details)
    if (k == key) return v;
  return "<none>";
}

std::vector<std::pair<std::string, std::string>> table(const Transform& t) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : t.table)
    if (!e.missing) out.emplace_back(e.from, e.to);
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

const std::vector<Code> kSmoking4 = {
    {"1", "Aldrig rökare", "Never smoker"},
    {"2", "Före detta rökare (slutat för mer än tre månader sedan)",
     "Former smoker (quit more than three months ago)"},
    {"3", "Röker ibland (ej dagligen)", "Occasional smoker (not daily)"},
    {"4", "Röker dagligen", "Daily smoker"}};

}  // namespace

// ---- units -------------------------------------------------------------------------------------

TEST_CASE("units normalise the spellings registers use", "[compat]") {
  auto canonical = [](const char* s) {
    auto u = units::parse(s);
    return u ? u->canonical : std::string("<unknown>");
  };
  CHECK(canonical("mmol/l") == "mmol/L");
  CHECK(canonical("mmol/L") == "mmol/L");
  CHECK(canonical("µmol/L") == "umol/L");
  CHECK(canonical("μmol/l") == "umol/L");
  CHECK(canonical("mmHg") == "mm[Hg]");
  CHECK(canonical("kg/m²") == "kg/m2");
  CHECK(canonical("kg / m2") == "kg/m2");
  CHECK(canonical("år") == "a");
  CHECK(canonical("dygn") == "d");
  CHECK(canonical("ml/min/1,73m2") == "mL/min/{1.73_m2}");
  CHECK(canonical("mL/min/{1.73_m2}") == "mL/min/{1.73_m2}");
  CHECK(canonical("ml/min/1.73 m²") == "mL/min/{1.73_m2}");
  CHECK(canonical("/min") == "/min");
  CHECK(canonical("°C") == "Cel");
  CHECK(canonical("mcg") == "ug");
  CHECK(canonical("10*9/L") == "10*9/L");
  CHECK(canonical("x10^9/l") == "10*9/L");
  CHECK(canonical("%") == "%");
  CHECK(canonical("furlongs") == "<unknown>");
  CHECK(canonical("") == "<unknown>");
  CHECK(canonical("kg/") == "<unknown>");
}

TEST_CASE("unit conversions within a dimension carry the factor", "[compat]") {
  using units::Relation;
  auto check = [](const char* a, const char* b, double factor) {
    const auto c = units::convert(a, b);
    INFO(a << " -> " << b);
    CHECK(c.relation == Relation::Convertible);
    CHECK(c.factor == factor);
    CHECK(c.offset == 0);
  };
  check("kg", "g", 1000);
  check("g", "kg", 0.001);
  check("cm", "m", 0.01);
  check("m", "cm", 100);
  check("mmHg", "kPa", 0.133322);
  CHECK(units::convert("kPa", "mm[Hg]").factor == Approx(1 / 0.133322));
  check("µmol/L", "mmol/L", 0.001);
  check("mmol/L", "umol/l", 1000);
  check("år", "mån", 12);
  check("h", "min", 60);
  check("dygn", "h", 24);
  check("mg/dL", "g/L", 0.01);
  check("%", "1", 0.01);

  const auto temp = units::convert("°C", "K");
  CHECK(temp.relation == Relation::Convertible);
  CHECK(temp.factor == 1);
  CHECK(temp.offset == 273.15);

  CHECK(units::convert("mmol/l", "mmol/L").relation == Relation::Same);
  CHECK(units::convert("mmHg", "mm[Hg]").relation == Relation::Same);
  CHECK(units::convert("/min", "slag/min").relation == Relation::Same);
  CHECK(units::convert("mL", "cm3").relation == Relation::Same);
  CHECK(units::convert("a", "år").relation == Relation::Same);
}

TEST_CASE("units of different dimensions do not convert, and say why", "[compat]") {
  using units::Relation;
  auto c = units::convert("mmol/L", "mg/dL");
  CHECK(c.relation == Relation::DifferentDimension);
  CHECK(c.note == "molar-mass-needed");
  c = units::convert("mL/min", "mL/min/{1.73_m2}");
  CHECK(c.relation == Relation::DifferentDimension);
  CHECK(c.note == "body-surface-normalised");
  c = units::convert("%", "mmol/mol");
  CHECK(c.relation == Relation::DifferentDimension);
  CHECK(c.note == "different-ratios");
  CHECK(units::convert("kg", "cm").relation == Relation::DifferentDimension);
  CHECK(units::convert("kg", "cm").note.empty());
  c = units::convert("poäng", "furlongs");
  CHECK(c.relation == Relation::Unknown);
  CHECK(c.note == "unknown-b");
  CHECK(units::convert("furlongs", "kg").note == "unknown-a");
  CHECK(std::string(units::relationName(Relation::DifferentDimension)) == "different-dimension");
}

// ---- concepts ------------------------------------------------------------------------------

TEST_CASE("identical: same concept, same datatype and unit", "[compat]") {
  const auto c = compare(side(var("a", "vikt", "decimal", "kg"), kBodyWeight),
                         side(var("b", "vikt", "decimal", "kg"), kBodyWeight), kOracle);
  CHECK(c.grade == "identical");
  CHECK(c.concepts.relation == "same");
  CHECK(c.concepts.concept_a == kBodyWeight);
  CHECK(hasReason(c, "concept-same"));
  CHECK(hasReason(c, "domain-same"));
  CHECK(reason(c, "concept-same").grade.empty());
  CHECK(c.units.relation == "same");
  CHECK(c.transform.kind == "none");
  CHECK(c.transform.sv == "Ingen omvandling behövs: data kan slås samman som de är.");
  CHECK_FALSE(c.crosswalk);
  CHECK(c.validity.overlap);
  CHECK(c.validity.from == "2012-01-01");

  // Units written differently but equal after normalisation.
  const auto bp = compare(side(var("a", "sbt", "integer", "mmHg"), kSystolic),
                          side(var("b", "sbt", "integer", "mm[Hg]"), kSystolic), kOracle);
  CHECK(bp.grade == "identical");
  CHECK(reason(bp, "domain-same").en ==
        "The same datatype (integer) and the same unit (mmHg = mm[Hg]).");
}

TEST_CASE("identical code lists: same codes, same meanings; missing codes reported", "[compat]") {
  const auto a =
      codes("a.janej", {{"1", "Ja", "Yes"}, {"2", "Nej", "No"}, {"9", "Okänt", "Unknown", true}});
  const auto b = codes("b.janej", {{"1", "JA ", ""}, {"2", "nej", ""}});
  const auto c = compare(side(var("a", "diabetes", "code"), kDiabetes, a),
                         side(var("b", "diabetes", "code"), kDiabetes, b), kOracle);
  CHECK(c.grade == "identical");
  REQUIRE(c.crosswalk);
  CHECK(c.crosswalk->shape == "identical");
  CHECK(c.crosswalk->missing_a == std::vector<std::string>{"9"});
  CHECK(c.crosswalk->missing_b.empty());
  CHECK(hasReason(c, "codes-identical"));
  const auto& m = reason(c, "missing-codes-differ");
  CHECK(m.grade.empty());
  CHECK(m.sv ==
        "Koderna för saknade värden skiljer sig och behöver samordnas vid sammanslagning: A "
        "9 (Okänt); B inga.");
  CHECK(detail(m, "missing_a") == "9");

  // Value-level concepts decide even when the labels differ.
  auto sa = side(var("a", "rok", "code"), kSmoking,
                 codes("a.rok", {{"1", "Rökare", ""}, {"2", "Icke-rökare", ""}}));
  auto sb = side(var("b", "rok", "code"), kSmoking,
                 codes("b.rok", {{"1", "Röker", ""}, {"2", "Röker inte", ""}}));
  sa.mappings.push_back(mapping(sa.variable, kCurrentSmoker, "skos:exactMatch", "1"));
  sa.mappings.push_back(mapping(sa.variable, kNonSmoker, "skos:exactMatch", "2"));
  sb.mappings.push_back(mapping(sb.variable, kCurrentSmoker, "skos:exactMatch", "1"));
  sb.mappings.push_back(mapping(sb.variable, kNonSmoker, "skos:exactMatch", "2"));
  const auto v = compare(sa, sb, kOracle);
  CHECK(v.grade == "identical");
  REQUIRE(v.crosswalk);
  CHECK(v.crosswalk->pairs.size() == 2);
  CHECK(v.crosswalk->pairs[0].basis == "concept");

  // Both missing codes present and alike: reported, not graded.
  const auto both =
      codes("b.jn", {{"1", "Ja", ""}, {"2", "Nej", ""}, {"9", "Uppgift saknas", "", true}});
  const auto w = compare(side(var("a", "diabetes", "code"), kDiabetes, a),
                         side(var("b", "diabetes", "code"), kDiabetes, both), kOracle);
  CHECK(w.grade == "identical");
  CHECK(hasReason(w, "missing-codes"));
}

TEST_CASE("partial: concepts related by subsumption, in both directions", "[compat]") {
  const auto ab = compare(side(var("a", "diabetes", "boolean"), kDiabetes),
                          side(var("b", "t2d", "boolean"), kDiabetesType2), kOracle);
  CHECK(ab.grade == "partial");
  CHECK(ab.concepts.relation == "a-subsumes-b");
  const auto& r = reason(ab, "concept-subsumes");
  CHECK(r.grade == "partial");
  CHECK(detail(r, "broader") == "a");
  CHECK(r.sv.find("A:s begrepp SNOMED CT 73211009 |Diabetes mellitus| är bredare än B:s") == 0);

  const auto ba = compare(side(var("a", "t2d", "boolean"), kDiabetesType2),
                          side(var("b", "diabetes", "boolean"), kDiabetes), kOracle);
  CHECK(ba.grade == "partial");
  CHECK(ba.concepts.relation == "b-subsumes-a");
  CHECK(detail(reason(ba, "concept-subsumes"), "broader") == "b");

  // broadMatch: A is narrower than diabetes, B is diabetes.
  auto narrowA = side(var("a", "dm", "boolean"), {});
  narrowA.mappings.push_back(mapping(narrowA.variable, kDiabetes, "skos:broadMatch"));
  const auto bm = compare(narrowA, side(var("b", "dm", "boolean"), kDiabetes), kOracle);
  CHECK(bm.concepts.relation == "b-subsumes-a");
  CHECK(bm.grade == "partial");

  // closeMatch on the same concept: close, not certain.
  auto closeA = side(var("a", "dm", "boolean"), {});
  closeA.mappings.push_back(mapping(closeA.variable, kDiabetes, "skos:closeMatch"));
  const auto cm = compare(closeA, side(var("b", "dm", "boolean"), kDiabetes), kOracle);
  CHECK(cm.concepts.relation == "same");
  CHECK(cm.concepts.approximate);
  CHECK(cm.grade == "partial");
  CHECK(hasReason(cm, "concept-close-match"));
}

TEST_CASE("incompatible: different concepts neither subsuming the other", "[compat]") {
  const auto c = compare(side(var("a", "sbt", "integer", "mmHg"), kSystolic),
                         side(var("b", "dbt", "integer", "mmHg"), kDiastolic), kOracle);
  CHECK(c.grade == "incompatible");
  CHECK(c.concepts.relation == "different");
  CHECK(reason(c, "concept-different").grade == "incompatible");
  CHECK(c.transform.kind == "none");
  CHECK(c.transform.en == "No transformation is proposed: the variables cannot be pooled.");
}

TEST_CASE("unknown: an unbound side, said which", "[compat]") {
  const auto a = compare(side(var("a", "vikt", "decimal", "kg"), {}),
                         side(var("b", "vikt", "decimal", "kg"), kBodyWeight), kOracle);
  CHECK(a.grade == "unknown");
  CHECK(a.concepts.relation == "unbound");
  CHECK(hasReason(a, "unbound-a"));
  CHECK_FALSE(hasReason(a, "unbound-b"));
  CHECK(detail(reason(a, "unbound-a"), "variable") == "a/d/vikt");
  CHECK(reason(a, "unbound-a").sv ==
        "Variabel A saknar godkänd koppling till ett begrepp, så det går inte att avgöra om den "
        "mäter samma sak.");

  // Only proposed mappings, and an approved "no term found": still unbound.
  auto proposed = side(var("b", "vikt", "decimal", "kg"), {});
  proposed.mappings.push_back(mapping(proposed.variable, kBodyWeight));
  proposed.mappings.back().status = "proposed";
  proposed.mappings.push_back(mapping(proposed.variable, kNoTermFound));
  const auto b = compare(side(var("a", "vikt", "decimal", "kg"), kBodyWeight), proposed, kOracle);
  CHECK(b.grade == "unknown");
  CHECK(hasReason(b, "unbound-b"));
  CHECK(detail(reason(b, "unbound-b"), "no_term_found") == "true");

  const auto both = compare(side(var("a", "x", "decimal", "kg"), {}),
                            side(var("b", "x", "decimal", "cm"), {}), kOracle);
  CHECK(both.grade == "unknown");
  CHECK(hasReason(both, "unbound-a"));
  CHECK(hasReason(both, "unbound-b"));
  // The value domains are still examined and reported.
  CHECK(hasReason(both, "unit-dimension-differs"));

  // Bindings in different code systems cannot be related.
  auto ni = side(var("b", "vikt", "decimal", "kg"), {});
  ni.mappings.push_back(mapping(ni.variable, "VIKT", "skos:exactMatch", {}, "urn:oid:1.2.752.116"));
  const auto sys = compare(side(var("a", "vikt", "decimal", "kg"), kBodyWeight), ni, kOracle);
  CHECK(sys.grade == "unknown");
  CHECK(sys.concepts.relation == "indeterminate");
  CHECK(hasReason(sys, "concept-indeterminate"));
}

// ---- numbers and units ---------------------------------------------------------------------

TEST_CASE("compatible: unit conversion gives the factor in the transform", "[compat]") {
  const auto kg = compare(side(var("a", "vikt", "decimal", "kg"), kBodyWeight),
                          side(var("b", "vikt", "decimal", "g"), kBodyWeight), kOracle);
  CHECK(kg.grade == "compatible");
  CHECK(kg.units.relation == "convertible");
  CHECK(kg.units.factor == 1000);
  CHECK(kg.transform.kind == "unit-factor");
  CHECK(kg.transform.from == "a");
  CHECK(kg.transform.factor == 1000);
  CHECK(kg.transform.from_unit == "kg");
  CHECK(kg.transform.to_unit == "g");
  CHECK(kg.transform.sv == "Multiplicera A:s värden i kg med 1000 för att få g.");
  const auto& r = reason(kg, "unit-convertible");
  CHECK(r.grade == "compatible");
  CHECK(detail(r, "factor") == "1000");

  const auto cm = compare(side(var("a", "langd", "integer", "cm"), kBodyHeight),
                          side(var("b", "langd", "decimal", "m"), kBodyHeight), kOracle);
  CHECK(cm.grade == "compatible");
  CHECK(cm.transform.factor == 0.01);
  CHECK(cm.transform.datatype == "decimal");
  CHECK(cm.transform.sv == "Multiplicera A:s värden i cm med 0,01 för att få m.");

  const auto bp = compare(side(var("a", "sbt", "integer", "mmHg"), kSystolic),
                          side(var("b", "sbt", "decimal", "kPa"), kSystolic), kOracle);
  CHECK(bp.grade == "compatible");
  CHECK(bp.transform.factor == 0.133322);

  const auto krea = compare(side(var("a", "krea", "decimal", "µmol/L"), kCreatinine),
                            side(var("b", "krea", "decimal", "mmol/l"), kCreatinine), kOracle);
  CHECK(krea.grade == "compatible");
  CHECK(krea.transform.factor == 0.001);

  const auto temp = compare(side(var("a", "temp", "decimal", "°C"), kTemperature),
                            side(var("b", "temp", "decimal", "K"), kTemperature), kOracle);
  CHECK(temp.grade == "compatible");
  CHECK(temp.transform.offset == 273.15);
  CHECK(temp.transform.en == "Multiply A's values in °C by 1 and add 273.15 to get K.");
}

TEST_CASE("compatible: integer widens to decimal", "[compat]") {
  const auto c = compare(side(var("a", "vikt", "integer", "kg"), kBodyWeight),
                         side(var("b", "vikt", "decimal", "kg"), kBodyWeight), kOracle);
  CHECK(c.grade == "compatible");
  CHECK(hasReason(c, "numeric-widening"));
  CHECK(c.transform.kind == "cast");
  CHECK(c.transform.from == "a");
  CHECK(c.transform.datatype == "decimal");
}

TEST_CASE("incompatible and unknown units", "[compat]") {
  const auto glucose = compare(side(var("a", "pglu", "decimal", "mmol/L"), kHba1c),
                               side(var("b", "pglu", "decimal", "mg/dL"), kHba1c), kOracle);
  CHECK(glucose.grade == "incompatible");
  CHECK(glucose.units.relation == "different-dimension");
  CHECK(glucose.units.note == "molar-mass-needed");
  const auto& r = reason(glucose, "unit-dimension-differs");
  CHECK(r.sv.find("molmassa") != std::string::npos);
  CHECK(glucose.transform.kind == "none");

  const auto hba1c = compare(side(var("a", "hba1c", "decimal", "%"), kHba1c),
                             side(var("b", "hba1c", "decimal", "mmol/mol"), kHba1c), kOracle);
  CHECK(hba1c.grade == "incompatible");
  CHECK(hba1c.units.note == "different-ratios");

  const auto unknown = compare(side(var("a", "x", "decimal", "furlongs"), kBodyHeight),
                               side(var("b", "x", "decimal", "m"), kBodyHeight), kOracle);
  CHECK(unknown.grade == "unknown");
  CHECK(unknown.units.relation == "unknown");
  CHECK(detail(reason(unknown, "unit-unknown"), "note") == "unknown-a");

  // Not understood but written alike: the same unit.
  const auto alike = compare(side(var("a", "x", "decimal", "furlongs"), kBodyHeight),
                             side(var("b", "x", "decimal", "Furlongs"), kBodyHeight), kOracle);
  CHECK(alike.grade == "identical");

  const auto missing = compare(side(var("a", "x", "decimal", ""), kBodyWeight),
                               side(var("b", "x", "decimal", "kg"), kBodyWeight), kOracle);
  CHECK(missing.grade == "unknown");
  CHECK(missing.units.relation == "missing-a");
  CHECK(hasReason(missing, "unit-missing"));
}

// ---- code lists --------------------------------------------------------------------------------

TEST_CASE("compatible: one-to-one recode between code lists", "[compat]") {
  const auto a = codes("a.jn", {{"1", "Ja", "Yes"}, {"2", "Nej", "No"}});
  const auto b = codes("b.jn", {{"1", "Ja", "Yes"}, {"0", "Nej", "No"}});
  const auto c = compare(side(var("a", "dm", "code"), kDiabetes, a),
                         side(var("b", "dm", "code"), kDiabetes, b), kOracle);
  CHECK(c.grade == "compatible");
  REQUIRE(c.crosswalk);
  CHECK(c.crosswalk->shape == "one-to-one");
  CHECK(c.transform.kind == "recode");
  CHECK(c.transform.from == "a");
  CHECK(table(c.transform) == Pairs{{"1", "1"}, {"2", "0"}});
  CHECK(c.transform.sv == "Koda om A:s koder till B:s: 1→1, 2→0.");
  CHECK(reason(c, "codes-one-to-one").grade == "compatible");

  // A yes/no code list without labels (1/0) against Ja/Nej, and English against Swedish.
  const auto digits = codes("b.10", {{"1", "", ""}, {"0", "", ""}});
  const auto d = compare(side(var("a", "dm", "code"), kDiabetes, a),
                         side(var("b", "dm", "code"), kDiabetes, digits), kOracle);
  CHECK(d.grade == "compatible");
  CHECK(table(d.transform) == Pairs{{"1", "1"}, {"2", "0"}});
  CHECK(d.crosswalk->pairs[0].basis == "yes-no");

  // An integer 0/1 is no/yes too.
  auto flag = var("b", "dm", "integer");
  flag.min = 0;
  flag.max = 1;
  const auto f =
      compare(side(var("a", "dm", "code"), kDiabetes, a), side(flag, kDiabetes), kOracle);
  CHECK(f.grade == "compatible");
  CHECK(table(f.transform) == Pairs{{"1", "1"}, {"2", "0"}});

  const auto sant = codes("b.sf", {{"S", "Sant", ""}, {"F", "Falskt", ""}});
  const auto s = compare(side(var("a", "dm", "code"), kDiabetes, a),
                         side(var("b", "dm", "code"), kDiabetes, sant), kOracle);
  CHECK(s.grade == "compatible");
  CHECK(table(s.transform) == Pairs{{"1", "S"}, {"2", "F"}});
}

TEST_CASE("compatible: boolean against a Ja/Nej code list", "[compat]") {
  const auto b = codes(
      "b.jnu", {{"1", "Ja, rökare", ""}, {"0", "Nej, ej rökare", ""}, {"9", "Okänt", "", true}});
  const auto c = compare(side(var("a", "rok", "boolean"), kSmoking),
                         side(var("b", "rok", "code"), kSmoking, b), kOracle);
  CHECK(c.grade == "compatible");
  CHECK(c.transform.kind == "recode");
  CHECK(table(c.transform) == Pairs{{"true", "1"}, {"false", "0"}});
  CHECK(c.crosswalk->missing_b == std::vector<std::string>{"9"});
  CHECK(hasReason(c, "missing-codes-differ"));
}

TEST_CASE("compatible: a small integer range against codes with the same values", "[compat]") {
  auto a = var("a", "mrs", "integer");
  a.min = 0;
  a.max = 6;
  std::vector<Code> items;
  for (int i = 0; i <= 6; ++i)
    items.push_back({std::to_string(i), "Nivå " + std::to_string(i), ""});
  const auto c = compare(side(a, kRankin),
                         side(var("b", "mrs", "code"), kRankin, codes("b.mrs", items)), kOracle);
  CHECK(c.grade == "compatible");
  CHECK(c.crosswalk->shape == "one-to-one");
  CHECK(c.crosswalk->pairs[3].basis == "code");
}

TEST_CASE("partial: 4-level smoking to 2 levels is a many-to-one recode", "[compat]") {
  const auto coarse =
      codes("b.rok", {{"1", "Röker", ""}, {"2", "Röker inte", ""}, {"9", "Okänt", "", true}});
  const auto c = compare(side(var("a", "rok", "code"), kSmoking, codes("a.rok", kSmoking4)),
                         side(var("b", "rok", "code"), kSmoking, coarse), kOracle);
  CHECK(c.grade == "partial");
  REQUIRE(c.crosswalk);
  CHECK(c.crosswalk->shape == "many-to-one");
  CHECK(c.crosswalk->direction == "a-to-b");
  CHECK(c.transform.kind == "lossy-recode");
  CHECK(c.transform.from == "a");
  CHECK(table(c.transform) == Pairs{{"1", "2"}, {"3", "1"}, {"4", "1"}});
  // Former smokers: whether they count as non-smokers depends on the definition.
  CHECK(c.transform.unmapped_from == std::vector<std::string>{"2"});
  CHECK(c.crosswalk->unmapped_a == std::vector<std::string>{"2"});
  CHECK(reason(c, "codes-many-to-one").grade == "partial");
  CHECK(detail(reason(c, "codes-unmapped"), "unmapped_a") == "2");
  CHECK(c.transform.sv ==
        "Koda om A:s koder till B:s grövre eller ofullständiga indelning: 1→2, 3→1, 4→1. "
        "Kod 2 har ingen motsvarighet.");

  // The coarse side first: the direction is reported, the table still runs fine to coarse.
  const auto r =
      compare(side(var("b", "rok", "code"), kSmoking, coarse),
              side(var("a", "rok", "code"), kSmoking, codes("a.rok", kSmoking4)), kOracle);
  CHECK(r.crosswalk->direction == "b-to-a");
  CHECK(r.transform.from == "b");
  CHECK(table(r.transform) == Pairs{{"1", "2"}, {"3", "1"}, {"4", "1"}});

  // Against a boolean "smoker".
  const auto bo = compare(side(var("a", "rok", "code"), kSmoking, codes("a.rok", kSmoking4)),
                          side(var("b", "rokare", "boolean"), kSmoking), kOracle);
  CHECK(bo.grade == "partial");
  CHECK(table(bo.transform) == Pairs{{"1", "false"}, {"3", "true"}, {"4", "true"}});

  // Against three levels whose "former smoker" is defined differently.
  const auto three =
      codes("c.rok", {{"1", "Aldrig rökare", ""},
                      {"2", "Före detta rökare (slutat för mer än en månad sedan)", ""},
                      {"3", "Rökare", ""}});
  const auto t = compare(side(var("a", "rok", "code"), kSmoking, codes("a.rok", kSmoking4)),
                         side(var("c", "rok", "code"), kSmoking, three), kOracle);
  CHECK(t.grade == "partial");
  CHECK(t.crosswalk->shape == "many-to-one");
  CHECK(table(t.transform) == Pairs{{"1", "1"}, {"3", "3"}, {"4", "3"}});
  CHECK(t.crosswalk->unmapped_a == std::vector<std::string>{"2"});
  CHECK(t.crosswalk->unmapped_b == std::vector<std::string>{"2"});
}

TEST_CASE("partial: many-to-one decided by value-level concepts and subsumption", "[compat]") {
  auto a = side(
      var("a", "rok", "code"), kSmoking,
      codes("a.rok",
            {{"1", "Daglig", ""}, {"2", "Sporadisk", ""}, {"3", "Aldrig", ""}, {"4", "F.d.", ""}}));
  auto b =
      side(var("b", "rok", "code"), kSmoking, codes("b.rok", {{"J", "Ja", ""}, {"N", "Nej", ""}}));
  a.mappings.push_back(mapping(a.variable, kDailySmoker, "skos:exactMatch", "1"));
  a.mappings.push_back(mapping(a.variable, kOccasionalSmoker, "skos:exactMatch", "2"));
  a.mappings.push_back(mapping(a.variable, kNeverSmoked, "skos:exactMatch", "3"));
  a.mappings.push_back(mapping(a.variable, kExSmoker, "skos:exactMatch", "4"));
  b.mappings.push_back(mapping(b.variable, kCurrentSmoker, "skos:exactMatch", "J"));
  b.mappings.push_back(mapping(b.variable, kNonSmoker, "skos:exactMatch", "N"));
  const auto c = compare(a, b, kOracle);
  CHECK(c.grade == "partial");
  CHECK(c.crosswalk->shape == "many-to-one");
  CHECK(table(c.transform) == Pairs{{"1", "J"}, {"2", "J"}, {"3", "N"}, {"4", "N"}});
  CHECK(c.transform.unmapped_from.empty());
  CHECK_FALSE(hasReason(c, "codes-unmapped"));
  CHECK(c.crosswalk->pairs[0].basis == "concept");
  CHECK(c.crosswalk->pairs[0].relation == "a-narrower");
}

TEST_CASE("partial and unknown crosswalks: unmapped codes, nothing matched", "[compat]") {
  const auto a = codes("a.jn", {{"1", "Ja", ""}, {"2", "Nej", ""}});
  const auto b = codes("b.jnv", {{"1", "Ja", ""}, {"2", "Nej", ""}, {"3", "Vet ej", ""}});
  const auto c = compare(side(var("a", "dm", "code"), kDiabetes, a),
                         side(var("b", "dm", "code"), kDiabetes, b), kOracle);
  CHECK(c.grade == "partial");
  CHECK(c.crosswalk->shape == "partial-overlap");
  CHECK(c.crosswalk->unmapped_b == std::vector<std::string>{"3"});
  CHECK(c.transform.kind == "lossy-recode");
  CHECK(c.transform.unmapped_to == std::vector<std::string>{"3"});

  const auto x = codes("a.fix", {{"1", "Cementerad", ""}, {"2", "Ocementerad", ""}});
  const auto y = codes("b.art", {{"1", "Metall", ""}, {"2", "Keramik", ""}});
  const auto n = compare(side(var("a", "p", "code"), kAdmission, x),
                         side(var("b", "p", "code"), kAdmission, y), kOracle);
  CHECK(n.grade == "unknown");
  CHECK(n.crosswalk->shape == "none");
  CHECK(hasReason(n, "codes-unmatched"));

  // A code variable whose code list was not found.
  const auto missingList = compare(side(var("a", "dm", "code"), kDiabetes, a),
                                   side(var("b", "dm", "code"), kDiabetes), kOracle);
  CHECK(missingList.grade == "unknown");
  CHECK(hasReason(missingList, "codes-unknown"));
}

// ---- other datatypes and periods -------------------------------------------------------------

TEST_CASE("partial: datetime to date loses the time of day", "[compat]") {
  const auto c = compare(side(var("a", "ankomst", "datetime"), kAdmission),
                         side(var("b", "ankomst", "date"), kAdmission), kOracle);
  CHECK(c.grade == "partial");
  CHECK(reason(c, "datetime-to-date").grade == "partial");
  CHECK(c.transform.kind == "truncate");
  CHECK(c.transform.from == "a");
  CHECK(c.transform.datatype == "date");

  const auto r = compare(side(var("a", "ankomst", "date"), kAdmission),
                         side(var("b", "ankomst", "datetime"), kAdmission), kOracle);
  CHECK(r.transform.from == "b");
}

TEST_CASE("partial: a continuous value against categories", "[compat]") {
  const auto cats = codes("b.alb", {{"1", "Normoalbuminuri (kvot < 3 g/mol)", ""},
                                    {"2", "Mikroalbuminuri (kvot 3–30 g/mol)", ""},
                                    {"3", "Makroalbuminuri (kvot > 30 g/mol)", ""}});
  const auto c = compare(side(var("a", "alb", "decimal", "g/mol"), kAlbuminuria),
                         side(var("b", "alb", "code"), kAlbuminuria, cats), kOracle);
  CHECK(c.grade == "partial");
  CHECK(hasReason(c, "continuous-to-categories"));
  CHECK(c.transform.kind == "categorise");
  CHECK(c.transform.from == "a");
  CHECK_FALSE(c.crosswalk);
}

TEST_CASE("free text and datatypes that do not convert", "[compat]") {
  const auto text = compare(side(var("a", "dm", "string"), kDiabetes),
                            side(var("b", "dm", "boolean"), kDiabetes), kOracle);
  CHECK(text.grade == "partial");
  CHECK(hasReason(text, "free-text"));
  const auto bad = compare(side(var("a", "x", "date"), kAdmission),
                           side(var("b", "x", "integer"), kAdmission), kOracle);
  CHECK(bad.grade == "incompatible");
  CHECK(hasReason(bad, "datatypes-incompatible"));
}

TEST_CASE("disjoint validity periods are reported without changing the grade", "[compat]") {
  auto a = var("a", "vikt", "decimal", "kg");
  a.valid_from = "2012-01-01";
  a.valid_to = "2015-12-31";
  auto b = var("b", "vikt", "decimal", "kg");
  b.valid_from = "2016-01-01";
  const auto c = compare(side(a, kBodyWeight), side(b, kBodyWeight), kOracle);
  CHECK(c.grade == "identical");
  CHECK_FALSE(c.validity.overlap);
  const auto& r = reason(c, "periods-disjoint");
  CHECK(r.grade.empty());
  CHECK(r.sv ==
        "Giltighetsperioderna överlappar inte (A 2012-01-01–2015-12-31, B 2016-01-01–): data "
        "från samma tid kan inte slås samman.");
  CHECK(detail(r, "valid_to_a") == "2015-12-31");

  b.valid_from = "2015-06-01";
  const auto o = compare(side(a, kBodyWeight), side(b, kBodyWeight), kOracle);
  CHECK(o.validity.overlap);
  CHECK(o.validity.from == "2015-06-01");
  CHECK(o.validity.to == "2015-12-31");
  CHECK_FALSE(hasReason(o, "periods-disjoint"));
}

TEST_CASE("compatibility as JSON", "[compat]") {
  const auto c = compare(
      side(var("a", "jn", "code"), kDiabetes, codes("a.jn", {{"1", "Ja", ""}, {"2", "Nej", ""}})),
      side(var("b", "jn", "code"), kDiabetes, codes("b.jn", {{"1", "Ja", ""}, {"0", "Nej", ""}})),
      kOracle);
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  writeCompatibility(w, c);
  rapidjson::Document d;
  d.Parse(buf.GetString());
  REQUIRE_FALSE(d.HasParseError());
  CHECK(std::string(d["grade"].GetString()) == "compatible");
  CHECK(std::string(d["transform"]["kind"].GetString()) == "recode");
  CHECK(d["transform"]["table"].Size() == 2);
  CHECK(std::string(d["transform"]["table"][1]["to"].GetString()) == "0");
  CHECK(d["transform"]["unit"].IsNull());
  CHECK(std::string(d["concept"]["relation"].GetString()) == "same");
  CHECK(std::string(d["concept"]["a"]["concept"].GetString()) == kDiabetes);
  CHECK(std::string(d["unit"]["relation"].GetString()) == "not-applicable");
  CHECK(std::string(d["crosswalk"]["shape"].GetString()) == "one-to-one");
  CHECK(d["reasons"].IsArray());
  CHECK(d["reasons"][0]["grade"].IsNull());
  CHECK(d["reasons"][0]["details"].IsObject());
  CHECK(d["validity"]["overlap"].GetBool());

  const auto kg = compare(side(var("a", "vikt", "decimal", "kg"), kBodyWeight),
                          side(var("b", "vikt", "decimal", "g"), kBodyWeight), kOracle);
  rapidjson::StringBuffer buf2;
  JsonWriter w2(buf2);
  writeCompatibility(w2, kg);
  d.Parse(buf2.GetString());
  CHECK(d["transform"]["unit"]["factor"].GetDouble() == 1000);
  CHECK(d["unit"]["factor"].GetDouble() == 1000);
  CHECK(d["crosswalk"].IsNull());
}
