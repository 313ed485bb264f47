#include "importers/delimited_reader.h"

#include "catalog/errors.h"

namespace regcat {

char detectDelimiter(std::string_view text) {
  size_t tabs = 0, semis = 0, commas = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    tabs += c == '\t';
    semis += c == ';';
    commas += c == ',';
  }
  if (tabs >= semis && tabs >= commas && tabs > 0) return '\t';
  if (semis > commas) return ';';
  return ',';
}

std::vector<DelimitedRecord> readDelimited(std::string_view text, char delimiter,
                                           const std::string& source) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<DelimitedRecord> out;
  DelimitedRecord rec;
  std::string field;
  size_t line = 1;
  rec.line = 1;
  bool quoted = false, wasQuoted = false, any = false;
  auto endField = [&] {
    rec.fields.push_back(std::move(field));
    field.clear();
    wasQuoted = false;
  };
  auto endRecord = [&] {
    endField();
    const bool blank = rec.fields.size() == 1 && rec.fields[0].empty() && !any;
    if (!blank) out.push_back(std::move(rec));
    rec = DelimitedRecord{};
    rec.line = line;
    any = false;
  };
  size_t quoteStart = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !wasQuoted) {
      quoted = wasQuoted = any = true;
      quoteStart = line;
    } else if (c == delimiter) {
      endField();
      any = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      endRecord();
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted)
    throw invalid(source + ":" + std::to_string(quoteStart), "a quoted field is never closed");
  if (any || !field.empty() || !rec.fields.empty()) endRecord();
  return out;
}

}  // namespace regcat
