#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "catalog/errors.h"
#include "exporters/regcat_json_exporter.h"
#include "importers/regcat_json_importer.h"
#include "test_support.h"

using namespace regcat;

namespace {

std::string minimal(const std::string& variableExtra = "") {
  return R"({"format":"regcat-catalog","version":1,"registers":[{"id":"r","name":{"sv":"Registret"},
    "cpua":{"name":"Region Halland"},"codelists":[],"datasets":[{"id":"d","name":"Data",
    "variables":[{"name":"x","label":"Ålder","datatype":"integer")" +
         variableExtra + "}]}]}]}";
}

void strip(rapidjson::Value& v) {
  if (v.IsObject()) {
    for (const char* k : {"exported_at", "recorded_at", "created_at", "updated_at", "provenance"})
      v.RemoveMember(k);
    // By index: a range-for over a mutable object compares iterators with `!=`, which is
    // ambiguous in C++20 with rapidjson 1.1 (clang's -Wambiguous-reversed-operator).
    for (rapidjson::SizeType i = 0; i < v.MemberCount(); ++i) strip(v.MemberBegin()[i].value);
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) strip(e);
  }
}

}  // namespace

// The document without the values the store sets itself (times, provenance).
std::string stripStoreFields(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  strip(d);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  d.Accept(w);
  return buf.GetString();
}

TEST_CASE("catalogue JSON parses into domain objects", "[json]") {
  auto doc = importCatalogJson(minimal(R"(,"unit":"a","min":0,"max":120)"), "f.json");
  REQUIRE(doc.registers.size() == 1);
  const auto& rd = doc.registers[0];
  CHECK(rd.reg.cpua.name == "Region Halland");
  REQUIRE(rd.variables.size() == 1);
  CHECK(rd.variables[0].label.sv == "Ålder");
  CHECK(rd.variables[0].register_id == "r");
  CHECK(rd.variables[0].dataset_id == "d");
  CHECK(rd.variables[0].max == Approx(120));
  CHECK(rd.datasets[0].name.sv == "Data");  // a plain string is Swedish text
}

TEST_CASE("JSON errors name the place", "[json]") {
  CHECK_THROWS_WITH(importCatalogJson("{\"format\": \n  \"regcat-catalog\",", "f.json"),
                    Catch::Contains("f.json:2:") && Catch::Contains("malformed JSON"));
  CHECK_THROWS_WITH(importCatalogJson(minimal(R"(,"unitt":"kg")"), "f.json"),
                    Catch::Contains("variables[0].unitt") && Catch::Contains("unknown field"));
  CHECK_THROWS_WITH(importCatalogJson(minimal(R"(,"min":"zero")"), "f.json"),
                    Catch::Contains("variables[0].min") && Catch::Contains("expected a number"));
  CHECK_THROWS_WITH(importCatalogJson(R"({"format":"other","version":1,"registers":[]})", "f.json"),
                    Catch::Contains("format"));
  CHECK_THROWS_WITH(
      importCatalogJson("{\"format\":\"regcat-catalog\",\"x\":\"\xC3\x28\"}", "f.json"),
      Catch::Contains("f.json"));
}

TEST_CASE("hostile JSON: deep nesting and trailing garbage", "[json]") {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_THROWS_WITH(importCatalogJson(deep, "deep.json"), Catch::Contains("nested deeper"));
  CHECK_THROWS_AS(importCatalogJson(minimal() + " trailing", "f.json"), Error);
}

TEST_CASE("a UTF-8 BOM is accepted and text is stored as NFC", "[json]") {
  std::string decomposed = minimal();
  const std::string composed = "Ålder", nfd = "A\xCC\x8Alder";
  decomposed.replace(decomposed.find(composed), composed.size(), nfd);
  auto doc = importCatalogJson("\xEF\xBB\xBF" + decomposed, "bom.json");
  CHECK(doc.registers[0].variables[0].label.sv == "Ålder");
}

TEST_CASE("export then import into an empty catalogue gives the same catalogue",
          "[json][roundtrip]") {
  test::TestStore a(true);
  std::ostringstream first;
  exportCatalogJson(*a.store, {}, {}, first);
  test::TestStore b;
  auto doc = importCatalogJson(first.str(), "export.json");
  b.store->applyImport(doc, {}, {});
  std::ostringstream second;
  exportCatalogJson(*b.store, {}, {}, second);
  // Everything but the store-managed times and provenance is identical.
  const std::string x = stripStoreFields(first.str()), y = stripStoreFields(second.str());
  CHECK(x.size() == y.size());
  CHECK(x == y);
  CHECK(x.find("Rökning") != std::string::npos);
}
