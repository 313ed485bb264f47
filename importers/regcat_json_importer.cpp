#include "importers/regcat_json_importer.h"

#include "catalog/errors.h"
#include "catalog/text.h"
#include "importers/json_document.h"

namespace regcat {
namespace {

using json::ObjectReader;

std::string index(const std::string& path, const char* field, rapidjson::SizeType i) {
  return (path.empty() ? std::string(field) : path + "." + field) + "[" + std::to_string(i) + "]";
}

Variable variableIn(const rapidjson::Value& v, const std::string& path, bool standalone,
                    bool identified = false) {
  ObjectReader o(v, path);
  Variable var;
  var.origin = path;
  if (standalone) {
    var.register_id = o.str("register");
    var.dataset_id = o.str("dataset");
  } else {
    o.ignore({"register", "dataset"});
  }
  var.name = o.str("name", !identified);
  var.aliases = o.strings("aliases");
  var.label = o.text("label", true);
  var.definition = o.text("definition");
  var.question = o.text("question");
  var.datatype = o.str("datatype", true);
  var.unit = o.str("unit");
  var.min = o.number("min");
  var.max = o.number("max");
  var.format = o.str("format");
  var.codelist = o.str("codelist");
  if (const auto* m = o.array("missing_codes"))
    for (rapidjson::SizeType i = 0; i < m->Size(); ++i) {
      ObjectReader mc((*m)[i], index(path, "missing_codes", i));
      var.missing_codes.push_back({mc.str("code", true), mc.text("label")});
      mc.finish();
    }
  var.mandatory = o.boolean("mandatory").value_or(false);
  var.source = o.str("source");
  var.identifier_class = o.str("identifier_class");
  if (var.identifier_class.empty()) var.identifier_class = "none";
  var.category = o.str("category");
  var.calculation = o.str("calculation");
  var.valid_from = o.str("valid_from");
  var.valid_to = o.str("valid_to");
  // Store-managed values that appear in exported documents.
  o.ignore({"id", "uri", "version", "recorded_at", "provenance", "codes", "register_name",
            "dataset_name"});
  o.finish();
  return var;
}

}  // namespace

Register registerFromJson(const rapidjson::Value& v, const std::string& path, bool identified) {
  ObjectReader o(v, path);
  Register r;
  r.origin = path;
  r.id = o.str("id", !identified);
  r.name = o.text("name", true);
  r.short_name = o.str("short_name");
  r.description = o.text("description");
  if (const auto* p = o.array("purposes"))
    for (rapidjson::SizeType i = 0; i < p->Size(); ++i) {
      const auto& e = (*p)[i];
      const std::string w = index(path, "purposes", i);
      Text t;
      if (e.IsString()) {
        t.sv = text::nfc(std::string_view(e.GetString(), e.GetStringLength()), w);
      } else {
        ObjectReader pr(e, w);
        t.sv = pr.str("sv");
        t.en = pr.str("en");
        pr.ignore({"id", "uri", "n"});
        pr.finish();
      }
      if (t.empty()) throw invalid(w, "purpose text is empty");
      r.purposes.push_back(t);
    }
  if (const auto* c = o.object("cpua")) {
    ObjectReader co(*c, o.at("cpua"));
    r.cpua.name = co.str("name", true);
    r.cpua.unit = co.str("unit");
    co.finish();
  } else {
    throw invalid(o.at("cpua"), "is required: every register has exactly one CPUA");
  }
  if (const auto* c = o.object("registerhallare")) {
    ObjectReader co(*c, o.at("registerhallare"));
    r.registerhallare = {co.str("name"), co.str("organisation"), co.str("email"), co.str("phone")};
    co.finish();
  }
  r.register_centre = o.str("register_centre");
  r.platform = o.str("platform");
  r.register_type = o.str("register_type");
  r.certification_level = o.str("certification_level");
  r.start_year = o.integer("start_year");
  if (const auto* c = o.array("coverage"))
    for (rapidjson::SizeType i = 0; i < c->Size(); ++i) {
      ObjectReader co((*c)[i], index(path, "coverage", i));
      Coverage cv;
      cv.value = co.number("value");
      cv.method = co.str("method");
      cv.denominator_source = co.str("denominator_source");
      cv.period_start = co.str("period_start");
      cv.period_end = co.str("period_end");
      cv.level = co.str("level");
      co.finish();
      r.coverage.push_back(cv);
    }
  r.population = o.text("population");
  r.unit_types = o.strings("unit_types");
  r.holds_personnummer = o.boolean("holds_personnummer");
  r.research_information = o.boolean("research_information");
  if (const auto* d = o.object("disclosure")) {
    ObjectReader dr(*d, o.at("disclosure"));
    r.disclosure = {dr.str("decided_by"), dr.str("contact"), dr.str("lead_time"), dr.str("url"),
                    dr.str("notes")};
    dr.finish();
  }
  r.homepage = o.str("homepage");
  r.keywords = o.strings("keywords");
  r.number_of_records = o.count("number_of_records");
  r.number_of_individuals = o.count("number_of_individuals");
  o.ignore({"uri", "provenance", "created_at", "updated_at", "datasets", "codelists",
            "dataset_count", "variable_count"});
  o.finish();
  return r;
}

Dataset datasetFromJson(const rapidjson::Value& v, const std::string& path, bool identified) {
  ObjectReader o(v, path);
  Dataset d;
  d.origin = path;
  d.register_id = o.str("register");
  d.id = o.str("id", !identified);
  d.name = o.text("name", true);
  d.description = o.text("description");
  d.unit_type = o.str("unit_type");
  if (const auto* t = o.object("temporal_coverage")) {
    ObjectReader tr(*t, o.at("temporal_coverage"));
    d.coverage_start = tr.str("start");
    d.coverage_end = tr.str("end");
    tr.finish();
  }
  o.ignore({"uri", "provenance", "variables", "position", "variable_count"});
  o.finish();
  return d;
}

Variable variableFromJson(const rapidjson::Value& v, const std::string& path, bool identified) {
  return variableIn(v, path, true, identified);
}

CodeList codeListFromJson(const rapidjson::Value& v, const std::string& path, bool identified) {
  ObjectReader o(v, path);
  CodeList c;
  c.origin = path;
  c.id = o.str("id", !identified);
  c.register_id = o.str("register");
  c.name = o.text("name", true);
  c.description = o.text("description");
  if (const auto* s = o.object("system")) {
    ObjectReader sr(*s, o.at("system"));
    c.system = {sr.str("uri"), sr.str("oid"), sr.str("version")};
    sr.finish();
  }
  c.valid_from = o.str("valid_from");
  c.valid_to = o.str("valid_to");
  const auto* items = o.array("items");
  if (!items) throw invalid(o.at("items"), "is required");
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    ObjectReader ir((*items)[i], index(path, "items", i));
    CodeItem item;
    item.code = ir.str("code", true);
    item.label = ir.text("label");
    item.is_missing = ir.boolean("is_missing").value_or(false);
    item.valid_from = ir.str("valid_from");
    item.valid_to = ir.str("valid_to");
    ir.finish();
    c.items.push_back(item);
  }
  o.ignore({"uri", "version", "recorded_at", "provenance"});
  o.finish();
  return c;
}

