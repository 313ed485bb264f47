#include "mapping/compatibility.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <set>

#include "catalog/text.h"
#include "mapping/units.h"

// Reason codes (stable; clients switch on them):
//   unbound-a, unbound-b, concept-same, concept-close-match, concept-subsumes,
//   concept-different, concept-indeterminate,
//   domain-same, numeric-widening, unit-convertible, unit-dimension-differs, unit-unknown,
//   unit-missing, datetime-to-date, continuous-to-categories, free-text, datatypes-incompatible,
//   codes-identical, codes-one-to-one, codes-many-to-one, codes-many-to-many, codes-unmapped,
//   codes-unmatched, codes-unknown, missing-codes, missing-codes-differ, periods-disjoint.

namespace regcat {
namespace {

// What a reason does to the grade, in order of severity. An unbound side is worse than
// everything because no other verdict is safe without it, but it reads "unknown".
enum Level { kIdentical, kCompatible, kPartial, kUndetermined, kIncompatible, kUnbound };

const char* gradeName(Level l) {
  switch (l) {
    case kIdentical:
      return "identical";
    case kCompatible:
      return "compatible";
    case kPartial:
      return "partial";
    case kIncompatible:
      return "incompatible";
    case kUndetermined:
    case kUnbound:
      break;
  }
  return "unknown";
}

using Details = std::vector<std::pair<std::string, std::string>>;

struct Result {
  Compatibility c;
  Level level = kIdentical;

