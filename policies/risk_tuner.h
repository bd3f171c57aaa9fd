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
// Where the user leaves spec.behavior.scaleDown.stabilizationWindowSeconds unset, the tuner
// also chooses it: the HPA's 300 s or 60 s (TunedScaleDownWindows), each replayed with its
// own cheapest risk. The 300 s window holds the replicas a forecast asked for after the load
// they were for has been seen; on a metric that moves in 5-minute steps that costs 4 % of the
// replica-hours at the same overload (bench/traces/README.md). Elsewhere the shorter window
// saves about 1 % and scales down and back up 2.5 times as often as the HPA, churn the
// replica-hours do not price: so it is chosen only when it saves at least
// kShorterWindowMinSaving of the replica-hours.
//
// Pure: plain values in and out, time passed in.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "policies/decision.h"
#include "policies/recorded_forecasts.h"
#include "policies/simulator.h"
#include "policies/spec.h"

namespace foresight::policies {

// Whether `spec` has its marginalRisk tuned: marginal sizing with riskTuning enabled.
bool TunesRisk(const PolicySpec& spec);

// The scale-down stabilization windows tuned between when the spec leaves it unset, longest
// (the default, in force until the first choice) first.
const std::vector<std::chrono::seconds>& TunedScaleDownWindows();

// The scale-down stabilization windows a choice replays: TunedScaleDownWindows() where the
// spec leaves the window to the tuner (spec.forecast.risk_tuning.scale_down_windows), else the
// spec's own.
std::vector<std::chrono::seconds> ScaleDownWindowsTried(const PolicySpec& spec);

// A shorter window is chosen only if its replay costs at least this fraction fewer
// replica-hours than every longer window that met the goal (the header says why).
inline constexpr double kShorterWindowMinSaving = 0.02;

// The risks tried, from safest to cheapest.
const std::vector<double>& RiskGrid();

// The points a decision reads: those up to `lead` and the first one after it (Decide looks no
// further). What a tuner needs to keep of each forecast.
std::vector<ForecastPoint> PointsUpToLead(const std::vector<ForecastPoint>& points,
                                          std::chrono::seconds lead);

struct RiskChoice {
  double risk = 0;
  bool met = false;  // `risk` met the goal; if not, no risk did and `risk` is the safest
  // The scale-down stabilization window replayed with `risk`: the chosen one when
  // spec.forecast.risk_tuning.scale_down_windows is set, else the spec's.
  std::chrono::seconds scale_down_window{0};
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
// even the safest did not, the safest. With scale_down_windows, that for each window, and of
// those meeting the goal the cheapest, unless a longer window costs less than
// kShorterWindowMinSaving more (then the longest such); if none met it, the longest window's.
// REQUIRES: Validate(spec) empty; !window.values.empty().
RiskChoice ChooseMarginalRisk(const LoadTrace& window, const RecordedForecasts& forecasts,
                              const PolicySpec& spec, std::chrono::seconds sync);

// Keeps the forecasts of the last window, and the risk and scale-down window in force.
class RiskTuner {
 public:
  RiskTuner(RiskTuning tuning, double initial_risk, std::chrono::seconds initial_window)
      : tuning_(std::move(tuning)), risk_(initial_risk), scale_down_window_(initial_window) {}

  // The forecast a decision at `now` read (the points up to its lead time are enough).
  void Record(Time now, std::span<const ForecastPoint> points);

  // A choice is due: tuning enabled, forecasts recorded over a whole window, and `interval`
  // since the last choice.
  bool Due(Time now) const;

  // Chooses from `window` (the load of the `tuning.window` before now) and the recorded
  // forecasts; the choice is in force from now. REQUIRES: as ChooseMarginalRisk.
  const RiskChoice& Tune(Time now, const LoadTrace& window, const PolicySpec& spec,
                         std::chrono::seconds sync);

  double risk() const { return risk_; }
  std::chrono::seconds scale_down_window() const { return scale_down_window_; }
  // Sets what is in force in `spec`: its marginalRisk, and its scale-down window if tuned.
  void ApplyTo(PolicySpec& spec) const;
  size_t recorded() const { return recorded_.size(); }
  const std::optional<RiskChoice>& last_choice() const { return last_; }

 private:
  RiskTuning tuning_;
  double risk_;
  std::chrono::seconds scale_down_window_;
  RecordedForecasts recorded_;
  std::optional<Time> first_recorded_;
  std::optional<Time> last_tuned_;
  std::optional<RiskChoice> last_;
};

}  // namespace foresight::policies
