// The HTTP request and response as the API sees them, independent of Pistache, so that every
// handler can also be called directly in tests.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace regcat::web {

struct Request {
  std::string method;                          // GET, POST, PUT, DELETE, HEAD, ...
  std::vector<std::string> segments;           // percent-decoded path segments
  std::string path;                            // raw path
  std::map<std::string, std::string> query;    // percent-decoded; first value of a repeated key
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string peer;

  std::optional<std::string> param(const std::string& name) const;
  // A comma-separated list parameter: ?register=a,b
  std::vector<std::string> list(const std::string& name) const;
  std::string header(const std::string& lowerName) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is whatever this writes, sent while it is written (chunked; the server
  // runs it after the handler returned, web/chunked_sender.h) and `body` is ignored. For large
  // exports: everything that can fail with a clear status (unknown register, bad format) must
  // be checked before the handler returns, since the status is sent first.
  std::function<void(std::ostream&)> stream;
};

Response json(int status, std::string body);
// {"error": ..., "detail": ...}
Response error(int status, const std::string& error, const std::string& detail);

// Percent-decoding; '+' is a space only in query strings. Returns nullopt for malformed
// escapes or decoded text that is not UTF-8.
std::optional<std::string> percentDecode(const std::string& s, bool plusIsSpace);
std::vector<std::string> splitPath(const std::string& path);

}  // namespace regcat::web
