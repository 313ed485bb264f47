// Writing regcat's variable list (docs/variable-list-format.md): the empty template a
// registerhållare fills in (`regcat export template`), or a register's variables filled in, as
// CSV or as an .xlsx workbook that parseVariableListCsv / parseVariableListXlsx read back.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "catalog/model.h"

namespace regcat {

// English column names, in the order the template uses.
const std::vector<std::string>& variableListColumns();
const std::vector<std::string>& codeItemColumns();

// The variables as CSV (comma-separated, UTF-8 with BOM so that Excel shows å, ä, ö, CRLF line
// ends). CSV has no second sheet, so code lists go inline into `codes` (`1=Ja | 9=Okänt*`),
// which cannot carry English code labels, item validity or code system bindings; use the
// workbook for those. An empty document gives the empty template (the header row only).
std::string writeVariableListCsv(const RegisterDocument& doc);

// The variables as an .xlsx workbook with the sheets `Variabler` and `Koder` (one row per code
// item). An empty document gives the empty template (header rows only).
std::string writeVariableListXlsx(const RegisterDocument& doc);

// Text a spreadsheet would take for a formula (starting with = + - @, tab or CR) gets a leading
// single quote, unless it is a plain number such as "-5". Text that already starts with quotes
// followed by such a character gets one more, so that stripFormulaGuard undoes exactly this.
std::string neutraliseFormula(const std::string& cell);
std::string stripFormulaGuard(const std::string& cell);

// One CSV cell as every regcat CSV writes it: formula-neutralised, quoted when it holds a
// comma, quote, semicolon, tab or line break.
std::string csvCell(const std::string& text);

// A zip archive (deflated, fixed timestamps so the same input gives the same bytes) holding
// the named entries in order. Throws regcat::Error (Internal) if libzip fails.
std::string writeZip(const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace regcat
