#include "cli/commands.h"

namespace foresight::cli {

void AddForecastCommand(CLI::App& app) {
  app.add_subcommand("forecast", "Forecast every series of a CSV file");
}

}  // namespace foresight::cli
