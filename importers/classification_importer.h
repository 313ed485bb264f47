// National code systems from their tabular releases into the terminology store:
// ICD-10-SE and KVÅ code-text files (tab-separated), ATC lists (CSV), and Socialstyrelsen's
// NI information sets and termbank terms in regcat's documented CSV form
// (data/terminology/README.md). Columns are found by their header names; the hierarchy is
// derived from the codes (I21.0 under I21; C10AA01 under C10AA; NFB49 under NFB).
#pragma once

#include <string>

#include "mapping/terminology_loader.h"

namespace regcat {

class Store;
struct WriteContext;

enum class CodeSystemKind { Icd10Se, Kva, Atc, Ni };

struct CodeSystemImport {
  CodeSystemKind kind{};
  std::string version;  // e.g. 2026; default: a year in the file name, else the current year
};

// Parses and loads one file in one transaction. Throws regcat::Error naming file and line.
LoadSummary importCodeSystem(Store& store, const std::string& path, const CodeSystemImport& opt,
                             const WriteContext& ctx);

// The canonical URI, name and OID regcat uses for each system.
struct CodeSystemIdentity {
  const char* uri;
  const char* name;
  const char* oid;
};
CodeSystemIdentity identityOf(CodeSystemKind kind);
bool parseCodeSystemKind(const std::string& s, CodeSystemKind& out);

}  // namespace regcat
