// Settings of `regcat serve`, from (lowest precedence first) built-in defaults, a configuration
// file, REGCAT_* environment variables and the command line — the usual order for a service
// run by systemd (file in /etc/regcat, overrides in the unit's Environment=, a flag to try
// something once). docs/operations.md lists every key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "cli/args.h"

namespace regcat::cli {

struct ServeSettings {
  std::string db = "regcat.db";
  std::string address = "0.0.0.0";
  uint16_t port = 8080;
  std::string base_uri = "http://localhost:8080";
  int threads = 4;
  size_t max_body = 20u << 20;
  std::string trusted_user_header;
  bool demo = true;           // load the demo catalogue into an empty database
  bool log_requests = false;  // one JSON line per request on standard error
  int write_rate = 600;       // writes per minute per client address
  int login_rate = 10;        // login attempts per minute per client address
  // Slow clients and header limits (docs/operations.md, Limits).
  int header_timeout_ms = 10000, body_timeout_ms = 60000, keepalive_timeout_ms = 60000;
  int send_timeout_ms = 60000;
  int max_headers = 100, max_header_bytes = 32 << 10;
  // Where each value came from ("default", "FILE:LINE", "REGCAT_PORT", "--port"), for the
  // start-up log line and for error messages.
  std::map<std::string, std::string> source;
};

// Resolves the settings: --config FILE (or REGCAT_CONFIG) names the file, whose lines are
// `key = value` with '#' comments; keys are db, address, port, base_uri, threads, max_body,
// trusted_user_header, demo, log_requests, write_rate, login_rate, header_timeout_ms,
// body_timeout_ms, keepalive_timeout_ms, send_timeout_ms, max_headers, max_header_bytes. The
// environment variables are REGCAT_ and the key in capitals (REGCAT_DB, REGCAT_PORT, ...). An
// unknown key or a bad value is a UsageError naming the file and line, the variable or the
// option.
ServeSettings resolveServeSettings(const Args& a);

}  // namespace regcat::cli
