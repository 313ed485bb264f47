#include "cli/args.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "catalog/errors.h"
#include "exporters/atomic_file.h"

namespace regcat::cli {

Args parse(const std::vector<std::string>& argv, const std::vector<std::string>& flags,
           const std::vector<std::string>& valued) {
  Args a;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& s = argv[i];
    if (s.rfind("--", 0) == 0 || (s.size() == 2 && s[0] == '-' && s != "-")) {
      std::string name = s.substr(s[1] == '-' ? 2 : 1), value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        a.opts[name] = value;
        continue;
      }
      if (name == "h") name = "help";
      if (name == "o") name = "output";
      if (std::find(flags.begin(), flags.end(), name) != flags.end() || name == "help") {
        a.opts[name] = "";
      } else if (std::find(valued.begin(), valued.end(), name) != valued.end()) {
        if (i + 1 >= argv.size()) throw UsageError("option --" + name + " needs a value");
        a.opts[name] = argv[++i];
      } else {
        throw UsageError("unknown option --" + name);
      }
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

std::string actorOf(const Args& a) {
  const char* user = std::getenv("USER");
  return a.get("actor", user && *user ? user : "cli");
}

void writeOutput(const Args& a, const std::string& bytes) {
  if (!a.has("output")) {
    std::cout.write(bytes.data(), std::streamsize(bytes.size()));
    return;
  }
  writeFileAtomically(a.get("output"), [&](std::ostream& out) {
    out.write(bytes.data(), std::streamsize(bytes.size()));
  });
}

}  // namespace regcat::cli
