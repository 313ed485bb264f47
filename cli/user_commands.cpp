// regcat user ...: local accounts, roles and API tokens. Whoever can run this command on the
// database file is trusted as its administrator, as with `sqlite3` on the same file.
#include <unistd.h>

#include <charconv>
#include <iostream>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "catalog/users.h"
#include "cli/args.h"
#include "cli/commands.h"

namespace regcat::cli {
namespace {

const char* kUserHelp = R"(Usage: regcat user COMMAND [--db FILE] ...

  add NAME --role ROLE [--register ID ...] [--password-stdin] [--display-name TEXT]
                          create an account; an editor is scoped to one or more registers
                          (--register a,b or repeated). Without --password-stdin the account
                          has no password and is used through API tokens or the proxy header.
  passwd NAME [--password-stdin]   set the password (read from standard input; without the
                          option it is asked for on the terminal); ends the user's sessions
  role NAME ROLE [--register ID ...]   change the role and scope
  disable NAME | enable NAME
  token NAME [--expires DAYS] [--label TEXT]
                          print a new API token on standard output (shown only now; it is
                          stored hashed). Use it as 'Authorization: Bearer TOKEN'.
  tokens [NAME]           list tokens (prefix, expiry, last use; never the token)
  revoke TOKEN-ID         revoke a token
  list                    list accounts

Roles: admin, curator (mappings and reviews, linkage plans), editor (its registers' metadata,
imports and mappings), reviewer (approves or rejects mappings). Passwords need 12 characters.
)";

std::string readPassword(const Args& a) {
  std::string password;
  if (a.has("password-stdin")) {
    std::getline(std::cin, password);
  } else if (isatty(0)) {
    // getpass is obsolete but the only terminal prompt without echo in the C library.
    const char* p = getpass("Password: ");
    password = p ? p : "";
  } else {
    throw UsageError("give the password on standard input with --password-stdin");
  }
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n'))
    password.pop_back();
  return password;
}

std::vector<std::string> registers(const Args& a) {
  std::vector<std::string> out;
  const std::string all = a.get("register");
  size_t i = 0;
  while (i <= all.size() && !all.empty()) {
    size_t j = all.find(',', i);
    if (j == std::string::npos) j = all.size();
    if (j > i) out.push_back(all.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

void print(const User& u) {
  std::cout << u.name << "  " << u.role;
  if (!u.registers.empty()) {
    std::cout << " [";
    for (size_t i = 0; i < u.registers.size(); ++i) std::cout << (i ? ", " : "") << u.registers[i];
    std::cout << "]";
  }
  if (u.disabled) std::cout << "  (disabled)";
  if (!u.display_name.empty()) std::cout << "  " << u.display_name;
  std::cout << "\n";
}

}  // namespace

int cmdUser(const std::vector<std::string>& argv) {
  // --register may repeat: collect every occurrence into one comma-separated value.
  std::vector<std::string> args;
  std::string regs;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--register" && i + 1 < argv.size()) {
      regs += (regs.empty() ? "" : ",") + argv[++i];
      continue;
    }
    args.push_back(argv[i]);
  }
  if (!regs.empty()) {
    args.push_back("--register");
    args.push_back(regs);
  }
  Args a = parse(args, {"password-stdin"},
                 {"db", "role", "register", "expires", "label", "display-name"});
  if (a.has("help") || a.positional.empty()) {
    std::cout << kUserHelp;
    return a.has("help") ? 0 : 2;
  }
  const std::string sub = a.positional[0];
  Store store(dbPath(a));
  Users users(store);
  auto name = [&] {
    if (a.positional.size() < 2) throw UsageError("expected a user name");
    return a.positional[1];
  };
  if (sub == "list") {
    for (const auto& u : users.list()) print(u);
    return 0;
  }
  if (sub == "add") {
    if (!a.has("role")) throw UsageError("--role ROLE is required");
    const std::string password = a.has("password-stdin") ? readPassword(a) : std::string();
    print(users.add(name(), a.get("role"), registers(a), password, a.get("display-name")));
    return 0;
  }
  if (sub == "passwd") {
    users.setPassword(name(), readPassword(a));
    std::cout << "password changed for " << name() << "\n";
    return 0;
  }
  if (sub == "role") {
    if (a.positional.size() != 3) throw UsageError("expected 'regcat user role NAME ROLE'");
    print(users.setRole(a.positional[1], a.positional[2], registers(a)));
    return 0;
  }
  if (sub == "disable" || sub == "enable") {
    users.setDisabled(name(), sub == "disable");
    std::cout << name() << " " << sub << "d\n";
    return 0;
  }
  if (sub == "token") {
    int days = 0;
    const std::string e = a.get("expires", "0");
    auto [end, ec] = std::from_chars(e.data(), e.data() + e.size(), days);
    if (ec != std::errc() || end != e.data() + e.size())
      throw UsageError("--expires takes a number of days");
    ApiToken info;
    const std::string token = users.createToken(name(), days, a.get("label"), &info);
    std::cout << token << "\n";
    std::cerr << "token " << info.id << " for " << info.user
              << (info.expires_at.empty() ? ", no expiry" : ", expires " + info.expires_at)
              << "; it is shown only now\n";
    return 0;
  }
  if (sub == "tokens") {
    for (const auto& t : users.tokens(a.positional.size() > 1 ? a.positional[1] : "")) {
      std::cout << t.id << "  " << t.user << "  " << t.prefix << "…  created " << t.created_at
                << (t.expires_at.empty() ? "" : "  expires " + t.expires_at)
                << (t.revoked_at.empty() ? "" : "  revoked " + t.revoked_at)
                << (t.last_used_at.empty() ? "" : "  last used " + t.last_used_at)
                << (t.label.empty() ? "" : "  " + t.label) << "\n";
    }
    return 0;
  }
  if (sub == "revoke") {
    if (a.positional.size() != 2) throw UsageError("expected 'regcat user revoke TOKEN-ID'");
    int64_t id = 0;
    const std::string& s = a.positional[1];
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec != std::errc() || end != s.data() + s.size()) throw UsageError("not a token id");
    users.revokeToken(id);
    std::cout << "revoked token " << id << "\n";
    return 0;
  }
  throw UsageError("unknown user command '" + sub + "'");
}

}  // namespace regcat::cli
