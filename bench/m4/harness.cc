#include "bench/m4/harness.h"

#include <sys/resource.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <thread>

namespace foresight::bench::m4 {
namespace {

// Per-thread CPU time, so a series' CPU figure is not inflated by the other
// worker running at the same time (wall time is, when cores are shared).
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Whole-process CPU time (user + system), which also counts any threads the
// forecaster starts itself.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + 1e-6 * static_cast<double>(tv.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

SeriesRun RunOne(const Holdout& series, int horizon, const Forecaster& forecaster) {
  SeriesRun run;
  const double cpu0 = ThreadCpuSeconds();
  const auto wall0 = std::chrono::steady_clock::now();
  try {
    ForecasterOutput out = forecaster(series.insample, horizon);
    run.forecast = std::move(out.mean);
    run.model = std::move(out.model);
  } catch (const std::exception& e) {
    run.error = std::string("threw: ") + e.what();
  }
  run.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  run.cpu_seconds = ThreadCpuSeconds() - cpu0;
  if (run.error.empty() && static_cast<int>(run.forecast.size()) != horizon) {
    run.error = "returned " + std::to_string(run.forecast.size()) + " values";
  }
  for (double v : run.forecast) {
    if (run.error.empty() && !std::isfinite(v)) run.error = "non-finite forecast";
  }
  return run;
}

}  // namespace

BatchRun RunForecaster(const std::vector<Holdout>& data, int horizon, const Forecaster& forecaster,
                       int threads) {
  BatchRun batch;
  batch.series.resize(data.size());
  const double cpu0 = ProcessCpuSeconds();
  const auto wall0 = std::chrono::steady_clock::now();

  // Work sharing by an atomic counter: series differ in length (700 / 960)
  // and model cost, so a static split would leave a thread idle.
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < data.size(); i = next++) {
      batch.series[i] = RunOne(data[i], horizon, forecaster);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  batch.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  batch.cpu_seconds = ProcessCpuSeconds() - cpu0;
  return batch;
}

}  // namespace foresight::bench::m4
