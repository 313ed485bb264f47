// Rows of registers, datasets and provenance.
#include "catalog/errors.h"
#include "catalog/store_internal.h"
#include "catalog/text.h"

namespace regcat::detail {

std::string col(SQLite::Statement& s, int i) {
  auto c = s.getColumn(i);
  return c.isNull() ? std::string() : c.getString();
}

std::optional<double> optDouble(SQLite::Statement& s, int i) {
  auto c = s.getColumn(i);
  if (c.isNull()) return std::nullopt;
  return c.getDouble();
}

void bindOptDouble(SQLite::Statement& s, int i, const std::optional<double>& v) {
  if (v)
    s.bind(i, *v);
  else
    s.bind(i);
}

void checkRevision(const std::string& what, int current, int expected) {
  if (expected > 0 && expected != current)
    throw Error(Error::Kind::Stale, "If-Match",
                what + " has changed since it was read: it is at revision " +
                    std::to_string(current) + ", not " + std::to_string(expected) +
                    "; read it again and reapply the change");
}

int64_t insertProvenance(SQLite::Database& db, const WriteContext& ctx) {
  Prepared s(db,
             "INSERT INTO provenance(source_file, format, sha256, recorded_at, "
             "recorded_by) VALUES (?, ?, ?, ?, ?)");
  s.bind(1, ctx.source_file);
  s.bind(2, ctx.format);
  s.bind(3, ctx.sha256);
  s.bind(4, text::now());
  s.bind(5, ctx.actor);
  s.exec();
  const int64_t id = db.getLastInsertRowid();
  setAuditActor(db, ctx.actor);
  return id;
}

Provenance loadProvenance(SQLite::Database& db, int64_t id) {
  Provenance p;
  Prepared s(db,
             "SELECT source_file, format, sha256, recorded_at, recorded_by "
             "FROM provenance WHERE id = ?");
  s.bind(1, id);
  if (s.executeStep()) p = {col(s, 0), col(s, 1), col(s, 2), col(s, 3), col(s, 4)};
  return p;
}

bool registerExists(SQLite::Database& db, const std::string& id) {
  Prepared s(db, "SELECT 1 FROM register WHERE id = ?");
  s.bind(1, id);
  return s.executeStep();
}

std::optional<Register> loadRegister(SQLite::Database& db, const std::string& id) {
  Prepared s(db, R"SQL(
    SELECT id, name_sv, name_en, short_name, description_sv, description_en, cpua_name, cpua_unit,
           rh_name, rh_organisation, rh_email, rh_phone, register_centre, platform, register_type,
           certification_level, start_year, population_sv, population_en, holds_personnummer,
           research_information, disclosure_decided_by, disclosure_contact, disclosure_lead_time,
           disclosure_url, disclosure_notes, homepage, provenance_id, created_at, updated_at,
           revision, number_of_records, number_of_individuals
    FROM register WHERE id = ?)SQL");
  s.bind(1, id);
  if (!s.executeStep()) return std::nullopt;
  Register r;
  r.id = col(s, 0);
  r.name = {col(s, 1), col(s, 2)};
  r.short_name = col(s, 3);
  r.description = {col(s, 4), col(s, 5)};
  r.cpua = {col(s, 6), col(s, 7)};
  r.registerhallare = {col(s, 8), col(s, 9), col(s, 10), col(s, 11)};
  r.register_centre = col(s, 12);
  r.platform = col(s, 13);
  r.register_type = col(s, 14);
  r.certification_level = col(s, 15);
  if (!s.getColumn(16).isNull()) r.start_year = s.getColumn(16).getInt();
  r.population = {col(s, 17), col(s, 18)};
  if (!s.getColumn(19).isNull()) r.holds_personnummer = s.getColumn(19).getInt() != 0;
  if (!s.getColumn(20).isNull()) r.research_information = s.getColumn(20).getInt() != 0;
  r.disclosure = {col(s, 21), col(s, 22), col(s, 23), col(s, 24), col(s, 25)};
  r.homepage = col(s, 26);
  if (!s.getColumn(27).isNull()) r.provenance = loadProvenance(db, s.getColumn(27).getInt64());
  r.created_at = col(s, 28);
  r.updated_at = col(s, 29);
  r.revision = s.getColumn(30).getInt();
  if (!s.getColumn(31).isNull()) r.number_of_records = s.getColumn(31).getInt64();
  if (!s.getColumn(32).isNull()) r.number_of_individuals = s.getColumn(32).getInt64();

  Prepared p(db,
             "SELECT text_sv, text_en FROM register_purpose WHERE register_id = ? "
             "ORDER BY position");
  p.bind(1, id);
  while (p.executeStep()) r.purposes.push_back({col(p, 0), col(p, 1)});

  Prepared c(db,
             "SELECT value, method, denominator_source, period_start, period_end, "
             "level FROM register_coverage WHERE register_id = ? ORDER BY position");
  c.bind(1, id);
  while (c.executeStep())
    r.coverage.push_back({optDouble(c, 0), col(c, 1), col(c, 2), col(c, 3), col(c, 4), col(c, 5)});

  Prepared t(db,
             "SELECT kind, value FROM register_term WHERE register_id = ? "
             "ORDER BY kind, position");
  t.bind(1, id);
  while (t.executeStep())
    (col(t, 0) == "unit_type" ? r.unit_types : r.keywords).push_back(col(t, 1));
  return r;
}

void saveRegister(SQLite::Database& db, const Register& r, int64_t provenanceId, bool insert) {
  const std::string now = text::now();
  const char* sql = insert ? R"SQL(
    INSERT INTO register(name_sv, name_en, short_name, description_sv, description_en, cpua_name,
      cpua_unit, rh_name, rh_organisation, rh_email, rh_phone, register_centre, platform,
      register_type, certification_level, start_year, population_sv, population_en,
      holds_personnummer, research_information, disclosure_decided_by, disclosure_contact,
      disclosure_lead_time, disclosure_url, disclosure_notes, homepage, number_of_records,
      number_of_individuals, provenance_id, updated_at, id, created_at)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?))SQL"
                           : R"SQL(
    UPDATE register SET name_sv=?, name_en=?, short_name=?, description_sv=?, description_en=?,
      cpua_name=?, cpua_unit=?, rh_name=?, rh_organisation=?, rh_email=?, rh_phone=?,
      register_centre=?, platform=?, register_type=?, certification_level=?, start_year=?,
      population_sv=?, population_en=?, holds_personnummer=?, research_information=?,
      disclosure_decided_by=?, disclosure_contact=?, disclosure_lead_time=?, disclosure_url=?,
      disclosure_notes=?, homepage=?, number_of_records=?, number_of_individuals=?,
      provenance_id=?, updated_at=?, revision=revision+1
    WHERE id=?)SQL";
  Prepared s(db, sql);
  int i = 0;
  for (const std::string* v :
       {&r.name.sv, &r.name.en, &r.short_name, &r.description.sv, &r.description.en, &r.cpua.name,
        &r.cpua.unit, &r.registerhallare.name, &r.registerhallare.organisation,
        &r.registerhallare.email, &r.registerhallare.phone, &r.register_centre, &r.platform,
        &r.register_type, &r.certification_level})
    s.bind(++i, *v);
  if (r.start_year)
    s.bind(++i, *r.start_year);
  else
    s.bind(++i);
  s.bind(++i, r.population.sv);
  s.bind(++i, r.population.en);
  for (const auto& b : {r.holds_personnummer, r.research_information}) {
    if (b)
      s.bind(++i, *b ? 1 : 0);
    else
      s.bind(++i);
  }
  for (const std::string* v :
       {&r.disclosure.decided_by, &r.disclosure.contact, &r.disclosure.lead_time, &r.disclosure.url,
        &r.disclosure.notes, &r.homepage})
    s.bind(++i, *v);
  for (const auto& n : {r.number_of_records, r.number_of_individuals}) {
    if (n)
      s.bind(++i, static_cast<int64_t>(*n));
    else
      s.bind(++i);
  }
  s.bind(++i, static_cast<int64_t>(provenanceId));
  s.bind(++i, now);
  s.bind(++i, r.id);
  if (insert) s.bind(++i, now);
  s.exec();

  for (const char* table : {"register_purpose", "register_coverage", "register_term"}) {
    Prepared d(db, std::string("DELETE FROM ") + table + " WHERE register_id = ?");
    d.bind(1, r.id);
    d.exec();
  }
  Prepared p(db, "INSERT INTO register_purpose VALUES (?, ?, ?, ?)");
  for (size_t k = 0; k < r.purposes.size(); ++k) {
    p.reset();
    p.bind(1, r.id);
    p.bind(2, int(k));
    p.bind(3, r.purposes[k].sv);
    p.bind(4, r.purposes[k].en);
    p.exec();
  }
  Prepared c(db, "INSERT INTO register_coverage VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (size_t k = 0; k < r.coverage.size(); ++k) {
    const auto& cv = r.coverage[k];
    c.reset();
    c.bind(1, r.id);
    c.bind(2, int(k));
    bindOptDouble(c, 3, cv.value);
    c.bind(4, cv.method);
    c.bind(5, cv.denominator_source);
    c.bind(6, cv.period_start);
    c.bind(7, cv.period_end);
    c.bind(8, cv.level);
    c.exec();
  }
  Prepared t(db, "INSERT INTO register_term VALUES (?, ?, ?, ?)");
  auto terms = [&](const char* kind, const std::vector<std::string>& values) {
    for (size_t k = 0; k < values.size(); ++k) {
      t.reset();
      t.bind(1, r.id);
      t.bind(2, kind);
      t.bind(3, int(k));
      t.bind(4, values[k]);
      t.exec();
    }
  };
  terms("unit_type", r.unit_types);
  terms("keyword", r.keywords);
}

