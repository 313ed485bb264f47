#include "mapping/mapping_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <set>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"
#include "mapping/terminology.h"

namespace regcat {
namespace {

constexpr const char* kFourEyesKey = "mapping_four_eyes";

std::string col(SQLite::Statement& s, int i) {
  auto c = s.getColumn(i);
  return c.isNull() ? std::string() : c.getString();
}

// The columns every read selects, in the order readMapping expects.
constexpr const char* kSelect =
    "SELECT m.id, v.register_id, v.dataset_id, v.name, m.code, m.system, m.concept_id, "
    "m.concept_label, m.predicate, m.status, m.justification, m.confidence, m.author, "
    "m.reviewer, m.comment, m.review_comment, m.release, m.created_at, m.updated_at, "
    "m.reviewed_at, m.revision, m.flag, m.flag_detail, m.replacement_id, m.replacement_label, "
    "CASE WHEN m.code = '' THEN vv.label_sv ELSE coalesce((SELECT ci.label_sv FROM codelist c "
    "JOIN code_item ci ON ci.codelist_id = c.id AND ci.version = c.current_version WHERE c.id = "
    "vv.codelist_id AND ci.code = m.code), (SELECT vm.label_sv FROM variable_missing vm WHERE "
    "vm.variable_id = vv.variable_id AND vm.version = vv.version AND vm.code = m.code), '') END "
    "FROM mapping m JOIN variable v ON v.id = m.variable_id JOIN variable_version vv ON "
    "vv.variable_id = v.id AND vv.version = v.current_version ";

Mapping readMapping(SQLite::Statement& s) {
  Mapping m;
  m.id = s.getColumn(0).getInt64();
  m.subject.register_id = col(s, 1);
  m.subject.dataset_id = col(s, 2);
  m.subject.variable = col(s, 3);
  m.subject.code = col(s, 4);
  m.system = col(s, 5);
  m.concept_id = col(s, 6);
  m.concept_label = col(s, 7);
  m.predicate = col(s, 8);
  m.status = col(s, 9);
  m.justification = col(s, 10);
  if (!s.getColumn(11).isNull()) m.confidence = s.getColumn(11).getDouble();
  m.author = col(s, 12);
  m.reviewer = col(s, 13);
  m.comment = col(s, 14);
  m.review_comment = col(s, 15);
  m.release = col(s, 16);
  m.created_at = col(s, 17);
  m.updated_at = col(s, 18);
  m.reviewed_at = col(s, 19);
  m.revision = s.getColumn(20).getInt();
  m.flag = col(s, 21);
  m.flag_detail = col(s, 22);
  m.replacement_id = col(s, 23);
  m.replacement_label = col(s, 24);
  m.subject_label = col(s, 25);
  return m;
}

std::optional<Mapping> loadMapping(SQLite::Database& db, int64_t id) {
  SQLite::Statement s(db, std::string(kSelect) + "WHERE m.id = ?");
  s.bind(1, static_cast<int64_t>(id));
  if (!s.executeStep()) return std::nullopt;
  return readMapping(s);
}

Mapping mustLoad(SQLite::Database& db, int64_t id) {
  auto m = loadMapping(db, id);
  if (!m) throw notFound("id", "mapping " + std::to_string(id) + " not found");
  return *m;
}

void recordHistory(SQLite::Database& db, const Mapping& m, const std::string& action,
                   const std::string& actor, const std::string& at) {
  SQLite::Statement s(db,
                      "INSERT INTO mapping_history (mapping_id, revision, action, actor, at, "
                      "subject, system, concept_id, concept_label, predicate, status, "
                      "justification, confidence, author, reviewer, comment, review_comment, "
                      "release, flag, replacement_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                      "?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int i = 0;
  s.bind(++i, static_cast<int64_t>(m.id));
  s.bind(++i, m.revision);
  s.bind(++i, action);
  s.bind(++i, actor);
  s.bind(++i, at);
  s.bind(++i, m.subject.key());
  s.bind(++i, m.system);
  s.bind(++i, m.concept_id);
  s.bind(++i, m.concept_label);
  s.bind(++i, m.predicate);
  s.bind(++i, m.status);
  s.bind(++i, m.justification);
  if (m.confidence)
    s.bind(++i, *m.confidence);
  else
    s.bind(++i);
  s.bind(++i, m.author);
  s.bind(++i, m.reviewer);
  s.bind(++i, m.comment);
  s.bind(++i, m.review_comment);
  s.bind(++i, m.release);
  s.bind(++i, m.flag);
  s.bind(++i, m.replacement_id);
  s.exec();
}

// Writes every mutable column of m (which exists) and bumps its revision.
void saveMapping(SQLite::Database& db, Mapping& m, const std::string& at) {
  SQLite::Statement s(db,
                      "UPDATE mapping SET system = ?, concept_id = ?, concept_label = ?, "
                      "predicate = ?, status = ?, justification = ?, confidence = ?, author = ?, "
                      "reviewer = ?, comment = ?, review_comment = ?, release = ?, updated_at = "
                      "?, reviewed_at = ?, revision = revision + 1, flag = ?, flag_detail = ?, "
                      "replacement_id = ?, replacement_label = ? WHERE id = ?");
  int i = 0;
  s.bind(++i, m.system);
  s.bind(++i, m.concept_id);
  s.bind(++i, m.concept_label);
  s.bind(++i, m.predicate);
  s.bind(++i, m.status);
  s.bind(++i, m.justification);
  if (m.confidence)
    s.bind(++i, *m.confidence);
  else
    s.bind(++i);
  s.bind(++i, m.author);
  s.bind(++i, m.reviewer);
  s.bind(++i, m.comment);
  s.bind(++i, m.review_comment);
  s.bind(++i, m.release);
  s.bind(++i, at);
  s.bind(++i, m.reviewed_at);
  s.bind(++i, m.flag);
  s.bind(++i, m.flag_detail);
  s.bind(++i, m.replacement_id);
  s.bind(++i, m.replacement_label);
  s.bind(++i, static_cast<int64_t>(m.id));
  s.exec();
  m.updated_at = at;
  ++m.revision;
}

// Inserts m as a new row of the variable (every field the store keeps) and returns it as read
// back.
Mapping insertMapping(SQLite::Database& db, int64_t variableId, const Mapping& m,
                      const std::string& at) {
  SQLite::Statement s(db,
                      "INSERT INTO mapping (variable_id, code, system, concept_id, concept_label, "
                      "predicate, status, justification, confidence, author, reviewer, comment, "
                      "review_comment, release, created_at, updated_at, reviewed_at) VALUES (?, "
                      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int i = 0;
  s.bind(++i, static_cast<int64_t>(variableId));
  s.bind(++i, m.subject.code);
  s.bind(++i, m.system);
  s.bind(++i, m.concept_id);
  s.bind(++i, m.concept_label);
  s.bind(++i, m.predicate);
  s.bind(++i, m.status);
  s.bind(++i, m.justification);
  if (m.confidence)
    s.bind(++i, *m.confidence);
  else
    s.bind(++i);
  s.bind(++i, m.author);
  s.bind(++i, m.reviewer);
  s.bind(++i, m.comment);
  s.bind(++i, m.review_comment);
  s.bind(++i, m.release);
  s.bind(++i, at);
  s.bind(++i, at);
  s.bind(++i, m.reviewed_at);
  s.exec();
  return mustLoad(db, db.getLastInsertRowid());
}

struct SubjectRow {
  int64_t variable_id = 0;
};

SubjectRow resolveSubject(SQLite::Database& db, const MappingSubject& subj,
                          const std::string& where) {
  SQLite::Statement v(db,
                      "SELECT id FROM variable WHERE register_id = ? AND dataset_id = ? AND "
                      "name = ?");
  v.bind(1, subj.register_id);
  v.bind(2, subj.dataset_id);
  v.bind(3, subj.variable);
  if (!v.executeStep())
    throw invalid(where, "no variable '" + subj.variableKey() + "' in the catalogue");
  SubjectRow row{v.getColumn(0).getInt64()};
  if (subj.isCode()) {
    // Any version of the variable and of its code list counts: a mapping of a code that has
    // since been retired still documents the data collected while it was in use.
    SQLite::Statement c(db,
                        "SELECT 1 FROM variable_version vv JOIN code_item ci ON ci.codelist_id "
                        "= vv.codelist_id WHERE vv.variable_id = ? AND ci.code = ? UNION ALL "
                        "SELECT 1 FROM variable_missing vm WHERE vm.variable_id = ? AND vm.code "
                        "= ? LIMIT 1");
    c.bind(1, static_cast<int64_t>(row.variable_id));
    c.bind(2, subj.code);
    c.bind(3, static_cast<int64_t>(row.variable_id));
    c.bind(4, subj.code);
    if (!c.executeStep())
      throw invalid(where, "variable '" + subj.variableKey() + "' has no code '" + subj.code +
                               "' in its code list");
  }
  return row;
}

std::optional<int64_t> findExisting(SQLite::Database& db, int64_t variableId,
                                    const std::string& code, const std::string& system,
                                    const std::string& conceptId) {
  SQLite::Statement s(db,
                      "SELECT id FROM mapping WHERE variable_id = ? AND code = ? AND system = ? "
                      "AND concept_id = ?");
  s.bind(1, static_cast<int64_t>(variableId));
  s.bind(2, code);
  s.bind(3, system);
  s.bind(4, conceptId);
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

void appendFilters(const MappingQuery& q, std::string& sql, std::vector<std::string>& args) {
  auto add = [&](const std::string& value, const char* clause) {
    if (value.empty()) return;
    sql += " AND ";
    sql += clause;
    args.push_back(value);
  };
  add(q.register_id, "v.register_id = ?");
  add(q.dataset_id, "v.dataset_id = ?");
  add(q.variable, "v.name = ?");
  add(q.status, "m.status = ?");
  add(q.system.empty() ? std::string() : systemUri(q.system), "m.system = ?");
  add(q.author, "m.author = ?");
  add(q.reviewer, "m.reviewer = ?");
  add(q.concept_id, "m.concept_id = ?");
  if (q.flagged_only) sql += " AND m.flag <> ''";
  if (!q.codes) sql += " AND m.code = ''";
  if (!q.variables) sql += " AND m.code <> ''";
}

void bindAll(SQLite::Statement& s, const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) s.bind(int(i) + 1, args[i]);
}

void checkRevision(const Mapping& m, int expected) {
  if (expected > 0 && expected != m.revision)
    throw Error(Error::Kind::Stale, "If-Match",
                "mapping " + std::to_string(m.id) + " is at revision " +
                    std::to_string(m.revision) + ", not " + std::to_string(expected));
}

void requireActor(const std::string& actor) {
  if (actor.empty()) throw invalid("actor", "every change to a mapping needs a named person");
}

}  // namespace

std::string systemUri(const std::string& s) {
  static const std::map<std::string, std::string> kAliases = {
      {"snomed", kSnomedSystem},
      {"sct", kSnomedSystem},
      {"snomedct", kSnomedSystem},
      {"icd10se", "http://hl7.org/fhir/sid/icd-10-se"},
      {"icd-10-se", "http://hl7.org/fhir/sid/icd-10-se"},
      {"kva", "urn:oid:1.2.752.116.1.3.2.1.4"},
      {"atc", "http://www.whocc.no/atc"},
      {"ni", "http://informationsstruktur.socialstyrelsen.se"},
  };
  auto it = kAliases.find(text::fold(s));
  return it == kAliases.end() ? s : it->second;
}

MappingStore::MappingStore(Store& store, Terminology& terminology)
    : store_(store), terminology_(terminology) {}

bool MappingStore::fourEyes() {
  return store_.meta(kFourEyesKey).value_or("on") != "off";
}

void MappingStore::setFourEyes(bool on) {
  store_.setMeta(kFourEyesKey, on ? "on" : "off");
}

MappingPage MappingStore::list(const MappingQuery& q) {
  MappingPage page;
  std::string where = "WHERE 1 = 1";
  std::vector<std::string> args;
  appendFilters(q, where, args);
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement c(
        db, "SELECT count(*) FROM mapping m JOIN variable v ON v.id = m.variable_id " + where);
    bindAll(c, args);
    c.executeStep();
    page.total = c.getColumn(0).getInt();
    SQLite::Statement s(db, std::string(kSelect) + where +
                                " ORDER BY v.register_id, v.dataset_id, v.position, v.name, "
                                "m.code <> '', m.code, m.id LIMIT ? OFFSET ?");
    bindAll(s, args);
    s.bind(int(args.size()) + 1, q.limit < 0 ? -1 : q.limit);
    s.bind(int(args.size()) + 2, q.offset);
    while (s.executeStep()) page.items.push_back(readMapping(s));
  });
  return page;
}

std::optional<Mapping> MappingStore::get(int64_t id) {
  std::optional<Mapping> m;
  store_.read([&](SQLite::Database& db) { m = loadMapping(db, id); });
  return m;
}

std::vector<MappingChange> MappingStore::history(int64_t id) {
  std::vector<MappingChange> out;
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement s(db,
                        "SELECT revision, action, actor, at, subject, system, concept_id, "
                        "concept_label, predicate, status, justification, confidence, author, "
                        "reviewer, comment, review_comment, release, flag, replacement_id FROM "
                        "mapping_history WHERE mapping_id = ? ORDER BY revision");
    s.bind(1, static_cast<int64_t>(id));
    while (s.executeStep()) {
      MappingChange c;
      c.mapping_id = id;
      c.revision = s.getColumn(0).getInt();
      c.action = col(s, 1);
      c.actor = col(s, 2);
      c.at = col(s, 3);
      Mapping& m = c.state;
      m.id = id;
      m.revision = c.revision;
      m.subject = MappingSubject::parse(col(s, 4)).value_or(MappingSubject{});
      m.system = col(s, 5);
      m.concept_id = col(s, 6);
      m.concept_label = col(s, 7);
      m.predicate = col(s, 8);
      m.status = col(s, 9);
      m.justification = col(s, 10);
      if (!s.getColumn(11).isNull()) m.confidence = s.getColumn(11).getDouble();
      m.author = col(s, 12);
      m.reviewer = col(s, 13);
      m.comment = col(s, 14);
      m.review_comment = col(s, 15);
      m.release = col(s, 16);
      m.flag = col(s, 17);
      m.replacement_id = col(s, 18);
      out.push_back(std::move(c));
    }
  });
  return out;
}

