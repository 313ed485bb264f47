#include "mapping/sctid.h"

#include <catch2/catch.hpp>

using namespace regcat;

TEST_CASE("Verhoeff check digits of known SNOMED CT ids", "[sctid]") {
  for (const char* id : {"116680003", "138875005", "22298006", "404684003", "900000000000003001",
                         "45991000052106", "46011000052107", "63771000052102"})
    CHECK(sctid::verhoeffValid(id));
  CHECK_FALSE(sctid::verhoeffValid("116680004"));
  CHECK(sctid::verhoeffDigit("11668000") == '3');
  CHECK(sctid::verhoeffDigit("2229800") == '6');
}

TEST_CASE("partitions and namespaces", "[sctid]") {
  using C = sctid::Component;
  CHECK(sctid::isValid("22298006", C::Concept));
  CHECK_FALSE(sctid::isValid("22298006", C::Description));
  CHECK(sctid::isValid("45991000052106", C::Concept));
  CHECK(sctid::namespaceOf("45991000052106") == 1000052);
  CHECK(sctid::namespaceOf("22298006") == 0);
  CHECK(sctid::partition("63771000052102") == C::Concept);
  CHECK_FALSE(sctid::isValid("0123", C::Concept));
  CHECK_FALSE(sctid::isValid("12345678901234567890", C::Concept));
  CHECK_FALSE(sctid::isValid("2229800a", C::Concept));
  CHECK(sctid::parse("22298006", C::Concept) == std::optional<int64_t>(22298006));
}
