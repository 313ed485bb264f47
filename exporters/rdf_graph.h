// A small RDF model for the linked-data exporters (DCAT-AP, HealthDCAT-AP, FAIR Data Point):
// terms (IRI, blank node, literal with a language tag or a datatype) and triples. Exporters build
// one Graph per unit of output (a register, a metadata record) and hand it to a serialiser
// (rdf_writer.h), so that memory stays bounded by one register however large the catalogue.
//
// Text is cleaned once, here, when a literal is made (NFC, and no characters XML 1.0 cannot
// carry), so that the Turtle, JSON-LD and RDF/XML serialisations of a graph hold exactly the same
// triples.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace regcat::rdf {

// Namespaces the exporters use; every serialiser knows these prefixes.
namespace ns {
inline constexpr const char* rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
inline constexpr const char* rdfs = "http://www.w3.org/2000/01/rdf-schema#";
inline constexpr const char* xsd = "http://www.w3.org/2001/XMLSchema#";
inline constexpr const char* owl = "http://www.w3.org/2002/07/owl#";
inline constexpr const char* dcat = "http://www.w3.org/ns/dcat#";
inline constexpr const char* dct = "http://purl.org/dc/terms/";
inline constexpr const char* dcatap = "http://data.europa.eu/r5r/";
inline constexpr const char* foaf = "http://xmlns.com/foaf/0.1/";
inline constexpr const char* vcard = "http://www.w3.org/2006/vcard/ns#";
inline constexpr const char* skos = "http://www.w3.org/2004/02/skos/core#";
inline constexpr const char* csvw = "http://www.w3.org/ns/csvw#";
inline constexpr const char* adms = "http://www.w3.org/ns/adms#";
inline constexpr const char* eli = "http://data.europa.eu/eli/ontology#";
// HealthDCAT-AP's namespace as its SHACL shapes use it.
inline constexpr const char* healthdcatap = "http://healthdataportal.eu/ns/health#";
inline constexpr const char* ldp = "http://www.w3.org/ns/ldp#";
inline constexpr const char* fdpo = "https://w3id.org/fdp/fdp-o#";
inline constexpr const char* datacite = "http://purl.org/spar/datacite/";
}  // namespace ns

struct Prefix {
  std::string name, iri;
};
// The prefixes above, in the order serialisers declare them.
const std::vector<Prefix>& defaultPrefixes();

struct Term {
  enum class Kind { Iri, Blank, Literal };
  Kind kind = Kind::Iri;
  std::string value;     // IRI, blank node label (without "_:") or literal text
  std::string lang;      // literal language tag, lower case
  std::string datatype;  // literal datatype IRI; empty for plain and language-tagged literals

  bool isIri() const { return kind == Kind::Iri; }
  bool isBlank() const { return kind == Kind::Blank; }
  bool isLiteral() const { return kind == Kind::Literal; }
  bool operator==(const Term&) const = default;
};

struct Triple {
  Term s;
  std::string p;  // predicate IRI
  Term o;
};

struct Graph {
  std::vector<Triple> triples;
  bool empty() const { return triples.empty(); }
};

// Term makers. `iri` expects an absolute IRI (see safeIri); `text`, `langText` and `typed`
// clean their text (NFC; characters XML 1.0 cannot carry are dropped).
Term iri(std::string value);
Term blank(std::string label);
Term text(std::string_view value);
Term langText(std::string_view value, std::string lang);
Term typed(std::string_view lexical, std::string datatypeIri);
// xsd:date, xsd:dateTime, xsd:gYear, xsd:decimal, xsd:nonNegativeInteger, xsd:boolean.
Term date(const std::string& isoDate);
Term dateTime(const std::string& isoDateTime);
Term decimal(double v);
Term nonNegativeInteger(long long v);
Term boolean(bool v);

// Adds a triple; rdf:type when p is "a".
void add(Graph& g, const Term& s, const std::string& p, const Term& o);
// Adds one language-tagged literal per non-empty language of a Swedish/English pair.
void addText(Graph& g, const Term& s, const std::string& p, const std::string& sv,
             const std::string& en);

// A user-supplied web address as an IRI: absolute (scheme ':' ...) after trimming, with the
// characters an IRI may not contain (space, controls, <>"{}|\^`) percent-encoded; empty when the
// text is not an absolute address at all.
std::string safeIri(std::string_view address);
// "mailto:" + address for something that looks like an e-mail address; empty otherwise.
std::string mailtoIri(std::string_view address);
// Percent-encodes what may not stand in an IRI path segment ('/', '?', '#', '%', space, ...);
// letters beyond ASCII (å, ä, ö) stay as they are, as IRIs allow.
std::string iriSegment(std::string_view s);

// Text as a literal can carry it: NFC, without the control characters XML 1.0 forbids.
std::string cleanText(std::string_view s);

}  // namespace regcat::rdf