std::vector<Mapping> MappingStore::approvedFor(const std::string& variableKey) {
  auto subj = MappingSubject::parse(variableKey);
  if (!subj) throw invalid("variable", "'" + variableKey + "' is not register/dataset/name");
  // As list() would return them, without its page total, which nobody here needs.
  std::vector<Mapping> out;
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement s(db, std::string(kSelect) +
                                "WHERE v.register_id = ? AND v.dataset_id = ? AND v.name = ? "
                                "AND m.status = 'approved' ORDER BY m.code <> '', m.code, m.id");
    s.bind(1, subj->register_id);
    s.bind(2, subj->dataset_id);
    s.bind(3, subj->variable);
    while (s.executeStep()) out.push_back(readMapping(s));
  });
  return out;
}

Mapping MappingStore::create(Mapping m, const std::string& actor) {
  requireActor(actor);
  m.system = systemUri(m.system);
  if (m.system.empty()) throw invalid("system", "is required");
  if (m.concept_id.empty()) throw invalid("concept_id", "is required");
  if (!isValidPredicate(m.predicate))
    throw invalid("predicate", "'" + m.predicate + "' is not one of skos:exactMatch, " +
                                   "skos:closeMatch, skos:broadMatch, skos:narrowMatch, " +
                                   "skos:relatedMatch");
  if (!isValidMappingStatus(m.status))
    throw invalid("status",
                  "'" + m.status + "' is not one of suggested, proposed, approved, " + "rejected");
  if (m.confidence && (*m.confidence < 0 || *m.confidence > 1))
    throw invalid("confidence", "must be between 0 and 1");
  if (m.justification.empty()) m.justification = kManualCuration;
  if (!m.isNoMatch()) {
    auto release = terminology_.release(m.system);
    if (!release) throw invalid("system", "no release of " + m.system + " is loaded");
    auto summary = terminology_.summary(*release, m.concept_id);
    if (!summary)
      throw invalid("concept_id", "'" + m.concept_id + "' is not a concept of " + m.system + " " +
                                      release->version);
    if (!summary->active)
      throw invalid("concept_id", "'" + m.concept_id + "' is inactive in " + m.system + " " +
                                      release->version + "; map to its replacement");
    m.concept_label = summary->display("sv");
    m.release = release->version;
  } else {
    m.concept_label = "no match";
  }
  const std::string at = text::now();
  m.author = m.author.empty() ? actor : m.author;
  if (m.status == "approved" || m.status == "rejected") {
    if (m.reviewer.empty()) m.reviewer = actor;
    if (m.status == "approved" && fourEyes() && m.reviewer == m.author)
      throw Error(Error::Kind::Forbidden, "status",
                  "four-eyes review is on: a mapping is approved by someone other than its "
                  "author; create it as proposed");
    m.reviewed_at = at;
  }
  store_.write([&](SQLite::Database& db) {
    const SubjectRow subj = resolveSubject(db, m.subject, "subject");
    if (findExisting(db, subj.variable_id, m.subject.code, m.system, m.concept_id))
      throw conflict("subject", "'" + m.subject.key() + "' is already mapped to " + m.system + "|" +
                                    m.concept_id);
    m = insertMapping(db, subj.variable_id, m, at);
    recordHistory(db, m, "created", actor, at);
  });
  return m;
}

