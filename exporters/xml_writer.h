// A small streaming XML writer for the XML exporters (DDI-Codebook, DDI-Lifecycle): elements,
// attributes and text go to an std::ostream as they are written, through one buffer, so a
// whole catalogue never has to be held as a tree. Every text and attribute value is NFC and
// escaped for XML 1.0; nothing else in the exporters writes markup by hand.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace regcat {

// Text as XML 1.0 character data (`attribute` false) or as a double-quoted attribute value:
// NFC; & < > escaped, " too in attributes; tab, LF and CR in attributes and CR in text as
// character references, so that a parser's normalisation gives back exactly this text.
// Characters XML 1.0 cannot hold at all (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF)
// and bytes that are not UTF-8 become U+FFFD: the store never holds them, and an export must
// not fail halfway through a stream because of one stray character.
std::string xmlEscape(std::string_view s, bool attribute);

class XmlWriter {
 public:
  // indent: pretty-print elements that hold only elements (text stays on its element's line).
  explicit XmlWriter(std::ostream& out, bool indent = true);
  ~XmlWriter();  // flushes; call finish() to be told about stream errors
  XmlWriter(const XmlWriter&) = delete;
  XmlWriter& operator=(const XmlWriter&) = delete;

  // <?xml version="1.0" encoding="UTF-8"?>
  void declaration();
  void comment(std::string_view text);  // "--" is written as "- -": comments cannot hold it
  // Opens an element; attributes may follow until its first child or text.
  XmlWriter& start(std::string_view name);
  XmlWriter& attr(std::string_view name, std::string_view value);
  // Adds the attribute only when value is not empty.
  XmlWriter& optAttr(std::string_view name, std::string_view value);
  void text(std::string_view s);
  // Closes the innermost open element (as <x/> when it is empty).
  void end();
  // <name [xml:lang="lang"]>text</name>; nothing at all when text is empty.
  void element(std::string_view name, std::string_view text, std::string_view lang = {});
  // Closes every open element and flushes the buffer; throws regcat::Error (Internal) when the
  // stream failed.
  void finish();

 private:
  void closeStartTag();
  void newline();
  void flushIfFull();

  std::ostream& out_;
  bool indent_;
  std::string buf_;
  struct Open {
    std::string name;
    bool children = false;  // has child elements (its end tag goes on its own line)
    bool text = false;
  };
  std::vector<Open> stack_;
  bool tagOpen_ = false;  // "<name attrs" written, ">" not yet
};

}  // namespace regcat
