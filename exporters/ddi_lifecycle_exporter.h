// DDI-Lifecycle 3.3: the RUT adapter's GSIM cascade (rut_adapter.h) as a ddi:DDIInstance. The
// concepts approved mappings bind are ConceptSchemes (one per code system) in a
// ResourcePackage; each register is a StudyUnit with its ConceptualComponent (unit types,
// population, conceptual variables), DataCollection (the questions) and LogicalProduct
// (categories, code lists, missing values, represented variables, and one VariableScheme per
// dataset). URNs are urn:ddi:{agency}:{id}:{version}, with ids derived from regcat ids
// (rut_adapter.h ddiIdPart) and versions from regcat's. Valid against the official
// instance.xsd; importers/ddi_lifecycle_importer.cpp reads it back to the same variables.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "exporters/rut_adapter.h"

namespace regcat {

class Store;

// Writes the registers (every register when ids is empty) to out, one register at a time.
void exportDdiLifecycle(Store& store, const std::vector<std::string>& registerIds,
                        const std::vector<Mapping>& approved, const RutOptions& opt,
                        std::ostream& out);

}  // namespace regcat
