// The harmonisation matrix as JSON (the API) and as CSV (one row per concept, one column per
// register; a cell lists the variables with their grade).
#pragma once

#include <string>

#include "exporters/regcat_json_exporter.h"
#include "mapping/harmonisation_matrix.h"

namespace regcat {

void writeMatrix(JsonWriter& w, const Matrix& m);
std::string matrixCsv(const Matrix& m);

}  // namespace regcat
