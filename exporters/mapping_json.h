// JSON for mappings and their history, as the API returns them.
#pragma once

#include <vector>

#include "exporters/regcat_json_exporter.h"
#include "mapping/mapping.h"
#include "mapping/suggester.h"

namespace regcat {

// One mapping as a JSON object.
void writeMapping(JsonWriter& w, const Mapping& m, const ExportContext& ctx);
void writeMappingChange(JsonWriter& w, const MappingChange& c, const ExportContext& ctx);
// {concept_id, term, lang, semantic_tag, score, reasons}
void writeSuggestion(JsonWriter& w, const Suggestion& s);

}  // namespace regcat
