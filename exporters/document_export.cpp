#include "exporters/document_export.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

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

void exportDocuments(Store& store, const std::vector<std::string>& ids,
                     const std::vector<Mapping>& approved, const RutOptions& opt,
                     const std::vector<DocumentOutput>& outputs) {
  auto wants = [&](const char* name) {
    return std::any_of(outputs.begin(), outputs.end(),
                       [&](const DocumentOutput& o) { return o.format == name; });
  };
  for (const auto& o : outputs)
    if (!findDocumentFormat(o.format))
      throw invalid("format", "'" + o.format + "' is not a document format");
  const std::vector<std::string> registers = exportRegisterIds(store, ids);
  const MappingsByRegister byRegister = groupByRegister(approved);
  std::vector<RutConceptSystem> systems;
  if (wants("rut-json") || wants("ddi-l")) systems = buildRutConceptSystems(approved);
  std::vector<RutRegister> shells;
  if (wants("ddi-c"))
    for (const auto& id : registers) shells.push_back(loadRutShell(store, id, opt));
  std::optional<Register> only;
  if (wants("ddi-l") && registers.size() == 1) only = store.getRegister(registers[0]);

  // One writer per output, each fed every register in turn.
  struct Writer {
    std::function<void(const RutRegister&)> add;
    std::function<void()> finish;
  };
  std::vector<Writer> writers;
  for (const auto& o : outputs) {
    std::ostream& out = *o.out;
    if (o.format == "ddi-c") {
      auto w = std::make_shared<DdiCodebookWriter>(out, shells, opt);
      writers.push_back({[w](const RutRegister& r) { w->add(r); }, [w] { w->finish(); }});
    } else if (o.format == "ddi-l") {
      auto w = std::make_shared<DdiLifecycleWriter>(out, only, systems, opt);
      writers.push_back({[w](const RutRegister& r) { w->add(r); }, [w] { w->finish(); }});
    } else if (o.format == "rut-json") {
      writeRutJsonStart(out, systems, opt);
      auto first = std::make_shared<bool>(true);
      writers.push_back({[&out, first](const RutRegister& r) {
                           writeRutJsonRegister(out, r, *first);
                           *first = false;
                         },
                         [&out] { writeRutJsonEnd(out); }});
    } else if (o.format == "rut-csv") {
      writeRutCsvHeader(out);
      writers.push_back({[&out](const RutRegister& r) { writeRutCsvRows(out, r); }, [] {}});
    } else {
      // rut-xlsx: a zip cannot be streamed, but only the sheets' rows are kept between
      // registers.
      auto wb = std::make_shared<RutWorkbook>();
      writers.push_back({[wb](const RutRegister& r) { addRutWorkbookRegister(*wb, r); },
                         [wb, &out] {
                           const std::string bytes = finishRutWorkbook(*wb);
                           out.write(bytes.data(), std::streamsize(bytes.size()));
                         }});
    }
  }
  for (const auto& id : registers) {
    const RutRegister r = loadRutRegister(store, id, byRegister, opt);
    for (auto& w : writers) w.add(r);
  }
  for (auto& w : writers) w.finish();
}

void exportDocument(const std::string& format, Store& store, const std::vector<std::string>& ids,
                    const std::vector<Mapping>& approved, const RutOptions& opt,
                    std::ostream& out) {
  exportDocuments(store, ids, approved, opt, {{format, &out}});
}

std::string documentFileName(const DocumentFormat& f, const std::vector<std::string>& ids) {
  return (ids.size() == 1 ? ids[0] : std::string("regcat")) + "." + f.extension;
}

}  // namespace regcat
