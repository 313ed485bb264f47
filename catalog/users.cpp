#include "catalog/users.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/text.h"

namespace regcat {
namespace {

std::string col(SQLite::Statement& s, int i) {
  auto c = s.getColumn(i);
  return c.isNull() ? std::string() : c.getString();
}

void initSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

// A random 256-bit secret, URL-safe base64 without padding, with a readable prefix.
std::string randomSecret(const char* prefix) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(prefix) + b64;
}

std::string sha256(const std::string& s) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

std::string hashPassword(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw Error(Error::Kind::Internal, "password", "out of memory while hashing");
  return out;
}

bool validName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@';
  });
}

void checkPasswordPolicy(const std::string& p) {
  if (!text::isValidUtf8(p)) throw invalid("password", "is not valid UTF-8");
  if (p.size() < 12) throw invalid("password", "needs at least 12 characters");
  if (p.size() > 1024) throw invalid("password", "is longer than 1024 bytes");
}

std::vector<std::string> loadScope(SQLite::Database& db, int64_t userId) {
  std::vector<std::string> out;
  SQLite::Statement s(db,
                      "SELECT register_id FROM user_register WHERE user_id = ? ORDER BY "
                      "register_id");
  s.bind(1, static_cast<int64_t>(userId));
  while (s.executeStep()) out.push_back(col(s, 0));
  return out;
}

std::optional<User> loadUser(SQLite::Database& db, const std::string& name) {
  SQLite::Statement s(db,
                      "SELECT id, name, display_name, role, disabled, created_at FROM app_user "
                      "WHERE name = ?");
  s.bind(1, name);
  if (!s.executeStep()) return std::nullopt;
  User u;
  u.id = s.getColumn(0).getInt64();
  u.name = col(s, 1);
  u.display_name = col(s, 2);
  u.role = col(s, 3);
  u.disabled = s.getColumn(4).getInt() != 0;
  u.created_at = col(s, 5);
  u.registers = loadScope(db, u.id);
  return u;
}

User mustLoad(SQLite::Database& db, const std::string& name) {
  auto u = loadUser(db, name);
  if (!u) throw notFound("name", "no user '" + name + "'");
  return *u;
}

void saveScope(SQLite::Database& db, int64_t userId, const std::string& role,
               const std::vector<std::string>& registers) {
  if (role == "editor" && registers.empty())
    throw invalid("register", "an editor needs at least one register in scope");
  if (role != "editor" && !registers.empty())
    throw invalid("register", "only editors are scoped to registers");
  SQLite::Statement d(db, "DELETE FROM user_register WHERE user_id = ?");
  d.bind(1, static_cast<int64_t>(userId));
  d.exec();
  for (const auto& r : registers) {
    SQLite::Statement e(db, "SELECT 1 FROM register WHERE id = ?");
    e.bind(1, r);
    if (!e.executeStep()) throw invalid("register", "no register '" + r + "'");
    SQLite::Statement i(db,
                        "INSERT OR IGNORE INTO user_register (user_id, register_id) VALUES (?, ?)");
    i.bind(1, static_cast<int64_t>(userId));
    i.bind(2, r);
    i.exec();
  }
}

Principal principalOf(const User& u, const std::string& via) {
  return Principal{u.name, u.role, u.registers, via, {}};
}

}  // namespace

bool isValidRole(const std::string& s) {
  return std::find(std::begin(kRoles), std::end(kRoles), s) != std::end(kRoles);
}

bool Principal::edits(const std::string& registerId) const {
  if (role == "admin") return true;
  return role == "editor" &&
         std::find(registers.begin(), registers.end(), registerId) != registers.end();
}

Users::Users(Store& store) : store_(store) {
  initSodium();
}

std::vector<User> Users::list() {
  std::vector<User> out;
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement s(db, "SELECT name FROM app_user ORDER BY name");
    std::vector<std::string> names;
    while (s.executeStep()) names.push_back(col(s, 0));
    for (const auto& n : names) out.push_back(*loadUser(db, n));
  });
  return out;
}

std::optional<User> Users::get(const std::string& name) {
  std::optional<User> u;
  store_.read([&](SQLite::Database& db) { u = loadUser(db, name); });
  return u;
}

