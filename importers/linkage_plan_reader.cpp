#include "importers/linkage_plan_reader.h"

#include "catalog/errors.h"
#include "importers/json_document.h"
#include "mapping/mapping.h"

namespace regcat {

LinkagePlan readLinkagePlan(const rapidjson::Value& doc, const std::string& path) {
  json::ObjectReader r(doc, path);
  LinkagePlan p;
  p.title = r.str("title", true);
  p.kind = r.str("kind", true);
  p.purpose_category = r.str("purpose_category", true);
  p.purpose = r.str("purpose");
  p.necessity = r.str("necessity");
  p.compatibility_statement = r.str("compatibility_statement");
  p.responsible_cpua = r.str("responsible_cpua");
  if (const auto* regs = r.array("registers")) {
    for (rapidjson::SizeType i = 0; i < regs->Size(); ++i) {
      const auto& v = (*regs)[i];
      const std::string at = r.at("registers[" + std::to_string(i) + "]");
      PlanParticipant part;
      if (v.IsString()) {
        part.register_id = v.GetString();
      } else {
        json::ObjectReader o(v, at);
        part.register_id = o.str("register", true);
        part.role = o.str("role");
        part.purpose_reference = o.str("purpose_reference");
        part.check_outcome = o.str("check_outcome");
        part.decision_reference = o.str("decision_reference");
        part.secrecy_assessment = o.str("secrecy_assessment");
        part.lawfulness_review = o.str("lawfulness_review");
        o.finish();
      }
      p.participants.push_back(std::move(part));
    }
  }
  if (const auto* vars = r.array("variables")) {
    for (rapidjson::SizeType i = 0; i < vars->Size(); ++i) {
      json::ObjectReader o((*vars)[i], r.at("variables[" + std::to_string(i) + "]"));
      PlanVariable pv;
      if (o.has("variable")) {
        const std::string key = o.str("variable");
        auto subj = MappingSubject::parse(key);
        if (!subj || subj->isCode())
          throw invalid(o.at("variable"), "'" + key + "' is not register/dataset/name");
        pv.register_id = subj->register_id;
        pv.dataset_id = subj->dataset_id;
        pv.name = subj->variable;
      } else {
        pv.register_id = o.str("register", true);
        pv.dataset_id = o.str("dataset", true);
        pv.name = o.str("name", true);
      }
      pv.role = o.str("role");
      pv.justification = o.str("justification");
      o.finish();
      p.variables.push_back(std::move(pv));
    }
  }
  p.output_form = r.str("output_form");
  p.retention = r.str("retention");
  p.export_file_deletion = r.str("export_file_deletion");
  p.identifiers_removed_after_linkage =
      r.boolean("identifiers_removed_after_linkage").value_or(false);
  p.information_plan = r.str("information_plan");
  p.agreement_reference = r.str("agreement_reference");
  p.dpia_reference = r.str("dpia_reference");
  p.period_start = r.str("period_start");
  p.period_end = r.str("period_end");
  // A GET answer may be sent back: its store-managed fields are ignored.
  r.ignore({"id", "revision", "status", "status_note", "created_by", "created_at", "updated_at",
            "review"});
  r.finish();
  return p;
}

LinkagePlan readLinkagePlanJson(std::string_view bytes, const std::string& source) {
  rapidjson::Document doc;
  json::parse(doc, bytes, source);
  return readLinkagePlan(doc, "");
}

}  // namespace regcat
