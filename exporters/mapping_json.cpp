#include "exporters/mapping_json.h"

namespace regcat {
namespace {

void writeOptional(JsonWriter& w, const char* key, const std::string& v) {
  w.Key(key);
  if (v.empty())
    w.Null();
  else
    writeString(w, v);
}

}  // namespace

void writeMapping(JsonWriter& w, const Mapping& m, const ExportContext& ctx) {
  w.StartObject();
  w.Key("id");
  w.Int64(m.id);
  w.Key("subject");
  writeString(w, m.subject.key());
  w.Key("subject_uri");
  writeString(w, ctx.variableUri(m.subject.key()));
  w.Key("register");
  writeString(w, m.subject.register_id);
  w.Key("dataset");
  writeString(w, m.subject.dataset_id);
  w.Key("variable");
  writeString(w, m.subject.variable);
  writeOptional(w, "code", m.subject.code);
  w.Key("subject_label");
  writeString(w, m.subject_label);
  w.Key("system");
  writeString(w, m.system);
  w.Key("concept_id");
  writeString(w, m.concept_id);
  w.Key("concept_label");
  writeString(w, m.concept_label);
  w.Key("no_match");
  w.Bool(m.isNoMatch());
  w.Key("predicate");
  writeString(w, m.predicate);
  w.Key("status");
  writeString(w, m.status);
  w.Key("justification");
  writeString(w, m.justification);
  w.Key("confidence");
  if (m.confidence)
    w.Double(*m.confidence);
  else
    w.Null();
  writeOptional(w, "author", m.author);
  writeOptional(w, "reviewer", m.reviewer);
  w.Key("comment");
  writeString(w, m.comment);
  w.Key("review_comment");
  writeString(w, m.review_comment);
  w.Key("release");
  writeString(w, m.release);
  w.Key("created_at");
  writeString(w, m.created_at);
  w.Key("updated_at");
  writeString(w, m.updated_at);
  writeOptional(w, "reviewed_at", m.reviewed_at);
  w.Key("revision");
  w.Int(m.revision);
  w.Key("flag");
  if (m.flag.empty()) {
    w.Null();
  } else {
    w.StartObject();
    w.Key("kind");
    writeString(w, m.flag);
    w.Key("detail");
    writeString(w, m.flag_detail);
    writeOptional(w, "replacement_id", m.replacement_id);
    writeOptional(w, "replacement_label", m.replacement_label);
    w.EndObject();
  }
  w.EndObject();
}

void writeMappingChange(JsonWriter& w, const MappingChange& c, const ExportContext& ctx) {
  w.StartObject();
  w.Key("revision");
  w.Int(c.revision);
  w.Key("action");
  writeString(w, c.action);
  w.Key("actor");
  writeString(w, c.actor);
  w.Key("at");
  writeString(w, c.at);
  w.Key("state");
  writeMapping(w, c.state, ctx);
  w.EndObject();
}

void writeSuggestion(JsonWriter& w, const Suggestion& s) {
  w.StartObject();
  w.Key("concept_id");
  writeString(w, s.concept_id);
  w.Key("term");
  writeString(w, s.term);
  w.Key("lang");
  writeString(w, s.lang);
  w.Key("semantic_tag");
  writeString(w, s.semantic_tag);
  w.Key("score");
  w.Double(s.score);
  w.Key("reasons");
  w.StartArray();
  for (const auto& r : s.reasons) writeString(w, r);
  w.EndArray();
  w.EndObject();
}

}  // namespace regcat
