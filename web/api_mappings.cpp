// /api/mappings: the curation workflow (create, update, review, bulk actions, history, review
// queue, four-eyes setting).
#include <charconv>

#include "catalog/store.h"
#include "catalog/users.h"
#include "exporters/mapping_json.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"
#include "web/api.h"
#include "web/api_util.h"

namespace regcat::web {
namespace {

int64_t idSegment(const std::string& s) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0)
    throw notFound("id", "'" + s + "' is not a mapping id");
  return id;
}

// The register of a mapping's subject ("" when the mapping does not exist: the handler then
// answers 404 after authorisation).
std::string mappingRegister(MappingStore& store, int64_t id) {
  auto m = store.get(id);
  return m ? m->subject.register_id : std::string();
}

Response withEtag(Response r, const Mapping& m) {
  r.headers.push_back({"ETag", "\"" + std::to_string(m.revision) + "\""});
  return r;
}

MappingQuery queryFrom(const Request& req) {
  MappingQuery q;
  q.register_id = req.param("register").value_or("");
  q.dataset_id = req.param("dataset").value_or("");
  q.variable = req.param("variable").value_or("");
  q.status = req.param("status").value_or("");
  if (!q.status.empty() && !isValidMappingStatus(q.status))
    throw invalid("status",
                  "'" + q.status + "' is not one of suggested, proposed, approved, " + "rejected");
  q.system = req.param("system").value_or("");
  q.author = req.param("author").value_or("");
  q.reviewer = req.param("reviewer").value_or("");
  q.concept_id = req.param("concept").value_or("");
  q.flagged_only = flag(req, "flagged");
  const std::string level = req.param("level").value_or("");
  if (level == "variable")
    q.codes = false;
  else if (level == "code")
    q.variables = false;
  else if (!level.empty())
    throw invalid("level", "'" + level + "' is not variable or code");
  q.limit = intParam(req, "limit", 100, 0, 10000);
  q.offset = intParam(req, "offset", 0, 0, 1000000000);
  return q;
}

std::vector<int64_t> idList(const rapidjson::Value* a, const std::string& where) {
  std::vector<int64_t> ids;
  if (!a) return ids;
  for (rapidjson::SizeType i = 0; i < a->Size(); ++i) {
    if (!(*a)[i].IsInt64() || (*a)[i].GetInt64() <= 0)
      throw invalid(where + "[" + std::to_string(i) + "]", "is not a mapping id");
    ids.push_back((*a)[i].GetInt64());
  }
  return ids;
}

}  // namespace

Response Api::writeMappingPage(const MappingPage& page, int limit, int offset) const {
  return json(200, write([&](JsonWriter& w) {
                w.StartObject();
                w.Key("total");
                w.Int(page.total);
                w.Key("limit");
                w.Int(limit);
                w.Key("offset");
                w.Int(offset);
                w.Key("mappings");
                w.StartArray();
                for (const auto& m : page.items) writeMapping(w, m, ctx_);
                w.EndArray();
                w.EndObject();
              }));
}

