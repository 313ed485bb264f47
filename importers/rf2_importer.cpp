#include "importers/rf2_importer.h"

#include <sodium.h>
#include <zip.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"
#include "mapping/sctid.h"
#include "mapping/terminology.h"

namespace regcat {
namespace {

namespace fs = std::filesystem;
using sctid::Component;

enum class Kind {
  Concept,
  Description,
  TextDefinition,
  Relationship,
  Language,
  Simple,
  Association
};

struct Rf2File {
  std::string name;  // base name, used in messages
  std::string path;  // file path, or entry name inside the zip
  uint64_t size = 0;
  Kind kind{};
};

// Byte source over a plain file or a zip entry, read in chunks.
class Source {
 public:
  virtual ~Source() = default;
  virtual size_t read(char* buf, size_t n) = 0;
};

class FileSource : public Source {
 public:
  explicit FileSource(const std::string& path) : f_(std::fopen(path.c_str(), "rb")) {
    if (!f_) throw invalid(path, "cannot open the file");
  }
  ~FileSource() override { std::fclose(f_); }
  size_t read(char* buf, size_t n) override { return std::fread(buf, 1, n, f_); }

 private:
  std::FILE* f_;
};

class ZipSource : public Source {
 public:
  ZipSource(zip_t* z, const std::string& entry) : f_(zip_fopen(z, entry.c_str(), 0)) {
    if (!f_) throw invalid(entry, "cannot open the entry in the zip archive");
  }
  ~ZipSource() override { zip_fclose(f_); }
  size_t read(char* buf, size_t n) override {
    const zip_int64_t r = zip_fread(f_, buf, n);
    if (r < 0) throw invalid("zip", "the archive is damaged");
    return size_t(r);
  }

 private:
  zip_file_t* f_;
};

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

// The release: its files and a way to open each.
struct Release {
  std::vector<Rf2File> files;
  std::vector<std::string> ignored;
  std::unique_ptr<zip_t, ZipCloser> zip;
  std::unique_ptr<Source> open(const Rf2File& f) const {
    if (zip) return std::make_unique<ZipSource>(zip.get(), f.path);
    return std::make_unique<FileSource>(f.path);
  }
};

std::optional<Kind> classify(const std::string& name) {
  if (name.size() < 4 || name.substr(name.size() - 4) != ".txt") return std::nullopt;
  if (name.find("Snapshot") == std::string::npos) return std::nullopt;
  auto starts = [&](const char* p) { return name.rfind(p, 0) == 0; };
  if (starts("sct2_Concept_")) return Kind::Concept;
  if (starts("sct2_Description_")) return Kind::Description;
  if (starts("sct2_TextDefinition_")) return Kind::TextDefinition;
  if (starts("sct2_Relationship_")) return Kind::Relationship;  // not Stated, not ConcreteValues
  if (starts("der2_cRefset_Language")) return Kind::Language;
  if (starts("der2_Refset_Simple")) return Kind::Simple;
  if (starts("der2_cRefset_Association")) return Kind::Association;
  return std::nullopt;
}

Release openRelease(const std::string& path) {
  Release r;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it); ++it) {
      if (!it->is_regular_file()) continue;
      const std::string name = it->path().filename().string();
      if (auto k = classify(name))
        r.files.push_back({name, it->path().string(), it->file_size(), *k});
      else if (name.size() > 4 && name.substr(name.size() - 4) == ".txt")
        r.ignored.push_back(name);
    }
  } else if (fs::is_regular_file(path, ec)) {
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
    if (!z) throw invalid(path, "not a folder or a readable .zip archive");
    r.zip.reset(z);
    const zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
      zip_stat_t st;
      if (zip_stat_index(z, zip_uint64_t(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) continue;
      const std::string entry = st.name;
      const std::string name = fs::path(entry).filename().string();
      if (auto k = classify(name))
        r.files.push_back({name, entry, st.size, *k});
      else if (name.size() > 4 && name.substr(name.size() - 4) == ".txt")
        r.ignored.push_back(name);
    }
  } else {
    throw invalid(path, "no such folder or file");
  }
  if (r.files.empty())
    throw invalid(path, "no RF2 Snapshot files found (sct2_Concept_Snapshot...)");
  std::sort(r.files.begin(), r.files.end(),
            [](const Rf2File& a, const Rf2File& b) { return a.name < b.name; });
  return r;
}

