// Fuzz target: the variable list as an .xlsx workbook, through parseVariableFile (format xlsx)
// and through XlsxWorkbook (importers/xlsx_reader.h) directly, reading every sheet the workbook
// names, so that workbooks without a variable sheet still reach the cell reader.
//   * input starting with "PK\3\4": the workbook's zip bytes as they are;
//   * otherwise: the XML parts of a workbook, split at NUL bytes, in the order of kParts
//     (missing parts are missing entries). The target stores them in a zip itself: mutations of
//     zip bytes rarely survive the CRC check, so this is how the XML inside gets fuzzed.
#include <zip.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "importers/xlsx_reader.h"

namespace {

const char* const kParts[] = {"xl/workbook.xml",          "xl/_rels/workbook.xml.rels",
                              "xl/sharedStrings.xml",     "xl/worksheets/sheet1.xml",
                              "xl/worksheets/sheet2.xml", "_rels/.rels"};

// The parts as an uncompressed zip archive, built with libzip in memory.
std::string zipParts(std::string_view bytes) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &ze);
  if (!src) std::abort();
  zip_source_keep(src);
  zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  if (!z) std::abort();
  std::vector<std::string> parts;  // libzip reads them at zip_close: they must not move
  parts.reserve(std::size(kParts));
  size_t start = 0;
  for (const char* name : kParts) {
    if (start > bytes.size()) break;
    const size_t nul = std::min(bytes.find('\0', start), bytes.size());
    parts.emplace_back(bytes.substr(start, nul - start));
    zip_source_t* s = zip_source_buffer(z, parts.back().data(), parts.back().size(), 0);
    const zip_int64_t idx = s ? zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) std::abort();
    zip_set_file_compression(z, zip_uint64_t(idx), ZIP_CM_STORE, 0);
    start = nul + 1;
  }
  if (zip_close(z) != 0) std::abort();
  std::string out;
  if (zip_source_open(src) != 0) std::abort();
  char buf[65536];
  zip_int64_t n;
  while ((n = zip_source_read(src, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
  zip_source_close(src);
  zip_source_free(src);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = regcat::fuzz::bytesOf(data, size);
  const bool isZip = input.substr(0, 4) == std::string_view("PK\3\4", 4);
  const std::string built = isZip ? std::string() : zipParts(input);
  const std::string_view bytes = isZip ? input : std::string_view(built);
  regcat::fuzz::importVariables(bytes, "variabler.xlsx", "xlsx");
  regcat::fuzz::expectErrors([&] {
    regcat::XlsxWorkbook wb(bytes, "fuzz.xlsx");
    for (const std::string& name : wb.sheetNames()) {
      const regcat::XlsxSheet sheet = wb.sheet(name);
      for (const auto& row : sheet.rows)
        for (const auto& cell : row.cells)
          if (cell.numeric) regcat::xlsxSerialToDate(cell.text);
    }
  });
  return 0;
}