Mapping MappingStore::update(int64_t id, const MappingUpdate& u, const std::string& actor,
                             int expectedRevision) {
  requireActor(actor);
  if (u.predicate && !isValidPredicate(*u.predicate))
    throw invalid("predicate", "'" + *u.predicate + "' is not a SKOS mapping predicate");
  if (u.status && *u.status != "proposed" && *u.status != "suggested")
    throw invalid("status",
                  "an update may set 'proposed' or 'suggested'; approve or reject by review");
  if (u.confidence && (*u.confidence < 0 || *u.confidence > 1))
    throw invalid("confidence", "must be between 0 and 1");
  std::optional<TerminologyInfo> release;
  std::optional<ConceptSummary> summary;
  const std::string system = u.system ? systemUri(*u.system) : std::string();
  Mapping m;
  store_.read([&](SQLite::Database& db) { m = mustLoad(db, id); });
  const std::string targetSystem = u.system ? system : m.system;
  const std::string targetConcept = u.concept_id ? *u.concept_id : m.concept_id;
  const bool retarget = targetSystem != m.system || targetConcept != m.concept_id;
  if (retarget && targetConcept != kNoTermFound) {
    release = terminology_.release(targetSystem);
    if (!release) throw invalid("system", "no release of " + targetSystem + " is loaded");
    summary = terminology_.summary(*release, targetConcept);
    if (!summary || !summary->active)
      throw invalid("concept_id", "'" + targetConcept + "' is not an active concept of " +
                                      targetSystem + " " + release->version);
  }
  const std::string at = text::now();
  store_.write([&](SQLite::Database& db) {
    m = mustLoad(db, id);
    checkRevision(m, expectedRevision);
    const bool changesMeaning = retarget || (u.predicate && *u.predicate != m.predicate);
    if (retarget) {
      const SubjectRow subj = resolveSubject(db, m.subject, "subject");
      if (findExisting(db, subj.variable_id, m.subject.code, targetSystem, targetConcept))
        throw conflict("concept_id", "'" + m.subject.key() + "' is already mapped to " +
                                         targetSystem + "|" + targetConcept);
      m.system = targetSystem;
      m.concept_id = targetConcept;
      m.concept_label = summary ? summary->display("sv") : "no match";
      m.release = release ? release->version : std::string();
      m.flag.clear();
      m.flag_detail.clear();
      m.replacement_id.clear();
      m.replacement_label.clear();
    }
    if (u.predicate) m.predicate = *u.predicate;
    if (u.comment) m.comment = *u.comment;
    if (u.confidence) m.confidence = *u.confidence;
    if (u.status) m.status = *u.status;
    // A reviewed mapping whose meaning changes must be reviewed again.
    if (changesMeaning && (m.status == "approved" || m.status == "rejected")) m.status = "proposed";
    if (m.status == "proposed" || m.status == "suggested") {
      m.reviewer.clear();
      m.reviewed_at.clear();
    }
    if (changesMeaning || u.status) m.author = actor;
    saveMapping(db, m, at);
    recordHistory(db, m, "updated", actor, at);
  });
  return m;
}

