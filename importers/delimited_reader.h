// Delimited text (CSV, semicolon-separated as Swedish Excel writes it, TSV) as records of
// fields, following RFC 4180 quoting: quoted fields may hold delimiters, quotes ("") and line
// breaks. Each record keeps the line it started on for error messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace regcat {

struct DelimitedRecord {
  size_t line = 0;
  std::vector<std::string> fields;
};

// The delimiter used by the first line: tab, ';' or ',' (whichever occurs most outside quotes).
char detectDelimiter(std::string_view text);

// Parses all records (a UTF-8 BOM is skipped; CRLF and LF both end records; blank lines are
// skipped). Throws regcat::Error naming source and line for an unterminated quoted field.
std::vector<DelimitedRecord> readDelimited(std::string_view text, char delimiter,
                                           const std::string& source);

}  // namespace regcat