// Reads lines of a tab-separated file, splitting fields in place.
class Rows {
 public:
  Rows(std::unique_ptr<Source> src, const Rf2File& file, std::ostream* progress)
      : src_(std::move(src)),
        file_(file),
        progress_(progress),
        started_(std::chrono::steady_clock::now()) {
    buf_.resize(1 << 20);
  }

  // The next row's fields; false at the end. Line numbers are 1-based and count the header.
  bool next(std::vector<std::string_view>& fields) {
    std::string_view line;
    if (!nextLine(line)) return false;
    ++lineNo_;
    fields.clear();
    size_t start = 0;
    while (true) {
      const size_t tab = line.find('\t', start);
      fields.push_back(
          line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (progress_ && lineNo_ % 200000 == 0) report(false);
    return true;
  }
  size_t line() const { return lineNo_; }
  std::string where() const { return file_.name + ":" + std::to_string(lineNo_); }
  void report(bool done) {
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const double pct = file_.size ? 100.0 * double(consumed_) / double(file_.size) : 100.0;
    *progress_ << "\r  " << file_.name << ": " << (lineNo_ ? lineNo_ - 1 : 0) << " rows ("
               << int(done ? 100 : pct) << "%) " << int(secs * 10) / 10.0 << " s"
               << (done ? "\n" : "") << std::flush;
  }

 private:
  bool nextLine(std::string_view& line) {
    while (true) {
      const size_t nl = std::string_view(buf_.data() + pos_, end_ - pos_).find('\n');
      if (nl != std::string_view::npos) {
        line = std::string_view(buf_.data() + pos_, nl);
        pos_ += nl + 1;
        consumed_ += nl + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return true;
      }
      if (eof_) {
        if (pos_ == end_) return false;
        line = std::string_view(buf_.data() + pos_, end_ - pos_);
        consumed_ += end_ - pos_;
        pos_ = end_;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return true;
      }
      // Move the partial line to the front and refill.
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
      if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);  // a very long line
      const size_t n = src_->read(buf_.data() + end_, buf_.size() - end_);
      if (n == 0) eof_ = true;
      end_ += n;
    }
  }

  std::unique_ptr<Source> src_;
  const Rf2File& file_;
  std::ostream* progress_;
  std::chrono::steady_clock::time_point started_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0, lineNo_ = 0, consumed_ = 0;
  bool eof_ = false;
};

const std::vector<std::string>& headerOf(Kind k) {
  static const std::vector<std::string> conceptHeader = {"id", "effectiveTime", "active",
                                                         "moduleId", "definitionStatusId"};
  static const std::vector<std::string> description = {
      "id",           "effectiveTime", "active", "moduleId",          "conceptId",
      "languageCode", "typeId",        "term",   "caseSignificanceId"};
  static const std::vector<std::string> relationship = {"id",
                                                        "effectiveTime",
                                                        "active",
                                                        "moduleId",
                                                        "sourceId",
                                                        "destinationId",
                                                        "relationshipGroup",
                                                        "typeId",
                                                        "characteristicTypeId",
                                                        "modifierId"};
  static const std::vector<std::string> language = {
      "id",       "effectiveTime",         "active",         "moduleId",
      "refsetId", "referencedComponentId", "acceptabilityId"};
  static const std::vector<std::string> simple = {
      "id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId"};
  static const std::vector<std::string> association = {
      "id",       "effectiveTime",         "active",           "moduleId",
      "refsetId", "referencedComponentId", "targetComponentId"};
  switch (k) {
    case Kind::Concept:
      return conceptHeader;
    case Kind::Description:
    case Kind::TextDefinition:
      return description;
    case Kind::Relationship:
      return relationship;
    case Kind::Language:
      return language;
    case Kind::Simple:
      return simple;
    case Kind::Association:
      return association;
  }
  return conceptHeader;
}

// Checks of one row; each failure names the file, line and column.
struct RowCheck {
  Rows& rows;
  const std::vector<std::string_view>& f;
  const std::vector<std::string>& header;

