// Risk tuning: spec.forecast.marginalRisk chosen from the workload's own recent traffic.
//
// No single marginalRisk suits every workload: on the benchmark traces the cheapest risk that
// keeps overloaded minutes under a quarter of the HPA's is 0.07 on one, 0.12 on another and
// 0.22 on the third (bench/traces/README.md), because how much a replica above the forecast
// mean buys depends on how noisy the load is. So every `interval` the tuner replays the last
// `window` of traffic, with the forecasts that were actually made then, through the policy at
// risks of a fixed grid and through the Kubernetes HPA (default behavior), and keeps the
// cheapest risk whose overloaded minutes stay within `overload_vs_hpa` times the HPA's. Only
// the past is used: the load the metric showed and the forecasts recorded at the decisions.
//
// Pure: plain values in and out, time passed in.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "policies/decision.h"
#include "policies/simulator.h"
#include "policies/spec.h"

namespace foresight::policies {

// Whether `spec` has its marginalRisk tuned: marginal sizing with riskTuning enabled.
bool TunesRisk(const PolicySpec& spec);

// The risks tried, from safest to cheapest.
const std::vector<double>& RiskGrid();

// The points a decision reads: those up to `lead` and the first one after it (Decide looks no
// further). What a tuner needs to keep of each forecast.
std::vector<ForecastPoint> PointsUpToLead(const std::vector<ForecastPoint>& points,
                                          std::chrono::seconds lead);

// A forecast as a decision read it: made at `time`, offsets from then.
struct RecordedForecast {
  Time time;
  std::vector<ForecastPoint> points;
};

struct RiskChoice {
  double risk = 0;
  bool met = false;  // `risk` met the goal; if not, no risk did and `risk` is the safest
  int64_t overloaded_minutes = 0;      // the policy at `risk`, over the window
  int64_t hpa_overloaded_minutes = 0;  // the HPA, over the window
  double replica_hours = 0;
  double hpa_replica_hours = 0;
  std::string message;  // one line for the user: the choice and its figures
};

// Replays `window` (the load as the metric showed it) through the policy at risks of
// RiskGrid(), a sync every `sync` from the window's start, the forecast at each sync being the
// newest of `forecasts` made at or before it (none if that one is older than two syncs), and
// through the HPA, both within spec's minReplicas and maxReplicas; scores both with the
// replay pod model and metrics of policies::Score, spec.forecast.pod_startup as the start-up
// delay. Returns the cheapest risk meeting the goal, found by bisection: the returned
// risk met the goal and the next riskier one of the grid did not (or it is the riskiest); if
// even the safest did not, the safest.
// REQUIRES: Validate(spec) empty; !window.values.empty(); forecasts sorted by time.
RiskChoice ChooseMarginalRisk(const LoadTrace& window,
                              const std::deque<RecordedForecast>& forecasts, const PolicySpec& spec,
                              std::chrono::seconds sync);

// Keeps the forecasts of the last window and the risk in force.
class RiskTuner {
 public:
  RiskTuner(RiskTuning tuning, double initial_risk) : tuning_(tuning), risk_(initial_risk) {}

  // The forecast a decision at `now` read (the points up to its lead time are enough).
  void Record(Time now, std::vector<ForecastPoint> points);

  // A choice is due: tuning enabled, forecasts recorded over a whole window, and `interval`
  // since the last choice.
  bool Due(Time now) const;

  // Chooses from `window` (the load of the `tuning.window` before now) and the recorded
  // forecasts; the choice is in force from now. REQUIRES: as ChooseMarginalRisk.
  const RiskChoice& Tune(Time now, const LoadTrace& window, const PolicySpec& spec,
                         std::chrono::seconds sync);

  double risk() const { return risk_; }
  size_t recorded() const { return recorded_.size(); }
  const std::optional<RiskChoice>& last_choice() const { return last_; }

 private:
  RiskTuning tuning_;
  double risk_;
  std::deque<RecordedForecast> recorded_;
  std::optional<Time> first_recorded_;
  std::optional<Time> last_tuned_;
  std::optional<RiskChoice> last_;
};

}  // namespace foresight::policies
