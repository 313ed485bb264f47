#include "mapping/units.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace regcat::units {
namespace {

constexpr Dimension dim(int length, int mass, int time, int amount = 0, int temperature = 0,
                        int arbitrary = 0) {
  return {length, mass, time, amount, temperature, arbitrary};
}

constexpr Dimension kNone = dim(0, 0, 0);
constexpr Dimension kPressure = dim(-1, 1, -2);
constexpr Dimension kEnergy = dim(2, 1, -2);

struct Atom {
  const char* code;
  Dimension dimension;
  double factor;  // to the base units (m, g, s, mol, K)
  double offset;
  bool prefixable;
  const char* canonical;  // nullptr: the code itself
};

// UCUM atoms registers use. Time units are UCUM's: a year is the Julian 365.25 days and a
// month a twelfth of it, so "år" to "mån" is exactly 12.
const Atom kAtoms[] = {
    {"m", dim(1, 0, 0), 1, 0, true, nullptr},
    {"g", dim(0, 1, 0), 1, 0, true, nullptr},
    {"s", dim(0, 0, 1), 1, 0, true, nullptr},
    {"min", dim(0, 0, 1), 60, 0, false, nullptr},
    {"h", dim(0, 0, 1), 3600, 0, false, nullptr},
    {"d", dim(0, 0, 1), 86400, 0, false, nullptr},
    {"wk", dim(0, 0, 1), 604800, 0, false, nullptr},
    {"mo", dim(0, 0, 1), 2629800, 0, false, nullptr},
    {"a", dim(0, 0, 1), 31557600, 0, false, nullptr},
    {"mol", dim(0, 0, 0, 1), 1, 0, true, nullptr},
    {"eq", dim(0, 0, 0, 1), 1, 0, true, nullptr},
    {"L", dim(3, 0, 0), 1e-3, 0, true, nullptr},
    {"l", dim(3, 0, 0), 1e-3, 0, true, "L"},
    {"Pa", kPressure, 1e3, 0, true, nullptr},
    {"bar", kPressure, 1e8, 0, true, nullptr},
    {"m[Hg]", kPressure, 1.33322e8, 0, true, nullptr},
    {"m[H2O]", kPressure, 9.80665e6, 0, true, nullptr},
    {"K", dim(0, 0, 0, 0, 1), 1, 0, false, nullptr},
    {"Cel", dim(0, 0, 0, 0, 1), 1, 273.15, false, nullptr},
    {"[degF]", dim(0, 0, 0, 0, 1), 5.0 / 9.0, 459.67 * 5.0 / 9.0, false, nullptr},
    {"%", kNone, 1e-2, 0, false, nullptr},
    {"[ppth]", kNone, 1e-3, 0, false, nullptr},
    {"[ppm]", kNone, 1e-6, 0, false, nullptr},
    {"[iU]", dim(0, 0, 0, 0, 0, 1), 1, 0, true, nullptr},
    {"U", dim(0, 0, -1, 1), 1e-6 / 60, 0, true, nullptr},
    {"kat", dim(0, 0, -1, 1), 1, 0, true, nullptr},
    {"J", kEnergy, 1e3, 0, true, nullptr},
    {"cal", kEnergy, 4184, 0, true, nullptr},
};

struct Prefix {
  const char* code;
  double factor;
};
const Prefix kPrefixes[] = {{"da", 1e1}, {"h", 1e2},  {"k", 1e3},   {"M", 1e6},
                            {"G", 1e9},  {"d", 1e-1}, {"c", 1e-2},  {"m", 1e-3},
                            {"u", 1e-6}, {"n", 1e-9}, {"p", 1e-12}, {"f", 1e-15}};

// Informal and Swedish spellings, each replaced by a UCUM term. Case matters as in UCUM (mm is
// not Mm), so only spellings actually seen in variable lists are listed.
struct Alias {
  const char* written;
  const char* ucum;
};
const Alias kAliases[] = {
    {"år", "a"},        {"mån", "mo"},        {"månad", "mo"},        {"månader", "mo"},
    {"dygn", "d"},      {"dag", "d"},         {"dagar", "d"},         {"tim", "h"},
    {"timme", "h"},     {"timmar", "h"},      {"sek", "s"},           {"vecka", "wk"},
    {"veckor", "wk"},   {"mmHg", "mm[Hg]"},   {"mmhg", "mm[Hg]"},     {"mcg", "ug"},
    {"IU", "[iU]"},     {"IE", "[iU]"},       {"mIU", "m[iU]"},       {"mIE", "m[iU]"},
    {"cc", "mL"},       {"ppm", "[ppm]"},     {"promille", "[ppth]"}, {"procent", "%"},
    {"slag", "{slag}"}, {"poäng", "{poäng}"}, {"bpm", "{slag}/min"},  {"Celsius", "Cel"},
    {"mEq", "meq"},
};

struct Component {
  std::string code;  // canonical spelling of one atom, number or annotation
  int exponent = 1;
  Dimension dimension{};
  double factor = 1, offset = 0;
  bool body_surface = false;
};

double round12(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return std::strtod(buf, nullptr);
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// Per 1.73 m² body surface, written "{1.73_m2}" in UCUM and "1,73m2", "1.73 m2" or "1,73 m^2" by
// people; all become the annotation "{1.73_m2}".
void normaliseBodySurface(std::string& s) {
  for (size_t at = 0; at + 4 <= s.size(); ++at) {
    if (s.compare(at, 1, "1") != 0 || (s[at + 1] != ',' && s[at + 1] != '.') ||
        s.compare(at + 2, 2, "73") != 0)
      continue;
    if (at > 0 && isDigit(s[at - 1])) continue;
    size_t end = at + 4;
    if (end < s.size() && (s[end] == ' ' || s[end] == '_')) ++end;
    if (s.compare(end, 2, "m2") == 0)
      end += 2;
    else if (s.compare(end, 3, "m^2") == 0)
      end += 3;
    else
      continue;
    size_t begin = at;
    if (begin > 0 && s[begin - 1] == '{' && end < s.size() && s[end] == '}') {
      --begin;
      ++end;
    }
    s.replace(begin, end - begin, "{1.73_m2}");
    at = begin + 8;
  }
}

// Typographic variants to UCUM's ASCII, and spaces: around an operator they go, between two
// units they mean multiplication ("kg m-2").
std::string preprocess(std::string_view written) {
  std::string s(written);
  replaceAll(s, "\u00b2", "2");
  replaceAll(s, "\u00b3", "3");
  replaceAll(s, "\u00b5", "u");  // micro sign
  replaceAll(s, "\u03bc", "u");  // Greek mu
  replaceAll(s, "\u00b7", ".");
  replaceAll(s, "\u22c5", ".");
  replaceAll(s, "\u2212", "-");
  replaceAll(s, "\u00d7", "x");
  replaceAll(s, "\u2103", "Cel");
  replaceAll(s, "\u00b0C", "Cel");
  replaceAll(s, "\u00b0F", "[degF]");
  replaceAll(s, "\u2030", "[ppth]");
  replaceAll(s, "cmH2O", "cm[H2O]");
  replaceAll(s, "mmH2O", "mm[H2O]");
  normaliseBodySurface(s);

  std::string out;
  int braces = 0;
  auto isOperator = [](char c) { return std::strchr("/.()*^", c) != nullptr; };
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '{') ++braces;
    if (c == '}' && braces > 0) --braces;
    if (c != ' ' || braces > 0) {
      out += c;
      continue;
    }
    size_t next = i;
    while (next < s.size() && s[next] == ' ') ++next;
    const bool around =
        out.empty() || next == s.size() || isOperator(out.back()) || isOperator(s[next]);
    if (!around) out += '.';
    i = next - 1;
  }
  return out;
}

