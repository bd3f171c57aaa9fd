// Runs a forecaster over a set of held-out series on a few threads and times
// each fit + forecast.
//
// The forecaster is a std::function so the harness knows nothing of the
// engine: main.cc passes the real engine, tests pass a seasonal naive.
// Thread-safety: the forecaster is called concurrently from `threads`
// threads, so it must be safe to call concurrently (the engine's
// ForecastSeries is a pure function of its arguments).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bench/m4/m4_data.h"

namespace foresight::bench::m4 {

struct ForecasterOutput {
  std::vector<double> mean;  // point forecast, `horizon` values
  std::string model;         // the model the forecaster chose, for the tally
};

using Forecaster = std::function<ForecasterOutput(const std::vector<double>& history, int horizon)>;

struct SeriesRun {
  std::vector<double> forecast;
  std::string model;
  double wall_seconds = 0;  // steady_clock around the call
  double cpu_seconds = 0;   // CPU time of the calling thread during the call
  std::string error;        // non-empty: threw, or returned a wrong-sized or non-finite forecast
};

struct BatchRun {
  std::vector<SeriesRun> series;  // aligned with the input
  double wall_seconds = 0;        // the whole batch
  double cpu_seconds = 0;         // process CPU time during the batch (all threads)
};

// REQUIRES: threads >= 1, horizon >= 1.
BatchRun RunForecaster(const std::vector<Holdout>& data, int horizon, const Forecaster& forecaster,
                       int threads);

}  // namespace foresight::bench::m4