Mapping MappingStore::review(int64_t id, const std::string& decision, const std::string& comment,
                             const std::string& actor, int expectedRevision) {
  requireActor(actor);
  if (decision != "approve" && decision != "reject")
    throw invalid("decision", "'" + decision + "' is not approve or reject");
  const bool fourEyesOn = fourEyes();
  Mapping m;
  const std::string at = text::now();
  store_.write([&](SQLite::Database& db) {
    m = mustLoad(db, id);
    checkRevision(m, expectedRevision);
    if (decision == "approve" && fourEyesOn && m.author == actor)
      throw Error(Error::Kind::Forbidden, "reviewer",
                  "four-eyes review is on: " + actor +
                      " made this mapping and cannot approve it; another reviewer must");
    if (decision == "approve" && m.flag == "inactive-target")
      throw conflict("status", "the target " + m.concept_id +
                                   " is inactive in the newest release; map to the "
                                   "replacement before approving");
    m.status = decision == "approve" ? "approved" : "rejected";
    m.reviewer = actor;
    m.review_comment = comment;
    m.reviewed_at = at;
    saveMapping(db, m, at);
    recordHistory(db, m, m.status, actor, at);
  });
  return m;
}

void MappingStore::remove(int64_t id, const std::string& actor, int expectedRevision) {
  requireActor(actor);
  const std::string at = text::now();
  store_.write([&](SQLite::Database& db) {
    Mapping m = mustLoad(db, id);
    checkRevision(m, expectedRevision);
    ++m.revision;
    recordHistory(db, m, "deleted", actor, at);
    SQLite::Statement s(db, "DELETE FROM mapping WHERE id = ?");
    s.bind(1, static_cast<int64_t>(id));
    s.exec();
  });
}

