// Swedish-aware text handling shared by storage, search and every importer: one place decides
// what "the same word" means.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace regcat::text {

// True if s is well-formed UTF-8.
bool isValidUtf8(std::string_view s);

// NFC normalisation. Throws regcat::Error (Invalid, naming `where`) on malformed UTF-8.
std::string nfc(std::string_view s, const std::string& where = {});

// Unicode case folding (after NFC): "Hjärtinfarkt" -> "hjärtinfarkt". å, ä, ö stay distinct.
std::string fold(std::string_view s);

// Case folding plus removal of diacritics: "Rökning" -> "rokning", "Hjärt" -> "hjart", "é" -> "e".
// Used for the lower-ranked "folded" match a query typed without å/ä/ö finds.
std::string foldDiacritics(std::string_view s);

// Words of s (runs of letters and digits), case-folded, in order.
std::vector<std::string> words(std::string_view s);

// Swedish collation (sv-SE): Å, Ä, Ö after Z; returns <0, 0, >0.
int collate(std::string_view a, std::string_view b);

// Current date (UTC) as YYYY-MM-DD and timestamp as YYYY-MM-DDTHH:MM:SSZ.
std::string today();
std::string now();
// Date arithmetic on ISO dates.
std::string addDays(const std::string& isoDate, int days);

}  // namespace regcat::text
