// A linkage plan with its review, in the three forms a data request needs: JSON (the whole
// record), CSV (the variable list per register, the attachment of the request) and a
// printable HTML page for the CPUAs' case files.
#pragma once

#include <string>

#include "exporters/regcat_json_exporter.h"
#include "mapping/linkage_plan.h"
#include "mapping/linkage_review.h"

namespace regcat {

class Store;
class MappingStore;

void writePlanFields(JsonWriter& w, const LinkagePlan& p);
void writePlanReview(JsonWriter& w, const PlanReview& r);

// The plan, its review and (when given) its history count, as one JSON object.
std::string planJson(const LinkagePlan& p, const PlanReview& r);

// One row per requested variable (of one register, or all when registerId is empty), with its
// definition as the catalogue holds it and the plan's justification. UTF-8 with BOM, CRLF,
// cells that a spreadsheet would read as formulas neutralised.
std::string planVariablesCsv(Store& store, MappingStore& mappings, const LinkagePlan& p,
                             const std::string& registerId = {});

// A self-contained, printable HTML page (Swedish, English subtitles) with the plan, the
// checklist of the eight steps, warnings, compatibility and the variable lists.
std::string planHtml(Store& store, const LinkagePlan& p, const PlanReview& r);

}  // namespace regcat
