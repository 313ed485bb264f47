// The terminology service: code system releases (SNOMED CT editions, ICD-10-SE, KVÅ, ATC, NI)
// held in the catalogue's database, with concept lookup, Swedish-aware search, hierarchy
// (subsumption, ancestors, descendants) and ECL. Thread-safe; hierarchies are built once per
// release on first use and shared.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mapping/ecl.h"
#include "mapping/hierarchy.h"

namespace regcat {

class Store;

inline constexpr const char* kSnomedSystem = "http://snomed.info/sct";
inline constexpr const char* kIsA = "116680003";
inline constexpr const char* kSwedishModule = "45991000052106";
inline constexpr const char* kSwedishLanguageRefset = "46011000052107";
inline constexpr const char* kUsEnglishLanguageRefset = "900000000000509007";
inline constexpr const char* kGbEnglishLanguageRefset = "900000000000508004";
inline constexpr const char* kReplacedBy = "900000000000526001";
inline constexpr const char* kSameAs = "900000000000527005";
inline constexpr const char* kPossiblyEquivalentTo = "900000000000523009";

struct TerminologyInfo {
  int64_t id = 0;
  std::string system, kind, name, version, edition, effective, oid, sha256, imported_at;
  int concepts = 0;  // active concepts (see Terminology::releases)
};

struct ConceptSummary {
  std::string code;
  bool active = true;
  std::string fsn, semantic_tag, pt_sv, pt_en;
  std::string display(const std::string& lang) const;
};

struct Designation {
  std::string id, lang, type, term, acceptability;  // type: fsn, synonym, definition
  bool active = true;
};

struct AttributeValue {
  ConceptSummary type, value;
  int group = 0;
};

struct Replacement {
  std::string association;  // REPLACED BY, SAME AS, POSSIBLY EQUIVALENT TO, ...
  std::string association_id;
  ConceptSummary target;
};

struct ConceptDetail {
  ConceptSummary summary;
  std::string module, effective, status;
  bool defined = false;
  std::vector<Designation> designations;
  std::vector<ConceptSummary> parents, children;
  std::vector<AttributeValue> attributes;
  std::vector<Replacement> replacements;
  std::vector<ConceptSummary> refsets;
};

struct ConceptQuery {
  std::string q;
  std::string lang = "sv";  // preferred language of terms: sv or en
  std::string ecl;          // constraint (SNOMED only); empty = none
  bool include_inactive = false;
  int limit = 20;
};

struct ConceptHit {
  ConceptSummary summary;
  std::string term, lang, match;  // the best-matching term
  double score = 0;
};

class Terminology {
 public:
  explicit Terminology(Store& store);

  // All loaded releases, newest first within a system; `concepts` is counted only on request.
  std::vector<TerminologyInfo> releases(bool withCounts = true);
  // The release of a system: the given version (a version URI, a YYYYMMDD date or a label),
  // else the newest loaded.
  std::optional<TerminologyInfo> release(const std::string& system,
                                         const std::string& version = {});

  std::optional<ConceptSummary> summary(const TerminologyInfo& t, const std::string& code);
  std::optional<ConceptDetail> lookup(const TerminologyInfo& t, const std::string& code);
  std::vector<ConceptHit> search(const TerminologyInfo& t, const ConceptQuery& q);

  std::shared_ptr<const Hierarchy> hierarchy(const TerminologyInfo& t);
  // True when a subsumes b (b is a or a descendant of a).
  bool subsumes(const TerminologyInfo& t, const std::string& a, const std::string& b);
  // Throws ecl::ParseError. Results of recent expressions are cached (the UI repeats them
  // with every keystroke of a constrained search).
  std::shared_ptr<const ecl::ConceptSet> evaluate(const TerminologyInfo& t,
                                                  const std::string& expression);

 private:
  Store& store_;
  std::mutex m_;
  std::map<int64_t, std::shared_ptr<const Hierarchy>> hierarchies_;
  std::map<std::pair<int64_t, std::string>, std::shared_ptr<const ecl::ConceptSet>> eclCache_;
};

// The semantic tag of an FSN: "Myocardial infarction (disorder)" -> "disorder".
std::string semanticTag(const std::string& fsn);

}  // namespace regcat
