#include "exporters/sssom_writer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <tuple>

#include "catalog/errors.h"
#include "catalog/model.h"
#include "catalog/text.h"

namespace regcat {
namespace {

constexpr const char* kXsd = "http://www.w3.org/2001/XMLSchema#";
constexpr const char* kAdms = "http://www.w3.org/ns/adms#";

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Bytes that may not stand unencoded in the local part of a CURIE regcat writes: the TSV and
// list separators, IRI delimiters and everything that is not printable ASCII below 0x80.
// Non-ASCII UTF-8 (rökning) is left as it is: CURIEs expand to IRIs, which allow it.
bool mustEncode(unsigned char c, bool inCode) {
  if (c < 0x20 || c == 0x7F) return true;
  switch (c) {
    case ' ':
    case '%':
    case '|':
    case '"':
    case '\'':
    case '<':
    case '>':
    case '\\':
    case '^':
    case '`':
    case '{':
    case '}':
    case '?':
      return true;
    case '#':
    case '/':
      return inCode;  // in the variable part they cannot occur (names never hold them)
    default:
      return false;
  }
}

std::string percentEncode(const std::string& s, bool inCode) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (mustEncode(c, inCode)) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// A YAML scalar that reads back as exactly `s`: plain when it is unambiguous (starts with a
// letter, only URL-ish ASCII, no ':' at the end, not a YAML keyword), else single-quoted, else
// (control characters) double-quoted with escapes.
std::string yamlScalar(const std::string& s) {
  static const std::set<std::string> keywords = {"true", "false", "yes", "no", "on",  "off",
                                                 "null", "y",     "n",   "~",  "nan", "inf"};
  bool plain = !s.empty() && std::isalpha(static_cast<unsigned char>(s[0])) && s.back() != ':';
  for (char c : s) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
                    c == ':' || c == '/' || c == '#' || c == '?' || c == '=' || c == '&' ||
                    c == '+' || c == '~' || c == '@' || c == '-';
    if (!ok || static_cast<unsigned char>(c) >= 0x80) plain = false;
  }
  if (plain && keywords.count(text::fold(s))) plain = false;
  if (plain) return s;
  bool control = false;
  for (unsigned char c : s) control = control || c < 0x20 || c == 0x7F;
  if (!control) {
    std::string out = "'";
    for (char c : s) {
      out += c;
      if (c == '\'') out += '\'';
    }
    return out + "'";
  }
  std::string out = "\"";
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\x";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// A TSV cell: quoted (with "" for a quote) when it holds a tab, a line break or a quote, as
// the SSSOM examples and pandas do; the reader (delimited_reader) undoes exactly that.
std::string cell(const std::string& s) {
  if (s.find_first_of("\t\n\r\"") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string number(double d) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, p) : std::to_string(d);
}

// The known namespaces a person identifier may use (author_id, reviewer_id, creator_id).
const char* personPrefixExpansion(const std::string& prefix) {
  for (const auto& a : kSssomPrefixAliases)
    if (prefix == a.prefix && std::string(a.expansion) == "https://orcid.org/") return a.expansion;
  return nullptr;
}

// An author or reviewer as given: when every '|'-separated part is a CURIE with a person
// prefix regcat can declare, it is an id (author_id), else a label (author_label), so that
// the id columns only hold CURIEs, as SSSOM/TSV requires.
bool isPersonCurieList(const std::string& s, std::set<std::string>& prefixes) {
  if (s.empty()) return false;
  std::set<std::string> found;
  size_t start = 0;
  for (;;) {
    const size_t bar = s.find('|', start);
    const std::string part = s.substr(start, bar == std::string::npos ? bar : bar - start);
    const size_t colon = part.find(':');
    if (colon == std::string::npos || colon == 0 || part.find_first_of(" \t") != std::string::npos)
      return false;
    const std::string prefix = part.substr(0, colon);
    if (!personPrefixExpansion(prefix) || part.compare(colon + 1, 2, "//") == 0) return false;
    found.insert(prefix);
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  prefixes.insert(found.begin(), found.end());
  return true;
}

struct SystemNames {
  std::string prefix, expansion, sourcePrefix, sourceExpansion, source;
};

std::string subjectKey(const MappingSubject& s) {
  return s.variableKey() + (s.code.empty() ? "" : "#" + s.code);
}

}  // namespace

std::string sssomSubjectCurie(const MappingSubject& s) {
  std::string out = std::string(kSssomRegcatPrefix) + ":" + percentEncode(s.register_id, false) +
                    "/" + percentEncode(s.dataset_id, false) + "/" +
                    percentEncode(s.variable, false);
  if (!s.code.empty()) out += "#" + percentEncode(s.code, true);
  return out;
}

size_t writeSssom(std::ostream& out, const std::vector<Mapping>& mappings,
                  const SssomWriteOptions& opt) {
  for (const auto& s : opt.statuses)
    if (std::find(std::begin(kMappingStatuses), std::end(kMappingStatuses), s) ==
        std::end(kMappingStatuses))
      throw invalid("statuses", "'" + s + "' is not a mapping status");
  if (!opt.register_id.empty() && !isValidRegisterId(opt.register_id))
    throw invalid("register", "'" + opt.register_id + "' is not a register id");
  std::string base = opt.base_uri;
  while (!base.empty() && base.back() == '/') base.pop_back();

  std::vector<const Mapping*> rows;
  for (const auto& m : mappings)
    if (contains(opt.statuses, m.status) &&
        (opt.register_id.empty() || m.subject.register_id == opt.register_id))
      rows.push_back(&m);
  std::stable_sort(rows.begin(), rows.end(), [](const Mapping* a, const Mapping* b) {
    const auto& x = a->subject;
    const auto& y = b->subject;
    return std::tie(x.register_id, x.dataset_id, x.variable, x.code, a->system, a->concept_id) <
           std::tie(y.register_id, y.dataset_id, y.variable, y.code, b->system, b->concept_id);
  });

  // The prefixes the file uses, and each system's names.
  std::map<std::string, std::string> curieMap = {
      {kSssomRegcatPrefix, base + "/variables/"},
      {"skos", "http://www.w3.org/2004/02/skos/core#"},
      {"semapv", "https://w3id.org/semapv/vocab/"},
      {"adms", kAdms},
      {"xsd", kXsd},
  };
  std::map<std::string, SystemNames> systems;
  auto namesOf = [&](const Mapping& m) -> const SystemNames& {
    if (auto it = systems.find(m.system); it != systems.end()) return it->second;
    SystemNames n;
    bool found = false;
    for (const auto& p : opt.system_prefixes)
      if (p.system == m.system) {
        n.prefix = p.prefix;
        n.expansion = p.expansion;
        found = true;
        break;
      }
    if (!found)
      if (const SssomSystem* s = sssomSystem(m.system)) {
        n = {s->prefix, s->expansion, s->source_prefix, s->source_expansion, s->source};
        found = true;
      }
    if (!found)
      throw invalid(subjectKey(m.subject), "no CURIE prefix is known for the code system '" +
                                               m.system + "' (add it to the system prefixes)");
    return systems.emplace(m.system, n).first->second;
  };
  std::set<std::string> personPrefixes;
  bool negated = false, authorLabels = false, reviewerLabels = false;
  for (const Mapping* m : rows) {
    if (std::find(std::begin(kPredicates), std::end(kPredicates), m->predicate) ==
        std::end(kPredicates))
      throw invalid(subjectKey(m->subject), "'" + m->predicate + "' is not a SKOS predicate");
    if (std::find(std::begin(kSssomJustifications), std::end(kSssomJustifications),
                  m->justification) == std::end(kSssomJustifications))
      throw invalid(subjectKey(m->subject),
                    "'" + m->justification + "' is not a SSSOM mapping justification");
    negated = negated || m->status == "rejected";
    if (m->isNoMatch()) {
      curieMap["sssom"] = "https://w3id.org/sssom/";
      if (!m->system.empty()) {
        const SystemNames& n = namesOf(*m);
        if (!n.sourcePrefix.empty()) curieMap[n.sourcePrefix] = n.sourceExpansion;
      }
    } else {
      const SystemNames& n = namesOf(*m);
      curieMap[n.prefix] = n.expansion;
    }
    if (!m->author.empty() && !isPersonCurieList(m->author, personPrefixes)) authorLabels = true;
    if (!m->reviewer.empty() && !isPersonCurieList(m->reviewer, personPrefixes))
      reviewerLabels = true;
  }
  for (const auto& c : opt.creator_id) {
    if (!isPersonCurieList(c, personPrefixes))
      throw invalid("creator_id", "'" + c + "' is not an orcid: CURIE");
  }
  for (const auto& p : personPrefixes) curieMap[p] = personPrefixExpansion(p);

  // The metadata block. curie_map comes first, as SSSOM recommends.
  const std::string today = text::today();
  const std::string scope = opt.register_id.empty() ? "all" : opt.register_id;
  out << "# curie_map:\n";
  for (const auto& [p, e] : curieMap) out << "#   " << p << ": " << yamlScalar(e) << "\n";
  out << "# mapping_set_id: " << yamlScalar(base + "/mappings/" + scope + ".sssom.tsv") << "\n";
  out << "# mapping_set_version: " << yamlScalar(opt.version.empty() ? today : opt.version) << "\n";
  out << "# mapping_set_title: "
      << yamlScalar(!opt.title.empty()        ? opt.title
                    : opt.register_id.empty() ? std::string("regcat mappings: all registers")
                                              : "regcat mappings: " + opt.register_id)
      << "\n";
  if (!opt.creator_id.empty()) {
    out << "# creator_id:\n";
    for (const auto& c : opt.creator_id) out << "#   - " << yamlScalar(c) << "\n";
  }
  out << "# license: " << yamlScalar(opt.license) << "\n";
  // The export date is the publication date; mapping_date is per row, since a set-level one
  // would propagate to every row that lacks its own.
  out << "# publication_date: "
      << yamlScalar(opt.publication_date.empty() ? today : opt.publication_date) << "\n";
  out << "# extension_definitions:\n";
  out << "#   - slot_name: " << kSssomStatusSlot << "\n";
  out << "#     property: " << kSssomStatusProperty << "\n";
  out << "#     type_hint: xsd:string\n";

  std::vector<std::string> columns = {"subject_id", "subject_label", "predicate_id"};
  if (negated) columns.push_back("predicate_modifier");
  for (const char* c : {"object_id", "object_label", "mapping_justification", "author_id"})
    columns.push_back(c);
  if (authorLabels) columns.push_back("author_label");
  columns.push_back("reviewer_id");
  if (reviewerLabels) columns.push_back("reviewer_label");
  for (const char* c : {"confidence", "comment", "mapping_date", "object_source",
                        "object_source_version", kSssomStatusSlot})
    columns.push_back(c);
  for (size_t i = 0; i < columns.size(); ++i) out << (i ? "\t" : "") << columns[i];
  out << "\n";

  for (const Mapping* m : rows) {
    std::map<std::string, std::string> v;
    v["subject_id"] = sssomSubjectCurie(m->subject);
    v["subject_label"] = m->subject_label;
    v["predicate_id"] = m->predicate;
    if (m->status == "rejected") v["predicate_modifier"] = "Not";
    if (m->isNoMatch()) {
      v["object_id"] = "sssom:NoTermFound";
      if (!m->system.empty()) v["object_source"] = namesOf(*m).source;
    } else {
      v["object_id"] = namesOf(*m).prefix + ":" + percentEncode(m->concept_id, true);
      v["object_label"] = m->concept_label;
    }
    v["mapping_justification"] = m->justification;
    std::set<std::string> ignored;
    if (isPersonCurieList(m->author, ignored))
      v["author_id"] = m->author;
    else
      v["author_label"] = m->author;
    if (isPersonCurieList(m->reviewer, ignored))
      v["reviewer_id"] = m->reviewer;
    else
      v["reviewer_label"] = m->reviewer;
    if (m->confidence) v["confidence"] = number(*m->confidence);
    v["comment"] = m->comment;
    // The date the mapping was asserted: its review for a reviewed mapping, else its last
    // change.
    const bool reviewed = m->status == "approved" || m->status == "rejected";
    const std::string* dates[] = {reviewed ? &m->reviewed_at : &m->updated_at, &m->updated_at,
                                  &m->created_at};
    for (const std::string* t : dates) {
      if (t->size() >= 10 && isValidDate(t->substr(0, 10))) {
        v["mapping_date"] = t->substr(0, 10);
        break;
      }
    }
    v["object_source_version"] = m->release;
    v[kSssomStatusSlot] = m->status;
    for (size_t i = 0; i < columns.size(); ++i) out << (i ? "\t" : "") << cell(v[columns[i]]);
    out << "\n";
  }
  return rows.size();
}

}  // namespace regcat
