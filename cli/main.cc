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
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a subcommand's own status; it has said why
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0. A flag CLI11 refuses (unknown, missing, out of range) is bad
    // input like any other and exits 2, as the subcommands do, not CLI11's own 105-115.
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::cerr << "foresight: unexpected error: " << e.what() << "\n";
    return 70;
  }
  return 0;
}