  [[noreturn]] void fail(size_t column, const std::string& msg) const {
    throw invalid(rows.where(),
                  "column " + std::to_string(column + 1) + " (" + header[column] + "): " + msg);
  }
  std::string id(size_t column, Component c) const {
    if (!sctid::isValid(f[column], c)) {
      const char* kind = c == Component::Concept       ? "concept"
                         : c == Component::Description ? "description"
                                                       : "relationship";
      fail(column, "'" + std::string(f[column]) + "' is not a valid " + kind +
                       " SCTID (check digit or partition wrong)");
    }
    return std::string(f[column]);
  }
  bool flag(size_t column) const {
    if (f[column] == "1") return true;
    if (f[column] == "0") return false;
    fail(column, "expected 0 or 1, found '" + std::string(f[column]) + "'");
  }
  std::string date(size_t column) const {
    const auto v = f[column];
    if (v.size() != 8 ||
        !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
      fail(column, "expected a date YYYYMMDD, found '" + std::string(v) + "'");
    return std::string(v);
  }
  std::string uuid(size_t column) const {
    const auto v = f[column];
    if (v.size() != 36 || v[8] != '-' || v[13] != '-' || v[18] != '-' || v[23] != '-')
      fail(column, "expected a UUID, found '" + std::string(v) + "'");
    return std::string(v);
  }
};

void forEachRow(const Release& rel, const Rf2File& file, std::ostream* progress,
                const std::function<void(Rows&, const RowCheck&)>& fn) {
  Rows rows(rel.open(file), file, progress);
  std::vector<std::string_view> fields;
  const auto& header = headerOf(file.kind);
  if (!rows.next(fields)) throw invalid(file.name, "the file is empty (expected a header row)");
  if (fields.size() != header.size())
    throw invalid(file.name + ":1", "expected " + std::to_string(header.size()) +
                                        " tab-separated columns in the header, found " +
                                        std::to_string(fields.size()));
  for (size_t i = 0; i < header.size(); ++i)
    if (fields[i] != header[i])
      throw invalid(file.name + ":1", "column " + std::to_string(i + 1) + " should be '" +
                                          header[i] + "', found '" + std::string(fields[i]) + "'");
  while (rows.next(fields)) {
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line at the end
    if (fields.size() != header.size())
      throw invalid(rows.where(), "expected " + std::to_string(header.size()) +
                                      " tab-separated columns, found " +
                                      std::to_string(fields.size()));
    RowCheck check{rows, fields, header};
    fn(rows, check);
  }
  if (progress) rows.report(true);
}

std::string releaseHash(const Release& rel) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<char> buf(1 << 20);
  for (const auto& f : rel.files) {
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(f.name.data()),
                              f.name.size());
    auto src = rel.open(f);
    size_t n;
    while ((n = src->read(buf.data(), buf.size())) > 0)
      crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf.data()), n);
  }
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

// The YYYYMMDD at the end of a release file name.
std::string dateOf(const std::string& name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot < 8) return {};
  const std::string d = name.substr(dot - 8, 8);
  return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }) ? d : "";
}

struct ConceptRow {
  std::string id, module, effective;
  bool active, defined;
};

}  // namespace

