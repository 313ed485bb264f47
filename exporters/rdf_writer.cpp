#include "exporters/rdf_writer.h"

#include <cstdio>
#include <sstream>
#include <unordered_map>

#include "catalog/errors.h"

namespace regcat::rdf {
namespace {

const std::string kRdfType = std::string(ns::rdf) + "type";

// One subject with its predicates and objects, in the order they were added.
struct Block {
  const Term* subject = nullptr;
  std::vector<std::pair<const std::string*, std::vector<const Term*>>> props;
};

std::string termKey(const Term& t) {
  return (t.isBlank() ? "_:" : "<") + t.value;
}

std::vector<Block> group(const Graph& g) {
  std::vector<Block> blocks;
  std::unordered_map<std::string, size_t> index;
  for (const auto& t : g.triples) {
    auto [it, fresh] = index.emplace(termKey(t.s), blocks.size());
    if (fresh) blocks.push_back({&t.s, {}});
    auto& props = blocks[it->second].props;
    auto p = props.begin();
    while (p != props.end() && *p->first != t.p) ++p;
    if (p == props.end()) {
      props.push_back({&t.p, {}});
      p = props.end() - 1;
    }
    bool dup = false;
    for (const Term* o : p->second) dup = dup || *o == t.o;
    if (!dup) p->second.push_back(&t.o);
  }
  return blocks;
}

bool localNameOk(const std::string& s, bool xml) {
  // A conservative subset of both Turtle's PN_LOCAL and XML's NCName: ASCII letters, digits,
  // '_' and '-', not starting with a digit or '-'.
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (i == 0 ? !alpha && !(digit && !xml) : !alpha && !digit && c != '-') return false;
  }
  return true;
}

// prefix:local for an IRI under a known prefix, or "" when it has none.
std::string curie(const std::vector<Prefix>& prefixes, const std::string& iri, bool xml) {
  for (const auto& p : prefixes)
    if (iri.size() > p.iri.size() && iri.compare(0, p.iri.size(), p.iri) == 0) {
      const std::string local = iri.substr(p.iri.size());
      if (localNameOk(local, xml)) return p.name + ":" + local;
    }
  return {};
}

// --- Turtle ---------------------------------------------------------------------------------

void turtleIri(std::string& o, const std::string& iri) {
  o += '<';
  for (unsigned char c : iri) {
    if (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' ||
        c == '^' || c == '`' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", c);
      o += buf;
    } else {
      o += static_cast<char>(c);
    }
  }
  o += '>';
}

void turtleString(std::string& o, const std::string& s) {
  o += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        o += "\\\"";
        break;
      case '\\':
        o += "\\\\";
        break;
      case '\n':
        o += "\\n";
        break;
      case '\r':
        o += "\\r";
        break;
      case '\t':
        o += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          o += buf;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  o += '"';
}

void turtleTerm(std::string& o, const Stream& s, const Term& t) {
  if (t.isBlank()) {
    o += "_:" + t.value;
  } else if (t.isIri()) {
    const std::string c = curie(s.prefixes, t.value, false);
    if (c.empty())
      turtleIri(o, t.value);
    else
      o += c;
  } else {
    turtleString(o, t.value);
    if (!t.lang.empty()) {
      o += '@' + t.lang;
    } else if (!t.datatype.empty()) {
      o += "^^";
      turtleTerm(o, s, iri(t.datatype));
    }
  }
}

void turtleBlocks(Stream& s, const std::vector<Block>& blocks, std::string& o) {
  for (const auto& b : blocks) {
    turtleTerm(o, s, *b.subject);
    for (size_t i = 0; i < b.props.size(); ++i) {
      o += i ? " ;\n    " : " ";
      const std::string& p = *b.props[i].first;
      if (p == kRdfType)
        o += 'a';
      else
        turtleTerm(o, s, iri(p));
      const auto& objects = b.props[i].second;
      for (size_t k = 0; k < objects.size(); ++k) {
        o += k ? ", " : " ";
        turtleTerm(o, s, *objects[k]);
      }
    }
    o += " .\n\n";
  }
}

// --- JSON-LD --------------------------------------------------------------------------------

void jsonString(std::string& o, const std::string& s) {
  o += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        o += "\\\"";
        break;
      case '\\':
        o += "\\\\";
        break;
      case '\n':
        o += "\\n";
        break;
      case '\r':
        o += "\\r";
        break;
      case '\t':
        o += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          o += buf;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  o += '"';
}

// Keys and @type values are compacted to prefix:local where possible; @id values stay absolute
// so that nothing depends on how a reader resolves them.
std::string jsonKey(const Stream& s, const std::string& iri) {
  const std::string c = curie(s.prefixes, iri, false);
  return c.empty() ? iri : c;
}

void jsonObject(std::string& o, const Stream& s, const Term& t) {
  if (t.isBlank()) {
    o += "{\"@id\":";
    jsonString(o, "_:" + t.value);
    o += '}';
  } else if (t.isIri()) {
    o += "{\"@id\":";
    jsonString(o, t.value);
    o += '}';
  } else {
    o += "{\"@value\":";
    jsonString(o, t.value);
    if (!t.lang.empty()) {
      o += ",\"@language\":";
      jsonString(o, t.lang);
    } else if (!t.datatype.empty()) {
      o += ",\"@type\":";
      jsonString(o, jsonKey(s, t.datatype));
    }
    o += '}';
  }
}

void jsonBlocks(Stream& s, const std::vector<Block>& blocks, std::string& o) {
  for (const auto& b : blocks) {
    o += s.blocks++ ? ",\n    {" : "\n    {";
    o += "\"@id\":";
    jsonString(o, (b.subject->isBlank() ? "_:" : "") + b.subject->value);
    for (const auto& [p, objects] : b.props) {
      if (*p == kRdfType) {
        o += ",\n      \"@type\":[";
        for (size_t k = 0; k < objects.size(); ++k) {
          if (k) o += ',';
          jsonString(
              o, objects[k]->isBlank() ? "_:" + objects[k]->value : jsonKey(s, objects[k]->value));
        }
        o += ']';
        continue;
      }
      o += ",\n      ";
      jsonString(o, jsonKey(s, *p));
      o += ":[";
      for (size_t k = 0; k < objects.size(); ++k) {
        if (k) o += ',';
        jsonObject(o, s, *objects[k]);
      }
      o += ']';
    }
    o += '}';
  }
}

// --- RDF/XML --------------------------------------------------------------------------------

void xmlEscape(std::string& o, const std::string& s, bool attribute) {
  for (unsigned char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += attribute ? "&quot;" : "\"";
        break;
      case '\r':  // an XML parser turns a raw CR (and CR LF) into LF
        o += "&#13;";
        break;
      case '\n':
        o += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        o += attribute ? "&#9;" : "\t";
        break;
      default:
        o += static_cast<char>(c);
    }
  }
}