CatalogDocument importCatalogJson(std::string_view bytes, const std::string& source) {
  rapidjson::Document doc;
  json::parse(doc, bytes, source);
  ObjectReader top(doc, "");
  const std::string format = top.str("format");
  if (format != "regcat-catalog")
    throw invalid(source + ": format", "expected \"regcat-catalog\", found \"" + format + "\"");
  const auto version = top.integer("version");
  if (version.value_or(0) != 1)
    throw invalid(source + ": version", "unsupported catalogue format version (expected 1)");
  top.ignore({"exported_at", "generator", "base_uri"});
  CatalogDocument out;
  const auto* regs = top.array("registers");
  if (!regs) throw invalid(source + ": registers", "is required");
  for (rapidjson::SizeType i = 0; i < regs->Size(); ++i) {
    const auto& rv = (*regs)[i];
    const std::string rpath = source + ": registers[" + std::to_string(i) + "]";
    RegisterDocument rd;
    rd.reg = registerFromJson(rv, rpath);
    ObjectReader ro(rv, rpath);
    if (const auto* cls = ro.array("codelists"))
      for (rapidjson::SizeType j = 0; j < cls->Size(); ++j) {
        CodeList c = codeListFromJson((*cls)[j], index(rpath, "codelists", j));
        if (c.register_id.empty()) c.register_id = rd.reg.id;
        rd.codelists.push_back(std::move(c));
      }
    if (const auto* dss = ro.array("datasets"))
      for (rapidjson::SizeType j = 0; j < dss->Size(); ++j) {
        const std::string dpath = index(rpath, "datasets", j);
        Dataset d = datasetFromJson((*dss)[j], dpath);
        d.register_id = rd.reg.id;
        ObjectReader dr((*dss)[j], dpath);
        if (const auto* vars = dr.array("variables"))
          for (rapidjson::SizeType k = 0; k < vars->Size(); ++k) {
            Variable v = variableIn((*vars)[k], index(dpath, "variables", k), false);
            v.register_id = rd.reg.id;
            v.dataset_id = d.id;
            rd.variables.push_back(std::move(v));
          }
        rd.datasets.push_back(std::move(d));
      }
    out.registers.push_back(std::move(rd));
  }
  top.finish();
  return out;
}

}  // namespace regcat
