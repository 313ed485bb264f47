#include "catalog/store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>

#include "catalog/errors.h"
#include "cli/demo.h"
#include "test_support.h"

using namespace regcat;
using regcat::test::TempDir;
using regcat::test::TestStore;

namespace {

Register sampleRegister(const std::string& id = "testreg") {
  Register r;
  r.id = id;
  r.name = {"Testregistret för höftartros", "Test register"};
  r.cpua = {"Region Örebro län", "Regionstyrelsen"};
  r.purposes = {{"Att följa upp vårdens kvalitet.", "To monitor quality of care."}};
  r.coverage = {{92.5, "Jämförelse med Patientregistret", "Patientregistret", "2023-01-01",
                 "2023-12-31", "nationell"}};
  r.unit_types = {"person", "vårdtillfälle"};
  r.holds_personnummer = true;
  r.certification_level = "2";
  r.start_year = 2001;
  return r;
}

Dataset sampleDataset(const std::string& reg = "testreg") {
  Dataset d;
  d.register_id = reg;
  d.id = "besok";
  d.name = {"Besök", "Visit"};
  return d;
}

}  // namespace

TEST_CASE("migrations set the schema version, WAL and foreign keys", "[store]") {
  TempDir dir;
  {
    Store s(dir.file("a.db"));
    CHECK(s.schemaVersion() == Store::latestSchemaVersion());
  }
  SQLite::Database db(dir.file("a.db"));
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == Store::latestSchemaVersion());
  // Re-opening an up-to-date database runs nothing and keeps the data.
  {
    Store s(dir.file("a.db"));
    s.setMeta("k", "v");
  }
  Store again(dir.file("a.db"));
  CHECK(again.meta("k") == std::optional<std::string>("v"));
}

TEST_CASE("a database newer than the binary is refused", "[store]") {
  TempDir dir;
  {
    SQLite::Database db(dir.file("new.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = 999");
  }
  CHECK_THROWS_WITH(Store(dir.file("new.db")), Catch::Contains("newer than this regcat"));
}

TEST_CASE("the demo catalogue has four registers with 40-80 variables each", "[store][demo]") {
  TestStore t(true);
  const auto regs = t.store->listRegisters();
  REQUIRE(regs.size() == 4);
  for (const auto& r : regs) {
    INFO(r.id);
    CHECK(r.variables >= 40);
    CHECK(r.variables <= 80);
    auto full = t.store->getRegister(r.id);
    CHECK_FALSE(full->cpua.name.empty());
    CHECK_FALSE(full->purposes.empty());
    CHECK_FALSE(full->coverage.empty());
    CHECK(full->holds_personnummer == std::optional<bool>(true));
    // Every register has personnummer as a direct identifier.
    bool pnr = false;
    for (const auto& v : t.store->listVariables(r.id))
      pnr = pnr || (v.name == "pnr" && v.identifier_class == "direct");
    CHECK(pnr);
  }
  CHECK(t.store->integrityCheck() == "ok");
}

TEST_CASE("demo loads only on first start", "[store][demo]") {
  TestStore t(false);
  CHECK(app::loadDemoOnFirstStart(*t.store, test::dataDir()));
  t.store->deleteRegister("hoftprotes");
  CHECK_FALSE(app::loadDemoOnFirstStart(*t.store, test::dataDir()));
  CHECK(t.store->listRegisters().size() == 3);
}

TEST_CASE("register create, read, update, delete", "[store]") {
  TestStore t;
  WriteContext ctx;
  ctx.actor = "anna";
  Register r = t.store->createRegister(sampleRegister(), ctx);
  CHECK(r.name.sv == "Testregistret för höftartros");
  CHECK(r.provenance.recorded_by == "anna");
  CHECK(r.coverage.at(0).value == Approx(92.5));
  CHECK(r.unit_types == std::vector<std::string>{"person", "vårdtillfälle"});
  CHECK_THROWS_AS(t.store->createRegister(sampleRegister(), ctx), Error);

  Register changed = sampleRegister();
  changed.purposes.push_back({"Att möjliggöra forskning.", ""});
  changed.cpua.unit = "Hälso- och sjukvårdsnämnden";
  r = t.store->updateRegister("testreg", changed, ctx);
  CHECK(r.purposes.size() == 2);
  CHECK(r.cpua.unit == "Hälso- och sjukvårdsnämnden");

  t.store->createDataset(sampleDataset(), ctx);
  t.store->deleteRegister("testreg");
  CHECK_FALSE(t.store->getRegister("testreg"));
  CHECK_FALSE(t.store->getDataset("testreg", "besok"));
  CHECK_THROWS_AS(t.store->deleteRegister("testreg"), Error);
}

TEST_CASE("validation names the field and writes nothing", "[store]") {
  TestStore t;
  WriteContext ctx;
  Register r = sampleRegister();
  r.cpua.name.clear();
  try {
    t.store->createRegister(r, ctx);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == Error::Kind::Invalid);
    CHECK(e.where() == "cpua.name");
  }
  r = sampleRegister("Bad Id");
  CHECK_THROWS_WITH(t.store->createRegister(r, ctx), Catch::Contains("id"));
  r = sampleRegister();
  r.coverage[0].value = 140;
  CHECK_THROWS_WITH(t.store->createRegister(r, ctx), Catch::Contains("coverage[0].value"));
  CHECK(t.store->listRegisters().empty());
}

