// foresight: predictive autoscaler for Kubernetes. main() only wires the
// subcommands; each lives in its own file under cli/.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "Foresight scales Kubernetes workloads ahead of their load: it forecasts demand over\n"
      "the pods' start-up time and sets replicas before the load arrives."};
  app.set_version_flag("--version", "foresight 0.1.0");
  app.require_subcommand(1);
  foresight::cli::AddForecastCommand(app);
  foresight::cli::AddBacktestCommand(app);
  foresight::cli::AddOperatorCommand(app);
  foresight::cli::AddDemoCommand(app);
  // The subcommands report bad input themselves and return; this is the last guard for what
  // none of them expected (out of memory, a library's exception), so that it ends as one line
  // on stderr and exit code 70 (EX_SOFTWARE), not as std::terminate's abort and core dump.
  try {
    CLI11_PARSE(app, argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "foresight: unexpected error: " << e.what() << "\n";
    return 70;
  }
  return 0;
}
