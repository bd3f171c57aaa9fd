// m4_benchmark: accuracy and speed of Foresight's forecasters on the 414
// hourly series of the M4 competition, against M4's Naive2 and against R's
// auto.arima and ets (from the cache r_reference.R writes). See README.md.
//
// main() only wires: flags, data, the forecaster, the harness, the report.
// The real engine is linked here only, and only when forecasting/engine.cc
// exists (CMake defines FORESIGHT_HAVE_ENGINE); otherwise the benchmark runs
// its own seasonal naive so the harness can be built and tried.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "bench/m4/baselines.h"
#include "bench/m4/harness.h"
#include "bench/m4/m4_data.h"
#include "bench/m4/machine.h"
#include "bench/m4/model_spec.h"
#include "bench/m4/r_cache.h"
#include "bench/m4/report.h"
#include "bench/m4/score.h"

#ifdef FORESIGHT_HAVE_ENGINE
#include "forecasting/engine.h"
#endif

namespace {

namespace m4 = foresight::bench::m4;

constexpr int kHorizon = 48;      // M4's horizon for hourly data
constexpr int kPeriod = 24;       // daily cycle; also MASE's m and Naive2's period
constexpr int kSubsetStride = 6;  // R's subset: H1, H7, H13, ... (every 6th, 69 series)
constexpr int kTallyTop = 6;      // model names shown per forecaster
const char* const kBuiltin = "builtin-snaive";
// The shared data folder sits beside the repository (as in CI).
const char* const kDefaultData = "../shared/data/m4-hourly/Hourly-train.csv";

m4::Forecaster BuiltinSeasonalNaive() {
  return [](const std::vector<double>& history, int horizon) {
    return m4::ForecasterOutput{m4::SeasonalNaive(history, kPeriod, horizon), "SNAIVE[24]"};
  };
}

#ifdef FORESIGHT_HAVE_ENGINE
m4::Forecaster EngineForecaster(const m4::ModelSpec& spec) {
  return [spec](const std::vector<double>& history, int horizon) {
    foresight::forecasting::ForecastOptions options;
    options.horizon = horizon;
    options.seasonal_periods = spec.periods;
    options.model = spec.model;
    auto f = foresight::forecasting::ForecastSeries(history, options);
    if (!f.ok()) throw std::runtime_error(f.error());
    return m4::ForecasterOutput{f->distribution.mean(), f->model};
  };
}
constexpr bool kHaveEngine = true;
#else
m4::Forecaster EngineForecaster(const m4::ModelSpec&) { return nullptr; }
constexpr bool kHaveEngine = false;
#endif

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void WritePerSeries(const std::string& path, const std::vector<m4::Holdout>& data,
                    const std::vector<std::pair<std::string, const m4::MethodOutcomes*>>& methods) {
  std::ofstream out(path);
  out << "series,method,smape,mase,wall_seconds,cpu_seconds,model\n";
  for (const auto& [name, outcomes] : methods) {
    for (size_t i = 0; i < data.size(); ++i) {
      const m4::Outcome& o = (*outcomes)[i];
      if (!o.present) continue;
      out << data[i].id << ',' << name << ',' << o.smape << ',' << o.mase << ',' << o.wall_seconds
          << ',' << o.cpu_seconds << ",\"" << o.model << "\"\n";
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "M4-hourly forecasting benchmark: sMAPE, MASE, OWA and time per series,\n"
      "ours against Naive2 and R's auto.arima, ets and stlf."};
  std::string data_path = kDefaultData;
  std::string r_cache_dir;
  std::string models_flag = "auto,auto@24";
  std::string subset = "all";
  std::string per_series_path;
  int threads = 2;
  bool tuning_window = false;
  app.add_option("--data", data_path, "M4 hourly training CSV (wide)");
  app.add_option("--r-cache", r_cache_dir,
                 "folder with r_forecasts.csv and r_timings.csv (default: bench/m4/r_cache,\n"
                 "or bench/m4/r_cache_tuning with --tuning-window)");
  app.add_option(
      "--models", models_flag,
      "comma-separated: auto,ets,arima,theta,mstl,snaive,naive (engine) or " +
          std::string(kBuiltin) +
          ";\n"
          "an engine model detects each series' seasons, as `foresight forecast` does\n"
          "without --season; MODEL@24 gives it the season (R's frequency), MODEL@24+168\n"
          "two. The targets judge `auto`.");
  app.add_option("--subset", subset, "all (414 series) or every6 (R's subset only)")
      ->check(CLI::IsMember({"all", "every6"}));
  app.add_option("--threads", threads, "worker threads over series")->check(CLI::Range(1, 256));
  app.add_option("--per-series", per_series_path, "also write per-series scores to this CSV");
  app.add_flag("--tuning-window", tuning_window,
               "score on the 48 points before the validation window instead (each series loses\n"
               "its last 48 points first): for choosing settings without looking at the\n"
               "validation window; R's forecasts for it come from their own cache, r_cache_tuning");
  CLI11_PARSE(app, argc, argv);
  if (r_cache_dir.empty()) {
    r_cache_dir = std::string(M4_SOURCE_DIR) + (tuning_window ? "/r_cache_tuning" : "/r_cache");
  }

  auto series = m4::ReadM4Csv(data_path);
  if (!series.ok()) {
    std::cerr << "m4_benchmark: " << data_path << ": " << series.error() << "\n";
    return 1;
  }
  std::vector<m4::Holdout> data;
  for (m4::Series s : *series) {
    if (tuning_window) s.values.resize(s.values.size() - kHorizon);
    data.push_back(m4::HoldOut(s, kHorizon));
  }

  foresight::forecasting::Result<m4::RCache> r_cache = m4::ReadRCache(r_cache_dir, kHorizon);
  if (!r_cache.ok()) {
    std::cerr << "m4_benchmark: R cache: " << r_cache.error() << "\n";
    return 1;
  }

  std::vector<m4::ModelSpec> models;
  for (const std::string& item : SplitCommas(models_flag)) {
    auto spec = m4::ParseModelSpec(item);
    if (!spec.ok()) {
      std::cerr << "m4_benchmark: --models: " << spec.error() << "\n";
      return 1;
    }
    models.push_back(*spec);
  }
  if (!kHaveEngine) {
    std::cerr << "m4_benchmark: forecasting/engine.cc was not in the tree at configure time, so\n"
                 "the engine is not linked: running the built-in seasonal naive ("
              << kBuiltin << ") instead of: " << models_flag << "\n";
    models = {{kBuiltin, {}, kBuiltin}};
  }

  // The sets. R's subset is every 6th series; each R method is compared on
  // the part of it that method has in the cache, so ours and R's are always
  // scored on exactly the same series even while the R run is incomplete.
  std::vector<size_t> all;
  std::vector<size_t> every6;
  for (size_t i = 0; i < data.size(); ++i) {
    all.push_back(i);
    if (i % kSubsetStride == 0) every6.push_back(i);
  }
  const m4::MethodOutcomes naive2 = m4::Naive2Outcomes(data, kPeriod, kHorizon);

  struct RMethod {
    std::string label;
    m4::MethodOutcomes outcomes;
    std::vector<size_t> set;
  };
  std::vector<RMethod> theirs;
  for (const auto& [method, by_series] : *r_cache) {
    RMethod r{"R " + method, m4::FromRCache(data, by_series, kPeriod), {}};
    for (size_t i : every6) {
      if (r.outcomes[i].present) r.set.push_back(i);
    }
    if (!r.set.empty()) theirs.push_back(std::move(r));
  }
  // The distinct sets our rows are shown on: all (when run) and each R set.
  std::vector<std::vector<size_t>> subsets;
  for (const RMethod& r : theirs) {
    if (std::find(subsets.begin(), subsets.end(), r.set) == subsets.end()) subsets.push_back(r.set);
  }
  if (subsets.empty()) subsets.push_back(every6);
  auto set_label = [&](const std::vector<size_t>& set) {
    return set == all ? "all " + std::to_string(all.size())
                      : "subset (" + std::to_string(set.size()) + ")";
  };

  const std::vector<size_t>& ran = subset == "all" ? all : every6;
  std::vector<m4::Holdout> to_run;
  for (size_t i : ran) to_run.push_back(data[i]);

  std::vector<m4::TableRow> rows;
  std::vector<m4::Comparison> comparisons;
  std::vector<std::string> tallies;
  std::vector<std::string> runs;
  std::vector<std::pair<std::string, m4::MethodOutcomes>> ours;
  m4::TargetInputs targets;
  for (const m4::ModelSpec& spec : models) {
    const std::string& model = spec.label;  // names the rows; "auto" (not "auto@24") is judged
    m4::Forecaster f = spec.model == kBuiltin ? BuiltinSeasonalNaive() : EngineForecaster(spec);
    const m4::BatchRun batch = m4::RunForecaster(to_run, kHorizon, f, threads);
    m4::MethodOutcomes outcomes = m4::FromBatch(data, ran, batch, kPeriod, kHorizon);
    const std::string label = "Foresight " + model;
    // Process CPU counts threads the forecaster may start itself, which the
    // per-series (worker thread) CPU figure would miss.
    std::ostringstream run_line;
    run_line << label << ": " << ran.size() << " series in " << batch.wall_seconds << " s wall, "
             << batch.cpu_seconds << " s process CPU ("
             << batch.cpu_seconds / static_cast<double>(ran.size()) << " s/series), " << threads
             << " threads";
    std::cerr << run_line.str() << "\n";
    runs.push_back(run_line.str());
    if (subset == "all")
      rows.push_back({label, set_label(all), m4::Summarize(outcomes, naive2, all)});
    for (const auto& set : subsets) {
      rows.push_back({label, set_label(set), m4::Summarize(outcomes, naive2, set)});
    }
    for (const RMethod& r : theirs) {
      comparisons.push_back({label, r.label + ", " + set_label(r.set),
                             m4::Summarize(outcomes, naive2, r.set),
                             m4::Summarize(r.outcomes, naive2, r.set)});
      if (r.label == "R auto.arima" && (model == "auto" || !kHaveEngine)) {
        targets.have_arima = true;
        targets.auto_subset = comparisons.back().ours_summary;
        targets.arima_subset = comparisons.back().theirs_summary;
      }
    }
    if (model == "auto" || !kHaveEngine) targets.have_auto = true;
    if ((model == "auto" || !kHaveEngine) && subset == "all") {
      targets.full_run_wall_seconds = batch.wall_seconds;
      targets.full_run_series = static_cast<int>(ran.size());
    }
    tallies.push_back(label + ": " + m4::FormatModelTally(outcomes, ran, kTallyTop));
    ours.emplace_back(label, std::move(outcomes));
  }
  for (const RMethod& r : theirs) {
    rows.push_back({r.label, set_label(r.set), m4::Summarize(r.outcomes, naive2, r.set)});
    tallies.push_back(r.label + ": " + m4::FormatModelTally(r.outcomes, r.set, kTallyTop));
  }
  if (subset == "all")
    rows.push_back({"M4 Naive2", set_label(all), m4::Summarize(naive2, naive2, all)});
  for (const auto& set : subsets) {
    rows.push_back({"M4 Naive2", set_label(set), m4::Summarize(naive2, naive2, set)});
  }

  std::string cached;
  for (const RMethod& r : theirs) {
    cached += (cached.empty() ? "" : ", ") + r.label.substr(2) + " " + std::to_string(r.set.size());
  }
  std::cout << "## M4 hourly, validation on the last " << kHorizon << " points of each training"
            << " series\n\n"
            << m4::UtcNow() << "; " << m4::MachineDescription() << "; " << threads
            << " worker threads for ours, R single-threaded.\n"
            << "Subset: every " << kSubsetStride << "th series from H1 (H1, H7, ..., H409), "
            << every6.size()
            << " series; R forecasts cached: " << (cached.empty() ? "none" : cached)
            << ". Each R method is compared with ours on"
            << " exactly the series it has.\n"
            << "sMAPE and MASE (m = " << kPeriod << ") are means over the series; OWA is"
            << " against M4's Naive2 on the same series. Times are fit + forecast per series"
            << " (mean wall seconds; CPU seconds of the worker thread). Ours: a bare model name"
            << " detects each series' seasons (as `foresight forecast` does without --season);"
            << " MODEL@24 is given the daily season, as R is (frequency 24). R stlf is given"
            << " both seasons, 24 and 168.\n\n"
            << m4::FormatTable(rows) << "\n";
  if (!comparisons.empty()) {
    std::cout << "Ours / R on R's subset:\n\n" << m4::FormatComparisons(comparisons) << "\n";
  }
  std::cout << "Targets (" << (kHaveEngine ? "Foresight auto" : kBuiltin) << "):\n"
            << m4::FormatTargets(targets) << "\nRuns:\n";
  for (const std::string& r : runs) std::cout << "- " << r << "\n";
  std::cout << "\nModels chosen:\n";
  for (const std::string& t : tallies) std::cout << "- " << t << "\n";

  if (!per_series_path.empty()) {
    std::vector<std::pair<std::string, const m4::MethodOutcomes*>> all_methods;
    for (const auto& [label, o] : ours) all_methods.emplace_back(label, &o);
    for (const auto& r : theirs) all_methods.emplace_back(r.label, &r.outcomes);
    all_methods.emplace_back("M4 Naive2", &naive2);
    WritePerSeries(per_series_path, data, all_methods);
  }
  return 0;
}
