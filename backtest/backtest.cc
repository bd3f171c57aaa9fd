#include "backtest/backtest.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "policies/decide_replay.h"
#include "policies/hpa_replay.h"

namespace foresight::backtest {
namespace {

// The load as the operator's range query sees it: one value per resolution
// step, the trace's value in force at that time.
std::vector<double> ResampleToGrid(const policies::LoadTrace& trace, int64_t resolution_seconds) {
  std::vector<double> grid;
  for (int64_t s = 0; s < trace.horizon_seconds(); s += resolution_seconds)
    grid.push_back(trace.LoadAtSecond(s));
  return grid;
}

}  // namespace

op::Result<BacktestResult> RunBacktest(const policies::LoadTrace& trace,
                                       const op::AutoscalerSpec& spec_in,
                                       const BacktestOptions& options) {
  op::AutoscalerSpec spec = spec_in;
  policies::PolicySpec& policy = spec.policy;
  if (options.startup_delay) policy.forecast.pod_startup = *options.startup_delay;
  if (options.metric_delay) policy.forecast.metric_delay = *options.metric_delay;
  if (auto errors = policies::Validate(policy); !errors.empty()) {
    return op::Status::InvalidArgument(errors.front().message);
  }

  BacktestResult result;
  result.capacity = policy.target_per_replica;
  result.startup_delay_seconds = policy.forecast.pod_startup.count();
  result.metric_delay_seconds = policy.forecast.metric_delay.count();
  result.lead_time_seconds = static_cast<double>(policy.forecast.lead_time().count());
  const int64_t delay = result.startup_delay_seconds;

  if (options.run_foresight) {
    const int64_t resolution = std::max<int64_t>(1, spec.forecast.resolution.count());
    const std::vector<double> grid = ResampleToGrid(trace, resolution);
    const size_t history_points =
        static_cast<size_t>(std::max<int64_t>(1, spec.forecast.history.count() / resolution));
    op::RollingForecasterConfig config;
    config.model = spec.forecast.model;
    for (std::chrono::seconds p : spec.forecast.seasonal_periods) {
      config.seasonal_periods.push_back(static_cast<int>(p.count() / resolution));
    }
    config.resolution_seconds = static_cast<double>(resolution);
    config.refit_interval_seconds = static_cast<double>(spec.forecast.refit_interval.count());
    config.lead_time_seconds = result.lead_time_seconds;
    config.quantile = policy.forecast.quantile;
    config.accuracy_window = std::numeric_limits<int>::max();  // score the whole replay
    op::RollingForecaster forecaster(config);

    const double total = static_cast<double>(trace.horizon_seconds());
    policies::ForecastProvider provider = [&](const policies::SyncView& view) {
      options.progress(static_cast<double>(view.second) / total);
      // Points the range query would have returned by now: up to now - metric delay.
      const int64_t visible_second = view.second - result.metric_delay_seconds;
      if (visible_second < 0) return std::vector<policies::ForecastPoint>{};
      const size_t end =
          std::min(grid.size(), static_cast<size_t>(visible_second / resolution) + 1);
      const size_t begin = end > history_points ? end - history_points : 0;
      const double now = trace.t0 + static_cast<double>(view.second);
      op::RollingForecast f = forecaster.Update(
          now, std::span<const double>(grid.data() + begin, end - begin),
          trace.t0 + static_cast<double>(begin) * static_cast<double>(resolution));
      if (f.refitted) {
        ++result.fits;
        if (!f.model.empty()) result.models.insert(f.model);
      }
      if (f.at_lead) result.forecasts.push_back({now, *f.at_lead});
      return f.points;
    };
    policies::DecideReplayOptions replay_options{spec.decision_interval,
                                                 policy.forecast.metric_delay};
    policies::DecideReplayResult replay =
        policies::ReplayDecide(trace, delay, policy, provider, replay_options);
    result.reasons = replay.reason_counts;
    result.accuracy = forecaster.accuracy();
    policies::Metrics metrics = policies::Score(trace, replay.decisions, result.capacity, delay);
    result.foresight = PolicyOutcome{std::move(replay.decisions), metrics};
  }
  if (options.run_hpa) {
    policies::HpaReplayOptions hpa_options;
    hpa_options.metric_delay = policy.forecast.metric_delay;
    policies::HpaReplayResult hpa = policies::ReplayHpa(trace, result.capacity, delay, hpa_options);
    policies::Metrics metrics = policies::Score(trace, hpa.decisions, result.capacity, delay);
    result.hpa = PolicyOutcome{std::move(hpa.decisions), metrics};
  }
  options.progress(1.0);
  return result;
}

}  // namespace foresight::backtest
