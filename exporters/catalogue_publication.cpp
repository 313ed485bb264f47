#include "exporters/catalogue_publication.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "catalog/errors.h"
#include "catalog/store.h"
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
  int cost;          // relative time at national size: the slowest are started first
};

const std::vector<FormatSpec>& specs() {
  static const std::vector<FormatSpec> s = {
      {"json", "regcat.json", 4},
      {"rut-json", "regcat.rut.json", 11},
      {"rut-xlsx", "regcat.rut.xlsx", 22},
      {"rut-csv", "regcat.rut.csv", 15},
      {"ddi-c", "regcat.ddi-c.xml", 13},
      {"ddi-l", "regcat.ddi-l.xml", 17},
      {"dcat-ttl", "regcat.ttl", 13},
      {"dcat-jsonld", "regcat.jsonld", 16},
      {"dcat-rdfxml", "regcat.rdf", 15},
      {"sssom", "regcat.sssom.tsv", 3},
      {"csv", "", 8},
      {"xlsx", "", 13},
      {"fhir-conceptmap", "", 4},
  };
  return s;
}

// A file written under a temporary name with a large buffer, renamed when complete.
template <typename F>
unsigned long long writeFile(const fs::path& path, F&& write) {
  const fs::path tmp = path.string() + ".tmp";
  try {
    std::vector<char> buffer(1 << 20);
    std::ofstream out;
    out.rdbuf()->pubsetbuf(buffer.data(), std::streamsize(buffer.size()));
    out.open(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw invalid(path.string(), "cannot write the file");
    write(out);
    out.close();
    if (!out) throw invalid(path.string(), "writing the file failed");
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  fs::rename(tmp, path);
  return fs::file_size(path);
}

// What every worker reads the same way, read once before the workers start.
struct Shared {
  std::vector<std::string> registers;  // resolved ids (all when none were asked for)
  std::vector<Mapping> approved;       // approved mappings of those registers
  MappingsByRegister all;              // every mapping of those registers, by register
  std::vector<Mapping> allFlat;
  std::map<std::string, std::string> names;  // register id -> Swedish name
};

void writeFormat(const FormatSpec& f, Store& store, MappingStore& mappings, const Shared& sh,
                 const PublishOptions& opt, const fs::path& dir, PublishedFile& done) {
  auto one = [&](const std::string& name, auto&& write) {
    done.bytes += writeFile(dir / name, write);
  };
  if (f.name == "json") {
    ExportContext ctx;
    ctx.base_uri = opt.base_uri;
    one(f.file, [&](std::ostream& o) { exportCatalogJson(store, sh.registers, ctx, o); });
  } else if (findDocumentFormat(f.name)) {
    RutOptions ro;
    ro.ctx.base_uri = opt.base_uri;
    one(f.file,
        [&](std::ostream& o) { exportDocument(f.name, store, sh.registers, sh.approved, ro, o); });
  } else if (f.name.rfind("dcat-", 0) == 0) {
    DcatOptions d;
    d.base_uri = opt.base_uri;
    const rdf::Syntax syntax = f.name == "dcat-ttl"      ? rdf::Syntax::Turtle
                               : f.name == "dcat-jsonld" ? rdf::Syntax::JsonLd
                                                         : rdf::Syntax::RdfXml;
    one(f.file, [&](std::ostream& o) { exportDcat(store, &mappings, sh.registers, d, syntax, o); });
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
  std::vector<const FormatSpec*> jobs;
  for (const auto& name : opt.formats.empty() ? publishFormats() : opt.formats) {
    auto it = std::find_if(specs().begin(), specs().end(),
                           [&](const FormatSpec& s) { return s.name == name; });
    if (it == specs().end()) throw invalid("format", "'" + name + "' is not an export format");
    if (std::find(jobs.begin(), jobs.end(), &*it) == jobs.end()) jobs.push_back(&*it);
  }
  // Longest first, so that the last format to start is a short one.
  std::stable_sort(jobs.begin(), jobs.end(),
                   [](const FormatSpec* a, const FormatSpec* b) { return a->cost > b->cost; });

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
    const std::set<std::string> wanted(sh.registers.begin(), sh.registers.end());
    for (auto& m : mappings.list(q).items) {
      if (!wanted.count(m.subject.register_id)) continue;
      if (m.status == "approved") sh.approved.push_back(m);
      sh.all[m.subject.register_id].push_back(m);
      sh.allFlat.push_back(std::move(m));
    }
  }

  unsigned threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, unsigned(jobs.size()));
  std::vector<PublishedFile> done(jobs.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex mu;
  auto worker = [&] {
    try {
      // One connection per thread: SQLite connections are not shared between threads here.
      Store store(dbPath);
      Terminology terminology(store);
      MappingStore mappings(store, terminology);
      for (size_t i; !failed && (i = next++) < jobs.size();) {
        const FormatSpec& f = *jobs[i];
        PublishedFile& p = done[i];
        p.format = f.name;
        p.path = f.file.empty() ? f.name + "/" : f.file;
        const auto t = std::chrono::steady_clock::now();
        writeFormat(f, store, mappings, sh, opt, dir, p);
        p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
        if (progress) {
          std::lock_guard<std::mutex> lock(mu);
          progress(p);
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  return done;
}

}  // namespace regcat
