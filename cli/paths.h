// Finding data/ and web/static wherever the binary runs: an environment override, the
// installed share directory beside the binary, or the source tree it was built from.
#pragma once

#include <string>

namespace regcat::app {

std::string findDataDir();  // REGCAT_DATA_DIR, <exe>/../share/regcat/data, <source>/data
std::string
findStaticDir();  // REGCAT_WEB_DIR, <exe>/../share/regcat/web/static, <source>/web/static

}  // namespace regcat::app