BulkResult MappingStore::promoteSuggestions(const MappingQuery& filter, double minScore,
                                            const std::string& actor) {
  requireActor(actor);
  MappingQuery q = filter;
  q.status = "suggested";
  q.limit = -1;
  q.offset = 0;
  BulkResult r;
  const std::string at = text::now();
  store_.write([&](SQLite::Database& db) {
    std::string where = "WHERE 1 = 1";
    std::vector<std::string> args;
    appendFilters(q, where, args);
    SQLite::Statement s(db, std::string(kSelect) + where);
    bindAll(s, args);
    std::vector<Mapping> found;
    while (s.executeStep()) found.push_back(readMapping(s));
    s.reset();
    for (auto& m : found) {
      if (!m.confidence || *m.confidence < minScore) {
        r.skipped.push_back(std::to_string(m.id) + ": score below " + std::to_string(minScore));
        continue;
      }
      // The person who accepts a suggestion for review answers for it, so the four-eyes rule
      // then asks someone else to approve it.
      m.status = "proposed";
      m.author = actor;
      saveMapping(db, m, at);
      recordHistory(db, m, "promoted", actor, at);
      r.changed.push_back(m.id);
    }
  });
  return r;
}

BulkResult MappingStore::reviewMany(const std::vector<int64_t>& ids, const std::string& decision,
                                    const std::string& comment, const std::string& actor) {
  requireActor(actor);
  if (decision != "approve" && decision != "reject")
    throw invalid("decision", "'" + decision + "' is not approve or reject");
  const bool fourEyesOn = fourEyes();
  BulkResult r;
  const std::string at = text::now();
  store_.write([&](SQLite::Database& db) {
    for (int64_t id : ids) {
      auto found = loadMapping(db, id);
      if (!found) throw notFound("ids", "mapping " + std::to_string(id) + " not found");
      Mapping m = *found;
      if (decision == "approve" && fourEyesOn && m.author == actor) {
        r.skipped.push_back(std::to_string(id) + ": four-eyes review: " + actor + " is its author");
        continue;
      }
      if (decision == "approve" && m.flag == "inactive-target") {
        r.skipped.push_back(std::to_string(id) + ": target inactive in the newest release");
        continue;
      }
      m.status = decision == "approve" ? "approved" : "rejected";
      m.reviewer = actor;
      m.review_comment = comment;
      m.reviewed_at = at;
      saveMapping(db, m, at);
      recordHistory(db, m, m.status, actor, at);
      r.changed.push_back(id);
    }
  });
  return r;
}

