#include "backtest/backtest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <utility>

#include "backtest/level_oracle.h"
#include "backtest/prefetching_fitter.h"
#include "forecasting/engine.h"
#include "policies/decide_replay.h"
#include "policies/hpa_replay.h"
#include "policies/risk_tuner.h"

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

// What the forecaster is fed at each sync: the points the operator's range query would have
// returned by then (up to now - metric delay, the newest `history_points` of them).
struct ForecasterFeed {
  const policies::LoadTrace& trace;
  const std::vector<double>& grid;
  int64_t resolution;
  size_t history_points;
  int64_t metric_delay_seconds;

  double Now(int64_t second) const { return trace.t0 + static_cast<double>(second); }

  // The visible history at `second`: grid[begin, end); begin == end before the first point.
  std::pair<size_t, size_t> Window(int64_t second) const {
    const int64_t visible_second = second - metric_delay_seconds;
    if (visible_second < 0) return {0, 0};
    const size_t end = std::min(grid.size(), static_cast<size_t>(visible_second / resolution) + 1);
    return {end > history_points ? end - history_points : 0, end};
  }

  // forecaster.Update on the window at `second`; nullopt before the first visible point.
  std::optional<op::RollingForecast> Update(op::RollingForecaster& forecaster,
                                            int64_t second) const {
    const auto [begin, end] = Window(second);
    if (begin == end) return std::nullopt;
    return forecaster.Update(
        Now(second), std::span<const double>(grid.data() + begin, end - begin),
        trace.t0 + static_cast<double>(begin) * static_cast<double>(resolution));
  }
};

// The fits the replay will ask for, in order, found by a dry run: the same forecaster fed at
// the same syncs (ReplayDecide's, with no forecast given to the policy: what the forecaster
// sees does not depend on the decisions), with a stand-in fit that records each request and
// returns a flat path of the requested length. The schedule is the real one as long as every
// real fit succeeds (ForecastSeries fails only on input no model can use); a request it did
// not predict is fitted inline by the PrefetchingFitter.
std::vector<FitRequest> PredictFits(const policies::LoadTrace& trace, int64_t delay,
                                    const policies::PolicySpec& policy,
                                    const policies::DecideReplayOptions& replay_options,
                                    const op::RollingForecasterConfig& config,
                                    const ForecasterFeed& feed) {
  std::vector<FitRequest> requests;
  std::pair<size_t, size_t> window;
  op::RollingForecaster dry(
      config,
      [&](const std::vector<double>&,
          const forecasting::ForecastOptions& o) -> forecasting::Result<forecasting::Forecast> {
        requests.push_back({window.first, window.second, o});
        forecasting::Forecast flat;
        flat.distribution = forecasting::PredictiveDistribution::Normal(
            std::vector<double>(static_cast<size_t>(o.horizon), 0.0),
            std::vector<double>(static_cast<size_t>(o.horizon), 0.0));
        return flat;
      });
  policies::ForecastProvider provider = [&](const policies::SyncView& view) {
    window = feed.Window(view.second);
    feed.Update(dry, view.second);
    return std::vector<policies::ForecastPoint>{};
  };
  policies::ReplayDecide(trace, delay, policy, provider, replay_options);
  return requests;
}

// The replay's clock at `second` after the trace start (as ReplayDecide counts it).
policies::Time ReplayTime(const policies::LoadTrace& trace, int64_t second) {
  return policies::Time{std::chrono::seconds{static_cast<int64_t>(std::floor(trace.t0)) + second}};
}

// The trace's samples in the `length` before `end_second` (whole samples, ending at the last
// sample boundary at or before it): the load the metric had shown by then. nullopt if none.
std::optional<policies::LoadTrace> WindowBefore(const policies::LoadTrace& trace,
                                                int64_t end_second, std::chrono::seconds length) {
  const int64_t step = trace.step_seconds;
  const int64_t end =
      std::min<int64_t>(end_second / step, static_cast<int64_t>(trace.values.size()));
  const int64_t begin = std::max<int64_t>(0, end - length.count() / step);
  if (end_second < 0 || end <= begin) return std::nullopt;
  policies::LoadTrace window;
  window.t0 = trace.t0 + static_cast<double>(begin * step);
  window.step_seconds = trace.step_seconds;
  window.values.assign(trace.values.begin() + begin, trace.values.begin() + end);
  return window;
}

std::optional<std::string> ValidateSweep(const std::vector<double>& risks,
                                         const policies::PolicySpec& policy) {
  if (risks.empty()) return std::nullopt;
  if (policy.forecast.sizing != policies::Sizing::kMarginal) {
    return "a marginalRisk sweep needs spec.forecast.sizing: Marginal in the config";
  }
  for (double r : risks) {
    if (!(r > 0 && r < 1)) {
      char value[32];
      std::snprintf(value, sizeof value, "%g", r);  // as written: 1.5, not 1.500000
      return std::string("--sweep-risk value ") + value +
             " is not in (0, 1): each is a forecast.marginalRisk, a probability";
    }
  }
  return std::nullopt;
}

}  // namespace