// The element name for a predicate or class IRI: a known prefix, else a namespace declared on
// the element itself (split after the last '#' or '/').
std::string xmlName(const Stream& s, const std::string& iri, std::string& nsDecl) {
  nsDecl.clear();
  std::string c = curie(s.prefixes, iri, true);
  if (!c.empty()) return c;
  const size_t cut = iri.find_last_of("#/");
  if (cut != std::string::npos && localNameOk(iri.substr(cut + 1), true)) {
    nsDecl = " xmlns:ns0=\"";
    xmlEscape(nsDecl, iri.substr(0, cut + 1), true);
    nsDecl += '"';
    return "ns0:" + iri.substr(cut + 1);
  }
  throw Error(Error::Kind::Internal, iri, "cannot be written as an RDF/XML element name");
}

void xmlBlocks(Stream& s, const std::vector<Block>& blocks, std::string& o) {
  std::string decl;
  for (const auto& b : blocks) {
    // A typed node element for the first type with a prefixed name; other types as rdf:type.
    std::string element = "rdf:Description";
    const Term* nodeType = nullptr;
    for (const auto& [p, objects] : b.props)
      if (*p == kRdfType)
        for (const Term* t : objects)
          if (!nodeType && t->isIri() && !curie(s.prefixes, t->value, true).empty()) {
            nodeType = t;
            element = curie(s.prefixes, t->value, true);
          }
    o += "  <" + element;
    if (b.subject->isBlank()) {
      o += " rdf:nodeID=\"";
      xmlEscape(o, b.subject->value, true);
    } else {
      o += " rdf:about=\"";
      xmlEscape(o, b.subject->value, true);
    }
    o += "\">\n";
    for (const auto& [p, objects] : b.props) {
      for (const Term* t : objects) {
        if (t == nodeType) continue;
        const std::string name = xmlName(s, *p, decl);
        o += "    <" + name + decl;
        if (t->isIri()) {
          o += " rdf:resource=\"";
          xmlEscape(o, t->value, true);
          o += "\"/>\n";
        } else if (t->isBlank()) {
          o += " rdf:nodeID=\"";
          xmlEscape(o, t->value, true);
          o += "\"/>\n";
        } else {
          if (!t->lang.empty()) {
            o += " xml:lang=\"";
            xmlEscape(o, t->lang, true);
            o += '"';
          } else if (!t->datatype.empty()) {
            o += " rdf:datatype=\"";
            xmlEscape(o, t->datatype, true);
            o += '"';
          }
          o += '>';
          xmlEscape(o, t->value, false);
          o += "</" + name + ">\n";
        }
      }
    }
    o += "  </" + element + ">\n";
    ++s.blocks;
  }
}

}  // namespace