std::vector<Component> parseTerm(std::string_view s, int depth);

class Parser {
 public:
  Parser(std::string_view s, int depth) : s_(s), depth_(depth) {}

  bool term(std::vector<Component>& out, bool inGroup) {
    int sign = 1;
    if (peek() == '/') {
      ++i_;
      sign = -1;
    }
    if (!component(out, sign)) return false;
    while (peek() == '.' || peek() == '/') {
      sign = s_[i_++] == '/' ? -1 : 1;
      if (!component(out, sign)) return false;
    }
    return inGroup ? peek() == ')' : i_ == s_.size();
  }

 private:
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }

  bool exponent(int& e) {
    e = 1;
    size_t j = i_;
    if (j < s_.size() && s_[j] == '^') ++j;
    int sign = 1;
    if (j < s_.size() && (s_[j] == '-' || s_[j] == '+')) sign = s_[j++] == '-' ? -1 : 1;
    const size_t digits = j;
    while (j < s_.size() && isDigit(s_[j])) ++j;
    if (j == digits) return j == i_;  // no exponent at all is fine; a lone sign or ^ is not
    e = sign * std::atoi(std::string(s_.substr(digits, j - digits)).c_str());
    i_ = j;
    return e != 0;
  }

  static void add(std::vector<Component>& out, std::vector<Component> parts, int times) {
    for (auto& p : parts) {
      p.exponent *= times;
      out.push_back(std::move(p));
    }
  }

  bool component(std::vector<Component>& out, int sign) {
    const char c = peek();
    if (c == '(') {
      ++i_;
      std::vector<Component> group;
      if (!term(group, true)) return false;
      ++i_;  // ')'
      int e = 1;
      if (!exponent(e)) return false;
      add(out, std::move(group), sign * e);
      return true;
    }
    if (c == '{') return annotation(out, sign);
    if (isDigit(c) || (c == 'x' && i_ + 1 < s_.size() && isDigit(s_[i_ + 1]))) {
      if (c == 'x') ++i_;
      return number(out, sign);
    }
    size_t j = i_;
    while (j < s_.size() && !std::strchr("./(){}^+-", s_[j]) && !isDigit(s_[j])) {
      if (s_[j] == '[') {
        const size_t close = s_.find(']', j);
        if (close == std::string_view::npos) return false;
        j = close + 1;
      } else {
        ++j;
      }
    }
    if (j == i_) return false;
    const std::string atom(s_.substr(i_, j - i_));
    i_ = j;
    int e = 1;
    if (!exponent(e)) return false;
    std::vector<Component> parts;
    if (!resolve(atom, parts)) return false;
    add(out, std::move(parts), sign * e);
    if (peek() == '{') return annotation(out, sign);  // "mL{total}": a comment on the atom
    return true;
  }

  bool annotation(std::vector<Component>& out, int sign) {
    const size_t close = s_.find('}', i_);
    if (close == std::string_view::npos) return false;
    const std::string text(s_.substr(i_ + 1, close - i_ - 1));
    i_ = close + 1;
    Component a;
    a.code = "{" + text + "}";
    a.exponent = sign;
    if (text == "1.73_m2") {
      a.dimension = dim(2, 0, 0);
      a.factor = 1.73;
      a.body_surface = true;
    }
    out.push_back(std::move(a));
    return true;
  }

  // 1000, 10*9, 10^9, 10*-3 (UCUM writes powers of ten with *).
  bool number(std::vector<Component>& out, int sign) {
    size_t j = i_;
    while (j < s_.size() && isDigit(s_[j])) ++j;
    const std::string base(s_.substr(i_, j - i_));
    Component n;
    n.factor = std::atof(base.c_str());
    n.code = base;
    if (j < s_.size() && (s_[j] == '*' || s_[j] == '^')) {
      size_t k = j + 1;
      int esign = 1;
      if (k < s_.size() && (s_[k] == '-' || s_[k] == '+')) esign = s_[k++] == '-' ? -1 : 1;
      const size_t digits = k;
      while (k < s_.size() && isDigit(s_[k])) ++k;
      if (k == digits) return false;
      const int power = esign * std::atoi(std::string(s_.substr(digits, k - digits)).c_str());
      n.factor = std::pow(n.factor, power);
      n.code = base + "*" + std::to_string(power);
      j = k;
    }
    i_ = j;
    if (n.factor == 0) return false;
    n.exponent = sign;
    out.push_back(std::move(n));
    return true;
  }

  bool resolve(const std::string& atom, std::vector<Component>& out) const {
    for (const auto& a : kAliases) {
      if (atom != a.written) continue;
      if (depth_ >= 2) return false;
      auto parts = parseTerm(a.ucum, depth_ + 1);
      if (parts.empty()) return false;
      for (auto& p : parts) out.push_back(std::move(p));
      return true;
    }
    auto leaf = [&](const Atom& a, const Prefix* p) {
      Component c;
      c.code = std::string(p ? p->code : "") + (a.canonical ? a.canonical : a.code);
      c.dimension = a.dimension;
      c.factor = a.factor * (p ? p->factor : 1);
      c.offset = a.offset;
      out.push_back(std::move(c));
      return true;
    };
    for (const auto& a : kAtoms)
      if (atom == a.code) return leaf(a, nullptr);
    for (const auto& p : kPrefixes) {
      const size_t n = std::strlen(p.code);
      if (atom.size() <= n || atom.compare(0, n, p.code) != 0) continue;
      for (const auto& a : kAtoms)
        if (a.prefixable && atom.compare(n, std::string::npos, a.code) == 0) return leaf(a, &p);
    }
    return false;
  }

  std::string_view s_;
  size_t i_ = 0;
  int depth_;
};

