#include "mapping/suggester.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "catalog/store.h"
#include "catalog/text.h"

namespace regcat {
namespace {

// ---------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------

// Function words carry no concept. Negations (ej, inte, utan, ingen, icke, aldrig) are not
// here: "aldrig rökare" and "rökare" are different concepts.
const std::unordered_set<std::string>& stopWords() {
  static const std::unordered_set<std::string> s = {
      // Swedish
      "och", "i", "av", "för", "med", "vid", "på", "om", "till", "efter", "inom", "från", "under",
      "över", "mot", "som", "eller", "samt", "en", "ett", "den", "det", "de", "dess", "denna",
      "detta", "dessa", "är", "var", "varit", "vara", "har", "hade", "haft", "blir", "blev", "att",
      "hos", "mellan", "sedan", "än", "så", "kan", "ska", "skall", "vilken", "vilket", "vilka",
      "hur", "när", "där", "vad", "sin", "sitt", "sina", "också", "per", "enligt", "före", "via",
      "samma", "du", "ni", "hon", "han", "sig", "finns", "fanns", "t", "ex", "bl", "a", "dvs",
      "resp", "etc", "ca", "men", "dock", "även", "bara", "enbart", "endast", "sådan", "sådana",
      // English (FSNs and English synonyms are indexed too)
      "of", "the", "an", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "as",
      "is", "due"};
  return s;
}

// Register boilerplate: words that say when, where or in what form something was recorded, not
// what it is ("Systoliskt blodtryck vid ankomst", "PCI utförd", "Datum för operation"). They
// still match, but weigh a quarter of a word in the query's coverage.
const std::unordered_set<std::string>& frameWords() {
  static const std::unordered_set<std::string> s = {"datum",        "tidpunkt",
                                                    "klockslag",    "tid",
                                                    "antal",        "typ",
                                                    "ankomst",      "ankomsten",
                                                    "inskrivning",  "inskrivningen",
                                                    "utskrivning",  "utskrivningen",
                                                    "uppföljning",  "uppföljningen",
                                                    "besök",        "besöket",
                                                    "registrering", "registreringen",
                                                    "baslinje",     "baseline",
                                                    "inklusion",    "inklusionen",
                                                    "preoperativ",  "preoperativt",
                                                    "postoperativ", "postoperativt",
                                                    "ange",         "angiven",
                                                    "angivet",      "uppgift",
                                                    "uppgifter",    "värde",
                                                    "värdet",       "resultat",
                                                    "status",       "senaste",
                                                    "aktuell",      "aktuellt",
                                                    "aktuella",     "högsta",
                                                    "lägsta",       "första",
                                                    "sista",        "patienten",
                                                    "patientens",   "pat",
                                                    "månad",        "månader",
                                                    "månaders",     "år",
                                                    "året",         "års",
                                                    "dag",          "dagar",
                                                    "dygn",         "vecka",
                                                    "veckor",       "timme",
                                                    "timmar",       "given",
                                                    "givet",        "givna",
                                                    "utförd",       "utfört",
                                                    "utförda",      "erbjuden",
                                                    "erbjudet",     "erbjudits",
                                                    "genomförd",    "genomfört",
                                                    "genomgått",    "registrerad",
                                                    "registrerat",  "dokumenterad",
                                                    "dokumenterat", "känd",
                                                    "känt",         "kända",
                                                    "förekomst",    "fått",
                                                    "fick",         "nuvarande"};
  return s;
}

// Frames whose presence in a label makes the variable a point in time.
bool isTemporalFrame(const std::string& w) {
  return w == "datum" || w == "tidpunkt" || w == "klockslag";
}

bool isYesNoWord(const std::string& w) {
  return w == "ja" || w == "nej" || w == "yes" || w == "no";
}

bool isDigits(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Words of a text as text::words gives them, with Swedish fixed expressions made one word:
// "före detta" and "f.d." (former) would otherwise be two stop words, and "före detta rökare"
// the same as "rökare". Terms and queries go through the same function.
std::vector<std::string> tokens(std::string_view s) {
  auto w = text::words(s);
  std::vector<std::string> out;
  out.reserve(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    if (i + 1 < w.size() &&
        ((w[i] == "före" && w[i + 1] == "detta") || (w[i] == "f" && w[i + 1] == "d"))) {
      out.push_back("föredetta");
      ++i;
      continue;
    }
    out.push_back(std::move(w[i]));
  }
  return out;
}

// Category nouns of register labels: "Behandling med insulin", "Lipidsänkande läkemedel". Next
// to a word that says which treatment or drug, they say little, though alone they are the
// concept ("Behandling").
bool isGenericHead(const std::string& w) {
  static const std::unordered_set<std::string> s = {
      "behandling",   "behandlingen", "läkemedel", "läkemedlet", "läkemedlen",
      "medicinering", "medicin",      "mediciner", "terapi",     "preparat",
      "treatment",    "therapy",      "drug",      "medication"};
  return s.count(w) > 0;
}

// Single letters are specimen prefixes (P-, S-, B-, U-) or list markers, never a concept.
bool isStop(const std::string& folded) {
  if (stopWords().count(folded)) return true;
  return folded.size() == 1 && !isDigits(folded);
}

std::u32string toU32(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = c;
    size_t n = 1;
    if (c >= 0xF0) {
      cp = char32_t(c & 0x07);
      n = 4;
    } else if (c >= 0xE0) {
      cp = char32_t(c & 0x0F);
      n = 3;
    } else if (c >= 0xC0) {
      cp = char32_t(c & 0x1F);
      n = 2;
    }
    if (i + n > s.size()) n = s.size() - i;
    for (size_t k = 1; k < n; ++k)
      cp = (cp << 6) | char32_t(static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string toUtf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out += char(c);
    } else if (c < 0x800) {
      out += char(0xC0 | (c >> 6));
      out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += char(0xE0 | (c >> 12));
      out += char(0x80 | ((c >> 6) & 0x3F));
      out += char(0x80 | (c & 0x3F));
    } else {
      out += char(0xF0 | (c >> 18));
      out += char(0x80 | ((c >> 12) & 0x3F));
      out += char(0x80 | ((c >> 6) & 0x3F));
      out += char(0x80 | (c & 0x3F));
    }
  }
  return out;
}

bool endsWith(const std::u32string& s, const std::u32string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The Snowball stemmer for Swedish (snowballstem.org/algorithms/swedish), on a case-folded
// word: inflected forms meet (höftleden/höftled, diabetiskt/diabetisk, dagligen/daglig).
std::string swedishStem(const std::string& folded) {
  std::u32string w = toU32(folded);
  auto vowel = [](char32_t c) {
    return c == U'a' || c == U'e' || c == U'i' || c == U'o' || c == U'u' || c == U'y' ||
           c == U'ä' || c == U'å' || c == U'ö';
  };
  size_t r1 = w.size();
  for (size_t i = 1; i < w.size(); ++i)
    if (!vowel(w[i]) && vowel(w[i - 1])) {
      r1 = i + 1;
      break;
    }
  r1 = std::max<size_t>(r1, 3);
  if (r1 >= w.size()) return folded;
  auto inR1 = [&](size_t len) { return w.size() >= len && w.size() - len >= r1; };

  static const std::vector<std::u32string> step1 = [] {
    std::vector<std::u32string> v = {
        U"heterna", U"hetens", U"anden", U"heten", U"heter", U"arnas", U"ernas", U"ornas", U"andes",
        U"arens",   U"andet",  U"arna",  U"erna",  U"orna",  U"ande",  U"arne",  U"aste",  U"aren",
        U"ades",    U"erns",   U"ade",   U"are",   U"ern",   U"ens",   U"het",   U"ast",   U"ad",
        U"en",      U"ar",     U"er",    U"or",    U"as",    U"es",    U"at",    U"a",     U"e"};
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return v;
  }();
  bool done = false;
  for (const auto& s : step1)
    if (endsWith(w, s)) {
      if (inR1(s.size())) w.erase(w.size() - s.size());
      done = true;
      break;
    }
  if (!done && !w.empty() && w.back() == U's' && inR1(1) && w.size() >= 2) {
    static const std::u32string valid = U"bcdfghjklmnoprtvy";
    if (valid.find(w[w.size() - 2]) != std::u32string::npos) w.pop_back();
  }
  for (const auto* s : {U"dd", U"gd", U"nn", U"dt", U"gt", U"kt", U"tt"})
    if (endsWith(w, s) && inR1(2)) {
      w.pop_back();
      break;
    }
  if (endsWith(w, U"fullt") && inR1(5)) {
    w.pop_back();
  } else if (endsWith(w, U"löst") && inR1(4)) {
    w.pop_back();
  } else {
    for (const auto* s : {U"lig", U"els", U"ig"}) {
      const std::u32string suf(s);
      if (endsWith(w, suf)) {
        if (inR1(suf.size())) w.erase(w.size() - suf.size());
        break;
      }
    }
  }
  return toUtf8(w);
}

// Distinct character trigrams of a (diacritic-folded) word, without padding, so that a word
// inside a compound shares all of its trigrams with it.
void trigramsOf(const std::string& s, std::vector<uint32_t>& out) {
  out.clear();
  for (size_t i = 0; i + 3 <= s.size(); ++i)
    out.push_back(uint32_t(static_cast<unsigned char>(s[i])) |
                  uint32_t(static_cast<unsigned char>(s[i + 1])) << 8 |
                  uint32_t(static_cast<unsigned char>(s[i + 2])) << 16);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

// Character trigrams of a word padded with a space on either side (with repeats), as a
// character n-gram ranking uses them: the ends of a word count.
void paddedTrigrams(const std::string& w, std::vector<uint32_t>& out) {
  const std::string p = " " + w + " ";
  for (size_t i = 0; i + 3 <= p.size(); ++i)
    out.push_back(uint32_t(static_cast<unsigned char>(p[i])) |
                  uint32_t(static_cast<unsigned char>(p[i + 1])) << 8 |
                  uint32_t(static_cast<unsigned char>(p[i + 2])) << 16);
}

// Main text and parenthesised asides of a label: "Djup ventrombos (DVT)", "Vikt (kg)".
void splitAsides(const std::string& s, std::string& main, std::string& asides) {
  int depth = 0;
  for (char c : s) {
    if (c == '(' || c == '[') {
      ++depth;
      asides += ' ';
      continue;
    }
    if ((c == ')' || c == ']') && depth > 0) {
      --depth;
      main += ' ';
      continue;
    }
    (depth > 0 ? asides : main) += c;
  }
}

// ---------------------------------------------------------------------------------------------
// Semantic tags and the shape of a variable
// ---------------------------------------------------------------------------------------------

enum class Group : uint8_t {
  Observable,
  Scale,
  Disorder,
  Finding,
  Situation,
  Event,
  Procedure,
  Substance,
  Product,
  Qualifier,
  Body,
  Morphology,
  Object,
  Place,
  Social,
  Other,
  Metadata,  // model components, refsets, attributes: never a variable's meaning
};

Group groupOf(const std::string& tag) {
  static const std::unordered_map<std::string, Group> m = {
      {"observable entity", Group::Observable},
      {"assessment scale", Group::Scale},
      {"staging scale", Group::Scale},
      {"tumor staging", Group::Scale},
      {"disorder", Group::Disorder},
      {"finding", Group::Finding},
      {"life style", Group::Finding},
      {"situation", Group::Situation},
      {"event", Group::Event},
      {"procedure", Group::Procedure},
      {"regime/therapy", Group::Procedure},
      {"substance", Group::Substance},
      {"product", Group::Product},
      {"medicinal product", Group::Product},
      {"medicinal product form", Group::Product},
      {"clinical drug", Group::Product},
      {"real clinical drug", Group::Product},
      {"qualifier value", Group::Qualifier},
      {"body structure", Group::Body},
      {"cell structure", Group::Body},
      {"cell", Group::Body},
      {"morphologic abnormality", Group::Morphology},
      {"physical object", Group::Object},
      {"environment", Group::Place},
      {"environment / location", Group::Place},
      {"geographic location", Group::Place},
      {"person", Group::Social},
      {"social concept", Group::Social},
      {"ethnic group", Group::Social},
      {"racial group", Group::Social},
      {"occupation", Group::Social},
      {"religion/philosophy", Group::Social},
      {"metadata", Group::Metadata},
      {"core metadata concept", Group::Metadata},
      {"foundation metadata concept", Group::Metadata},
      {"attribute", Group::Metadata},
      {"linkage concept", Group::Metadata},
      {"link assertion", Group::Metadata},
      {"namespace concept", Group::Metadata},
      {"OWL metadata concept", Group::Metadata},
      {"SNOMED RT+CTV3", Group::Metadata},
  };
  auto it = m.find(tag);
  return it == m.end() ? Group::Other : it->second;
}

const char* groupName(Group g) {
  switch (g) {
    case Group::Observable:
      return "an observable entity";
    case Group::Scale:
      return "an assessment scale";
    case Group::Disorder:
      return "a disorder";
    case Group::Finding:
      return "a finding";
    case Group::Situation:
      return "a situation";
    case Group::Event:
      return "an event";
    case Group::Procedure:
      return "a procedure";
    case Group::Substance:
      return "a substance";
    case Group::Product:
      return "a product";
    case Group::Qualifier:
      return "a qualifier value";
    case Group::Body:
      return "a body structure";
    case Group::Morphology:
      return "a morphologic abnormality";
    case Group::Object:
      return "a physical object";
    case Group::Place:
      return "a place";
    case Group::Social:
      return "a social concept";
    default:
      return "this kind of concept";
  }
}

// What the variable's datatype, unit and code list say about the kind of concept it means.
enum class Shape : uint8_t {
  Measurement,  // a number with a unit: a property measured (observable entity)
  Count,        // a number without a unit: a score or a count
  YesNo,        // boolean or a Ja/Nej code list: something present or not
  Temporal,     // a date or time: of a procedure or an event
  Coded,        // other code lists: the question its codes answer
  Text,         // free text or unknown: no preference
  Value,        // a code item: an answer, not a question
};

// Multiplies a candidate's lexical score. Mild (0.65-1): the words decide, the shape breaks ties
// and demotes what cannot be meant. Rows in the order of `Group`, columns of `Shape`.
double tagFactor(Shape s, Group g) {
  // clang-format off
  static const double table[][7] = {
      //               Measure Count YesNo Date  Coded Text  Value
      /* Observable */ {1.0,   1.0,  0.8,  1.0,  1.0,  1.0,  0.8},
      /* Scale      */ {0.9,   0.95, 0.8,  0.8,  1.0,  1.0,  0.85},
      /* Disorder   */ {0.7,   0.85, 1.0,  0.9,  0.95, 1.0,  1.0},
      /* Finding    */ {0.8,   0.85, 1.0,  0.9,  0.95, 1.0,  1.0},
      /* Situation  */ {0.7,   0.8,  1.0,  0.9,  0.9,  1.0,  1.0},
      /* Event      */ {0.7,   0.85, 1.0,  1.0,  0.9,  1.0,  1.0},
      /* Procedure  */ {0.75,  0.85, 1.0,  1.0,  0.95, 1.0,  1.0},
      /* Substance  */ {0.7,   0.8,  1.0,  0.75, 0.9,  1.0,  1.0},
      /* Product    */ {0.7,   0.8,  1.0,  0.75, 0.9,  1.0,  1.0},
      /* Qualifier  */ {0.7,   0.75, 0.7,  0.7,  0.9,  0.9,  1.0},
      /* Body       */ {0.7,   0.75, 0.7,  0.7,  0.85, 0.9,  0.95},
      /* Morphology */ {0.65,  0.75, 0.75, 0.7,  0.8,  0.85, 0.9},
      /* Object     */ {0.75,  0.85, 0.9,  0.8,  0.9,  1.0,  1.0},
      /* Place      */ {0.7,   0.8,  0.9,  0.8,  0.9,  1.0,  1.0},
      /* Social     */ {0.7,   0.8,  0.85, 0.75, 0.85, 1.0,  1.0},
      /* Other      */ {0.75,  0.8,  0.85, 0.8,  0.85, 1.0,  0.9},
  };
  // clang-format on
  static_assert(sizeof(table) / sizeof(table[0]) == size_t(Group::Metadata));
  if (g == Group::Metadata) return 0;
  return table[size_t(g)][size_t(s)];
}

// Why the shape points where it does, for the reasons of a suggestion.
std::string shapeReason(Shape s, const std::string& unit, Group g, double factor) {
  std::string what;
  switch (s) {
    case Shape::Measurement:
      what = "unit " + unit;
      break;
    case Shape::Count:
      what = "a number without unit";
      break;
    case Shape::YesNo:
      what = "a yes/no variable";
      break;
    case Shape::Temporal:
      what = "a date variable";
      break;
    case Shape::Coded:
      what = "a coded variable";
      break;
    case Shape::Value:
      what = "a code item (an answer)";
      break;
    default:
      return {};
  }
  if (factor >= 1.0) {
    // Capitalised so the sentence reads on its own ("Unit mmHg suggests ...").
    if (!what.empty() && what[0] >= 'a' && what[0] <= 'z') what[0] = char(what[0] - 'a' + 'A');
    return what + " suggests " + groupName(g);
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", factor);
  return std::string("for ") + what + ", " + groupName(g) + " is less likely (x" + buf + ")";
}

const std::vector<std::string>& unitWords() {
  static const std::vector<std::string> u = {
      "mmhg", "mm hg", "kg",  "g",   "cm", "m",      "mm",     "ml",     "l",
      "kpa",  "%",     "min", "bpm", "h",  "µmol/l", "umol/l", "mmol/l", "mmol/mol"};
  return u;
}

bool looksLikeUnit(const std::string& aside) {
  std::string s;
  for (char c : aside)
    if (c != ' ' || (!s.empty() && s.back() != ' ')) s += c;
  while (!s.empty() && s.back() == ' ') s.pop_back();
  const std::string f = text::fold(s);
  if (f.empty() || f.size() > 16) return false;
  if (std::find(unitWords().begin(), unitWords().end(), f) != unitWords().end()) return true;
  return f.find('/') != std::string::npos && f.find(' ') == std::string::npos;
}

// A code list whose items are yes, no and don't-know ("Ja", "Nej", "Okänt", "Ja, rökare").
bool isYesNo(const CodeList& codes) {
  bool yes = false, no = false;
  int n = 0;
  for (const auto& item : codes.items) {
    if (item.is_missing) continue;
    const auto w = tokens(item.label.sv.empty() ? item.label.en : item.label.sv);
    if (w.empty()) return false;
    const std::string& f = w[0];
    ++n;
    if (f == "ja" || f == "yes" || f == "true") {
      yes = true;
    } else if (f == "nej" || f == "no" || f == "false") {
      no = true;
    } else if (!(f == "okänt" || f == "okänd" || f == "vet" || f == "ej" || f == "saknas" ||
                 f == "uppgift" || f == "ingen" || f == "unknown" || f == "ev" || f == "osäkert" ||
                 f == "oklart")) {
      return false;
    }
  }
  return n >= 2 && yes && no;
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

enum class Kind : uint8_t {
  Exact,        // the same word
  Folded,       // the same without diacritics (rokning / rökning)
  Stem,         // another inflected form (höftleden / höftled)
  Fuzzy,        // a spelling variant (koxartros / coxartros): character trigram similarity
  TermInQuery,  // the term word is a part of the query's compound (blodtryck in blodtryckssänkande)
  QueryInTerm,  // the query word is a part of the term's compound (infarkt in hjärtinfarkt)
  SharedPart,   // both are compounds with a part in common (angiografidatum, koronarangiografi)
  Abbreviated,  // the query word is a cut-off form ("Syst." for systoliskt)
};

struct WordMatch {
  uint32_t word = 0;  // vocabulary id
  Kind kind = Kind::Exact;
  float score = 0;
  uint16_t a = 0, b = 0;  // the part: in the query word (TermInQuery) or the term word
  uint16_t c = 0, d = 0;  // SharedPart: the part in the term word (a, b: in the query word)
};

struct QWord {
  std::string folded, dfold, stem;
  std::string shown;       // as the user wrote it (folded), for reasons
  std::string compound;    // the compound this word is a part of ("statinbehandling")
  std::string source;      // "label", "question", "code label", ...
  bool primary = false;    // counts in the query coverage
  bool frame = false;      // register boilerplate
  bool truncated = false;  // written with a full stop: "Syst.", "Beh."
  double weight = 0;       // share in the query coverage (primary words)
  double support = 1;      // how far a match explains a term word
  int expands = -1;        // for an abbreviation's expansion: the abbreviation's index
  int expansion = -1;      // ... and which of its expansions (one per concept)
  std::vector<WordMatch> matches;
};

struct Query {
  std::vector<QWord> words;
  // vocabulary id -> (query word, match) pairs
  std::unordered_map<uint32_t, std::vector<std::pair<uint16_t, uint16_t>>> byWord;
  bool temporalLabel = false;
  // The label as a TF-IDF vector of character trigrams (words padded with a space), sorted.
  std::vector<std::pair<uint32_t, double>> trigrams;
  double trigramNorm = 0;
};

// Coverage of a word by parts found in it (spans with a weight each): per character the best
// weight, a single uncovered character between two parts is a linking letter (-s-, -e-, -a-,
// -o-, -u-) and counts as covered.
double spanCoverage(const std::vector<std::pair<std::pair<uint16_t, uint16_t>, float>>& spans,
                    size_t len) {
  if (len == 0 || spans.empty()) return 0;
  std::vector<float> w(len, 0.f);
  for (const auto& [ab, weight] : spans)
    for (size_t i = ab.first; i < ab.second && i < len; ++i) w[i] = std::max(w[i], weight);
  for (size_t i = 1; i + 1 < len; ++i)
    if (w[i] == 0 && w[i - 1] > 0 && w[i + 1] > 0) w[i] = std::min(w[i - 1], w[i + 1]);
  double sum = 0;
  for (float x : w) sum += x;
  return sum / double(len);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The index
// ---------------------------------------------------------------------------------------------

struct Suggester::Index {
  TerminologyInfo info;
  bool tags = false;  // SNOMED-style semantic tags (not in classifications)

  // Concepts
  std::vector<std::string> code, tag, display;
  std::vector<Group> group;
  std::vector<uint8_t> active;
  std::unordered_map<std::string, uint32_t> byCode;
  std::vector<std::vector<uint32_t>> parents;
  std::vector<float> ic;  // information content, 0 (the root) - 1 (a leaf)
  struct Replacement {
    uint32_t target;
    float factor;
    std::string association;
  };
  std::unordered_map<uint32_t, std::vector<Replacement>> replacements;

  // Descriptions
  struct Desc {
    uint32_t cidx = 0, wordBegin = 0, termBegin = 0;
    uint16_t nWords = 0, termLen = 0;
    uint8_t lang = 0;  // 0 sv, 1 en, 2 other
    uint8_t preferred = 0;
  };
  std::vector<Desc> descs;
  std::vector<uint32_t> descWords;
  std::vector<float> descWeight;  // the rarity of a term's distinct content words, summed
  std::string terms;

  // Vocabulary
  std::vector<std::string> folded, dfold;
  std::vector<float> idf;
  std::vector<uint8_t> stop, triCount;
  std::unordered_map<std::string, uint32_t> byFolded;
  std::unordered_map<std::string, std::vector<uint32_t>> byDfold, byStem;
  std::vector<uint32_t> postStart, postList;
  std::unordered_map<uint32_t, std::vector<uint32_t>> triPost;
  // Words that are a whole term on their own ("DM", "BT", "TIA") -> their concepts: how the
  // terminology itself spells out an abbreviation.
  std::unordered_map<uint32_t, std::vector<uint32_t>> soleWord;
  std::unordered_map<uint32_t, float> trigramIdf;  // padded trigrams, over concepts
  double unknownWeight = 1;
  double trigramCosine(const Query& q, const Desc& d) const;

  std::string_view term(const Desc& d) const { return {terms.data() + d.termBegin, d.termLen}; }

  uint32_t wordId(const std::string& w) {
    auto it = byFolded.find(w);
    if (it != byFolded.end()) return it->second;
    const auto id = uint32_t(folded.size());
    byFolded.emplace(w, id);
    folded.push_back(w);
    dfold.push_back(text::foldDiacritics(w));
    stop.push_back(isStop(w) ? 1 : 0);
    return id;
  }

  void build(Store& store);
  std::vector<std::pair<uint32_t, uint32_t>> trigramCandidates(const std::string& s) const;
  void matchWord(QWord& q) const;
  bool segment(const QWord& x, std::vector<QWord>& parts) const;
  void addWords(Query& q, const std::string& text, const std::string& source, bool primary,
                double support) const;
  void finish(Query& q) const;
  struct Scored {
    uint32_t cidx = 0;
    double lex = 0, qcov = 0;
    uint32_t desc = 0;
    int64_t via = -1;  // inactive concept whose term matched
    std::string association;
    bool spelling = false;  // found by spelling alone (no word in common)
  };
  double evaluate(const Query& q, const Desc& d, std::vector<std::string>* reasons,
                  double* qcovOut = nullptr) const;
  std::vector<Scored> rank(const Query& q, size_t keep, size_t minimum = 0) const;
  std::vector<uint32_t> ancestorsOrSelf(uint32_t c) const;
};

void Suggester::Index::build(Store& store) {
  tags = info.kind == "snomed";
  const auto tid = static_cast<int64_t>(info.id);
  std::vector<std::pair<std::string, std::string>> isa;
  std::vector<std::tuple<std::string, std::string, std::string>> assoc;
  struct RawDesc {
    uint32_t cidx;
    std::string lang, term;
    int type, acceptability;
  };
  std::vector<RawDesc> raw;
  store.read([&](SQLite::Database& db) {
    SQLite::Statement c(db, "SELECT code, active FROM term_concept WHERE terminology_id = ?");
    c.bind(1, tid);
    while (c.executeStep()) {
      byCode.emplace(c.getColumn(0).getString(), uint32_t(code.size()));
      code.push_back(c.getColumn(0).getString());
      active.push_back(c.getColumn(1).getInt() ? 1 : 0);
    }
    SQLite::Statement d(db,
                        "SELECT code, lang, type, term, acceptability FROM term_description "
                        "WHERE terminology_id = ? AND active = 1 AND type <> 2 ORDER BY id");
    d.bind(1, tid);
    while (d.executeStep()) {
      auto it = byCode.find(d.getColumn(0).getString());
      if (it == byCode.end()) continue;
      raw.push_back({it->second, d.getColumn(1).getString(), d.getColumn(3).getString(),
                     d.getColumn(2).getInt(), d.getColumn(4).getInt()});
    }
    SQLite::Statement r(db,
                        "SELECT source, destination FROM term_relationship WHERE terminology_id "
                        "= ? AND type = ?");
    r.bind(1, tid);
    r.bind(2, kIsA);
    while (r.executeStep())
      isa.emplace_back(r.getColumn(0).getString(), r.getColumn(1).getString());
    SQLite::Statement a(db,
                        "SELECT refset, component, target FROM term_refset_member WHERE "
                        "terminology_id = ? AND target <> ''");
    a.bind(1, tid);
    while (a.executeStep())
      assoc.emplace_back(a.getColumn(0).getString(), a.getColumn(1).getString(),
                         a.getColumn(2).getString());
  });

  const size_t nc = code.size();
  tag.assign(nc, {});
  display.assign(nc, {});
  group.assign(nc, Group::Other);
  parents.assign(nc, {});
  for (const auto& [s, t] : isa) {
    auto a = byCode.find(s), b = byCode.find(t);
    if (a != byCode.end() && b != byCode.end()) parents[a->second].push_back(b->second);
  }
  // Historical associations: how surely the target stands in for the inactive concept.
  for (const auto& [refset, component, target] : assoc) {
    auto a = byCode.find(component), b = byCode.find(target);
    if (a == byCode.end() || b == byCode.end()) continue;
    float factor = 0.8f;
    std::string name = "associated with";
    if (refset == kReplacedBy) {
      factor = 0.95f;
      name = "REPLACED BY";
    } else if (refset == kSameAs) {
      factor = 0.95f;
      name = "SAME AS";
    } else if (refset == kPossiblyEquivalentTo) {
      factor = 0.85f;
      name = "POSSIBLY EQUIVALENT TO";
    }
    replacements[a->second].push_back({b->second, factor, name});
  }

  // FSNs give the semantic tag; the display name is the Swedish preferred term if any.
  std::vector<int> displayRank(nc, 99);
  for (const auto& r : raw) {
    int rank = 99;
    if (r.type == 0) {
      tag[r.cidx] = semanticTag(r.term);
      rank = 6;
    } else {
      rank = (r.lang == "sv" ? 0 : 2) + (r.acceptability == 2 ? 0 : 1);
    }
    if (rank < displayRank[r.cidx]) {
      displayRank[r.cidx] = rank;
      display[r.cidx] = r.term;
    }
  }
  for (size_t i = 0; i < nc; ++i) {
    group[i] = tags ? groupOf(tag[i]) : Group::Other;
    if (tags && tag[i].empty()) group[i] = Group::Other;
  }

  // Descriptions as word lists; the FSN without its tag. Word rarity is counted over concepts,
  // not terms: the Swedish, English and FSN forms of one concept's name are one use.
  std::stable_sort(raw.begin(), raw.end(),
                   [](const RawDesc& a, const RawDesc& b) { return a.cidx < b.cidx; });
  std::vector<uint32_t> df, lastConcept;
  std::vector<uint32_t> seen;
  size_t named = 0;
  for (const auto& r : raw) {
    std::string t = r.term;
    if (r.type == 0 && !tag[r.cidx].empty()) {
      const size_t open = t.rfind(" (");
      if (open != std::string::npos) t.erase(open);
    }
    Desc d;
    d.cidx = r.cidx;
    d.lang = r.lang == "sv" ? 0 : r.lang == "en" ? 1 : 2;
    d.preferred = r.acceptability == 2 ? 1 : 0;
    d.termBegin = uint32_t(terms.size());
    d.termLen = uint16_t(std::min<size_t>(t.size(), 65535));
    terms.append(t, 0, d.termLen);
    d.wordBegin = uint32_t(descWords.size());
    seen.clear();
    for (const auto& w : tokens(t)) {
      const uint32_t id = wordId(w);
      descWords.push_back(id);
      if (std::find(seen.begin(), seen.end(), id) == seen.end()) seen.push_back(id);
    }
    d.nWords = uint16_t(descWords.size() - d.wordBegin);
    if (df.size() < folded.size()) {
      df.resize(folded.size(), 0);
      lastConcept.resize(folded.size(), 0);
    }
    if (descs.empty() || descs.back().cidx != r.cidx) ++named;
    for (auto id : seen)
      if (lastConcept[id] != r.cidx + 1) {
        lastConcept[id] = r.cidx + 1;
        ++df[id];
      }
    descs.push_back(d);
  }
  df.resize(folded.size(), 0);

  // Intrinsic information content of each concept from the size of its subtree (Seco et al.):
  // broad concepts ("behandlingsåtgärd", a chapter of ICD-10) are rarely what a variable means.
  {
    std::vector<std::vector<uint32_t>> children(nc);
    for (uint32_t i = 0; i < nc; ++i)
      for (auto p : parents[i]) children[p].push_back(i);
    std::vector<double> below(nc, -1);
    std::vector<std::pair<uint32_t, size_t>> stack;
    for (uint32_t root = 0; root < nc; ++root) {
      if (below[root] >= 0) continue;
      stack.push_back({root, 0});
      below[root] = -2;  // in progress (guards against cycles)
      while (!stack.empty()) {
        auto& [c, k] = stack.back();
        if (k < children[c].size()) {
          const uint32_t ch = children[c][k++];
          if (below[ch] == -1) {
            below[ch] = -2;
            stack.push_back({ch, 0});
          }
          continue;
        }
        double n = 0;
        for (auto ch : children[c]) n += 1 + std::max(0.0, below[ch]);
        below[c] = std::min(n, double(nc));
        stack.pop_back();
      }
    }
    ic.resize(nc);
    const double logN = std::log(1.0 + double(std::max<size_t>(nc, 2)));
    for (size_t i = 0; i < nc; ++i)
      ic[i] = float(1.0 - std::log(1.0 + std::max(0.0, below[i])) / logN);
  }

  const size_t nv = folded.size();
  idf.resize(nv);
  const double N = double(std::max<size_t>(named, 1));
  for (size_t i = 0; i < nv; ++i) idf[i] = float(std::log(1.0 + N / double(std::max(df[i], 1u))));
  // A word the terminology does not know weighs half of a typical term word.
  double sum = 0, n = 0;
  for (auto w : descWords)
    if (!stop[w]) sum += idf[w], n += 1;
  unknownWeight = n > 0 ? 0.5 * sum / n : 1.0;

  // word -> descriptions
  postStart.assign(nv + 1, 0);
  for (size_t di = 0; di < descs.size(); ++di) {
    const auto& d = descs[di];
    seen.clear();
    for (uint32_t k = 0; k < d.nWords; ++k) {
      const auto id = descWords[d.wordBegin + k];
      if (std::find(seen.begin(), seen.end(), id) == seen.end()) {
        seen.push_back(id);
        ++postStart[id + 1];
      }
    }
  }
  for (size_t i = 0; i < nv; ++i) postStart[i + 1] += postStart[i];
  postList.resize(postStart[nv]);
  std::vector<uint32_t> fill(postStart.begin(), postStart.end() - 1);
  for (size_t di = 0; di < descs.size(); ++di) {
    const auto& d = descs[di];
    seen.clear();
    for (uint32_t k = 0; k < d.nWords; ++k) {
      const auto id = descWords[d.wordBegin + k];
      if (std::find(seen.begin(), seen.end(), id) == seen.end()) {
        seen.push_back(id);
        postList[fill[id]++] = uint32_t(di);
      }
    }
  }

  descWeight.assign(descs.size(), 0.f);
  for (size_t di = 0; di < descs.size(); ++di) {
    const auto& d = descs[di];
    for (uint32_t k = 0; k < d.nWords; ++k) {
      const uint32_t w = descWords[d.wordBegin + k];
      bool repeated = false;
      for (uint32_t j = 0; j < k; ++j) repeated = repeated || descWords[d.wordBegin + j] == w;
      if (!stop[w] && !repeated) descWeight[di] += idf[w];
    }
  }
  for (const auto& d : descs) {
    uint32_t only = 0, n = 0;
    for (uint32_t k = 0; k < d.nWords; ++k)
      if (!stop[descWords[d.wordBegin + k]]) only = descWords[d.wordBegin + k], ++n;
    if (n != 1) continue;
    auto& v = soleWord[only];
    if (std::find(v.begin(), v.end(), d.cidx) == v.end()) v.push_back(d.cidx);
  }

  {
    std::unordered_map<uint32_t, double> tdf;
    std::vector<uint32_t> pt;
    for (uint32_t i = 0; i < nv; ++i) {
      if (stop[i]) continue;
      pt.clear();
      paddedTrigrams(dfold[i], pt);
      std::sort(pt.begin(), pt.end());
      pt.erase(std::unique(pt.begin(), pt.end()), pt.end());
      for (auto t : pt) tdf[t] += df[i];
    }
    for (const auto& [t, n] : tdf)
      trigramIdf[t] = float(std::log(N / std::min(N, std::max(1.0, n))) + 1.0);
  }

  // Forms of the words: without diacritics, stems, trigrams.
  triCount.assign(nv, 0);
  std::vector<uint32_t> tri;
  for (uint32_t i = 0; i < nv; ++i) {
    byDfold[dfold[i]].push_back(i);
    if (stop[i]) continue;
    const std::string s = swedishStem(folded[i]);
    if (s.size() >= 3) byStem[s].push_back(i);
    trigramsOf(dfold[i], tri);
    triCount[i] = uint8_t(std::min<size_t>(tri.size(), 255));
    for (auto t : tri) triPost[t].push_back(i);
  }
}

std::vector<uint32_t> Suggester::Index::ancestorsOrSelf(uint32_t c) const {
  std::vector<uint32_t> out = {c};
  for (size_t i = 0; i < out.size(); ++i)
    for (auto p : parents[out[i]])
      if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  return out;
}

// Vocabulary words sharing trigrams with s, with the number of trigrams shared.
std::vector<std::pair<uint32_t, uint32_t>> Suggester::Index::trigramCandidates(
    const std::string& s) const {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  std::vector<uint32_t> tri;
  trigramsOf(s, tri);
  if (tri.empty()) return out;
  thread_local std::vector<uint8_t> counts;
  thread_local std::vector<uint32_t> touched;
  if (counts.size() < folded.size()) counts.resize(folded.size(), 0);
  touched.clear();
  for (auto t : tri) {
    auto it = triPost.find(t);
    if (it == triPost.end()) continue;
    for (auto w : it->second) {
      if (counts[w] == 0) touched.push_back(w);
      if (counts[w] < 255) ++counts[w];
    }
  }
  out.reserve(touched.size());
  for (auto w : touched) {
    out.emplace_back(w, counts[w]);
    counts[w] = 0;
  }
  return out;
}

void Suggester::Index::matchWord(QWord& q) const {
  auto& m = q.matches;
  auto have = [&](uint32_t w) {
    return std::any_of(m.begin(), m.end(), [&](const WordMatch& x) { return x.word == w; });
  };
  if (auto it = byFolded.find(q.folded); it != byFolded.end() && !stop[it->second])
    m.push_back({it->second, Kind::Exact, 1.0f, 0, 0});
  if (auto it = byDfold.find(q.dfold); it != byDfold.end())
    for (auto w : it->second)
      if (!stop[w] && !have(w)) m.push_back({w, Kind::Folded, 0.9f, 0, 0});
  // Other inflected forms: the same stem and not much shorter (Snowball takes -ig/-lig off,
  // so "tidigare" and "tid" share a stem they should not be matched by).
  if (q.stem.size() >= 3)
    if (auto it = byStem.find(q.stem); it != byStem.end())
      for (auto w : it->second) {
        if (have(w)) continue;
        const double a = double(dfold[w].size()), b = double(q.dfold.size());
        if (std::min(a, b) / std::max(a, b) >= 0.7) m.push_back({w, Kind::Stem, 0.85f, 0, 0});
      }

  // Compound parts and spelling variants, through the trigram index. A compound part must
  // leave at least three letters of the word around it: "in" + "stabil" or "o" + "cementerad"
  // are negations, not compounds.
  const std::string& qs = q.dfold;
  std::vector<uint32_t> tri;
  trigramsOf(qs, tri);
  const size_t tq = tri.size();
  for (const auto& [w, c] : trigramCandidates(qs)) {
    if (have(w) || stop[w]) continue;
    const std::string& ws = dfold[w];
    const size_t tt = triCount[w];
    if (c == tt && ws.size() + 3 <= qs.size()) {
      // A term word inside the query word: a part of its compound (the segmentation in
      // addWords decides which parts make up the word).
      const size_t at = qs.find(ws);
      if (at != std::string::npos) {
        const float s = ws.size() >= 4 ? 0.9f : 0.6f;
        m.push_back({w, Kind::TermInQuery, s, uint16_t(at), uint16_t(at + ws.size())});
        continue;
      }
    }
    // A first part may drop its final vowel ("smärta" in "smärtintensitet").
    if (c + 1 >= tt && ws.size() >= 5 && ws.size() + 3 <= qs.size() + 1 &&
        (ws.back() == 'a' || ws.back() == 'e' || ws.back() == 'o')) {
      const std::string cut = ws.substr(0, ws.size() - 1);
      const size_t at = qs.find(cut);
      if (at != std::string::npos && at + cut.size() + 3 <= qs.size()) {
        m.push_back({w, Kind::TermInQuery, 0.85f, uint16_t(at), uint16_t(at + cut.size())});
        continue;
      }
    }
    if (c == tq && ws.size() >= qs.size() + 3 && qs.size() >= 4) {
      // The query word as the first or last part of a term's compound.
      if (ws.compare(0, qs.size(), qs) == 0) {
        m.push_back({w, Kind::QueryInTerm, 0.9f, 0, uint16_t(qs.size())});
        continue;
      }
      if (ws.compare(ws.size() - qs.size(), qs.size(), qs) == 0) {
        m.push_back(
            {w, Kind::QueryInTerm, 0.9f, uint16_t(ws.size() - qs.size()), uint16_t(ws.size())});
        continue;
      }
    }
    // One word inside the other is derivation or compounding (instabil / stabil), handled
    // above with its rules, not a spelling variant.
    const bool inside = (c == tt && qs.find(ws) != std::string::npos) ||
                        (c == tq && ws.find(qs) != std::string::npos);
    const double dice = 2.0 * double(c) / double(tq + tt);
    if (!inside && dice >= 0.6 && std::min(ws.size(), qs.size()) >= 5) {
      m.push_back({w, Kind::Fuzzy, float(0.8 * dice), 0, 0});
      continue;
    }
    // Two compounds with a long part in common at an end of each ("ögonbotten" in
    // ögonbottenfoto and ögonbottenundersökning), a part the terminology has no word for.
    if (c >= 4) {
      size_t len = 0, qa = 0, wa = 0;
      std::vector<uint16_t> prev(ws.size() + 1, 0), cur(ws.size() + 1, 0);
      for (size_t i = 1; i <= qs.size(); ++i) {
        for (size_t j = 1; j <= ws.size(); ++j) {
          cur[j] = qs[i - 1] == ws[j - 1] ? uint16_t(prev[j - 1] + 1) : 0;
          if (cur[j] > len) len = cur[j], qa = i - cur[j], wa = j - cur[j];
        }
        std::swap(prev, cur);
      }
      const auto atEnd = [](size_t a, size_t n, size_t size) { return a == 0 || a + n == size; };
      const auto rest = [](size_t a, size_t n, size_t size) {
        const size_t r = size - n;
        return r == 0 || (r >= 3 && (a == 0 || a + n == size));
      };
      if (len >= 6 && 2 * len >= std::min(qs.size(), ws.size()) && atEnd(qa, len, qs.size()) &&
          atEnd(wa, len, ws.size()) && rest(qa, len, qs.size()) && rest(wa, len, ws.size()))
        m.push_back({w, Kind::SharedPart, 0.85f, uint16_t(qa), uint16_t(qa + len), uint16_t(wa),
                     uint16_t(wa + len)});
    }
  }
  // A cut-off word stands for the words it begins.
  if (q.truncated && tq >= 1)
    for (const auto& [w, c] : trigramCandidates(qs)) {
      if (c != tq || have(w) || stop[w]) continue;
      const std::string& ws = dfold[w];
      if (ws.size() > qs.size() && ws.compare(0, qs.size(), qs) == 0)
        m.push_back({w, Kind::Abbreviated, 0.85f, 0, 0});
    }
  // The stem as the first part of a term's compound ("höften" -> "höftledsartros").
  const std::string stemD = text::foldDiacritics(q.stem);
  if (stemD.size() >= 4 && stemD.size() < qs.size()) {
    std::vector<uint32_t> st;
    trigramsOf(stemD, st);
    for (const auto& [w, c] : trigramCandidates(stemD)) {
      if (c != st.size() || have(w) || stop[w]) continue;
      const std::string& ws = dfold[w];
      if (ws.size() >= stemD.size() + 3 && ws.compare(0, stemD.size(), stemD) == 0)
        m.push_back({w, Kind::QueryInTerm, 0.8f, 0, uint16_t(stemD.size())});
    }
  }
  // Keep the best few hundred: a very short or very common word must not flood the ranking.
  constexpr size_t kMaxMatches = 256;
  if (m.size() > kMaxMatches) {
    std::partial_sort(m.begin(), m.begin() + kMaxMatches, m.end(),
                      [&](const WordMatch& x, const WordMatch& y) {
                        return x.score != y.score ? x.score > y.score : idf[x.word] > idf[y.word];
                      });
    m.resize(kMaxMatches);
  }
}

// Splits a compound the terminology does not know as a whole into parts it knows (and
// boilerplate), joined by linking letters: "statinbehandling" -> statin + behandling,
// "halsartärsförträngning" -> halsartär + s + förträngning, "operationsdatum" -> operation + s
// + datum. A stretch of four or more letters between known parts becomes a part of its own
// ("kärlkramps|besvär"), which may still be part of a term's compound. Each part is then a
// query word with its own weight, so the rare part counts for more than the common one.
bool Suggester::Index::segment(const QWord& x, std::vector<QWord>& parts) const {
  const std::string& s = x.dfold;
  const size_t L = s.size();
  if (L < 6 || L > 60) return false;
  struct Part {
    size_t a, b;
    int known;  // 1 a vocabulary word, 2 boilerplate, 0 unknown stretch
    std::string word;
  };
  std::vector<Part> cands;
  for (const auto& m : x.matches)
    if (m.kind == Kind::TermInQuery) cands.push_back({m.a, m.b, 1, folded[m.word]});
  for (const auto& f : frameWords()) {
    const std::string fd = text::foldDiacritics(f);
    if (fd.size() < 3) continue;
    for (size_t at = s.find(fd); at != std::string::npos; at = s.find(fd, at + 1))
      cands.push_back({at, at + fd.size(), 2, f});
  }
  if (cands.empty()) return false;
  for (size_t a = 0; a < L; ++a)
    for (size_t b = a + 4; b <= L; ++b) cands.push_back({a, b, 0, {}});
  // Best path: most letters in known parts, then fewest parts. State: position, and whether
  // the last step was a part (a linking letter may follow a part only).
  struct State {
    int covered = -1, parts = 0;
    int prev = -1;  // index into cands, or -2 for a linking letter
    size_t from = 0;
  };
  std::vector<State> dp(L + 1);
  dp[0].covered = 0;
  auto better = [](const State& a, int covered, int n) {
    return a.covered < 0 || covered > a.covered || (covered == a.covered && n < a.parts);
  };
  std::vector<std::vector<size_t>> startingAt(L + 1);
  for (size_t i = 0; i < cands.size(); ++i) startingAt[cands[i].a].push_back(i);
  std::vector<uint8_t> afterPart(L + 1, 0);
  for (size_t i = 0; i <= L; ++i) {
    if (dp[i].covered < 0) continue;
    for (auto ci : startingAt[i]) {
      const auto& c = cands[ci];
      const int cov = dp[i].covered + (c.known ? int(c.b - c.a) : 0);
      const int n = dp[i].parts + 1;
      if (better(dp[c.b], cov, n)) {
        dp[c.b] = {cov, n, int(ci), i};
        afterPart[c.b] = 1;
      }
    }
    const char ch = i < L ? s[i] : 0;
    if (i > 0 && i < L && afterPart[i] && dp[i].prev >= 0 &&
        (ch == 's' || ch == 'e' || ch == 'a' || ch == 'o' || ch == 'u') &&
        better(dp[i + 1], dp[i].covered, dp[i].parts)) {
      dp[i + 1] = {dp[i].covered, dp[i].parts, -2, i};
      afterPart[i + 1] = 0;
    }
  }
  // An inflectional ending of up to three letters may follow the last part.
  size_t end = L;
  for (size_t e = L; e + 3 >= L && e > 0; --e)
    if (dp[e].covered >= 0 && dp[e].prev >= 0 &&
        (dp[end].covered < 0 || dp[end].prev < 0 || dp[e].covered > dp[end].covered))
      end = e;
  if (dp[end].covered < 0 || dp[end].prev < 0 || dp[end].parts < 2) return false;
  std::vector<Part> path;
  for (size_t i = end; i > 0;) {
    const State& st = dp[i];
    if (st.prev >= 0) path.push_back(cands[size_t(st.prev)]);
    i = st.from;
  }
  std::reverse(path.begin(), path.end());
  // At least one part must be a real word of the terminology, and known parts most of it.
  int known = 0;
  bool content = false;
  for (const auto& p : path) {
    if (p.known) known += int(p.b - p.a);
    content = content || p.known == 1;
  }
  if (!content || double(known) < 0.5 * double(L)) return false;
  for (const auto& p : path) {
    QWord w;
    w.folded = p.known ? p.word : s.substr(p.a, p.b - p.a);
    w.dfold = text::foldDiacritics(w.folded);
    w.stem = swedishStem(w.folded);
    w.shown = w.folded;
    w.compound = x.shown;
    w.source = x.source;
    w.primary = x.primary;
    w.support = x.support;
    w.frame = p.known == 2 || frameWords().count(w.folded) > 0;
    matchWord(w);
    parts.push_back(std::move(w));
  }
  return true;
}

// Adds the words of one text of the variable to the query.
void Suggester::Index::addWords(Query& q, const std::string& s, const std::string& source,
                                bool primary, double support) const {
  // Abbreviations as written ("DM", "BT", "eGFR"): at least two capitals.
  // Cut-off words ("Syst.", "Beh."): letters followed by a full stop.
  std::unordered_set<std::string> abbreviations, truncated;
  {
    std::string tok;
    auto flush = [&](char next) {
      int caps = 0;
      for (char c : tok) caps += (c >= 'A' && c <= 'Z') ? 1 : 0;
      if (caps >= 2 && tok.size() <= 6) abbreviations.insert(text::fold(tok));
      if (next == '.' && tok.size() >= 3) truncated.insert(text::fold(tok));
      tok.clear();
    };
    for (char c : s) {
      // Bytes of non-ASCII letters (å, ä, ö) belong to the word.
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          (static_cast<unsigned char>(c) & 0x80))
        tok += c;
      else
        flush(c);
    }
    flush(0);
  }
  for (const auto& w : tokens(s)) {
    if (isStop(w)) continue;
    auto same = std::find_if(q.words.begin(), q.words.end(), [&](const QWord& x) {
      return x.folded == w && x.compound.empty() && x.expands < 0;
    });
    if (same != q.words.end()) {
      if (primary && !same->primary) {
        same->primary = true;
        same->source = source;
      }
      same->support = std::max(same->support, support);
      continue;
    }
    QWord x;
    x.folded = w;
    x.shown = w;
    x.dfold = text::foldDiacritics(w);
    x.stem = swedishStem(w);
    x.source = source;
    x.primary = primary;
    x.support = support;
    x.frame = frameWords().count(w) > 0;
    x.truncated = truncated.count(w) > 0;
    if (primary && isTemporalFrame(w)) q.temporalLabel = true;
    matchWord(x);
    const bool whole = std::any_of(x.matches.begin(), x.matches.end(), [](const WordMatch& m) {
      return m.kind == Kind::Exact || m.kind == Kind::Folded || m.kind == Kind::Stem;
    });
    std::vector<QWord> parts;
    if (!whole && !x.frame && !x.truncated && segment(x, parts)) {
      for (auto& p : parts) {
        if (primary && isTemporalFrame(p.folded)) q.temporalLabel = true;
        q.words.push_back(std::move(p));
      }
      continue;
    }
    if (!whole) {
      // No segmentation: keep only parts at either end of the word.
      std::erase_if(x.matches, [&](const WordMatch& m) {
        return m.kind == Kind::TermInQuery && m.a != 0 && m.b != x.dfold.size();
      });
    }
    const int self = int(q.words.size());
    q.words.push_back(x);
    // An abbreviation the terminology spells out: its expansions explain terms too.
    if (!abbreviations.count(w)) continue;
    auto it = byFolded.find(w);
    if (it == byFolded.end()) continue;
    auto sole = soleWord.find(it->second);
    if (sole == soleWord.end() || sole->second.size() > 3) continue;
    int n = 0;
    for (auto c : sole->second) {
      if (!active[c]) continue;
      for (const auto& e : tokens(display[c])) {
        if (isStop(e) || e == w) continue;
        QWord y;
        y.folded = y.shown = e;
        y.dfold = text::foldDiacritics(e);
        y.stem = swedishStem(e);
        y.source = source;
        y.compound = w;
        y.primary = false;
        y.support = 0.9;
        y.expands = self;
        y.expansion = n;
        matchWord(y);
        q.words.push_back(std::move(y));
      }
      ++n;
    }
  }
}

// Weights and the reverse index of the query's matches.
void Suggester::Index::finish(Query& q) const {
  for (size_t i = 0; i < q.words.size(); ++i) {
    auto& w = q.words[i];
    // A word the terminology knows weighs what its rarest good match weighs; a word it does
    // not know half a typical word.
    double best = 0;
    for (const auto& m : w.matches)
      if (m.kind != Kind::TermInQuery) best = std::max(best, double(idf[m.word]) * m.score);
    // A compound kept whole weighs what its rarest part does.
    for (const auto& m : w.matches)
      if (m.kind == Kind::TermInQuery) best = std::max(best, double(idf[m.word]) * m.score);
    double weight = best > 0 ? best : unknownWeight;
    if (w.frame) weight *= 0.25;
    // Bare numbers are mostly time points ("efter 3 månader"), but "typ 2" needs its 2.
    if (isDigits(w.folded)) weight *= 0.5;
    w.weight = weight;
    for (size_t k = 0; k < w.matches.size(); ++k)
      q.byWord[w.matches[k].word].emplace_back(uint16_t(i), uint16_t(k));
  }
  const bool specific = std::any_of(q.words.begin(), q.words.end(), [](const QWord& w) {
    return w.primary && !w.frame && !isGenericHead(w.folded) && !w.matches.empty();
  });
  if (specific)
    for (auto& w : q.words)
      if (w.primary && isGenericHead(w.folded)) w.weight *= 0.4;
  std::vector<uint32_t> t;
  for (const auto& w : q.words)
    if (w.primary && !w.frame && w.expands < 0) paddedTrigrams(w.dfold, t);
  std::sort(t.begin(), t.end());
  q.trigrams.clear();
  for (size_t i = 0; i < t.size();) {
    size_t j = i;
    while (j < t.size() && t[j] == t[i]) ++j;
    auto it = trigramIdf.find(t[i]);
    const double idf = it == trigramIdf.end() ? 0 : it->second;
    if (idf > 0) q.trigrams.emplace_back(t[i], double(j - i) * idf);
    i = j;
  }
  double n2 = 0;
  for (const auto& [g, x] : q.trigrams) n2 += x * x;
  q.trigramNorm = std::sqrt(n2);
}

// Cosine of the TF-IDF character-trigram vectors of the label and a term.
double Suggester::Index::trigramCosine(const Query& q, const Desc& d) const {
  if (q.trigramNorm <= 0) return 0;
  thread_local std::vector<uint32_t> t;
  t.clear();
  for (uint32_t k = 0; k < d.nWords; ++k) {
    const uint32_t w = descWords[d.wordBegin + k];
    if (!stop[w]) paddedTrigrams(dfold[w], t);
  }
  std::sort(t.begin(), t.end());
  double dot = 0, n2 = 0;
  size_t qi = 0;
  for (size_t i = 0; i < t.size();) {
    size_t j = i;
    while (j < t.size() && t[j] == t[i]) ++j;
    auto it = trigramIdf.find(t[i]);
    const double x = double(j - i) * (it == trigramIdf.end() ? 0.0 : double(it->second));
    n2 += x * x;
    while (qi < q.trigrams.size() && q.trigrams[qi].first < t[i]) ++qi;
    if (qi < q.trigrams.size() && q.trigrams[qi].first == t[i]) dot += x * q.trigrams[qi].second;
    i = j;
  }
  return n2 > 0 ? dot / (q.trigramNorm * std::sqrt(n2)) : 0;
}

// Lexical similarity of the query to one term, 0-1: the geometric blend of how much of the
// query the term explains (label words, weighted by rarity) and how much of the term the query
// explains (term words, weighted by rarity; question, definition and code labels help here).
double Suggester::Index::evaluate(const Query& q, const Desc& d, std::vector<std::string>* reasons,
                                  double* qcovOut) const {
  thread_local std::vector<double> qbest;
  thread_local std::vector<std::vector<std::pair<std::pair<uint16_t, uint16_t>, float>>> qspans;
  thread_local std::vector<std::pair<std::pair<uint16_t, uint16_t>, float>> tspans;
  const size_t nq = q.words.size();
  qbest.assign(nq, 0.0);
  if (qspans.size() < nq) qspans.resize(nq);
  for (size_t i = 0; i < nq; ++i) qspans[i].clear();

  double tw = 0, tc = 0;
  bool anyPrimary = false;
  for (uint32_t k = 0; k < d.nWords; ++k) {
    const uint32_t w = descWords[d.wordBegin + k];
    if (stop[w]) continue;
    // A word repeated in a term counts once.
    bool repeated = false;
    for (uint32_t j = 0; j < k; ++j) repeated = repeated || descWords[d.wordBegin + j] == w;
    if (repeated) continue;
    double best = 0;
    tspans.clear();
    auto it = q.byWord.find(w);
    if (it != q.byWord.end()) {
      for (const auto& [qi, mi] : it->second) {
        const QWord& qw = q.words[qi];
        const WordMatch& m = qw.matches[mi];
        const double support = qw.primary ? 1.0 : qw.support;
        if (m.kind == Kind::QueryInTerm)
          tspans.push_back({{m.a, m.b}, float(support)});
        else if (m.kind == Kind::SharedPart)
          tspans.push_back({{m.c, m.d}, float(support * m.score)});
        else
          best = std::max(best, double(m.score) * support);
        if (qw.primary) anyPrimary = true;
        if (m.kind == Kind::TermInQuery || m.kind == Kind::SharedPart)
          qspans[qi].push_back({{m.a, m.b}, m.score});
        else
          qbest[qi] = std::max(qbest[qi], double(m.score));
      }
    }
    if (!tspans.empty()) best = std::max(best, 0.9 * spanCoverage(tspans, dfold[w].size()));
    tw += idf[w];
    tc += idf[w] * best;
  }
  if (!anyPrimary || tw <= 0) return 0;
  // Abbreviations: covered as far as one of their expansions is.
  double qw = 0, qc = 0;
  for (size_t i = 0; i < nq; ++i) {
    const QWord& x = q.words[i];
    if (!x.primary) continue;
    double c = qbest[i];
    if (!qspans[i].empty()) c = std::max(c, spanCoverage(qspans[i], x.dfold.size()));
    // Expansions of this word follow it in the query, grouped by expansion.
    for (size_t j = i + 1; j < nq && q.words[j].expands == int(i);) {
      const int e = q.words[j].expansion;
      double sw = 0, sc = 0;
      for (; j < nq && q.words[j].expands == int(i) && q.words[j].expansion == e; ++j) {
        const double wgt = q.words[j].weight > 0 ? q.words[j].weight : 1.0;
        sw += wgt;
        sc += wgt * qbest[j];
      }
      if (sw > 0) c = std::max(c, 0.95 * sc / sw);
    }
    qw += x.weight;
    qc += x.weight * c;
  }
  if (qw <= 0 || qc <= 0) return 0;
  const double qcov = qc / qw, tcov = tc / tw;
  if (qcovOut) *qcovOut = qcov;
  const double lex = std::pow(qcov, 0.6) * std::pow(tcov, 0.4);

  if (reasons) {
    const std::string t(term(d));
    auto quoted = [](const std::string& s) { return "'" + s + "'"; };
    // One reason per query word that matched, label words first.
    for (int pass = 0; pass < 2; ++pass)
      for (size_t i = 0; i < nq; ++i) {
        const QWord& x = q.words[i];
        if (x.primary != (pass == 0)) continue;
        const WordMatch* best = nullptr;
        std::vector<std::string> parts;
        for (uint32_t k = 0; k < d.nWords; ++k) {
          const uint32_t w = descWords[d.wordBegin + k];
          for (const auto& m : x.matches) {
            if (m.word != w) continue;
            if (m.kind == Kind::TermInQuery &&
                std::find(parts.begin(), parts.end(), folded[w]) == parts.end())
              parts.push_back(folded[w]);
            if (!best || m.score > best->score) best = &m;
          }
        }
        if (!best) continue;
        std::string who = x.source + " word ";
        if (x.expands >= 0)
          who += quoted(x.compound) + " (abbreviation of '" + x.shown + "...')";
        else if (!x.compound.empty())
          who += quoted(x.compound) + " (compound part " + quoted(x.shown) + ")";
        else
          who += quoted(x.shown);
        const std::string tw2 = folded[best->word];
        const std::string in = text::fold(t) == tw2 ? " (the term)" : " in " + quoted(t);
        std::string r;
        if (!parts.empty() && best->kind == Kind::TermInQuery) {
          std::string list;
          for (size_t p = 0; p < parts.size(); ++p)
            list += (p ? (p + 1 == parts.size() ? " and " : ", ") : "") + quoted(parts[p]);
          r = who + " contains " + list + " of " + quoted(t) + " (compound)";
        } else {
          switch (best->kind) {
            case Kind::Exact:
              r = who + " matches " + quoted(tw2) + in;
              break;
            case Kind::Folded:
              r = who + " matches " + quoted(tw2) + in + ", ignoring diacritics";
              break;
            case Kind::Stem:
              r = who + " matches " + quoted(tw2) + in + " (another form)";
              break;
            case Kind::Fuzzy:
              r = who + " resembles " + quoted(tw2) + in + " (spelling variant)";
              break;
            case Kind::QueryInTerm:
              r = who + " is part of the compound " + quoted(tw2) + in;
              break;
            case Kind::TermInQuery:
              r = who + " contains " + quoted(tw2) + " of " + quoted(t);
              break;
            case Kind::Abbreviated:
              r = who + " abbreviates " + quoted(tw2) + in;
              break;
            case Kind::SharedPart:
              r = who + " shares " + quoted(x.dfold.substr(best->a, best->b - best->a)) + " with " +
                  quoted(tw2) + in;
              break;
          }
        }
        if (std::find(reasons->begin(), reasons->end(), r) == reasons->end()) reasons->push_back(r);
      }
  }
  return lex;
}

std::vector<Suggester::Index::Scored> Suggester::Index::rank(const Query& q, size_t keep,
                                                             size_t minimum) const {
  // Candidate terms: those holding a word that one of the label's words (or an abbreviation's
  // expansion) matched. Each gets upper bounds of the two coverages: of the label, the weights
  // of the label words it matches, each at its best match; of the term, the rarity of its words
  // that any word of the query matched.
  thread_local std::vector<float> qbound, tbound, lastAdd;
  thread_local std::vector<uint32_t> lastWord, touched, cands;
  if (qbound.size() < descs.size()) {
    qbound.resize(descs.size(), 0.f);
    tbound.resize(descs.size(), 0.f);
    lastAdd.resize(descs.size(), 0.f);
    lastWord.resize(descs.size(), 0);
  }
  touched.clear();
  cands.clear();
  double total = 0;
  for (const auto& w : q.words)
    if (w.primary) total += w.weight;
  if (total <= 0) return {};
  thread_local std::unordered_set<uint32_t> termWords;
  termWords.clear();
  // A word matched only by the question, definition or code labels that half the release
  // uses is not walked: its rarity is added to every term's bound instead (the slack).
  // A weak match (a part, a spelling variant) of such a word is not walked either: it cannot
  // carry a suggestion on its own, and the strong matches of the label reach the terms it helps.
  const size_t common = std::max<size_t>(5000, descs.size() / 50);
  double slack = 0;
  for (size_t i = 0; i < q.words.size(); ++i) {
    const QWord& w = q.words[i];
    double weight = 0;
    if (w.primary)
      weight = w.weight;
    else if (w.expands >= 0 && q.words[size_t(w.expands)].primary)
      weight = 0.95 * q.words[size_t(w.expands)].weight;
    for (const auto& m : w.matches) {
      const size_t n = postStart[m.word + 1] - postStart[m.word];
      const bool firstUse = termWords.insert(m.word).second;
      if (n > common && (weight <= 0 || m.score < 0.85f)) {
        if (firstUse) slack += idf[m.word];
        continue;
      }
      const auto add = float(weight * std::min(1.0f, m.score));
      for (uint32_t p = postStart[m.word]; p < postStart[m.word + 1]; ++p) {
        const uint32_t di = postList[p];
        if (lastWord[di] == 0 && tbound[di] == 0 && qbound[di] == 0) touched.push_back(di);
        if (firstUse) tbound[di] += idf[m.word];
        if (weight <= 0) continue;
        if (lastWord[di] != i + 1) {
          if (qbound[di] == 0) cands.push_back(di);
          lastWord[di] = uint32_t(i + 1);
          lastAdd[di] = add;
          qbound[di] += add;
        } else if (add > lastAdd[di]) {
          qbound[di] += add - lastAdd[di];
          lastAdd[di] = add;
        }
      }
    }
  }
  auto ceiling = [&](uint32_t di) {
    const double qc = std::min(1.0, double(qbound[di]) / total + 1e-9);
    const double tc = descWeight[di] > 0
                          ? std::min(1.0, (double(tbound[di]) + slack) / descWeight[di] + 1e-9)
                          : 1.0;
    return std::pow(qc, 0.6) * std::pow(tc, 0.4);
  };
  // The best term of each concept reached, in a flat vector (walked for the threshold).
  std::vector<Scored> best;
  std::unordered_map<uint32_t, uint32_t> slot;  // concept -> index in best
  auto offer = [&](const Scored& s) {
    if (group[s.cidx] == Group::Metadata || !active[s.cidx]) return;
    auto [it, inserted] = slot.emplace(s.cidx, uint32_t(best.size()));
    if (inserted) {
      best.push_back(s);
      return;
    }
    Scored& o = best[it->second];
    const auto& od = descs[o.desc];
    const auto& nd = descs[s.desc];
    // Equal scores: a direct term before a replacement's, Swedish before English, preferred
    // before acceptable.
    const auto key = [](const Scored& x, const Desc& d) {
      return std::make_tuple(x.lex, x.via < 0, d.lang == 0, d.preferred);
    };
    if (key(s, nd) > key(o, od)) o = s;
  };
  // Best bound first, in growing batches; stop when no term left can reach the keep-th best
  // concept found so far. Most of a common word's thousands of terms are never evaluated.
  thread_local std::vector<float> ceil;
  if (ceil.size() < descs.size()) ceil.resize(descs.size(), 0.f);
  for (auto di : cands) ceil[di] = float(ceiling(di));
  std::vector<double> kept;
  double threshold = 0;
  size_t evaluated = 0, recompute = 256;
  auto byBound = [](uint32_t x, uint32_t y) { return ceil[x] > ceil[y]; };
  bool done = false;
  for (size_t from = 0, batch = 512; from < cands.size() && !done; batch *= 2) {
    const size_t to = std::min(cands.size(), from + batch);
    if (to < cands.size())
      std::nth_element(cands.begin() + long(from), cands.begin() + long(to - 1), cands.end(),
                       byBound);
    std::sort(cands.begin() + long(from), cands.begin() + long(to), byBound);
    for (size_t k = from; k < to; ++k) {
      const uint32_t di = cands[k];
      if (best.size() >= keep && ceil[di] < threshold) {
        done = true;
        break;
      }
      const Desc& d = descs[di];
      double qcov = 0;
      const double lex = evaluate(q, d, nullptr, &qcov);
      // The threshold only rises; recomputing it as often as best has grown keeps this linear.
      if (++evaluated >= recompute && best.size() >= keep) {
        recompute = evaluated + std::max<size_t>(256, best.size());
        kept.clear();
        for (const auto& x : best) kept.push_back(x.lex);
        std::nth_element(kept.begin(), kept.begin() + long(keep - 1), kept.end(),
                         std::greater<double>());
        threshold = kept[keep - 1];
      }
      if (lex <= 0) continue;
      if (active[d.cidx]) {
        offer({d.cidx, lex, qcov, di, -1, {}});
        continue;
      }
      // Inactive concepts are never suggested; what replaces them is, a little lower.
      auto it = replacements.find(d.cidx);
      if (it == replacements.end()) continue;
      for (const auto& r : it->second) {
        uint32_t target = r.target;
        double f = r.factor;
        // Follow a chain of replacements a few steps (a replacement may be retired in turn).
        for (int hop = 0; hop < 4 && !active[target]; ++hop) {
          auto next = replacements.find(target);
          if (next == replacements.end() || next->second.empty()) break;
          f *= next->second.front().factor;
          target = next->second.front().target;
        }
        if (active[target]) offer({target, lex * f, qcov, di, int64_t(d.cidx), r.association});
      }
    }
    from = to;
  }
  for (auto di : touched) {
    qbound[di] = tbound[di] = lastAdd[di] = 0;
    lastWord[di] = 0;
  }
  // Too few candidates: spelling alone, the TF-IDF cosine of the character trigrams of the label
  // and a term (how a plain n-gram ranking such as Usagi's ranks), far below anything a word
  // matched.
  if (best.size() < minimum && q.trigramNorm > 0) {
    std::vector<uint32_t> tri;
    std::unordered_set<uint32_t> reached;
    for (const auto& w : q.words) {
      if (!w.primary || w.frame || w.expands >= 0) continue;
      trigramsOf(w.dfold, tri);
      for (const auto& [v, c] : trigramCandidates(w.dfold)) {
        if (stop[v] || 2 * c < tri.size()) continue;
        for (uint32_t p = postStart[v]; p < postStart[v + 1] && reached.size() < 20000; ++p)
          reached.insert(postList[p]);
      }
    }
    for (auto di : reached) {
      const Desc& d = descs[di];
      if (!active[d.cidx] || slot.count(d.cidx)) continue;
      const double cos = trigramCosine(q, d);
      if (cos < 0.2) continue;
      Scored sc{d.cidx, 0.5 * cos, 0, di, -1, {}, true};
      offer(sc);
    }
  }
  std::vector<Scored> out = std::move(best);
  auto order = [&](const Scored& a, const Scored& b) {
    if (a.lex != b.lex) return a.lex > b.lex;
    return code[a.cidx] < code[b.cidx];
  };
  if (out.size() > keep) {
    std::partial_sort(out.begin(), out.begin() + long(keep), out.end(), order);
    out.resize(keep);
  } else {
    std::sort(out.begin(), out.end(), order);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Suggester
// ---------------------------------------------------------------------------------------------

namespace {

struct Candidate {
  uint32_t cidx = 0;
  double score = 0;
  int prior = 0;  // 2 approved for this label, 1 for a similar label
  Suggester::Index::Scored lexical;
  bool hasLexical = false;
  std::vector<std::string> extra;  // reasons beyond the words
};

// Label normalised for comparing it with approved labels: content words without diacritics.
std::vector<std::string> labelKey(const std::string& label) {
  std::string main, asides;
  splitAsides(label, main, asides);
  std::vector<std::string> out;
  for (const auto& w : tokens(main))
    if (!isStop(w) && !frameWords().count(w)) out.push_back(text::foldDiacritics(w));
  return out;
}

std::string pick(const Text& t) {
  return t.sv.empty() ? t.en : t.sv;
}

}  // namespace

void prepareKeys(std::vector<PriorMapping>& priors) {
  for (auto& p : priors) p.key = labelKey(p.label);
}

Suggester::Suggester(Store& store, const TerminologyInfo& release) {
  auto idx = std::make_unique<Index>();
  idx->info = release;
  idx->build(store);
  index_ = std::move(idx);
}

Suggester::~Suggester() = default;

const TerminologyInfo& Suggester::release() const {
  return index_->info;
}
size_t Suggester::indexedTerms() const {
  return index_->descs.size();
}
size_t Suggester::vocabulary() const {
  return index_->folded.size();
}

namespace {

// Ranks, applies shape, code-item and approval evidence, and writes the suggestions.
std::vector<Suggestion> finishSuggestions(const Suggester::Index& ix, const Query& q, Shape shape,
                                          const std::string& unit, std::vector<Candidate> cands,
                                          const std::string& subjectLabel,
                                          const std::vector<PriorMapping>& priors, int limit) {
  // A concept more specific than another candidate (its descendant) must earn that with the
  // label: when it explains no more of the label than its ancestor, the ancestor goes first
  // ("Antal stent": coronary stent, not drug-eluting stent).
  {
    std::sort(cands.begin(), cands.end(),
              [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    const size_t n = std::min<size_t>(cands.size(), 40);
    for (size_t i = 0; i < n; ++i) {
      auto& b = cands[i];
      if (!b.hasLexical) continue;
      const auto anc = ix.ancestorsOrSelf(b.cidx);
      for (size_t j = i + 1; j < n; ++j) {
        const auto& a = cands[j];
        if (!a.hasLexical || a.score <= 0 || a.cidx == b.cidx) continue;
        if (std::find(anc.begin(), anc.end(), a.cidx) == anc.end()) continue;
        if (b.lexical.qcov > a.lexical.qcov + 0.02) continue;
        b.score = a.score * 0.99;
        b.extra.push_back("ranked below its broader concept '" + ix.display[a.cidx] +
                          "': the label says nothing that makes it more specific");
        break;
      }
    }
  }
  // Approved mappings: the same label first, similar labels a little higher.
  const auto key = labelKey(subjectLabel);
  std::vector<std::string> computed;
  for (const auto& p : priors) {
    auto it = ix.byCode.find(p.concept_id);
    if (it == ix.byCode.end()) continue;
    const std::vector<std::string>* keyOfPrior = &p.key;
    if (p.key.empty()) {
      computed = labelKey(p.label);
      keyOfPrior = &computed;
    }
    const auto& pk = *keyOfPrior;
    int strength = 0;
    double sim = 0;
    if (!key.empty() && pk == key) {
      strength = 2;
      sim = 1;
    } else if (!key.empty() && !pk.empty()) {
      size_t common = 0;
      for (const auto& w : pk)
        if (std::find(key.begin(), key.end(), w) != key.end()) ++common;
      const double uni = double(key.size() + pk.size() - common);
      sim = uni > 0 ? double(common) / uni : 0;
      if (sim >= 0.5) strength = 1;
    }
    if (!strength) continue;
    std::vector<std::pair<uint32_t, std::string>> targets;
    if (ix.active[it->second]) {
      targets.emplace_back(it->second, "");
    } else if (auto r = ix.replacements.find(it->second); r != ix.replacements.end()) {
      for (const auto& x : r->second)
        if (ix.active[x.target])
          targets.emplace_back(x.target, ", now " + x.association + " this concept");
    }
    for (const auto& [c, note] : targets) {
      if (ix.group[c] == Group::Metadata) continue;
      // An init-capture: clang 14 cannot capture a structured binding.
      auto cand = std::find_if(cands.begin(), cands.end(),
                               [c = c](const Candidate& x) { return x.cidx == c; });
      if (cand == cands.end()) {
        Candidate n;
        n.cidx = c;
        cands.push_back(n);
        cand = cands.end() - 1;
      }
      const std::string reason =
          (strength == 2 ? "approved before for the label '"
                         : "approved before for the similar label '") +
          p.label + "'" + (note.empty() ? "" : " (approved concept " + p.concept_id + note + ")");
      if (strength == 2) {
        cand->score = 1.0;
        cand->prior = 2;
      } else {
        cand->score = std::min(1.0, std::max(cand->score, 0.5 * sim) + 0.25 * sim);
        cand->prior = std::max(cand->prior, 1);
      }
      cand->extra.insert(cand->extra.begin(), reason);
    }
  }

  std::sort(cands.begin(), cands.end(), [&](const Candidate& a, const Candidate& b) {
    if ((a.prior == 2) != (b.prior == 2)) return a.prior == 2;
    if (a.score != b.score) return a.score > b.score;
    return ix.code[a.cidx] < ix.code[b.cidx];
  });
  std::vector<Suggestion> out;
  for (const auto& c : cands) {
    if (int(out.size()) >= limit) break;
    if (c.score <= 0) continue;
    Suggestion s;
    s.concept_id = ix.code[c.cidx];
    s.semantic_tag = ix.tag[c.cidx];
    s.score = std::clamp(c.score, 0.0, 1.0);
    s.reasons = c.extra;
    if (c.hasLexical) {
      const auto& d = ix.descs[c.lexical.desc];
      s.term = std::string(ix.term(d));
      s.lang = d.lang == 0 ? "sv" : d.lang == 1 ? "en" : "";
      std::vector<std::string> words;
      if (c.lexical.spelling)
        words.push_back("spelled like '" + s.term + "' (character trigrams; no word in common)");
      else
        ix.evaluate(q, d, &words);
      if (c.lexical.via >= 0) {
        const auto via = uint32_t(c.lexical.via);
        words.push_back("'" + s.term + "' is a term of the inactive concept '" + ix.display[via] +
                        "' (" + ix.code[via] + "), " + c.lexical.association + " this concept");
        s.term = ix.display[c.cidx];
        s.lang = "";
      }
      // The words first, unless an approval put this concept here.
      s.reasons.insert(c.prior == 2 ? s.reasons.end() : s.reasons.begin(), words.begin(),
                       words.end());
    } else {
      s.term = ix.display[c.cidx];
    }
    if (ix.tags && shape != Shape::Text) {
      const double f = tagFactor(shape, ix.group[c.cidx]);
      const std::string r = shapeReason(shape, unit, ix.group[c.cidx], f);
      if (!r.empty() && (f < 1.0 || shape != Shape::Value)) s.reasons.push_back(r);
    }
    if (ix.ic[c.cidx] < 0.5)
      s.reasons.push_back("a broad concept, so a little less likely to be what is meant");
    if (s.reasons.empty()) s.reasons.push_back("matches '" + s.term + "'");
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Candidate> toCandidates(const Suggester::Index& ix,
                                    const std::vector<Suggester::Index::Scored>& scored,
                                    Shape shape) {
  std::vector<Candidate> out;
  for (const auto& s : scored) {
    Candidate c;
    c.cidx = s.cidx;
    c.lexical = s;
    c.hasLexical = true;
    c.score = s.lex * (ix.tags ? tagFactor(shape, ix.group[s.cidx]) : 1.0) *
              (0.9 + 0.1 * double(ix.ic[s.cidx]));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::vector<Suggestion> Suggester::forVariable(const Variable& v, const CodeList* codes, int limit,
                                               const std::vector<PriorMapping>& priors) const {
  if (limit <= 0) return {};
  const Index& ix = *index_;
  Query q;
  std::string label = pick(v.label);
  if (text::words(label).empty()) {
    // No label: the variable's name ("tid_hjartinfarkt") is the best there is.
    label = v.name;
    std::replace(label.begin(), label.end(), '_', ' ');
  }
  std::string main, asides;
  splitAsides(label, main, asides);
  ix.addWords(q, main, "label", true, 1.0);
  ix.addWords(q, asides, "label", false, 0.8);
  ix.addWords(q, pick(v.question), "question", false, 0.7);
  ix.addWords(q, pick(v.definition), "definition", false, 0.5);
  // A label none of whose words the terminology knows: the question speaks for it.
  const bool labelKnown = std::any_of(q.words.begin(), q.words.end(), [](const QWord& w) {
    return w.primary && !w.frame && !w.matches.empty();
  });
  if (!labelKnown)
    for (auto& w : q.words)
      if (w.source == "question") w.primary = true;

  // Code labels say what the variable is about: words most of its items share weigh most.
  bool yesNo = false;
  std::vector<const CodeItem*> items;
  if (codes) {
    yesNo = isYesNo(*codes);
    for (const auto& item : codes->items)
      if (!item.is_missing && !pick(item.label).empty()) items.push_back(&item);
    if (!yesNo && !items.empty()) {
      std::map<std::string, int> freq;  // ordered: the same query every time
      for (const auto* item : items) {
        std::unordered_set<std::string> once;
        for (const auto& w : tokens(pick(item->label)))
          if (once.insert(w).second) ++freq[w];
      }
      std::string ctx;
      for (const auto& [w, n] : freq)
        if (n >= 2 || items.size() == 1) ctx += w + " ";
      ix.addWords(q, ctx, "code label", false, 0.5);
    }
  }
  ix.finish(q);

  // The shape of the variable.
  std::string unit = v.unit;
  if (unit.empty() && !asides.empty() && looksLikeUnit(asides)) unit = asides;
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  while (!unit.empty() && unit.back() == ' ') unit.pop_back();
  Shape shape = Shape::Text;
  const std::string& dt = v.datatype;
  if (dt == "boolean" || yesNo)
    shape = Shape::YesNo;
  else if (dt == "date" || dt == "datetime" || (q.temporalLabel && (dt.empty() || dt == "string")))
    shape = Shape::Temporal;
  else if ((dt == "integer" || dt == "decimal") && !unit.empty())
    shape = Shape::Measurement;
  else if (dt == "integer" || dt == "decimal")
    shape = Shape::Count;
  else if (items.size() >= 2)
    shape = Shape::Coded;
  else if (!unit.empty())
    shape = Shape::Measurement;

  const size_t keep = size_t(std::max(limit * 4, 40));
  auto cands = toCandidates(ix, ix.rank(q, keep, size_t(limit)), shape);

  // A coded variable is often the parent of its answers ("Diabetestyp": typ 1, typ 2, LADA are
  // kinds of diabetes mellitus): concepts that subsume what its items match rise.
  if (shape == Shape::Coded && items.size() >= 2 && items.size() <= 60) {
    std::vector<std::pair<const CodeItem*, std::vector<uint32_t>>> tops;
    for (const auto* item : items) {
      Query iq;
      std::string im, ia;
      splitAsides(pick(item->label), im, ia);
      ix.addWords(iq, im, "code", true, 1.0);
      ix.addWords(iq, main, "label", false, 0.5);
      ix.finish(iq);
      auto r = ix.rank(iq, 1);
      if (!r.empty() && r[0].lex >= 0.5) tops.emplace_back(item, ix.ancestorsOrSelf(r[0].cidx));
    }
    if (tops.size() >= 2)
      for (auto& c : cands) {
        std::vector<std::string> under;
        for (const auto& [item, anc] : tops)
          if (std::find(anc.begin(), anc.end(), c.cidx) != anc.end())
            under.push_back(pick(item->label));
        const double share = double(under.size()) / double(tops.size());
        if (under.size() < 2 || share < 0.5) continue;
        c.score = std::min(1.0, c.score + 0.2 * share);
        std::string list;
        for (size_t k = 0; k < under.size() && k < 3; ++k)
          list += (k ? ", '" : "'") + under[k] + "'";
        if (under.size() > 3) list += ", ...";
        c.extra.push_back(std::to_string(under.size()) + " of " + std::to_string(tops.size()) +
                          " code items (" + list + ") are kinds of this concept");
      }
  }
  return finishSuggestions(ix, q, shape, unit, std::move(cands), label, priors, limit);
}

std::vector<Suggestion> Suggester::forCode(const Variable& v, const CodeItem& item, int limit,
                                           const std::vector<PriorMapping>& priors) const {
  if (limit <= 0) return {};
  const Index& ix = *index_;
  Query q;
  const std::string label = pick(item.label).empty() ? item.code : pick(item.label);
  std::string main, asides;
  splitAsides(label, main, asides);
  ix.addWords(q, main, "code label", true, 1.0);
  // "Ja, dagligen", "Nej, aldrig rökt": yes and no mark the answer, the rest says what it is.
  const bool more = std::count_if(q.words.begin(), q.words.end(), [](const QWord& w) {
                      return w.primary && !w.frame && !isYesNoWord(w.folded);
                    }) > 0;
  if (more)
    for (auto& w : q.words)
      if (isYesNoWord(w.folded)) w.frame = true;
  ix.addWords(q, asides, "code label", false, 0.8);
  // The variable says what the answer is about ("Typ 2" of "Diabetestyp").
  std::string vmain, vasides;
  splitAsides(pick(v.label), vmain, vasides);
  ix.addWords(q, vmain, "variable label", false, 0.5);
  ix.finish(q);
  const size_t keep = size_t(std::max(limit * 4, 40));
  auto cands = toCandidates(ix, ix.rank(q, keep, size_t(limit)), Shape::Value);
  return finishSuggestions(ix, q, Shape::Value, "", std::move(cands), label, priors, limit);
}

}  // namespace regcat
