#include "catalog/search.h"

#include <unicode/utf8.h>

#include <set>

#include "catalog/text.h"

namespace regcat {
namespace {

// Suffixes of a word, shortest kept three code points long: they let a prefix query on the
// infix column find a word inside a Swedish compound ("infarkt" in "hjärtinfarkt").
void addSuffixes(const std::string& word, std::set<std::string>& out) {
  std::vector<int32_t> starts;
  int32_t i = 0;
  const auto len = static_cast<int32_t>(word.size());
  const auto* p = reinterpret_cast<const uint8_t*>(word.data());
  while (i < len) {
    starts.push_back(i);
    UChar32 c;
    U8_NEXT(p, i, len, c);
  }
  for (size_t k = 1; k + 3 <= starts.size(); ++k) out.insert(word.substr(size_t(starts[k])));
}

void append(std::string& s, const std::string& w) {
  if (!s.empty()) s += ' ';
  s += w;
}

std::string quote(const std::string& w) {
  std::string out = "\"";
  for (char c : w) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

IndexedText indexText(const std::vector<std::string>& fields) {
  IndexedText out;
  std::set<std::string> infix;
  for (const auto& field : fields) {
    for (const auto& w : text::words(field)) {
      append(out.exact, w);
      const std::string f = text::foldDiacritics(w);
      append(out.folded, f);
      addSuffixes(f, infix);
    }
  }
  for (const auto& s : infix) append(out.infix, s);
  return out;
}

std::string ftsQuery(const std::string& q) {
  std::string expr;
  int n = 0;
  for (const auto& w : text::words(q)) {
    if (++n > 12) break;  // a bound on query cost; more words add little
    const std::string e = quote(w), f = quote(text::foldDiacritics(w));
    std::string term = "({main_exact text_exact} : " + e + " OR {main_exact text_exact} : " + e +
                       "* OR {main_folded text_folded} : " + f + "*";
    // Infix matching only for words long enough to be meaningful inside a compound.
    if (text::foldDiacritics(w).size() >= 3) term += " OR {main_infix text_infix} : " + f + "*";
    term += ")";
    if (!expr.empty()) expr += " AND ";
    expr += term;
  }
  return expr;
}

}  // namespace regcat
