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

// Latin-1 letters (U+00C0-U+00FF, two bytes C3 80-BF in UTF-8) cover Swedish and most of what
// register texts contain; folding them by table avoids ICU on the hot paths of search and
// indexing. Anything else goes through ICU.
bool isAsciiOrLatin1(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) continue;
    if (c != 0xC3 || i + 1 >= s.size()) return false;
    const auto d = static_cast<unsigned char>(s[++i]);
    if (d < 0x80 || d > 0xBF || d == 0x9F) return false;  // ß folds to "ss": leave it to ICU
  }
  return true;
}

// Lower-case of a Latin-1 letter's second byte (À-Þ -> à-þ; × and ÷ stay).
unsigned char lowerLatin1(unsigned char d) {
  return (d >= 0x80 && d <= 0x9E && d != 0x97) ? d + 0x20 : d;
}

// The base letter of a lower-case Latin-1 letter, 0 when it has none (× ÷ ð þ).
char baseLatin1(unsigned char d) {
  static const char table[] =
      "aaaaaaaceeeeiiii"
      "dnooooo\0ouuuuy\0y";  // 0xA0-0xBF
  if (d < 0xA0) return 0;
  const char b = table[d - 0xA0];
  return (d == 0xB0 || d == 0xB7 || d == 0xBE) ? 0 : b;
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
  if (isAsciiOrLatin1(s)) {
    std::string out(s);
    for (size_t i = 0; i < out.size(); ++i) {
      auto& c = out[i];
      if (c >= 'A' && c <= 'Z')
        c = char(c - 'A' + 'a');
      else if (static_cast<unsigned char>(c) == 0xC3) {
        out[i + 1] = char(lowerLatin1(static_cast<unsigned char>(out[i + 1])));
        ++i;
      }
    }
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
  if (isAsciiOrLatin1(s)) {
    std::string out;
    out.reserve(s.size());
    bool simple = true;
    for (size_t i = 0; i < s.size() && simple; ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : char(c);
        continue;
      }
      const char b = baseLatin1(lowerLatin1(static_cast<unsigned char>(s[++i])));
      if (!b)
        simple = false;  // ð, þ, ×, ÷: ICU decides
      else
        out += b;
    }
    if (simple) return out;
  }
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
