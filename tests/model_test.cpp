#include "catalog/model.h"

#include <catch2/catch.hpp>

using namespace regcat;

TEST_CASE("identifier rules", "[model]") {
  CHECK(isValidRegisterId("riksstroke"));
  CHECK(isValidRegisterId("ndr-2"));
  CHECK_FALSE(isValidRegisterId("Riksstroke"));
  CHECK_FALSE(isValidRegisterId("a/b"));
  CHECK_FALSE(isValidRegisterId(""));
  CHECK(isValidLocalName("sys_bt"));
  CHECK(isValidLocalName("IT.AGE"));
  CHECK(isValidLocalName("ålder"));
  CHECK_FALSE(isValidLocalName("a/b"));
  CHECK_FALSE(isValidLocalName("a b"));
  CHECK_FALSE(isValidLocalName(".."));
  CHECK_FALSE(isValidLocalName("x#1"));
}

TEST_CASE("date validation", "[model]") {
  CHECK(isValidDate("2024-02-29"));
  CHECK_FALSE(isValidDate("2023-02-29"));
  CHECK_FALSE(isValidDate("2023-13-01"));
  CHECK_FALSE(isValidDate("20230101"));
  CHECK(isValidDateTime("2023-01-01T12:30"));
}

TEST_CASE("vocabularies", "[model]") {
  CHECK(isValidDatatype("code"));
  CHECK_FALSE(isValidDatatype("float"));
  CHECK(isValidIdentifierClass("direct"));
  CHECK(isValidSource("patient-reported"));
  CHECK(isValidCategory("outcome"));
}

TEST_CASE("variable definitions compare without validity and position", "[model]") {
  Variable a;
  a.register_id = "r";
  a.dataset_id = "d";
  a.name = "x";
  a.label = {"Rökning", "Smoking"};
  a.datatype = "code";
  a.codelist = "r.rok";
  Variable b = a;
  b.valid_from = "2020-01-01";
  b.position = 7;
  CHECK(a.sameDefinition(b));
  b.label.sv = "Tobaksrökning";
  CHECK_FALSE(a.sameDefinition(b));
  CHECK(a.key() == "r/d/x");
}
