// Test support: temporary directories, free local ports, child processes with
// bounded waits, and running a command to completion. Every process a test
// starts is stopped by its owner's destructor.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace foresight::op::testsupport {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read, close).
int FreeLocalPort();

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);

// A child process started with posix_spawn; stdout and stderr go to `log`.
// The destructor stops it: SIGTERM, then SIGKILL after a bounded wait.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& log);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }
  bool Running();
  // Sends `signal` (e.g. SIGSTOP / SIGCONT to simulate a hung server); for
  // SIGSTOP, returns once the process has stopped (bounded wait).
  void Signal(int signal);
  pid_t pid() const { return pid_; }
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns true if it was running.
  bool Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// Runs a command to completion (bounded by `timeout`, then killed); returns
// its exit code (-1 when it could not run or timed out), output into *output.
int RunCommand(const std::vector<std::string>& argv, std::string* output,
               std::chrono::milliseconds timeout = std::chrono::seconds(60),
               const std::string& stdin_data = "");

}  // namespace foresight::op::testsupport
