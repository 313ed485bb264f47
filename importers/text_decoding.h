// Turning the bytes of an uploaded file into UTF-8: a BOM decides, else valid UTF-8 is taken
// as it is, else ICU's charset detector chooses (Swedish Excel on Windows still writes
// Windows-1252), unless the user names the encoding.
#pragma once

#include <string>
#include <string_view>

namespace regcat {

struct DecodedText {
  std::string utf8;
  std::string encoding;  // what the bytes were read as
};

// Throws regcat::Error naming `source` when the bytes cannot be decoded.
DecodedText decodeText(std::string_view bytes, const std::string& encoding,
                       const std::string& source);

}  // namespace regcat
