#include "exporters/document_export.h"

#include <algorithm>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "exporters/ddi_codebook_exporter.h"
#include "exporters/ddi_lifecycle_exporter.h"
#include "mapping/mapping_store.h"

namespace regcat {

const std::vector<DocumentFormat>& documentFormats() {
  static const std::vector<DocumentFormat> formats = {
      {"rut-json", "application/json; charset=utf-8", "rut.json",
       "GSIM-shaped register description for RUT (docs/rut-export.md)"},
      {"rut-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "rut.xlsx",
       "registers, variables and codes with concept columns, for a metadata tool"},
      {"rut-csv", "text/csv; charset=utf-8", "rut.csv",
       "the variable sheet of rut-xlsx as CSV (codes inline)"},
      {"ddi-c", "application/xml; charset=utf-8", "ddi-c.xml", "DDI-Codebook 2.5 codeBook"},
      {"ddi-l", "application/xml; charset=utf-8", "ddi-l.xml", "DDI-Lifecycle 3.3 DDIInstance"},
  };
  return formats;
}

const DocumentFormat* findDocumentFormat(const std::string& name) {
  for (const auto& f : documentFormats())
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<Mapping> approvedMappingsFor(MappingStore& mappings,
                                         const std::vector<std::string>& ids) {
  MappingQuery q;
  q.status = "approved";
  q.limit = -1;
  if (ids.size() == 1) q.register_id = ids[0];
  std::vector<Mapping> out;
  for (auto& m : mappings.list(q).items) {
    if (ids.size() > 1 && std::find(ids.begin(), ids.end(), m.subject.register_id) == ids.end())
      continue;
    out.push_back(std::move(m));
  }
  return out;
}

void exportDocument(const std::string& format, Store& store, const std::vector<std::string>& ids,
                    const std::vector<Mapping>& approved, const RutOptions& opt,
                    std::ostream& out) {
  if (!findDocumentFormat(format))
    throw invalid("format", "'" + format + "' is not a document format");
  const std::vector<std::string> registers = exportRegisterIds(store, ids);
  if (format == "ddi-c") return exportDdiCodebook(store, registers, approved, opt, out);
  if (format == "ddi-l") return exportDdiLifecycle(store, registers, approved, opt, out);
  const MappingsByRegister byRegister = groupByRegister(approved);
  if (format == "rut-json") {
    writeRutJsonStart(out, buildRutConceptSystems(approved), opt);
    bool first = true;
    for (const auto& id : registers) {
      writeRutJsonRegister(out, loadRutRegister(store, id, byRegister, opt), first);
      first = false;
    }
    writeRutJsonEnd(out);
    return;
  }
  if (format == "rut-csv") {
    writeRutCsvHeader(out);
    for (const auto& id : registers)
      writeRutCsvRows(out, loadRutRegister(store, id, byRegister, opt));
    return;
  }
  // rut-xlsx: a zip cannot be streamed, but only the sheets' rows are kept between registers.
  RutWorkbook wb;
  for (const auto& id : registers)
    addRutWorkbookRegister(wb, loadRutRegister(store, id, byRegister, opt));
  const std::string bytes = finishRutWorkbook(wb);
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string documentFileName(const DocumentFormat& f, const std::vector<std::string>& ids) {
  return (ids.size() == 1 ? ids[0] : std::string("regcat")) + "." + f.extension;
}

}  // namespace regcat