std::vector<Component> parseTerm(std::string_view s, int depth) {
  std::vector<Component> parts;
  Parser p(s, depth);
  if (s.empty() || !p.term(parts, false)) return {};
  return parts;
}

std::string canonicalSpelling(const std::vector<Component>& parts) {
  std::string numerator, denominator;
  for (const auto& p : parts) {
    if (p.code == "1" || p.exponent == 0) continue;
    const int e = std::abs(p.exponent);
    const std::string one = p.code + (e == 1 ? "" : std::to_string(e));
    if (p.exponent > 0)
      numerator += (numerator.empty() ? "" : ".") + one;
    else
      denominator += "/" + one;
  }
  if (numerator.empty() && denominator.empty()) return "1";
  return numerator + denominator;
}

bool dimensionless(const Dimension& d) {
  return d == kNone;
}

}  // namespace

std::optional<Unit> parse(std::string_view written) {
  const std::string s = preprocess(written);
  if (s.empty()) return std::nullopt;
  const auto parts = parseTerm(s, 0);
  if (parts.empty()) return std::nullopt;
  Unit u;
  u.written = std::string(written);
  u.canonical = canonicalSpelling(parts);
  Dimension numerator{};
  for (const auto& p : parts) {
    for (int b = 0; b < kBaseCount; ++b) {
      u.dimension[size_t(b)] += p.exponent * p.dimension[size_t(b)];
      if (p.exponent > 0) numerator[size_t(b)] += p.exponent * p.dimension[size_t(b)];
    }
    u.factor *= std::pow(p.factor, p.exponent);
    u.body_surface = u.body_surface || p.body_surface;
  }
  if (dimensionless(u.dimension)) u.ratio_of = numerator;
  // An offset (°C, °F) only means something for a lone temperature; in °C/min it is a
  // difference and the offset falls away, as in UCUM.
  if (parts.size() == 1 && parts[0].exponent == 1) u.offset = parts[0].offset;
  return u;
}