User Users::add(const std::string& name, const std::string& role,
                const std::vector<std::string>& registers, const std::string& password,
                const std::string& displayName) {
  if (!validName(name))
    throw invalid("name", "'" + name + "' is not 1-64 letters, digits, '.', '_', '-' or '@'");
  if (!isValidRole(role))
    throw invalid("role", "'" + role + "' is not one of admin, curator, editor, reviewer");
  std::string hash;
  if (!password.empty()) {
    checkPasswordPolicy(password);
    hash = hashPassword(password);
  }
  User u;
  store_.write([&](SQLite::Database& db) {
    if (loadUser(db, name)) throw conflict("name", "user '" + name + "' exists");
    SQLite::Statement s(db,
                        "INSERT INTO app_user (name, display_name, role, password_hash, "
                        "created_at) VALUES (?, ?, ?, ?, ?)");
    s.bind(1, name);
    s.bind(2, text::nfc(displayName, "display_name"));
    s.bind(3, role);
    s.bind(4, hash);
    s.bind(5, text::now());
    s.exec();
    saveScope(db, db.getLastInsertRowid(), role, registers);
    u = mustLoad(db, name);
  });
  return u;
}

void Users::setPassword(const std::string& name, const std::string& password) {
  checkPasswordPolicy(password);
  const std::string hash = hashPassword(password);
  store_.write([&](SQLite::Database& db) {
    const User u = mustLoad(db, name);
    SQLite::Statement s(db, "UPDATE app_user SET password_hash = ? WHERE id = ?");
    s.bind(1, hash);
    s.bind(2, static_cast<int64_t>(u.id));
    s.exec();
    // A new password ends every session of the account.
    SQLite::Statement d(db, "DELETE FROM user_session WHERE user_id = ?");
    d.bind(1, static_cast<int64_t>(u.id));
    d.exec();
  });
}

User Users::setRole(const std::string& name, const std::string& role,
                    const std::vector<std::string>& registers) {
  if (!isValidRole(role))
    throw invalid("role", "'" + role + "' is not one of admin, curator, editor, reviewer");
  User u;
  store_.write([&](SQLite::Database& db) {
    u = mustLoad(db, name);
    SQLite::Statement s(db, "UPDATE app_user SET role = ? WHERE id = ?");
    s.bind(1, role);
    s.bind(2, static_cast<int64_t>(u.id));
    s.exec();
    saveScope(db, u.id, role, registers);
    u = mustLoad(db, name);
  });
  return u;
}

void Users::setDisabled(const std::string& name, bool disabled) {
  store_.write([&](SQLite::Database& db) {
    const User u = mustLoad(db, name);
    SQLite::Statement s(db, "UPDATE app_user SET disabled = ? WHERE id = ?");
    s.bind(1, disabled ? 1 : 0);
    s.bind(2, static_cast<int64_t>(u.id));
    s.exec();
    if (disabled) {
      SQLite::Statement d(db, "DELETE FROM user_session WHERE user_id = ?");
      d.bind(1, static_cast<int64_t>(u.id));
      d.exec();
    }
  });
}

std::string Users::createToken(const std::string& name, int expiresInDays, const std::string& label,
                               ApiToken* info) {
  if (expiresInDays < 0 || expiresInDays > 3650)
    throw invalid("expires", "must be between 0 (never) and 3650 days");
  const std::string token = randomSecret("rct_");
  store_.write([&](SQLite::Database& db) {
    const User u = mustLoad(db, name);
    const std::string now = text::now();
    const std::string expires =
        expiresInDays ? text::addDays(text::today(), expiresInDays) + now.substr(10) : "";
    SQLite::Statement s(db,
                        "INSERT INTO api_token (user_id, token_hash, prefix, label, created_at, "
                        "expires_at) VALUES (?, ?, ?, ?, ?, ?)");
    s.bind(1, static_cast<int64_t>(u.id));
    s.bind(2, sha256(token));
    s.bind(3, token.substr(0, 10));
    s.bind(4, label);
    s.bind(5, now);
    s.bind(6, expires);
    s.exec();
    if (info) {
      info->id = db.getLastInsertRowid();
      info->user = name;
      info->label = label;
      info->prefix = token.substr(0, 10);
      info->created_at = now;
      info->expires_at = expires;
    }
  });
  return token;
}

std::vector<ApiToken> Users::tokens(const std::string& name) {
  std::vector<ApiToken> out;
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement s(db,
                        "SELECT t.id, u.name, t.label, t.prefix, t.created_at, t.expires_at, "
                        "t.revoked_at, t.last_used_at FROM api_token t JOIN app_user u ON u.id "
                        "= t.user_id WHERE ? = '' OR u.name = ? ORDER BY t.id");
    s.bind(1, name);
    s.bind(2, name);
    while (s.executeStep())
      out.push_back({s.getColumn(0).getInt64(), col(s, 1), col(s, 2), col(s, 3), col(s, 4),
                     col(s, 5), col(s, 6), col(s, 7)});
  });
  return out;
}

