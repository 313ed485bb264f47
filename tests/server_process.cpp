#include "server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>

#include "test_support.h"

extern char** environ;

namespace regcat::test {

uint16_t freePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) throw std::runtime_error("no free loopback port");
  return ntohs(addr.sin_port);
}

Child::~Child() {
  if (pid > 0 && !reaped) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
}

bool Child::running() {
  if (reaped || pid <= 0) return false;
  if (waitpid(pid, &status, WNOHANG) == pid) reaped = true;
  return !reaped;
}

bool Child::waitExit(std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void spawnRegcat(Child& child, const std::vector<std::string>& args, const std::string& logFile,
                 const std::vector<std::string>& env) {
  // Everything the child needs is prepared before fork().
  std::vector<std::string> all = {"regcat"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> extra = env;
  std::vector<char*> envp;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "REGCAT_ADMIN_TOKEN=", 19) != 0) envp.push_back(*e);
  for (auto& e : extra) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string binary = REGCAT_BINARY;

  child.reaped = false;
  child.pid = fork();
  if (child.pid < 0) throw std::runtime_error("fork() failed");
  if (child.pid == 0) {
    const int fd = open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
}

bool waitUntilServing(Child& child, uint16_t port, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!child.running()) return false;
    try {
      if (http(port, "GET", "/healthz").status == 200) return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

}  // namespace regcat::test
