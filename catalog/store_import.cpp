// Applying an importer's output: validate everything first, then write it all in one
// transaction, and report what changed (which is all a dry run does before rolling back).
#include <map>
#include <set>

#include "catalog/errors.h"
#include "catalog/store_internal.h"
#include "catalog/text.h"

namespace regcat {
namespace {

std::string place(const std::string& origin, const std::string& fallback) {
  return origin.empty() ? fallback : origin;
}

// Re-throws a store error with the importer's location in front of the field.
template <typename F>
auto located(const std::string& where, F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    const std::string w = e.where().empty() ? where : where + "." + e.where();
    throw Error(e.kind(), w, e.message());
  }
}

void validateDocument(const CatalogDocument& doc, bool requireCpua) {
  std::set<std::string> registerIds, codelistIds;
  for (size_t i = 0; i < doc.registers.size(); ++i) {
    const auto& rd = doc.registers[i];
    const std::string rw = place(rd.reg.origin, "registers[" + std::to_string(i) + "]");
    detail::validateRegister(rd.reg, rw, requireCpua);
    if (!registerIds.insert(rd.reg.id).second)
      throw invalid(rw + ".id", "register '" + rd.reg.id + "' appears twice");
    std::set<std::string> datasets;
    for (size_t j = 0; j < rd.datasets.size(); ++j) {
      const auto& d = rd.datasets[j];
      const std::string dw = place(d.origin, rw + ".datasets[" + std::to_string(j) + "]");
      detail::validateDataset(d, dw);
      if (!datasets.insert(d.id).second)
        throw invalid(dw + ".id", "dataset '" + d.id + "' appears twice");
    }
    for (size_t j = 0; j < rd.codelists.size(); ++j) {
      const auto& c = rd.codelists[j];
      const std::string cw = place(c.origin, rw + ".codelists[" + std::to_string(j) + "]");
      detail::validateCodeList(c, cw);
      if (!codelistIds.insert(c.id).second)
        throw invalid(cw + ".id", "code list '" + c.id + "' appears twice");
    }
    std::set<std::string> names;
    for (size_t j = 0; j < rd.variables.size(); ++j) {
      const auto& v = rd.variables[j];
      const std::string vw = place(v.origin, rw + ".variables[" + std::to_string(j) + "]");
      detail::validateVariable(v, vw);
      if (v.register_id != rd.reg.id)
        throw invalid(
            vw, "variable belongs to register '" + v.register_id + "', not '" + rd.reg.id + "'");
      if (!names.insert(v.dataset_id + "/" + v.name).second)
        throw invalid(vw + ".name",
                      "duplicate variable name '" + v.name + "' in dataset '" + v.dataset_id + "'");
    }
  }
}

}  // namespace

ImportReport Store::applyImport(const CatalogDocument& doc, const ImportOptions& opt,
                                const WriteContext& ctx) {
  const std::string effective = opt.effective_date.empty() ? text::today() : opt.effective_date;
  if (!isValidDate(effective))
    throw invalid("effective_date", "'" + effective + "' is not a date (YYYY-MM-DD)");
  validateDocument(doc, opt.require_cpua);

  ImportReport report;
  report.dry_run = opt.dry_run;
  WriteTx tx(*pool_);
  auto& db = tx.db();
  detail::DeferredSearchIndex searchRows(db);
  const int64_t prov = detail::insertProvenance(db, ctx);

  for (size_t i = 0; i < doc.registers.size(); ++i) {
    const auto& rd = doc.registers[i];
    const std::string rw = place(rd.reg.origin, "registers[" + std::to_string(i) + "]");
    const std::string& rid = rd.reg.id;
    auto existing = detail::loadRegister(db, rid);
    if (!existing) {
      detail::saveRegister(db, rd.reg, prov, true);
      report.registers_created.push_back(rid);
      if (rd.reg.cpua.name.empty())
        report.warnings.push_back("register '" + rid +
                                  "' was created without a CPUA; set it with PUT /api/registers/" +
                                  rid);
    } else if (opt.update_registers && !existing->sameContent(rd.reg)) {
      detail::saveRegister(db, rd.reg, prov, false);
      report.registers_updated.push_back(rid);
    }

    int nextPosition = int(detail::loadDatasets(db, rid).size());
    for (const auto& d : rd.datasets) {
      auto old = detail::loadDataset(db, rid, d.id);
      Dataset copy = d;
      copy.register_id = rid;
      if (!old) {
        copy.position = nextPosition++;
        detail::saveDataset(db, copy, prov, true);
        report.datasets_created.push_back(rid + "/" + d.id);
      } else if (!old->sameContent(copy)) {
        copy.position = old->position;
        detail::saveDataset(db, copy, prov, false);
      }
    }

    for (size_t j = 0; j < rd.codelists.size(); ++j) {
      CodeList c = rd.codelists[j];
      if (c.register_id.empty()) c.register_id = rid;
      const std::string cw = place(c.origin, rw + ".codelists[" + std::to_string(j) + "]");
      report.codelists.push_back(located(cw, [&] { return detail::saveCodeList(db, c, prov); }));
    }

    detail::CodeListCache codeLists;
    std::map<std::string, int> positions;
    std::map<std::string, std::set<std::string>> seen;  // dataset -> names in the document
    for (size_t j = 0; j < rd.variables.size(); ++j) {
      Variable v = rd.variables[j];
      v.position = positions[v.dataset_id]++;
      seen[v.dataset_id].insert(v.name);
      const std::string vw = place(v.origin, rw + ".variables[" + std::to_string(j) + "]");
      report.variables.push_back(
          located(vw, [&] { return detail::saveVariable(db, v, prov, effective, &codeLists); }));
    }

    if (opt.close_missing) {
      const std::string closeAt = text::addDays(effective, -1);
      for (const auto& d : rd.datasets) {
        detail::Prepared s(db,
                           "SELECT v.id, v.name FROM variable v JOIN variable_version vv ON "
                           "vv.variable_id = v.id AND vv.version = v.current_version WHERE "
                           "v.register_id = ? AND v.dataset_id = ? AND (vv.valid_to = '' OR "
                           "vv.valid_to > ?)");
        s.bind(1, rid);
        s.bind(2, d.id);
        s.bind(3, closeAt);
        std::vector<int64_t> gone;
        while (s.executeStep())
          if (!seen[d.id].count(s.getColumn(1).getString()))
            gone.push_back(s.getColumn(0).getInt64());
        for (auto id : gone) {
          auto ch = detail::closeVariable(db, id, closeAt);
          if (ch.change == "removed") report.variables.push_back(ch);
        }
      }
    }
  }
  searchRows.flush();
  if (!opt.dry_run) tx.commit();
  return report;
}

}  // namespace regcat
