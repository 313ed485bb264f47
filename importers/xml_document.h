// Hardened XML reading shared by the XML importers (ODM / REDCap project XML, DDI-Codebook,
// DDI-Lifecycle): one place decides how untrusted XML is parsed, how elements are found across
// namespace prefixes and how a place in the file is named in an error.
//
// Safety: no network, no DTD loading, no entity substitution, no default attributes from a DTD,
// libxml2's built-in limits kept (never XML_PARSE_HUGE), a size limit, and any document that
// carries a DOCTYPE declaration is refused outright. Import formats never need a DTD, and
// refusing it defuses external entities (XXE) and entity expansion bombs (billion laughs)
// before a single entity is declared.
#pragma once

#include <libxml/tree.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/model.h"

namespace regcat::xml {

inline constexpr size_t kMaxXmlSize = size_t(256) << 20;

// Matches elements in any namespace (or none).
inline constexpr std::string_view kAnyNamespace = "*";

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

// A parsed, well-formed, DOCTYPE-free document. Movable, not copyable.
class Document {
 public:
  // Parses UTF-8 text (a UTF-8 byte-order mark is allowed; any encoding declaration is ignored,
  // since the importers hand over text that is already UTF-8). Throws regcat::Error: TooLarge
  // above maxSize, Invalid with "source:LINE:COLUMN" for malformed XML or a DOCTYPE.
  static Document parse(std::string_view utf8, const std::string& source,
                        size_t maxSize = kMaxXmlSize);

  const xmlNode* root() const { return xmlDocGetRootElement(doc_.get()); }
  const std::string& source() const { return source_; }

  // "file.xml:LINE /ODM/Study/MetaDataVersion/ItemDef[3]": the element's line and its path by
  // local names, with a position wherever siblings share the name.
  std::string location(const xmlNode* n) const;
  // "file.xml:LINE".
  std::string line(const xmlNode* n) const;
  // Recoverable errors of the parse ("file.xml:1:24: Namespace prefix redcap ... is not
  // defined"), for the importer's warnings.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  Document(xmlDoc* d, std::string source) : doc_(d), source_(std::move(source)) {}
  // Position (1-based) of n among its parent's element children with the same local name, and
  // how many there are. Computed once per parent, so locating every item of a large file stays
  // linear.
  std::pair<size_t, size_t> siblingIndex(const xmlNode* n) const;

  std::unique_ptr<xmlDoc, DocFree> doc_;
  std::string source_;
  std::vector<std::string> warnings_;
  mutable std::unordered_map<const xmlNode*, std::pair<size_t, size_t>> index_;
  mutable std::unordered_map<const xmlNode*, bool> indexedParents_;
};

// Names of an element; the namespace is "" for an element in no namespace.
std::string_view localName(const xmlNode* n);
std::string_view namespaceUri(const xmlNode* n);

// True if n is an element with this local name in namespace ns (kAnyNamespace: any).
bool isElement(const xmlNode* n, std::string_view local, std::string_view ns = kAnyNamespace);

// Element children of parent, in document order, with this local name (empty: all) in ns.
std::vector<const xmlNode*> children(const xmlNode* parent, std::string_view local = {},
                                     std::string_view ns = kAnyNamespace);
// The first such child, or nullptr.
const xmlNode* child(const xmlNode* parent, std::string_view local,
                     std::string_view ns = kAnyNamespace);
// Descendant elements (not n itself) with this local name, in document order. `accept`
// filters by namespace URI when given.
std::vector<const xmlNode*> descendants(const xmlNode* n, std::string_view local,
                                        bool (*accept)(std::string_view ns) = nullptr);

// Attribute without a namespace (Name="..."), NFC; nullopt when absent.
std::optional<std::string> attribute(const xmlNode* n, std::string_view name);
// Same, "" when absent.
std::string attr(const xmlNode* n, std::string_view name);
// Namespaced attribute whose namespace URI contains nsPart (e.g. "projectredcap" matches
// redcap:FieldType however the vendor spells its URI); "" when absent.
std::string attrInNamespace(const xmlNode* n, std::string_view nsPart, std::string_view local);
// The xml:lang in scope for n (inherited from ancestors), "" if none.
std::string lang(const xmlNode* n);
// Text content of n and its descendants, NFC, runs of whitespace collapsed to one space and
// trimmed (labels in XML are indented and wrapped by whoever wrote the file).
std::string text(const xmlNode* n);

// --- Helpers shared by the XML importers that are not about XML itself ---

// A language tag's place in regcat's bilingual Text.
enum class Lang { Sv, En, Other };
// sv, sv-SE, swe and no tag are Swedish; en, en-US, en-GB, eng are English.
Lang classifyLang(std::string_view tag);

struct LangText {
  std::string lang, text;
};
// Swedish and English from language-tagged texts (first non-empty of each wins). Texts in
// other languages are ignored unless neither Swedish nor English exists; then the first
// non-empty one is used as Swedish and its tag is returned in *usedLang.
Text pickText(const std::vector<LangText>& texts, std::string* usedLang = nullptr);

// An identifier-like name (isValidLocalName) made from s: characters other than Unicode
// letters, digits, '_', '-' and '.' become '_', runs of '_' collapse, at most 200 bytes.
// Returns "" if nothing usable is left.
std::string sanitizeLocalName(std::string_view s);

// The UCUM code for common spellings of a unit ("mm Hg" -> "mm[Hg]", "years" -> "a",
// "µmol/l" -> "umol/L"); nullopt when the spelling is not recognised.
std::optional<std::string> ucumUnit(std::string_view unit);
// ucumUnit, or the trimmed input when it is not recognised (a unit is never dropped).
std::string normalizeUnit(std::string_view unit);

// Parses a decimal number ("12", "-3.5", "1e3"); nullopt if s is not entirely a number.
std::optional<double> parseNumber(std::string_view s);

}  // namespace regcat::xml
