#include "catalog/errors.h"
#include "importers/variable_import.h"

namespace regcat {

void ParseContext::problem(const std::string& where, const std::string& reason) {
  if (!opt.skip_invalid) throw invalid(where, reason);
  result.skipped.push_back({where, reason});
}

}  // namespace regcat
