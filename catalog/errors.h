// Errors that cross module boundaries. Each carries the place it refers to (a field path, a
// file and line) so that the user is told exactly what to fix; the web layer maps kinds to
// HTTP status codes.
#pragma once

#include <stdexcept>
#include <string>

namespace regcat {

class Error : public std::runtime_error {
 public:
  // Stale: the client's If-Match names an older version than the stored one (HTTP 412).
  // PreconditionRequired: an update or delete came without If-Match (HTTP 428).
  enum class Kind {
    Invalid,
    NotFound,
    Conflict,
    Stale,
    PreconditionRequired,
    Unauthorized,
    Forbidden,
    TooLarge,
    TooMany,  // rate limited (HTTP 429)
    Internal
  };
  Error(Kind kind, std::string where, const std::string& message)
      : std::runtime_error(where.empty() ? message : where + ": " + message),
        kind_(kind),
        where_(std::move(where)),
        message_(message) {}
  Kind kind() const { return kind_; }
  const std::string& where() const { return where_; }
  const std::string& message() const { return message_; }

 private:
  Kind kind_;
  std::string where_, message_;
};

inline Error invalid(std::string where, const std::string& message) {
  return Error(Error::Kind::Invalid, std::move(where), message);
}
inline Error notFound(std::string where, const std::string& message) {
  return Error(Error::Kind::NotFound, std::move(where), message);
}
inline Error conflict(std::string where, const std::string& message) {
  return Error(Error::Kind::Conflict, std::move(where), message);
}

}  // namespace regcat