BulkResult MappingStore::noMatch(const std::vector<std::string>& subjects,
                                 const std::string& system, const std::string& comment,
                                 const std::string& actor) {
  requireActor(actor);
  const std::string uri = systemUri(system);
  if (uri.empty()) throw invalid("system", "is required");
  BulkResult r;
  const std::string at = text::now();
  store_.write([&](SQLite::Database& db) {
    for (size_t k = 0; k < subjects.size(); ++k) {
      const std::string where = "subjects[" + std::to_string(k) + "]";
      auto subj = MappingSubject::parse(subjects[k]);
      if (!subj) throw invalid(where, "'" + subjects[k] + "' is not register/dataset/name[#code]");
      const SubjectRow row = resolveSubject(db, *subj, where);
      if (findExisting(db, row.variable_id, subj->code, uri, kNoTermFound)) {
        r.skipped.push_back(subjects[k] + ": already marked as having no match");
        continue;
      }
      Mapping nm;
      nm.subject = *subj;
      nm.system = uri;
      nm.concept_id = kNoTermFound;
      nm.concept_label = "no match";
      nm.status = "proposed";
      nm.author = actor;
      nm.comment = comment;
      const Mapping m = insertMapping(db, row.variable_id, nm, at);
      recordHistory(db, m, "created", actor, at);
      r.changed.push_back(m.id);
    }
  });
  return r;
}

