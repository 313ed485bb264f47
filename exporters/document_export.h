// The document exports of issue 7 that describe registers for other catalogues: RUT (GSIM
// JSON, and the variable list as CSV and .xlsx), DDI-Codebook 2.5 and DDI-Lifecycle 3.3. One
// entry point for the API and the CLI, so both offer exactly the same formats and bytes.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "exporters/rut_adapter.h"

namespace regcat {

class Store;
class MappingStore;

struct DocumentFormat {
  std::string name;          // rut-json, rut-csv, rut-xlsx, ddi-c, ddi-l
  std::string content_type;  // the HTTP Content-Type
  std::string extension;     // of a file name: "rut.json", "ddi-c.xml", ...
  std::string description;   // one line for --help
};

const std::vector<DocumentFormat>& documentFormats();
// nullptr when `name` is not one of them.
const DocumentFormat* findDocumentFormat(const std::string& name);

// The approved mappings of these registers (of every register when ids is empty): the concept
// bindings every document export carries.
std::vector<Mapping> approvedMappingsFor(MappingStore& mappings,
                                         const std::vector<std::string>& ids);

// Writes the registers (every register when ids is empty) in `format` to out. Throws
// regcat::Error: NotFound for an unknown register (naming it), Invalid for an unknown format.
void exportDocument(const std::string& format, Store& store, const std::vector<std::string>& ids,
                    const std::vector<Mapping>& approved, const RutOptions& opt, std::ostream& out);

// Several of the formats from one pass over the registers: each register is loaded and its GSIM
// cascade built once, then handed to every output's writer (what `regcat export all` does;
// the bytes are the same as from exportDocument). Each format may appear once.
struct DocumentOutput {
  std::string format;
  std::ostream* out;
};
void exportDocuments(Store& store, const std::vector<std::string>& ids,
                     const std::vector<Mapping>& approved, const RutOptions& opt,
                     const std::vector<DocumentOutput>& outputs);

// The file name an export is offered under: "{register}.{extension}" or "regcat.{extension}".
std::string documentFileName(const DocumentFormat& f, const std::vector<std::string>& ids);

}  // namespace regcat
