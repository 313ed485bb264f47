// Static files of the web app (web/static), served read-only with path traversal refused.
#pragma once

#include <string>

#include "web/http.h"

namespace regcat::web {

// Serves the file for the request path under root, or index.html for "/"; nullopt-like 404
// response when there is no such file.
Response serveStatic(const std::string& root, const Request& req);
std::string mimeType(const std::string& path);

}  // namespace regcat::web
