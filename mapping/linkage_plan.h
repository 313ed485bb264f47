// A linkage plan: the document SKR's eight-step method ("Samkörning och utvidgning av
// kvalitetsregister – en lathund") asks the data controllers (CPUA) to produce before a
// samkörning or utvidgning of quality registers, or the variable request of a research
// linkage. regcat keeps the plan and its history and checks it (linkage_review.h); the legal
// decisions stay with each CPUA.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace regcat {

// samkorning: QR-to-QR linkage; utvidgning-variabler: a register extended with new variables;
// utvidgning-sammanslagning: registers merged; forskning: a research linkage (ethics review,
// usually performed by Socialstyrelsen or SCB).
inline constexpr const char* kPlanKinds[] = {"samkorning", "utvidgning-variabler",
                                             "utvidgning-sammanslagning", "forskning"};
inline constexpr const char* kPurposeCategories[] = {"kvalitetssakring", "statistik", "forskning",
                                                     "annat"};
inline constexpr const char* kPlanStatuses[] = {"draft", "submitted", "approved", "rejected"};
inline constexpr const char* kOutputForms[] = {"aggregerad", "pseudonymiserad", "individniva"};
inline constexpr const char* kPlanRoles[] = {"begarande", "utlamnande", "mottagande"};

struct PlanParticipant {
  std::string register_id;
  std::string role;                // begarande, utlamnande, mottagande (or empty)
  std::string purpose_reference;   // which of the register's documented purposes (step 2)
  std::string check_outcome;       // the participant's own assessment (steps 1-3)
  std::string decision_reference;  // diarienummer / särskilt beslut (step 6)
  std::string secrecy_assessment;  // step 6
  std::string lawfulness_review;   // reference to its laglighetsprövning (step 8)
};

struct PlanVariable {
  std::string register_id, dataset_id, name;
  std::string role;  // linkage-key, covariate, outcome, quality-measure (or empty)
  std::string justification;
  std::string key() const { return register_id + "/" + dataset_id + "/" + name; }
};

struct LinkagePlan {
  int64_t id = 0;
  std::string title, kind, purpose_category, purpose, necessity, compatibility_statement;
  std::string responsible_cpua;
  std::vector<PlanParticipant> participants;
  std::vector<PlanVariable> variables;
  // Step 5: data minimisation.
  std::string output_form, retention, export_file_deletion;
  bool identifiers_removed_after_linkage = false;
  // Steps 7 and 8.
  std::string information_plan, agreement_reference, dpia_reference;
  std::string period_start, period_end;  // the period of data wanted (YYYY-MM-DD), optional
  std::string status = "draft", status_note;
  // Set by the store.
  std::string created_by, created_at, updated_at;
  int revision = 0;
};

struct PlanChange {
  int revision = 0;
  std::string action, actor, at;
  LinkagePlan state;
};

bool isValidPlanKind(const std::string& s);
bool isValidPurposeCategory(const std::string& s);
bool isValidPlanStatus(const std::string& s);

// The stored form (JSON): every field above; round-trips exactly.
std::string planToJson(const LinkagePlan& p);
LinkagePlan planFromJson(const std::string& json);

}  // namespace regcat
