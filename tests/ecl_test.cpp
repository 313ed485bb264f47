#include "mapping/ecl.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace regcat::ecl;

namespace {

// Toy terminology with real SNOMED CT ids. IS-A edges are also reported as relationships of type
// 116680003 in group 0, as in an RF2 release.
//
// 138875005 SNOMED CT Concept
//   404684003 Clinical finding
//     64572001 Disease
//       414545008 Ischemic heart disease      {fs heart} {fs blood vessel}
//         22298006 Myocardial infarction      {fs myocardium, morph infarct}
//           57054005 Acute MI                 {fs heart} {morph infarct}
//             401303003 STEMI                 {fs myocardium, morph infarct}
//             401314000 NSTEMI                {fs myocardium, morph infarct}
//       38341003 Hypertensive disorder        fs blood vessel, fs heart (ungrouped)
//       44054006 Diabetes mellitus type 2     {fs endocrine}
//   123037004 Body structure
//     80891009 Heart structure
//       74281007 Myocardium structure
//     59820001 Blood vessel structure
//     113331007 Endocrine system structure
//   49755003 Morphologically abnormal structure
//     55641003 Infarct
//   410662002 Concept model attribute
//     363698007 Finding site, 116676008 Associated morphology, 116680003 Is a
//   900000000000455006 Reference set
//     46011000052107 toy Swedish refset: 22298006, 38341003, 44054006
//     46031000052101 toy refset: 44054006, 80891009
// 999999001 is an inactive concept: it has no active relationships and exists() is false.
constexpr ConceptId kRoot = 138875005;
constexpr ConceptId kFinding = 404684003;
constexpr ConceptId kDisease = 64572001;
constexpr ConceptId kIhd = 414545008;
constexpr ConceptId kMi = 22298006;
constexpr ConceptId kAmi = 57054005;
constexpr ConceptId kStemi = 401303003;
constexpr ConceptId kNstemi = 401314000;
constexpr ConceptId kHypertension = 38341003;
constexpr ConceptId kDiabetes = 44054006;
constexpr ConceptId kBody = 123037004;
constexpr ConceptId kHeart = 80891009;
constexpr ConceptId kMyocardium = 74281007;
constexpr ConceptId kVessel = 59820001;
constexpr ConceptId kEndocrine = 113331007;
constexpr ConceptId kMorphology = 49755003;
constexpr ConceptId kInfarct = 55641003;
constexpr ConceptId kAttribute = 410662002;
constexpr ConceptId kFindingSite = 363698007;
constexpr ConceptId kAssociatedMorphology = 116676008;
constexpr ConceptId kIsA = 116680003;
constexpr ConceptId kRefsets = 900000000000455006;
constexpr ConceptId kSwedishRefset = 46011000052107;
constexpr ConceptId kOtherRefset = 46031000052101;
constexpr ConceptId kInactive = 999999001;

struct Relationship {
  ConceptId source, type, destination;
  int group;
};

class ToySource : public ConceptSource {
 public:
  ToySource() {
    const std::vector<std::pair<ConceptId, ConceptId>> isA = {{kFinding, kRoot},
                                                              {kDisease, kFinding},
                                                              {kIhd, kDisease},
                                                              {kMi, kIhd},
                                                              {kAmi, kMi},
                                                              {kStemi, kAmi},
                                                              {kNstemi, kAmi},
                                                              {kHypertension, kDisease},
                                                              {kDiabetes, kDisease},
                                                              {kBody, kRoot},
                                                              {kHeart, kBody},
                                                              {kMyocardium, kHeart},
                                                              {kVessel, kBody},
                                                              {kEndocrine, kBody},
                                                              {kMorphology, kRoot},
                                                              {kInfarct, kMorphology},
                                                              {kAttribute, kRoot},
                                                              {kFindingSite, kAttribute},
                                                              {kAssociatedMorphology, kAttribute},
                                                              {kIsA, kAttribute},
                                                              {kRefsets, kRoot},
                                                              {kSwedishRefset, kRefsets},
                                                              {kOtherRefset, kRefsets}};
    active_ = {kRoot};
    for (auto [child, parent] : isA) {
      parents_[child].insert(parent);
      children_[parent].insert(child);
      active_.insert(child);
      relationships_.push_back({child, kIsA, parent, 0});
    }
    const std::vector<Relationship> attributes = {
        {kIhd, kFindingSite, kHeart, 1},           {kIhd, kFindingSite, kVessel, 2},
        {kMi, kFindingSite, kMyocardium, 1},       {kMi, kAssociatedMorphology, kInfarct, 1},
        {kAmi, kFindingSite, kHeart, 1},           {kAmi, kAssociatedMorphology, kInfarct, 2},
        {kStemi, kFindingSite, kMyocardium, 1},    {kStemi, kAssociatedMorphology, kInfarct, 1},
        {kNstemi, kFindingSite, kMyocardium, 1},   {kNstemi, kAssociatedMorphology, kInfarct, 1},
        {kHypertension, kFindingSite, kVessel, 0}, {kHypertension, kFindingSite, kHeart, 0},
        {kDiabetes, kFindingSite, kEndocrine, 1},
    };
    relationships_.insert(relationships_.end(), attributes.begin(), attributes.end());
    refsets_[kSwedishRefset] = {kMi, kHypertension, kDiabetes};
    refsets_[kOtherRefset] = {kDiabetes, kHeart};
  }

