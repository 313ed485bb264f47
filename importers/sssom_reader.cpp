#include "importers/sssom_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "catalog/errors.h"
#include "catalog/model.h"
#include "catalog/text.h"
#include "importers/delimited_reader.h"
#include "mapping/sctid.h"

namespace regcat {
namespace {

// ---------------------------------------------------------------------------------------------
// The YAML subset of SSSOM metadata blocks

struct YamlLine {
  size_t line;       // line of the file
  size_t indent;     // spaces before the content
  std::string text;  // content after the indentation, trailing spaces removed
};

// A top-level value: a scalar, a sequence of scalars, a mapping of scalars, or a sequence of
// such mappings (extension_definitions). Each entry keeps its line for messages.
struct YamlEntry {
  size_t line = 0;
  std::string key, value;
};
struct YamlValue {
  enum class Kind { Scalar, Sequence, Mapping, MappingSequence } kind = Kind::Scalar;
  std::string scalar;
  std::vector<YamlEntry> items;                  // Sequence (key empty) and Mapping
  std::vector<std::vector<YamlEntry>> mappings;  // MappingSequence
};

struct YamlTop {
  size_t line;
  std::string key;
  YamlValue value;
};

std::string at(const std::string& source, size_t line) {
  return source + ":" + std::to_string(line);
}

bool isKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

// "key: rest" or "key:" -> true with key and rest; a ':' must be followed by a space or the end
// (so "orcid:0000-0001" is a scalar, not a key).
bool splitKey(const std::string& s, std::string& key, std::string& rest) {
  size_t i = 0;
  while (i < s.size() && isKeyChar(s[i])) ++i;
  if (i == 0 || i >= s.size() || s[i] != ':') return false;
  if (i + 1 < s.size() && s[i + 1] != ' ') return false;
  key = s.substr(0, i);
  rest = i + 1 < s.size() ? s.substr(i + 2) : std::string();
  while (!rest.empty() && rest.front() == ' ') rest.erase(rest.begin());
  return true;
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A scalar written over one or more lines (the first piece follows the key, the others are the
// continuation lines without their indentation), folded as YAML folds flow scalars: a single
// line break becomes a space, each blank line a newline.
class ScalarParser {
 public:
  // `lines` are the file's line numbers of the pieces, for messages.
  ScalarParser(const std::vector<std::string>& pieces, const std::vector<size_t>& lines,
               const std::string& source)
      : pieces_(pieces), lines_(lines), source_(source), where_(whereOf(0)) {}

  std::string parse() {
    const std::string& first = pieces_.front();
    if (first.empty()) return {};
    const char c = first[0];
    if (c == '\'') return quoted('\'');
    if (c == '"') return quoted('"');
    if (c == '|' || c == '>')
      throw invalid(where_, "YAML block scalars ('|', '>') are not supported; quote the text");
    if (c == '&' || c == '*' || c == '!')
      throw invalid(where_, "YAML anchors, aliases and tags are not supported");
    if (c == '{') throw invalid(where_, "YAML flow mappings ({...}) are not supported here");
    if (c == '@' || c == '`' || c == '%')
      throw invalid(where_, std::string("a plain YAML value cannot start with '") + c + "'");
    return plain();
  }

 private:
  const std::vector<std::string>& pieces_;
  const std::vector<size_t>& lines_;
  std::string source_, where_;

  std::string whereOf(size_t piece) const {
    return at(source_, lines_[std::min(piece, lines_.size() - 1)]);
  }

  static std::string stripComment(const std::string& s) {
    size_t pos = s.find(" #");
    std::string out = pos == std::string::npos ? s : s.substr(0, pos);
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    return out;
  }

  // Joins lines with YAML's folding.
  static std::string fold(const std::vector<std::string>& lines) {
    std::string out;
    bool pendingSpace = false;
    size_t blanks = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string& l = lines[i];
      if (i > 0 && l.empty()) {
        ++blanks;
        continue;
      }
      if (blanks > 0)
        out.append(blanks, '\n');
      else if (pendingSpace)
        out += ' ';
      blanks = 0;
      out += l;
      pendingSpace = true;
    }
    if (blanks > 0) out.append(blanks, '\n');
    return out;
  }

  std::string plain() {
    std::vector<std::string> lines;
    for (size_t k = 0; k < pieces_.size(); ++k) {
      const std::string& p = pieces_[k];
      if (k > 0 && !p.empty() && p[0] == '#') continue;  // a comment line
      lines.push_back(stripComment(p));
      const std::string& l = lines.back();
      if (l.find(": ") != std::string::npos || (l.size() > 1 && l.back() == ':'))
        throw invalid(whereOf(k),
                      "'" + l +
                          "': a nested YAML mapping is not expected here (quote the value if "
                          "the ': ' belongs to the text)");
    }
    while (lines.size() > 1 && lines.back().empty()) lines.pop_back();
    std::string v = fold(lines);
    if (v == "~" || v == "null" || v == "Null" || v == "NULL") return {};
    return v;
  }

  std::string quoted(char q) {
    // The text between the quotes, line by line (escapes kept for unescape), and whether each
    // line ended with an escaped line break ("...\" at the end of a double-quoted line).
    std::vector<std::string> content;
    std::vector<bool> escapedBreak;
    std::string cur, after;
    bool closed = false;
    size_t li = 0;
    for (; li < pieces_.size() && !closed; ++li) {
      const std::string& l = pieces_[li];
      bool brk = false;
      for (size_t i = li == 0 ? 1 : 0; i < l.size(); ++i) {
        const char c = l[i];
        if (q == '"' && c == '\\') {
          if (i + 1 == l.size()) {
            brk = true;
            break;
          }
          cur += c;
          cur += l[++i];
          continue;
        }
        if (c == q) {
          if (q == '\'' && i + 1 < l.size() && l[i + 1] == '\'') {
            cur += '\'';
            ++i;
            continue;
          }
          closed = true;
          after = l.substr(i + 1);
          break;
        }
        cur += c;
      }
      content.push_back(cur);
      escapedBreak.push_back(brk);
      cur.clear();
    }
    if (!closed) throw invalid(where_, std::string("the quoted value is never closed (") + q + ")");
    if (const std::string tail = stripComment(after); !tail.empty())
      throw invalid(whereOf(li - 1), "text after the closing quote: " + tail);
    for (; li < pieces_.size(); ++li)
      if (!pieces_[li].empty() && pieces_[li][0] != '#')
        throw invalid(whereOf(li), "text after the closing quote: " + pieces_[li]);
    // Fold: a line break is a space, each blank line a newline, an escaped break nothing;
    // white space around a break is not content.
    std::string out;
    size_t newlines = 0;
    bool joinTight = false;
    for (size_t i = 0; i < content.size(); ++i) {
      std::string l = content[i];
      if (i + 1 < content.size() && !escapedBreak[i])
        while (!l.empty() && (l.back() == ' ' || l.back() == '\t')) l.pop_back();
      if (i > 0 && l.empty() && i + 1 < content.size()) {
        ++newlines;
        continue;
      }
      if (i > 0) {
        if (newlines > 0)
          out.append(newlines, '\n');
        else if (!joinTight)
          out += ' ';
      }
      newlines = 0;
      out += l;
      joinTight = escapedBreak[i];
    }
    return q == '"' ? unescape(out) : out;
  }

  std::string unescape(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '\\') {
        out += s[i];
        continue;
      }
      if (++i >= s.size()) throw invalid(where_, "a '\\' ends the quoted value");
      const char e = s[i];
      int hexDigits = 0;
      switch (e) {
        case '\\':
        case '"':
        case '/':
        case ' ':
          out += e;
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
        case '\t':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '0':
          out += '\0';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'x':
          hexDigits = 2;
          break;
        case 'u':
          hexDigits = 4;
          break;
        case 'U':
          hexDigits = 8;
          break;
        default:
          throw invalid(where_, std::string("unknown escape '\\") + e + "' in a quoted value");
      }
      if (hexDigits) {
        uint32_t cp = 0;
        for (int k = 0; k < hexDigits; ++k) {
          const int h = i + 1 < s.size() ? hexValue(s[i + 1]) : -1;
          if (h < 0) throw invalid(where_, std::string("bad '\\") + e + "' escape");
          cp = cp * 16 + static_cast<uint32_t>(h);
          ++i;
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
          throw invalid(where_, "an escape names no Unicode character");
        appendUtf8(out, cp);
      }
    }
    return out;
  }
};

std::string scalarOf(const std::vector<std::string>& pieces, const std::vector<size_t>& lines,
                     const std::string& source) {
  return ScalarParser(pieces, lines, source).parse();
}

// "[a, 'b', "c"]" (pieces folded onto one line) -> its items.
std::vector<std::string> flowSequence(const std::vector<std::string>& pieces, size_t line,
                                      const std::string& source) {
  const std::string where = at(source, line);
  std::string s;
  for (const auto& p : pieces) {
    if (!s.empty()) s += ' ';
    s += p;
  }
  std::vector<std::string> out;
  size_t i = 1;
  auto skipSpace = [&] {
    while (i < s.size() && s[i] == ' ') ++i;
  };
  skipSpace();
  if (i < s.size() && s[i] == ']') {
    ++i;
  } else {
    for (;;) {
      skipSpace();
      if (i >= s.size()) throw invalid(where, "the flow sequence [...] is never closed");
      std::string item;
      if (s[i] == '\'' || s[i] == '"') {
        const char q = s[i];
        size_t j = i + 1;
        for (; j < s.size(); ++j) {
          if (q == '\'' && s[j] == '\'' && j + 1 < s.size() && s[j + 1] == '\'') {
            ++j;
            continue;
          }
          if (q == '"' && s[j] == '\\') {
            ++j;
            continue;
          }
          if (s[j] == q) break;
        }
        if (j >= s.size()) throw invalid(where, "a quoted item is never closed");
        item = scalarOf({s.substr(i, j + 1 - i)}, {line}, source);
        i = j + 1;
      } else {
        size_t j = i;
        while (j < s.size() && s[j] != ',' && s[j] != ']') ++j;
        std::string raw = s.substr(i, j - i);
        while (!raw.empty() && raw.back() == ' ') raw.pop_back();
        if (raw.find_first_of("[{") != std::string::npos)
          throw invalid(where, "nested YAML collections are not supported");
        item = scalarOf({raw}, {line}, source);
        i = j;
      }
      out.push_back(item);
      skipSpace();
      if (i < s.size() && s[i] == ',') {
        ++i;
        continue;
      }
      if (i < s.size() && s[i] == ']') {
        ++i;
        break;
      }
      throw invalid(where, "expected ',' or ']' in the flow sequence");
    }
  }
  skipSpace();
  const std::string tail = s.substr(std::min(i, s.size()));
  if (!tail.empty() && tail[0] != '#') throw invalid(where, "text after the flow sequence");
  return out;
}

bool isBlank(const YamlLine& l) {
  return l.text.empty() || l.text[0] == '#';
}

// Parses the lines of one top-level value's block (all indented, or block sequence items at
// indentation 0), starting at lines[from], ending before `to`.
YamlValue blockValue(const std::vector<YamlLine>& lines, size_t from, size_t to,
                     const std::string& source, const std::string& key) {
  YamlValue v;
  size_t first = from;
  while (first < to && isBlank(lines[first])) ++first;
  if (first == to) return v;  // key with no value: empty scalar
  const size_t indent = lines[first].indent;
  const bool sequence = lines[first].text == "-" || lines[first].text.rfind("- ", 0) == 0;
  v.kind = sequence ? YamlValue::Kind::Sequence : YamlValue::Kind::Mapping;
  size_t i = first;
  while (i < to) {
    if (isBlank(lines[i])) {
      ++i;
      continue;
    }
    const YamlLine& l = lines[i];
    const std::string where = at(source, l.line);
    if (l.indent != indent)
      throw invalid(where, "unexpected indentation in the value of '" + key + "'");
    // The lines that continue this entry: more indented (or blank).
    size_t end = i + 1;
    while (end < to && (isBlank(lines[end]) || lines[end].indent > indent)) ++end;
    if (sequence) {
      if (!(l.text == "-" || l.text.rfind("- ", 0) == 0))
        throw invalid(where, "expected a '- ' item in the list '" + key + "'");
      std::string itemText = l.text.size() > 2 ? l.text.substr(2) : std::string();
      while (!itemText.empty() && itemText.front() == ' ') itemText.erase(itemText.begin());
      std::string k, rest;
      if (!itemText.empty() && itemText[0] != '\'' && itemText[0] != '"' &&
          splitKey(itemText, k, rest)) {
        // A mapping as a list item (extension_definitions): its first key is on the '- '
        // line, the others are indented to the same column.
        if (v.kind == YamlValue::Kind::Sequence && !v.items.empty())
          throw invalid(where, "the list '" + key + "' mixes values and mappings");
        v.kind = YamlValue::Kind::MappingSequence;
        const size_t itemIndent = indent + (l.text.size() - itemText.size());
        std::vector<YamlLine> sub;
        sub.push_back({l.line, itemIndent, itemText});
        for (size_t j = i + 1; j < end; ++j) sub.push_back(lines[j]);
        YamlValue m = blockValue(sub, 0, sub.size(), source, key);
        if (m.kind != YamlValue::Kind::Mapping)
          throw invalid(where, "expected 'key: value' lines in an item of '" + key + "'");
        v.mappings.push_back(m.items);
      } else {
        if (v.kind == YamlValue::Kind::MappingSequence)
          throw invalid(where, "the list '" + key + "' mixes values and mappings");
        std::vector<std::string> pieces{itemText};
        std::vector<size_t> pieceLines{l.line};
        for (size_t j = i + 1; j < end; ++j) {
          pieces.push_back(lines[j].text);
          pieceLines.push_back(lines[j].line);
        }
        if (!itemText.empty() && (itemText[0] == '[' || itemText.rfind("- ", 0) == 0))
          throw invalid(where, "nested YAML lists are not supported");
        v.items.push_back({l.line, "", scalarOf(pieces, pieceLines, source)});
      }
    } else {
      std::string k, rest;
      if (!splitKey(l.text, k, rest))
        throw invalid(where, "expected 'key: value' in the mapping '" + key + "'");
      std::vector<std::string> pieces{rest};
      std::vector<size_t> pieceLines{l.line};
      for (size_t j = i + 1; j < end; ++j) {
        pieces.push_back(lines[j].text);
        pieceLines.push_back(lines[j].line);
      }
      if (rest.empty()) {
        for (size_t j = i + 1; j < end; ++j)
          if (!isBlank(lines[j]))
            throw invalid(at(source, lines[j].line),
                          "nested YAML structures under '" + key + "' are not supported");
      }
      if (!rest.empty() && rest[0] == '[')
        throw invalid(where, "a list is not expected as a value in '" + key + "'");
      for (const auto& e : v.items)
        if (e.key == k) throw invalid(where, "'" + k + "' appears twice in '" + key + "'");
      v.items.push_back(
          {l.line, k, rest.empty() ? std::string() : scalarOf(pieces, pieceLines, source)});
    }
    i = end;
  }
  return v;
}

std::vector<YamlTop> parseYamlBlock(const std::vector<YamlLine>& lines, const std::string& source) {
  std::vector<YamlTop> out;
  size_t i = 0;
  while (i < lines.size()) {
    const YamlLine& l = lines[i];
    if (isBlank(l) || (l.indent == 0 && l.text == "---")) {
      ++i;
      continue;
    }
    const std::string where = at(source, l.line);
    if (l.indent != 0)
      throw invalid(where, "unexpected indentation (a metadata key must start the line)");
    std::string key, rest;
    if (!splitKey(l.text, key, rest))
      throw invalid(where, "expected 'key: value' in the metadata block, found '" + l.text + "'");
    for (const auto& t : out)
      if (t.key == key)
        throw invalid(where, "metadata key '" + key + "' appears twice (first on line " +
                                 std::to_string(t.line) + ")");
    size_t end = i + 1;
    auto continues = [&](const YamlLine& n) {
      if (isBlank(n) || n.indent > 0) return true;
      // A block sequence may sit at the key's own indentation.
      return rest.empty() && (n.text == "-" || n.text.rfind("- ", 0) == 0);
    };
    while (end < lines.size() && continues(lines[end])) ++end;
    YamlTop top{l.line, key, {}};
    if (rest.empty()) {
      top.value = blockValue(lines, i + 1, end, source, key);
    } else {
      std::vector<std::string> pieces{rest};
      std::vector<size_t> pieceLines{l.line};
      for (size_t j = i + 1; j < end; ++j) {
        pieces.push_back(lines[j].text);
        pieceLines.push_back(lines[j].line);
      }
      while (pieces.size() > 1 && (pieces.back().empty() || pieces.back()[0] == '#')) {
        pieces.pop_back();
        pieceLines.pop_back();
      }
      if (rest[0] == '[') {
        top.value.kind = YamlValue::Kind::Sequence;
        for (auto& s : flowSequence(pieces, l.line, source))
          top.value.items.push_back({l.line, "", s});
      } else {
        top.value.scalar = scalarOf(pieces, pieceLines, source);
      }
    }
    out.push_back(std::move(top));
    i = end;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Metadata

std::string joinBar(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += '|';
    out += s;
  }
  return out;
}

const char* builtinExpansion(std::string_view prefix) {
  for (const auto& p : kSssomBuiltinPrefixes)
    if (prefix == p.prefix) return p.expansion;
  return nullptr;
}

bool isValidPrefixName(const std::string& p) {
  if (p.empty()) return false;
  const unsigned char c0 = static_cast<unsigned char>(p[0]);
  if (!(std::isalpha(c0) || c0 == '_' || c0 >= 0x80)) return false;
  return std::all_of(p.begin(), p.end(), [](char c) { return isKeyChar(c); });
}

void applyMetadata(const std::vector<YamlTop>& tops, SssomDocument& doc) {
  SssomMetadata& m = doc.metadata;
  static const std::map<std::string, std::string SssomMetadata::*> scalars = {
      {"mapping_set_id", &SssomMetadata::mapping_set_id},
      {"mapping_set_version", &SssomMetadata::mapping_set_version},
      {"mapping_set_title", &SssomMetadata::mapping_set_title},
      {"mapping_set_description", &SssomMetadata::mapping_set_description},
      {"license", &SssomMetadata::license},
      {"mapping_date", &SssomMetadata::mapping_date},
      {"publication_date", &SssomMetadata::publication_date},
      {"comment", &SssomMetadata::comment},
      {"subject_source", &SssomMetadata::subject_source},
      {"subject_source_version", &SssomMetadata::subject_source_version},
      {"object_source", &SssomMetadata::object_source},
      {"object_source_version", &SssomMetadata::object_source_version},
      {"mapping_provider", &SssomMetadata::mapping_provider},
      {"mapping_tool", &SssomMetadata::mapping_tool},
      {"mapping_tool_version", &SssomMetadata::mapping_tool_version},
  };
  static const std::map<std::string, std::vector<std::string> SssomMetadata::*> lists = {
      {"creator_id", &SssomMetadata::creator_id},
      {"creator_label", &SssomMetadata::creator_label},
      {"mapping_set_source", &SssomMetadata::mapping_set_source},
  };
  for (const auto& t : tops) {
    const std::string where = at(doc.source, t.line);
    const YamlValue& v = t.value;
    auto values = [&] {
      std::vector<std::string> out;
      if (v.kind == YamlValue::Kind::Scalar) {
        // SSSOM allows a single value of a multi-valued slot to be written as a scalar.
        if (!v.scalar.empty()) out.push_back(text::nfc(v.scalar, where));
      } else {
        for (const auto& e : v.items) out.push_back(text::nfc(e.value, at(doc.source, e.line)));
      }
      return out;
    };
    if (t.key == "curie_map") {
      if (v.kind != YamlValue::Kind::Mapping &&
          !(v.kind == YamlValue::Kind::Scalar && v.scalar.empty()))
        throw invalid(where, "curie_map must be a mapping of prefix: expansion lines");
      for (const auto& e : v.items) {
        const std::string ew = at(doc.source, e.line);
        if (!isValidPrefixName(e.key))
          throw invalid(ew, "curie_map: '" + e.key + "' is not a valid prefix name");
        if (e.value.empty()) throw invalid(ew, "curie_map: prefix '" + e.key + "' has no IRI");
        if (const char* b = builtinExpansion(e.key); b && e.value != b)
          throw invalid(ew, "curie_map: the built-in prefix '" + e.key + "' must expand to " + b +
                                ", not " + e.value);
        doc.curie_map.emplace_back(e.key, text::nfc(e.value, ew));
      }
    } else if (t.key == "extension_definitions") {
      if (v.kind == YamlValue::Kind::Scalar && v.scalar.empty()) continue;
      if (v.kind != YamlValue::Kind::MappingSequence)
        throw invalid(where, "extension_definitions must be a list of mappings (- slot_name: ...)");
      for (const auto& item : v.mappings) {
        SssomExtensionDefinition d;
        for (const auto& e : item) {
          if (e.key == "slot_name")
            d.slot_name = e.value;
          else if (e.key == "property")
            d.property = e.value;
          else if (e.key == "type_hint")
            d.type_hint = e.value;
          else
            throw invalid(at(doc.source, e.line),
                          "extension_definitions: unknown key '" + e.key +
                              "' (expected slot_name, property, type_hint)");
        }
        if (d.slot_name.empty())
          throw invalid(at(doc.source, item.front().line),
                        "extension_definitions: an item has no slot_name");
        m.extension_definitions.push_back(std::move(d));
      }
    } else if (auto s = scalars.find(t.key); s != scalars.end()) {
      if (v.kind != YamlValue::Kind::Scalar)
        throw invalid(where, "'" + t.key + "' takes a single value, not a list or mapping");
      m.*(s->second) = text::nfc(v.scalar, where);
    } else if (auto l = lists.find(t.key); l != lists.end()) {
      if (v.kind == YamlValue::Kind::Mapping || v.kind == YamlValue::Kind::MappingSequence)
        throw invalid(where, "'" + t.key + "' takes a list of values, not a mapping");
      m.*(l->second) = values();
    } else {
      if (v.kind == YamlValue::Kind::Mapping || v.kind == YamlValue::Kind::MappingSequence)
        throw invalid(where, "'" + t.key +
                                 "' holds a nested mapping, which regcat does not understand "
                                 "(only curie_map and extension_definitions may)");
      m.other.emplace_back(t.key, joinBar(values()));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The TSV part

const char* const kRequiredColumns[] = {"subject_id", "predicate_id", "object_id",
                                        "mapping_justification"};

using RowField = std::string SssomRow::*;
const std::map<std::string, RowField>& rowFields() {
  static const std::map<std::string, RowField> fields = {
      {"subject_id", &SssomRow::subject_id},
      {"subject_label", &SssomRow::subject_label},
      {"predicate_id", &SssomRow::predicate_id},
      {"predicate_modifier", &SssomRow::predicate_modifier},
      {"object_id", &SssomRow::object_id},
      {"object_label", &SssomRow::object_label},
      {"mapping_justification", &SssomRow::mapping_justification},
      {"author_id", &SssomRow::author_id},
      {"author_label", &SssomRow::author_label},
      {"reviewer_id", &SssomRow::reviewer_id},
      {"reviewer_label", &SssomRow::reviewer_label},
      {"confidence", &SssomRow::confidence},
      {"comment", &SssomRow::comment},
      {"mapping_date", &SssomRow::mapping_date},
      {"subject_source", &SssomRow::subject_source},
      {"object_source", &SssomRow::object_source},
      {"object_source_version", &SssomRow::object_source_version},
  };
  return fields;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && s[b] == ' ') ++b;
  return s.substr(b);
}

}  // namespace

const std::string* SssomRow::find(std::string_view column) const {
  for (const auto& [k, v] : other)
    if (k == column) return &v;
  return nullptr;
}

SssomDocument parseSssom(std::string_view text, const std::string& source) {
  SssomDocument doc;
  doc.source = source;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (!text::isValidUtf8(text))
    throw invalid(source, "the file is not UTF-8 (SSSOM/TSV files must be UTF-8)");

  // The metadata block: the leading lines that start with '#'. The '#' may be followed by a
  // fixed number of spaces (the same on every line) before the YAML.
  std::vector<YamlLine> yaml;
  size_t pos = 0, line = 1;
  std::optional<size_t> margin;
  while (pos < text.size() && text[pos] == '#') {
    size_t nl = text.find('\n', pos);
    const size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string content(text.substr(pos + 1, end - pos - 1));
    if (!content.empty() && content.back() == '\r') content.pop_back();
    size_t spaces = 0;
    while (spaces < content.size() && content[spaces] == ' ') ++spaces;
    if (spaces < content.size() && content[spaces] == '\t')
      throw invalid(at(source, line), "YAML indentation must be spaces, not tabs");
    const std::string rest = trimmed(content);
    if (!rest.empty() && rest[0] != '#') {
      if (!margin) margin = spaces;
      if (spaces < *margin)
        throw invalid(at(source, line), "the metadata block's lines must all have at least " +
                                            std::to_string(*margin) + " space(s) after '#'");
      yaml.push_back({line, spaces - *margin, rest});
    } else {
      yaml.push_back({line, spaces, rest});
    }
    if (doc.metadata.line == 0) doc.metadata.line = line;
    ++line;
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  // Comment-only lines' indentation does not matter; give them the margin-relative value.
  for (auto& y : yaml)
    if (isBlank(y)) y.indent = 0;
  applyMetadata(parseYamlBlock(yaml, source), doc);

  // The table. readDelimited counts lines from the start of what it is given (and skips blank
  // lines), so the metadata block is replaced by as many empty lines: its line numbers, and
  // those of its errors, are then the file's.
  std::string table(line - 1, '\n');
  table.append(text.substr(pos));
  auto records = readDelimited(table, '\t', source);
  if (records.empty()) throw invalid(at(source, line), "no header row after the metadata block");
  const auto& header = records.front();
  doc.header_line = header.line;
  std::set<std::string> seen;
  for (const auto& h : header.fields) {
    const std::string name = trimmed(h);
    if (name.empty())
      throw invalid(at(source, header.line),
                    "column " + std::to_string(doc.columns.size() + 1) + " has no name");
    if (!seen.insert(name).second)
      throw invalid(at(source, header.line), "column '" + name + "' appears twice");
    doc.columns.push_back(name);
  }
  std::vector<std::string> missing;
  for (const char* c : kRequiredColumns)
    if (!seen.count(c)) missing.push_back(c);
  if (!missing.empty()) {
    std::string list;
    for (const auto& c : missing) list += (list.empty() ? "" : ", ") + c;
    throw invalid(at(source, header.line),
                  "the header has no " + list + " column" + (missing.size() > 1 ? "s" : ""));
  }
  const auto& fields = rowFields();
  for (size_t i = 1; i < records.size(); ++i) {
    const auto& r = records[i];
    const std::string where = at(source, r.line);
    if (r.fields.size() > doc.columns.size())
      throw invalid(where, "the row has " + std::to_string(r.fields.size()) +
                               " cells but the header has " + std::to_string(doc.columns.size()) +
                               " columns");
    SssomRow row;
    row.line = r.line;
    for (size_t c = 0; c < r.fields.size(); ++c) {
      std::string value = r.fields[c];
      if (!value.empty() && value.back() == '\r') value.pop_back();
      value = text::nfc(value, where);
      const std::string& name = doc.columns[c];
      if (auto f = fields.find(name); f != fields.end())
        row.*(f->second) = std::move(value);
      else if (!value.empty())
        row.other.emplace_back(name, std::move(value));
    }
    doc.rows.push_back(std::move(row));
  }
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Resolution

namespace {

struct Curie {
  std::string prefix, local, expansion;  // expansion of the prefix
};

class Resolver {
 public:
  Resolver(const SssomDocument& doc, const SssomResolveOptions& opt) : doc_(doc), opt_(opt) {
    base_ = opt.base_uri;
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
    variables_ = base_ + "/variables/";
  }

  // Splits and expands a CURIE; false with `why` set when it is not one regcat can read.
  bool curie(const std::string& s, Curie& c, std::string& why) const {
    const size_t colon = s.find(':');
    if (colon == std::string::npos || colon == 0) {
      why = "'" + s + "' is not a CURIE (prefix:local)";
      return false;
    }
    c.prefix = s.substr(0, colon);
    c.local = s.substr(colon + 1);
    if (c.local.rfind("//", 0) == 0) {
      why = "'" + s +
            "' is an IRI; SSSOM/TSV identifiers are CURIEs with a prefix declared in "
            "the curie_map";
      return false;
    }
    if (!isValidPrefixName(c.prefix)) {
      why = "'" + s + "' is not a CURIE ('" + c.prefix + "' is not a valid prefix name)";
      return false;
    }
    if (auto e = expansion(c.prefix)) {
      c.expansion = *e;
      return true;
    }
    why = "the prefix '" + c.prefix + "' of '" + s + "' is not declared in the curie_map";
    return false;
  }

  std::optional<std::string> expansion(const std::string& prefix) const {
    for (const auto& [p, e] : doc_.curie_map)
      if (p == prefix) return e;
    for (const auto& p : opt_.system_prefixes)
      if (p.prefix == prefix) return p.expansion;
    if (const char* b = builtinExpansion(prefix)) return std::string(b);
    for (const auto& s : kSssomSystems) {
      if (prefix == s.prefix) return std::string(s.expansion);
      if (prefix == s.source_prefix) return std::string(s.source_expansion);
    }
    for (const auto& a : kSssomPrefixAliases)
      if (prefix == a.prefix) return std::string(a.expansion);
    if (prefix == kSssomRegcatPrefix) return variables_;
    return std::nullopt;
  }

  // The code system whose concepts live under `expansion`.
  std::optional<std::string> systemOfNamespace(const std::string& expansion) const {
    for (const auto& p : opt_.system_prefixes)
      if (p.expansion == expansion) return p.system;
    for (const auto& s : kSssomSystems)
      if (expansion == s.expansion) return std::string(s.system);
    for (const auto& a : kSssomAlternateExpansions)
      if (expansion == a.expansion) return std::string(a.prefix);
    return std::nullopt;
  }

  // The code system an object_source IRI names: the system URI itself (with or without a
  // trailing '/'), or the source IRI of kSssomSystems.
  std::optional<std::string> systemOfSource(const std::string& iri) const {
    std::string bare = iri;
    while (!bare.empty() && bare.back() == '/') bare.pop_back();
    for (const auto& p : opt_.system_prefixes)
      if (p.system == bare || p.system == iri) return p.system;
    for (const auto& s : kSssomSystems) {
      if (bare == s.system) return std::string(s.system);
      std::string src = s.source;
      src = std::string(s.source_expansion) + src.substr(src.find(':') + 1);
      if (iri == src) return std::string(s.system);
    }
    return std::nullopt;
  }

  const std::string& variablesNamespace() const { return variables_; }

 private:
  const SssomDocument& doc_;
  const SssomResolveOptions& opt_;
  std::string base_, variables_;
};

bool percentDecode(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    const int hi = i + 1 < in.size() ? hexValue(in[i + 1]) : -1;
    const int lo = i + 2 < in.size() ? hexValue(in[i + 2]) : -1;
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return text::isValidUtf8(out);
}

// "{register}/{dataset}/{name}[#{code}]" as written after the regcat prefix (percent-encoding
// allowed in each part; a literal '#' separates the code).
std::optional<MappingSubject> subjectFromLocal(const std::string& local, std::string& why) {
  std::string varPart = local, codePart;
  bool hasCode = false;
  if (size_t hash = local.find('#'); hash != std::string::npos) {
    varPart = local.substr(0, hash);
    codePart = local.substr(hash + 1);
    hasCode = true;
  }
  std::string var, code;
  if (!percentDecode(varPart, var) || !percentDecode(codePart, code)) {
    why = "bad percent-encoding in '" + local + "'";
    return std::nullopt;
  }
  if (!hasCode) {
    // A tool that percent-encoded the '#' as well.
    if (size_t hash = var.find('#'); hash != std::string::npos) {
      code = var.substr(hash + 1);
      var = var.substr(0, hash);
      hasCode = true;
    }
  }
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t slash = var.find('/', start);
    parts.push_back(var.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (parts.size() != 3) {
    why = "'" + local + "' is not {register}/{dataset}/{variable}[#{code}]";
    return std::nullopt;
  }
  if (!isValidRegisterId(parts[0])) {
    why = "'" + parts[0] + "' is not a valid register id";
    return std::nullopt;
  }
  if (!isValidLocalName(parts[1]) || !isValidLocalName(parts[2])) {
    why = "'" + parts[1] + "/" + parts[2] + "' is not a valid dataset/variable name";
    return std::nullopt;
  }
  if (hasCode && code.empty()) {
    why = "'" + local + "' has an empty code after '#'";
    return std::nullopt;
  }
  MappingSubject s;
  s.register_id = parts[0];
  s.dataset_id = parts[1];
  s.variable = parts[2];
  s.code = code;
  return s;
}

std::string subjectKey(const MappingSubject& s) {
  return s.variableKey() + (s.code.empty() ? "" : "#" + s.code);
}

bool oneOf(const std::string& s, const auto& list) {
  for (const char* x : list)
    if (s == x) return true;
  return false;
}

}  // namespace

SssomResolution resolveSssom(const SssomDocument& doc, const SssomResolveOptions& opt) {
  if (!oneOf(opt.default_status, kMappingStatuses))
    throw invalid("default_status", "'" + opt.default_status + "' is not a mapping status");
  const Resolver resolver(doc, opt);
  SssomResolution out;
  std::string setStatus;
  for (const auto& [k, v] : doc.metadata.other)
    if (k == kSssomStatusSlot) setStatus = v;
  if (!setStatus.empty() && !oneOf(setStatus, kMappingStatuses)) {
    out.problems.push_back({doc.metadata.line, at(doc.source, doc.metadata.line), kSssomStatusSlot,
                            "'" + setStatus +
                                "' is not one of suggested, proposed, approved, "
                                "rejected"});
    setStatus.clear();
  }
  static const std::string skos = "http://www.w3.org/2004/02/skos/core#";
  static const std::string semapv = "https://w3id.org/semapv/vocab/";
  static const std::string sssom = "https://w3id.org/sssom/";
  std::map<std::string, size_t> firstLine;  // subject|system|concept -> line

  for (const auto& row : doc.rows) {
    const std::string where = at(doc.source, row.line);
    auto problem = [&](const std::string& column, const std::string& message) {
      out.problems.push_back({row.line, where, column, message});
    };
    Mapping m;
    std::string why;

    // Subject: a variable or code of this catalogue.
    Curie sc;
    if (row.subject_id.empty()) {
      problem("subject_id", "empty");
      continue;
    }
    if (!resolver.curie(row.subject_id, sc, why)) {
      problem("subject_id", why);
      continue;
    }
    std::string local;
    const std::string subjectIri = sc.expansion + sc.local;
    if (sc.prefix == kSssomRegcatPrefix) {
      local = sc.local;
    } else if (subjectIri.rfind(resolver.variablesNamespace(), 0) == 0) {
      local = subjectIri.substr(resolver.variablesNamespace().size());
    } else {
      problem("subject_id", "'" + row.subject_id +
                                "' is not a regcat variable (expected regcat:{register}/"
                                "{dataset}/{variable}[#{code}], regcat: expanding to " +
                                resolver.variablesNamespace() + ")");
      continue;
    }
    auto subject = subjectFromLocal(local, why);
    if (!subject) {
      problem("subject_id", why);
      continue;
    }
    m.subject = *subject;
    m.subject_label = row.subject_label;

    // Predicate.
    Curie pc;
    if (row.predicate_id.empty()) {
      problem("predicate_id", "empty");
      continue;
    }
    if (!resolver.curie(row.predicate_id, pc, why)) {
      problem("predicate_id", why);
      continue;
    }
    const std::string predicateIri = pc.expansion + pc.local;
    if (predicateIri == "http://www.w3.org/2002/07/owl#equivalentClass") {
      // An OWL equivalence between classes asserts the same as skos:exactMatch for our purpose.
      m.predicate = "skos:exactMatch";
    } else if (predicateIri.rfind(skos, 0) == 0 &&
               oneOf("skos:" + predicateIri.substr(skos.size()), kPredicates)) {
      m.predicate = "skos:" + predicateIri.substr(skos.size());
    } else {
      problem("predicate_id", "'" + row.predicate_id +
                                  "' is not one of skos:exactMatch, skos:closeMatch, "
                                  "skos:broadMatch, skos:narrowMatch, skos:relatedMatch");
      continue;
    }

    // Object: a concept of a known code system, or sssom:NoTermFound in the system named by
    // object_source.
    Curie oc;
    if (row.object_id.empty()) {
      problem("object_id", "empty (write sssom:NoTermFound when there is no concept)");
      continue;
    }
    if (!resolver.curie(row.object_id, oc, why)) {
      problem("object_id", why);
      continue;
    }
    const std::string objectIri = oc.expansion + oc.local;
    // sssom:NoMapping is the name older SSSOM versions (and their examples) used.
    if (objectIri == sssom + "NoTermFound" || objectIri == sssom + "NoMapping") {
      const std::string& src =
          row.object_source.empty() ? doc.metadata.object_source : row.object_source;
      if (src.empty()) {
        problem("object_source",
                "sssom:NoTermFound needs object_source naming the code system that was searched");
        continue;
      }
      Curie srcc;
      if (!resolver.curie(src, srcc, why)) {
        problem("object_source", why);
        continue;
      }
      auto system = resolver.systemOfSource(srcc.expansion + srcc.local);
      if (!system) {
        problem("object_source", "'" + src + "' is not a code system regcat knows");
        continue;
      }
      m.system = *system;
      m.concept_id = kNoTermFound;
    } else {
      auto system = resolver.systemOfNamespace(oc.expansion);
      if (!system) {
        problem("object_id", "'" + row.object_id + "': the prefix '" + oc.prefix + "' (" +
                                 oc.expansion + ") is not a code system regcat knows");
        continue;
      }
      std::string code;
      if (!percentDecode(oc.local, code) || code.empty() ||
          code.find_first_of(" \t\r\n") != std::string::npos) {
        problem("object_id", "'" + row.object_id + "' has no valid code after the prefix");
        continue;
      }
      if (*system == "http://snomed.info/sct" && !sctid::isValid(code, sctid::Component::Concept)) {
        problem("object_id", "'" + code +
                                 "' is not a SNOMED CT concept id (check digit, partition or "
                                 "length is wrong)");
        continue;
      }
      m.system = *system;
      m.concept_id = code;
      m.concept_label = row.object_label;
    }

    // Justification.
    Curie jc;
    if (row.mapping_justification.empty()) {
      problem("mapping_justification", "empty (e.g. semapv:ManualMappingCuration)");
      continue;
    }
    if (!resolver.curie(row.mapping_justification, jc, why)) {
      problem("mapping_justification", why);
      continue;
    }
    const std::string justIri = jc.expansion + jc.local;
    if (justIri.rfind(semapv, 0) != 0 ||
        !oneOf("semapv:" + justIri.substr(semapv.size()), kSssomJustifications)) {
      problem("mapping_justification",
              "'" + row.mapping_justification + "' is not a SSSOM mapping justification");
      continue;
    }
    m.justification = "semapv:" + justIri.substr(semapv.size());

    // Confidence.
    if (!row.confidence.empty()) {
      double c = 0;
      const char* b = row.confidence.data();
      const char* e = b + row.confidence.size();
      auto [p, ec] = std::from_chars(b, e, c);
      if (ec != std::errc() || p != e || !std::isfinite(c) || c < 0 || c > 1) {
        problem("confidence", "'" + row.confidence + "' is not a number between 0 and 1");
        continue;
      }
      m.confidence = c;
    }

    // Status: the row's regcat_status, else the set's, else the option; a negated mapping
    // ("not a match", predicate_modifier Not) is a rejected one.
    std::string status;
    if (const std::string* s = row.find(kSssomStatusSlot)) status = *s;
    if (!status.empty() && !oneOf(status, kMappingStatuses)) {
      problem(kSssomStatusSlot,
              "'" + status + "' is not one of suggested, proposed, approved, rejected");
      continue;
    }
    if (!row.predicate_modifier.empty()) {
      if (row.predicate_modifier != "Not") {
        problem("predicate_modifier", "'" + row.predicate_modifier + "' is not 'Not'");
        continue;
      }
      if (!status.empty() && status != "rejected") {
        problem("predicate_modifier",
                "a negated mapping (Not) cannot have regcat_status '" + status + "'");
        continue;
      }
      status = "rejected";
    }
    if (status.empty()) status = setStatus.empty() ? opt.default_status : setStatus;
    m.status = status;

    m.author = row.author_id.empty() ? row.author_label : row.author_id;
    m.reviewer = row.reviewer_id.empty() ? row.reviewer_label : row.reviewer_id;
    m.comment = row.comment;
    m.release = row.object_source_version.empty() ? doc.metadata.object_source_version
                                                  : row.object_source_version;

    const std::string key = subjectKey(m.subject) + "|" + m.system + "|" + m.concept_id;
    if (auto [it, fresh] = firstLine.emplace(key, row.line); !fresh) {
      problem("object_id", "the mapping of " + subjectKey(m.subject) + " to " + row.object_id +
                               " appears twice (first on line " + std::to_string(it->second) + ")");
      continue;
    }
    SssomResolvedMapping r;
    r.line = row.line;
    r.mapping = std::move(m);
    r.mapping_date = row.mapping_date.empty() ? doc.metadata.mapping_date : row.mapping_date;
    out.mappings.push_back(std::move(r));
  }
  return out;
}

}  // namespace regcat
