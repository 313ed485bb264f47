// What regcat can check in a linkage plan: the CPUAs involved and whether a secrecy boundary is
// crossed, each register's linkage key and time coverage, which variable of each register
// carries each wanted concept and how compatible they are, warnings, and the eight steps of
// SKR's lathund with what is documented and what is missing. It supports the CPUAs' work and
// decides nothing: the legal assessments stay with each CPUA.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mapping/compatibility.h"
#include "mapping/linkage_plan.h"

namespace regcat {

class Store;
class Terminology;
class MappingStore;

struct Bilingual {
  std::string sv, en;
};

struct PlanWarning {
  std::string code;     // purpose-not-allowed, missing-justification, direct-identifier, ...
  std::string subject;  // the register or variable it concerns; empty for the plan
  Bilingual text;
};

struct PlanStep {
  int number = 0;
  Bilingual title;
  std::string state;  // documented, partial, missing, not-applicable
  std::vector<Bilingual> documented, missing;
};

struct PlanRegister {
  std::string id, name, cpua, role;
  std::optional<bool> holds_personnummer;
  std::string linkage_key;                 // personnummer, or "" when not documented
  std::vector<std::string> key_variables;  // its direct identifiers (e.g. pnr)
  std::string coverage_from, coverage_to;  // YYYY-MM-DD; empty = unknown / open
  int purposes = 0;
  std::vector<std::string> requested;  // variable keys the plan asks for
};

struct PlanCarrier {
  std::string register_id, key, label, concept_id;
  bool requested = false;
};

struct PlanPair {
  std::string a, b;  // variable keys
  Compatibility result;
};

struct PlanConcept {
  std::string system, concept_id, label;
  std::vector<PlanCarrier> carriers;  // per register, the variables bound to it or below it
  std::vector<std::string> registers_without;
  std::vector<PlanPair> pairs;  // between the registers' chosen carriers
};

struct PlanReview {
  std::vector<std::string> cpuas;
  bool same_cpua = false, secrecy_boundary = false;
  Bilingual secrecy_note;
  std::vector<PlanRegister> registers;
  bool periods_overlap = true;
  std::string common_from, common_to;
  std::vector<PlanConcept> concepts;
  std::vector<std::string> unbound;  // requested variables with no approved binding
  std::vector<PlanWarning> warnings;
  std::vector<PlanStep> checklist;
  Bilingual disclaimer;
};

PlanReview reviewPlan(Store& store, Terminology& terminology, MappingStore& mappings,
                      const LinkagePlan& plan);

}  // namespace regcat
