// Serialisers of the RutDocument: the GSIM-shaped JSON (docs/rut-export.md) and the variable
// list for spreadsheets (CSV, .xlsx).
#include <charconv>
#include <cstdio>
#include <map>

#include "catalog/text.h"
#include "exporters/rut_adapter.h"
#include "exporters/xml_writer.h"
#include "importers/template_exporter.h"

namespace regcat {
namespace {

// --- JSON ---

void str(JsonWriter& w, const char* k, const std::string& v) {
  w.Key(k);
  writeString(w, v);
}

void optStr(JsonWriter& w, const char* k, const std::string& v) {
  w.Key(k);
  if (v.empty())
    w.Null();
  else
    writeString(w, v);
}

void text(JsonWriter& w, const char* k, const Text& t) {
  w.Key(k);
  writeText(w, t);
}

void optNumber(JsonWriter& w, const char* k, const std::optional<double>& v) {
  w.Key(k);
  if (v)
    w.Double(*v);
  else
    w.Null();
}

void optBool(JsonWriter& w, const char* k, const std::optional<bool>& v) {
  w.Key(k);
  if (v)
    w.Bool(*v);
  else
    w.Null();
}

void strings(JsonWriter& w, const char* k, const std::vector<std::string>& v) {
  w.Key(k);
  w.StartArray();
  for (const auto& s : v) writeString(w, s);
  w.EndArray();
}

void identifiers(JsonWriter& w, const std::vector<RutIdentifier>& ids) {
  w.Key("identifiers");
  w.StartArray();
  for (const auto& i : ids) {
    w.StartObject();
    str(w, "scheme", i.scheme);
    str(w, "value", i.value);
    w.EndObject();
  }
  w.EndArray();
}

void missingCodes(JsonWriter& w, const char* k, const std::vector<MissingCode>& codes) {
  w.Key(k);
  w.StartArray();
  for (const auto& m : codes) {
    w.StartObject();
    str(w, "code", m.code);
    text(w, "label", m.label);
    w.EndObject();
  }
  w.EndArray();
}

void writeValueDomain(JsonWriter& w, const RutValueDomain& d) {
  w.StartObject();
  str(w, "id", d.id);
  str(w, "kind", d.kind);
  str(w, "datatype", d.datatype);
  optStr(w, "unit", d.unit);
  optNumber(w, "min", d.min);
  optNumber(w, "max", d.max);
  optStr(w, "format", d.format);
  w.Key("codelist");
  if (!d.codelist) {
    w.Null();
  } else {
    const CodeList& c = *d.codelist;
    w.StartObject();
    str(w, "id", c.id);
    w.Key("version");
    w.Int(c.version);
    text(w, "name", c.name);
    text(w, "description", c.description);
    w.Key("system");
    if (c.system.uri.empty() && c.system.oid.empty()) {
      w.Null();
    } else {
      w.StartObject();
      optStr(w, "uri", c.system.uri);
      optStr(w, "oid", c.system.oid);
      optStr(w, "version", c.system.version);
      w.EndObject();
    }
    optStr(w, "valid_from", c.valid_from);
    optStr(w, "valid_to", c.valid_to);
    w.EndObject();
  }
  w.Key("codes");
  w.StartArray();
  for (const auto& code : d.codes) {
    w.StartObject();
    str(w, "code", code.item.code);
    text(w, "label", code.item.label);
    w.Key("is_missing");
    w.Bool(code.item.is_missing);
    optStr(w, "valid_from", code.item.valid_from);
    optStr(w, "valid_to", code.item.valid_to);
    strings(w, "concepts", code.concepts);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void writeInstanceVariable(JsonWriter& w, const RutInstanceVariable& iv) {
  const Variable& v = iv.var;
  w.StartObject();
  str(w, "id", v.key());
  str(w, "uri", iv.uri);
  str(w, "urn", iv.urn);
  identifiers(w, iv.identifiers);
  str(w, "name", v.name);
  text(w, "label", v.label);
  text(w, "definition", v.definition);
  text(w, "question", v.question);
  str(w, "represented_variable", iv.represented_variable);
  str(w, "conceptual_variable", iv.conceptual_variable);
  str(w, "value_domain", iv.value_domain);
  str(w, "datatype", v.datatype);
  optStr(w, "unit", v.unit);
  optStr(w, "unit_type", iv.unit_type);
  missingCodes(w, "missing_codes", v.missing_codes);
  w.Key("mandatory");
  w.Bool(v.mandatory);
  optStr(w, "identifier_class", v.identifier_class);
  optStr(w, "source", v.source);
  optStr(w, "category", v.category);
  optStr(w, "calculation", v.calculation);
  optStr(w, "valid_from", v.valid_from);
  optStr(w, "valid_to", v.valid_to);
  w.Key("version");
  w.Int(v.version);
  strings(w, "concepts", iv.concepts);
  w.Key("code_concepts");
  w.StartArray();
  for (const auto& [code, ids] : iv.code_concepts) {
    w.StartObject();
    str(w, "code", code);
    strings(w, "concepts", ids);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void writeRegister(JsonWriter& w, const RutRegister& r) {
  const Register& g = r.reg;
  w.StartObject();
  str(w, "id", g.id);
  str(w, "uri", r.uri);
  str(w, "urn", r.urn);
  identifiers(w, r.identifiers);
  text(w, "name", g.name);
  optStr(w, "short_name", g.short_name);
  text(w, "description", g.description);
  w.Key("purposes");
  w.StartArray();
  for (const auto& p : g.purposes) writeText(w, p);
  w.EndArray();
  w.Key("cpua");
  w.StartObject();
  str(w, "name", g.cpua.name);
  optStr(w, "unit", g.cpua.unit);
  w.EndObject();
  w.Key("registerhallare");
  w.StartObject();
  optStr(w, "name", g.registerhallare.name);
  optStr(w, "organisation", g.registerhallare.organisation);
  optStr(w, "email", g.registerhallare.email);
  optStr(w, "phone", g.registerhallare.phone);
  w.EndObject();
  optStr(w, "register_centre", g.register_centre);
  optStr(w, "platform", g.platform);
  optStr(w, "register_type", g.register_type);
  optStr(w, "certification_level", g.certification_level);
  w.Key("start_year");
  if (g.start_year)
    w.Int(*g.start_year);
  else
    w.Null();
  w.Key("coverage");
  w.StartArray();
  for (const auto& c : g.coverage) {
    w.StartObject();
    optNumber(w, "value", c.value);
    optStr(w, "method", c.method);
    optStr(w, "denominator_source", c.denominator_source);
    optStr(w, "period_start", c.period_start);
    optStr(w, "period_end", c.period_end);
    optStr(w, "level", c.level);
    w.EndObject();
  }
  w.EndArray();
  optBool(w, "holds_personnummer", g.holds_personnummer);
  optBool(w, "research_information", g.research_information);
  w.Key("disclosure");
  w.StartObject();
  optStr(w, "decided_by", g.disclosure.decided_by);
  optStr(w, "contact", g.disclosure.contact);
  optStr(w, "lead_time", g.disclosure.lead_time);
  optStr(w, "url", g.disclosure.url);
  optStr(w, "notes", g.disclosure.notes);
  w.EndObject();
  optStr(w, "homepage", g.homepage);
  strings(w, "keywords", g.keywords);

  w.Key("population");
  w.StartObject();
  str(w, "id", r.population.id);
  text(w, "description", r.population.description);
  strings(w, "unit_types", r.population.unit_types);
  w.EndObject();
  w.Key("unit_types");
  w.StartArray();
  for (const auto& u : r.unit_types) {
    w.StartObject();
    str(w, "id", u.id);
    str(w, "label", u.label);
    w.EndObject();
  }
  w.EndArray();
  w.Key("value_domains");
  w.StartArray();
  for (const auto& d : r.value_domains) writeValueDomain(w, d);
  w.EndArray();
  w.Key("conceptual_variables");
  w.StartArray();
  for (const auto& c : r.conceptual_variables) {
    w.StartObject();
    str(w, "id", c.id);
    str(w, "name", c.name);
    text(w, "label", c.label);
    text(w, "definition", c.definition);
    optStr(w, "unit_type", c.unit_type);
    strings(w, "concepts", c.concepts);
    w.Key("version");
    w.Int(c.version);
    w.EndObject();
  }
  w.EndArray();
  w.Key("represented_variables");
  w.StartArray();
  for (const auto& rv : r.represented_variables) {
    w.StartObject();
    str(w, "id", rv.id);
    str(w, "name", rv.name);
    text(w, "label", rv.label);
    text(w, "definition", rv.definition);
    str(w, "conceptual_variable", rv.conceptual_variable);
    str(w, "value_domain", rv.value_domain);
    missingCodes(w, "sentinel_values", rv.missing_codes);
    w.Key("version");
    w.Int(rv.version);
    w.EndObject();
  }
  w.EndArray();
  w.Key("datasets");
  w.StartArray();
  for (const auto& d : r.datasets) {
    w.StartObject();
    str(w, "id", d.dataset.id);
    str(w, "uri", d.uri);
    text(w, "name", d.dataset.name);
    text(w, "description", d.dataset.description);
    optStr(w, "unit_type", d.unit_type);
    w.Key("temporal_coverage");
    w.StartObject();
    optStr(w, "start", d.dataset.coverage_start);
    optStr(w, "end", d.dataset.coverage_end);
    w.EndObject();
    w.Key("instance_variables");
    w.StartArray();
    for (size_t i : d.variables) writeInstanceVariable(w, r.instance_variables[i]);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("semantic_mappings");
  w.StartArray();
  for (const auto& m : r.mappings) {
    w.StartObject();
    str(w, "subject", m.subject);
    str(w, "subject_uri", m.subject_uri);
    str(w, "predicate", m.predicate);
    str(w, "object", m.object);
    str(w, "justification", m.justification);
    optStr(w, "author", m.author);
    optStr(w, "reviewer", m.reviewer);
    optStr(w, "reviewed_at", m.reviewed_at);
    optStr(w, "release", m.release);
    optNumber(w, "confidence", m.confidence);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

// --- spreadsheets ---

std::string number(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

std::string joinPipe(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts)
    if (!p.empty()) s += (s.empty() ? "" : " | ") + p;
  return s;
}

struct Cell {
  std::string text;
  bool numeric = false;
};

std::string sv(const Text& t) {
  return t.sv.empty() ? t.en : t.sv;
}

// Concept columns (id, label, uri) for these concept ids, from the register's mappings.
struct ConceptColumns {
  std::string ids, labels, uris;
};

using Concepts = std::map<std::string, RutConcept>;

ConceptColumns conceptColumns(const std::vector<std::string>& ids, const Concepts& concepts) {
  std::vector<std::string> l, u;
  for (const auto& id : ids) {
    auto it = concepts.find(id);
    if (it == concepts.end()) continue;
    l.push_back(it->second.label);
    u.push_back(it->second.uri);
  }
  return {joinPipe(ids), joinPipe(l), joinPipe(u)};
}

std::string inlineCodes(const RutValueDomain* d) {
  if (!d) return {};
  std::vector<std::string> parts;
  for (const auto& c : d->codes)
    parts.push_back(c.item.code + "=" + sv(c.item.label) + (c.item.is_missing ? "*" : ""));
  return joinPipe(parts);
}

std::vector<std::vector<Cell>> variableRows(const RutRegister& r, const Concepts& labels) {
  std::map<std::string, std::string> unitTypes;
  for (const auto& u : r.unit_types) unitTypes[u.id] = u.label;
  std::vector<std::vector<Cell>> rows;
  for (const auto& d : r.datasets) {
    for (size_t i : d.variables) {
      const RutInstanceVariable& iv = r.instance_variables[i];
      const Variable& v = iv.var;
      const RutValueDomain* vd = r.valueDomain(iv.value_domain);
      std::vector<std::string> missing;
      for (const auto& m : v.missing_codes)
        missing.push_back(m.code + (sv(m.label).empty() ? "" : "=" + sv(m.label)));
      const ConceptColumns cc = conceptColumns(iv.concepts, labels);
      std::vector<std::string> codeConcepts;
      for (const auto& [code, ids] : iv.code_concepts)
        for (const auto& id : ids) {
          auto it = labels.find(id);
          codeConcepts.push_back(code + "=" + id +
                                 (it == labels.end() ? "" : " |" + it->second.label + "|"));
        }
      // Same order as rutVariableColumns().
      rows.push_back({{r.reg.id},
                      {sv(r.reg.name)},
                      {d.dataset.id},
                      {sv(d.dataset.name)},
                      {v.name},
                      {v.key()},
                      {iv.uri},
                      {v.label.sv},
                      {v.label.en},
                      {v.definition.sv},
                      {v.definition.en},
                      {v.question.sv},
                      {v.question.en},
                      {v.datatype},
                      {v.unit},
                      {v.min ? number(*v.min) : "", bool(v.min)},
                      {v.max ? number(*v.max) : "", bool(v.max)},
                      {v.format},
                      {vd ? vd->kind : ""},
                      {iv.value_domain},
                      {vd && vd->codelist ? sv(vd->codelist->name) : ""},
                      {vd && vd->codelist ? vd->codelist->system.uri : ""},
                      {inlineCodes(vd && vd->kind == "enumerated" ? vd : nullptr)},
                      {joinPipe(missing)},
                      {unitTypes.count(iv.unit_type) ? unitTypes[iv.unit_type] : ""},
                      {sv(r.population.description)},
                      {iv.conceptual_variable},
                      {iv.represented_variable},
                      {cc.ids},
                      {cc.labels},
                      {cc.uris},
                      {joinPipe(codeConcepts)},
                      {v.identifier_class},
                      {v.source},
                      {v.mandatory ? "yes" : "no"},
                      {v.valid_from},
                      {v.valid_to},
                      {std::to_string(v.version), true},
                      {iv.urn}});
    }
  }
  return rows;
}

std::vector<std::vector<Cell>> codeRows(const RutRegister& r, const Concepts& labels) {
  std::vector<std::vector<Cell>> rows;
  for (const auto& d : r.value_domains) {
    if (d.kind != "enumerated") continue;
    for (const auto& c : d.codes) {
      const ConceptColumns cc = conceptColumns(c.concepts, labels);
      rows.push_back({{r.reg.id},
                      {d.id},
                      {d.codelist ? sv(d.codelist->name) : ""},
                      {c.item.code},
                      {c.item.label.sv},
                      {c.item.label.en},
                      {c.item.is_missing ? "yes" : ""},
                      {c.item.valid_from},
                      {c.item.valid_to},
                      {d.codelist ? d.codelist->system.uri : ""},
                      {cc.ids},
                      {cc.labels}});
    }
  }
  return rows;
}

std::vector<Cell> registerRow(const RutRegister& r) {
  const Register& g = r.reg;
  std::vector<std::string> units;
  for (const auto& u : r.unit_types) units.push_back(u.label);
  std::vector<std::string> coverage;
  for (const auto& c : g.coverage) {
    std::string s = c.value ? number(*c.value) + " %" : "";
    std::string period =
        c.period_start +
        (c.period_end.empty() || c.period_end == c.period_start ? "" : "–" + c.period_end);
    if (!period.empty()) s += " (" + period + ")";
    if (!c.level.empty()) s += " " + c.level;
    coverage.push_back(s);
  }
  std::vector<std::string> purposes;
  for (const auto& p : g.purposes) purposes.push_back(sv(p));
  return {{g.id},
          {r.uri},
          {g.name.sv},
          {g.name.en},
          {g.short_name},
          {g.description.sv},
          {g.description.en},
          {joinPipe(purposes)},
          {g.cpua.name},
          {g.cpua.unit},
          {g.registerhallare.name},
          {g.registerhallare.organisation},
          {g.registerhallare.email},
          {g.register_centre},
          {g.population.sv},
          {g.population.en},
          {joinPipe(units)},
          {g.start_year ? std::to_string(*g.start_year) : "", bool(g.start_year)},
          {joinPipe(coverage)},
          {g.disclosure.decided_by},
          {g.disclosure.url},
          {g.homepage},
          {r.urn}};
}

void csvLine(std::ostream& out, const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + csvCell(cells[i]);
  line += "\r\n";
  out << line;
}

// Excel decodes a literal "_xHHHH_" in a cell; its own escape for the underscore keeps it.
std::string cellText(const std::string& s) {
  std::string t = xmlEscape(neutraliseFormula(s), false);
  auto hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  for (size_t i = 0; i + 6 < t.size(); ++i)
    if (t[i] == '_' && t[i + 1] == 'x' && hex(t[i + 2]) && hex(t[i + 3]) && hex(t[i + 4]) &&
        hex(t[i + 5]) && t[i + 6] == '_') {
      t.replace(i, 1, "_x005F_");
      i += 6;
    }
  return t;
}

void appendRow(std::string& sheet, size_t r, const std::vector<Cell>& cells) {
  // Appended piece by piece: the national catalogue has a million cells, and temporaries per
  // cell cost more than the deflate of the result.
  const std::string row = std::to_string(r);
  sheet.append("<row r=\"").append(row).append("\">");
  char col[8];
  for (size_t c = 0; c < cells.size(); ++c) {
    if (cells[c].text.empty()) continue;
    size_t len = 0;
    for (size_t n = c + 1; n > 0 && len < sizeof col; n = (n - 1) / 26)
      col[len++] = char('A' + (n - 1) % 26);
    sheet.append("<c r=\"");
    for (size_t i = len; i > 0; --i) sheet.push_back(col[i - 1]);
    sheet.append(row);
    if (cells[c].numeric)
      sheet.append("\"><v>").append(cells[c].text).append("</v></c>");
    else
      sheet.append("\" t=\"inlineStr\"><is><t xml:space=\"preserve\">")
          .append(cellText(cells[c].text))
          .append("</t></is></c>");
  }
  sheet.append("</row>");
}

std::string sheetXml(const std::vector<std::string>& header, const std::string& rows) {
  std::vector<Cell> cells;
  for (const auto& h : header) cells.push_back({h});
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" "
      "activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetData>";
  out.reserve(out.size() + rows.size() + 4096);
  appendRow(out, 1, cells);
  out.append(rows).append("</sheetData></worksheet>");
  return out;
}

}  // namespace

// --- JSON ---

void writeRutJsonStart(std::ostream& out, const std::vector<RutConceptSystem>& systems,
                       const RutOptions& opt) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  str(w, "format", "regcat-rut");
  w.Key("version");
  w.Int(1);
  str(w, "model", "GSIM 1.2");
  str(w, "exported_at", text::now());
  str(w, "base_uri", opt.ctx.base_uri);
  str(w, "ddi_agency", opt.agency);
  w.Key("concept_systems");
  w.StartArray();
  for (const auto& s : systems) {
    w.StartObject();
    str(w, "id", s.id);
    str(w, "uri", s.uri);
    str(w, "name", s.name);
    strings(w, "versions", s.versions);
    w.Key("concepts");
    w.StartArray();
    for (const auto& c : s.concepts) {
      w.StartObject();
      str(w, "id", c.id);
      str(w, "code", c.code);
      optStr(w, "label", c.label);
      optStr(w, "uri", c.uri);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("registers");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  // The document is written as it goes: everything up to the registers' array now, one
  // register per writeRutJsonRegister, and the closing brackets by writeRutJsonEnd.
  std::string s(buf.GetString(), buf.GetSize());
  s.resize(s.size() - 2);  // "]}"
  out << s;
}

void writeRutJsonRegister(std::ostream& out, const RutRegister& r, bool first) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  writeRegister(w, r);
  if (!first) out << ',';
  out.write(buf.GetString(), std::streamsize(buf.GetSize()));
}

void writeRutJsonEnd(std::ostream& out) {
  out << "]}\n";
}

// --- spreadsheets ---

const std::vector<std::string>& rutVariableColumns() {
  static const std::vector<std::string> cols = {"register",
                                                "register_name",
                                                "dataset",
                                                "dataset_name",
                                                "name",
                                                "variable_id",
                                                "uri",
                                                "label_sv",
                                                "label_en",
                                                "definition_sv",
                                                "definition_en",
                                                "question_sv",
                                                "question_en",
                                                "datatype",
                                                "unit",
                                                "min",
                                                "max",
                                                "format",
                                                "value_domain_kind",
                                                "value_domain",
                                                "codelist_name",
                                                "code_system",
                                                "codes",
                                                "missing_codes",
                                                "unit_type",
                                                "population",
                                                "conceptual_variable",
                                                "represented_variable",
                                                "concept_ids",
                                                "concept_labels",
                                                "concept_uris",
                                                "code_concepts",
                                                "identifier_class",
                                                "source",
                                                "mandatory",
                                                "valid_from",
                                                "valid_to",
                                                "version",
                                                "ddi_urn"};
  return cols;
}

const std::vector<std::string>& rutCodeColumns() {
  static const std::vector<std::string> cols = {"register",    "value_domain", "codelist_name",
                                                "code",        "label_sv",     "label_en",
                                                "is_missing",  "valid_from",   "valid_to",
                                                "code_system", "concept_ids",  "concept_labels"};
  return cols;
}

const std::vector<std::string>& rutRegisterColumns() {
  static const std::vector<std::string> cols = {"register",
                                                "uri",
                                                "name_sv",
                                                "name_en",
                                                "short_name",
                                                "description_sv",
                                                "description_en",
                                                "purposes",
                                                "cpua",
                                                "cpua_unit",
                                                "registerhallare",
                                                "registerhallare_organisation",
                                                "email",
                                                "register_centre",
                                                "population_sv",
                                                "population_en",
                                                "unit_types",
                                                "start_year",
                                                "coverage",
                                                "disclosure_decided_by",
                                                "disclosure_url",
                                                "homepage",
                                                "ddi_urn"};
  return cols;
}

void writeRutCsvHeader(std::ostream& out) {
  out << "\xEF\xBB\xBF";
  csvLine(out, rutVariableColumns());
}

void writeRutCsvRows(std::ostream& out, const RutRegister& r) {
  for (const auto& rows : variableRows(r, r.concepts)) {
    std::vector<std::string> cells;
    for (const auto& c : rows) cells.push_back(c.text);
    csvLine(out, cells);
  }
}

void addRutWorkbookRegister(RutWorkbook& wb, const RutRegister& r) {
  const auto& labels = r.concepts;
  appendRow(wb.registers, ++wb.register_rows + 1, registerRow(r));
  for (const auto& row : variableRows(r, labels))
    appendRow(wb.variables, ++wb.variable_rows + 1, row);
  for (const auto& row : codeRows(r, labels)) appendRow(wb.codes, ++wb.code_rows + 1, row);
}

std::string finishRutWorkbook(RutWorkbook& wb) {
  const std::string ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
  std::string types = head +
                      "<Types "
                      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                      "<Default Extension=\"rels\" "
                      "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                      "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" +
                      ct + "sheet.main+xml\"/>";
  std::string sheets, rels;
  const char* names[] = {"Register", "Variabler", "Koder"};
  for (int i = 1; i <= 3; ++i) {
    const std::string n = std::to_string(i);
    types += "<Override PartName=\"/xl/worksheets/sheet" + n + ".xml\" ContentType=\"" + ct +
             "worksheet+xml\"/>";
    sheets += "<sheet name=\"" + std::string(names[i - 1]) + "\" sheetId=\"" + n + "\" r:id=\"rId" +
              n + "\"/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + rel +
            "/worksheet\" Target=\"worksheets/sheet" + n + ".xml\"/>";
  }
  types += "</Types>";
  std::vector<std::pair<std::string, std::string>> entries = {
      {"[Content_Types].xml", types},
      {"_rels/.rels", head +
                          "<Relationships "
                          "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                          "<Relationship Id=\"rId1\" Type=\"" +
                          rel + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml", head +
                              "<workbook "
                              "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                              "xmlns:r=\"" +
                              rel + "\"><sheets>" + sheets + "</sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       head +
           "<Relationships "
           "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
           rels + "</Relationships>"},
      {"xl/worksheets/sheet1.xml", sheetXml(rutRegisterColumns(), wb.registers)},
      {"xl/worksheets/sheet2.xml", sheetXml(rutVariableColumns(), wb.variables)},
      {"xl/worksheets/sheet3.xml", sheetXml(rutCodeColumns(), wb.codes)},
  };
  wb = RutWorkbook{};
  return writeZip(entries);
}

}  // namespace regcat
