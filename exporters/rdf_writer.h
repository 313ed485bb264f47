// Streaming serialisers for rdf_graph.h: Turtle (with prefixes), JSON-LD (compacted with an
// inline @context, so that it is readable without network) and RDF/XML (what Sveriges
// dataportal harvests). Output is written graph by graph: begin, any number of writes, end.
//
// Within one write, triples are grouped by subject and then by predicate in the order they were
// added; a subject that comes back in a later write simply starts another block (another node
// object in JSON-LD, another rdf:Description in RDF/XML), which every syntax allows.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "exporters/rdf_graph.h"

namespace regcat::rdf {

enum class Syntax { Turtle, JsonLd, RdfXml };

// "text/turtle; charset=utf-8", "application/ld+json", "application/rdf+xml; charset=utf-8".
std::string mediaType(Syntax s);
// The media type without parameters: "text/turtle", "application/ld+json", ...
std::string mediaTypeName(Syntax s);
// "ttl", "jsonld", "rdf".
std::string fileExtension(Syntax s);

struct Stream {
  Syntax syntax = Syntax::Turtle;
  std::ostream* out = nullptr;
  std::vector<Prefix> prefixes = defaultPrefixes();
  // Written so far.
  size_t blocks = 0, triples = 0;
};

void begin(Stream& s);
void write(Stream& s, const Graph& g);
void end(Stream& s);

// One graph as one document.
std::string serialise(const Graph& g, Syntax syntax);

}  // namespace regcat::rdf
