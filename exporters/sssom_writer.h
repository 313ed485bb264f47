// Mappings out as SSSOM/TSV (SSSOM 1.0): a '#' metadata block (curie_map with only the prefixes
// the file uses, mapping_set_id, license, version, publication date, the regcat_status extension
// definition), then one TSV row per mapping. importers/sssom_reader.h reads it back to the same
// mappings; docs/sssom.md describes what is written and why.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "importers/sssom_reader.h"  // the prefix tables only (header-only data)
#include "mapping/mapping.h"

namespace regcat {

struct SssomWriteOptions {
  std::string base_uri = "http://localhost:8080";
  // The register the set belongs to (only its mappings are written); "" for a set over all
  // registers. Decides mapping_set_id, {base_uri}/mappings/{register or "all"}.sssom.tsv.
  std::string register_id;
  std::string title;  // mapping_set_title; default "regcat mappings: {register or all registers}"
  std::string license = "https://creativecommons.org/publicdomain/zero/1.0/";
  std::string version;                  // mapping_set_version; default today's date
  std::string publication_date;         // default today's date
  std::vector<std::string> creator_id;  // CURIEs (orcid:...) of whoever publishes the set
  // The statuses written. SSSOM has no review status: by default only approved mappings are
  // published; "proposed"/"suggested" may be added (the regcat_status column tells them apart)
  // and "rejected" ones are written as negated mappings (predicate_modifier Not).
  std::vector<std::string> statuses = {"approved"};
  std::vector<SssomSystemPrefix> system_prefixes;  // code systems beyond kSssomSystems
};

// Writes the mappings of opt.register_id (all when empty) whose status is in opt.statuses, ordered
// by subject, system and code, and returns how many were written. Throws regcat::Error (Invalid,
// naming the mapping) when a mapping's code system has no CURIE prefix, or an option is not valid.
size_t writeSssom(std::ostream& out, const std::vector<Mapping>& mappings,
                  const SssomWriteOptions& opt);

// The CURIE regcat writes for a subject: regcat:{register}/{dataset}/{name}[#{code}], with
// characters that cannot stand in a CURIE (space, '%', '#', '|', quotes, controls...)
// percent-encoded.
std::string sssomSubjectCurie(const MappingSubject& s);

}  // namespace regcat
