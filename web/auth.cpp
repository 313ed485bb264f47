// Authentication (API tokens, session cookies with CSRF protection, a trusted proxy header, the
// bootstrap admin token), the authorisation rules of every write, per-client rate limits, and
// the /api/session and /api/users resources.
#include <sodium.h>

#include "catalog/store.h"
#include "catalog/text.h"
#include "catalog/users.h"
#include "web/api.h"
#include "web/api_util.h"
#include "web/rate_limiter.h"

namespace regcat::web {

namespace {

constexpr const char* kSessionCookie = "regcat_session";

std::string cookie(const Request& req, const std::string& name) {
  const std::string all = req.header("cookie");
  size_t i = 0;
  while (i < all.size()) {
    while (i < all.size() && (all[i] == ' ' || all[i] == ';')) ++i;
    size_t eq = all.find('=', i), end = all.find(';', i);
    if (end == std::string::npos) end = all.size();
    if (eq != std::string::npos && eq < end && all.compare(i, eq - i, name) == 0)
      return all.substr(eq + 1, end - eq - 1);
    i = end + 1;
  }
  return {};
}

bool equalSecrets(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool changesState(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

void writePrincipal(JsonWriter& w, const Principal& p) {
  w.Key("name");
  writeString(w, p.name);
  w.Key("role");
  writeString(w, p.role);
  w.Key("registers");
  w.StartArray();
  for (const auto& r : p.registers) writeString(w, r);
  w.EndArray();
  w.Key("via");
  writeString(w, p.via);
}

Error forbidden(const std::string& why) {
  return Error(Error::Kind::Forbidden, "", why);
}

}  // namespace

bool Api::rateLimited(const std::string& bucket, const std::string& peer, int perMinute) {
  return !limiter_->allow(bucket, peer, perMinute);
}

std::optional<Principal> Api::authenticate(const Request& req) const {
  const std::string auth = req.header("authorization");
  if (!auth.empty()) {
    const std::string prefix = "bearer ";  // the scheme name is case-insensitive (RFC 7235)
    if (auth.size() <= prefix.size() || text::fold(auth.substr(0, prefix.size())) != prefix)
      throw Error(Error::Kind::Unauthorized, "Authorization",
                  "use 'Authorization: Bearer TOKEN' with an API token");
    const std::string token = auth.substr(prefix.size());
    if (!opt_.admin_token.empty() && equalSecrets(token, opt_.admin_token))
      return Principal{"admin", "admin", {}, "admin-token", {}};
    if (auto p = users_->authenticateToken(token)) return p;
    throw Error(Error::Kind::Unauthorized, "Authorization",
                "the token is not valid (unknown, revoked or expired)");
  }
  if (const std::string sid = cookie(req, kSessionCookie); !sid.empty()) {
    auto p = users_->authenticateSession(sid);
    if (!p) throw Error(Error::Kind::Unauthorized, "Cookie", "the session has ended; log in again");
    // The cookie travels with any request the browser makes, also ones another site triggers;
    // a write must also carry the session's CSRF token, which only our pages can read.
    if (changesState(req.method) && !equalSecrets(req.header("x-csrf-token"), p->csrf))
      throw Error(Error::Kind::Forbidden, "X-CSRF-Token",
                  "a write with a session cookie needs the session's X-CSRF-Token header");
    return p;
  }
  if (!opt_.trusted_user_header.empty()) {
    const std::string name = req.header(text::fold(opt_.trusted_user_header));
    if (!name.empty()) {
      if (auto p = users_->principalFor(name)) return p;
      throw Error(Error::Kind::Unauthorized, opt_.trusted_user_header,
                  "the proxy names '" + name + "', who has no enabled account here");
    }
  }
  return std::nullopt;
}

Principal Api::authorise(const Request& req, Permission perm, const std::string& registerId) {
  auto p = authenticate(req);
  if (!p)
    throw Error(Error::Kind::Unauthorized, "Authorization",
                "this request changes the catalogue: log in, or send 'Authorization: Bearer "
                "TOKEN'");
  if (rateLimited("write", req.peer, opt_.write_rate))
    throw Error(Error::Kind::TooMany, "", "too many writes from this client; wait a minute");
  const std::string& role = p->role;
  const bool admin = role == "admin";
  bool ok = false;
  std::string need;
  switch (perm) {
    case Permission::EditRegister:
      ok = p->edits(registerId);
      need = "an admin, or an editor of register '" + registerId + "'";
      break;
    case Permission::ManageRegisters:
    case Permission::Administer:
      ok = admin;
      need = "an admin";
      break;
    case Permission::CurateMappings:
      ok = admin || role == "curator" || (!registerId.empty() && p->edits(registerId));
      need = "an admin, a curator" +
             (registerId.empty() ? std::string() : ", or an editor of '" + registerId + "'");
      break;
    case Permission::ReviewMappings:
      ok = admin || role == "curator" || role == "reviewer";
      need = "an admin, a curator or a reviewer";
      break;
    case Permission::EditPlans:
      ok = admin || role == "curator" || (!registerId.empty() && p->edits(registerId));
      need = "an admin, a curator" +
             (registerId.empty() ? std::string() : ", or an editor of '" + registerId + "'");
      break;
    case Permission::DecidePlans:
      ok = admin || role == "curator";
      need = "an admin or a curator";
      break;
  }
  if (!ok) throw forbidden(p->name + " (" + role + ") may not do this; it takes " + need);
  return *p;
}

Response Api::session(const Request& req) {
  if (req.method == "POST") {
    if (rateLimited("login", req.peer, opt_.login_rate))
      return error(429, "too_many_requests", "too many login attempts; wait a minute");
    auto doc = body(req);
    json::ObjectReader r(doc, "");
    const std::string name = r.str("name", true), password = r.str("password", true);
    r.finish();
    auto p = users_->checkPassword(name, password);
    if (!p) throw Error(Error::Kind::Unauthorized, "", "wrong name or password");
    const Session s = users_->createSession(name);
    Response resp = json(200, write([&](JsonWriter& w) {
                           w.StartObject();
                           writePrincipal(w, *p);
                           w.Key("csrf_token");
                           writeString(w, s.csrf);
                           w.Key("expires_at");
                           writeString(w, s.expires_at);
                           w.EndObject();
                         }));
    resp.headers.push_back({"Set-Cookie", std::string(kSessionCookie) + "=" + s.id +
                                              "; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200" +
                                              (opt_.secure_cookies ? "; Secure" : "")});
    return resp;
  }
  if (req.method == "GET" || req.method == "HEAD") {
    auto p = authenticate(req);
    if (!p) throw Error(Error::Kind::Unauthorized, "", "not logged in");
    return json(200, write([&](JsonWriter& w) {
                  w.StartObject();
                  writePrincipal(w, *p);
                  if (p->via == "session") {
                    w.Key("csrf_token");
                    writeString(w, p->csrf);
                  }
                  w.EndObject();
                }));
  }
  if (req.method == "DELETE") {
    auto p = authenticate(req);  // checks the CSRF token of a session
    if (const std::string sid = cookie(req, kSessionCookie); !sid.empty() && p)
      users_->endSession(sid);
    Response r;
    r.status = 204;
    r.content_type.clear();
    r.headers.push_back({"Set-Cookie", std::string(kSessionCookie) +
                                           "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"});
    return r;
  }
  return methodNotAllowed("GET, HEAD, POST, DELETE");
}

Response Api::users(const Request& req) {
  // Account management is the CLI's job (regcat user ...); the API lists accounts for admins.
  if (req.method != "GET" && req.method != "HEAD") return methodNotAllowed("GET, HEAD");
  authorise(req, Permission::Administer);
  const auto list = users_->list();
  return json(200, write([&](JsonWriter& w) {
                w.StartObject();
                w.Key("users");
                w.StartArray();
                for (const auto& u : list) {
                  w.StartObject();
                  w.Key("name");
                  writeString(w, u.name);
                  w.Key("display_name");
                  writeString(w, u.display_name);
                  w.Key("role");
                  writeString(w, u.role);
                  w.Key("registers");
                  w.StartArray();
                  for (const auto& r : u.registers) writeString(w, r);
                  w.EndArray();
                  w.Key("disabled");
                  w.Bool(u.disabled);
                  w.EndObject();
                }
                w.EndArray();
                w.EndObject();
              }));
}

}  // namespace regcat::web
