#include "importers/xml_document.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <utility>

#include "catalog/errors.h"
#include "catalog/text.h"

namespace regcat::xml {
namespace {

struct Problem {
  int line = 0, column = 0;
  bool fatal = false;
  std::string message;
};

// What the SAX callbacks of one parse found.
struct Capture {
  bool doctype = false;
  int doctypeLine = 0, doctypeColumn = 0;
  std::string doctypeName;
  std::vector<Problem> problems;  // errors in document order (the first few)
};

Capture* captureOf(void* userData) {
  // libxml2 passes ctxt->userData, which is the parser context itself unless replaced.
  auto* ctxt = static_cast<xmlParserCtxtPtr>(userData);
  return ctxt ? static_cast<Capture*>(ctxt->_private) : nullptr;
}

void onStructuredError(void* userData, xmlErrorPtr err) {
  Capture* c = captureOf(userData);
  if (!c || !err || err->level < XML_ERR_ERROR || c->problems.size() >= 20) return;
  Problem p;
  p.line = err->line;
  p.column = err->int2;
  p.fatal = err->level == XML_ERR_FATAL;
  p.message = err->message ? err->message : "malformed XML";
  while (!p.message.empty() && (p.message.back() == '\n' || p.message.back() == ' '))
    p.message.pop_back();
  c->problems.push_back(std::move(p));
}

// Called when <!DOCTYPE name ...> has been read and before its internal subset is: stopping
// here means not one entity declaration is ever seen.
void onDoctype(void* userData, const xmlChar* name, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(userData);
  Capture* c = captureOf(userData);
  if (c && !c->doctype) {
    c->doctype = true;
    c->doctypeLine = xmlSAX2GetLineNumber(userData);
    c->doctypeColumn = xmlSAX2GetColumnNumber(userData);
    c->doctypeName = name ? reinterpret_cast<const char*>(name) : "";
  }
  xmlStopParser(ctxt);
}

void silentGenericError(void*, const char*, ...) {}

// libxml2's generic error function prints to stderr by default; it is per thread, so it is
// silenced for the duration of one parse and then restored.
class GenericErrorSilencer {
 public:
  GenericErrorSilencer() : oldFn_(xmlGenericError), oldCtx_(xmlGenericErrorContext) {
    xmlSetGenericErrorFunc(nullptr, silentGenericError);
  }
  ~GenericErrorSilencer() { xmlSetGenericErrorFunc(oldCtx_, oldFn_); }
  GenericErrorSilencer(const GenericErrorSilencer&) = delete;
  GenericErrorSilencer& operator=(const GenericErrorSilencer&) = delete;

