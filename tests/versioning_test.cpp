// Re-imports and edits: a changed definition makes a new version, the old one stays readable
// for dates in its period, removed variables are closed, never deleted.
#include <catch2/catch.hpp>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "test_support.h"

using namespace regcat;
using regcat::test::TestStore;

namespace {

CatalogDocument document(const std::string& label, bool withExtra, bool withGone,
                         const std::string& validFrom = "2015-01-01") {
  CatalogDocument doc;
  RegisterDocument rd;
  rd.reg.id = "vreg";
  rd.reg.name = {"Versionsregistret", ""};
  rd.reg.cpua = {"Region Uppsala", ""};
  Dataset d;
  d.register_id = "vreg";
  d.id = "form";
  d.name = {"Formulär", ""};
  rd.datasets.push_back(d);
  CodeList c;
  c.id = "vreg.rok";
  c.name = {"Rökning", ""};
  c.items = {{"1", {"Röker", ""}, false, "", ""}, {"2", {"Röker inte", ""}, false, "", ""}};
  if (withExtra) c.items.push_back({"9", {"Okänt", ""}, true, "", ""});
  rd.codelists.push_back(c);
  Variable v;
  v.register_id = "vreg";
  v.dataset_id = "form";
  v.name = "rokning";
  v.label = {label, "Smoking"};
  v.datatype = "code";
  v.codelist = "vreg.rok";
  v.valid_from = validFrom;
  rd.variables.push_back(v);
  Variable w = v;
  w.name = "vikt";
  w.label = {"Vikt", "Weight"};
  w.datatype = "decimal";
  w.codelist.clear();
  w.unit = "kg";
  rd.variables.push_back(w);
  if (withGone) {
    Variable g = w;
    g.name = "langd";
    g.label = {"Längd", "Height"};
    g.unit = "cm";
    rd.variables.push_back(g);
  }
  doc.registers.push_back(rd);
  return doc;
}

}  // namespace

TEST_CASE("re-import of a changed variable keeps the old version readable by date",
          "[versioning]") {
  TestStore t;
  ImportOptions first;
  first.effective_date = "2015-01-01";
  auto r1 = t.store->applyImport(document("Rökning", false, true), first, {});
  CHECK(r1.count("added") == 3);
  CHECK(r1.registers_created == std::vector<std::string>{"vreg"});

  // Same file again: nothing changes.
  auto same = t.store->applyImport(document("Rökning", false, true), first, {});
  CHECK(same.count("unchanged") == 3);
  CHECK(same.registers_created.empty());
  CHECK(same.registers_updated.empty());

  ImportOptions second;
  second.effective_date = "2020-07-01";
  auto r2 = t.store->applyImport(document("Tobaksrökning", true, false), second, {});
  CHECK(r2.count("changed") == 1);
  CHECK(r2.count("removed") == 1);
  CHECK(r2.count("unchanged") == 1);
  REQUIRE(r2.codelists.size() == 1);
  CHECK(r2.codelists[0].change == "changed");
  CHECK(r2.codelists[0].added_codes == std::vector<std::string>{"9"});

  auto latest = t.store->getVariable("vreg", "form", "rokning");
  REQUIRE(latest);
  CHECK(latest->version == 2);
  CHECK(latest->label.sv == "Tobaksrökning");
  CHECK(latest->valid_from == "2020-07-01");
  CHECK(latest->valid_to.empty());

  auto old = t.store->getVariable("vreg", "form", "rokning", "2018-03-15");
  REQUIRE(old);
  CHECK(old->version == 1);
  CHECK(old->label.sv == "Rökning");
  CHECK(old->valid_from == "2015-01-01");
  CHECK(old->valid_to == "2020-06-30");

  CHECK(t.store->getVariable("vreg", "form", "rokning", "2020-07-01")->version == 2);
  CHECK_FALSE(t.store->getVariable("vreg", "form", "rokning", "2010-01-01"));

  const auto history = t.store->variableHistory("vreg", "form", "rokning");
  REQUIRE(history.size() == 2);
  CHECK(history[0].label.sv == "Rökning");
  CHECK(history[1].label.sv == "Tobaksrökning");

  // The removed variable is closed the day before the effective date, not deleted.
  auto gone = t.store->getVariable("vreg", "form", "langd");
  REQUIRE(gone);
  CHECK(gone->valid_to == "2020-06-30");
  CHECK(t.store->getVariable("vreg", "form", "langd", "2019-01-01"));
  CHECK_FALSE(t.store->getVariable("vreg", "form", "langd", "2021-01-01"));
  CHECK(t.store->listVariables("vreg").size() == 2);
  CHECK(t.store->listVariables("vreg", "", true).size() == 3);

  // Code list versions follow the same rule.
  auto cl = t.store->getCodeList("vreg.rok");
  CHECK(cl->version == 2);
  CHECK(cl->items.size() == 3);
  CHECK(t.store->codeListHistory("vreg.rok").size() == 2);
}

TEST_CASE("a dry run reports the diff and writes nothing", "[versioning]") {
  TestStore t;
  ImportOptions first;
  first.effective_date = "2015-01-01";
  t.store->applyImport(document("Rökning", false, true), first, {});
  ImportOptions dry;
  dry.dry_run = true;
  dry.effective_date = "2020-07-01";
  auto r = t.store->applyImport(document("Tobaksrökning", true, false), dry, {});
  CHECK(r.dry_run);
  CHECK(r.count("changed") == 1);
  CHECK(r.count("removed") == 1);
  REQUIRE(r.variables.size() == 3);
  auto v = t.store->getVariable("vreg", "form", "rokning");
  CHECK(v->version == 1);
  CHECK(v->label.sv == "Rökning");
  CHECK(t.store->getVariable("vreg", "form", "langd")->valid_to.empty());
  CHECK(t.store->getCodeList("vreg.rok")->version == 1);
}

TEST_CASE("an API edit makes a version; retiring closes it", "[versioning]") {
  TestStore t;
  ImportOptions first;
  first.effective_date = "2015-01-01";
  t.store->applyImport(document("Rökning", false, false), first, {});
  Variable v = *t.store->getVariable("vreg", "form", "vikt");
  v.unit = "g";
  auto updated = t.store->updateVariable("vreg", "form", "vikt", v, {}, "2022-01-01");
  CHECK(updated.version == 2);
  CHECK(t.store->getVariable("vreg", "form", "vikt", "2021-12-31")->unit == "kg");
  CHECK(t.store->getVariable("vreg", "form", "vikt", "2022-01-01")->unit == "g");
  // The same definition again is not a new version.
  CHECK(t.store->updateVariable("vreg", "form", "vikt", v, {}, "2023-01-01").version == 2);

  auto retired = t.store->retireVariable("vreg", "form", "vikt", {}, "2024-05-31");
  CHECK(retired.valid_to == "2024-05-31");
  CHECK(t.store->getVariable("vreg", "form", "vikt", "2024-05-31"));
  CHECK_FALSE(t.store->getVariable("vreg", "form", "vikt", "2024-06-01"));
  CHECK(t.store->variableHistory("vreg", "form", "vikt").size() == 2);
}

TEST_CASE("validity periods are checked", "[versioning]") {
  TestStore t;
  auto doc = document("Rökning", false, false);
  doc.registers[0].variables[0].valid_to = "2001-01-01";  // before valid_from
  CHECK_THROWS_WITH(t.store->applyImport(doc, {}, {}), Catch::Contains("valid_to"));
  CHECK(t.store->listRegisters().empty());
}