  bool exists(ConceptId id) const override { return active_.count(id) > 0; }
  ConceptSet allConcepts() const override {
    ++allConceptsCalls;
    return {active_.begin(), active_.end()};
  }
  ConceptSet descendants(ConceptId id) const override { return closure(id, children_); }
  ConceptSet ancestors(ConceptId id) const override { return closure(id, parents_); }
  ConceptSet children(ConceptId id) const override { return direct(id, children_); }
  ConceptSet parents(ConceptId id) const override { return direct(id, parents_); }
  ConceptSet refsetMembers(ConceptId refset) const override {
    const auto it = refsets_.find(refset);
    return it == refsets_.end() ? ConceptSet{} : it->second;
  }
  std::vector<AttributeHit> attributeSources(const ConceptSet& types,
                                             const ConceptSet& values) const override {
    ++attributeCalls;
    std::set<AttributeHit> hits;
    for (const Relationship& r : relationships_)
      if (exists(r.source) && std::binary_search(types.begin(), types.end(), r.type) &&
          std::binary_search(values.begin(), values.end(), r.destination))
        hits.insert({r.source, r.group});
    return {hits.begin(), hits.end()};
  }

  mutable int allConceptsCalls = 0;
  mutable int attributeCalls = 0;

 private:
  using Edges = std::map<ConceptId, std::set<ConceptId>>;
  ConceptSet direct(ConceptId id, const Edges& edges) const {
    ConceptSet out;
    if (const auto it = edges.find(id); it != edges.end())
      for (ConceptId c : it->second)
        if (exists(c)) out.push_back(c);
    return out;
  }
  ConceptSet closure(ConceptId id, const Edges& edges) const {
    std::set<ConceptId> seen;
    std::vector<ConceptId> pending = {id};
    while (!pending.empty()) {
      const ConceptId c = pending.back();
      pending.pop_back();
      for (ConceptId n : direct(c, edges))
        if (seen.insert(n).second) pending.push_back(n);
    }
    return {seen.begin(), seen.end()};
  }

