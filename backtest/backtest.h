// `foresight backtest`: replays a load trace through the same forecasting
// (RollingForecaster) and policy code (policies::Decide) the operator runs,
// under the replay pod model that score.py defines, next to the Kubernetes
// HPA baseline and the perfect-foresight oracle.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "operator/autoscaler_spec.h"
#include "operator/rolling_forecaster.h"
#include "operator/status.h"
#include "policies/decision.h"
#include "policies/risk_tuner.h"
#include "policies/simulator.h"

namespace foresight::backtest {

struct BacktestOptions {
  bool run_foresight = true;
  bool run_hpa = true;
  // Threads fitting the forecaster's models. Above 1 the fits are computed ahead, in
  // parallel; the result is the same for every value.
  unsigned threads = 1;
  // Replays the policy again at each of these spec.forecast.marginalRisk values, on the same
  // forecasts (what the forecaster sees does not depend on the decisions, so it runs once),
  // risk tuning off: the trade-off between under-provisioning and cost on this trace. With
  // the scale-down stabilization window left to risk tuning, once per window it chooses
  // from; else with the spec's. Requires spec.forecast.sizing Marginal; each value in (0, 1).
  std::vector<double> sweep_marginal_risk;
  // Instead of the forecaster, a LevelOracle (level_oracle.h) averaging the trace's own load
  // over +-oracle_level around each point: what a forecast of the level could save at best.
  std::optional<std::chrono::seconds> oracle_level;
  std::function<void(double done_fraction)> progress = [](double) {};
};

struct PolicyOutcome {
  std::vector<policies::RequestRow> decisions;
  policies::Metrics metrics;
};

struct ForecastTrace {
  double time;            // when the forecast was made
  op::PathPoint at_lead;  // what it said for time + lead
};

struct SweepPoint {
  double marginal_risk = 0;
  std::chrono::seconds scale_down_window{0};  // the scale-down stabilization window replayed
  policies::Metrics metrics;
};

struct BacktestResult {
  double capacity = 0;  // spec.metric.targetPerReplica
  int64_t startup_delay_seconds = 0;
  int64_t metric_delay_seconds = 0;
  double lead_time_seconds = 0;
  std::optional<PolicyOutcome> foresight;
  std::optional<PolicyOutcome> hpa;
  std::map<policies::Reason, int64_t> reasons;  // Foresight's decisions per reason
  op::Accuracy accuracy;                        // forecast at the lead time vs what happened
  int fits = 0;
  int fits_prefetched = 0;       // of them, predicted by a dry run and fitted ahead (threads > 1)
  std::set<std::string> models;  // model names chosen over the run
  std::vector<ForecastTrace> forecasts;  // one per decision, for the report
  // BacktestOptions::sweep_marginal_risk in that order, for each window in turn (longest first)
  std::vector<SweepPoint> sweep;
  struct TimedRiskChoice {
    double time;  // unix seconds: in force from then
    policies::RiskChoice choice;
  };
  std::vector<TimedRiskChoice> risk_choices;  // spec.forecast.riskTuning's, in order
  bool scale_down_window_tuned = false;       // the choices include the scale-down window
  // With BacktestOptions::oracle_level: its half-width and the spread of the load around it.
  std::optional<std::chrono::seconds> oracle_level;
  double oracle_spread = 0;
};

op::Result<BacktestResult> RunBacktest(const policies::LoadTrace& trace,
                                       const op::AutoscalerSpec& spec,
                                       const BacktestOptions& options);

}  // namespace foresight::backtest