TEST_CASE("variables need an existing dataset and code list", "[store]") {
  TestStore t;
  WriteContext ctx;
  t.store->createRegister(sampleRegister(), ctx);
  t.store->createDataset(sampleDataset(), ctx);
  Variable v;
  v.register_id = "testreg";
  v.dataset_id = "besok";
  v.name = "rokning";
  v.label = {"Rökning", "Smoking"};
  v.datatype = "code";
  v.codelist = "saknas";
  try {
    t.store->createVariable(v, ctx);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.where() == "codelist");
  }
  v.codelist.clear();
  CHECK_THROWS_WITH(t.store->createVariable(v, ctx), Catch::Contains("codelist"));
  v.dataset_id = "nope";
  v.datatype = "string";
  CHECK_THROWS_WITH(t.store->createVariable(v, ctx), Catch::Contains("dataset"));
  CHECK(t.store->listVariables("testreg").empty());

  CodeList c;
  c.id = "testreg.janej";
  c.register_id = "testreg";
  c.name = {"Ja/Nej", "Yes/No"};
  c.items = {{"1", {"Ja", "Yes"}, false, "", ""}, {"2", {"Nej", "No"}, false, "", ""}};
  t.store->createCodeList(c, ctx);
  v.dataset_id = "besok";
  v.datatype = "code";
  v.codelist = "testreg.janej";
  Variable saved = t.store->createVariable(v, ctx);
  CHECK(saved.version == 1);
  CHECK_FALSE(saved.valid_from.empty());
  CHECK_THROWS_AS(t.store->createVariable(v, ctx), Error);  // duplicate
  // A code list in use cannot be deleted.
  CHECK_THROWS_WITH(t.store->deleteCodeList("testreg.janej"), Catch::Contains("used by variable"));
}

TEST_CASE("a failed import leaves the database exactly as it was", "[store]") {
  TestStore t(true);
  const auto before = t.store->listRegisters();
  CatalogDocument doc;
  RegisterDocument rd;
  rd.reg = sampleRegister("newreg");
  rd.datasets.push_back(sampleDataset("newreg"));
  Variable ok;
  ok.register_id = "newreg";
  ok.dataset_id = "besok";
  ok.name = "a";
  ok.label = {"A", ""};
  ok.datatype = "integer";
  Variable bad = ok;
  bad.name = "b";
  bad.datatype = "code";
  bad.codelist = "does.not.exist";
  bad.origin = "file.json:12";
  rd.variables = {ok, bad};
  doc.registers.push_back(rd);
  CHECK_THROWS_WITH(t.store->applyImport(doc, {}, {}), Catch::Contains("file.json:12"));
  const auto after = t.store->listRegisters();
  REQUIRE(after.size() == before.size());
  CHECK_FALSE(t.store->getRegister("newreg"));
}

TEST_CASE("online backup produces a consistent copy", "[store]") {
  TestStore t(true);
  const std::string dest = t.dir.file("backup.db");
  t.store->backup(dest);
  Store copy(dest);
  CHECK(copy.listRegisters().size() == 4);
  CHECK(copy.integrityCheck() == "ok");
  CHECK(copy.getVariable("strokereg", "akut", "rokning"));
}
