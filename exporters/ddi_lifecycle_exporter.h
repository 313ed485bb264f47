// DDI-Lifecycle 3.3: the RUT adapter's GSIM cascade (rut_adapter.h) as a ddi:DDIInstance. The
// concepts approved mappings bind are ConceptSchemes (one per code system) in a
// ResourcePackage; each register is a StudyUnit with its ConceptualComponent (unit types,
// population, conceptual variables), DataCollection (the questions) and LogicalProduct
// (categories, code lists, missing values, represented variables, and one VariableScheme per
// dataset). URNs are urn:ddi:{agency}:{id}:{version}, with ids derived from regcat ids
// (rut_adapter.h ddiIdPart) and versions from regcat's. Valid against the official
// instance.xsd; importers/ddi_lifecycle_importer.cpp reads it back to the same variables.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "exporters/rut_adapter.h"

namespace regcat {

class Store;

// Writes the registers (every register when ids is empty) to out, one register at a time.
// The same DDIInstance written one register at a time, for exports that build each register's
// cascade once for several formats (document_export.h). `only` is the register when the
// instance describes exactly one (it is then named after it); `systems` are the concept
// systems of the mappings of the registers add() will be given.
class DdiLifecycleWriter {
 public:
  DdiLifecycleWriter(std::ostream& out, const std::optional<Register>& only,
                     const std::vector<RutConceptSystem>& systems, const RutOptions& opt);
  ~DdiLifecycleWriter();
  DdiLifecycleWriter(const DdiLifecycleWriter&) = delete;
  DdiLifecycleWriter& operator=(const DdiLifecycleWriter&) = delete;
  void add(const RutRegister& r);
  void finish();  // throws when the stream failed

 private:
  struct State;
  std::unique_ptr<State> s_;
};

void exportDdiLifecycle(Store& store, const std::vector<std::string>& registerIds,
                        const std::vector<Mapping>& approved, const RutOptions& opt,
                        std::ostream& out);

}  // namespace regcat
