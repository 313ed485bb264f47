// `regcat serve` as a child process, for the tests that need a real process boundary: signals
// (SIGTERM, SIGKILL) and a database reopened by a new process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace regcat::test {

// A loopback port that was free a moment ago.
uint16_t freePort();

// A child process that is always killed and reaped, however the test ends.
struct Child {
  pid_t pid = -1;
  int status = 0;
  bool reaped = false;

  Child() = default;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();
  bool running();
  // Waits up to `timeout` for the child to exit.
  bool waitExit(std::chrono::milliseconds timeout);
};

// Starts the test build's regcat binary with `args` (after "regcat"), standard output and
// error to `logFile`, the environment without REGCAT_ADMIN_TOKEN plus `env` ("NAME=value").
void spawnRegcat(Child& child, const std::vector<std::string>& args, const std::string& logFile,
                 const std::vector<std::string>& env = {});

// Polls GET /healthz until it answers or the child exits or `timeout` passes.
bool waitUntilServing(Child& child, uint16_t port,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace regcat::test