 private:
  xmlGenericErrorFunc oldFn_;
  void* oldCtx_;
};

struct CtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};

std::string place(const std::string& source, int line, int column) {
  if (line <= 0) return source;
  std::string w = source + ":" + std::to_string(line);
  if (column > 0) w += ":" + std::to_string(column);
  return w;
}

std::string_view view(const xmlChar* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

std::string collapse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string attrValue(const xmlAttr* a) {
  xmlChar* v = xmlNodeListGetString(a->doc, a->children, 1);
  std::string s = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return text::nfc(s);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

Document Document::parse(std::string_view utf8, const std::string& source, size_t maxSize) {
  if (utf8.size() > maxSize || utf8.size() > size_t(INT_MAX))
    throw Error(Error::Kind::TooLarge, source,
                "the XML document is " + std::to_string(utf8.size()) + " bytes; at most " +
                    std::to_string(std::min(maxSize, size_t(INT_MAX))) + " are accepted");
  if (utf8.size() >= 3 && std::memcmp(utf8.data(), "\xEF\xBB\xBF", 3) == 0) utf8.remove_prefix(3);
  if (trim(utf8).empty()) throw invalid(source + ":1:1", "the file is empty (expected XML)");

  static const bool initialised = (xmlInitParser(), true);  // once, thread-safely
  (void)initialised;
  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt || !ctxt->sax) throw Error(Error::Kind::Internal, source, "out of memory");
  Capture cap;
  ctxt->_private = &cap;
  ctxt->sax->serror = onStructuredError;
  ctxt->sax->internalSubset = onDoctype;

  // Deliberately absent: XML_PARSE_NOENT (substitutes entities), XML_PARSE_DTDLOAD (fetches the
  // external subset), XML_PARSE_DTDATTR (DTD default attributes), XML_PARSE_HUGE (lifts the
  // depth, text and amplification limits), XML_PARSE_XINCLUDE.
  const int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
                      XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT |
                      XML_PARSE_IGNORE_ENC;
  xmlDoc* raw;
  {
    GenericErrorSilencer quiet;
    raw = xmlCtxtReadMemory(ctxt.get(), utf8.data(), int(utf8.size()), nullptr, "UTF-8", options);
  }
  std::unique_ptr<xmlDoc, DocFree> d(raw);
  if (cap.doctype || (d && (d->intSubset || d->extSubset)))
    throw invalid(place(source, cap.doctypeLine, cap.doctypeColumn),
                  "DOCTYPE declarations are not accepted (<!DOCTYPE " + cap.doctypeName +
                      " ...>): a DTD can define external or recursively expanding entities, and "
                      "import formats need none; remove the declaration");
  if (!d || !ctxt->wellFormed) {
    // The first fatal error explains the failure; later ones are consequences.
    for (const Problem& p : cap.problems)
      if (p.fatal) throw invalid(place(source, p.line, p.column), p.message);
    if (!cap.problems.empty())
      throw invalid(place(source, cap.problems[0].line, cap.problems[0].column),
                    cap.problems[0].message);
    const xmlError* e = &ctxt->lastError;
    throw invalid(place(source, e->line, e->int2),
                  e->message ? collapse(e->message) : "the document is not well-formed XML");
  }
  if (!xmlDocGetRootElement(d.get()))
    throw invalid(source + ":1:1", "the document has no root element");
  Document doc(d.release(), source);
  // Errors that leave the document well-formed (an undeclared namespace prefix on a vendor
  // attribute, say) do not stop an import; they are reported.
  for (const Problem& p : cap.problems)
    doc.warnings_.push_back(place(source, p.line, p.column) + ": " + p.message);
  return doc;
}

std::pair<size_t, size_t> Document::siblingIndex(const xmlNode* n) const {
  const xmlNode* parent = n->parent;
  if (!parent || parent->type != XML_ELEMENT_NODE) return {1, 1};
  if (!indexedParents_.count(parent)) {
    indexedParents_[parent] = true;
    std::unordered_map<std::string_view, std::vector<const xmlNode*>> byName;
    for (const xmlNode* c = parent->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE) byName[localName(c)].push_back(c);
    for (const auto& [name, nodes] : byName)
      for (size_t i = 0; i < nodes.size(); ++i) index_[nodes[i]] = {i + 1, nodes.size()};
  }
  auto it = index_.find(n);
  return it == index_.end() ? std::pair<size_t, size_t>{1, 1} : it->second;
}

std::string Document::location(const xmlNode* n) const {
  std::vector<std::string> steps;
  for (const xmlNode* p = n; p && p->type == XML_ELEMENT_NODE; p = p->parent) {
    std::string step(localName(p));
    auto [pos, count] = siblingIndex(p);
    if (count > 1) step += "[" + std::to_string(pos) + "]";
    steps.push_back(std::move(step));
  }
  std::string path;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) path += "/" + *it;
  return line(n) + " " + path;
}

std::string Document::line(const xmlNode* n) const {
  const long l = n ? xmlGetLineNo(n) : -1;
  return l > 0 ? source_ + ":" + std::to_string(l) : source_;
}

std::string_view localName(const xmlNode* n) {
  return n ? view(n->name) : std::string_view();
}

std::string_view namespaceUri(const xmlNode* n) {
  return (n && n->ns) ? view(n->ns->href) : std::string_view();
}

bool isElement(const xmlNode* n, std::string_view local, std::string_view ns) {
  return n && n->type == XML_ELEMENT_NODE && localName(n) == local &&
         (ns == kAnyNamespace || namespaceUri(n) == ns);
}

std::vector<const xmlNode*> children(const xmlNode* parent, std::string_view local,
                                     std::string_view ns) {
  std::vector<const xmlNode*> out;
  if (!parent) return out;
  for (const xmlNode* c = parent->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (!local.empty() && localName(c) != local) continue;
    if (ns != kAnyNamespace && namespaceUri(c) != ns) continue;
    out.push_back(c);
  }
  return out;
}

const xmlNode* child(const xmlNode* parent, std::string_view local, std::string_view ns) {
  if (!parent) return nullptr;
  for (const xmlNode* c = parent->children; c; c = c->next)
    if (isElement(c, local, ns)) return c;
  return nullptr;
}

std::vector<const xmlNode*> descendants(const xmlNode* n, std::string_view local,
                                        bool (*accept)(std::string_view ns)) {
  std::vector<const xmlNode*> out;
  if (!n) return out;
  // Iterative pre-order walk: documents may nest deeply, recursion is not needed.
  const xmlNode* c = n->children;
  while (c) {
    if (c->type == XML_ELEMENT_NODE) {
      if (localName(c) == local && (!accept || accept(namespaceUri(c)))) out.push_back(c);
      if (c->children) {
        c = c->children;
        continue;
      }
    }
    while (c && !c->next) {
      c = c->parent;
      if (c == n) return out;
    }
    if (c) c = c->next;
  }
  return out;
}

std::optional<std::string> attribute(const xmlNode* n, std::string_view name) {
  if (!n || n->type != XML_ELEMENT_NODE) return std::nullopt;
  for (const xmlAttr* a = n->properties; a; a = a->next)
    if (!a->ns && view(a->name) == name) return attrValue(a);
  return std::nullopt;
}

std::string attr(const xmlNode* n, std::string_view name) {
  return attribute(n, name).value_or(std::string());
}

std::string attrInNamespace(const xmlNode* n, std::string_view nsPart, std::string_view local) {
  if (!n || n->type != XML_ELEMENT_NODE) return {};
  for (const xmlAttr* a = n->properties; a; a = a->next)
    if (a->ns && view(a->name) == local && view(a->ns->href).find(nsPart) != std::string::npos)
      return attrValue(a);
  return {};
}

std::string lang(const xmlNode* n) {
  xmlChar* l = xmlNodeGetLang(n);
  std::string s = l ? reinterpret_cast<const char*>(l) : "";
  xmlFree(l);
  return s;
}

std::string text(const xmlNode* n) {
  if (!n) return {};
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? collapse(view(c)) : std::string();
  xmlFree(c);
  return text::nfc(s);
}

Lang classifyLang(std::string_view tag) {
  const std::string t = lower(trim(tag));
  auto is = [&](std::string_view code) {
    return t == code || (t.size() > code.size() && t.compare(0, code.size(), code) == 0 &&
                         t[code.size()] == '-');
  };
  if (t.empty() || is("sv") || is("swe")) return Lang::Sv;
  if (is("en") || is("eng")) return Lang::En;
  return Lang::Other;
}

Text pickText(const std::vector<LangText>& texts, std::string* usedLang) {
  Text out;
  const LangText* other = nullptr;
  for (const auto& t : texts) {
    if (t.text.empty()) continue;
    switch (classifyLang(t.lang)) {
      case Lang::Sv:
        if (out.sv.empty()) out.sv = t.text;
        break;
      case Lang::En:
        if (out.en.empty()) out.en = t.text;
        break;
      case Lang::Other:
        if (!other) other = &t;
        break;
    }
  }
  if (out.empty() && other) {
    out.sv = other->text;
    if (usedLang) *usedLang = other->lang;
  }
  return out;
}

std::string sanitizeLocalName(std::string_view s) {
  const std::string in = text::nfc(trim(s));
  std::string out;
  bool replaced = false;  // out ends with a '_' that stands for dropped characters
  int32_t i = 0;
  const auto len = static_cast<int32_t>(in.size());
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  while (i < len) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c >= 0 && (u_isalnum(c) || c == '_' || c == '-' || c == '.')) {
      out.append(in, size_t(start), size_t(i - start));
      replaced = false;
    } else if (!out.empty() && !replaced) {
      out.push_back('_');  // a run of other characters becomes one '_'; leading ones are dropped
      replaced = true;
    }
  }
  if (replaced) out.pop_back();
  if (out.size() > 200) {
    size_t cut = 200;
    // Never cut inside a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  if (out == "." || out == "..") return {};
  return out;
}

