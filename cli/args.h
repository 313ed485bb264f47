// Command-line option parsing shared by the subcommands.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace regcat::cli {

struct Args {
  std::map<std::string, std::string> opts;  // --name value (or "" for flags)
  std::vector<std::string> positional;
  bool has(const std::string& k) const { return opts.count(k) > 0; }
  std::string get(const std::string& k, const std::string& def = {}) const {
    auto it = opts.find(k);
    return it == opts.end() ? def : it->second;
  }
};

// A mistake in the command line: printed with a pointer to --help, exit status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Options listed in `flags` take no value; every other --option takes the next argument.
Args parse(const std::vector<std::string>& argv, const std::vector<std::string>& flags,
           const std::vector<std::string>& valued);

inline std::string dbPath(const Args& a) {
  return a.get("db", "regcat.db");
}

// --actor NAME, else $USER, else "cli".
std::string actorOf(const Args& a);

// Writes bytes to --output (atomically, via a temporary file) or to standard output.
void writeOutput(const Args& a, const std::string& bytes);

}  // namespace regcat::cli
