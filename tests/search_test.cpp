// Swedish-aware variable search over the demo catalogue.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>

#include "catalog/store.h"
#include "catalog/text.h"
#include "test_support.h"

using namespace regcat;
using regcat::test::TestStore;

namespace {

SearchResult search(Store& s, const std::string& q, int limit = 50) {
  VariableQuery query;
  query.q = q;
  query.limit = limit;
  return s.searchVariables(query);
}

bool labelContains(const VariableHit& h, const std::string& part) {
  return text::fold(h.variable.label.sv).find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("infix search finds Swedish compounds", "[search]") {
  TestStore t(true);
  auto r = search(*t.store, "infarkt");
  REQUIRE(r.total > 0);
  int compounds = 0;
  for (const auto& h : r.hits) compounds += labelContains(h, "hjärtinfarkt");
  CHECK(compounds >= 3);  // "Tidigare hjärtinfarkt" in three registers
  // Label hits rank above hits only in definitions or code labels.
  for (size_t i = 1; i < r.hits.size(); ++i) CHECK(r.hits[i - 1].score >= r.hits[i].score);
}

TEST_CASE("å, ä, ö: exact hits rank above folded ones", "[search]") {
  TestStore t(true);
  auto exact = search(*t.store, "rökning");
  auto folded = search(*t.store, "rokning");
  REQUIRE(exact.total > 0);
  REQUIRE(folded.total >= exact.total);
  CHECK(exact.hits[0].match == "exact");
  CHECK(exact.hits[0].score == Approx(1.0));
  // Every Rökning variable is found by the folded query, and scores lower there.
  for (const auto& e : exact.hits) {
    if (!labelContains(e, "rökning")) continue;
    bool found = false;
    for (const auto& f : folded.hits)
      if (f.variable.key() == e.variable.key()) {
        found = true;
        CHECK(f.score < e.score);
      }
    CHECK(found);
  }
  // Without a column name to help, a folded query matches labels as "folded".
  auto hjart = search(*t.store, "hjartinfarkt");
  REQUIRE(hjart.total > 0);
  CHECK(labelContains(hjart.hits[0], "hjärtinfarkt"));
  auto hjärt = search(*t.store, "hjärtinfarkt");
  CHECK(hjärt.hits[0].score > hjart.hits[0].score);
}

TEST_CASE("prefix, multi-word and English search", "[search]") {
  TestStore t(true);
  auto p = search(*t.store, "blodtr");
  REQUIRE(p.total > 0);
  CHECK(labelContains(p.hits[0], "blodtryck"));
  auto two = search(*t.store, "systoliskt blodtryck");
  REQUIRE(two.total >= 3);
  for (const auto& h : two.hits) CHECK(labelContains(h, "systoliskt"));
  auto en = search(*t.store, "smoking");
  CHECK(en.total > 0);
  CHECK(search(*t.store, "zzzqqq").total == 0);
  CHECK(search(*t.store, "\"OR NEAR(").total == 0);  // FTS syntax in input is inert
}

TEST_CASE("code labels are searchable", "[search]") {
  TestStore t(true);
  // A code label that is not a variable label: found through the variable that uses it.
  auto r = search(*t.store, "STEMI");
  REQUIRE(r.total > 0);
  CHECK(r.hits[0].field == "text");
}

TEST_CASE("facets and filters", "[search]") {
  TestStore t(true);
  VariableQuery q;
  q.q = "rökning";
  auto all = t.store->searchVariables(q);
  int sum = 0;
  for (const auto& [reg, n] : all.facets["register"]) sum += n;
  CHECK(sum == all.total);
  CHECK(all.facets["register"].size() == 4);

  q.registers = {"diabetes"};
  auto one = t.store->searchVariables(q);
  CHECK(one.total == all.facets["register"]["diabetes"]);
  for (const auto& h : one.hits) CHECK(h.variable.register_id == "diabetes");
  // The register facet ignores its own filter so the alternatives stay visible.
  CHECK(one.facets["register"].size() == 4);

  VariableQuery ids;
  ids.identifier_classes = {"direct"};
  ids.limit = 100;
  auto direct = t.store->searchVariables(ids);
  CHECK(direct.total >= 4);
  for (const auto& h : direct.hits) CHECK(h.variable.identifier_class == "direct");

  VariableQuery ds;
  ds.datasets = {"strokereg/akut"};
  auto akut = t.store->searchVariables(ds);
  CHECK(akut.total > 0);
  for (const auto& h : akut.hits) CHECK(h.variable.dataset_id == "akut");
}

TEST_CASE("listing without a query: register order, paging, Swedish sort", "[search]") {
  TestStore t(true);
  VariableQuery q;
  q.limit = 20;
  auto page1 = t.store->searchVariables(q);
  q.offset = 20;
  auto page2 = t.store->searchVariables(q);
  CHECK(page1.total == page2.total);
  REQUIRE(page1.hits.size() == 20);
  CHECK(page1.hits[19].variable.key() != page2.hits[0].variable.key());

  VariableQuery sorted;
  sorted.sort = "label";
  sorted.limit = 1000;
  auto s = t.store->searchVariables(sorted);
  for (size_t i = 1; i < s.hits.size(); ++i)
    CHECK(text::collate(s.hits[i - 1].variable.label.sv, s.hits[i].variable.label.sv) <= 0);
  // Labels starting with Å/Ä/Ö come after those starting with Z.
  const auto& last = s.hits.back().variable.label.sv;
  CHECK((last.rfind("Å", 0) == 0 || last.rfind("Ä", 0) == 0 || last.rfind("Ö", 0) == 0));
}

TEST_CASE("closed variables are hidden unless asked for", "[search]") {
  TestStore t(true);
  VariableQuery q;
  q.limit = 1000;
  auto open = t.store->searchVariables(q);
  q.include_closed = true;
  auto all = t.store->searchVariables(q);
  CHECK(all.total > open.total);  // the demo has discontinued variables
  const std::string today = text::today();
  for (const auto& h : open.hits)
    CHECK((h.variable.valid_to.empty() || h.variable.valid_to >= today));
}

TEST_CASE("the index follows edits and code list changes", "[search]") {
  TestStore t(true);
  Variable v = *t.store->getVariable("strokereg", "akut", "rokning");
  v.label.sv = "Tobaksbruk";
  t.store->updateVariable("strokereg", "akut", "rokning", v, {});
  auto r = search(*t.store, "tobaksbruk");
  REQUIRE(r.total == 1);
  CHECK(r.hits[0].variable.key() == "strokereg/akut/rokning");

  CodeList c = *t.store->getCodeList(v.codelist);
  c.items.push_back({"7", {"Snusare med kardemumma", ""}, false, "", ""});
  t.store->updateCodeList(c.id, c, {});
  auto byCode = search(*t.store, "kardemumma");
  REQUIRE(byCode.total >= 1);
  CHECK(byCode.hits[0].variable.codelist == c.id);
}

TEST_CASE("an import indexes its variables once, re-imports replace their index rows",
          "[search][import]") {
  TestStore t(false);
  auto doc = [](const std::string& smokingLabel, const std::string& codeLabel, bool withHeight) {
    RegisterDocument r;
    r.reg.id = "sokreg";
    r.reg.name.sv = "Sökregistret";
    r.reg.cpua.name = "Region Örebro län";
    Dataset d;
    d.register_id = "sokreg";
    d.id = "besok";
    d.name.sv = "Besök";
    r.datasets.push_back(d);
    CodeList c;
    c.register_id = "sokreg";
    c.id = "sokreg.rok";
    c.name.sv = "Rökning";
    c.items = {{"1", {codeLabel, ""}, false, "", ""}, {"2", {"Aldrig", ""}, false, "", ""}};
    r.codelists.push_back(c);
    Variable v;
    v.register_id = "sokreg";
    v.dataset_id = "besok";
    v.name = "rokning";
    v.label.sv = smokingLabel;
    v.datatype = "code";
    v.codelist = "sokreg.rok";
    r.variables.push_back(v);
    Variable w = v;
    w.name = "vikt";
    w.label.sv = "Kroppsvikt";
    w.datatype = "decimal";
    w.codelist.clear();
    w.unit = "kg";
    r.variables.push_back(w);
    if (withHeight) {
      Variable h = w;
      h.name = "langd";
      h.label.sv = "Kroppslängd";
      h.unit = "cm";
      r.variables.push_back(h);
    }
    CatalogDocument cd;
    cd.registers.push_back(r);
    return cd;
  };
  auto ftsRows = [&] {
    int n = 0;
    t.store->read([&](SQLite::Database& db) {
      n = db.execAndGet("SELECT count(*) FROM variable_fts").getInt();
    });
    return n;
  };
  t.store->applyImport(doc("Rökning", "Röker dagligen", false), {}, {});
  CHECK(ftsRows() == 2);
  CHECK(search(*t.store, "röker").total == 1);
  CHECK(search(*t.store, "kroppsvikt").total == 1);

  // A dry run leaves the index as it was.
  ImportOptions dry;
  dry.dry_run = true;
  t.store->applyImport(doc("Tobaksbruk", "Snusar dagligen", true), dry, {});
  CHECK(ftsRows() == 2);
  CHECK(search(*t.store, "tobaksbruk").total == 0);

  // The code list and the variable change in one import (the variable is indexed twice in it:
  // once for its code list, once for itself) and a variable is added.
  t.store->applyImport(doc("Tobaksbruk", "Snusar dagligen", true), {}, {});
  CHECK(ftsRows() == 3);
  CHECK(search(*t.store, "röker").total == 0);
  // (The name rokning still matches "rökning"; its label is the new one.)
  auto byName = search(*t.store, "rökning");
  REQUIRE(byName.total == 1);
  CHECK(byName.hits[0].variable.label.sv == "Tobaksbruk");
  auto snus = search(*t.store, "snusar");
  REQUIRE(snus.total == 1);
  CHECK(snus.hits[0].variable.key() == "sokreg/besok/rokning");
  CHECK(search(*t.store, "tobaksbruk").total == 1);
  CHECK(search(*t.store, "kroppslängd").total == 1);
  CHECK(search(*t.store, "kroppsvikt").total == 1);
}