  std::set<ConceptId> active_;
  Edges parents_, children_;
  std::vector<Relationship> relationships_;
  std::map<ConceptId, ConceptSet> refsets_;
};

const ToySource& toy() {
  static const ToySource source;
  return source;
}

// Expected results are written in a readable order; results are sorted.
ConceptSet sorted(ConceptSet s) {
  std::sort(s.begin(), s.end());
  return s;
}

ConceptSet eval(const std::string& ecl) {
  return evaluate(*parse(ecl), toy());
}
std::string canonical(const std::string& ecl) {
  return toString(*parse(ecl));
}

size_t errorColumn(const std::string& ecl) {
  try {
    parse(ecl);
  } catch (const ParseError& e) {
    return e.column();
  }
  return 0;
}

std::string errorMessage(const std::string& ecl) {
  try {
    parse(ecl);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("self, wildcard and unknown concepts", "[ecl]") {
  CHECK(eval("22298006") == sorted({kMi}));
  CHECK(eval("22298006 |Myocardial infarction|") == sorted({kMi}));
  CHECK(eval("123456789").empty());  // unknown: empty, not an error
  CHECK(eval(std::to_string(kInactive)).empty());
  CHECK(eval("*") == toy().allConcepts());
  CHECK(eval("*").size() == 24);
}

TEST_CASE("hierarchy operators", "[ecl]") {
  CHECK(eval("< 22298006") == sorted({kAmi, kStemi, kNstemi}));
  CHECK(eval("<< 22298006") == sorted({kMi, kAmi, kStemi, kNstemi}));
  CHECK(eval("> 57054005") == sorted({kDisease, kMi, kRoot, kFinding, kIhd}));
  CHECK(eval(">> 57054005") == sorted({kDisease, kMi, kAmi, kRoot, kFinding, kIhd}));
  CHECK(eval("<! 64572001") == sorted({kHypertension, kDiabetes, kIhd}));
  CHECK(eval(">! 401303003") == sorted({kAmi}));
  // Self only when the concept exists.
  CHECK(eval("<< 123456789").empty());
  CHECK(eval(">> 999999001").empty());
  CHECK(eval("< 401303003").empty());
}

TEST_CASE("long-form operators are case-insensitive", "[ecl]") {
  CHECK(eval("descendantOf 22298006") == eval("< 22298006"));
  CHECK(eval("DESCENDANTORSELFOF 22298006") == eval("<< 22298006"));
  CHECK(eval("ancestorOf 57054005") == eval("> 57054005"));
  CHECK(eval("ancestorOrSelfOf 57054005") == eval(">> 57054005"));
  CHECK(eval("childof 64572001") == eval("<! 64572001"));
  CHECK(eval("parentOf 401303003") == eval(">! 401303003"));
  CHECK(eval("memberOf 46011000052107") == eval("^ 46011000052107"));
  CHECK(canonical("descendantOrSelfOf 22298006") == "<< 22298006");
  CHECK(canonical("memberof 46011000052107") == "^ 46011000052107");
}

TEST_CASE("operators applied to a parenthesised expression or to *", "[ecl]") {
  CHECK(eval("<< (57054005 OR 38341003)") == sorted({kHypertension, kAmi, kStemi, kNstemi}));
  CHECK(eval("< (57054005 OR 38341003)") == sorted({kStemi, kNstemi}));
  CHECK(eval(">! (401303003 OR 44054006)") == sorted({kDisease, kAmi}));
  // A focus holding a concept and its descendant.
  CHECK(eval("< (22298006 OR 401303003 OR 57054005)") == sorted({kAmi, kStemi, kNstemi}));
  CHECK(eval("<< (401303003 OR 22298006 OR 57054005)") == eval("<< 22298006"));
  CHECK(eval("> (401303003 OR 22298006 OR 57054005)") == eval(">> 57054005"));
  CHECK(eval(">> (401303003 OR 22298006)") == eval(">> 401303003"));
  CHECK(eval("<! (22298006 OR 57054005)") == sorted({kAmi, kStemi, kNstemi}));
  CHECK(eval("<< *") == toy().allConcepts());
  ConceptSet notRoot = toy().allConcepts();
  notRoot.erase(std::find(notRoot.begin(), notRoot.end(), kRoot));
  CHECK(eval("< *") == notRoot);
  CHECK(eval("<! *") == notRoot);
  const ConceptSet nonLeaves = {kRoot, kFinding, kDisease,    kIhd,       kMi,     kAmi,
                                kBody, kHeart,   kMorphology, kAttribute, kRefsets};
  ConceptSet expected = nonLeaves;
  std::sort(expected.begin(), expected.end());
  CHECK(eval("> *") == expected);
  CHECK(eval(">! *") == expected);
}

TEST_CASE("memberOf", "[ecl]") {
  CHECK(eval("^ 46011000052107") == sorted({kMi, kHypertension, kDiabetes}));
  CHECK(eval("^46011000052107 |Svensk referensmängd|") == sorted({kMi, kHypertension, kDiabetes}));
  CHECK(eval("^ 123456789").empty());
  CHECK(eval("^ (< 900000000000455006)") == sorted({kMi, kHypertension, kDiabetes, kHeart}));
  CHECK(eval("<< ^ 46011000052107") ==
        sorted({kMi, kHypertension, kDiabetes, kAmi, kStemi, kNstemi}));
  CHECK(canonical("<<^46011000052107") == "<< ^ 46011000052107");
  CHECK(canonical("^ (46011000052107 OR 46031000052101)") ==
        "^ (46011000052107 OR 46031000052101)");
}

TEST_CASE("compound constraints", "[ecl]") {
  CHECK(eval("< 64572001 AND ^ 46011000052107") == sorted({kMi, kHypertension, kDiabetes}));
  CHECK(eval("< 64572001 and ^ 46011000052107") == eval("< 64572001 AND ^ 46011000052107"));
  CHECK(eval("< 64572001 , ^ 46011000052107") == eval("< 64572001 AND ^ 46011000052107"));
  CHECK(eval("<< 57054005 OR 38341003 or 80891009") ==
        sorted({kHypertension, kAmi, kHeart, kStemi, kNstemi}));
  CHECK(eval("<< 414545008 MINUS << 57054005") == sorted({kMi, kIhd}));
  CHECK(eval("<< 414545008 minus << 57054005 MINUS 22298006") == sorted({kIhd}));
  CHECK(eval("<< 64572001 AND << 414545008 AND < 22298006") == sorted({kAmi, kStemi, kNstemi}));
  CHECK(eval("(<< 22298006 OR << 38341003) AND ^ 46011000052107") == sorted({kMi, kHypertension}));
  CHECK(eval("<< 22298006 MINUS (57054005 OR 401303003)") == sorted({kMi, kNstemi}));
  CHECK(eval("* MINUS << 404684003").size() == 24 - 9);
  CHECK(eval("<< 22298006 MINUS *").empty());
  CHECK(eval("<< 22298006 OR *") == toy().allConcepts());
}

TEST_CASE("mixing binary operators needs parentheses", "[ecl]") {
  CHECK_THROWS_AS(parse("< 404684003 AND < 64572001 OR < 22298006"), ParseError);
  CHECK(errorColumn("< 404684003 AND < 64572001 OR < 22298006") == 28);
  CHECK(errorMessage("< 404684003 AND < 64572001 OR < 22298006").find("cannot mix AND and OR") !=
        std::string::npos);
  CHECK(errorColumn("< 404684003 , < 64572001 MINUS < 22298006") == 26);
  CHECK(errorColumn("< 404684003 OR < 64572001 , < 22298006") == 27);
  CHECK_NOTHROW(parse("(< 404684003 AND < 64572001) OR < 22298006"));
  CHECK_NOTHROW(parse("< 404684003 AND (< 64572001 OR < 22298006)"));
  CHECK_NOTHROW(parse("< 404684003 AND < 64572001 , < 22298006 and 22298006"));
}

TEST_CASE("wildcard needs no allConcepts call where it cannot change the result", "[ecl]") {
  const int before = toy().allConceptsCalls;
  CHECK(evaluate(*parse("<< 22298006 AND *"), toy()) == eval("<< 22298006"));
  CHECK(evaluate(*parse("* : 363698007 = << 74281007"), toy()) == sorted({kMi, kStemi, kNstemi}));
  CHECK(evaluate(*parse("* : [0..0] 116676008 = *, 363698007 = 80891009"), toy()) ==
        sorted({kHypertension, kIhd}));
  CHECK(toy().allConceptsCalls - before == 1);  // only for the value `*` of the [0..0]
}

TEST_CASE("refinement with = and !=", "[ecl]") {
  CHECK(eval("< 404684003 : 363698007 = << 80891009") ==
        sorted({kHypertension, kMi, kAmi, kIhd, kStemi, kNstemi}));
  CHECK(eval("< 404684003 : 363698007 |Finding site| = 74281007 |Myocardium structure|") ==
        sorted({kMi, kStemi, kNstemi}));
  CHECK(eval("< 404684003 : << 363698007 = << 80891009") ==
        eval("< 404684003 : 363698007 = << 80891009"));
  CHECK(eval("< 404684003 : * = 55641003") == sorted({kMi, kAmi, kStemi, kNstemi}));
  CHECK(eval("< 404684003 : 363698007 = *") ==
        sorted({kHypertension, kDiabetes, kMi, kAmi, kIhd, kStemi, kNstemi}));
  // != keeps concepts with at least one finding site outside the heart.
  CHECK(eval("< 404684003 : 363698007 != << 80891009") == sorted({kHypertension, kDiabetes, kIhd}));
  CHECK(eval("< 404684003 : 363698007 != *").empty());
  // Value is a parenthesised compound.
  CHECK(eval("< 404684003 : 363698007 = (<< 113331007 OR 59820001)") ==
        sorted({kHypertension, kDiabetes, kIhd}));
  // Is-a as an attribute.
  CHECK(eval("* : 116680003 = 57054005") == sorted({kStemi, kNstemi}));
  // Unknown attribute or value: nothing matches.
  CHECK(eval("< 404684003 : 123456789 = *").empty());
  CHECK(eval("< 404684003 : 363698007 = 123456789").empty());
}

TEST_CASE("refinement conjunction and disjunction", "[ecl]") {
  CHECK(eval("< 404684003 : 363698007 = << 80891009, 116676008 = 55641003") ==
        sorted({kMi, kAmi, kStemi, kNstemi}));
  CHECK(eval("< 404684003 : 363698007 = << 80891009 AND 116676008 = 55641003") ==
        eval("< 404684003 : 363698007 = << 80891009, 116676008 = 55641003"));
  CHECK(eval("< 404684003 : 363698007 = 113331007 OR 116676008 = 55641003") ==
        sorted({kDiabetes, kMi, kAmi, kStemi, kNstemi}));
  CHECK(eval("< 404684003 : (363698007 = 113331007 OR 363698007 = 59820001), 363698007 = "
             "80891009") == sorted({kHypertension, kIhd}));
  CHECK(errorColumn("< 404684003 : 363698007 = * , 116676008 = * OR 363698007 = *") == 45);
  // A parenthesised compound as the attribute name.
  CHECK(eval("< 404684003 : (363698007 OR 116676008) = 55641003") ==
        sorted({kMi, kAmi, kStemi, kNstemi}));
  CHECK(eval("< 404684003 : ((363698007 OR 116676008)) = 55641003") ==
        sorted({kMi, kAmi, kStemi, kNstemi}));
  CHECK(eval("< 404684003 : ((363698007 = 113331007))") == sorted({kDiabetes}));
  CHECK(eval("< 404684003 : ((363698007 = 113331007) OR (363698007 = 59820001))") ==
        sorted({kHypertension, kDiabetes, kIhd}));
  // A refined focus inside a compound needs parentheses.
  CHECK(eval("(< 404684003 : 363698007 = 113331007) OR 22298006") == sorted({kMi, kDiabetes}));
}

TEST_CASE("cardinality", "[ecl]") {
  // No finding site at all.
  CHECK(eval("< 404684003 : [0..0] 363698007 = *") == sorted({kDisease}));
  // No morphology: the refinement keeps concepts with no relationship of the type.
  CHECK(eval("< 64572001 : [0..0] 116676008 = *") == sorted({kHypertension, kDiabetes, kIhd}));
  // [0..0] with a value: no finding site in the heart.
  CHECK(eval("< 64572001 : [0..0] 363698007 = << 80891009") == sorted({kDiabetes}));
  CHECK(eval("< 64572001 : [1..*] 363698007 = << 80891009") ==
        eval("< 64572001 : 363698007 = << 80891009"));
  CHECK(eval("< 64572001 : [0..*] 363698007 = << 80891009") == eval("< 64572001"));
  // Counts are per relationship group, which is all AttributeHit distinguishes: Hypertensive
  // disorder's two ungrouped finding sites count as one, so it passes [1..1] (strict ECL would
  // count two relationships and reject it).
  CHECK(eval("< 64572001 : [2..*] 363698007 = *") == sorted({kIhd}));
  CHECK(eval("< 64572001 : [1..1] 363698007 = *") ==
        sorted({kHypertension, kDiabetes, kMi, kAmi, kStemi, kNstemi}));
  CHECK(eval("< 64572001 : [0..1] 363698007 = *") ==
        sorted({kHypertension, kDiabetes, kMi, kAmi, kStemi, kNstemi}));
  CHECK(canonical("< 64572001 : [0..0] 363698007 = *") == "< 64572001 : [0..0] 363698007 = *");
  CHECK(canonical("< 64572001 : [1..*] 363698007 = *") == "< 64572001 : [1..*] 363698007 = *");
}

TEST_CASE("attribute groups", "[ecl]") {
  // Acute MI has its finding site and morphology in different groups.
  CHECK(eval("< 404684003 : { 363698007 = << 80891009, 116676008 = 55641003 }") ==
        sorted({kMi, kStemi, kNstemi}));
  CHECK(eval("< 404684003 : 363698007 = << 80891009, 116676008 = 55641003") ==
        sorted({kMi, kAmi, kStemi, kNstemi}));
  // Ungrouped relationships (group 0) never satisfy a group.
  CHECK(eval("< 404684003 : { 363698007 = 59820001 }") == sorted({kIhd}));
  CHECK(eval("< 404684003 : 363698007 = 59820001") == sorted({kHypertension, kIhd}));
  CHECK(eval("< 404684003 : { 363698007 = 80891009 } OR { 363698007 = 113331007 }") ==
        sorted({kDiabetes, kAmi, kIhd}));
  CHECK(eval("< 404684003 : { 363698007 = 80891009 OR 363698007 = 113331007 }") ==
        sorted({kDiabetes, kAmi, kIhd}));
  // Group cardinality counts groups.
  CHECK(eval("< 404684003 : [2..*] { 363698007 = * }") == sorted({kIhd}));
  CHECK(eval("< 64572001 : [0..0] { 116676008 = * }") == sorted({kHypertension, kDiabetes, kIhd}));
  // A group with a finding site and no morphology in the same group.
  CHECK(eval("< 404684003 : { 363698007 = *, [0..0] 116676008 = * }") ==
        sorted({kDiabetes, kAmi, kIhd}));
  CHECK(eval("< 404684003 : { [0..0] 116676008 = * }") == sorted({kDiabetes, kAmi, kIhd}));
  CHECK(canonical("<404684003:{363698007=<<80891009,116676008=55641003}") ==
        "< 404684003 : { 363698007 = << 80891009, 116676008 = 55641003 }");
  CHECK(canonical("< 404684003 : [1..2] {363698007 = *}") ==
        "< 404684003 : [1..2] { 363698007 = * }");
}

TEST_CASE("comments, whitespace and Swedish terms", "[ecl]") {
  CHECK(eval("/* hjärtinfarkter */ << 22298006 /* och */ MINUS/**/22298006") ==
        sorted({kAmi, kStemi, kNstemi}));
  CHECK(eval("\t<<\n22298006\r\n|Hjärtinfarkt (sjukdom)|") == eval("<< 22298006"));
  CHECK(canonical("<< 22298006 |  Hjärtinfarkt (sjukdom)  |") ==
        "<< 22298006 |Hjärtinfarkt (sjukdom)|");
  CHECK(canonical("<< 22298006|Akut hjärtinfarkt, /* ej kommentar */ åäö ÅÄÖ é|") ==
        "<< 22298006 |Akut hjärtinfarkt, /* ej kommentar */ åäö ÅÄÖ é|");
  CHECK(eval("< 404684003 : 363698007 |Fyndlokalisation| = << 80891009 |Hjärtstruktur|") ==
        eval("< 404684003 : 363698007 = << 80891009"));
}

TEST_CASE("toString is canonical and round-trips", "[ecl]") {
  CHECK(canonical("  <<22298006|Myocardial infarction|  ") ==
        "<< 22298006 |Myocardial infarction|");
  CHECK(canonical("<22298006 and <404684003,^46011000052107") ==
        "< 22298006 AND < 404684003 AND ^ 46011000052107");
  CHECK(canonical("(<< 22298006 OR 38341003) minus ((57054005))") ==
        "(<< 22298006 OR 38341003) MINUS 57054005");
  CHECK(canonical("<< (<< 22298006)") == "<< (<< 22298006)");
  CHECK(canonical("< 404684003 : 363698007 != (<< 80891009 MINUS 74281007)") ==
        "< 404684003 : 363698007 != (<< 80891009 MINUS 74281007)");
  CHECK(canonical("(< 404684003 : 363698007 = *) AND ^ 46011000052107") ==
        "(< 404684003 : 363698007 = *) AND ^ 46011000052107");
  CHECK(canonical("(<< 64572001 OR << 123037004) : 363698007 = *") ==
        "(<< 64572001 OR << 123037004) : 363698007 = *");

  const std::vector<std::string> expressions = {
      "22298006",
      "*",
      "<< 22298006 |Hjärtinfarkt|",
      ">! 401303003",
      "^ (< 900000000000455006)",
      "<< ^ 46011000052107",
      "< 404684003 AND ^ 46011000052107 AND < 64572001",
      "(<< 22298006 OR << 38341003) AND ^ 46011000052107",
      "<< 414545008 MINUS << 57054005 MINUS 22298006",
      "<< 22298006 MINUS (57054005 OR 401303003)",
      "< 404684003 : 363698007 = << 80891009, 116676008 = 55641003",
      "< 404684003 : 363698007 = 113331007 OR 116676008 = 55641003",
      "< 404684003 : (363698007 = 113331007 OR 363698007 = 59820001), 363698007 = 80891009",
      "< 404684003 : (363698007 OR 116676008) = 55641003",
      "< 404684003 : { 363698007 = << 80891009, 116676008 = 55641003 }",
      "< 404684003 : { 363698007 = *, [0..0] 116676008 = * } OR [2..*] { 363698007 = * }",
      "< 404684003 : [0..0] 363698007 = *",
      "< 404684003 : 363698007 != (<< 80891009 MINUS 74281007)",
      "(< 404684003 : 363698007 = 113331007) OR 22298006",
      "< 404684003 : 363698007 = (< 123037004 : 116680003 = 80891009)",
      "descendantOrSelfOf /* c */ (22298006 OR 38341003)",
  };
  for (const std::string& ecl : expressions) {
    INFO(ecl);
    const ExpressionPtr first = parse(ecl);
    const std::string text = toString(*first);
    const ExpressionPtr second = parse(text);
    CHECK(toString(*second) == text);
    CHECK(evaluate(*second, toy()) == evaluate(*first, toy()));
  }
}

TEST_CASE("malformed expressions report the column of the offending token", "[ecl]") {
  struct Case {
    std::string ecl;
    size_t column;
    std::string message;  // a part of the message
  };
  const std::vector<Case> cases = {
      {"", 1, "expected a concept id, '*', '(' or '^' but found end of input"},
      {"   ", 4, "but found end of input"},
      {")", 1, "expected a concept id, '*', '(' or '^' but found ')'"},
      {"<< ", 4, "after the constraint operator"},
      {"<< < 404684003", 4, "but found '<'"},
      {"12345", 1, "6 to 18 digits"},
      {"1234567890123456789", 1, "6 to 18 digits"},
      {"0404684003", 1, "cannot start with 0"},
      {"<< 404684003 )", 14, "unmatched ')'"},
      {"(<< 404684003", 14, "expected ')' to close the '(' at column 1"},
      {"((<< 404684003)", 16, "expected ')'"},
      {"<< 404684003 |Clinical finding", 14, "unterminated term"},
      {"<< 404684003 | |", 14, "empty term"},
      {"<< 404684003 /* comment", 14, "unterminated comment"},
      {"404684003 404684003", 11, "expected AND, OR, MINUS, ':' or end of input"},
      {"404684003 AND", 14, "expected a concept id"},
      {"404684003 OR 22298006 22298006", 23, "expected OR or end of input"},
      {"< 404684003 ! 1", 13, "found '!'"},
      {"< 404684003 é", 13, "found 'é'"},
      {"<< 22298006 |Hjärtinfarkt| )", 28, "unmatched ')'"},
      {"/* Fyndlokalisation åäö */ )", 28, "found ')'"},
      {"^ *", 3, "expected a concept id or '(' after '^'"},
      {"* |any|", 3, "found a term"},
      {"< 404684003 :", 14, "expected a concept id"},
      {"< 404684003 : 363698007", 24, "expected '=' or '!='"},
      {"< 404684003 : 363698007 < 80891009", 25, "expected '=' or '!='"},
      {"< 404684003 : 363698007 = ", 27, "expected a concept id"},
      {"< 404684003 : R 363698007 = *", 15, "reverse attributes"},
      {"< 404684003 : [0..0] R 363698007 = *", 22, "reverse attributes"},
      {"< 404684003 : [1..] 363698007 = *", 19, "a number or '*'"},
      {"< 404684003 : [2..1] 363698007 = *", 19, "maximum is less than the minimum"},
      {"< 404684003 : [1..*) 363698007 = *", 20, "expected ']'"},
      {"< 404684003 : [1 *] 363698007 = *", 18, "expected '..'"},
      {"< 404684003 : { 363698007 = *", 30, "expected '}' to close the '{' at column 15"},
      {"< 404684003 : { { 363698007 = * } }", 17, "cannot be nested"},
      {"< 404684003 : 363698007 = * MINUS 116676008 = *", 29, "MINUS cannot join"},
      {"< 404684003 : 363698007 = * 116676008 = *", 29, "expected ',', AND, OR or end of input"},
      {"< 404684003 OR < 123037004 : 363698007 = *", 28, "put the compound in parentheses"},
      {"< 404684003 : 363698007 = < 80891009 OR 116676008", 50, "expected '=' or '!='"},
      {"< 404684003 : (363698007 = *", 29, "expected ')' to close the '(' at column 15"},
      {"< 404684003 : (363698007 OR 116676008)", 39, "expected '=' or '!='"},
      {"\xFF", 1, "not valid UTF-8"},
      {"<< 22298006 |Hj\xC3|", 16, "not valid UTF-8"},
  };
  for (const Case& c : cases) {
    INFO("expression: " << c.ecl);
    bool threw = false;
    try {
      parse(c.ecl);
    } catch (const ParseError& e) {
      threw = true;
      CHECK(e.column() == c.column);
      CHECK_THAT(e.what(), Catch::Contains(c.message));
    }
    CHECK(threw);
  }
}

TEST_CASE("deep nesting is limited, long flat chains are not", "[ecl]") {
  // 1 MB of parentheses: a ParseError at the first level too deep, not a stack overflow.
  const size_t half = 512 * 1024;
  const std::string deep = std::string(half - 5, '(') + "22298006" + std::string(half - 5, ')');
  CHECK(errorColumn(deep) == 201);
  CHECK_THAT(errorMessage(deep), Catch::Contains("nested more than 200 levels"));
  const std::string braces = "< 404684003 : " + std::string(half, '{');
  CHECK_THROWS_AS(parse(braces), ParseError);
  std::string mixed;
  for (int i = 0; i < 100000; ++i) mixed += "<< (^ (";
  CHECK_THROWS_AS(parse(mixed), ParseError);
  std::string refinementParens = "< 404684003 : ";
  for (int i = 0; i < 100000; ++i) refinementParens += "(";
  CHECK_THROWS_AS(parse(refinementParens), ParseError);

  // Within the limit it parses and evaluates.
  const std::string ok = std::string(200, '(') + "<< 22298006" + std::string(200, ')');
  CHECK(eval(ok) == eval("<< 22298006"));
  CHECK(canonical(ok) == "<< 22298006");

  // A long chain of the same operator is flat, not nested.
  std::string chain = "22298006";
  for (int i = 0; i < 20000; ++i) chain += " OR 38341003";
  CHECK(eval(chain) == sorted({kMi, kHypertension}));
}
