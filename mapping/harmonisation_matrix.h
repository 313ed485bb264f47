// The harmonisation matrix: concepts (rows) by registers (columns); each cell lists the
// register's variables bound by approved mappings to the row concept or to a concept it
// subsumes, with the best grade against the row. Computed from the mappings, never typed in.
#pragma once

#include <string>
#include <vector>

namespace regcat {

class Store;
class Terminology;

struct MatrixQuery {
  std::vector<std::string> registers;  // columns; empty = every register with a binding
  std::vector<std::string> concepts;   // rows; empty = see topic
  // A concept whose children become the rows, each grouping its descendants (plus the topic
  // itself when variables are bound to it directly). Without concepts or topic, the rows are
  // every bound concept, the most widely covered first.
  std::string topic;
  std::string system = "http://snomed.info/sct";
  int limit = 50, offset = 0;
};

struct MatrixVariable {
  std::string key, label, datatype, unit;
  std::string concept_id, predicate;
  // identical: bound by exactMatch to the row concept itself; partial: to a concept the row
  // subsumes, or by closeMatch.
  std::string grade;
};

struct MatrixCell {
  std::string grade;  // the best of its variables' grades; empty = no variable
  std::vector<MatrixVariable> variables;
};

struct MatrixRow {
  std::string concept_id, label, semantic_tag;
  int registers_covered = 0, variables = 0;
  std::vector<MatrixCell> cells;  // one per column
};

struct MatrixColumn {
  std::string register_id, name;
};

struct Matrix {
  std::string system, release;
  std::vector<MatrixColumn> columns;
  int total_rows = 0, limit = 0, offset = 0;
  std::vector<MatrixRow> rows;
};

Matrix harmonisationMatrix(Store& store, Terminology& terminology, const MatrixQuery& q);

}  // namespace regcat
