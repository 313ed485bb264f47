#include "catalog/text.h"

#include <unicode/coll.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucol.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

#include "catalog/errors.h"

namespace regcat::text {
namespace {

const icu::Normalizer2& nfcNormalizer() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC normaliser unavailable");
  return *n;
}

const icu::Normalizer2& nfdNormalizer() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFD normaliser unavailable");
  return *n;
}

bool isAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

std::string toUtf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

// A collator per thread: ICU collators must not be shared for concurrent use without cloning.
UCollator* svCollator() {
  struct Holder {
    UCollator* c = nullptr;
    Holder() {
      UErrorCode status = U_ZERO_ERROR;
      c = ucol_open("sv_SE", &status);
      if (U_FAILURE(status)) c = nullptr;
    }
    ~Holder() {
      if (c) ucol_close(c);
    }
  };
  thread_local Holder holder;
  return holder.c;
}

}  // namespace

bool isValidUtf8(std::string_view s) {
  int32_t i = 0;
  const auto len = static_cast<int32_t>(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  while (i < len) {
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) return false;
  }
  return true;
}

std::string nfc(std::string_view s, const std::string& where) {
  if (isAscii(s)) return std::string(s);
  if (!isValidUtf8(s)) throw invalid(where, "text is not valid UTF-8");
  UErrorCode status = U_ZERO_ERROR;
  const auto& n = nfcNormalizer();
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), int32_t(s.size())));
  if (n.isNormalized(u, status) && U_SUCCESS(status)) return std::string(s);
  status = U_ZERO_ERROR;
  icu::UnicodeString out = n.normalize(u, status);
  if (U_FAILURE(status)) throw invalid(where, "text could not be normalised to NFC");
  return toUtf8(out);
}

std::string fold(std::string_view s) {
  if (isAscii(s)) {
    std::string out(s);
    for (auto& c : out)
      if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
  }
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), int32_t(s.size())));
  u.foldCase();
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = nfcNormalizer().normalize(u, status);
  return toUtf8(U_SUCCESS(status) ? out : u);
}

std::string foldDiacritics(std::string_view s) {
  if (isAscii(s)) return fold(s);
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), int32_t(s.size())));
  u.foldCase();
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString d = nfdNormalizer().normalize(u, status);
  if (U_FAILURE(status)) return toUtf8(u);
  icu::UnicodeString stripped;
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    // Letters without a decomposition that Swedish users still type without diacritics.
    if (c == 0x00F8)
      c = 'o';  // ø
    else if (c == 0x00E6)
      c = 'a';  // æ (ae would break prefix matching of "ä"-words)
    stripped.append(c);
  }
  status = U_ZERO_ERROR;
  icu::UnicodeString out = nfcNormalizer().normalize(stripped, status);
  return toUtf8(U_SUCCESS(status) ? out : stripped);
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  const std::string folded = fold(s);
  int32_t i = 0, start = -1;
  const auto len = static_cast<int32_t>(folded.size());
  const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
  while (i < len) {
    const int32_t here = i;
    UChar32 c;
    U8_NEXT(p, i, len, c);
    const bool inWord = c >= 0 && (u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK);
    if (inWord && start < 0) start = here;
    if (!inWord && start >= 0) {
      out.emplace_back(folded.substr(size_t(start), size_t(here - start)));
      start = -1;
    }
  }
  if (start >= 0) out.emplace_back(folded.substr(size_t(start)));
  return out;
}

int collate(std::string_view a, std::string_view b) {
  UCollator* c = svCollator();
  if (!c) return a.compare(b);
  UErrorCode status = U_ZERO_ERROR;
  const UCollationResult r =
      ucol_strcollUTF8(c, a.data(), int32_t(a.size()), b.data(), int32_t(b.size()), &status);
  if (U_FAILURE(status)) return a.compare(b);
  return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

std::string today() {
  return now().substr(0, 10);
}

std::string now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string addDays(const std::string& isoDate, int days) {
  using namespace std::chrono;
  const int y = std::stoi(isoDate.substr(0, 4));
  const unsigned m = unsigned(std::stoi(isoDate.substr(5, 2)));
  const unsigned d = unsigned(std::stoi(isoDate.substr(8, 2)));
  const sys_days sd = sys_days(year_month_day(year(y), month(m), day(d))) + std::chrono::days(days);
  const year_month_day r(sd);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(r.year()), unsigned(r.month()),
                unsigned(r.day()));
  return buf;
}

}  // namespace regcat::text
