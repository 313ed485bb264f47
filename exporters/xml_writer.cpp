#include "exporters/xml_writer.h"

#include <exception>

#include "catalog/errors.h"
#include "catalog/text.h"

namespace regcat {
namespace {

constexpr size_t kFlushAt = 64 * 1024;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the UTF-8 sequence starting at s[i] when it is well-formed and a character XML 1.0
// allows, else 0.
size_t xmlCharLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
  size_t n;
  char32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  // Overlong forms, surrogates, beyond Unicode, and the two non-characters XML excludes.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || cp == 0xFFFE || cp == 0xFFFF) return 0;
  return n;
}

}  // namespace

std::string xmlEscape(std::string_view raw, bool attribute) {
  // NFC first (it leaves ASCII untouched cheaply); text that is not UTF-8 cannot be normalised
  // and is escaped as it is, its bad bytes replaced below.
  std::string normalised;
  std::string_view s = raw;
  if (text::isValidUtf8(raw)) {
    normalised = text::nfc(raw);
    s = normalised;
  }
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    const size_t n = xmlCharLength(s, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.data() + i, n);
      i += n;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        out += c;
    }
    ++i;
  }
  return out;
}

XmlWriter::XmlWriter(std::ostream& out, bool indent) : out_(out), indent_(indent) {
  buf_.reserve(kFlushAt + 4096);
}

XmlWriter::~XmlWriter() {
  // Not while an exception unwinds (the document is abandoned; the stream may be the reason,
  // and a stream that throws on error would throw again here) and never throwing.
  if (buf_.empty() || !out_ || std::uncaught_exceptions() > 0) return;
  try {
    out_.write(buf_.data(), std::streamsize(buf_.size()));
  } catch (...) {
  }
}

void XmlWriter::declaration() {
  buf_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
}

void XmlWriter::comment(std::string_view text) {
  closeStartTag();
  if (!stack_.empty()) stack_.back().children = true;
  newline();
  std::string body = xmlEscape(text, false);
  for (size_t p; (p = body.find("--")) != std::string::npos;) body.replace(p, 2, "- -");
  if (!body.empty() && body.back() == '-') body += ' ';
  buf_ += "<!-- " + body + " -->";
}

XmlWriter& XmlWriter::start(std::string_view name) {
  closeStartTag();
  if (!stack_.empty()) stack_.back().children = true;
  newline();
  buf_ += '<';
  buf_ += name;
  stack_.push_back({std::string(name)});
  tagOpen_ = true;
  return *this;
}

XmlWriter& XmlWriter::attr(std::string_view name, std::string_view value) {
  if (!tagOpen_)
    throw Error(Error::Kind::Internal, "xml",
                "attribute " + std::string(name) + " written after the start tag was closed");
  buf_ += ' ';
  buf_ += name;
  buf_ += "=\"";
  buf_ += xmlEscape(value, true);
  buf_ += '"';
  return *this;
}

XmlWriter& XmlWriter::optAttr(std::string_view name, std::string_view value) {
  if (!value.empty()) attr(name, value);
  return *this;
}

void XmlWriter::text(std::string_view s) {
  if (s.empty()) return;
  closeStartTag();
  if (!stack_.empty()) stack_.back().text = true;
  buf_ += xmlEscape(s, false);
  flushIfFull();
}

void XmlWriter::end() {
  if (stack_.empty()) throw Error(Error::Kind::Internal, "xml", "end() without an open element");
  if (tagOpen_) {
    buf_ += "/>";
    tagOpen_ = false;
  } else {
    if (stack_.back().children && !stack_.back().text) {
      const std::string name = std::move(stack_.back().name);
      stack_.pop_back();
      newline();
      buf_ += "</" + name + ">";
      flushIfFull();
      return;
    }
    buf_ += "</" + stack_.back().name + ">";
  }
  stack_.pop_back();
  flushIfFull();
}

void XmlWriter::element(std::string_view name, std::string_view text, std::string_view lang) {
  if (text.empty()) return;
  start(name);
  if (!lang.empty()) attr("xml:lang", lang);
  this->text(text);
  end();
}

void XmlWriter::finish() {
  while (!stack_.empty()) end();
  buf_ += '\n';
  out_.write(buf_.data(), std::streamsize(buf_.size()));
  buf_.clear();
  out_.flush();
  if (!out_) throw Error(Error::Kind::Internal, "xml", "the output stream failed");
}

void XmlWriter::closeStartTag() {
  if (!tagOpen_) return;
  buf_ += '>';
  tagOpen_ = false;
}

void XmlWriter::newline() {
  // Inside an element that already has text, whitespace would change its content.
  if (!indent_ || (!stack_.empty() && stack_.back().text)) return;
  if (buf_.empty() && stack_.empty()) return;
  buf_ += '\n';
  buf_.append(stack_.size() * 2, ' ');
}

void XmlWriter::flushIfFull() {
  if (buf_.size() < kFlushAt) return;
  out_.write(buf_.data(), std::streamsize(buf_.size()));
  buf_.clear();
}

}  // namespace regcat
