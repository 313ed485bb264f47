#include "mapping/ecl.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace regcat::ecl {

// The expression tree. Compound operators are n-ary so that a long chain (`a OR b OR ...`) is a
// flat vector rather than deep recursion; nesting only comes from parentheses and groups, which
// the parser limits to kMaxDepth.
struct Expression {
  enum class Kind {
    Concept,      // id [|term|]
    Any,          // *
    Hierarchy,    // axis operands[0]
    MemberOf,     // ^ operands[0]
    Conjunction,  // operands[0] AND operands[1] AND ...
    Disjunction,  // operands[0] OR ...
    Exclusion,    // operands[0] MINUS operands[1] MINUS ... (left-associative)
    Refined,      // operands[0] : refinement
  };
  enum class Axis {
    DescendantOf,
    DescendantOrSelfOf,
    AncestorOf,
    AncestorOrSelfOf,
    ChildOf,
    ParentOf
  };

  // [min..max]; max < 0 is '*'. `written` keeps an explicit [1..*] in toString.
  struct Cardinality {
    int64_t min = 1;
    int64_t max = -1;
    bool written = false;
  };

  struct Refinement;
  using RefinementPtr = std::shared_ptr<const Refinement>;
  struct Refinement {
    enum class Kind { Attribute, Conjunction, Disjunction, Group };
    Kind kind = Kind::Attribute;
    Cardinality cardinality;           // Attribute, Group
    ExpressionPtr name;                // Attribute
    bool notEqual = false;             // Attribute: `!=` rather than `=`
    ExpressionPtr value;               // Attribute
    std::vector<RefinementPtr> items;  // Conjunction, Disjunction (two or more); Group (one)
  };

  Kind kind = Kind::Concept;
  ConceptId id = 0;                     // Concept
  std::string term;                     // Concept; empty when none was written
  Axis axis = Axis::DescendantOf;       // Hierarchy
  std::vector<ExpressionPtr> operands;  // Hierarchy, MemberOf, Refined: one; compounds: 2+
  RefinementPtr refinement;             // Refined
};