std::optional<std::string> ucumUnit(std::string_view unit) {
  // Keys are lower-case with spaces removed; µ (U+00B5) and μ (U+03BC) read as u.
  std::string key;
  const std::string in = trim(unit);
  for (size_t i = 0; i < in.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == ' ') continue;
    if (c == 0xC2 && i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xB5) {
      key += 'u';
      ++i;
    } else if (c == 0xCE && i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xBC) {
      key += 'u';
      ++i;
    } else if (c == 0xC2 && i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xB2) {
      key += '2';  // ² as in kg/m²
      ++i;
    } else {
      key += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : char(c);
    }
  }
  if (key.empty()) return std::nullopt;
  static const std::pair<std::string_view, std::string_view> table[] = {
      {"mmhg", "mm[Hg]"},
      {"mm[hg]", "mm[Hg]"},
      {"millimetersofmercury", "mm[Hg]"},
      {"kg", "kg"},
      {"kilo", "kg"},
      {"kilogram", "kg"},
      {"kilograms", "kg"},
      {"g", "g"},
      {"gram", "g"},
      {"grams", "g"},
      {"lb", "[lb_av]"},
      {"lbs", "[lb_av]"},
      {"pound", "[lb_av]"},
      {"pounds", "[lb_av]"},
      {"cm", "cm"},
      {"centimeter", "cm"},
      {"centimeters", "cm"},
      {"centimetre", "cm"},
      {"centimetres", "cm"},
      {"mm", "mm"},
      {"m", "m"},
      {"meter", "m"},
      {"meters", "m"},
      {"in", "[in_i]"},
      {"inch", "[in_i]"},
      {"inches", "[in_i]"},
      {"mmol/mol", "mmol/mol"},
      {"mmol/l", "mmol/L"},
      {"umol/l", "umol/L"},
      {"nmol/l", "nmol/L"},
      {"pmol/l", "pmol/L"},
      {"mg/l", "mg/L"},
      {"mg/dl", "mg/dL"},
      {"g/l", "g/L"},
      {"g/dl", "g/dL"},
      {"ng/l", "ng/L"},
      {"ng/ml", "ng/mL"},
      {"u/l", "U/L"},
      {"iu/l", "[IU]/L"},
      {"ml", "mL"},
      {"l", "L"},
      {"ml/min", "mL/min"},
      {"ml/min/1.73m2", "mL/min/{1.73_m2}"},
      {"kg/m2", "kg/m2"},
      {"%", "%"},
      {"percent", "%"},
      {"procent", "%"},
      {"a", "a"},
      {"year", "a"},
      {"years", "a"},
      {"yr", "a"},
      {"yrs", "a"},
      {"år", "a"},
      {"month", "mo"},
      {"months", "mo"},
      {"mån", "mo"},
      {"månad", "mo"},
      {"månader", "mo"},
      {"week", "wk"},
      {"weeks", "wk"},
      {"vecka", "wk"},
      {"veckor", "wk"},
      {"day", "d"},
      {"days", "d"},
      {"dag", "d"},
      {"dagar", "d"},
      {"dygn", "d"},
      {"h", "h"},
      {"hour", "h"},
      {"hours", "h"},
      {"tim", "h"},
      {"timmar", "h"},
      {"min", "min"},
      {"minute", "min"},
      {"minutes", "min"},
      {"minuter", "min"},
      {"s", "s"},
      {"sec", "s"},
      {"seconds", "s"},
      {"sekunder", "s"},
      {"bpm", "/min"},
      {"slag/min", "/min"},
      {"beats/min", "/min"},
      {"°c", "Cel"},
      {"million/ul", "10*6/uL"},
      {"thousand/ul", "10*3/uL"},
  };
  for (const auto& [k, v] : table)
    if (k == key) return std::string(v);
  return std::nullopt;
}

std::string normalizeUnit(std::string_view unit) {
  if (auto u = ucumUnit(unit)) return *u;
  return text::nfc(collapse(unit));
}

std::optional<double> parseNumber(std::string_view s) {
  std::string t = trim(s);
  // A Swedish decimal comma ("1,5") is read as a decimal point when there is no point.
  if (t.find('.') == std::string::npos && std::count(t.begin(), t.end(), ',') == 1)
    t[t.find(',')] = '.';
  if (t.empty()) return std::nullopt;
  const char* b = t.data();
  if (*b == '+') ++b;
  double v = 0;
  auto [end, ec] = std::from_chars(b, t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace regcat::xml
