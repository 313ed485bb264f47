#include "importers/text_decoding.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include <memory>
#include <optional>

#include "catalog/errors.h"
#include "catalog/text.h"

namespace regcat {
namespace {

std::string convert(std::string_view bytes, const std::string& from, const std::string& source) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(from.c_str(), &status);
  if (U_FAILURE(status)) throw invalid(source, "unknown encoding '" + from + "'");
  std::unique_ptr<UConverter, decltype(&ucnv_close)> guard(conv, ucnv_close);
  // Stop at the first byte that is not valid in the encoding instead of inventing U+FFFD.
  ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  std::u16string u(bytes.size() * 2 + 16, u'\0');
  status = U_ZERO_ERROR;
  const int32_t n = ucnv_toUChars(conv, u.data(), int32_t(u.size()), bytes.data(),
                                  int32_t(bytes.size()), &status);
  if (U_FAILURE(status)) throw invalid(source, "the file is not valid " + from + " text");
  u.resize(size_t(n));
  std::string out;
  out.reserve(u.size() * 3 / 2);
  UErrorCode s2 = U_ZERO_ERROR;
  int32_t len = 0;
  u_strToUTF8(nullptr, 0, &len, reinterpret_cast<const UChar*>(u.data()), int32_t(u.size()), &s2);
  out.resize(size_t(len));
  s2 = U_ZERO_ERROR;
  u_strToUTF8(out.data(), len, nullptr, reinterpret_cast<const UChar*>(u.data()), int32_t(u.size()),
              &s2);
  if (U_FAILURE(s2)) throw invalid(source, "the text could not be converted to UTF-8");
  return out;
}

struct Place {
  size_t line, column;
};

// Where a mostly-UTF-8 text breaks, if it contains valid multi-byte sequences and an invalid one.
std::optional<Place> brokenUtf8(std::string_view s) {
  size_t valid = 0, line = 1, lineStart = 0;
  std::optional<Place> first;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      ++line;
      lineStart = i + 1;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok) {
      ++valid;
      i += len;
    } else {
      if (!first) first = Place{line, i - lineStart + 1};
      ++i;
    }
  }
  if (valid > 0 && first) return first;
  return std::nullopt;
}

}  // namespace

DecodedText decodeText(std::string_view bytes, const std::string& encoding,
                       const std::string& source) {
  if (!encoding.empty()) {
    std::string_view b = bytes;
    if (b.substr(0, 3) == "\xEF\xBB\xBF") b.remove_prefix(3);
    return {convert(b, encoding, source), encoding};
  }
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    std::string_view b = bytes.substr(3);
    if (!text::isValidUtf8(b))
      throw invalid(source, "the file starts with a UTF-8 BOM but is not UTF-8");
    return {std::string(b), "UTF-8"};
  }
  if (bytes.substr(0, 2) == "\xFF\xFE")
    return {convert(bytes.substr(2), "UTF-16LE", source), "UTF-16LE"};
  if (bytes.substr(0, 2) == "\xFE\xFF")
    return {convert(bytes.substr(2), "UTF-16BE", source), "UTF-16BE"};
  if (text::isValidUtf8(bytes)) return {std::string(bytes), "UTF-8"};
  // UTF-8 with broken sequences is an error, not a Windows-1252 file: reading it as one would
  // turn every "ö" into "Ã¶" without a word. A legacy 8-bit file has no valid multi-byte
  // sequences at all.
  if (const auto bad = brokenUtf8(bytes))
    throw invalid(source + ":" + std::to_string(bad->line), "the file is UTF-8 but byte " +
                                                                std::to_string(bad->column) +
                                                                " of this line is not valid UTF-8");
  // Not UTF-8: ask ICU, but only among the encodings Swedish files come in; a legacy 8-bit
  // file is Windows-1252 (a superset of ISO-8859-1 for text) unless it looks like UTF-16.
  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector* det = ucsdet_open(&status);
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> guard(det, ucsdet_close);
  std::string chosen = "windows-1252";
  if (U_SUCCESS(status)) {
    const int32_t sample = int32_t(std::min<size_t>(bytes.size(), 1 << 16));
    ucsdet_setText(det, bytes.data(), sample, &status);
    const UCharsetMatch* m = ucsdet_detect(det, &status);
    if (U_SUCCESS(status) && m) {
      const std::string name = ucsdet_getName(m, &status);
      if (name.rfind("UTF-16", 0) == 0) chosen = name;
    }
  }
  return {convert(bytes, chosen, source), chosen};
}

}  // namespace regcat
