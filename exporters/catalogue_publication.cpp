#include "exporters/catalogue_publication.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "catalog/errors.h"
#include "catalog/parallel.h"
#include "catalog/store.h"
#include "exporters/atomic_file.h"
#include "exporters/dcat_exporter.h"
#include "exporters/document_export.h"
#include "exporters/fhir_conceptmap_writer.h"
#include "exporters/regcat_json_exporter.h"
#include "exporters/sssom_writer.h"
#include "importers/template_exporter.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"

namespace regcat {
namespace {

namespace fs = std::filesystem;

struct FormatSpec {
  std::string name;
  std::string file;  // catalogue-wide file name; "" for one file per register
  // Formats of one group are written together in one pass: documents (each register's GSIM
  // cascade built once for all five) and dcat (each graph built once for the three syntaxes).
  std::string group;
  int cost;  // relative time at national size: the slowest jobs are started first
};

const std::vector<FormatSpec>& specs() {
  static const std::vector<FormatSpec> s = {
      {"json", "regcat.json", "", 4},
      {"rut-json", "regcat.rut.json", "documents", 5},
      {"rut-xlsx", "regcat.rut.xlsx", "documents", 15},
      {"rut-csv", "regcat.rut.csv", "documents", 8},
      {"ddi-c", "regcat.ddi-c.xml", "documents", 8},
      {"ddi-l", "regcat.ddi-l.xml", "documents", 12},
      {"dcat-ttl", "regcat.ttl", "dcat", 8},
      {"dcat-jsonld", "regcat.jsonld", "dcat", 8},
      {"dcat-rdfxml", "regcat.rdf", "dcat", 8},
      {"sssom", "regcat.sssom.tsv", "", 3},
      {"csv", "", "", 8},
      {"xlsx", "", "", 13},
      {"fhir-conceptmap", "", "", 4},
  };
  return s;
}

// What every worker reads the same way, read once before the workers start.
struct Shared {
  std::vector<std::string> registers;  // resolved ids (all when none were asked for)
  std::vector<Mapping> approved;       // approved mappings of those registers
  MappingsByRegister all;              // every mapping of those registers, by register
  std::vector<Mapping> allFlat;
  std::map<std::string, std::string> names;  // register id -> Swedish name
};

// One unit of work for a thread: a format on its own, or the formats of one group.
struct Job {
  std::vector<const FormatSpec*> formats;
  int cost = 0;
};

void writeGroup(const Job& job, Store& store, MappingStore& mappings, const Shared& sh,
                const PublishOptions& opt, const fs::path& dir, std::vector<PublishedFile*>& done) {
  std::vector<std::unique_ptr<AtomicFile>> files;
  for (const auto* f : job.formats) files.push_back(std::make_unique<AtomicFile>(dir / f->file));
  if (job.formats[0]->group == "documents") {
    RutOptions ro;
    ro.ctx.base_uri = opt.base_uri;
    std::vector<DocumentOutput> outs;
    for (size_t i = 0; i < files.size(); ++i)
      outs.push_back({job.formats[i]->name, &files[i]->stream()});
    exportDocuments(store, sh.registers, sh.approved, ro, outs);
  } else {
    DcatOptions d;
    d.base_uri = opt.base_uri;
    std::vector<DcatOutput> outs;
    for (size_t i = 0; i < files.size(); ++i) {
      const std::string& n = job.formats[i]->name;
      outs.push_back({n == "dcat-ttl"      ? rdf::Syntax::Turtle
                      : n == "dcat-jsonld" ? rdf::Syntax::JsonLd
                                           : rdf::Syntax::RdfXml,
                      &files[i]->stream()});
    }
    exportDcat(store, &mappings, sh.registers, d, outs);
  }
  for (size_t i = 0; i < files.size(); ++i) done[i]->bytes = files[i]->commit();
}

void writeFormat(const FormatSpec& f, Store& store, const Shared& sh, const PublishOptions& opt,
                 const fs::path& dir, PublishedFile& done) {
  auto one = [&](const std::string& name, auto&& write) {
    done.bytes += writeFileAtomically(dir / name, write);
  };
  if (f.name == "json") {
    ExportContext ctx;
    ctx.base_uri = opt.base_uri;
    one(f.file, [&](std::ostream& o) { exportCatalogJson(store, sh.registers, ctx, o); });
  } else if (f.name == "sssom") {
    SssomWriteOptions so;
    so.base_uri = opt.base_uri;
    if (sh.registers.size() == 1) so.register_id = sh.registers[0];
    one(f.file, [&](std::ostream& o) { writeSssom(o, sh.allFlat, so); });
  } else {
    fs::create_directories(dir / f.name);
    static const std::vector<Mapping> kNone;
    for (const auto& id : sh.registers) {
      if (f.name == "fhir-conceptmap") {
        const auto it = sh.all.find(id);
        ConceptMapOptions co;
        co.base_uri = opt.base_uri;
        co.register_id = id;
        co.register_name = sh.names.at(id);
        one(f.name + "/" + id + ".conceptmap.json", [&](std::ostream& o) {
          writeConceptMap(o, it == sh.all.end() ? kNone : it->second, co);
        });
        continue;
      }
      const RegisterDocument doc = loadRegisterDocument(store, id);
      const std::string bytes =
          f.name == "csv" ? writeVariableListCsv(doc) : writeVariableListXlsx(doc);
      one(f.name + "/" + id + "." + f.name,
          [&](std::ostream& o) { o.write(bytes.data(), std::streamsize(bytes.size())); });
    }
  }
}

}  // namespace

const std::vector<std::string>& publishFormats() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& s : specs()) n.push_back(s.name);
    return n;
  }();
  return names;
}

