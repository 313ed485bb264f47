// DDI-Codebook 2.5 (what SND / researchdata.se exchange): a codeBook with one stdyDscr per
// register (citation with CPUA and registerhållare, abstract, time period, nation, population,
// unit types, coverage, the data request route), one fileDscr per dataset and a var per
// variable (labels and question in Swedish and English, definition, format, range, unit,
// categories with missing codes, the SNOMED CT/NI concepts approved mappings bind, version).
// Valid against the official codebook.xsd; importers/ddi_codebook_importer.cpp reads it back
// to the same variables (docs/rut-export.md lists what DDI-C cannot carry).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "exporters/rut_adapter.h"

namespace regcat {

class Store;

// Writes the registers (every register when ids is empty) to out as it goes: the study
// descriptions first, then the files, then each register's variables, so only one register's
// variables are in memory at a time. `approved` are the approved mappings (others are ignored).
// The same codeBook written one register at a time, for exports that build each register's
// cascade once for several formats (document_export.h). `shells` are the registers with their
// datasets and no variables (loadRutShell), in the order add() will be called; the constructor
// writes the study and file descriptions, add() a register's variables, finish() the rest.
class DdiCodebookWriter {
 public:
  DdiCodebookWriter(std::ostream& out, const std::vector<RutRegister>& shells,
                    const RutOptions& opt);
  ~DdiCodebookWriter();
  DdiCodebookWriter(const DdiCodebookWriter&) = delete;
  DdiCodebookWriter& operator=(const DdiCodebookWriter&) = delete;
  void add(const RutRegister& r);
  void finish();  // throws when the stream failed

 private:
  struct State;
  std::unique_ptr<State> s_;
};

void exportDdiCodebook(Store& store, const std::vector<std::string>& registerIds,
                       const std::vector<Mapping>& approved, const RutOptions& opt,
                       std::ostream& out);

}  // namespace regcat