void Users::revokeToken(int64_t id) {
  store_.write([&](SQLite::Database& db) {
    SQLite::Statement s(db, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at = ''");
    s.bind(1, text::now());
    s.bind(2, static_cast<int64_t>(id));
    if (s.exec() == 0) throw notFound("id", "no active token " + std::to_string(id));
  });
}

std::optional<Principal> Users::authenticateToken(const std::string& token) {
  if (token.rfind("rct_", 0) != 0 || token.size() > 128) return std::nullopt;
  const std::string hash = sha256(token);
  std::optional<Principal> p;
  int64_t tokenId = 0;
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement s(db,
                        "SELECT t.id, u.name, t.expires_at FROM api_token t JOIN app_user u ON "
                        "u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at = '' AND "
                        "u.disabled = 0");
    s.bind(1, hash);
    if (!s.executeStep()) return;
    const std::string expires = col(s, 2);
    if (!expires.empty() && expires <= text::now()) return;
    tokenId = s.getColumn(0).getInt64();
    const std::string name = col(s, 1);
    s.reset();
    if (auto u = loadUser(db, name)) p = principalOf(*u, "token");
  });
  if (p && tokenId) {
    // Last use is informational: a failure to record it must not refuse the request.
    try {
      store_.write([&](SQLite::Database& db) {
        SQLite::Statement s(db, "UPDATE api_token SET last_used_at = ? WHERE id = ?");
        s.bind(1, text::now());
        s.bind(2, static_cast<int64_t>(tokenId));
        s.exec();
      });
    } catch (const std::exception&) {
    }
  }
  return p;
}

std::optional<Principal> Users::checkPassword(const std::string& name,
                                              const std::string& password) {
  std::string hash;
  std::optional<User> u;
  store_.read([&](SQLite::Database& db) {
    u = loadUser(db, name);
    if (!u) return;
    SQLite::Statement s(db, "SELECT password_hash FROM app_user WHERE id = ?");
    s.bind(1, static_cast<int64_t>(u->id));
    if (s.executeStep()) hash = col(s, 0);
  });
  // Unknown users and accounts without a password cost the same hashing work, so that timing
  // does not tell which names exist.
  static const std::string dummy = hashPassword("regcat-dummy-password");
  const std::string& against = hash.empty() ? dummy : hash;
  const bool ok = crypto_pwhash_str_verify(against.c_str(), password.data(), password.size()) == 0;
  if (!ok || hash.empty() || !u || u->disabled) return std::nullopt;
  return principalOf(*u, "password");
}

Session Users::createSession(const std::string& name, int hours) {
  Session session;
  session.id = randomSecret("rcs_");
  session.csrf = randomSecret("");
  store_.write([&](SQLite::Database& db) {
    const User u = mustLoad(db, name);
    // Expiry is compared as text: the timestamp format is fixed (YYYY-MM-DDTHH:MM:SSZ).
    SQLite::Statement e(db, "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)");
    e.bind(1, "+" + std::to_string(hours) + " hours");
    e.executeStep();
    session.expires_at = col(e, 0);
    e.reset();
    SQLite::Statement s(db,
                        "INSERT INTO user_session (id_hash, user_id, csrf, created_at, "
                        "expires_at) VALUES (?, ?, ?, ?, ?)");
    s.bind(1, sha256(session.id));
    s.bind(2, static_cast<int64_t>(u.id));
    s.bind(3, session.csrf);
    s.bind(4, text::now());
    s.bind(5, session.expires_at);
    s.exec();
    SQLite::Statement old(db, "DELETE FROM user_session WHERE expires_at <= ?");
    old.bind(1, text::now());
    old.exec();
  });
  return session;
}

std::optional<Principal> Users::authenticateSession(const std::string& sessionId) {
  if (sessionId.rfind("rcs_", 0) != 0 || sessionId.size() > 128) return std::nullopt;
  std::optional<Principal> p;
  store_.read([&](SQLite::Database& db) {
    SQLite::Statement s(db,
                        "SELECT u.name, s.csrf, s.expires_at FROM user_session s JOIN app_user u "
                        "ON u.id = s.user_id WHERE s.id_hash = ? AND u.disabled = 0");
    s.bind(1, sha256(sessionId));
    if (!s.executeStep() || col(s, 2) <= text::now()) return;
    const std::string name = col(s, 0), csrf = col(s, 1);
    s.reset();
    if (auto u = loadUser(db, name)) {
      p = principalOf(*u, "session");
      p->csrf = csrf;
    }
  });
  return p;
}

void Users::endSession(const std::string& sessionId) {
  store_.write([&](SQLite::Database& db) {
    SQLite::Statement s(db, "DELETE FROM user_session WHERE id_hash = ?");
    s.bind(1, sha256(sessionId));
    s.exec();
  });
}

std::optional<Principal> Users::principalFor(const std::string& name) {
  auto u = get(name);
  if (!u || u->disabled) return std::nullopt;
  return principalOf(*u, "proxy");
}

}  // namespace regcat
