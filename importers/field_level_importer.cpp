// Field-level data model descriptions in the shape of the OMOP CDM's "Field_Level" CSV
// (cdmTableName, cdmFieldName, isRequired, cdmDatatype, userGuidance, etlConventions, ...):
// one dataset per table, one variable per field. Many national data models are published in
// this shape, so it is read as its own format rather than forced into the regcat layout.
#include <map>
#include <set>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "importers/delimited_reader.h"
#include "importers/variable_import.h"

namespace regcat {
namespace {

std::string fieldDatatype(const std::string& t) {
  const std::string f = text::fold(t);
  if (f == "integer" || f == "bigint" || f == "smallint" || f == "int") return "integer";
  if (f == "float" || f == "double" || f == "real" || f.rfind("numeric", 0) == 0 ||
      f.rfind("decimal", 0) == 0)
    return "decimal";
  if (f == "date") return "date";
  if (f == "datetime" || f == "timestamp") return "datetime";
  if (f.rfind("varchar", 0) == 0 || f.rfind("char", 0) == 0 || f == "text" || f == "string")
    return "string";
  if (f == "boolean" || f == "bool") return "boolean";
  return {};
}

// "NA" is the file's way of saying "not given".
std::string given(const std::string& s) {
  return s == "NA" ? std::string() : s;
}

}  // namespace

bool looksLikeFieldLevel(std::string_view firstLine) {
  const std::string f = text::fold(firstLine);
  return f.find("cdmtablename") != std::string::npos && f.find("cdmfieldname") != std::string::npos;
}

void parseFieldLevelCsv(std::string_view utf8, ParseContext& ctx) {
  const auto records = readDelimited(utf8, detectDelimiter(utf8), ctx.source);
  if (records.empty()) throw invalid(ctx.source, "the file is empty");
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < records[0].fields.size(); ++i) col[text::fold(records[0].fields[i])] = i;
  for (const char* required : {"cdmtablename", "cdmfieldname", "cdmdatatype"})
    if (!col.count(required))
      throw invalid(ctx.source + ":1", std::string("no column '") + required + "'");
  auto& doc = ctx.result.doc;
  std::set<std::string> datasets, names;
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    const std::string where = ctx.source + ":" + std::to_string(rec.line);
    if (rec.fields.size() != records[0].fields.size()) {
      ctx.problem(where, "expected " + std::to_string(records[0].fields.size()) +
                             " columns, found " + std::to_string(rec.fields.size()));
      continue;
    }
    auto cell = [&](const char* name) {
      auto it = col.find(name);
      return it == col.end() ? std::string() : given(text::nfc(rec.fields[it->second], where));
    };
    Variable v;
    v.register_id = ctx.opt.register_id;
    v.dataset_id = cell("cdmtablename");
    v.name = cell("cdmfieldname");
    // SQL reserved words are written quoted ("offset").
    if (v.name.size() > 2 && v.name.front() == '"' && v.name.back() == '"')
      v.name = v.name.substr(1, v.name.size() - 2);
    v.origin = where;
    if (!isValidLocalName(v.dataset_id) || !isValidLocalName(v.name)) {
      ctx.problem(where,
                  "'" + v.dataset_id + "." + v.name + "' is not a valid table and field name");
      continue;
    }
    v.datatype = fieldDatatype(cell("cdmdatatype"));
    if (v.datatype.empty()) {
      ctx.problem(where, "unknown cdmDatatype '" + cell("cdmdatatype") + "'");
      continue;
    }
    if (!names.insert(v.dataset_id + "/" + v.name).second) {
      ctx.problem(where, "field '" + v.name + "' appears twice in table '" + v.dataset_id + "'");
      continue;
    }
    // The model's documentation is English; the field name is the only label it has.
    v.label.en = v.name;
    v.definition.en = cell("userguidance");
    v.mandatory = text::fold(cell("isrequired")) == "yes";
    if (text::fold(cell("isprimarykey")) == "yes") v.category = "administrative";
    if (const std::string fk = cell("fktablename"); !fk.empty())
      v.aliases.push_back("fk:" + fk + "." + cell("fkfieldname"));
    if (datasets.insert(v.dataset_id).second) {
      Dataset d;
      d.register_id = v.register_id;
      d.id = v.dataset_id;
      d.name.en = v.dataset_id;
      d.origin = where;
      doc.datasets.push_back(d);
    }
    doc.variables.push_back(std::move(v));
  }
}

}  // namespace regcat
