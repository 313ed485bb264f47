#include "mapping/linkage_review.h"

#include <algorithm>
#include <map>
#include <set>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "mapping/compat_service.h"
#include "mapping/harmonisation_matrix.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

namespace regcat {
namespace {

std::string joined(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

void warn(PlanReview& r, const std::string& code, const std::string& subject, std::string sv,
          std::string en) {
  r.warnings.push_back({code, subject, {std::move(sv), std::move(en)}});
}

void finish(PlanStep& s) {
  if (s.state == "not-applicable") return;
  s.state = s.missing.empty() ? "documented" : s.documented.empty() ? "missing" : "partial";
}

// The period a register's data covers: its datasets' coverage, else from its start year.
void coverageOf(Store& store, const Register& reg, PlanRegister& out) {
  for (const auto& d : store.listDatasets(reg.id)) {
    if (!d.coverage_start.empty() &&
        (out.coverage_from.empty() || d.coverage_start < out.coverage_from))
      out.coverage_from = d.coverage_start;
    if (!d.coverage_end.empty() && d.coverage_end > out.coverage_to)
      out.coverage_to = d.coverage_end;
  }
  if (out.coverage_from.empty() && reg.start_year)
    out.coverage_from = std::to_string(*reg.start_year) + "-01-01";
}

}  // namespace

PlanReview reviewPlan(Store& store, Terminology& terminology, MappingStore& mappings,
                      const LinkagePlan& plan) {
  PlanReview r;
  r.disclaimer = {
      "regcat sammanställer underlaget och kontrollerar det som går att kontrollera i "
      "katalogen. Bedömningarna av ändamål, nödvändighet, sekretess och laglighet samt besluten "
      "om samkörning, utvidgning och utlämnande fattas av varje berörd CPUA.",
      "regcat compiles the documentation and checks what the catalogue can check. The "
      "assessments of purpose, necessity, secrecy and lawfulness, and the decisions on linkage, "
      "extension and disclosure, remain with each CPUA involved."};
  const bool samkorning = plan.kind == "samkorning";
  const bool research = plan.kind == "forskning";
  const bool merger = plan.kind == "utvidgning-sammanslagning";

  // Registers, CPUAs, linkage keys and coverage.
  std::map<std::string, Register> regs;
  std::set<std::string> cpuaSet;
  for (const auto& p : plan.participants) {
    auto reg = store.getRegister(p.register_id);
    if (!reg) throw notFound("registers", "register '" + p.register_id + "' not found");
    PlanRegister pr;
    pr.id = reg->id;
    pr.name = reg->name.sv;
    pr.cpua = reg->cpua.name;
    pr.role = p.role;
    pr.holds_personnummer = reg->holds_personnummer;
    pr.purposes = int(reg->purposes.size());
    if (reg->holds_personnummer.value_or(false)) pr.linkage_key = "personnummer";
    for (const auto& v : store.listVariables(reg->id))
      if (v.identifier_class == "direct") pr.key_variables.push_back(v.key());
    coverageOf(store, *reg, pr);
    for (const auto& v : plan.variables)
      if (v.register_id == reg->id) pr.requested.push_back(v.key());
    if (!pr.cpua.empty()) cpuaSet.insert(pr.cpua);
    if (pr.cpua.empty())
      warn(r, "register-without-cpua", pr.id, pr.id + " saknar uppgift om CPUA.",
           pr.id + " has no CPUA documented.");
    if (pr.purposes == 0)
      warn(r, "register-without-purpose", pr.id,
           pr.id +
               " har inget dokumenterat ändamål; ingen kan pröva om variablerna behövs (steg 2).",
           pr.id +
               " has no documented purpose; nobody can judge whether the variables are "
               "needed (step 2).");
    if (!pr.holds_personnummer.value_or(false))
      warn(r, "no-linkage-key", pr.id,
           pr.id +
               " har inte dokumenterat att registret innehåller personnummer; "
               "samkörning på individnivå kräver en nyckel.",
           pr.id +
               " does not document that it holds personal identity numbers; linkage at "
               "individual level needs a key.");
    regs.emplace(reg->id, *reg);
    r.registers.push_back(std::move(pr));
  }
  r.cpuas.assign(cpuaSet.begin(), cpuaSet.end());
  r.same_cpua = r.cpuas.size() == 1 && plan.participants.size() > 1;
  r.secrecy_boundary = r.cpuas.size() > 1;
  if (r.secrecy_boundary)
    r.secrecy_note = {
        "Registren har olika CPUA (" + joined(r.cpuas) +
            "): uppgifterna passerar en sekretessgräns. Varje CPUA prövar självständigt, genom "
            "särskilt beslut, om uppgifterna kan lämnas ut (steg 6).",
        "The registers have different CPUAs (" + joined(r.cpuas) +
            "): the data crosses a secrecy boundary. Each CPUA decides independently, by special "
            "decision, whether the data may be disclosed (step 6)."};
  else if (r.same_cpua)
    r.secrecy_note = {
        "Alla register har samma CPUA (" + r.cpuas[0] +
            "): ingen sekretessgräns passeras och sekretessreglerna blir inte tillämpliga, men "
            "registrens ändamål måste ändå vara förenliga (steg 3 och 6).",
        "All registers have the same CPUA (" + r.cpuas[0] +
            "): no secrecy boundary is crossed and the secrecy rules do not apply, but the "
            "registers' purposes must still be compatible (steps 3 and 6)."};
  else
    r.secrecy_note = {"Planen omfattar ett register; ingen sekretessgräns passeras.",
                      "The plan covers one register; no secrecy boundary is crossed."};

  // Time coverage: the period common to every register (and to the plan's period).
  std::string from = plan.period_start, to = plan.period_end;
  for (const auto& pr : r.registers) {
    if (!pr.coverage_from.empty() && pr.coverage_from > from) from = pr.coverage_from;
    if (!pr.coverage_to.empty() && (to.empty() || pr.coverage_to < to)) to = pr.coverage_to;
  }
  r.common_from = from;
  r.common_to = to;
  r.periods_overlap = from.empty() || to.empty() || from <= to;
  if (!r.periods_overlap)
    warn(r, "periods-disjoint", "",
         "Registrens tidsperioder överlappar inte (" + from + " – " + to +
             "); det finns ingen gemensam period att samköra.",
         "The registers' periods do not overlap (" + from + " – " + to +
             "); there is no common period to link.");

  // Purpose category (step 1) and kind.
  if (samkorning && plan.purpose_category != "kvalitetssakring" &&
      plan.purpose_category != "statistik")
    warn(r, "purpose-not-allowed", "",
         "Samkörning mellan kvalitetsregister får bara ha ändamålet kvalitetssäkring eller "
         "statistik (steg 1). Forskning går via etikprövning och görs som forskningsuttag, "
         "oftast av Socialstyrelsen eller SCB.",
         "A linkage between quality registers may only serve quality assurance or statistics "
         "(step 1). Research goes through ethics review as a research linkage, usually "
         "performed by Socialstyrelsen or SCB.");
  if (research && plan.purpose_category != "forskning")
    warn(r, "research-purpose", "",
         "En forskningssamkörning ska ha ändamålet forskning och kräver etikprövning.",
         "A research linkage has research as its purpose and needs ethics review.");
  if ((samkorning || research) && plan.participants.size() < 2)
    warn(r, "single-register", "", "En samkörning omfattar minst två register.",
         "A linkage involves at least two registers.");
  if (plan.purpose_category == "statistik" && plan.output_form == "individniva")
    warn(r, "statistics-output", "",
         "Statistik ska alltid presenteras i anonymiserad (aggregerad) form (steg 3c och 5).",
         "Statistics are always presented anonymised (aggregated) (steps 3c and 5).");
  if (merger)
    warn(r, "merger-checks", "",
         "Sammanslagning: kontrollera att registret inte kommer att omfatta större delen av "
         "befolkningen, att uppgifterna har samband med varandra, och vem som beslutar om "
         "arkivering (steg 3b och 8).",
         "Merger: check that the register will not cover most of the population, that the data "
         "are related, and who decides on archiving (steps 3b and 8).");

  // Variables: justification, identifiers, validity.
  std::map<std::string, int> directPerRegister;
  for (const auto& pv : plan.variables) {
    auto v = store.getVariable(pv.register_id, pv.dataset_id, pv.name);
    if (!v) throw notFound("variables", "variable '" + pv.key() + "' not found");
    if (pv.justification.empty())
      warn(r, "missing-justification", pv.key(),
           pv.key() + " saknar motivering; varje variabel ska motiveras mot ändamålet (steg 5).",
           pv.key() +
               " has no justification; every variable must be justified against the "
               "purpose (step 5).");
    if (v->identifier_class == "direct") {
      ++directPerRegister[pv.register_id];
      if (pv.role != "linkage-key")
        warn(r, "direct-identifier", pv.key(),
             pv.key() +
                 " är en direkt identifierare men inte angiven som samkörningsnyckel; "
                 "direkta identifierare ska inte begäras utöver nyckeln (steg 5).",
             pv.key() +
                 " is a direct identifier but not marked as the linkage key; direct "
                 "identifiers are not requested beyond the key (step 5).");
    }
    if (!v->valid_to.empty())
      warn(r, "variable-closed", pv.key(),
           pv.key() + " registreras inte längre (giltig till " + v->valid_to + ").",
           pv.key() + " is no longer recorded (valid to " + v->valid_to + ").");
  }
  for (const auto& [reg, n] : directPerRegister)
    if (n > 1)
      warn(r, "direct-identifier", reg,
           reg + ": " + std::to_string(n) + " direkta identifierare begärs; en nyckel räcker.",
           reg + ": " + std::to_string(n) + " direct identifiers requested; one key suffices.");

  // Concepts wanted: the approved bindings of the requested variables.
  std::vector<std::string> wanted;
  std::map<std::string, std::string> wantedSystem;
  std::set<std::string> requestedKeys;
  for (const auto& pv : plan.variables) {
    requestedKeys.insert(pv.key());
    bool bound = false;
    for (const auto& m : mappings.approvedFor(pv.key())) {
      if (m.subject.isCode() || m.isNoMatch()) continue;
      if (m.predicate != "skos:exactMatch" && m.predicate != "skos:closeMatch") continue;
      bound = true;
      if (!wantedSystem.count(m.concept_id)) {
        wanted.push_back(m.concept_id);
        wantedSystem[m.concept_id] = m.system;
      }
    }
    auto v = store.getVariable(pv.register_id, pv.dataset_id, pv.name);
    if (!bound && v && v->identifier_class != "direct") r.unbound.push_back(pv.key());
  }
  for (const auto& key : r.unbound)
    warn(r, "unbound-variable", key,
         key + " har ingen godkänd begreppsmappning; dess jämförbarhet kan inte bedömas.",
         key + " has no approved concept mapping; its comparability cannot be assessed.");

  std::vector<std::string> planRegisters;
  for (const auto& p : plan.participants) planRegisters.push_back(p.register_id);
  const SubsumptionOracle oracle = subsumptionOracle(terminology);
  std::map<std::string, std::vector<std::string>> bySystem;
  for (const auto& c : wanted) bySystem[wantedSystem[c]].push_back(c);
  for (const auto& [system, concepts] : bySystem) {
    MatrixQuery q;
    q.system = system;
    q.registers = planRegisters;
    q.concepts = concepts;
    q.limit = -1;
    Matrix m;
    try {
      m = harmonisationMatrix(store, terminology, q);
    } catch (const Error&) {
      continue;  // the release of that system is gone; the variables count as unbound
    }
    for (const auto& row : m.rows) {
      PlanConcept pc;
      pc.system = system;
      pc.concept_id = row.concept_id;
      pc.label = row.label;
      std::vector<std::string> chosen;  // one carrier per register: the requested one first
      for (size_t c = 0; c < m.columns.size(); ++c) {
        const auto& cell = row.cells[c];
        if (cell.variables.empty()) {
          pc.registers_without.push_back(m.columns[c].register_id);
          continue;
        }
        std::string pick;
        for (const auto& v : cell.variables) {
          const bool req = requestedKeys.count(v.key) > 0;
          pc.carriers.push_back({m.columns[c].register_id, v.key, v.label, v.concept_id, req});
          if (req && pick.empty()) pick = v.key;
        }
        if (pick.empty()) pick = cell.variables.front().key;
        chosen.push_back(pick);
      }
      for (size_t i = 0; i < chosen.size(); ++i)
        for (size_t j = i + 1; j < chosen.size(); ++j) {
          const CompatSide a = loadCompatSide(store, mappings, chosen[i]);
          const CompatSide b = loadCompatSide(store, mappings, chosen[j]);
          pc.pairs.push_back({chosen[i], chosen[j], compare(a, b, oracle)});
        }
      for (const auto& reg : pc.registers_without)
        warn(r, "concept-not-carried", reg,
             reg + " har ingen variabel för " + pc.label + " (" + pc.concept_id + ").",
             reg + " has no variable for " + pc.label + " (" + pc.concept_id + ").");
      r.concepts.push_back(std::move(pc));
    }
  }

  // The eight steps.
  auto step = [&](int n, const char* sv, const char* en) {
    PlanStep s;
    s.number = n;
    s.title = {sv, en};
    return s;
  };
  auto doc = [](PlanStep& s, bool ok, std::string sv, std::string en) {
    (ok ? s.documented : s.missing).push_back({std::move(sv), std::move(en)});
  };
  {
    PlanStep s = step(1, "Ändamålet är kvalitetssäkring eller statistik",
                      "The purpose is quality assurance or statistics");
    if (!samkorning) {
      s.state = "not-applicable";
    } else {
      doc(s, plan.purpose_category == "kvalitetssakring" || plan.purpose_category == "statistik",
          "Ändamålskategori: " + plan.purpose_category,
          "Purpose category: " + plan.purpose_category);
      for (const auto& p : plan.participants)
        doc(s, !p.check_outcome.empty(), p.register_id + ": prövning dokumenterad",
            p.register_id + ": check documented");
    }
    finish(s);
    r.checklist.push_back(std::move(s));
  }
  {
    PlanStep s = step(2, "Varje registers ändamål är tillräckligt preciserat",
                      "Each register's purpose is precise enough");
    for (const auto& pr : r.registers) {
      doc(s, pr.purposes > 0, pr.id + ": " + std::to_string(pr.purposes) + " dokumenterade ändamål",
          pr.id + ": " + std::to_string(pr.purposes) + " documented purposes");
      for (const auto& p : plan.participants)
        if (p.register_id == pr.id)
          doc(s, !p.purpose_reference.empty(), pr.id + ": åberopat ändamål angivet",
              pr.id + ": the purpose relied on is named");
    }
    finish(s);
    r.checklist.push_back(std::move(s));
  }
  {
    PlanStep s = step(3, "Ändamålen är förenliga och samkörningen nödvändig",
                      "The purposes are compatible and the linkage necessary");
    doc(s, !plan.compatibility_statement.empty(), "Vad som förenar registren är beskrivet",
        "What unites the registers is described");
    doc(s, !plan.necessity.empty(), "Nödvändigheten är motiverad", "Necessity is justified");
    finish(s);
    r.checklist.push_back(std::move(s));
  }
  {
    PlanStep s = step(4, "CPUA dokumenterar ändamålet", "The CPUA documents the purpose");
    doc(s, !plan.purpose.empty(), "Ändamålet är formulerat", "The purpose is written");
    doc(s, !plan.responsible_cpua.empty(), "Ansvarig CPUA: " + plan.responsible_cpua,
        "Responsible CPUA: " + plan.responsible_cpua);
    bool reviews = !plan.participants.empty();
    for (const auto& p : plan.participants) reviews = reviews && !p.lawfulness_review.empty();
    doc(s, reviews || !plan.dpia_reference.empty(),
        "Laglighetsprövning eller konsekvensbedömning (DPIA) hänvisad",
        "Lawfulness review or DPIA referenced");
    finish(s);
    r.checklist.push_back(std::move(s));
  }
  {
    PlanStep s = step(5, "Dataminimering", "Data minimisation");
    int unjustified = 0;
    for (const auto& pv : plan.variables) unjustified += pv.justification.empty();
    doc(s, !plan.variables.empty() && unjustified == 0,
        "Varje variabel är motiverad (" +
            std::to_string(plan.variables.size() - size_t(unjustified)) + " av " +
            std::to_string(plan.variables.size()) + ")",
        "Every variable is justified (" +
            std::to_string(plan.variables.size() - size_t(unjustified)) + " of " +
            std::to_string(plan.variables.size()) + ")");
    doc(s, !plan.retention.empty(), "Lagringstid: " + plan.retention,
        "Retention: " + plan.retention);
    doc(s, plan.identifiers_removed_after_linkage,
        "Personnummer och andra direkta identifierare tas bort efter samkörningen",
        "Personal identity numbers and other direct identifiers are removed after linkage");
    doc(s, !plan.export_file_deletion.empty(),
        "Radering av exportfilen: " + plan.export_file_deletion,
        "Deletion of the export file: " + plan.export_file_deletion);
    doc(s, !plan.output_form.empty(), "Resultatets form: " + plan.output_form,
        "Form of the result: " + plan.output_form);
    finish(s);
    r.checklist.push_back(std::move(s));
  }
  {
    PlanStep s = step(6, "Sekretessprövning", "Secrecy assessment");
    if (!r.secrecy_boundary) {
      s.documented.push_back(r.secrecy_note);
    } else {
      for (const auto& p : plan.participants) {
        doc(s, !p.secrecy_assessment.empty(), p.register_id + ": sekretessprövning",
            p.register_id + ": secrecy assessment");
        doc(s, !p.decision_reference.empty(), p.register_id + ": särskilt beslut (diarienummer)",
            p.register_id + ": special decision (case number)");
      }
    }
    finish(s);
    r.checklist.push_back(std::move(s));
  }
  {
    PlanStep s = step(7, "Information till de registrerade", "Informing the registered persons");
    doc(s, !plan.information_plan.empty(), "Informationsplan", "Information plan");
    finish(s);
    r.checklist.push_back(std::move(s));
  }
  {
    PlanStep s = step(8, "Överenskommelser och rutiner mellan CPUA",
                      "Agreements and routines between the CPUAs");
    doc(s, !plan.agreement_reference.empty(), "Överenskommelse: " + plan.agreement_reference,
        "Agreement: " + plan.agreement_reference);
    for (const auto& p : plan.participants)
      doc(s, !p.lawfulness_review.empty(), p.register_id + ": laglighetsprövning",
          p.register_id + ": lawfulness review");
    finish(s);
    r.checklist.push_back(std::move(s));
  }
  return r;
}

}  // namespace regcat
