// `foresight forecast`: forecast every series of a CSV file.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/input_file.h"
#include "cli/output_file.h"
#include "cli/parallel_for.h"
#include "cli/series_csv.h"
#include "forecasting/engine.h"

namespace foresight::cli {
namespace {

// A forecast's cost and memory grow with its steps; a week of minutes is 10080 of them.
constexpr int kMaxHorizon = 1'000'000;

struct ForecastArgs {
  std::string input;
  std::string output;
  int horizon = 0;
  std::vector<int> seasons;
  std::string model = "auto";
  std::vector<double> levels{80, 95};
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
};

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

int RunForecast(const ForecastArgs& args) {
  if (!args.output.empty()) {
    // Checked before the forecasts, which take minutes on many long series.
    if (SameFile(args.output, args.input)) {
      std::cerr << "foresight forecast: --output " << args.output
                << " is also the --input file: write the forecasts elsewhere\n";
      return 2;
    }
    if (const std::string why = CheckOutputFile(args.output); !why.empty()) {
      std::cerr << "foresight forecast: cannot write --output " << args.output << ": " << why
                << "\n";
      return 2;
    }
  }
  std::ifstream file;
  if (const std::string why = OpenInputFile(args.input, file); !why.empty()) {
    std::cerr << "foresight forecast: cannot read --input " << args.input << ": " << why << "\n";
    return 2;
  }
  SeriesCsvResult input = ReadSeriesCsv(file);
  if (!input.error.empty()) {
    std::cerr << "foresight forecast: " << args.input << ": " << input.error << "\n";
    return 2;
  }

  forecasting::ForecastOptions options;
  options.horizon = args.horizon;
  options.seasonal_periods = args.seasons;
  options.model = args.model;

  std::vector<std::string> blocks(input.series.size());
  std::vector<std::string> errors(input.series.size());
  ParallelFor(input.series.size(), args.threads, [&](size_t i) {
    const InputSeries& s = input.series[i];
    forecasting::ForecastOptions series_options = options;
    // t spaced more than 1 apart can only be seconds: seasonality detection
    // then prefers the periods of that resolution (a day, a week).
    if (s.step > 1) series_options.sampling_interval = std::chrono::seconds(s.step);
    auto forecast = forecasting::ForecastSeries(s.values, series_options);
    if (!forecast.ok()) {
      errors[i] = "series '" + s.id + "': " + forecast.error();
      return;
    }
    std::ostringstream out;
    for (int h = 0; h < args.horizon; ++h) {
      out << s.id << ',' << h + 1 << ',' << FormatNumber(forecast->distribution.Mean(h));
      for (double level : args.levels) {
        forecasting::Interval band = forecast->distribution.At(h, level / 100.0);
        out << ',' << FormatNumber(band.lower) << ',' << FormatNumber(band.upper);
      }
      out << ',' << forecast->model << '\n';
    }
    blocks[i] = out.str();
    for (const std::string& note : forecast->notes)
      errors[i] += "series '" + s.id + "': " + note + "\n";
  });

  std::ostringstream out;
  out << "series,step,mean";
  for (double level : args.levels)
    out << ",lo" << FormatNumber(level) << ",hi" << FormatNumber(level);
  out << ",model\n";
  int failed = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    out << blocks[i];
    if (blocks[i].empty()) ++failed;
    if (!errors[i].empty()) std::cerr << errors[i] << (blocks[i].empty() ? "\n" : "");
  }
  if (args.output.empty()) {
    std::cout << out.str() << std::flush;
    if (!std::cout) {
      std::cerr << "foresight forecast: cannot write the forecasts to standard output\n";
      return 2;
    }
  } else if (const std::string why = WriteOutputFile(args.output, out.str()); !why.empty()) {
    std::cerr << "foresight forecast: cannot write --output " << args.output << ": " << why << "\n";
    return 2;
  }
  return failed > 0 ? 1 : 0;
}

}  // namespace

void AddForecastCommand(CLI::App& app) {
  auto args = std::make_shared<ForecastArgs>();
  std::string models;
  for (const std::string& m : forecasting::ModelNames()) models += (models.empty() ? "" : "|") + m;
  CLI::App* cmd = app.add_subcommand(
      "forecast",
      "Forecast every series of a CSV file.\n"
      "Input: header series,t,value; rows grouped by series and ordered by t (a step number or\n"
      "unix seconds; missing steps and empty values are treated as gaps). Without --season,\n"
      "seasonal periods are detected; when t is in seconds, daily and weekly cycles are "
      "preferred.\n"
      "Output: series,step,mean,lo80,hi80,lo95,hi95,model (one lo/hi pair per --level).\n"
      "Notes about repairs and fallbacks go to standard error.");
  cmd->footer(
      "Exit status: 0 when every series was forecast; 1 when some could not be (the others are\n"
      "written, the reasons are on standard error); 2 for bad input, a bad flag or an output\n"
      "that cannot be written (no partial --output file is left); 70 for an internal error.");
  cmd->add_option("--input", args->input, "CSV file with columns series,t,value")->required();
  cmd->add_option("--horizon", args->horizon, "Steps to forecast")
      ->required()
      ->check(CLI::Range(1, kMaxHorizon));
  cmd->add_option("--season", args->seasons,
                  "Seasonal periods in steps, e.g. 24 or 1440,10080 (default: detect)")
      ->delimiter(',')
      ->check(CLI::Range(1, std::numeric_limits<int>::max()));
  cmd->add_option("--model", args->model, "Model: " + models + " (default auto)")
      ->check(CLI::IsMember(forecasting::ModelNames()));
  cmd->add_option("--level", args->levels, "Prediction interval levels in percent (default 80,95)")
      ->delimiter(',')
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--output", args->output, "Output CSV file (default: standard output)");
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 256u));
  cmd->callback([args] {
    for (size_t i = 0; i < args->levels.size(); ++i) {
      const double l = args->levels[i];
      if (l <= 0.0 || l >= 100.0)
        throw CLI::ValidationError("--level", "levels must be in (0, 100)");
      // A repeated level would repeat its output columns under the same names.
      if (std::find(args->levels.begin(), args->levels.begin() + i, l) != args->levels.begin() + i)
        throw CLI::ValidationError(
            "--level", "level " + FormatNumber(l) + " is given twice: give each level once");
    }
    int rc = RunForecast(*args);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace foresight::cli
