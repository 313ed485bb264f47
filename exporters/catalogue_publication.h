// Publishing the catalogue in every export format at once: what staff run to refresh the files
// that RUT, SND/researchdata.se, Sveriges dataportal and FHIR servers pick up. Each format is
// written by the same exporter the CLI and API use; the formats are spread over worker
// threads, each with its own read connection (SQLite WAL lets readers run side by side and
// alongside a serving process), and every file is written to a temporary name and renamed,
// so a failure never leaves half a file.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace regcat {

struct PublishOptions {
  std::vector<std::string> registers;  // empty: every register
  std::string base_uri = "http://localhost:8080";
  // Formats to write (names as in `regcat export`); empty: all of publishFormats().
  std::vector<std::string> formats;
  unsigned threads = 0;  // 0: the number of cores
};

struct PublishedFile {
  std::string format;
  std::string path;  // relative to the output directory
  unsigned long long bytes = 0;
  double seconds = 0;  // time the format took (all of its files)
  // Written in one pass with other formats (the RUT/DDI documents share each register's GSIM
  // cascade, the DCAT syntaxes their graphs): `seconds` is then the time of the whole pass.
  bool shared = false;
};

// The formats a publication writes, in the order their files are listed: json, rut-json,
// rut-xlsx, rut-csv, ddi-c, ddi-l, dcat-ttl, dcat-jsonld, dcat-rdfxml, sssom (whole
// catalogue, one file each) and csv, xlsx, fhir-conceptmap (one file per register, in a
// folder named after the format).
const std::vector<std::string>& publishFormats();

// Writes the files into dir (created if missing) and returns them in publishFormats() order.
// `progress`, when set, is called once per finished format from the thread that wrote it
// (calls are serialised). Throws the first
// exporter's error after the other threads stopped; files of formats already finished stay.
std::vector<PublishedFile> publishCatalogue(
    const std::string& dbPath, const std::string& dir, const PublishOptions& opt,
    const std::function<void(const PublishedFile&)>& progress = {});

}  // namespace regcat
