#include "exporters/regcat_json_exporter.h"

#include "catalog/store.h"
#include "catalog/text.h"

namespace regcat {
namespace {

void key(JsonWriter& w, const char* k) {
  w.Key(k);
}

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

void textField(JsonWriter& w, const char* k, const Text& t) {
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

}  // namespace

void writeString(JsonWriter& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void writeText(JsonWriter& w, const Text& t) {
  w.StartObject();
  str(w, "sv", t.sv);
  str(w, "en", t.en);
  w.EndObject();
}

void writeProvenance(JsonWriter& w, const Provenance& p) {
  w.StartObject();
  str(w, "source_file", p.source_file);
  str(w, "format", p.format);
  str(w, "sha256", p.sha256);
  str(w, "recorded_at", p.recorded_at);
  str(w, "recorded_by", p.recorded_by);
  w.EndObject();
}

void writeRegisterFields(JsonWriter& w, const Register& r, const ExportContext& ctx) {
  str(w, "id", r.id);
  str(w, "uri", ctx.registerUri(r.id));
  textField(w, "name", r.name);
  str(w, "short_name", r.short_name);
  textField(w, "description", r.description);
  key(w, "purposes");
  w.StartArray();
  for (size_t i = 0; i < r.purposes.size(); ++i) {
    w.StartObject();
    str(w, "id", r.id + "#purpose-" + std::to_string(i + 1));
    str(w, "sv", r.purposes[i].sv);
    str(w, "en", r.purposes[i].en);
    w.EndObject();
  }
  w.EndArray();
  key(w, "cpua");
  w.StartObject();
  str(w, "name", r.cpua.name);
  str(w, "unit", r.cpua.unit);
  w.EndObject();
  key(w, "registerhallare");
  w.StartObject();
  str(w, "name", r.registerhallare.name);
  str(w, "organisation", r.registerhallare.organisation);
  str(w, "email", r.registerhallare.email);
  str(w, "phone", r.registerhallare.phone);
  w.EndObject();
  str(w, "register_centre", r.register_centre);
  str(w, "platform", r.platform);
  str(w, "register_type", r.register_type);
  str(w, "certification_level", r.certification_level);
  key(w, "start_year");
  if (r.start_year)
    w.Int(*r.start_year);
  else
    w.Null();
  key(w, "coverage");
  w.StartArray();
  for (const auto& c : r.coverage) {
    w.StartObject();
    optNumber(w, "value", c.value);
    str(w, "method", c.method);
    str(w, "denominator_source", c.denominator_source);
    str(w, "period_start", c.period_start);
    str(w, "period_end", c.period_end);
    str(w, "level", c.level);
    w.EndObject();
  }
  w.EndArray();
  textField(w, "population", r.population);
  strings(w, "unit_types", r.unit_types);
  optBool(w, "holds_personnummer", r.holds_personnummer);
  optBool(w, "research_information", r.research_information);
  key(w, "disclosure");
  w.StartObject();
  str(w, "decided_by", r.disclosure.decided_by);
  str(w, "contact", r.disclosure.contact);
  str(w, "lead_time", r.disclosure.lead_time);
  str(w, "url", r.disclosure.url);
  str(w, "notes", r.disclosure.notes);
  w.EndObject();
  str(w, "homepage", r.homepage);
  strings(w, "keywords", r.keywords);
  for (const auto& [name, n] : {std::pair{"number_of_records", r.number_of_records},
                                std::pair{"number_of_individuals", r.number_of_individuals}}) {
    key(w, name);
    if (n)
      w.Int64(*n);
    else
      w.Null();
  }
  key(w, "provenance");
  writeProvenance(w, r.provenance);
  str(w, "created_at", r.created_at);
  str(w, "updated_at", r.updated_at);
}

void writeDatasetFields(JsonWriter& w, const Dataset& d, const ExportContext& ctx) {
  str(w, "id", d.id);
  str(w, "register", d.register_id);
  str(w, "uri", ctx.registerUri(d.register_id) + "/datasets/" + d.id);
  textField(w, "name", d.name);
  textField(w, "description", d.description);
  str(w, "unit_type", d.unit_type);
  key(w, "temporal_coverage");
  w.StartObject();
  optStr(w, "start", d.coverage_start);
  optStr(w, "end", d.coverage_end);
  w.EndObject();
}

void writeVariableFields(JsonWriter& w, const Variable& v, const ExportContext& ctx,
                         const CodeList* codes) {
  str(w, "id", v.key());
  str(w, "uri", ctx.variableUri(v.key()));
  str(w, "register", v.register_id);
  str(w, "dataset", v.dataset_id);
  str(w, "name", v.name);
  strings(w, "aliases", v.aliases);
  textField(w, "label", v.label);
  textField(w, "definition", v.definition);
  textField(w, "question", v.question);
  str(w, "datatype", v.datatype);
  str(w, "unit", v.unit);
  optNumber(w, "min", v.min);
  optNumber(w, "max", v.max);
  str(w, "format", v.format);
  optStr(w, "codelist", v.codelist);
  key(w, "missing_codes");
  w.StartArray();
  for (const auto& m : v.missing_codes) {
    w.StartObject();
    str(w, "code", m.code);
    textField(w, "label", m.label);
    w.EndObject();
  }
  w.EndArray();
  key(w, "mandatory");
  w.Bool(v.mandatory);
  str(w, "source", v.source);
  str(w, "identifier_class", v.identifier_class);
  str(w, "category", v.category);
  str(w, "calculation", v.calculation);
  optStr(w, "valid_from", v.valid_from);
  optStr(w, "valid_to", v.valid_to);
  key(w, "version");
  w.Int(v.version);
  str(w, "recorded_at", v.recorded_at);
  key(w, "provenance");
  writeProvenance(w, v.provenance);
  if (codes) {
    key(w, "codes");
    w.StartArray();
    for (const auto& i : codes->items) {
      w.StartObject();
      str(w, "id", v.key() + "#" + i.code);
      str(w, "code", i.code);
      textField(w, "label", i.label);
      key(w, "is_missing");
      w.Bool(i.is_missing);
      w.EndObject();
    }
    w.EndArray();
  }
}

void writeCodeListFields(JsonWriter& w, const CodeList& c) {
  str(w, "id", c.id);
  optStr(w, "register", c.register_id);
  textField(w, "name", c.name);
  textField(w, "description", c.description);
  key(w, "system");
  w.StartObject();
  str(w, "uri", c.system.uri);
  str(w, "oid", c.system.oid);
  str(w, "version", c.system.version);
  w.EndObject();
  optStr(w, "valid_from", c.valid_from);
  optStr(w, "valid_to", c.valid_to);
  key(w, "version");
  w.Int(c.version);
  str(w, "recorded_at", c.recorded_at);
  key(w, "items");
  w.StartArray();
  for (const auto& i : c.items) {
    w.StartObject();
    str(w, "code", i.code);
    textField(w, "label", i.label);
    key(w, "is_missing");
    w.Bool(i.is_missing);
    optStr(w, "valid_from", i.valid_from);
    optStr(w, "valid_to", i.valid_to);
    w.EndObject();
  }
  w.EndArray();
}

RegisterDocument loadRegisterDocument(Store& store, const std::string& registerId) {
  RegisterDocument doc;
  auto reg = store.getRegister(registerId);
  if (!reg) return doc;
  doc.reg = *reg;
  doc.datasets = store.listDatasets(registerId);
  doc.variables = store.listVariables(registerId, "", true);
  doc.codelists = store.listCodeLists(registerId);
  return doc;
}

void writeImportReport(JsonWriter& w, const ImportReport& r) {
  w.StartObject();
  key(w, "dry_run");
  w.Bool(r.dry_run);
  for (auto [k, list] : {std::pair{"registers_created", &r.registers_created},
                         {"registers_updated", &r.registers_updated},
                         {"datasets_created", &r.datasets_created},
                         {"warnings", &r.warnings}})
    strings(w, k, *list);
  key(w, "counts");
  w.StartObject();
  for (const char* c : {"added", "changed", "removed", "unchanged"}) {
    key(w, c);
    w.Int(r.count(c));
  }
  w.EndObject();
  key(w, "variables");
  w.StartArray();
  for (const auto& v : r.variables) {
    if (v.change == "unchanged") continue;
    w.StartObject();
    str(w, "id", v.key);
    str(w, "change", v.change);
    strings(w, "fields", v.fields);
    key(w, "old_version");
    w.Int(v.old_version);
    key(w, "new_version");
    w.Int(v.new_version);
    w.EndObject();
  }
  w.EndArray();
  key(w, "codelists");
  w.StartArray();
  for (const auto& c : r.codelists) {
    if (c.change == "unchanged") continue;
    w.StartObject();
    str(w, "id", c.id);
    str(w, "change", c.change);
    strings(w, "added_codes", c.added_codes);
    strings(w, "removed_codes", c.removed_codes);
    strings(w, "changed_codes", c.changed_codes);
    key(w, "old_version");
    w.Int(c.old_version);
    key(w, "new_version");
    w.Int(c.new_version);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void exportCatalogJson(Store& store, const std::vector<std::string>& registerIds,
                       const ExportContext& ctx, std::ostream& out) {
  std::vector<std::string> ids = registerIds;
  if (ids.empty())
    for (const auto& r : store.listRegisters()) ids.push_back(r.id);
  out << "{\"format\":\"regcat-catalog\",\"version\":1,\"exported_at\":\"" << text::now()
      << "\",\"registers\":[";
  for (size_t n = 0; n < ids.size(); ++n) {
    auto reg = store.getRegister(ids[n]);
    if (!reg) continue;
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    writeRegisterFields(w, *reg, ctx);
    key(w, "codelists");
    w.StartArray();
    for (const auto& c : store.listCodeLists(reg->id)) {
      w.StartObject();
      writeCodeListFields(w, c);
      w.EndObject();
    }
    w.EndArray();
    key(w, "datasets");
    w.StartArray();
    for (const auto& d : store.listDatasets(reg->id)) {
      w.StartObject();
      writeDatasetFields(w, d, ctx);
      key(w, "variables");
      w.StartArray();
      // Closed variables are part of the description too: they carry their valid_to.
      for (const auto& v : store.listVariables(reg->id, d.id, true)) {
        w.StartObject();
        writeVariableFields(w, v, ctx);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    if (n) out << ',';
    out.write(buf.GetString(), std::streamsize(buf.GetSize()));
  }
  out << "]}\n";
}

}  // namespace regcat
