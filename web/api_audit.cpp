// GET /api/audit?entity=&id=&user=&since=&limit=&before=: the audit trail, newest first. Public
// like the rest of the catalogue's history: it holds metadata, never patient data.
#include <rapidjson/document.h>

#include <algorithm>
#include <iterator>

#include "catalog/audit.h"
#include "catalog/text.h"
#include "web/api.h"
#include "web/api_util.h"

namespace regcat::web {
namespace {

// Stored JSON goes out as JSON, not as a string holding JSON.
void writeRaw(JsonWriter& w, const std::string& json) {
  if (json.empty()) {
    w.Null();
    return;
  }
  w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

}  // namespace

Response Api::audit(const Request& req) {
  if (req.method != "GET" && req.method != "HEAD") return methodNotAllowed("GET, HEAD");
  AuditQuery q;
  q.entity = req.param("entity").value_or("");
  static const char* kEntities[] = {"register", "dataset", "variable",
                                    "codelist", "mapping", "linkage_plan"};
  if (!q.entity.empty() &&
      std::find(std::begin(kEntities), std::end(kEntities), q.entity) == std::end(kEntities))
    throw invalid("entity", "'" + q.entity +
                                "' is not one of register, dataset, variable, codelist, mapping, "
                                "linkage_plan");
  q.entity_id = req.param("id").value_or("");
  q.actor = req.param("user").value_or("");
  q.since = req.param("since").value_or("");
  if (!q.since.empty() && !isValidDate(q.since) && !isValidDateTime(q.since))
    throw invalid("since", "'" + q.since + "' is not a date or timestamp");
  q.limit = intParam(req, "limit", 100, 1, 1000);
  q.before_id = intParam(req, "before", 0, 0, 2000000000);
  const auto entries = queryAudit(store_, q);
  return json(200, write([&](JsonWriter& w) {
                w.StartObject();
                w.Key("entries");
                w.StartArray();
                for (const auto& e : entries) {
                  w.StartObject();
                  w.Key("id");
                  w.Int64(e.id);
                  w.Key("at");
                  writeString(w, e.at);
                  w.Key("user");
                  writeString(w, e.actor);
                  w.Key("entity");
                  writeString(w, e.entity);
                  w.Key("entity_id");
                  writeString(w, e.entity_id);
                  w.Key("action");
                  writeString(w, e.action);
                  w.Key("before");
                  writeRaw(w, e.before);
                  w.Key("after");
                  writeRaw(w, e.after);
                  w.EndObject();
                }
                w.EndArray();
                w.Key("next_before");
                if (int(entries.size()) == q.limit && !entries.empty())
                  w.Int64(entries.back().id);
                else
                  w.Null();
                w.EndObject();
              }));
}

}  // namespace regcat::web
