// JSON for the compatibility of two variables (mapping/compatibility.h), as the API, the CLI
// and linkage plans return it. Every member is always present (null or empty when it does not
// apply), so clients can rely on one shape.
#pragma once

#include "exporters/regcat_json_exporter.h"
#include "mapping/compatibility.h"

namespace regcat {

// {grade, reasons[], transform, concept, unit, crosswalk, validity} as one object.
void writeCompatibility(JsonWriter& w, const Compatibility& c);
// The same members without the enclosing object, for callers that add their own.
void writeCompatibilityFields(JsonWriter& w, const Compatibility& c);

}  // namespace regcat