std::vector<PublishedFile> publishCatalogue(
    const std::string& dbPath, const std::string& dirName, const PublishOptions& opt,
    const std::function<void(const PublishedFile&)>& progress) {
  std::vector<const FormatSpec*> wanted;
  for (const auto& name : opt.formats.empty() ? publishFormats() : opt.formats) {
    auto it = std::find_if(specs().begin(), specs().end(),
                           [&](const FormatSpec& s) { return s.name == name; });
    if (it == specs().end()) throw invalid("format", "'" + name + "' is not an export format");
    if (std::find(wanted.begin(), wanted.end(), &*it) == wanted.end()) wanted.push_back(&*it);
  }
  // Files are listed in the order of publishFormats(), whatever the order asked for.
  std::stable_sort(wanted.begin(), wanted.end(), [](const FormatSpec* a, const FormatSpec* b) {
    return a - &specs()[0] < b - &specs()[0];
  });
  std::vector<Job> jobs;
  std::map<std::string, size_t> groupJob;
  for (const auto* f : wanted) {
    Job* job;
    if (f->group.empty()) {
      job = &jobs.emplace_back();
    } else {
      auto [it, fresh] = groupJob.emplace(f->group, jobs.size());
      if (fresh) jobs.emplace_back();
      job = &jobs[it->second];
    }
    job->formats.push_back(f);
    job->cost += f->cost;
  }
  // Longest first, so that the last job to start is a short one.
  std::stable_sort(jobs.begin(), jobs.end(),
                   [](const Job& a, const Job& b) { return a.cost > b.cost; });
  // Where each format's entry goes in the result (publishFormats() order).
  std::map<const FormatSpec*, size_t> slot;
  for (size_t i = 0; i < wanted.size(); ++i) slot[wanted[i]] = i;

  const fs::path dir(dirName);
  fs::create_directories(dir);
  Shared sh;
  {
    Store store(dbPath);
    Terminology terminology(store);
    MappingStore mappings(store, terminology);
    sh.registers = exportRegisterIds(store, opt.registers);
    for (const auto& id : sh.registers) {
      const auto r = store.getRegister(id);
      sh.names[id] = !r->name.sv.empty() ? r->name.sv : r->name.en;
    }
    MappingQuery q;
    q.limit = -1;
    if (sh.registers.size() == 1) q.register_id = sh.registers[0];
    const std::set<std::string> ids(sh.registers.begin(), sh.registers.end());
    for (auto& m : mappings.list(q).items) {
      if (!ids.count(m.subject.register_id)) continue;
      if (m.status == "approved") sh.approved.push_back(m);
      sh.all[m.subject.register_id].push_back(m);
      sh.allFlat.push_back(std::move(m));
    }
  }

  std::vector<PublishedFile> done(wanted.size());
  std::mutex mu;
  parallelFor(jobs.size(), opt.threads ? opt.threads : coreCount(), [&] {
    // One connection per thread: SQLite connections are not shared between threads here.
    struct Worker {
      Store store;
      Terminology terminology;
      MappingStore mappings;
      explicit Worker(const std::string& db)
          : store(db), terminology(store), mappings(store, terminology) {}
    };
    return [&, w = std::make_unique<Worker>(dbPath)](size_t i) {
      const Job& job = jobs[i];
      std::vector<PublishedFile*> files;
      for (const auto* f : job.formats) {
        PublishedFile& p = done[slot.at(f)];
        p.format = f->name;
        p.path = f->file.empty() ? f->name + "/" : f->file;
        files.push_back(&p);
      }
      const auto t = std::chrono::steady_clock::now();
      if (job.formats[0]->group.empty())
        writeFormat(*job.formats[0], w->store, sh, opt, dir, *files[0]);
      else
        writeGroup(job, w->store, w->mappings, sh, opt, dir, files);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
      for (auto* p : files) {
        p->seconds = seconds;
        p->shared = files.size() > 1;
      }
      if (progress) {
        std::lock_guard<std::mutex> lock(mu);
        for (auto* p : files) progress(*p);
      }
    };
  });
  return done;
}

}  // namespace regcat
