// `foresight demo`: runs scripts/demo (the test API server, a real Prometheus fed by a
// trace-replaying load generator, and this binary's `operator` subcommand, all on
// 127.0.0.1) and prints the autoscaler's decisions as they happen. The orchestration is a
// script so that the end-to-end tests (tests/e2e/) reuse it; this command only finds it
// and replaces itself with it.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace foresight::cli {
namespace {

namespace fs = std::filesystem;

struct DemoArgs {
  int duration = 180;
  bool keep_going = false;
  bool keep_logs = false;
};

// The source tree the binary belongs to: $FORESIGHT_HOME, else the parent of the
// binary's directory (build/foresight -> .), else the current directory.
std::vector<fs::path> CandidateHomes() {
  std::vector<fs::path> homes;
  if (const char* home = std::getenv("FORESIGHT_HOME"); home && *home) homes.emplace_back(home);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    homes.push_back(exe.parent_path().parent_path());
    homes.push_back(exe.parent_path());
  }
  homes.push_back(fs::current_path(ec));
  return homes;
}

int RunDemo(const DemoArgs& args) {
  std::error_code ec;
  for (const fs::path& home : CandidateHomes()) {
    const fs::path script = home / "scripts" / "demo";
    if (!fs::exists(script, ec)) continue;
    const std::string home_str = fs::canonical(home, ec).string();
    ::setenv("FORESIGHT_HOME", home_str.c_str(), 1);
    if (std::getenv("FORESIGHT_BIN") == nullptr) {
      const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
      if (!ec) ::setenv("FORESIGHT_BIN", exe.c_str(), 1);
    }
    std::vector<std::string> argv = {script.string(), "--duration", std::to_string(args.duration)};
    if (args.keep_going) argv.push_back("--keep-going");
    if (args.keep_logs) argv.push_back("--keep-logs");
    std::vector<char*> cargv;
    for (std::string& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    std::cout.flush();
    ::execv(cargv[0], cargv.data());
    std::cerr << "foresight demo: cannot run " << script << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  std::cerr << "foresight demo: scripts/demo not found; set FORESIGHT_HOME to the source tree\n";
  return 2;
}

}  // namespace

void AddDemoCommand(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Run the whole product on this machine, no cluster: a test API server, Prometheus\n"
      "replaying a real trace 300x faster, and the operator; prints each decision.");
  cmd->add_option("--duration", args->duration, "Seconds to run once the operator is up")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--keep-going", args->keep_going, "Run until Ctrl-C instead");
  cmd->add_flag("--keep-logs", args->keep_logs, "Keep the temp dir with every process's log");
  cmd->callback([args] {
    const int rc = RunDemo(*args);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace foresight::cli