  // A reason at kIdentical is informational: it explains, it limits nothing.
  void reason(Level l, std::string code, std::string sv, std::string en, Details details = {}) {
    level = std::max(level, l);
    c.reasons.push_back({std::move(code), std::move(sv), std::move(en),
                         l == kIdentical ? std::string() : gradeName(l), std::move(details)});
  }
};

std::string number(double x, bool swedish) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  std::string s = buf;
  if (swedish) std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

std::string joined(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

bool isNumeric(const std::string& t) {
  return t == "integer" || t == "decimal";
}

// ---- Concept bindings ------------------------------------------------------------------------

struct Binding {
  std::string system, id, label, predicate;
};

bool approved(const Mapping& m) {
  return m.status == "approved" && !m.isNoMatch() && m.predicate != "skos:relatedMatch";
}

std::vector<Binding> variableBindings(const CompatSide& s) {
  std::vector<Binding> out;
  for (const auto& m : s.mappings)
    if (approved(m) && !m.subject.isCode())
      out.push_back({m.system, m.concept_id, m.concept_label, m.predicate});
  return out;
}

bool reviewedAsNoMatch(const CompatSide& s) {
  return std::any_of(s.mappings.begin(), s.mappings.end(), [](const Mapping& m) {
    return m.status == "approved" && m.isNoMatch() && !m.subject.isCode();
  });
}

bool isClose(const std::string& p) {
  return p == "skos:closeMatch";
}
bool isExactish(const std::string& p) {
  return p == "skos:exactMatch" || isClose(p);
}
// The variable covers at least the concept (subject narrowMatch object: the object is narrower).
bool coversConcept(const std::string& p) {
  return isExactish(p) || p == "skos:narrowMatch";
}
// The variable lies within the concept (subject broadMatch object: the object is broader).
bool withinConcept(const std::string& p) {
  return isExactish(p) || p == "skos:broadMatch";
}

struct Subsumes {
  const SubsumptionOracle& oracle;
  bool operator()(const std::string& system, const std::string& ancestor,
                  const std::string& descendant) const {
    return ancestor == descendant || (oracle && oracle(system, ancestor, descendant));
  }
};

std::string systemName(const std::string& system) {
  if (system == "http://snomed.info/sct") return "SNOMED CT";
  return system;
}

std::string conceptText(const std::string& system, const std::string& id,
                        const std::string& label) {
  return systemName(system) + " " + id + (label.empty() ? "" : " |" + label + "|");
}

// The best-informed relation over all pairs of bindings in a common system: a side that covers
// concept X (exact, close or narrowMatch) subsumes a side within concept Y (exact, close or
// broadMatch) when X subsumes Y.
ConceptLink relateConcepts(const std::vector<Binding>& as, const std::vector<Binding>& bs,
                           const Subsumes& sub) {
  auto rank = [](const std::string& r) {
    return r == "same" ? 4 : r == "different" ? 2 : r == "indeterminate" ? 1 : 3;
  };
  ConceptLink best;
  best.relation = "indeterminate";
  bool found = false;
  for (const auto& x : as)
    for (const auto& y : bs) {
      if (x.system != y.system) continue;
      const bool aOverB =
          coversConcept(x.predicate) && withinConcept(y.predicate) && sub(x.system, x.id, y.id);
      const bool bOverA =
          coversConcept(y.predicate) && withinConcept(x.predicate) && sub(x.system, y.id, x.id);
      ConceptLink l;
      l.relation = aOverB && bOverA                                     ? "same"
                   : aOverB                                             ? "a-subsumes-b"
                   : bOverA                                             ? "b-subsumes-a"
                   : isExactish(x.predicate) && isExactish(y.predicate) ? "different"
                                                                        : "indeterminate";
      l.approximate = isClose(x.predicate) || isClose(y.predicate);
      l.system = x.system;
      l.concept_a = x.id;
      l.concept_b = y.id;
      l.label_a = x.label;
      l.label_b = y.label;
      l.predicate_a = x.predicate;
      l.predicate_b = y.predicate;
      const bool better =
          !found || rank(l.relation) > rank(best.relation) ||
          (rank(l.relation) == rank(best.relation) && best.approximate && !l.approximate);
      if (better) best = l;
      found = true;
    }
  return best;
}

void compareConcepts(Result& r, const CompatSide& a, const CompatSide& b, const Subsumes& sub) {
  const auto as = variableBindings(a), bs = variableBindings(b);
  auto unbound = [&](const CompatSide& s, const char* side) {
    const bool noMatch = reviewedAsNoMatch(s);
    const std::string key = s.variable.key();
    r.reason(kUnbound, std::string("unbound-") + side,
             std::string("Variabel ") + char(std::toupper(side[0])) +
                 (noMatch ? " är granskad och saknar motsvarande begrepp, så det går inte att "
                            "avgöra om den mäter samma sak."
                          : " saknar godkänd koppling till ett begrepp, så det går inte att "
                            "avgöra om den mäter samma sak."),
             std::string("Variable ") + char(std::toupper(side[0])) +
                 (noMatch ? " was reviewed and has no matching concept, so whether it measures "
                            "the same thing cannot be decided."
                          : " has no approved concept binding, so whether it measures the same "
                            "thing cannot be decided."),
             {{"side", side}, {"variable", key}, {"no_term_found", noMatch ? "true" : "false"}});
  };
  if (as.empty()) unbound(a, "a");
  if (bs.empty()) unbound(b, "b");
  if (as.empty() || bs.empty()) {
    r.c.concepts.relation = "unbound";
    return;
  }
  ConceptLink l = relateConcepts(as, bs, sub);
  r.c.concepts = l;
  const std::string ca = conceptText(l.system, l.concept_a, l.label_a);
  const std::string cb = conceptText(l.system, l.concept_b, l.label_b);
  const Details d = {{"system", l.system},
                     {"concept_a", l.concept_a},
                     {"concept_b", l.concept_b},
                     {"predicate_a", l.predicate_a},
                     {"predicate_b", l.predicate_b}};
  if (l.relation == "same") {
    r.reason(kIdentical, "concept-same",
             l.concept_a == l.concept_b ? "Båda är kopplade till samma begrepp: " + ca + "."
                                        : "Begreppen är likvärdiga: A " + ca + ", B " + cb + ".",
             l.concept_a == l.concept_b
                 ? "Both are bound to the same concept: " + ca + "."
                 : "The concepts are equivalent: A " + ca + ", B " + cb + ".",
             d);
  } else if (l.relation == "a-subsumes-b" || l.relation == "b-subsumes-a") {
    const bool aBroader = l.relation == "a-subsumes-b";
    const std::string broad = aBroader ? "A" : "B", narrow = aBroader ? "B" : "A";
    const std::string cBroad = aBroader ? ca : cb, cNarrow = aBroader ? cb : ca;
    Details dd = d;
    dd.emplace_back("broader", aBroader ? "a" : "b");
    r.reason(kPartial, "concept-subsumes",
             broad + ":s begrepp " + cBroad + " är bredare än " + narrow + ":s " + cNarrow +
                 ", som det omfattar; bara den del av " + broad + ":s data som hör till " + narrow +
                 ":s begrepp motsvarar " + narrow + ".",
             broad + "'s concept " + cBroad + " is broader than " + narrow + "'s " + cNarrow +
                 ", which it subsumes; only part of " + broad + "'s data corresponds to " + narrow +
                 ".",
             std::move(dd));
  } else if (l.relation == "different") {
    r.reason(kIncompatible, "concept-different",
             "Begreppen är olika och inget av dem omfattar det andra: A " + ca + ", B " + cb + ".",
             "The concepts differ and neither subsumes the other: A " + ca + ", B " + cb + ".", d);
    return;
  } else {
    std::set<std::string> sa, sb;
    for (const auto& x : as) sa.insert(x.system);
    for (const auto& y : bs) sb.insert(y.system);
    std::vector<std::string> common;
    std::set_intersection(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(common));
    r.reason(kUndetermined, "concept-indeterminate",
             common.empty() ? "Kopplingarna är till olika kodsystem och kan inte jämföras."
                            : "Kopplingarna (bredare eller smalare matchningar) avgör inte hur "
                              "begreppen förhåller sig till varandra.",
             common.empty() ? "The bindings are to different code systems and cannot be compared."
                            : "The bindings (broader or narrower matches) do not decide how the "
                              "concepts relate.",
             {{"common_systems", joined(common)}});
    return;
  }
  if (l.approximate)
    r.reason(kPartial, "concept-close-match",
             "Minst en av kopplingarna är en closeMatch: begreppen är närliggande men inte "
             "säkert desamma.",
             "At least one binding is a closeMatch: the concepts are close but not certainly the "
             "same.",
             d);
}

// ---- Code meanings ---------------------------------------------------------------------------

// What a code's label says, for matching it to a code of another list. Deliberately simple and
// explainable: the same normalised label, or the same content words (light Swedish/English
// stemming, so "Rökare" and "Röker" agree) with the same negation; a label refines another when
// it says everything the other says and more ("Röker dagligen" within "Röker", "Ja, delvis"
// within "Ja"). Parenthesised text is a qualifier that must agree: "(slutat för mer än tre
// månader sedan)" is a definition, not decoration.
struct Meaning {
  std::string full;             // all words, case and diacritics folded
  int yesno = 0;                // +1 / -1 when the label begins with a yes or no word
  bool negative = false;        // a no word, or a negated content word
  bool former = false;          // "före detta", "tidigare", "former", "ex-"
  std::set<std::string> stems;  // content words outside parentheses; "!x" when negated
  std::string qualifier;        // words inside parentheses

  // "Vet ej", "Okänt", "Uppgift saknas": an answer that is no category at all. It may equal
  // another such answer but never lies within a category ("Vet ej" is not a kind of "Nej").
  bool dontKnow = false;

  bool meaningful() const { return (!stems.empty() || yesno != 0) && !dontKnow; }
};

bool among(const std::string& w, std::initializer_list<const char*> list) {
  for (const char* x : list)
    if (w == x) return true;
  return false;
}

std::string stem(const std::string& w) {
  static const char* kSuffixes[] = {
      "heterna", "hetens", "arnas", "ernas", "ornas", "andes", "arens", "andet", "anden", "heten",
      "heter",   "ingen",  "arna",  "erna",  "orna",  "ande",  "arne",  "aste",  "ning",  "ing",
      "are",     "ade",    "ast",   "het",   "ens",   "ern",   "ers",   "ly",    "en",    "ar",
      "er",      "or",     "as",    "es",    "at",    "ad",    "a",     "e",     "s"};
  if (w.empty() || (w[0] >= '0' && w[0] <= '9')) return w;
  for (const char* suffix : kSuffixes) {
    const std::string sfx = suffix;
    if (w.size() >= sfx.size() + 3 && w.compare(w.size() - sfx.size(), sfx.size(), sfx) == 0)
      return w.substr(0, w.size() - sfx.size());
  }
  return w;
}

std::string normalised(const std::string& s) {
  return joined(text::words(text::foldDiacritics(s)), " ");
}

// `binaryDigits`: the list has just the labels 1 and 0, which then mean yes and no.
Meaning analyse(const std::string& label, bool binaryDigits) {
  Meaning m;
  m.full = normalised(label);
  for (const auto& w : text::words(text::foldDiacritics(label)))
    if (among(w, {"vet", "okant", "okand", "saknas", "uppfattning", "unknown", "know", "known"}))
      m.dontKnow = true;
  std::string outside, inside;
  int depth = 0;
  for (char c : label) {
    if (c == '(' || c == '[') {
      ++depth;
      inside += ' ';
    } else if ((c == ')' || c == ']') && depth > 0) {
      --depth;
      inside += ' ';
    } else {
      (depth > 0 ? inside : outside) += c;
    }
  }
  m.qualifier = normalised(inside);
  const auto words = text::words(text::foldDiacritics(outside));
  std::vector<std::string> order;  // stems in order, to negate the last one ("Röker inte")
  bool pendingNegation = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (i == 0 && (among(w, {"ja", "yes", "sant", "true"}) || (binaryDigits && w == "1"))) {
      m.yesno = 1;
      continue;
    }
    if (i == 0 && (among(w, {"nej", "no", "falskt", "false"}) || (binaryDigits && w == "0"))) {
      m.yesno = -1;
      m.negative = true;
      continue;
    }
    if (among(w, {"och", "eller", "i",     "pa",  "av",  "for",  "med", "till", "som",
                  "det", "den",   "detta", "ett", "the", "and",  "or",  "of",   "a",
                  "an",  "in",    "on",    "at",  "to",  "with", "per"}))
      continue;
    if (among(w, {"fore", "tidigare", "fd", "former", "formerly", "ex", "previous", "previously",
                  "slutat", "quit"}) ||
        (w == "f" && i + 1 < words.size() && words[i + 1] == "d")) {
      m.former = true;
      if (w == "f") ++i;
      continue;
    }
    if (among(w, {"ej", "inte", "icke", "ingen", "inga", "inget", "aldrig", "not", "no", "non",
                  "never", "none", "nej"})) {
      m.negative = true;
      pendingNegation = true;
      if (w == "aldrig" || w == "never") m.stems.insert(w);  // never is narrower than not
      continue;
    }
    std::string s = stem(w);
    if (pendingNegation) s = "!" + s;
    pendingNegation = false;
    m.stems.insert(s);
    order.push_back(s);
  }
  if (pendingNegation && !order.empty() && order.back()[0] != '!') {
    m.stems.erase(order.back());
    m.stems.insert("!" + order.back());
  }
  return m;
}

bool sameMeaning(const Meaning& x, const Meaning& y) {
  if (x.dontKnow || y.dontKnow) return x.dontKnow && y.dontKnow;
  if (x.negative != y.negative || x.former != y.former || x.qualifier != y.qualifier) return false;
  if (x.stems.empty() && y.stems.empty()) return x.yesno != 0 && x.yesno == y.yesno;
  return x.stems == y.stems;
}

// Whether category `fine` lies within category `coarse`.
bool refines(const Meaning& fine, const Meaning& coarse) {
  if (!coarse.meaningful() || fine.dontKnow || fine.negative != coarse.negative ||
      fine.former != coarse.former)
    return false;
  if (fine.yesno != 0 && coarse.yesno != 0 && fine.yesno != coarse.yesno) return false;
  if (!coarse.qualifier.empty() && coarse.qualifier != fine.qualifier) return false;
  if (!std::includes(fine.stems.begin(), fine.stems.end(), coarse.stems.begin(),
                     coarse.stems.end()))
    return false;
  return fine.stems.size() > coarse.stems.size() ||
         (coarse.qualifier.empty() && !fine.qualifier.empty()) ||
         (coarse.yesno != 0 && fine.yesno == 0 && !fine.stems.empty());
}

struct Item {
  std::string code;
  Text label;
  bool missing = false;
  std::vector<Binding> concepts;  // approved value-level bindings
  Meaning sv, en;
};

bool sameMissing(const Item& x, const Item& y) {
  auto label = [](const Text& t, bool sv) { return normalised(sv ? t.sv : t.en); };
  return x.code == y.code ||
         (!x.label.sv.empty() && label(x.label, true) == label(y.label, true)) ||
         (!x.label.en.empty() && label(x.label, false) == label(y.label, false));
}

struct Codes {
  std::vector<Item> items;
  bool integers = false;  // a virtual list of an integer range: match by code value
};

void addMissingCodes(Codes& out, const Variable& v) {
  for (const auto& mc : v.missing_codes) {
    const bool listed = std::any_of(out.items.begin(), out.items.end(),
                                    [&](const Item& i) { return i.code == mc.code; });
    if (!listed) out.items.push_back({mc.code, mc.label, true, {}, {}, {}});
  }
}

void finish(Codes& out, const CompatSide& side) {
  addMissingCodes(out, side.variable);
  for (auto& i : out.items)
    for (const auto& m : side.mappings)
      if (approved(m) && m.subject.code == i.code && isExactish(m.predicate))
        i.concepts.push_back({m.system, m.concept_id, m.concept_label, m.predicate});
  std::vector<std::string> labels;
  for (const auto& i : out.items)
    if (!i.missing) labels.push_back(normalised(i.label.sv.empty() ? i.code : i.label.sv));
  std::sort(labels.begin(), labels.end());
  const bool binaryDigits = labels == std::vector<std::string>{"0", "1"};
  out.integers = out.integers && !binaryDigits;  // 0/1 is no and yes, not two numbers
  for (auto& i : out.items) {
    i.sv = analyse(i.label.sv.empty() && i.label.en.empty() ? i.code : i.label.sv, binaryDigits);
    i.en = analyse(i.label.en, binaryDigits);
  }
}

Codes codesOf(const CompatSide& side) {
  Codes out;
  const auto& v = side.variable;
  if (v.datatype == "boolean") {
    out.items.push_back({"true", {"Ja", "Yes"}, false, {}, {}, {}});
    out.items.push_back({"false", {"Nej", "No"}, false, {}, {}, {}});
  } else if (v.datatype == "integer") {
    out.integers = true;
    for (auto n = static_cast<long long>(*v.min); n <= static_cast<long long>(*v.max); ++n) {
      const std::string s = std::to_string(n);
      const bool missing = std::any_of(v.missing_codes.begin(), v.missing_codes.end(),
                                       [&](const MissingCode& mc) { return mc.code == s; });
      out.items.push_back({s, {s, s}, missing, {}, {}, {}});
    }
  } else if (side.codes) {
    for (const auto& ci : side.codes->items) {
      const bool missing =
          ci.is_missing || std::any_of(v.missing_codes.begin(), v.missing_codes.end(),
                                       [&](const MissingCode& mc) { return mc.code == ci.code; });
      out.items.push_back({ci.code, ci.label, missing, {}, {}, {}});
    }
  }
  finish(out, side);
  return out;
}

// An integer variable whose range is small enough to be a set of categories (a score, 0/1).
bool smallIntegerRange(const Variable& v) {
  return v.datatype == "integer" && v.min && v.max && std::floor(*v.min) == *v.min &&
         std::floor(*v.max) == *v.max && *v.max >= *v.min && *v.max - *v.min < 20;
}

std::optional<long long> asInteger(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  for (size_t j = i; j < s.size(); ++j)
    if (s[j] < '0' || s[j] > '9') return std::nullopt;
  return std::stoll(s);
}

struct Edge {
  std::string relation;  // same, a-narrower, b-narrower
  std::string basis;
  int score = 0;  // 0: no edge
};

Edge matchItems(const Item& x, const Item& y, bool byCode, const Subsumes& sub) {
  if (byCode) {
    const auto nx = asInteger(x.code), ny = asInteger(y.code);
    if (nx && ny && *nx == *ny) return {"same", "code", 3};
    return {};
  }
  bool commonSystem = false;
  for (const auto& cx : x.concepts)
    for (const auto& cy : y.concepts) {
      if (cx.system != cy.system) continue;
      commonSystem = true;
      if (cx.id == cy.id) return {"same", "concept", 4};
    }
  if (commonSystem) {
    for (const auto& cx : x.concepts)
      for (const auto& cy : y.concepts) {
        if (cx.system != cy.system) continue;
        if (sub(cx.system, cy.id, cx.id)) return {"a-narrower", "concept", 3};
        if (sub(cx.system, cx.id, cy.id)) return {"b-narrower", "concept", 3};
      }
    return {};  // value-level bindings say they differ: labels do not overrule them
  }
  Edge best;
  auto consider = [&](const Meaning& mx, const Meaning& my) {
    if (mx.full.empty() || my.full.empty()) return;
    Edge e;
    if (mx.full == my.full && mx.meaningful())
      e = {"same", "label", 3};
    else if (sameMeaning(mx, my))
      e = {"same", mx.stems.empty() ? "yes-no" : "stem", 2};
    else if (refines(mx, my))
      e = {"a-narrower", my.stems.empty() ? "yes-no" : "stem", 1};
    else if (refines(my, mx))
      e = {"b-narrower", mx.stems.empty() ? "yes-no" : "stem", 1};
    if (e.score > best.score) best = e;
  };
  consider(x.sv, y.sv);
  consider(x.en, y.en);
  return best;
}

struct Crosswalked {
  Crosswalk cw;
  // The pairs as recode tables, each in the order of its source list.
  std::vector<RecodeEntry> aToB, bToA;
};

Crosswalked crosswalk(const Codes& a, const Codes& b, const Subsumes& sub) {
  Crosswalked out;
  Crosswalk& cw = out.cw;
  const bool byCode = a.integers || b.integers;
  std::vector<size_t> ia, ib;  // non-missing items
  for (size_t i = 0; i < a.items.size(); ++i)
    (a.items[i].missing ? cw.missing_a.push_back(a.items[i].code) : ia.push_back(i));
  for (size_t j = 0; j < b.items.size(); ++j)
    (b.items[j].missing ? cw.missing_b.push_back(b.items[j].code) : ib.push_back(j));

  // Each category's image: the one category of the other list it equals or lies within.
  // Ties between different codes are ambiguous and leave it without an image.
  std::vector<std::vector<Edge>> edge(a.items.size(), std::vector<Edge>(b.items.size()));
  for (size_t i : ia)
    for (size_t j : ib) edge[i][j] = matchItems(a.items[i], b.items[j], byCode, sub);
  std::set<std::pair<size_t, size_t>> chosen;
  auto pick = [&](size_t self, const std::vector<size_t>& others, bool fromA) {
    int bestScore = 0;
    std::vector<size_t> best;
    for (size_t o : others) {
      const Edge& e = fromA ? edge[self][o] : edge[o][self];
      const bool upward =
          e.relation == "same" || e.relation == (fromA ? "a-narrower" : "b-narrower");
      if (!upward || e.score == 0 || e.score < bestScore) continue;
      if (e.score > bestScore) best.clear();
      bestScore = e.score;
      best.push_back(o);
    }
    if (best.size() > 1) {
      const std::string& code = (fromA ? a.items[self] : b.items[self]).code;
      auto same = std::find_if(best.begin(), best.end(), [&](size_t o) {
        return (fromA ? b.items[o] : a.items[o]).code == code;
      });
      if (same == best.end()) return;
      best = {*same};
    }
    if (best.size() == 1)
      chosen.insert(fromA ? std::pair(self, best[0]) : std::pair(best[0], self));
  };
  for (size_t i : ia) pick(i, ib, true);
  for (size_t j : ib) pick(j, ia, false);

  std::vector<int> degA(a.items.size()), degB(b.items.size());
  for (auto [i, j] : chosen) {
    ++degA[i];
    ++degB[j];
    const Edge& e = edge[i][j];
    cw.pairs.push_back({a.items[i].code, b.items[j].code, e.relation, e.basis, false});
    out.aToB.push_back({a.items[i].code, b.items[j].code, false});
  }
  std::vector<std::pair<size_t, size_t>> byB(chosen.begin(), chosen.end());
  std::sort(byB.begin(), byB.end(), [](const auto& x, const auto& y) {
    return std::pair(x.second, x.first) < std::pair(y.second, y.first);
  });
  for (auto [i, j] : byB) out.bToA.push_back({b.items[j].code, a.items[i].code, false});
  for (size_t i : ia)
    if (degA[i] == 0) cw.unmapped_a.push_back(a.items[i].code);
  for (size_t j : ib)
    if (degB[j] == 0) cw.unmapped_b.push_back(b.items[j].code);

  const int maxA = ia.empty() ? 0 : *std::max_element(degA.begin(), degA.end());
  const int maxB = ib.empty() ? 0 : *std::max_element(degB.begin(), degB.end());
  if (chosen.empty()) {
    cw.shape = "none";
  } else if (maxA <= 1 && maxB <= 1) {
    const bool complete = cw.unmapped_a.empty() && cw.unmapped_b.empty();
    const bool sameCodes =
        std::all_of(cw.pairs.begin(), cw.pairs.end(), [](const CrosswalkPair& p) {
          return p.relation == "same" && (p.basis == "concept" || p.basis == "label") &&
                 p.code_a == p.code_b;
        });
    cw.shape = !complete ? "partial-overlap" : sameCodes ? "identical" : "one-to-one";
  } else if (maxA <= 1) {
    cw.shape = "many-to-one";
    cw.direction = "a-to-b";
  } else if (maxB <= 1) {
    cw.shape = "many-to-one";
    cw.direction = "b-to-a";
  } else {
    cw.shape = "many-to-many";
  }

  // Missing-value codes pair up by code or by meaning, so a recode table can carry them too.
  std::set<size_t> usedB;
  for (size_t i = 0; i < a.items.size(); ++i) {
    if (!a.items[i].missing) continue;
    for (size_t j = 0; j < b.items.size(); ++j) {
      if (!b.items[j].missing || usedB.count(j)) continue;
      const Item &x = a.items[i], &y = b.items[j];
      if (!sameMissing(x, y)) continue;
      usedB.insert(j);
      cw.pairs.push_back({x.code, y.code, "same", x.code == y.code ? "code" : "label", true});
      out.aToB.push_back({x.code, y.code, true});
      out.bToA.push_back({y.code, x.code, true});
      break;
    }
  }
  return out;
}

std::string tableText(const std::vector<RecodeEntry>& t) {
  std::vector<std::string> parts;
  for (const auto& e : t)
    if (!e.missing) parts.push_back(e.from + "→" + e.to);
  return joined(parts);
}

void applyCrosswalk(Result& r, const Crosswalked& x) {
  const Crosswalk& cw = x.cw;
  r.c.crosswalk = cw;
  Transform& t = r.c.transform;
  const bool aFine = cw.direction != "b-to-a";
  const std::string from = aFine ? "A" : "B", to = aFine ? "B" : "A";
  auto table = [&]() {
    t.from = aFine ? "a" : "b";
    t.table = aFine ? x.aToB : x.bToA;
    t.unmapped_from = aFine ? cw.unmapped_a : cw.unmapped_b;
    t.unmapped_to = aFine ? cw.unmapped_b : cw.unmapped_a;
  };
  const Details shape = {{"shape", cw.shape}, {"direction", cw.direction}};
  if (cw.shape == "identical") {
    r.reason(kIdentical, "codes-identical", "Kodlistorna har samma koder med samma betydelser.",
             "The code lists have the same codes with the same meanings.", shape);
  } else if (cw.shape == "one-to-one") {
    table();
    t.kind = "recode";
    r.reason(kCompatible, "codes-one-to-one",
             "Koderna motsvarar varandra ett till ett och kan kodas om utan förlust: " +
                 tableText(t.table) + ".",
             "The codes correspond one to one and can be recoded without loss: " +
                 tableText(t.table) + ".",
             shape);
  } else if (cw.shape == "many-to-one") {
    table();
    t.kind = "lossy-recode";
    r.reason(kPartial, "codes-many-to-one",
             from + " har en finare indelning än " + to + ": flera av " + from +
                 ":s koder motsvarar samma kod i " + to + " (" + tableText(t.table) +
                 "), så skillnaden mellan dem går förlorad.",
             from + " is more finely divided than " + to + ": several of " + from +
                 "'s codes correspond to one code of " + to + " (" + tableText(t.table) +
                 "), so the distinction between them is lost.",
             shape);
  } else if (cw.shape == "partial-overlap") {
    table();
    t.kind = "lossy-recode";
  } else if (cw.shape == "many-to-many") {
    r.reason(kPartial, "codes-many-to-many",
             "Kodlistornas kategorier överlappar på ett sätt som ingen enkel omkodning kan "
             "återge; se korstabellen.",
             "The categories overlap in a way no single recode can express; see the crosswalk.",
             shape);
  } else {
    r.reason(kUndetermined, "codes-unmatched",
             "Ingen av kodernas betydelser gick att para ihop, varken via begrepp eller "
             "etiketter; kopplingar på kodnivå skulle avgöra saken.",
             "None of the codes' meanings could be matched, by concept or by label; value-level "
             "mappings would settle it.",
             shape);
  }
  if ((!cw.unmapped_a.empty() || !cw.unmapped_b.empty()) && cw.shape != "none") {
    auto list = [](const std::vector<std::string>& v, bool sv) {
      return v.empty() ? std::string(sv ? "inga" : "none") : joined(v);
    };
    r.reason(kPartial, "codes-unmapped",
             "Koder utan motsvarighet på andra sidan: A " + list(cw.unmapped_a, true) + "; B " +
                 list(cw.unmapped_b, true) + ".",
             "Codes without a counterpart on the other side: A " + list(cw.unmapped_a, false) +
                 "; B " + list(cw.unmapped_b, false) + ".",
             {{"unmapped_a", joined(cw.unmapped_a)}, {"unmapped_b", joined(cw.unmapped_b)}});
  }
  if (t.kind == "recode") {
    t.sv = "Koda om " + from + ":s koder till " + to + ":s: " + tableText(t.table) + ".";
    t.en = "Recode " + from + "'s codes to " + to + "'s: " + tableText(t.table) + ".";
  } else if (t.kind == "lossy-recode") {
    const auto& u = t.unmapped_from;
    const std::string lostSv = u.empty() ? ""
                               : u.size() == 1
                                   ? " Kod " + u[0] + " har ingen motsvarighet."
                                   : " Koderna " + joined(u) + " har ingen motsvarighet.";
    const std::string lostEn = u.empty()       ? ""
                               : u.size() == 1 ? " Code " + u[0] + " has no counterpart."
                                               : " Codes " + joined(u) + " have no counterpart.";
    t.sv = "Koda om " + from + ":s koder till " + to +
           ":s grövre eller ofullständiga indelning: " + tableText(t.table) + "." + lostSv;
    t.en = "Recode " + from + "'s codes to " + to +
           "'s coarser or incomplete division: " + tableText(t.table) + "." + lostEn;
  } else if (cw.shape == "many-to-many") {
    t.sv = "Ingen enkel omkodning finns; en gemensam grövre indelning måste definieras.";
    t.en = "No single recode exists; a common coarser division has to be defined.";
  }
}

// ---- Value domains ---------------------------------------------------------------------------

void compareUnits(Result& r, const CompatSide& a, const CompatSide& b) {
  auto trim = [](std::string s) {
    const auto begin = s.find_first_not_of(" \t");
    if (begin == std::string::npos) return std::string();
    return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
  };
  UnitLink& u = r.c.units;
  u.unit_a = trim(a.variable.unit);
  u.unit_b = trim(b.variable.unit);
  if (auto p = units::parse(u.unit_a)) u.canonical_a = p->canonical;
  if (auto p = units::parse(u.unit_b)) u.canonical_b = p->canonical;
  if (u.unit_a.empty() && u.unit_b.empty()) {
    u.relation = "none";
    return;
  }
  if (u.unit_a.empty() || u.unit_b.empty()) {
    // A pure number ("1", "{poäng}") says no more than no unit at all.
    const auto other = units::parse(u.unit_a.empty() ? u.unit_b : u.unit_a);
    if (other && other->dimension == units::Dimension{} && other->factor == 1 &&
        other->ratio_of == units::Dimension{}) {
      u.relation = "same";
      return;
    }
    const bool aMissing = u.unit_a.empty();
    u.relation = aMissing ? "missing-a" : "missing-b";
    const std::string has = aMissing ? "B" : "A", lacks = aMissing ? "A" : "B";
    const std::string unit = aMissing ? u.unit_b : u.unit_a;
    r.reason(kUndetermined, "unit-missing",
             lacks + " saknar enhet medan " + has + " anges i " + unit +
                 "; värdena kan inte jämföras förrän enheten är känd.",
             lacks + " has no unit while " + has + " is given in " + unit +
                 "; the values cannot be compared until the unit is known.",
             {{"side", aMissing ? "a" : "b"}, {"unit", unit}});
    return;
  }
  const units::Conversion conv = units::convert(u.unit_a, u.unit_b);
  u.note = conv.note;
  if (conv.relation == units::Relation::Unknown) {
    if (text::fold(u.unit_a) == text::fold(u.unit_b)) {
      u.relation = "same";  // not understood, but written alike
      return;
    }
    u.relation = "unknown";
    const std::string which = conv.note == "unknown-a"   ? u.unit_a
                              : conv.note == "unknown-b" ? u.unit_b
                                                         : u.unit_a + ", " + u.unit_b;
    r.reason(kUndetermined, "unit-unknown",
             "Enheten " + which + " är okänd för regcat, så det går inte att avgöra om " +
                 u.unit_a + " och " + u.unit_b + " är samma storhet.",
             "regcat does not know the unit " + which + ", so whether " + u.unit_a + " and " +
                 u.unit_b + " are the same quantity cannot be decided.",
             {{"note", conv.note}});
    return;
  }
  if (conv.relation == units::Relation::Same) {
    u.relation = "same";
    return;
  }
  if (conv.relation == units::Relation::DifferentDimension) {
    u.relation = "different-dimension";
    std::string sv = "Enheterna " + u.unit_a + " och " + u.unit_b +
                     " mäter olika storheter och kan inte räknas om till varandra.";
    std::string en = "The units " + u.unit_a + " and " + u.unit_b +
                     " measure different quantities and do not convert.";
    if (conv.note == "molar-mass-needed") {
      sv +=
          " Substansmängd (mol) och massa (g) kan bara räknas om med ämnets molmassa, som "
          "regcat inte känner till.";
      en +=
          " Amount of substance (mol) and mass (g) convert only with the substance's molar "
          "mass, which regcat does not know.";
    } else if (conv.note == "body-surface-normalised") {
      sv +=
          " Den ena är normaliserad till 1,73 m² kroppsyta, den andra inte; omräkning kräver "
          "varje patients kroppsyta.";
      en +=
          " One is normalised to 1.73 m² body surface and the other is not; converting needs "
          "each patient's body surface.";
    } else if (conv.note == "different-ratios") {
      sv +=
          " Båda är kvoter, men av olika storheter (t.ex. HbA1c i % och i mmol/mol, som hänger "
          "ihop via en ekvation, inte en faktor).";
      en +=
          " Both are ratios, but of different quantities (e.g. HbA1c in % and in mmol/mol, "
          "related by an equation, not a factor).";
    } else if (conv.note == "arbitrary-units") {
      sv +=
          " Internationella enheter (IE) är ämnesspecifika och kan inte räknas om till andra "
          "enheter.";
      en +=
          " International units (IU) are specific to a substance and do not convert to other "
          "units.";
    }
    r.reason(kIncompatible, "unit-dimension-differs", sv, en,
             {{"unit_a", u.unit_a}, {"unit_b", u.unit_b}, {"note", conv.note}});
    return;
  }
  u.relation = "convertible";
  u.factor = conv.factor;
  u.offset = conv.offset;
  Transform& t = r.c.transform;
  t.kind = "unit-factor";
  t.from = "a";
  t.factor = conv.factor;
  t.offset = conv.offset;
  t.from_unit = u.unit_a;
  t.to_unit = u.unit_b;
  const bool wholeFactor = std::floor(conv.factor) == conv.factor && conv.factor >= 1 &&
                           std::floor(conv.offset) == conv.offset;
  if (!wholeFactor || a.variable.datatype == "decimal" || b.variable.datatype == "decimal")
    t.datatype = "decimal";
  const std::string offSv = conv.offset == 0 ? "" : " och lägg till " + number(conv.offset, true);
  const std::string offEn = conv.offset == 0 ? "" : " and add " + number(conv.offset, false);
  t.sv = "Multiplicera A:s värden i " + u.unit_a + " med " + number(conv.factor, true) + offSv +
         " för att få " + u.unit_b + ".";
  t.en = "Multiply A's values in " + u.unit_a + " by " + number(conv.factor, false) + offEn +
         " to get " + u.unit_b + ".";
  r.reason(kCompatible, "unit-convertible",
           "Enheterna " + u.unit_a + " och " + u.unit_b +
               " mäter samma storhet och räknas om utan förlust: värde i " + u.unit_b +
               " = värde i " + u.unit_a + " × " + number(conv.factor, true) + offSv + ".",
           "The units " + u.unit_a + " and " + u.unit_b +
               " measure the same quantity and convert without loss: value in " + u.unit_b +
               " = value in " + u.unit_a + " × " + number(conv.factor, false) + offEn + ".",
           {{"unit_a", u.unit_a},
            {"unit_b", u.unit_b},
            {"factor", number(conv.factor, false)},
            {"offset", number(conv.offset, false)}});
}

void compareNumbers(Result& r, const CompatSide& a, const CompatSide& b) {
  const auto& ta = a.variable.datatype;
  const auto& tb = b.variable.datatype;
  compareUnits(r, a, b);
  if (ta != tb) {
    const bool aInt = ta == "integer";
    Transform& t = r.c.transform;
    t.datatype = "decimal";
    if (t.kind == "none") {
      t.kind = "cast";
      t.from = aInt ? "a" : "b";
      t.sv = std::string("Behandla ") + (aInt ? "A" : "B") + ":s heltal som decimaltal.";
      t.en = std::string("Treat ") + (aInt ? "A" : "B") + "'s integers as decimals.";
    }
    r.reason(kCompatible, "numeric-widening",
             std::string(aInt ? "A" : "B") + " är heltal och " + (aInt ? "B" : "A") +
                 " decimaltal; heltalen kan behandlas som decimaltal utan förlust.",
             std::string(aInt ? "A" : "B") + " is an integer and " + (aInt ? "B" : "A") +
                 " a decimal; the integers can be treated as decimals without loss.",
             {{"datatype", "decimal"}});
  }
}

std::string itemText(const Item& i) {
  return i.label.sv.empty() ? i.code : i.code + " (" + i.label.sv + ")";
}

// Missing-value codes never decide the grade, but pooling needs them aligned, so say whether
// they correspond.
void reportMissing(Result& r, const std::vector<Item>& ma, const std::vector<Item>& mb) {
  if (ma.empty() && mb.empty()) return;
  size_t matched = 0;
  std::set<size_t> used;
  for (const auto& x : ma)
    for (size_t j = 0; j < mb.size(); ++j)
      if (!used.count(j) && sameMissing(x, mb[j])) {
        used.insert(j);
        ++matched;
        break;
      }
  auto list = [](const std::vector<Item>& v, bool sv) {
    std::vector<std::string> parts;
    for (const auto& i : v) parts.push_back(itemText(i));
    return parts.empty() ? std::string(sv ? "inga" : "none") : joined(parts);
  };
  auto codes = [](const std::vector<Item>& v) {
    std::vector<std::string> out;
    for (const auto& i : v) out.push_back(i.code);
    return joined(out);
  };
  const Details d = {{"missing_a", codes(ma)}, {"missing_b", codes(mb)}};
  if (matched == ma.size() && matched == mb.size())
    r.reason(kIdentical, "missing-codes",
             "Koder för saknade värden lämnas utanför jämförelsen och motsvarar varandra: A " +
                 list(ma, true) + "; B " + list(mb, true) + ".",
             "Missing-value codes are left out of the comparison and correspond: A " +
                 list(ma, false) + "; B " + list(mb, false) + ".",
             d);
  else
    r.reason(kIdentical, "missing-codes-differ",
             "Koderna för saknade värden skiljer sig och behöver samordnas vid sammanslagning: A " +
                 list(ma, true) + "; B " + list(mb, true) + ".",
             "The missing-value codes differ and need aligning when pooling: A " + list(ma, false) +
                 "; B " + list(mb, false) + ".",
             d);
}

std::vector<Item> missingItems(const Codes& c) {
  std::vector<Item> out;
  for (const auto& i : c.items)
    if (i.missing) out.push_back(i);
  return out;
}

std::vector<Item> missingItems(const Variable& v) {
  std::vector<Item> out;
  for (const auto& mc : v.missing_codes) out.push_back({mc.code, mc.label, true, {}, {}, {}});
  return out;
}

void compareDomains(Result& r, const CompatSide& a, const CompatSide& b, const Subsumes& sub) {
  const auto& va = a.variable;
  const auto& vb = b.variable;
  const std::string& ta = va.datatype;
  const std::string& tb = vb.datatype;
  const Details types = {{"datatype_a", ta}, {"datatype_b", tb}};
  auto categorical = [](const Variable& v) {
    return v.datatype == "code" || v.datatype == "boolean";
  };
  auto side = [](bool isA) { return std::string(isA ? "A" : "B"); };
  auto sameType = [&]() {
    r.reason(kIdentical, "domain-same", "Samma datatyp (" + ta + ").",
             "The same datatype (" + ta + ").", types);
  };
  auto categorise = [&](bool aNumeric) {
    Transform& t = r.c.transform;
    t.kind = "categorise";
    t.from = aNumeric ? "a" : "b";
    t.datatype = aNumeric ? tb : ta;
    t.sv = "Dela in " + side(aNumeric) + ":s värden i " + side(!aNumeric) +
           ":s kategorier; gränserna måste hämtas ur " + side(!aNumeric) + ":s definitioner.";
    t.en = "Divide " + side(aNumeric) + "'s values into " + side(!aNumeric) +
           "'s categories; the cut-points must be taken from " + side(!aNumeric) +
           "'s definitions.";
    r.reason(kPartial, "continuous-to-categories",
             side(aNumeric) + " är ett tal och " + side(!aNumeric) +
                 " en indelning i kategorier; talen kan delas in i kategorierna men inte "
                 "tvärtom, så detaljen går förlorad.",
             side(aNumeric) + " is a number and " + side(!aNumeric) +
                 " a set of categories; the numbers can be divided into the categories but not "
                 "the other way round, so the detail is lost.",
             types);
  };

  if (isNumeric(ta) && isNumeric(tb)) {
    compareNumbers(r, a, b);
    if (ta == tb && (r.c.units.relation == "same" || r.c.units.relation == "none")) {
      const auto& u = r.c.units;
      const bool written = u.relation == "same" && u.unit_a != u.unit_b;
      r.reason(kIdentical, "domain-same",
               "Samma datatyp (" + ta + ") och " +
                   (u.relation == "none"
                        ? std::string("ingen enhet på någon sida")
                        : "samma enhet (" + u.unit_a + (written ? " = " + u.unit_b : "") + ")") +
                   ".",
               "The same datatype (" + ta + ") and " +
                   (u.relation == "none"
                        ? std::string("no unit on either side")
                        : "the same unit (" + u.unit_a + (written ? " = " + u.unit_b : "") + ")") +
                   ".",
               types);
    }
    reportMissing(r, missingItems(va), missingItems(vb));
  } else if ((ta == "date" || ta == "datetime") && (tb == "date" || tb == "datetime")) {
    if (ta == tb) {
      sameType();
    } else {
      const bool aTime = ta == "datetime";
      Transform& t = r.c.transform;
      t.kind = "truncate";
      t.from = aTime ? "a" : "b";
      t.datatype = "date";
      t.sv = "Korta " + side(aTime) + ":s tidpunkter till datum.";
      t.en = "Truncate " + side(aTime) + "'s timestamps to dates.";
      r.reason(kPartial, "datetime-to-date",
               side(aTime) + " är en tidpunkt och " + side(!aTime) +
                   " ett datum; klockslaget går förlorat.",
               side(aTime) + " is a date and time and " + side(!aTime) +
                   " a date; the time of day is lost.",
               types);
    }
  } else if (ta == tb && (ta == "string" || ta == "boolean")) {
    sameType();
  } else if (ta == "string" || tb == "string") {
    const bool aText = ta == "string";
    r.reason(kPartial, "free-text",
             side(aText) + " är fritext och " + side(!aText) + " strukturerad (" +
                 (aText ? tb : ta) + "); värdena kan bara slås samman som text.",
             side(aText) + " is free text and " + side(!aText) + " structured (" +
                 (aText ? tb : ta) + "); the values can only be pooled as text.",
             types);
  } else if ((categorical(va) || categorical(vb)) && (categorical(va) || isNumeric(ta)) &&
             (categorical(vb) || isNumeric(tb))) {
    if ((ta == "code" && !a.codes) || (tb == "code" && !b.codes)) {
      const bool aLacks = ta == "code" && !a.codes;
      r.reason(kUndetermined, "codes-unknown",
               side(aLacks) + ":s kodlista saknas, så koderna kan inte jämföras.",
               side(aLacks) + "'s code list is missing, so the codes cannot be compared.",
               {{"side", aLacks ? "a" : "b"}, {"codelist", aLacks ? va.codelist : vb.codelist}});
      return;
    }
    const bool aCategories = categorical(va) || smallIntegerRange(va);
    const bool bCategories = categorical(vb) || smallIntegerRange(vb);
    std::optional<Codes> ca, cb;
    std::optional<Crosswalked> x;
    if (aCategories && bCategories) {
      ca = codesOf(a);
      cb = codesOf(b);
      x = crosswalk(*ca, *cb, sub);
    }
    // A number, or a small integer range matching none of the codes, is divided into the
    // categories.
    if (!x || x->cw.shape == "none") {
      if (isNumeric(ta) || isNumeric(tb)) {
        categorise(isNumeric(ta));
        return;
      }
    }
    applyCrosswalk(r, *x);
    reportMissing(r, missingItems(*ca), missingItems(*cb));
  } else {
    r.reason(kIncompatible, "datatypes-incompatible",
             "Datatyperna " + ta + " och " + tb + " kan inte omvandlas till varandra.",
             "The datatypes " + ta + " and " + tb + " do not convert into each other.", types);
  }
}

void compareValidity(Result& r, const Variable& a, const Variable& b) {
  const std::string from = std::max(a.valid_from, b.valid_from);
  const std::string to = a.valid_to.empty()   ? b.valid_to
                         : b.valid_to.empty() ? a.valid_to
                                              : std::min(a.valid_to, b.valid_to);
  ValidityOverlap& v = r.c.validity;
  v.overlap = from.empty() || to.empty() || from <= to;
  if (v.overlap) {
    v.from = from;
    v.to = to;
    return;
  }
  auto period = [](const Variable& x) { return x.valid_from + "–" + x.valid_to; };
  r.reason(kIdentical, "periods-disjoint",
           "Giltighetsperioderna överlappar inte (A " + period(a) + ", B " + period(b) +
               "): data från samma tid kan inte slås samman.",
           "The validity periods do not overlap (A " + period(a) + ", B " + period(b) +
               "): the data cannot be pooled over the same time.",
           {{"valid_from_a", a.valid_from},
            {"valid_to_a", a.valid_to},
            {"valid_from_b", b.valid_from},
            {"valid_to_b", b.valid_to}});
}

}  // namespace

Compatibility compare(const CompatSide& a, const CompatSide& b, const SubsumptionOracle& subsumes) {
  Result r;
  const Subsumes sub{subsumes};
  compareConcepts(r, a, b, sub);
  compareDomains(r, a, b, sub);
  compareValidity(r, a.variable, b.variable);
  r.c.grade = gradeName(r.level);

  Transform& t = r.c.transform;
  if (r.c.concepts.relation == "different" || r.c.units.relation == "different-dimension" ||
      (r.level == kIncompatible && t.kind != "none")) {
    t = {};
    t.sv = "Ingen omvandling föreslås: variablerna kan inte slås samman.";
    t.en = "No transformation is proposed: the variables cannot be pooled.";
  } else if (t.kind == "none" && t.sv.empty()) {
    if (r.level == kIdentical) {
      t.sv = "Ingen omvandling behövs: data kan slås samman som de är.";
      t.en = "No transformation is needed: the data can be pooled as they are.";
    } else if (r.level == kIncompatible) {
      t.sv = "Ingen omvandling föreslås: variablerna kan inte slås samman.";
      t.en = "No transformation is proposed: the variables cannot be pooled.";
    } else {
      t.sv = "Värdena behöver ingen omvandling; se skälen för vad som ändå skiljer.";
      t.en = "The values need no transformation; see the reasons for what still differs.";
    }
  }
  return std::move(r.c);
}

}  // namespace regcat