namespace {
Dataset readDataset(SQLite::Database& db, SQLite::Statement& s) {
  Dataset d;
  d.register_id = col(s, 0);
  d.id = col(s, 1);
  d.name = {col(s, 2), col(s, 3)};
  d.description = {col(s, 4), col(s, 5)};
  d.unit_type = col(s, 6);
  d.coverage_start = col(s, 7);
  d.coverage_end = col(s, 8);
  d.position = s.getColumn(9).getInt();
  if (!s.getColumn(10).isNull()) d.provenance = loadProvenance(db, s.getColumn(10).getInt64());
  d.revision = s.getColumn(11).getInt();
  return d;
}
constexpr const char* kDatasetColumns =
    "SELECT register_id, id, name_sv, name_en, description_sv, description_en, unit_type, "
    "coverage_start, coverage_end, position, provenance_id, revision FROM dataset ";
}  // namespace

std::optional<Dataset> loadDataset(SQLite::Database& db, const std::string& reg,
                                   const std::string& id) {
  Prepared s(db, std::string(kDatasetColumns) + "WHERE register_id = ? AND id = ?");
  s.bind(1, reg);
  s.bind(2, id);
  if (!s.executeStep()) return std::nullopt;
  return readDataset(db, s);
}

std::vector<Dataset> loadDatasets(SQLite::Database& db, const std::string& reg) {
  Prepared s(db, std::string(kDatasetColumns) + "WHERE register_id = ? ORDER BY position, id");
  s.bind(1, reg);
  std::vector<Dataset> out;
  while (s.executeStep()) out.push_back(readDataset(db, s));
  return out;
}

void saveDataset(SQLite::Database& db, const Dataset& d, int64_t provenanceId, bool insert) {
  Prepared s(db, insert ? "INSERT INTO dataset(name_sv, name_en, description_sv, "
                          "description_en, unit_type, coverage_start, coverage_end, "
                          "position, provenance_id, register_id, id) "
                          "VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                        : "UPDATE dataset SET name_sv=?, name_en=?, description_sv=?, "
                          "description_en=?, unit_type=?, coverage_start=?, "
                          "coverage_end=?, position=?, provenance_id=?, "
                          "revision=revision+1 WHERE register_id=? AND id=?");
  s.bind(1, d.name.sv);
  s.bind(2, d.name.en);
  s.bind(3, d.description.sv);
  s.bind(4, d.description.en);
  s.bind(5, d.unit_type);
  s.bind(6, d.coverage_start);
  s.bind(7, d.coverage_end);
  s.bind(8, d.position);
  s.bind(9, static_cast<int64_t>(provenanceId));
  s.bind(10, d.register_id);
  s.bind(11, d.id);
  s.exec();
}

}  // namespace regcat::detail