op::Result<BacktestResult> RunBacktest(const policies::LoadTrace& trace,
                                       const op::AutoscalerSpec& spec_in,
                                       const BacktestOptions& options) {
  op::AutoscalerSpec spec = spec_in;
  policies::PolicySpec& policy = spec.policy;
  if (auto errors = policies::Validate(policy); !errors.empty()) {
    return op::Status::InvalidArgument(errors.front().message);
  }
  if (auto error = ValidateSweep(options.sweep_marginal_risk, policy)) {
    return op::Status::InvalidArgument(*error);
  }
  if (!options.run_foresight && (!options.sweep_marginal_risk.empty() || options.oracle_level)) {
    return op::Status::InvalidArgument(
        "a marginalRisk sweep or the level oracle replays Foresight, which this run leaves out "
        "(--policy hpa)");
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
    const ForecasterFeed feed{trace, grid, resolution, history_points, result.metric_delay_seconds};
    policies::DecideReplayOptions replay_options;
    replay_options.sync = spec.decision_interval;
    replay_options.metric_delay = policy.forecast.metric_delay;

    std::optional<LevelOracle> oracle;
    if (options.oracle_level) {
      oracle.emplace(grid, resolution, options.oracle_level->count(), policy.forecast.quantile);
      result.oracle_level = options.oracle_level;
      result.oracle_spread = oracle->spread();
    }
    // With more than one thread the fits are computed ahead by a PrefetchingFitter; it hands
    // the replay exactly what ForecastSeries would return, so the result does not depend on
    // the thread count.
    std::optional<PrefetchingFitter> prefetcher;
    op::FitFunction fit = forecasting::ForecastSeries;
    if (options.threads > 1 && !oracle) {
      prefetcher.emplace(grid, PredictFits(trace, delay, policy, replay_options, config, feed),
                         forecasting::ForecastSeries, options.threads);
      fit = [&prefetcher](const std::vector<double>& history,
                          const forecasting::ForecastOptions& o) {
        return prefetcher->Fit(history, o);
      };
    }
    op::RollingForecaster forecaster(config, fit);

    const double total = static_cast<double>(trace.horizon_seconds());
    const std::chrono::seconds lead = policy.forecast.lead_time();
    std::vector<std::vector<policies::ForecastPoint>> recorded;  // per sync, for the sweep
    std::optional<policies::RiskTuner> tuner;
    if (policies::TunesRisk(policy)) {
      tuner.emplace(policy.forecast.risk_tuning, policy.forecast.marginal_risk,
                    policy.behavior.scale_down.stabilization_window);
      result.scale_down_window_tuned = !policy.forecast.risk_tuning.scale_down_windows.empty();
    }
    policies::ForecastProvider provider = [&](const policies::SyncView& view) {
      options.progress(static_cast<double>(view.second) / total);
      std::vector<policies::ForecastPoint> points;
      if (oracle) {
        points = oracle->Points(view.second, lead.count());
      } else if (std::optional<op::RollingForecast> f = feed.Update(forecaster, view.second)) {
        if (f->refitted) {
          ++result.fits;
          if (!f->model.empty()) result.models.insert(f->model);
        }
        if (f->at_lead) result.forecasts.push_back({feed.Now(view.second), *f->at_lead});
        points = std::move(f->points);
      }
      if (!options.sweep_marginal_risk.empty() || tuner) {
        std::vector<policies::ForecastPoint> kept = policies::PointsUpToLead(points, lead);
        if (tuner) tuner->Record(view.now, kept);
        if (!options.sweep_marginal_risk.empty()) recorded.push_back(std::move(kept));
      }
      return points;
    };
    // The sweep replays fixed risks: the trade-off curve the tuned run is a point near.
    const policies::DecideReplayOptions fixed_risk_options = replay_options;
    if (tuner) {
      replay_options.adjust_spec_at = [&](int64_t second, policies::PolicySpec& live) {
        const policies::Time now = ReplayTime(trace, second);
        if (tuner->Due(now)) {
          if (std::optional<policies::LoadTrace> window =
                  WindowBefore(trace, second - result.metric_delay_seconds,
                               policy.forecast.risk_tuning.window)) {
            const policies::RiskChoice& c =
                tuner->Tune(now, *window, policy, spec.decision_interval);
            result.risk_choices.push_back({trace.t0 + static_cast<double>(second), c});
          }
        }
        tuner->ApplyTo(live);
      };
    }
    policies::DecideReplayResult replay =
        policies::ReplayDecide(trace, delay, policy, provider, replay_options);
    result.reasons = replay.reason_counts;
    if (prefetcher) result.fits_prefetched = static_cast<int>(prefetcher->served());
    result.accuracy = forecaster.accuracy();
    policies::Metrics metrics = policies::Score(trace, replay.decisions, result.capacity, delay);
    result.foresight = PolicyOutcome{std::move(replay.decisions), metrics};

    // The sweep: the same syncs in the same order, so the n-th call gets the n-th forecast.
    // A window left to risk tuning is swept at each the tuner chooses from, so that the
    // curve covers what the tuned run can do.
    for (std::chrono::seconds window : policies::ScaleDownWindowsTried(policy)) {
      for (double risk : options.sweep_marginal_risk) {
        policies::PolicySpec swept = policy;
        swept.forecast.marginal_risk = risk;
        swept.behavior.scale_down.stabilization_window = window;
        size_t next = 0;
        policies::ForecastProvider replayed = [&](const policies::SyncView&) {
          return next < recorded.size() ? recorded[next++] : std::vector<policies::ForecastPoint>{};
        };
        policies::DecideReplayResult r =
            policies::ReplayDecide(trace, delay, swept, replayed, fixed_risk_options);
        result.sweep.push_back(
            {risk, window, policies::Score(trace, r.decisions, result.capacity, delay)});
      }
    }
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
