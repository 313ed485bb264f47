#include "exporters/harmonisation_export.h"

#include "importers/template_exporter.h"

namespace regcat {
void writeMatrix(JsonWriter& w, const Matrix& m) {
  w.StartObject();
  w.Key("system");
  writeString(w, m.system);
  w.Key("release");
  writeString(w, m.release);
  w.Key("total_rows");
  w.Int(m.total_rows);
  w.Key("limit");
  w.Int(m.limit);
  w.Key("offset");
  w.Int(m.offset);
  w.Key("columns");
  w.StartArray();
  for (const auto& c : m.columns) {
    w.StartObject();
    w.Key("register");
    writeString(w, c.register_id);
    w.Key("name");
    writeString(w, c.name);
    w.EndObject();
  }
  w.EndArray();
  w.Key("rows");
  w.StartArray();
  for (const auto& r : m.rows) {
    w.StartObject();
    w.Key("concept_id");
    writeString(w, r.concept_id);
    w.Key("label");
    writeString(w, r.label);
    w.Key("semantic_tag");
    writeString(w, r.semantic_tag);
    w.Key("registers_covered");
    w.Int(r.registers_covered);
    w.Key("variables");
    w.Int(r.variables);
    w.Key("cells");
    w.StartArray();
    for (const auto& c : r.cells) {
      w.StartObject();
      w.Key("grade");
      if (c.grade.empty())
        w.Null();
      else
        writeString(w, c.grade);
      w.Key("variables");
      w.StartArray();
      for (const auto& v : c.variables) {
        w.StartObject();
        w.Key("variable");
        writeString(w, v.key);
        w.Key("label");
        writeString(w, v.label);
        w.Key("datatype");
        writeString(w, v.datatype);
        w.Key("unit");
        writeString(w, v.unit);
        w.Key("concept_id");
        writeString(w, v.concept_id);
        w.Key("predicate");
        writeString(w, v.predicate);
        w.Key("grade");
        writeString(w, v.grade);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

std::string matrixCsv(const Matrix& m) {
  std::string out = "\xEF\xBB\xBF";
  out += "concept_id,concept_label,registers_covered";
  for (const auto& c : m.columns) out += "," + csvCell(c.register_id);
  out += "\r\n";
  for (const auto& r : m.rows) {
    out +=
        csvCell(r.concept_id) + "," + csvCell(r.label) + "," + std::to_string(r.registers_covered);
    for (const auto& c : r.cells) {
      std::string cell;
      for (const auto& v : c.variables)
        cell += (cell.empty() ? "" : "; ") + v.key + " (" + v.grade + ")";
      out += "," + csvCell(cell);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace regcat
