#include "exporters/compatibility_json.h"

namespace regcat {
namespace {

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

void strings(JsonWriter& w, const char* k, const std::vector<std::string>& v) {
  w.Key(k);
  w.StartArray();
  for (const auto& s : v) writeString(w, s);
  w.EndArray();
}

void writeReason(JsonWriter& w, const CompatReason& r) {
  w.StartObject();
  str(w, "code", r.code);
  optStr(w, "grade", r.grade);
  str(w, "sv", r.sv);
  str(w, "en", r.en);
  w.Key("details");
  w.StartObject();
  for (const auto& [k, v] : r.details) {
    w.Key(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
    writeString(w, v);
  }
  w.EndObject();
  w.EndObject();
}

void writeTransform(JsonWriter& w, const Transform& t) {
  w.StartObject();
  str(w, "kind", t.kind);
  optStr(w, "from", t.from);
  optStr(w, "datatype", t.datatype);
  w.Key("unit");
  if (t.kind == "unit-factor") {
    w.StartObject();
    w.Key("factor");
    w.Double(t.factor);
    w.Key("offset");
    w.Double(t.offset);
    str(w, "from", t.from_unit);
    str(w, "to", t.to_unit);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("table");
  w.StartArray();
  for (const auto& e : t.table) {
    w.StartObject();
    str(w, "from", e.from);
    str(w, "to", e.to);
    w.Key("missing");
    w.Bool(e.missing);
    w.EndObject();
  }
  w.EndArray();
  strings(w, "unmapped_from", t.unmapped_from);
  strings(w, "unmapped_to", t.unmapped_to);
  str(w, "sv", t.sv);
  str(w, "en", t.en);
  w.EndObject();
}

void writeConcepts(JsonWriter& w, const ConceptLink& c) {
  w.StartObject();
  str(w, "relation", c.relation);
  w.Key("approximate");
  w.Bool(c.approximate);
  optStr(w, "system", c.system);
  auto side = [&](const char* k, const std::string& id, const std::string& label,
                  const std::string& predicate) {
    w.Key(k);
    if (id.empty()) {
      w.Null();
      return;
    }
    w.StartObject();
    str(w, "concept", id);
    optStr(w, "label", label);
    str(w, "predicate", predicate);
    w.EndObject();
  };
  side("a", c.concept_a, c.label_a, c.predicate_a);
  side("b", c.concept_b, c.label_b, c.predicate_b);
  w.EndObject();
}

void writeUnits(JsonWriter& w, const UnitLink& u) {
  w.StartObject();
  str(w, "relation", u.relation);
  optStr(w, "a", u.unit_a);
  optStr(w, "b", u.unit_b);
  optStr(w, "canonical_a", u.canonical_a);
  optStr(w, "canonical_b", u.canonical_b);
  w.Key("factor");
  if (u.relation == "convertible")
    w.Double(u.factor);
  else
    w.Null();
  w.Key("offset");
  if (u.relation == "convertible")
    w.Double(u.offset);
  else
    w.Null();
  optStr(w, "note", u.note);
  w.EndObject();
}

void writeCrosswalk(JsonWriter& w, const std::optional<Crosswalk>& c) {
  if (!c) {
    w.Null();
    return;
  }
  w.StartObject();
  str(w, "shape", c->shape);
  optStr(w, "direction", c->direction);
  w.Key("pairs");
  w.StartArray();
  for (const auto& p : c->pairs) {
    w.StartObject();
    str(w, "a", p.code_a);
    str(w, "b", p.code_b);
    str(w, "relation", p.relation);
    str(w, "basis", p.basis);
    w.Key("missing");
    w.Bool(p.missing);
    w.EndObject();
  }
  w.EndArray();
  strings(w, "unmapped_a", c->unmapped_a);
  strings(w, "unmapped_b", c->unmapped_b);
  strings(w, "missing_a", c->missing_a);
  strings(w, "missing_b", c->missing_b);
  w.EndObject();
}

}  // namespace

void writeCompatibilityFields(JsonWriter& w, const Compatibility& c) {
  str(w, "grade", c.grade);
  w.Key("reasons");
  w.StartArray();
  for (const auto& r : c.reasons) writeReason(w, r);
  w.EndArray();
  w.Key("transform");
  writeTransform(w, c.transform);
  w.Key("concept");
  writeConcepts(w, c.concepts);
  w.Key("unit");
  writeUnits(w, c.units);
  w.Key("crosswalk");
  writeCrosswalk(w, c.crosswalk);
  w.Key("validity");
  w.StartObject();
  w.Key("overlap");
  w.Bool(c.validity.overlap);
  optStr(w, "from", c.validity.from);
  optStr(w, "to", c.validity.to);
  w.EndObject();
}

void writeCompatibility(JsonWriter& w, const Compatibility& c) {
  w.StartObject();
  writeCompatibilityFields(w, c);
  w.EndObject();
}

}  // namespace regcat
