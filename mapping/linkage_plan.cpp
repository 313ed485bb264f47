#include "mapping/linkage_plan.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <iterator>

#include "catalog/errors.h"

namespace regcat {
namespace {

template <size_t N>
bool oneOf(const char* const (&list)[N], const std::string& s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(Writer& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.data(), rapidjson::SizeType(v.size()));
}

std::string get(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}

}  // namespace

bool isValidPlanKind(const std::string& s) {
  return oneOf(kPlanKinds, s);
}
bool isValidPurposeCategory(const std::string& s) {
  return oneOf(kPurposeCategories, s);
}
bool isValidPlanStatus(const std::string& s) {
  return oneOf(kPlanStatuses, s);
}

std::string planToJson(const LinkagePlan& p) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  put(w, "title", p.title);
  put(w, "kind", p.kind);
  put(w, "purpose_category", p.purpose_category);
  put(w, "purpose", p.purpose);
  put(w, "necessity", p.necessity);
  put(w, "compatibility_statement", p.compatibility_statement);
  put(w, "responsible_cpua", p.responsible_cpua);
  w.Key("participants");
  w.StartArray();
  for (const auto& r : p.participants) {
    w.StartObject();
    put(w, "register", r.register_id);
    put(w, "role", r.role);
    put(w, "purpose_reference", r.purpose_reference);
    put(w, "check_outcome", r.check_outcome);
    put(w, "decision_reference", r.decision_reference);
    put(w, "secrecy_assessment", r.secrecy_assessment);
    put(w, "lawfulness_review", r.lawfulness_review);
    w.EndObject();
  }
  w.EndArray();
  w.Key("variables");
  w.StartArray();
  for (const auto& v : p.variables) {
    w.StartObject();
    put(w, "register", v.register_id);
    put(w, "dataset", v.dataset_id);
    put(w, "name", v.name);
    put(w, "role", v.role);
    put(w, "justification", v.justification);
    w.EndObject();
  }
  w.EndArray();
  put(w, "output_form", p.output_form);
  put(w, "retention", p.retention);
  put(w, "export_file_deletion", p.export_file_deletion);
  w.Key("identifiers_removed_after_linkage");
  w.Bool(p.identifiers_removed_after_linkage);
  put(w, "information_plan", p.information_plan);
  put(w, "agreement_reference", p.agreement_reference);
  put(w, "dpia_reference", p.dpia_reference);
  put(w, "period_start", p.period_start);
  put(w, "period_end", p.period_end);
  put(w, "status", p.status);
  put(w, "status_note", p.status_note);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

LinkagePlan planFromJson(const std::string& json) {
  rapidjson::Document parsed;
  parsed.Parse(json.data(), json.size());
  if (parsed.HasParseError() || !parsed.IsObject())
    throw Error(Error::Kind::Internal, "linkage_plan", "stored plan is not a JSON object");
  // Read through a const reference: with non-const member iterators, `it != MemberEnd()` is
  // ambiguous in C++20 (rapidjson 1.1's operators; clang's -Wambiguous-reversed-operator).
  const rapidjson::Value& d = parsed;
  LinkagePlan p;
  p.title = get(d, "title");
  p.kind = get(d, "kind");
  p.purpose_category = get(d, "purpose_category");
  p.purpose = get(d, "purpose");
  p.necessity = get(d, "necessity");
  p.compatibility_statement = get(d, "compatibility_statement");
  p.responsible_cpua = get(d, "responsible_cpua");
  if (auto it = d.FindMember("participants"); it != d.MemberEnd() && it->value.IsArray())
    for (const auto& o : it->value.GetArray())
      p.participants.push_back({get(o, "register"), get(o, "role"), get(o, "purpose_reference"),
                                get(o, "check_outcome"), get(o, "decision_reference"),
                                get(o, "secrecy_assessment"), get(o, "lawfulness_review")});
  if (auto it = d.FindMember("variables"); it != d.MemberEnd() && it->value.IsArray())
    for (const auto& o : it->value.GetArray())
      p.variables.push_back({get(o, "register"), get(o, "dataset"), get(o, "name"), get(o, "role"),
                             get(o, "justification")});
  p.output_form = get(d, "output_form");
  p.retention = get(d, "retention");
  p.export_file_deletion = get(d, "export_file_deletion");
  if (auto it = d.FindMember("identifiers_removed_after_linkage");
      it != d.MemberEnd() && it->value.IsBool())
    p.identifiers_removed_after_linkage = it->value.GetBool();
  p.information_plan = get(d, "information_plan");
  p.agreement_reference = get(d, "agreement_reference");
  p.dpia_reference = get(d, "dpia_reference");
  p.period_start = get(d, "period_start");
  p.period_end = get(d, "period_end");
  p.status = get(d, "status");
  p.status_note = get(d, "status_note");
  return p;
}

}  // namespace regcat
