// SNOMED CT Expression Constraint Language (ECL 2.x subset): parsing to an expression tree and
// evaluating it against a concept source. Supported: a concept reference (with optional
// |term|), *, < << > >> <! >! (children/parents), ^ (member of refset), AND / OR / MINUS
// (also written `,`), parentheses, and refinements `: attribute = value` with the attribute
// and value themselves constraints, joined by `,` (AND) and OR, optionally in { } groups.
// Parse errors report the 1-based column.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace regcat::ecl {

using ConceptId = int64_t;
// Sorted, without duplicates.
using ConceptSet = std::vector<ConceptId>;

class ParseError : public std::runtime_error {
 public:
  ParseError(size_t column, const std::string& message)
      : std::runtime_error("ECL column " + std::to_string(column) + ": " + message),
        column_(column) {}
  size_t column() const { return column_; }

 private:
  size_t column_;
};

struct Expression;
using ExpressionPtr = std::shared_ptr<const Expression>;

// Parses an expression; throws ParseError.
ExpressionPtr parse(const std::string& text);
// The expression written back in canonical ECL (for logs and FHIR answers).
std::string toString(const Expression& e);

// What evaluation needs from a terminology. All results are sorted and unique.
class ConceptSource {
 public:
  virtual ~ConceptSource() = default;
  virtual bool exists(ConceptId id) const = 0;             // active concept
  virtual ConceptSet allConcepts() const = 0;              // every active concept
  virtual ConceptSet descendants(ConceptId id) const = 0;  // excluding self
  virtual ConceptSet ancestors(ConceptId id) const = 0;    // excluding self
  virtual ConceptSet children(ConceptId id) const = 0;
  virtual ConceptSet parents(ConceptId id) const = 0;
  virtual ConceptSet refsetMembers(ConceptId refset) const = 0;  // active members
  // Sources of active relationships whose type is in `types` and destination in `values`;
  // each result is (source, group). Group 0 means ungrouped.
  struct AttributeHit {
    ConceptId source;
    int group;
    bool operator<(const AttributeHit& o) const {
      return source != o.source ? source < o.source : group < o.group;
    }
  };
  virtual std::vector<AttributeHit> attributeSources(const ConceptSet& types,
                                                     const ConceptSet& values) const = 0;
};

// Evaluates an expression. Throws std::runtime_error for constraints that cannot be evaluated
// (e.g. an unknown concept is an empty set, not an error).
ConceptSet evaluate(const Expression& e, const ConceptSource& source);

}  // namespace regcat::ecl