const char* relationName(Relation r) {
  switch (r) {
    case Relation::Same:
      return "same";
    case Relation::Convertible:
      return "convertible";
    case Relation::DifferentDimension:
      return "different-dimension";
    case Relation::Unknown:
      break;
  }
  return "unknown";
}

Conversion convert(std::string_view a, std::string_view b) {
  const auto ua = parse(a), ub = parse(b);
  Conversion c;
  c.from = ua ? ua->canonical : std::string(a);
  c.to = ub ? ub->canonical : std::string(b);
  if (!ua || !ub) {
    c.note = !ua && !ub ? "unknown-both" : !ua ? "unknown-a" : "unknown-b";
    return c;
  }
  if (ua->canonical == ub->canonical) {
    c.relation = Relation::Same;
    return c;
  }
  if (ua->dimension != ub->dimension || ua->ratio_of != ub->ratio_of ||
      ua->body_surface != ub->body_surface) {
    c.relation = Relation::DifferentDimension;
    Dimension swapped = ua->dimension;
    std::swap(swapped[kAmount], swapped[kMass]);
    if (ua->body_surface != ub->body_surface)
      c.note = "body-surface-normalised";
    else if (ua->dimension[kArbitrary] != 0 || ub->dimension[kArbitrary] != 0)
      c.note = "arbitrary-units";
    else if (swapped == ub->dimension && swapped != ua->dimension)
      c.note = "molar-mass-needed";
    else if (dimensionless(ua->dimension) && dimensionless(ub->dimension))
      c.note = "different-ratios";
    return c;
  }
  c.factor = round12(ua->factor / ub->factor);
  c.offset = round12((ua->offset - ub->offset) / ub->factor);
  if (std::fabs(c.offset) < 1e-9) c.offset = 0;
  c.relation =
      std::fabs(c.factor - 1) < 1e-12 && c.offset == 0 ? Relation::Same : Relation::Convertible;
  return c;
}

}  // namespace regcat::units
