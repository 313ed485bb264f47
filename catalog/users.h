// Local accounts, roles, API tokens and web sessions. Passwords are hashed with Argon2id
// (libsodium); API tokens and session ids are random 256-bit values of which only a SHA-256
// hash is stored, so a copy of the database does not let anyone in.
//
// Roles: admin (everything); curator (mappings and their review across registers, linkage
// plans); editor (the metadata and imports of the registers in its scope, and linkage plans
// involving them); reviewer (reviews mappings). Reading is public and needs no account.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace regcat {

class Store;

inline constexpr const char* kRoles[] = {"admin", "curator", "editor", "reviewer"};
bool isValidRole(const std::string& s);

struct User {
  int64_t id = 0;
  std::string name, display_name, role;
  std::vector<std::string> registers;  // an editor's scope
  bool disabled = false;
  std::string created_at;
};

struct ApiToken {
  int64_t id = 0;
  std::string user, label, prefix, created_at, expires_at, revoked_at, last_used_at;
};

// Who is making a request, once authenticated.
struct Principal {
  std::string name, role;
  std::vector<std::string> registers;
  std::string via;   // token, session, proxy, admin-token
  std::string csrf;  // the session's CSRF token (via == session)

  bool isAdmin() const { return role == "admin"; }
  bool edits(const std::string& registerId) const;  // admin, or an editor with it in scope
};

struct Session {
  std::string id;  // the cookie value (shown once)
  std::string csrf;
  std::string expires_at;
};

class Users {
 public:
  explicit Users(Store& store);

  std::vector<User> list();
  std::optional<User> get(const std::string& name);
  // Names are 1-64 characters of letters, digits, '.', '_', '-', '@'. Passwords need at least
  // 12 characters. An editor needs at least one register, which must exist.
  User add(const std::string& name, const std::string& role,
           const std::vector<std::string>& registers, const std::string& password,
           const std::string& displayName = {});
  void setPassword(const std::string& name, const std::string& password);
  User setRole(const std::string& name, const std::string& role,
               const std::vector<std::string>& registers);
  void setDisabled(const std::string& name, bool disabled);

  // A new API token for the user, returned once; expiresInDays 0 = no expiry.
  std::string createToken(const std::string& name, int expiresInDays, const std::string& label,
                          ApiToken* info = nullptr);
  std::vector<ApiToken> tokens(const std::string& name = {});
  void revokeToken(int64_t id);

  // nullopt when the token is unknown, revoked, expired, or its user disabled.
  std::optional<Principal> authenticateToken(const std::string& token);
  // Checks the password (in constant time per account, with the same work when the user does
  // not exist); nullopt on any failure.
  std::optional<Principal> checkPassword(const std::string& name, const std::string& password);
  Session createSession(const std::string& name, int hours = 12);
  std::optional<Principal> authenticateSession(const std::string& sessionId);
  void endSession(const std::string& sessionId);
  // A user named by a trusted reverse proxy; nullopt when unknown or disabled.
  std::optional<Principal> principalFor(const std::string& name);

 private:
  Store& store_;
};

}  // namespace regcat