std::string mediaTypeName(Syntax s) {
  switch (s) {
    case Syntax::Turtle:
      return "text/turtle";
    case Syntax::JsonLd:
      return "application/ld+json";
    case Syntax::RdfXml:
      return "application/rdf+xml";
  }
  return {};
}

std::string mediaType(Syntax s) {
  // JSON is UTF-8 by definition (RFC 8259); the other two say so.
  return s == Syntax::JsonLd ? mediaTypeName(s) : mediaTypeName(s) + "; charset=utf-8";
}

std::string fileExtension(Syntax s) {
  switch (s) {
    case Syntax::Turtle:
      return "ttl";
    case Syntax::JsonLd:
      return "jsonld";
    case Syntax::RdfXml:
      return "rdf";
  }
  return {};
}

void begin(Stream& s) {
  std::string o;
  switch (s.syntax) {
    case Syntax::Turtle:
      for (const auto& p : s.prefixes) {
        o += "@prefix " + p.name + ": ";
        turtleIri(o, p.iri);
        o += " .\n";
      }
      o += '\n';
      break;
    case Syntax::JsonLd:
      o += "{\n  \"@context\": {";
      for (size_t i = 0; i < s.prefixes.size(); ++i) {
        o += i ? ",\n    " : "\n    ";
        jsonString(o, s.prefixes[i].name);
        o += ": ";
        jsonString(o, s.prefixes[i].iri);
      }
      o += "\n  },\n  \"@graph\": [";
      break;
    case Syntax::RdfXml:
      o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rdf:RDF";
      for (const auto& p : s.prefixes) {
        o += "\n    xmlns:" + p.name + "=\"";
        xmlEscape(o, p.iri, true);
        o += '"';
      }
      o += ">\n";
      break;
  }
  s.out->write(o.data(), std::streamsize(o.size()));
}

void write(Stream& s, const Graph& g) {
  if (g.empty()) return;
  const auto blocks = group(g);
  std::string o;
  o.reserve(g.triples.size() * 96);
  switch (s.syntax) {
    case Syntax::Turtle:
      turtleBlocks(s, blocks, o);
      s.blocks += blocks.size();
      break;
    case Syntax::JsonLd:
      jsonBlocks(s, blocks, o);
      break;
    case Syntax::RdfXml:
      xmlBlocks(s, blocks, o);
      break;
  }
  s.triples += g.triples.size();
  s.out->write(o.data(), std::streamsize(o.size()));
}

void end(Stream& s) {
  switch (s.syntax) {
    case Syntax::Turtle:
      break;
    case Syntax::JsonLd:
      *s.out << "\n  ]\n}\n";
      break;
    case Syntax::RdfXml:
      *s.out << "</rdf:RDF>\n";
      break;
  }
  s.out->flush();
}

std::string serialise(const Graph& g, Syntax syntax) {
  std::ostringstream out;
  Stream s;
  s.syntax = syntax;
  s.out = &out;
  begin(s);
  write(s, g);
  end(s);
  return out.str();
}

}  // namespace regcat::rdf