Response Api::mappings(const Request& req) {
  const auto& s = req.segments;  // api mappings [...]
  const bool read = req.method == "GET" || req.method == "HEAD";
  auto& store = *mappings_;
  auto one = [&](const Mapping& m, int status = 200) {
    return withEtag(json(status, write([&](JsonWriter& w) { writeMapping(w, m, ctx_); })), m);
  };
  if (s.size() == 2) {
    if (read) {
      const MappingQuery q = queryFrom(req);
      return writeMappingPage(store.list(q), q.limit, q.offset);
    }
    if (req.method == "POST") {
      if (!authenticate(req)) authorise(req, Permission::CurateMappings);  // 401 first
      auto doc = body(req);
      json::ObjectReader r(doc, "");
      Mapping m;
      const std::string subject = r.str("subject", true);
      auto subj = MappingSubject::parse(subject);
      if (!subj) throw invalid("subject", "'" + subject + "' is not register/dataset/name[#code]");
      const std::string actor = authorise(req, Permission::CurateMappings, subj->register_id).name;
      m.subject = *subj;
      m.system = r.str("system");
      if (m.system.empty()) m.system = kSnomedSystem;
      m.concept_id = r.str("concept_id", true);
      if (r.has("predicate")) m.predicate = r.str("predicate");
      if (r.has("status")) m.status = r.str("status");
      if (r.has("justification")) m.justification = r.str("justification");
      m.comment = r.str("comment");
      m.confidence = r.number("confidence");
      r.finish();
      m = store.create(m, actor);
      Response resp = one(m, 201);
      resp.headers.push_back({"Location", "/api/mappings/" + std::to_string(m.id)});
      return resp;
    }
    return methodNotAllowed("GET, HEAD, POST");
  }
  const std::string& sub = s[2];
  if (sub == "review-queue" && s.size() == 3) {
    if (!read) return methodNotAllowed("GET, HEAD");
    const int limit = intParam(req, "limit", 100, 0, 10000);
    const int offset = intParam(req, "offset", 0, 0, 1000000000);
    return writeMappingPage(store.reviewQueue(limit, offset), limit, offset);
  }
  if (sub == "settings" && s.size() == 3) {
    if (req.method == "PUT") {
      authorise(req, Permission::Administer);
      auto doc = body(req);
      json::ObjectReader r(doc, "");
      auto on = r.boolean("four_eyes");
      r.finish();
      if (!on) throw invalid("four_eyes", "is required (true or false)");
      store.setFourEyes(*on);
    } else if (!read) {
      return methodNotAllowed("GET, HEAD, PUT");
    }
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("four_eyes");
                  w.Bool(store.fourEyes());
                  w.EndObject();
                }));
  }
  if (sub == "check-releases" && s.size() == 3) {
    if (req.method != "POST") return methodNotAllowed("POST");
    const std::string actor = authorise(req, Permission::CurateMappings).name;
    const auto flagged = store.checkReleases(actor);
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("flagged");
                  w.StartArray();
                  for (const auto& f : flagged) {
                    w.StartObject();
                    w.Key("id");
                    w.Int64(f.id);
                    w.Key("subject");
                    writeString(w, f.subject);
                    w.Key("concept_id");
                    writeString(w, f.concept_id);
                    w.Key("replacement_id");
                    writeString(w, f.replacement_id);
                    w.Key("detail");
                    writeString(w, f.detail);
                    w.EndObject();
                  }
                  w.EndArray();
                  w.EndObject();
                }));
  }
  if (sub == "bulk" && s.size() == 3) {
    if (req.method != "POST") return methodNotAllowed("POST");
    if (!authenticate(req)) authorise(req, Permission::CurateMappings);  // 401 first
    auto doc = body(req);
    json::ObjectReader r(doc, "");
    const std::string action = r.str("action", true);
    const std::string comment = r.str("comment");
    BulkResult result;
    if (action == "promote") {
      MappingQuery q;
      q.register_id = r.str("register");
      q.dataset_id = r.str("dataset");
      q.system = r.str("system");
      auto min = r.number("min_score");
      if (!min || *min < 0 || *min > 1) throw invalid("min_score", "a score 0-1 is required");
      r.finish();
      const std::string actor = authorise(req, Permission::CurateMappings, q.register_id).name;
      result = store.promoteSuggestions(q, *min, actor);
    } else if (action == "approve" || action == "reject") {
      const auto ids = idList(r.array("ids"), "ids");
      r.finish();
      if (ids.empty()) throw invalid("ids", "name at least one mapping");
      const std::string actor = authorise(req, Permission::ReviewMappings).name;
      result = store.reviewMany(ids, action, comment, actor);
    } else if (action == "no-match") {
      const auto subjects = r.strings("subjects");
      std::string system = r.str("system");
      r.finish();
      if (subjects.empty()) throw invalid("subjects", "name at least one variable or code");
      // An editor may mark its own registers' variables; all subjects must be in its scope.
      std::string reg;
      for (const auto& subject : subjects) {
        auto subj = MappingSubject::parse(subject);
        const std::string r2 = subj ? subj->register_id : std::string();
        reg = reg.empty() || reg == r2 ? r2 : std::string("\x01mixed");
      }
      const std::string actor = authorise(req, Permission::CurateMappings, reg).name;
      result = store.noMatch(subjects, system.empty() ? kSnomedSystem : system, comment, actor);
    } else {
      throw invalid("action", "'" + action + "' is not promote, approve, reject or no-match");
    }
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("changed");
                  w.StartArray();
                  for (auto id : result.changed) w.Int64(id);
                  w.EndArray();
                  w.Key("skipped");
                  w.StartArray();
                  for (const auto& why : result.skipped) writeString(w, why);
                  w.EndArray();
                  w.EndObject();
                }));
  }
  if (sub == "suggest" && s.size() == 3) {
    if (req.method != "POST") return methodNotAllowed("POST");
    return saveSuggestions(req);
  }
  if (sub == "import" && s.size() == 3) {
    if (req.method != "POST") return methodNotAllowed("POST");
    return importSssom(req);
  }
  const int64_t id = idSegment(sub);
  const std::string what = "mapping " + sub;
  auto mustExist = [&] {
    auto m = store.get(id);
    if (!m) throw notFound("id", what + " not found");
    return *m;
  };
  auto current = [&]() -> std::optional<std::pair<std::string, int>> {
    auto m = store.get(id);
    if (!m) return std::nullopt;
    return std::pair{write([&](JsonWriter& w) { writeMapping(w, *m, ctx_); }), m->revision};
  };
  if (s.size() == 3) {
    if (read) {
      auto m = store.get(id);
      if (!m) throw notFound("id", "mapping " + sub + " not found");
      return one(*m);
    }
    if (req.method == "PUT" || req.method == "PATCH") {
      const std::string actor =
          authorise(req, Permission::CurateMappings, mappingRegister(store, id)).name;
      const int expected = requireIfMatch(req, what, mustExist().revision);
      auto doc = body(req);
      json::ObjectReader r(doc, "");
      MappingUpdate u;
      if (r.has("system")) u.system = r.str("system");
      if (r.has("concept_id")) u.concept_id = r.str("concept_id");
      if (r.has("predicate")) u.predicate = r.str("predicate");
      if (r.has("status")) u.status = r.str("status");
      if (r.has("comment")) u.comment = r.str("comment");
      u.confidence = r.number("confidence");
      // Read-only fields of a GET answer may be sent back unchanged.
      r.ignore({"id",
                "subject",
                "subject_uri",
                "register",
                "dataset",
                "variable",
                "code",
                "subject_label",
                "concept_label",
                "no_match",
                "justification",
                "author",
                "reviewer",
                "review_comment",
                "release",
                "created_at",
                "updated_at",
                "reviewed_at",
                "revision",
                "flag"});
      r.finish();
      return conditionalWrite([&] { return one(store.update(id, u, actor, expected)); }, current);
    }
    if (req.method == "DELETE") {
      const std::string actor =
          authorise(req, Permission::CurateMappings, mappingRegister(store, id)).name;
      const int expected = requireIfMatch(req, what, mustExist().revision);
      return conditionalWrite(
          [&] {
            store.remove(id, actor, expected);
            Response r;
            r.status = 204;
            r.content_type.clear();
            return r;
          },
          current);
    }
    return methodNotAllowed("GET, HEAD, PUT, PATCH, DELETE");
  }
  if (s.size() == 4 && s[3] == "review") {
    if (req.method != "POST") return methodNotAllowed("POST");
    const std::string actor = authorise(req, Permission::ReviewMappings).name;
    auto doc = body(req);
    json::ObjectReader r(doc, "");
    const std::string decision = r.str("decision", true);
    const std::string comment = r.str("comment");
    r.finish();
    // If-Match is optional here (a review is an action on the mapping, not an edit of it); when
    // given, a stale one is 412 with the mapping as it is now.
    const int expected = ifMatchRevision(req);
    return conditionalWrite(
        [&] { return one(store.review(id, decision, comment, actor, expected)); }, current);
  }
  if (s.size() == 4 && s[3] == "history") {
    if (!read) return methodNotAllowed("GET, HEAD");
    const auto changes = store.history(id);
    if (changes.empty()) throw notFound("id", "mapping " + sub + " not found");
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  w.Key("id");
                  w.Int64(id);
                  w.Key("history");
                  w.StartArray();
                  for (const auto& c : changes) writeMappingChange(w, c, ctx_);
                  w.EndArray();
                  w.EndObject();
                }));
  }
  return error(404, "not_found", "no API resource at " + req.path);
}

}  // namespace regcat::web