Rf2Report importRf2(Store& store, const std::string& path, const WriteContext& ctx,
                    const Rf2Options& opt) {
  Release rel = openRelease(path);
  Rf2Report report;
  report.system = kSnomedSystem;
  report.files_ignored = rel.ignored;
  for (const auto& f : rel.files) {
    report.files_read.push_back(f.name);
    report.effective = std::max(report.effective, dateOf(f.name));
  }

  // Concepts first, in memory (small): they decide the edition and are needed by every check.
  std::vector<ConceptRow> concepts;
  std::map<std::string, size_t> modules;
  for (const auto& f : rel.files) {
    if (f.kind != Kind::Concept) continue;
    forEachRow(rel, f, opt.progress, [&](Rows&, const RowCheck& c) {
      ConceptRow r{c.id(0, Component::Concept), c.id(3, Component::Concept), c.date(1), c.flag(2),
                   c.id(4, Component::Concept) == "900000000000073002"};
      ++modules[r.module];
      concepts.push_back(std::move(r));
    });
  }
  if (concepts.empty()) throw invalid(path, "the release has no concepts");
  // The edition is the Swedish one when its module is present, else the most common module
  // that is not the core or model component module.
  if (modules.count(kSwedishModule)) {
    report.edition = kSwedishModule;
  } else {
    size_t bestCount = 0;
    for (const auto& [m, n] : modules)
      if (m != "900000000000012004" && n > bestCount) report.edition = m, bestCount = n;
    if (report.edition.empty()) report.edition = "900000000000207008";
  }
  if (report.effective.empty())
    for (const auto& c : concepts) report.effective = std::max(report.effective, c.effective);
  report.version =
      std::string(kSnomedSystem) + "/" + report.edition + "/version/" + report.effective;

  ReleaseInfo info;
  info.system = kSnomedSystem;
  info.kind = "snomed";
  info.name = report.edition == kSwedishModule ? "SNOMED CT Swedish Edition" : "SNOMED CT";
  info.version = report.version;
  info.edition = report.edition;
  info.effective = report.effective;
  info.sha256 = releaseHash(rel);

  store.write([&](SQLite::Database& db) {
    TerminologyLoader loader(db, info, ctx);
    if (loader.skipped()) {
      report.load = loader.finish();
      return;
    }
    for (const auto& c : concepts)
      loader.addConcept(c.id, c.active, c.module, c.effective, c.defined);
    concepts.clear();
    concepts.shrink_to_fit();
    for (const auto& f : rel.files)
      if (f.kind == Kind::Language)
        forEachRow(rel, f, opt.progress, [&](Rows&, const RowCheck& c) {
          c.uuid(0);
          c.date(1);
          if (!c.flag(2)) return;
          const std::string acc = c.id(6, Component::Concept);
          const int a = acc == "900000000000548007" ? 2 : acc == "900000000000549004" ? 1 : 0;
          if (a == 0) c.fail(6, "unknown acceptability '" + acc + "'");
          loader.addLanguage(c.id(5, Component::Description), c.id(4, Component::Concept), a);
        });
    for (const auto& f : rel.files)
      if (f.kind == Kind::Description || f.kind == Kind::TextDefinition)
        forEachRow(rel, f, opt.progress, [&](Rows&, const RowCheck& c) {
          const std::string id = c.id(0, Component::Description);
          c.date(1);
          const bool active = c.flag(2);
          c.id(3, Component::Concept);
          const std::string conceptId = c.id(4, Component::Concept);
          const std::string type = c.id(6, Component::Concept);
          const int t = type == "900000000000003001" ? 0 : type == "900000000000550004" ? 2 : 1;
          std::string lang(c.f[5]);
          if (lang.empty()) c.fail(5, "language code is empty");
          const std::string term = text::nfc(c.f[7], c.rows.where() + " column 8 (term)");
          if (term.empty()) c.fail(7, "term is empty");
          loader.addDescription(id, conceptId, lang, t, term, active);
        });
    for (const auto& f : rel.files)
      if (f.kind == Kind::Relationship)
        forEachRow(rel, f, opt.progress, [&](Rows&, const RowCheck& c) {
          c.id(0, Component::Relationship);
          c.date(1);
          const bool active = c.flag(2);
          const std::string source = c.id(4, Component::Concept),
                            dest = c.id(5, Component::Concept), type = c.id(7, Component::Concept),
                            chr = c.id(8, Component::Concept);
          int group = 0;
          try {
            group = std::stoi(std::string(c.f[6]));
          } catch (const std::exception&) {
            c.fail(6, "expected a group number");
          }
          // Inferred (and additional) relationships define the hierarchy; stated ones do not.
          if (active && chr != "900000000000010007")
            loader.addRelationship(source, type, dest, group);
        });
    for (const auto& f : rel.files)
      if (f.kind == Kind::Simple || f.kind == Kind::Association)
        forEachRow(rel, f, opt.progress, [&](Rows&, const RowCheck& c) {
          c.uuid(0);
          c.date(1);
          if (!c.flag(2)) return;
          const std::string refset = c.id(4, Component::Concept);
          const std::string component(c.f[5]);
          if (component.empty()) c.fail(5, "referenced component is empty");
          loader.addRefsetMember(refset, component,
                                 f.kind == Kind::Association ? c.id(6, Component::Concept) : "");
        });
    if (opt.progress) *opt.progress << "  building the search index...\n";
    report.load = loader.finish();
  });
  return report;
}

}  // namespace regcat