MappingStore::ImportResult MappingStore::importMappings(const std::vector<Mapping>& rows,
                                                        const std::vector<std::string>& where,
                                                        const std::string& actor,
                                                        const std::string& format,
                                                        const std::string& sourceFile) {
  requireActor(actor);
  // Targets are checked against the loaded releases before the transaction starts.
  std::vector<Mapping> ready = rows;
  std::map<std::string, std::optional<TerminologyInfo>> releases;
  for (size_t k = 0; k < ready.size(); ++k) {
    Mapping& m = ready[k];
    const std::string place = k < where.size() ? where[k] : "row " + std::to_string(k + 1);
    m.system = systemUri(m.system);
    if (!isValidPredicate(m.predicate))
      throw invalid(place, "predicate '" + m.predicate + "' is not a SKOS mapping predicate");
    if (!isValidMappingStatus(m.status)) throw invalid(place, "status '" + m.status + "'");
    if (m.isNoMatch()) {
      m.concept_label = "no match";
      continue;
    }
    auto it = releases.find(m.system);
    if (it == releases.end()) it = releases.emplace(m.system, terminology_.release(m.system)).first;
    if (!it->second) throw invalid(place, "no release of " + m.system + " is loaded");
    auto summary = terminology_.summary(*it->second, m.concept_id);
    if (!summary)
      throw invalid(place, "'" + m.concept_id + "' is not a concept of " + m.system + " " +
                               it->second->version);
    if (!summary->active)
      throw invalid(
          place, "'" + m.concept_id + "' is inactive in " + m.system + " " + it->second->version);
    m.concept_label = summary->display("sv");
    m.release = it->second->version;
  }
  ImportResult result;
  const std::string at = text::now();
  const bool fourEyesOn = fourEyes();
  store_.write([&](SQLite::Database& db) {
    WriteContext ctx;
    ctx.actor = actor;
    ctx.format = format;
    ctx.source_file = sourceFile;
    recordProvenance(db, ctx);
    for (size_t k = 0; k < ready.size(); ++k) {
      Mapping m = ready[k];
      const std::string place = k < where.size() ? where[k] : "row " + std::to_string(k + 1);
      const SubjectRow subj = resolveSubject(db, m.subject, place);
      if (m.author.empty()) m.author = actor;
      if (m.status == "approved" && fourEyesOn && (m.reviewer.empty() || m.reviewer == m.author)) {
        m.status = "proposed";
        m.reviewer.clear();
        ++result.held_for_review;
      }
      if (m.status == "rejected" && m.reviewer.empty()) m.reviewer = actor;
      if (m.status == "approved" || m.status == "rejected") m.reviewed_at = at;
      if (auto id = findExisting(db, subj.variable_id, m.subject.code, m.system, m.concept_id)) {
        Mapping cur = mustLoad(db, *id);
        if ((cur.status == "approved" || cur.status == "rejected") &&
            (m.status == "proposed" || m.status == "suggested")) {
          m.status = cur.status;
          m.reviewer = cur.reviewer;
          m.reviewed_at = cur.reviewed_at;
        }
        if (cur.predicate == m.predicate && cur.status == m.status && cur.comment == m.comment &&
            cur.confidence == m.confidence && cur.author == m.author &&
            cur.reviewer == m.reviewer && cur.justification == m.justification) {
          ++result.unchanged;
          continue;
        }
        cur.predicate = m.predicate;
        cur.status = m.status;
        cur.comment = m.comment;
        cur.confidence = m.confidence;
        cur.author = m.author;
        cur.reviewer = m.reviewer;
        cur.justification = m.justification;
        cur.reviewed_at = m.reviewed_at;
        saveMapping(db, cur, at);
        recordHistory(db, cur, "imported", actor, at);
        ++result.updated;
        continue;
      }
      if (m.justification.empty()) m.justification = kManualCuration;
      recordHistory(db, insertMapping(db, subj.variable_id, m, at), "imported", actor, at);
      ++result.created;
    }
  });
  return result;
}

int MappingStore::saveSuggestions(const std::vector<Mapping>& suggestions,
                                  const std::string& actor) {
  requireActor(actor);
  int saved = 0;
  const std::string at = text::now();
  store_.write([&](SQLite::Database& db) {
    for (const auto& in : suggestions) {
      const SubjectRow subj = resolveSubject(db, in.subject, in.subject.key());
      const std::string system = systemUri(in.system);
      if (findExisting(db, subj.variable_id, in.subject.code, system, in.concept_id)) continue;
      Mapping m = in;
      m.system = system;
      m.status = "suggested";
      m.justification = kLexicalMatching;
      if (m.predicate.empty()) m.predicate = "skos:exactMatch";
      if (m.author.empty()) m.author = actor;
      m.reviewer.clear();
      m.review_comment.clear();
      m.reviewed_at.clear();
      recordHistory(db, insertMapping(db, subj.variable_id, m, at), "suggested", actor, at);
      ++saved;
    }
  });
  return saved;
}

