// Compatibility of catalogue variables: loads what compare() needs (the variable version, its
// code list as it was then, the approved mappings) and wires subsumption to the terminology.
#pragma once

#include <string>

#include "mapping/compatibility.h"

namespace regcat {

class Store;
class Terminology;
class MappingStore;

// `key` is register/dataset/name; `at` (YYYY-MM-DD) picks the version valid then (empty =
// latest). Throws NotFound naming `where` when there is no such variable.
CompatSide loadCompatSide(Store& store, MappingStore& mappings, const std::string& key,
                          const std::string& at = {}, const std::string& where = "variable");

// Subsumption in the newest loaded release of each system.
SubsumptionOracle subsumptionOracle(Terminology& terminology);

Compatibility compareVariables(Store& store, Terminology& terminology, MappingStore& mappings,
                               const std::string& a, const std::string& b,
                               const std::string& at = {});

}  // namespace regcat
