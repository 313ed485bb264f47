#include "exporters/linkage_plan_exporter.h"

#include "catalog/store.h"
#include "exporters/compatibility_json.h"
#include "importers/template_exporter.h"
#include "mapping/mapping_store.h"

namespace regcat {
namespace {

void str(JsonWriter& w, const char* key, const std::string& v) {
  w.Key(key);
  writeString(w, v);
}

void bilingual(JsonWriter& w, const char* key, const Bilingual& b) {
  w.Key(key);
  w.StartObject();
  str(w, "sv", b.sv);
  str(w, "en", b.en);
  w.EndObject();
}

void strings(JsonWriter& w, const char* key, const std::vector<std::string>& v) {
  w.Key(key);
  w.StartArray();
  for (const auto& s : v) writeString(w, s);
  w.EndArray();
}

std::string html(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* kindLabel(const std::string& kind) {
  if (kind == "samkorning") return "Samkörning";
  if (kind == "utvidgning-variabler") return "Utvidgning med nya variabler";
  if (kind == "utvidgning-sammanslagning") return "Utvidgning genom sammanslagning";
  if (kind == "forskning") return "Forskningssamkörning";
  return "";
}

const char* gradeLabel(const std::string& g) {
  if (g == "identical") return "identisk";
  if (g == "compatible") return "kompatibel";
  if (g == "partial") return "delvis";
  if (g == "incompatible") return "ej jämförbar";
  return "okänd";
}

}  // namespace

void writePlanFields(JsonWriter& w, const LinkagePlan& p) {
  w.Key("id");
  w.Int64(p.id);
  w.Key("revision");
  w.Int(p.revision);
  str(w, "title", p.title);
  str(w, "kind", p.kind);
  str(w, "purpose_category", p.purpose_category);
  str(w, "purpose", p.purpose);
  str(w, "necessity", p.necessity);
  str(w, "compatibility_statement", p.compatibility_statement);
  str(w, "responsible_cpua", p.responsible_cpua);
  w.Key("registers");
  w.StartArray();
  for (const auto& r : p.participants) {
    w.StartObject();
    str(w, "register", r.register_id);
    str(w, "role", r.role);
    str(w, "purpose_reference", r.purpose_reference);
    str(w, "check_outcome", r.check_outcome);
    str(w, "decision_reference", r.decision_reference);
    str(w, "secrecy_assessment", r.secrecy_assessment);
    str(w, "lawfulness_review", r.lawfulness_review);
    w.EndObject();
  }
  w.EndArray();
  w.Key("variables");
  w.StartArray();
  for (const auto& v : p.variables) {
    w.StartObject();
    str(w, "register", v.register_id);
    str(w, "dataset", v.dataset_id);
    str(w, "name", v.name);
    str(w, "role", v.role);
    str(w, "justification", v.justification);
    w.EndObject();
  }
  w.EndArray();
  str(w, "output_form", p.output_form);
  str(w, "retention", p.retention);
  str(w, "export_file_deletion", p.export_file_deletion);
  w.Key("identifiers_removed_after_linkage");
  w.Bool(p.identifiers_removed_after_linkage);
  str(w, "information_plan", p.information_plan);
  str(w, "agreement_reference", p.agreement_reference);
  str(w, "dpia_reference", p.dpia_reference);
  str(w, "period_start", p.period_start);
  str(w, "period_end", p.period_end);
  str(w, "status", p.status);
  str(w, "status_note", p.status_note);
  str(w, "created_by", p.created_by);
  str(w, "created_at", p.created_at);
  str(w, "updated_at", p.updated_at);
}

void writePlanReview(JsonWriter& w, const PlanReview& r) {
  w.StartObject();
  strings(w, "cpuas", r.cpuas);
  w.Key("same_cpua");
  w.Bool(r.same_cpua);
  w.Key("secrecy_boundary");
  w.Bool(r.secrecy_boundary);
  bilingual(w, "secrecy_note", r.secrecy_note);
  w.Key("registers");
  w.StartArray();
  for (const auto& g : r.registers) {
    w.StartObject();
    str(w, "id", g.id);
    str(w, "name", g.name);
    str(w, "cpua", g.cpua);
    str(w, "role", g.role);
    w.Key("holds_personnummer");
    if (g.holds_personnummer)
      w.Bool(*g.holds_personnummer);
    else
      w.Null();
    str(w, "linkage_key", g.linkage_key);
    strings(w, "key_variables", g.key_variables);
    str(w, "coverage_from", g.coverage_from);
    str(w, "coverage_to", g.coverage_to);
    w.Key("purposes");
    w.Int(g.purposes);
    strings(w, "requested", g.requested);
    w.EndObject();
  }
  w.EndArray();
  w.Key("period");
  w.StartObject();
  w.Key("overlap");
  w.Bool(r.periods_overlap);
  str(w, "from", r.common_from);
  str(w, "to", r.common_to);
  w.EndObject();
  w.Key("concepts");
  w.StartArray();
  for (const auto& c : r.concepts) {
    w.StartObject();
    str(w, "system", c.system);
    str(w, "concept_id", c.concept_id);
    str(w, "label", c.label);
    w.Key("carriers");
    w.StartArray();
    for (const auto& v : c.carriers) {
      w.StartObject();
      str(w, "register", v.register_id);
      str(w, "variable", v.key);
      str(w, "label", v.label);
      str(w, "concept_id", v.concept_id);
      w.Key("requested");
      w.Bool(v.requested);
      w.EndObject();
    }
    w.EndArray();
    strings(w, "registers_without", c.registers_without);
    w.Key("pairs");
    w.StartArray();
    for (const auto& p : c.pairs) {
      w.StartObject();
      str(w, "a", p.a);
      str(w, "b", p.b);
      w.Key("compatibility");
      writeCompatibility(w, p.result);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  strings(w, "unbound_variables", r.unbound);
  w.Key("warnings");
  w.StartArray();
  for (const auto& x : r.warnings) {
    w.StartObject();
    str(w, "code", x.code);
    str(w, "subject", x.subject);
    str(w, "sv", x.text.sv);
    str(w, "en", x.text.en);
    w.EndObject();
  }
  w.EndArray();
  w.Key("checklist");
  w.StartArray();
  for (const auto& s : r.checklist) {
    w.StartObject();
    w.Key("step");
    w.Int(s.number);
    bilingual(w, "title", s.title);
    str(w, "state", s.state);
    w.Key("documented");
    w.StartArray();
    for (const auto& b : s.documented) {
      w.StartObject();
      str(w, "sv", b.sv);
      str(w, "en", b.en);
      w.EndObject();
    }
    w.EndArray();
    w.Key("missing");
    w.StartArray();
    for (const auto& b : s.missing) {
      w.StartObject();
      str(w, "sv", b.sv);
      str(w, "en", b.en);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  bilingual(w, "disclaimer", r.disclaimer);
  w.EndObject();
}

std::string planJson(const LinkagePlan& p, const PlanReview& r) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  writePlanFields(w, p);
  w.Key("review");
  writePlanReview(w, r);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string planVariablesCsv(Store& store, MappingStore& mappings, const LinkagePlan& p,
                             const std::string& registerId) {
  std::string out = "\xEF\xBB\xBF";
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csvCell(cells[i]);
    out += "\r\n";
  };
  line({"register", "dataset", "variable", "version", "label", "definition", "datatype", "unit",
        "codelist", "valid_from", "valid_to", "identifier_class", "role", "justification",
        "concept_system", "concept_id", "concept_label"});
  for (const auto& pv : p.variables) {
    if (!registerId.empty() && pv.register_id != registerId) continue;
    auto v = store.getVariable(pv.register_id, pv.dataset_id, pv.name);
    if (!v) continue;  // validated when the plan was stored; a deleted variable has no row
    std::string system, ids, labels;
    for (const auto& m : mappings.approvedFor(pv.key())) {
      if (m.subject.isCode() || m.isNoMatch()) continue;
      system = m.system;
      ids += (ids.empty() ? "" : " | ") + m.concept_id;
      labels += (labels.empty() ? "" : " | ") + m.concept_label;
    }
    line({pv.register_id, pv.dataset_id, pv.name, std::to_string(v->version), v->label.sv,
          v->definition.sv, v->datatype, v->unit, v->codelist, v->valid_from, v->valid_to,
          v->identifier_class, pv.role, pv.justification, system, ids, labels});
  }
  return out;
}

std::string planHtml(Store& store, const LinkagePlan& p, const PlanReview& r) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">";
  h += "<title>" + html(p.title) + " – samkörningsplan</title>";
  h += "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
       "line-height:1.45;color:#111}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;"
       "border-bottom:1px solid #ccc}table{border-collapse:collapse;width:100%;margin:.5rem 0}"
       "th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top;"
       "font-size:.9rem}.en{color:#555;font-style:italic}.warn{color:#8a4b00}"
       ".documented{color:#135e13}.missing{color:#a10000}.partial{color:#8a4b00}"
       ".note{border:1px solid #999;padding:.6rem;background:#f6f6f6}"
       "@media print{body{margin:0}}</style></head><body>\n";
  h += "<h1>" + html(p.title) + "</h1>\n";
  h += "<p>" + html(kindLabel(p.kind)) + " · ändamålskategori: " + html(p.purpose_category) +
       " · status: " + html(p.status) + " · plan " + std::to_string(p.id) + ", version " +
       std::to_string(p.revision) + " (" + html(p.updated_at) + ")</p>\n";
  h += "<p class=\"note\">" + html(r.disclaimer.sv) + "<br><span class=\"en\">" +
       html(r.disclaimer.en) + "</span></p>\n";
  h += "<h2>Ändamål <span class=\"en\">Purpose</span></h2>\n<p>" + html(p.purpose) + "</p>\n";
  if (!p.necessity.empty()) h += "<p><b>Nödvändighet:</b> " + html(p.necessity) + "</p>\n";
  if (!p.compatibility_statement.empty())
    h += "<p><b>Vad som förenar registren:</b> " + html(p.compatibility_statement) + "</p>\n";
  h += "<p><b>Ansvarig CPUA:</b> " + html(p.responsible_cpua) + "</p>\n";

  h += "<h2>Register och CPUA <span class=\"en\">Registers and controllers</span></h2>\n";
  h += "<p>" + html(r.secrecy_note.sv) + "<br><span class=\"en\">" + html(r.secrecy_note.en) +
       "</span></p>\n<table><tr><th>Register</th><th>CPUA</th><th>Roll</th>"
       "<th>Samkörningsnyckel</th><th>Period</th><th>Begärda variabler</th></tr>\n";
  for (const auto& g : r.registers)
    h += "<tr><td>" + html(g.name) + " (" + html(g.id) + ")</td><td>" + html(g.cpua) + "</td><td>" +
         html(g.role) + "</td><td>" +
         html(g.linkage_key.empty() ? "ej dokumenterad" : g.linkage_key) + "</td><td>" +
         html(g.coverage_from) + " – " + html(g.coverage_to) + "</td><td>" +
         std::to_string(g.requested.size()) + "</td></tr>\n";
  h += "</table>\n";
  h += r.periods_overlap ? "<p>Gemensam period: " + html(r.common_from) + " – " +
                               html(r.common_to.empty() ? "pågående" : r.common_to) + "</p>\n"
                         : "<p class=\"warn\">Perioderna överlappar inte.</p>\n";

  h += "<h2>Checklista: de åtta stegen <span class=\"en\">The eight steps</span></h2>\n<table>"
       "<tr><th>Steg</th><th>Status</th><th>Dokumenterat</th><th>Saknas</th></tr>\n";
  for (const auto& s : r.checklist) {
    const char* state = s.state == "documented"       ? "dokumenterat"
                        : s.state == "partial"        ? "delvis"
                        : s.state == "not-applicable" ? "ej tillämpligt"
                                                      : "saknas";
    h += "<tr><td>" + std::to_string(s.number) + ". " + html(s.title.sv) +
         "<br><span class=\"en\">" + html(s.title.en) + "</span></td><td class=\"" + html(s.state) +
         "\">" + state + "</td><td>";
    for (const auto& d : s.documented) h += html(d.sv) + "<br>";
    h += "</td><td>";
    for (const auto& d : s.missing) h += html(d.sv) + "<br>";
    h += "</td></tr>\n";
  }
  h += "</table>\n";

  if (!r.warnings.empty()) {
    h += "<h2>Varningar <span class=\"en\">Warnings</span></h2>\n<ul>\n";
    for (const auto& x : r.warnings)
      h += "<li class=\"warn\">" + html(x.text.sv) + " <span class=\"en\">" + html(x.text.en) +
           "</span></li>\n";
    h += "</ul>\n";
  }

  h += "<h2>Jämförbarhet <span class=\"en\">Compatibility</span></h2>\n";
  if (r.concepts.empty()) h += "<p>Inga begärda variabler har godkända begreppsmappningar.</p>\n";
  for (const auto& c : r.concepts) {
    h += "<h3>" + html(c.label) + " <small>(" + html(c.concept_id) + ")</small></h3>\n<ul>\n";
    for (const auto& v : c.carriers)
      h += "<li>" + html(v.register_id) + ": " + html(v.key) + " – " + html(v.label) +
           (v.requested ? " (begärd)" : "") + "</li>\n";
    h += "</ul>\n";
    for (const auto& pair : c.pairs) {
      h += "<p><b>" + html(pair.a) + "</b> och <b>" + html(pair.b) +
           "</b>: " + gradeLabel(pair.result.grade) + "</p>\n<ul>\n";
      for (const auto& why : pair.result.reasons) h += "<li>" + html(why.sv) + "</li>\n";
      if (pair.result.transform.kind != "none" && !pair.result.transform.sv.empty())
        h += "<li>Omkodning: " + html(pair.result.transform.sv) + "</li>\n";
      h += "</ul>\n";
    }
  }

  h += "<h2>Variabellista per register <span class=\"en\">Variables per register</span></h2>\n";
  for (const auto& part : p.participants) {
    h += "<h3>" + html(part.register_id) +
         "</h3>\n<table><tr><th>Variabel</th><th>Etikett</th>"
         "<th>Datatyp</th><th>Version</th><th>Roll</th><th>Motivering</th></tr>\n";
    for (const auto& pv : p.variables) {
      if (pv.register_id != part.register_id) continue;
      auto v = store.getVariable(pv.register_id, pv.dataset_id, pv.name);
      h += "<tr><td>" + html(pv.dataset_id + "/" + pv.name) + "</td><td>" +
           html(v ? v->label.sv : "") + "</td><td>" + html(v ? v->datatype : "") + "</td><td>" +
           (v ? std::to_string(v->version) : "") + "</td><td>" + html(pv.role) + "</td><td>" +
           html(pv.justification.empty() ? "– saknas –" : pv.justification) + "</td></tr>\n";
    }
    h += "</table>\n";
  }
  h += "<h2>Dataminimering och information</h2>\n<ul>";
  h += "<li>Resultatets form: " + html(p.output_form) + "</li>";
  h += "<li>Lagringstid: " + html(p.retention) + "</li>";
  h += "<li>Radering av exportfil: " + html(p.export_file_deletion) + "</li>";
  h += std::string("<li>Direkta identifierare tas bort efter samkörningen: ") +
       (p.identifiers_removed_after_linkage ? "ja" : "nej / ej angivet") + "</li>";
  h += "<li>Information till de registrerade: " + html(p.information_plan) + "</li>";
  h += "<li>Överenskommelse: " + html(p.agreement_reference) + "</li>";
  h += "</ul>\n</body></html>\n";
  return h;
}

}  // namespace regcat