std::vector<FlaggedMapping> MappingStore::checkReleases(const std::string& actor) {
  std::vector<std::string> systems;
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement s(db, "SELECT DISTINCT system FROM mapping");
    while (s.executeStep()) systems.push_back(col(s, 0));
  });
  std::vector<FlaggedMapping> flagged;
  const std::string at = text::now();
  for (const auto& system : systems) {
    auto release = terminology_.release(system);
    if (!release) continue;
    // Which targets are inactive (or missing) in the newest release, and what replaces them.
    struct Target {
      bool known = false, active = false;
      std::string replacement, association;
    };
    std::map<std::string, Target> targets;
    store_.read([&](SQLite::Database& db) {
      SQLite::Statement s(db,
                          "SELECT DISTINCT m.concept_id, c.code IS NOT NULL, coalesce(c.active, "
                          "0) FROM mapping m LEFT JOIN term_concept c ON c.terminology_id = ? "
                          "AND c.code = m.concept_id WHERE m.system = ? AND m.concept_id <> ?");
      s.bind(1, static_cast<int64_t>(release->id));
      s.bind(2, system);
      s.bind(3, kNoTermFound);
      while (s.executeStep())
        targets[col(s, 0)] = {s.getColumn(1).getInt() != 0, s.getColumn(2).getInt() != 0, {}, {}};
      SQLite::Statement r(db,
                          "SELECT refset, target FROM term_refset_member WHERE terminology_id = "
                          "? AND component = ? AND refset IN (?, ?, ?) ORDER BY CASE refset "
                          "WHEN ? THEN 0 WHEN ? THEN 1 ELSE 2 END, target");
      for (auto& [code, t] : targets) {
        if (t.active) continue;
        r.reset();
        r.bind(1, static_cast<int64_t>(release->id));
        r.bind(2, code);
        r.bind(3, kReplacedBy);
        r.bind(4, kSameAs);
        r.bind(5, kPossiblyEquivalentTo);
        r.bind(6, kReplacedBy);
        r.bind(7, kSameAs);
        if (r.executeStep()) {
          const std::string refset = col(r, 0);
          t.replacement = col(r, 1);
          t.association = refset == kReplacedBy ? "REPLACED BY"
                          : refset == kSameAs   ? "SAME AS"
                                                : "POSSIBLY EQUIVALENT TO";
        }
      }
    });
    std::map<std::string, std::string> replacementLabels;
    for (auto& [code, t] : targets)
      if (!t.replacement.empty())
        if (auto s = terminology_.summary(*release, t.replacement))
          replacementLabels[t.replacement] = s->display("sv");
    store_.write([&](SQLite::Database& db) {
      SQLite::Statement s(db, std::string(kSelect) +
                                  "WHERE m.system = ? AND m.concept_id <> ? AND m.status <> "
                                  "'rejected'");
      s.bind(1, system);
      s.bind(2, kNoTermFound);
      std::vector<Mapping> all;
      while (s.executeStep()) all.push_back(readMapping(s));
      s.reset();
      for (auto& m : all) {
        const Target& t = targets[m.concept_id];
        if (t.active) {
          if (m.flag.empty()) continue;
          m.flag.clear();
          m.flag_detail.clear();
          m.replacement_id.clear();
          m.replacement_label.clear();
          saveMapping(db, m, at);
          recordHistory(db, m, "unflagged", actor, at);
          continue;
        }
        std::string detail = t.known ? m.concept_id + " is inactive in " + release->version
                                     : m.concept_id + " is not in " + release->version;
        if (!t.replacement.empty())
          detail += "; " + t.association + " " + t.replacement;
        else
          detail += "; no replacement is given";
        if (m.flag == "inactive-target" && m.flag_detail == detail) continue;
        m.flag = "inactive-target";
        m.flag_detail = detail;
        m.replacement_id = t.replacement;
        m.replacement_label =
            t.replacement.empty() ? std::string() : replacementLabels[t.replacement];
        saveMapping(db, m, at);
        recordHistory(db, m, "flagged", actor, at);
        flagged.push_back({m.id, m.subject.key(), m.concept_id, m.replacement_id, detail});
      }
    });
  }
  return flagged;
}

MappingPage MappingStore::reviewQueue(int limit, int offset) {
  MappingPage page;
  store_.read([&](SQLite::Database& db) {
    const std::string where = "WHERE m.flag <> '' OR m.status = 'proposed'";
    SQLite::Statement c(
        db, "SELECT count(*) FROM mapping m JOIN variable v ON v.id = m.variable_id " + where);
    c.executeStep();
    page.total = c.getColumn(0).getInt();
    SQLite::Statement s(db, std::string(kSelect) + where +
                                " ORDER BY m.flag = '', m.updated_at, m.id LIMIT ? OFFSET ?");
    s.bind(1, limit);
    s.bind(2, offset);
    while (s.executeStep()) page.items.push_back(readMapping(s));
  });
  return page;
}

}  // namespace regcat
