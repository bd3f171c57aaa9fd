// foresight: predictive autoscaler for Kubernetes. main() only wires the
// subcommands; each lives in its own file under cli/.
#include <CLI/CLI.hpp>

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
  CLI11_PARSE(app, argc, argv);
  return 0;
}
