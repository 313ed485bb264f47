// Importing one register's variable definitions from what registers already have: a REDCap data
// dictionary or project XML, CDISC ODM, DDI-Codebook 2.5, DDI-Lifecycle 3.3, regcat's CSV/TSV or
// Excel variable list, or regcat JSON. Bytes in (any common encoding), one RegisterDocument
// out; Store::applyImport then versions, diffs and writes it in one transaction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "catalog/store.h"

namespace regcat {

struct VariableImportOptions {
  std::string register_id;      // required: the register the variables belong to
  std::string format = "auto";  // redcap, odm, ddi-c, ddi-l, csv, xlsx, json, auto
  std::string dataset;          // dataset id when the format has none (and for csv/xlsx)
  std::string encoding;         // override detection (UTF-8, UTF-16LE, windows-1252, ...)
  bool skip_invalid = false;    // skip bad rows/items (reported) instead of importing nothing
};

// One row or element that was skipped under skip_invalid, with where and why.
struct SkippedItem {
  std::string where, reason;
};

struct VariableImportResult {
  RegisterDocument doc;  // register (named from the file where it carries a title)
  std::string format;    // the format used (after detection)
  std::string encoding;  // the encoding the bytes were read as
  bool register_named_from_file = false;
  std::vector<std::string> warnings;
  std::vector<SkippedItem> skipped;
};

// The formats `format` may name.
const std::vector<std::string>& variableImportFormats();

// Detects the format from the file name and content (auto), decodes the text and parses it.
// Throws regcat::Error naming the file and line (or XML path) and column on bad input, unless
// skip_invalid lets the item be skipped.
VariableImportResult parseVariableFile(const std::string& fileName, std::string_view bytes,
                                       const VariableImportOptions& opt);

// Parses the file and applies it to the register in one transaction (or only reports the
// diff with dry_run). A register that does not exist is created, named from the file where the
// format carries a title, with `cpua` as its CPUA (it may be left empty and completed later).
std::pair<VariableImportResult, ImportReport> applyVariableImport(
    Store& store, const std::string& fileName, std::string_view bytes,
    const VariableImportOptions& opt, ImportOptions importOptions, const WriteContext& ctx,
    const std::string& cpua = {});

// Shared by the format parsers: what they receive and where they put what they find.
struct ParseContext {
  std::string source;  // file name for messages
  const VariableImportOptions& opt;
  VariableImportResult& result;
  // Records a problem: throws invalid(where, reason) unless skip_invalid, in which case the
  // item is reported as skipped and the caller leaves it out.
  void problem(const std::string& where, const std::string& reason);
};

// Format parsers (one file each). Text is already UTF-8 (NFC is applied by the parsers to
// every string they keep); xlsx receives the raw zip bytes.
void parseRedcapDictionary(std::string_view utf8,
                           ParseContext& ctx);                    // redcap_dictionary_importer.cpp
void parseOdm(std::string_view xml, ParseContext& ctx);           // odm_importer.cpp
void parseDdiCodebook(std::string_view xml, ParseContext& ctx);   // ddi_codebook_importer.cpp
void parseDdiLifecycle(std::string_view xml, ParseContext& ctx);  // ddi_lifecycle_importer.cpp
void parseVariableListCsv(std::string_view utf8, ParseContext& ctx);  // variable_list_importer.cpp
void parseVariableListXlsx(std::string_view zipBytes,
                           ParseContext& ctx);                      // variable_list_importer.cpp
void parseFieldLevelCsv(std::string_view utf8, ParseContext& ctx);  // field_level_importer.cpp
bool looksLikeFieldLevel(std::string_view firstLine);

}  // namespace regcat
