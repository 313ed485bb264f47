#include "exporters/rdf_graph.h"

#include <cctype>
#include <cstdio>

#include "catalog/text.h"

namespace regcat::rdf {
namespace {

// Decodes one UTF-8 sequence at s[i] (the text is valid UTF-8: it went through NFC); returns the
// code point and advances i.
char32_t next(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  char32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
  for (int k = 1; k < len && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

bool xmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

void percent(std::string& out, unsigned char c) {
  static const char* hex = "0123456789ABCDEF";
  out += '%';
  out += hex[c >> 4];
  out += hex[c & 15];
}

}  // namespace

const std::vector<Prefix>& defaultPrefixes() {
  static const std::vector<Prefix> p = {
      {"rdf", ns::rdf},          {"rdfs", ns::rdfs},
      {"xsd", ns::xsd},          {"owl", ns::owl},
      {"dcat", ns::dcat},        {"dct", ns::dct},
      {"dcatap", ns::dcatap},    {"foaf", ns::foaf},
      {"vcard", ns::vcard},      {"skos", ns::skos},
      {"csvw", ns::csvw},        {"adms", ns::adms},
      {"eli", ns::eli},          {"healthdcatap", ns::healthdcatap},
      {"ldp", ns::ldp},          {"fdp-o", ns::fdpo},
      {"datacite", ns::datacite}};
  return p;
}

std::string cleanText(std::string_view s) {
  const std::string n = text::nfc(s);
  std::string out;
  out.reserve(n.size());
  for (size_t i = 0; i < n.size();) {
    const size_t start = i;
    const char32_t c = next(n, i);
    if (xmlChar(c)) out.append(n, start, i - start);
  }
  return out;
}

Term iri(std::string value) {
  Term t;
  t.kind = Term::Kind::Iri;
  t.value = std::move(value);
  return t;
}

Term blank(std::string label) {
  Term t;
  t.kind = Term::Kind::Blank;
  t.value = std::move(label);
  return t;
}

Term text(std::string_view value) {
  Term t;
  t.kind = Term::Kind::Literal;
  t.value = cleanText(value);
  return t;
}

Term langText(std::string_view value, std::string lang) {
  Term t = text(value);
  t.lang = text::fold(lang);
  return t;
}

Term typed(std::string_view lexical, std::string datatypeIri) {
  Term t = text(lexical);
  t.datatype = std::move(datatypeIri);
  return t;
}

Term date(const std::string& isoDate) {
  return typed(isoDate, std::string(ns::xsd) + "date");
}

Term dateTime(const std::string& isoDateTime) {
  return typed(isoDateTime, std::string(ns::xsd) + "dateTime");
}

Term decimal(double v) {
  // xsd:decimal has no exponent: fixed notation, trailing zeros trimmed ("89.5", "90").
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return typed(s, std::string(ns::xsd) + "decimal");
}

Term nonNegativeInteger(long long v) {
  return typed(std::to_string(v < 0 ? 0 : v), std::string(ns::xsd) + "nonNegativeInteger");
}

Term boolean(bool v) {
  return typed(v ? "true" : "false", std::string(ns::xsd) + "boolean");
}

void add(Graph& g, const Term& s, const std::string& p, const Term& o) {
  g.triples.push_back({s, p == "a" ? std::string(ns::rdf) + "type" : p, o});
}

void addText(Graph& g, const Term& s, const std::string& p, const std::string& sv,
             const std::string& en) {
  if (!sv.empty()) add(g, s, p, langText(sv, "sv"));
  if (!en.empty()) add(g, s, p, langText(en, "en"));
}

std::string safeIri(std::string_view address) {
  size_t b = 0, e = address.size();
  while (b < e && (address[b] == ' ' || address[b] == '\t' || address[b] == '\n')) ++b;
  while (e > b && (address[e - 1] == ' ' || address[e - 1] == '\t' || address[e - 1] == '\n')) --e;
  const std::string a = text::nfc(address.substr(b, e - b));
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  size_t colon = a.find(':');
  if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(a[0])))
    return {};
  for (size_t i = 1; i < colon; ++i) {
    const char c = a[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
  }
  if (colon + 1 >= a.size()) return {};
  std::string out;
  for (unsigned char c : a) {
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' ||
        c == '|' || c == '\\' || c == '^' || c == '`')
      percent(out, c);
    else
      out += static_cast<char>(c);
  }
  return out;
}

std::string mailtoIri(std::string_view address) {
  std::string a = text::nfc(address);
  while (!a.empty() && a.back() == ' ') a.pop_back();
  while (!a.empty() && a.front() == ' ') a.erase(a.begin());
  if (a.rfind("mailto:", 0) == 0) a = a.substr(7);
  const size_t at = a.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= a.size() ||
      a.find_first_of(" <>\"\t\n,;") != std::string::npos)
    return {};
  return safeIri("mailto:" + a);
}

std::string iriSegment(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x80 || std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      percent(out, c);
  }
  return out;
}

}  // namespace regcat::rdf
