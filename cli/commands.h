// Subcommands of the `foresight` binary. Each Add*Command registers its flags
// on the app and sets a callback that runs it; main() only wires them.
#pragma once

#include <CLI/CLI.hpp>

namespace foresight::cli {

void AddForecastCommand(CLI::App& app);
void AddBacktestCommand(CLI::App& app);
void AddOperatorCommand(CLI::App& app);
void AddDemoCommand(CLI::App& app);

}  // namespace foresight::cli
