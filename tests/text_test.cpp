#include "catalog/text.h"

#include <catch2/catch.hpp>

#include "catalog/errors.h"
#include "catalog/search.h"

using namespace regcat;

TEST_CASE("NFC normalisation composes Swedish letters", "[text]") {
  const std::string decomposed = "Ro\xCC\x88kning";  // o + combining diaeresis
  CHECK(text::nfc(decomposed) == "Rökning");
  CHECK(text::nfc("Rökning") == "Rökning");
  CHECK_THROWS_AS(text::nfc("bad \xC3\x28 utf8", "field"), Error);
  CHECK_FALSE(text::isValidUtf8("\xFF"));
}

TEST_CASE("case folding keeps å, ä, ö distinct; diacritic folding removes them", "[text]") {
  CHECK(text::fold("HJÄRTINFARKT") == "hjärtinfarkt");
  CHECK(text::fold("Åsa Öberg") == "åsa öberg");
  CHECK(text::foldDiacritics("Rökning") == "rokning");
  CHECK(text::foldDiacritics("Hjärtinfarkt") == "hjartinfarkt");
  CHECK(text::foldDiacritics("Ångström é") == "angstrom e");
}

TEST_CASE("words split on punctuation and keep Swedish letters", "[text]") {
  auto w = text::words("Tidigare hjärtinfarkt (AMI), ja/nej; sys_bt");
  REQUIRE(w ==
          std::vector<std::string>{"tidigare", "hjärtinfarkt", "ami", "ja", "nej", "sys", "bt"});
}

TEST_CASE("Swedish collation puts Å, Ä, Ö after Z", "[text]") {
  CHECK(text::collate("Zebra", "Åsa") < 0);
  CHECK(text::collate("Åsa", "Ärla") < 0);
  CHECK(text::collate("Ärla", "Örn") < 0);
  CHECK(text::collate("apa", "Bil") < 0);  // case-insensitive at the primary level
  CHECK(text::collate("Öl", "Öl") == 0);
}

TEST_CASE("date helpers", "[text]") {
  CHECK(text::addDays("2024-03-01", -1) == "2024-02-29");
  CHECK(text::addDays("2023-12-31", 1) == "2024-01-01");
  CHECK(text::today().size() == 10);
}

TEST_CASE("index text has exact, folded and infix forms", "[text][search]") {
  const IndexedText t = indexText({"Hjärtinfarkt"});
  CHECK(t.exact == "hjärtinfarkt");
  CHECK(t.folded == "hjartinfarkt");
  CHECK(t.infix.find("infarkt") != std::string::npos);
  CHECK(t.infix.find("hjartinfarkt") == std::string::npos);  // the whole word is in folded
}

TEST_CASE("FTS query quotes words and never passes syntax through", "[text][search]") {
  CHECK(ftsQuery("").empty());
  CHECK(ftsQuery("!!! ***").empty());
  const std::string q = ftsQuery("rökning \"OR\" NEAR(");
  CHECK(q.find("\"rökning\"") != std::string::npos);
  CHECK(q.find("\"rokning\"") != std::string::npos);
  CHECK(q.find("\"or\"") != std::string::npos);  // an operator word becomes a quoted term
}

TEST_CASE("the Latin-1 fast path folds like ICU", "[text]") {
  // Every Latin-1 letter, upper and lower case, between ASCII letters.
  for (int cp = 0xC0; cp <= 0xFF; ++cp) {
    std::string s = "X";
    s += char(0xC3);
    s += char(0x80 + (cp - 0xC0));
    s += "y";
    INFO(cp);
    CHECK(text::fold(s) == text::fold(s + "\xE2\x82\xAC").substr(0, text::fold(s).size()));
  }
  CHECK(text::fold("ÅÄÖ") == "åäö");
  CHECK(text::fold("Straße") == "strasse");  // ß is left to ICU's full case folding
  CHECK(text::foldDiacritics("ÅÄÖ åäö Øre Æble Ñandú") == "aao aao ore able nandu");
  CHECK(text::foldDiacritics("þorn") == "þorn");  // no base letter: unchanged
}
