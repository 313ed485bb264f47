// Reading cell text from an Office Open XML workbook (.xlsx) with libzip and libxml2 only: the
// sheet names from xl/workbook.xml, their parts from xl/_rels/workbook.xml.rels, shared strings
// and worksheet cells. Formatting, formulas and styles are ignored (a formula cell yields its
// cached value). Hardened against hostile files: no network, no DTDs, no entity substitution,
// and a cap on every decompressed entry (zip bombs).
#pragma once

#include <zip.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace regcat {

struct XlsxLimits {
  size_t max_entry_size = size_t(200) << 20;  // decompressed bytes of one part
  // Cells of one sheet, counting the empty cells left of each row's last one (rows are stored
  // densely): 2M is far beyond any variable list and bounds the memory a small file can claim.
  size_t max_cells = size_t(2) << 20;
};

struct XlsxCell {
  std::string text;
  bool numeric = false;  // a number cell (t="n" or no type): dates arrive as serial numbers
};

// One row that holds at least one cell; cells are indexed by column (0 = A), gaps are empty.
struct XlsxRow {
  size_t number = 0;  // 1-based row number as Excel shows it
  std::vector<XlsxCell> cells;
};

struct XlsxSheet {
  std::string name;
  std::vector<XlsxRow> rows;
};

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};

// An opened workbook. Throws regcat::Error naming `source` (and the part) on a damaged or
// hostile file.
class XlsxWorkbook {
 public:
  XlsxWorkbook(std::string_view zipBytes, std::string source, XlsxLimits limits = {});
  const std::vector<std::string>& sheetNames() const { return names_; }
  // Reads the sheet with this exact name.
  XlsxSheet sheet(const std::string& name);

 private:
  std::string entry(const std::string& name, bool required = true);
  void loadSharedStrings();

  std::string source_;
  XlsxLimits limits_;
  std::unique_ptr<zip_t, ZipDiscard> zip_;
  std::vector<std::string> names_, paths_;
  std::vector<std::string> shared_;
  bool sharedLoaded_ = false;
};

// Column letters for a 0-based column index: 0 -> "A", 26 -> "AA".
std::string xlsxColumnName(size_t index);

// Days since 1899-12-30 (Excel's 1900 date system) as YYYY-MM-DD; empty if `serial` is not a
// whole non-negative number of days.
std::string xlsxSerialToDate(const std::string& serial);

}  // namespace regcat