namespace {

using Kind = Expression::Kind;
using Axis = Expression::Axis;
using Cardinality = Expression::Cardinality;
using Refinement = Expression::Refinement;
using RefinementPtr = Expression::RefinementPtr;
using Hit = ConceptSource::AttributeHit;

// Deep enough for any hand-written or generated constraint, shallow enough that recursion in the
// parser, toString, evaluation and the tree's destructor cannot exhaust the stack.
constexpr int kMaxDepth = 200;

// ---------------------------------------------------------------------------------------------
// Lexing

enum class Tok {
  End,
  Number,
  Term,  // |...| including the pipes
  Word,  // ASCII letters: AND, OR, MINUS, R, long-form operators
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Colon,
  Comma,
  Eq,
  NotEq,
  Lt,
  LtLt,
  LtBang,
  Gt,
  GtGt,
  GtBang,
  Caret,
  Star,
  DotDot,
  Other,  // anything else, one code point; always a syntax error where it appears
};

struct Token {
  Tok kind = Tok::End;
  size_t begin = 0;  // byte offsets into the input
  size_t end = 0;
};

// 1-based column in code points: users count characters, and a Swedish term before the error
// must not shift the column by its two-byte letters.
size_t columnAt(std::string_view text, size_t byte) {
  size_t column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  return column;
}

// Offset of the first byte that is not part of well-formed UTF-8, or npos. Checked up front so
// that columns are meaningful and terms handed back by toString are valid text.
size_t invalidUtf8At(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

size_t utf8Length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

enum class BinOp { None, And, Or, Minus };

const char* binOpName(BinOp op) {
  switch (op) {
    case BinOp::And:
      return "AND";
    case BinOp::Or:
      return "OR";
    case BinOp::Minus:
      return "MINUS";
    case BinOp::None:
      break;
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Parsing: recursive descent with one token of lookahead.

struct Parser {
  std::string_view text;
  size_t pos = 0;  // where the lexer continues, after `tok`
  Token tok;       // the lookahead
  int depth = 0;

  explicit Parser(std::string_view t) : text(t) {
    if (const size_t bad = invalidUtf8At(text); bad != std::string_view::npos)
      throw ParseError(columnAt(text, bad), "the expression is not valid UTF-8");
    advance();
  }

  size_t column(const Token& t) const { return columnAt(text, t.begin); }
  std::string_view textOf(const Token& t) const { return text.substr(t.begin, t.end - t.begin); }

  [[noreturn]] void fail(const Token& t, const std::string& message) const {
    throw ParseError(column(t), message);
  }

  std::string describe(const Token& t) const {
    switch (t.kind) {
      case Tok::End:
        return "end of input";
      case Tok::Term:
        return "a term '|...|'";
      default: {
        std::string_view s = textOf(t);
        // Numbers and words are ASCII, so cutting them cannot split a character.
        if (s.size() > 30) return "'" + std::string(s.substr(0, 30)) + "...'";
        return "'" + std::string(s) + "'";
      }
    }
  }

  [[noreturn]] void expected(const std::string& what) const {
    fail(tok, "expected " + what + " but found " + describe(tok));
  }

  void skipSpaceAndComments() {
    while (pos < text.size()) {
      if (isSpace(text[pos])) {
        ++pos;
      } else if (text.compare(pos, 2, "/*") == 0) {
        const size_t close = text.find("*/", pos + 2);
        if (close == std::string_view::npos)
          throw ParseError(columnAt(text, pos), "unterminated comment: missing '*/'");
        pos = close + 2;
      } else {
        break;
      }
    }
  }

  void advance() {
    skipSpaceAndComments();
    tok.begin = pos;
    if (pos >= text.size()) {
      tok.kind = Tok::End;
      tok.end = pos;
      return;
    }
    const char c = text[pos];
    const char next = pos + 1 < text.size() ? text[pos + 1] : '\0';
    auto single = [&](Tok k, size_t len = 1) {
      tok.kind = k;
      pos += len;
    };
    if (isDigit(c)) {
      while (pos < text.size() && isDigit(text[pos])) ++pos;
      tok.kind = Tok::Number;
    } else if (isLetter(c)) {
      while (pos < text.size() && isLetter(text[pos])) ++pos;
      tok.kind = Tok::Word;
    } else if (c == '|') {
      const size_t close = text.find('|', pos + 1);
      if (close == std::string_view::npos)
        throw ParseError(columnAt(text, pos), "unterminated term: missing closing '|'");
      tok.kind = Tok::Term;
      pos = close + 1;
    } else if (c == '<') {
      next == '<' ? single(Tok::LtLt, 2) : next == '!' ? single(Tok::LtBang, 2) : single(Tok::Lt);
    } else if (c == '>') {
      next == '>' ? single(Tok::GtGt, 2) : next == '!' ? single(Tok::GtBang, 2) : single(Tok::Gt);
    } else if (c == '!' && next == '=') {
      single(Tok::NotEq, 2);
    } else if (c == '.' && next == '.') {
      single(Tok::DotDot, 2);
    } else {
      switch (c) {
        case '(':
          single(Tok::LParen);
          break;
        case ')':
          single(Tok::RParen);
          break;
        case '{':
          single(Tok::LBrace);
          break;
        case '}':
          single(Tok::RBrace);
          break;
        case '[':
          single(Tok::LBracket);
          break;
        case ']':
          single(Tok::RBracket);
          break;
        case ':':
          single(Tok::Colon);
          break;
        case ',':
          single(Tok::Comma);
          break;
        case '=':
          single(Tok::Eq);
          break;
        case '^':
          single(Tok::Caret);
          break;
        case '*':
          single(Tok::Star);
          break;
        default:
          single(Tok::Other,
                 std::min(utf8Length(static_cast<unsigned char>(c)), text.size() - pos));
      }
    }
    tok.end = pos;
  }

  bool isWord(std::string_view lowerCase) const {
    return tok.kind == Tok::Word && lower(textOf(tok)) == lowerCase;
  }

  BinOp binOp() const {
    if (tok.kind == Tok::Comma || isWord("and")) return BinOp::And;
    if (isWord("or")) return BinOp::Or;
    if (isWord("minus")) return BinOp::Minus;
    return BinOp::None;
  }

  // Counts one level of ( or { for as long as the guard lives.
  struct Nesting {
    Parser& p;
    Nesting(Parser& parser, const Token& at) : p(parser) {
      if (++p.depth > kMaxDepth) {
        --p.depth;
        p.fail(at,
               "the expression is nested more than " + std::to_string(kMaxDepth) + " levels deep");
      }
    }
    ~Nesting() { --p.depth; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
  };

  void expectClose(Tok kind, const char* closer, const Token& opener) {
    if (tok.kind != kind)
      expected("'" + std::string(closer) + "' to close the '" + std::string(textOf(opener)) +
               "' at column " + std::to_string(column(opener)));
    advance();
  }

  // expressionConstraint = refined | compound | simple
  ExpressionPtr parseExpression() { return parseExpressionRest(parseSubExpression()); }

  // What may follow a first sub-expression: a refinement or a chain of one binary operator.
  ExpressionPtr parseExpressionRest(ExpressionPtr first) {
    if (tok.kind == Tok::Colon) {
      advance();
      auto e = std::make_shared<Expression>();
      e->kind = Kind::Refined;
      e->operands.push_back(std::move(first));
      e->refinement = parseRefinement(false);
      return e;
    }
    const BinOp op = binOp();
    if (op == BinOp::None) return first;
    auto e = std::make_shared<Expression>();
    e->kind = op == BinOp::And  ? Kind::Conjunction
              : op == BinOp::Or ? Kind::Disjunction
                                : Kind::Exclusion;
    e->operands.push_back(std::move(first));
    for (BinOp next = op; next != BinOp::None; next = binOp()) {
      // ECL gives AND, OR and MINUS no precedence over each other, so a mix is ambiguous.
      if (next != op)
        fail(tok, std::string("cannot mix ") + binOpName(op) + " and " + binOpName(next) +
                      " without parentheses");
      advance();
      e->operands.push_back(parseSubExpression());
    }
    if (tok.kind == Tok::Colon)
      fail(tok, "a refinement ':' applies to one sub-expression; put the compound in parentheses");
    return e;
  }

  // subExpression = [constraintOperator] focus
  ExpressionPtr parseSubExpression() {
    std::optional<Axis> axis = constraintOperator();
    ExpressionPtr focus = parseFocus(axis.has_value());
    if (!axis) return focus;
    auto e = std::make_shared<Expression>();
    e->kind = Kind::Hierarchy;
    e->axis = *axis;
    e->operands.push_back(std::move(focus));
    return e;
  }

  std::optional<Axis> constraintOperator() {
    std::optional<Axis> axis;
    switch (tok.kind) {
      case Tok::Lt:
        axis = Axis::DescendantOf;
        break;
      case Tok::LtLt:
        axis = Axis::DescendantOrSelfOf;
        break;
      case Tok::Gt:
        axis = Axis::AncestorOf;
        break;
      case Tok::GtGt:
        axis = Axis::AncestorOrSelfOf;
        break;
      case Tok::LtBang:
        axis = Axis::ChildOf;
        break;
      case Tok::GtBang:
        axis = Axis::ParentOf;
        break;
      case Tok::Word: {
        const std::string w = lower(textOf(tok));
        if (w == "descendantof") axis = Axis::DescendantOf;
        if (w == "descendantorselfof") axis = Axis::DescendantOrSelfOf;
        if (w == "ancestorof") axis = Axis::AncestorOf;
        if (w == "ancestororselfof") axis = Axis::AncestorOrSelfOf;
        if (w == "childof") axis = Axis::ChildOf;
        if (w == "parentof") axis = Axis::ParentOf;
        break;
      }
      default:
        break;
    }
    if (axis) advance();
    return axis;
  }

  ExpressionPtr parseFocus(bool afterOperator) {
    if (tok.kind == Tok::Caret || isWord("memberof")) {
      advance();
      auto e = std::make_shared<Expression>();
      e->kind = Kind::MemberOf;
      // `^ *` would need the members of every concept; ECL 2 allows it but we do not.
      if (tok.kind == Tok::Number)
        e->operands.push_back(parseConceptReference());
      else if (tok.kind == Tok::LParen)
        e->operands.push_back(parseParenthesised());
      else
        expected("a concept id or '(' after '^'");
      return e;
    }
    switch (tok.kind) {
      case Tok::Number:
        return parseConceptReference();
      case Tok::Star: {
        advance();
        auto e = std::make_shared<Expression>();
        e->kind = Kind::Any;
        return e;
      }
      case Tok::LParen:
        return parseParenthesised();
      default:
        expected(afterOperator ? "a concept id, '*', '(' or '^' after the constraint operator"
                               : "a concept id, '*', '(' or '^'");
    }
  }

  ExpressionPtr parseParenthesised() {
    const Token open = tok;
    Nesting nesting(*this, open);
    advance();
    ExpressionPtr inner = parseExpression();
    expectClose(Tok::RParen, ")", open);
    return inner;
  }

  ExpressionPtr parseConceptReference() {
    const Token number = tok;
    const std::string_view digits = textOf(number);
    if (digits.size() < 6 || digits.size() > 18)
      fail(number, "a concept id has 6 to 18 digits but '" +
                       std::string(digits.substr(0, std::min<size_t>(digits.size(), 30))) +
                       (digits.size() > 30 ? "...'" : "'") + " has " +
                       std::to_string(digits.size()));
    if (digits[0] == '0') fail(number, "a concept id cannot start with 0");
    auto e = std::make_shared<Expression>();
    e->kind = Kind::Concept;
    for (char c : digits) e->id = e->id * 10 + (c - '0');  // at most 18 digits: no overflow
    advance();
    if (tok.kind == Tok::Term) {
      const std::string_view term = trim(textOf(tok).substr(1, tok.end - tok.begin - 2));
      if (term.empty()) fail(tok, "empty term between '|' and '|'");
      e->term = std::string(term);
      advance();
    }
    return e;
  }

  // refinement = subRefinement { (',' | AND) subRefinement } | subRefinement { OR subRefinement }
  RefinementPtr parseRefinement(bool inGroup) {
    return parseRefinementRest(parseSubRefinement(inGroup), inGroup);
  }

  RefinementPtr parseRefinementRest(RefinementPtr first, bool inGroup) {
    BinOp op = binOp();
    if (op == BinOp::Minus) fail(tok, "MINUS cannot join refinement attributes");
    if (op == BinOp::None) return first;
    auto r = std::make_shared<Refinement>();
    r->kind = op == BinOp::And ? Refinement::Kind::Conjunction : Refinement::Kind::Disjunction;
    r->items.push_back(std::move(first));
    for (BinOp next = op; next != BinOp::None; next = binOp()) {
      if (next == BinOp::Minus) fail(tok, "MINUS cannot join refinement attributes");
      if (next != op)
        fail(tok, std::string("cannot mix ") + binOpName(op) + " and " + binOpName(next) +
                      " in a refinement without parentheses");
      advance();
      r->items.push_back(parseSubRefinement(inGroup));
    }
    return r;
  }

  // subRefinement = attribute | [cardinality] '{' refinement '}' | '(' refinement ')'
  RefinementPtr parseSubRefinement(bool inGroup) {
    Cardinality cardinality;
    if (tok.kind == Tok::LBracket) cardinality = parseCardinality();
    if (tok.kind == Tok::LBrace) {
      if (inGroup) fail(tok, "attribute groups cannot be nested");
      const Token open = tok;
      Nesting nesting(*this, open);
      advance();
      auto group = std::make_shared<Refinement>();
      group->kind = Refinement::Kind::Group;
      group->cardinality = cardinality;
      group->items.push_back(parseRefinement(true));
      expectClose(Tok::RBrace, "}", open);
      return group;
    }
    rejectReverseFlag();
    if (tok.kind == Tok::LParen && !cardinality.written) {
      ParenContent content = parseParenInRefinement(inGroup);
      if (content.refinement) return content.refinement;
      return finishAttribute(cardinality, std::move(content.expression));
    }
    return finishAttribute(cardinality, parseSubExpression());
  }

  void rejectReverseFlag() {
    if (isWord("r")) fail(tok, "reverse attributes ('R') are not supported");
  }

  Cardinality parseCardinality() {
    Cardinality c;
    c.written = true;
    advance();  // '['
    auto bound = [&](bool allowMany) -> int64_t {
      if (allowMany && tok.kind == Tok::Star) {
        advance();
        return -1;
      }
      if (tok.kind != Tok::Number || tok.end - tok.begin > 9)
        expected(allowMany ? "a number or '*' in the cardinality" : "a number in the cardinality");
      int64_t n = 0;
      for (char d : textOf(tok)) n = n * 10 + (d - '0');
      advance();
      return n;
    };
    c.min = bound(false);
    if (tok.kind != Tok::DotDot) expected("'..' in the cardinality");
    advance();
    const Token maxToken = tok;
    c.max = bound(true);
    if (c.max >= 0 && c.max < c.min)
      fail(maxToken, "the cardinality maximum is less than the minimum");
    if (tok.kind != Tok::RBracket) expected("']' to end the cardinality");
    advance();
    return c;
  }

  RefinementPtr finishAttribute(Cardinality cardinality, ExpressionPtr name) {
    auto a = std::make_shared<Refinement>();
    a->kind = Refinement::Kind::Attribute;
    a->cardinality = cardinality;
    a->name = std::move(name);
    if (tok.kind == Tok::Eq)
      a->notEqual = false;
    else if (tok.kind == Tok::NotEq)
      a->notEqual = true;
    else
      expected("'=' or '!=' after the attribute name");
    advance();
    a->value = parseSubExpression();
    return a;
  }

  // A '(' where a sub-refinement is expected opens either a refinement, `(363698007 = x, ...)`,
  // or a parenthesised attribute name, `(363698007 OR 116676008) = x`. Both begin with a
  // sub-expression, so parse that first and decide on the token after it: '=' or '!=' means an
  // attribute inside a refinement. Deciding this way needs no backtracking, which would be
  // exponential in the nesting depth.
  struct ParenContent {
    RefinementPtr refinement;
    ExpressionPtr expression;
  };

  ParenContent parseParenInRefinement(bool inGroup) {
    const Token open = tok;
    Nesting nesting(*this, open);
    advance();
    ParenContent result;
    ExpressionPtr first;
    if (tok.kind == Tok::LBracket || tok.kind == Tok::LBrace || isWord("r")) {
      result.refinement = parseRefinement(inGroup);
    } else if (tok.kind == Tok::LParen) {
      ParenContent inner = parseParenInRefinement(inGroup);
      if (inner.refinement)
        result.refinement = parseRefinementRest(std::move(inner.refinement), inGroup);
      else
        first = std::move(inner.expression);
    } else {
      first = parseSubExpression();
    }
    if (first) {
      if (tok.kind == Tok::Eq || tok.kind == Tok::NotEq)
        result.refinement = parseRefinementRest(finishAttribute({}, std::move(first)), inGroup);
      else
        result.expression = parseExpressionRest(std::move(first));
    }
    expectClose(Tok::RParen, ")", open);
    return result;
  }

  ExpressionPtr parseAll() {
    ExpressionPtr e = parseExpression();
    if (tok.kind == Tok::RParen) fail(tok, "unmatched ')'");
    if (tok.kind != Tok::End) {
      if (e->kind == Kind::Refined) expected("',', AND, OR or end of input after the refinement");
      if (e->kind == Kind::Conjunction || e->kind == Kind::Disjunction ||
          e->kind == Kind::Exclusion)
        expected(std::string(e->kind == Kind::Conjunction   ? "AND"
                             : e->kind == Kind::Disjunction ? "OR"
                                                            : "MINUS") +
                 " or end of input");
      expected("AND, OR, MINUS, ':' or end of input");
    }
    return e;
  }
};

// ---------------------------------------------------------------------------------------------
// Writing

bool isSimple(const Expression& e) {
  return e.kind == Kind::Concept || e.kind == Kind::Any || e.kind == Kind::Hierarchy ||
         e.kind == Kind::MemberOf;
}

void write(const Expression& e, std::string& out);

void writeParenthesisedUnless(bool bare, const Expression& e, std::string& out) {
  if (bare) return write(e, out);
  out += '(';
  write(e, out);
  out += ')';
}

void writeCardinality(const Cardinality& c, std::string& out) {
  if (!c.written) return;
  out += '[' + std::to_string(c.min) + ".." + (c.max < 0 ? "*" : std::to_string(c.max)) + "] ";
}

void write(const Refinement& r, std::string& out) {
  switch (r.kind) {
    case Refinement::Kind::Attribute:
      writeCardinality(r.cardinality, out);
      writeParenthesisedUnless(isSimple(*r.name), *r.name, out);
      out += r.notEqual ? " != " : " = ";
      writeParenthesisedUnless(isSimple(*r.value), *r.value, out);
      return;
    case Refinement::Kind::Conjunction:
    case Refinement::Kind::Disjunction: {
      const char* sep = r.kind == Refinement::Kind::Conjunction ? ", " : " OR ";
      for (size_t i = 0; i < r.items.size(); ++i) {
        if (i) out += sep;
        const Refinement& item = *r.items[i];
        const bool nested = item.kind == Refinement::Kind::Conjunction ||
                            item.kind == Refinement::Kind::Disjunction;
        if (nested) out += '(';
        write(item, out);
        if (nested) out += ')';
      }
      return;
    }
    case Refinement::Kind::Group:
      writeCardinality(r.cardinality, out);
      out += "{ ";
      write(*r.items[0], out);
      out += " }";
      return;
  }
}

const char* axisSymbol(Axis a) {
  switch (a) {
    case Axis::DescendantOf:
      return "<";
    case Axis::DescendantOrSelfOf:
      return "<<";
    case Axis::AncestorOf:
      return ">";
    case Axis::AncestorOrSelfOf:
      return ">>";
    case Axis::ChildOf:
      return "<!";
    case Axis::ParentOf:
      return ">!";
  }
  return "";
}

void write(const Expression& e, std::string& out) {
  switch (e.kind) {
    case Kind::Concept:
      out += std::to_string(e.id);
      if (!e.term.empty()) out += " |" + e.term + '|';
      return;
    case Kind::Any:
      out += '*';
      return;
    case Kind::Hierarchy: {
      const Expression& x = *e.operands[0];
      out += axisSymbol(e.axis);
      out += ' ';
      writeParenthesisedUnless(
          x.kind == Kind::Concept || x.kind == Kind::Any || x.kind == Kind::MemberOf, x, out);
      return;
    }
    case Kind::MemberOf:
      out += "^ ";
      writeParenthesisedUnless(e.operands[0]->kind == Kind::Concept, *e.operands[0], out);
      return;
    case Kind::Conjunction:
    case Kind::Disjunction:
    case Kind::Exclusion: {
      const char* sep = e.kind == Kind::Conjunction   ? " AND "
                        : e.kind == Kind::Disjunction ? " OR "
                                                      : " MINUS ";
      for (size_t i = 0; i < e.operands.size(); ++i) {
        if (i) out += sep;
        writeParenthesisedUnless(isSimple(*e.operands[i]), *e.operands[i], out);
      }
      return;
    }
    case Kind::Refined:
      writeParenthesisedUnless(isSimple(*e.operands[0]), *e.operands[0], out);
      out += " : ";
      write(*e.refinement, out);
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation
//
// Every set a ConceptSource returns is taken to hold active concepts only (true of a consistent
// release), so `*` is the identity of AND and absorbs OR; that keeps allConcepts(), the one
// expensive call, for the constraints that really need every concept (`* MINUS x`, `!=`,
// cardinality [0..n] on `*`).

// The interface promises sorted unique results; checking costs one pass and protects the set
// algorithms from a source that forgets.
template <typename T>
std::vector<T> normalized(std::vector<T> v) {
  if (!std::is_sorted(v.begin(), v.end())) std::sort(v.begin(), v.end());
  v.erase(
      std::unique(v.begin(), v.end(), [](const T& a, const T& b) { return !(a < b) && !(b < a); }),
      v.end());
  return v;
}

template <typename T>
std::vector<T> intersect(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

template <typename T>
std::vector<T> unite(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

template <typename T>
std::vector<T> subtract(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

ConceptSet eval(const Expression& e, const ConceptSource& s);

ConceptSet withSelf(ConceptSet set, ConceptId id, const ConceptSource& s) {
  if (!s.exists(id)) return set;
  const auto at = std::lower_bound(set.begin(), set.end(), id);
  if (at == set.end() || *at != id) set.insert(at, id);
  return set;
}

ConceptSet along(Axis axis, ConceptId id, const ConceptSource& s) {
  switch (axis) {
    case Axis::DescendantOf:
      return normalized(s.descendants(id));
    case Axis::DescendantOrSelfOf:
      return withSelf(normalized(s.descendants(id)), id, s);
    case Axis::AncestorOf:
      return normalized(s.ancestors(id));
    case Axis::AncestorOrSelfOf:
      return withSelf(normalized(s.ancestors(id)), id, s);
    case Axis::ChildOf:
      return normalized(s.children(id));
    case Axis::ParentOf:
      return normalized(s.parents(id));
  }
  return {};
}

ConceptSet evalHierarchy(const Expression& e, const ConceptSource& s) {
  const Expression& x = *e.operands[0];
  if (x.kind == Kind::Concept) return along(e.axis, x.id, s);
  if (x.kind == Kind::Any) {
    // The union of every concept's descendants is every concept with a parent; asking each
    // concept one question beats merging hundreds of thousands of descendant sets.
    ConceptSet all = normalized(s.allConcepts());
    if (e.axis == Axis::DescendantOrSelfOf || e.axis == Axis::AncestorOrSelfOf) return all;
    const bool down = e.axis == Axis::DescendantOf || e.axis == Axis::ChildOf;
    std::erase_if(all,
                  [&](ConceptId c) { return down ? s.parents(c).empty() : s.children(c).empty(); });
    return all;
  }
  const ConceptSet focus = eval(x, s);
  const bool orSelf = e.axis == Axis::DescendantOrSelfOf || e.axis == Axis::AncestorOrSelfOf;
  // Transitive axes: a focus concept already reached from another one adds nothing (its
  // descendants are that one's descendants too), so skip its call. Ids are not in hierarchy
  // order, so this saves some calls, not all, for a focus that is itself a subtree.
  const bool transitive = e.axis != Axis::ChildOf && e.axis != Axis::ParentOf;
  std::unordered_set<ConceptId> reached;
  std::vector<ConceptId> out;
  for (ConceptId c : focus) {
    if (transitive && reached.count(c)) continue;
    if (orSelf) out.push_back(c);  // c came out of an evaluation, so it exists
    const ConceptSet more =
        e.axis == Axis::DescendantOf || e.axis == Axis::DescendantOrSelfOf ? s.descendants(c)
        : e.axis == Axis::AncestorOf || e.axis == Axis::AncestorOrSelfOf   ? s.ancestors(c)
                                                                           : along(e.axis, c, s);
    out.insert(out.end(), more.begin(), more.end());
    if (transitive) reached.insert(more.begin(), more.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ConceptSet evalMemberOf(const Expression& e, const ConceptSource& s) {
  const Expression& x = *e.operands[0];
  if (x.kind == Kind::Concept) return normalized(s.refsetMembers(x.id));
  std::vector<ConceptId> out;
  for (ConceptId refset : eval(x, s)) {
    const ConceptSet members = s.refsetMembers(refset);
    out.insert(out.end(), members.begin(), members.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// --- Refinements

// Hits of one attribute constraint, ignoring cardinality: for `=` relationships with a value in
// the value set, for `!=` relationships with a value outside it.
std::vector<Hit> attributeHits(const Refinement& a, const ConceptSource& s) {
  const ConceptSet types = eval(*a.name, s);
  if (types.empty()) return {};
  ConceptSet values;
  if (!a.notEqual) {
    values = eval(*a.value, s);
  } else {
    if (a.value->kind == Kind::Any) return {};  // no value lies outside every concept
    values = subtract(normalized(s.allConcepts()), eval(*a.value, s));
  }
  if (values.empty()) return {};
  return normalized(s.attributeSources(types, values));
}

bool allows(const Cardinality& c, int64_t count) {
  return count >= c.min && (c.max < 0 || count <= c.max);
}

// The concepts of `focus` (nullptr: every concept) whose number of hits (one per relationship
// group, which is what AttributeHit distinguishes) the cardinality allows.
ConceptSet applyCardinality(const std::vector<Hit>& hits, const Cardinality& c,
                            const ConceptSet* focus, const ConceptSource& s) {
  ConceptSet allowed, refused;
  for (size_t i = 0; i < hits.size();) {
    size_t j = i;
    while (j < hits.size() && hits[j].source == hits[i].source) ++j;
    (allows(c, static_cast<int64_t>(j - i)) ? allowed : refused).push_back(hits[i].source);
    i = j;
  }
  if (c.min == 0) {
    // Concepts without any hit qualify too, so start from the focus and remove the refused.
    if (focus) return subtract(*focus, refused);
    return subtract(normalized(s.allConcepts()), refused);
  }
  return focus ? intersect(allowed, *focus) : allowed;
}

// True when a refinement can keep concepts that have no matching relationship at all
// ([0..n]); such a constraint needs the whole focus set rather than just the hits.
bool admitsAbsence(const Refinement& r) {
  switch (r.kind) {
    case Refinement::Kind::Attribute:
    case Refinement::Kind::Group:
      return r.cardinality.min == 0;
    case Refinement::Kind::Conjunction:
      return std::all_of(r.items.begin(), r.items.end(),
                         [](const RefinementPtr& i) { return admitsAbsence(*i); });
    case Refinement::Kind::Disjunction:
      return std::any_of(r.items.begin(), r.items.end(),
                         [](const RefinementPtr& i) { return admitsAbsence(*i); });
  }
  return false;
}

// Conjunction items ordered so that those narrowing to their hits run first: a later [0..0]
// then subtracts from a small set instead of from every concept.
std::vector<const Refinement*> conjunctionOrder(const Refinement& r) {
  std::vector<const Refinement*> items;
  for (const auto& i : r.items) items.push_back(i.get());
  std::stable_partition(items.begin(), items.end(),
                        [](const Refinement* i) { return !admitsAbsence(*i); });
  return items;
}

std::vector<Hit> inFocus(std::vector<Hit> hits, const ConceptSet* focus, bool groupedOnly) {
  std::erase_if(hits, [&](const Hit& h) {
    return (groupedOnly && h.group == 0) ||
           (focus && !std::binary_search(focus->begin(), focus->end(), h.source));
  });
  return hits;
}

// Every relationship group (source, group != 0) of the focus concepts: needed only when a
// group constraint holds for a group with no matching attribute, e.g. `{ [0..0] a = b }`.
std::vector<Hit> allGroups(const ConceptSet* focus, const ConceptSource& s) {
  const ConceptSet all = normalized(s.allConcepts());
  std::vector<Hit> hits = inFocus(normalized(s.attributeSources(all, all)), focus, true);
  return hits;
}

// Inside `{ }`: the (concept, group) pairs where the refinement holds. `candidates`, when
// given, are the pairs still in play (the result is a subset of them).
std::vector<Hit> groupsWhere(const Refinement& r, const ConceptSet* focus,
                             const std::vector<Hit>* candidates, const ConceptSource& s) {
  switch (r.kind) {
    case Refinement::Kind::Attribute: {
      // AttributeHit has one entry per (concept, group), so within a group the count is 0 or 1.
      const bool zeroOk = allows(r.cardinality, 0);
      const bool oneOk = allows(r.cardinality, 1);
      if (!zeroOk) {
        if (!oneOk) return {};
        std::vector<Hit> hits = inFocus(attributeHits(r, s), focus, true);
        return candidates ? intersect(hits, *candidates) : hits;
      }
      std::vector<Hit> base = candidates ? *candidates : allGroups(focus, s);
      if (oneOk) return base;
      return subtract(base, attributeHits(r, s));
    }
    case Refinement::Kind::Conjunction: {
      std::vector<Hit> current;
      const std::vector<Hit>* in = candidates;
      for (const Refinement* item : conjunctionOrder(r)) {
        current = groupsWhere(*item, focus, in, s);
        if (current.empty()) break;
        in = &current;
      }
      return current;
    }
    case Refinement::Kind::Disjunction: {
      std::vector<Hit> out;
      for (const auto& item : r.items) out = unite(out, groupsWhere(*item, focus, candidates, s));
      return out;
    }
    case Refinement::Kind::Group:
      break;
  }
  throw std::runtime_error("ECL: attribute groups cannot be nested");
}

// The concepts of `focus` (nullptr: every concept) that satisfy the refinement.
ConceptSet refine(const Refinement& r, const ConceptSet* focus, const ConceptSource& s) {
  switch (r.kind) {
    case Refinement::Kind::Attribute:
      return applyCardinality(attributeHits(r, s), r.cardinality, focus, s);
    case Refinement::Kind::Group:
      return applyCardinality(groupsWhere(*r.items[0], focus, nullptr, s), r.cardinality, focus, s);
    case Refinement::Kind::Conjunction: {
      ConceptSet current;
      const ConceptSet* in = focus;
      for (const Refinement* item : conjunctionOrder(r)) {
        current = refine(*item, in, s);
        if (current.empty()) break;
        in = &current;
      }
      return current;
    }
    case Refinement::Kind::Disjunction: {
      ConceptSet out;
      for (const auto& item : r.items) out = unite(out, refine(*item, focus, s));
      return out;
    }
  }
  return {};
}

ConceptSet eval(const Expression& e, const ConceptSource& s) {
  switch (e.kind) {
    case Kind::Concept:
      if (s.exists(e.id)) return {e.id};
      return {};
    case Kind::Any:
      return normalized(s.allConcepts());
    case Kind::Hierarchy:
      return evalHierarchy(e, s);
    case Kind::MemberOf:
      return evalMemberOf(e, s);
    case Kind::Conjunction: {
      std::vector<const Expression*> operands;
      for (const auto& o : e.operands)
        if (o->kind != Kind::Any) operands.push_back(o.get());
      if (operands.empty()) return normalized(s.allConcepts());
      ConceptSet out = eval(*operands[0], s);
      for (size_t i = 1; i < operands.size() && !out.empty(); ++i)
        out = intersect(out, eval(*operands[i], s));
      return out;
    }
    case Kind::Disjunction: {
      for (const auto& o : e.operands)
        if (o->kind == Kind::Any) return normalized(s.allConcepts());
      ConceptSet out;
      for (const auto& o : e.operands) out = unite(out, eval(*o, s));
      return out;
    }
    case Kind::Exclusion: {
      ConceptSet out = eval(*e.operands[0], s);
      for (size_t i = 1; i < e.operands.size() && !out.empty(); ++i) {
        if (e.operands[i]->kind == Kind::Any) return {};
        out = subtract(out, eval(*e.operands[i], s));
      }
      return out;
    }
    case Kind::Refined: {
      const Expression& focus = *e.operands[0];
      if (focus.kind == Kind::Any) return refine(*e.refinement, nullptr, s);
      const ConceptSet f = eval(focus, s);
      if (f.empty()) return {};
      return refine(*e.refinement, &f, s);
    }
  }
  return {};
}

}  // namespace

ExpressionPtr parse(const std::string& text) {
  return Parser(text).parseAll();
}

std::string toString(const Expression& e) {
  std::string out;
  write(e, out);
  return out;
}

ConceptSet evaluate(const Expression& e, const ConceptSource& source) {
  return eval(e, source);
}

}  // namespace regcat::ecl
