// Drives Decide() over a load trace through the replay pod model (policies/simulator.h): the
// backtest of a PredictiveAutoscaler spec. Each sync the policy sees what the operator would
// see: its current and ready pods, and the total load sampled metric_delay ago (the same
// delayed view the HPA baseline gets); the forecast comes from a caller-supplied provider.
// The resulting decisions are scored with Score() exactly as score.py scores them.
//
// Pure apart from the provider the caller passes in. Thread-safety: plain values.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "policies/decision.h"
#include "policies/simulator.h"

namespace foresight::policies {

// What the operator knows at one sync of the replay.
struct SyncView {
  int64_t second = 0;  // since the trace start
  Time now;            // trace t0 + second
  int32_t current = 0;
  int32_t ready = 0;
  // Load sampled at second - metric_delay (the first sample before the trace start).
  // REQUIRES of providers: use no load after this sample (no look-ahead).
  double observed_load = 0;
};

// The forecast at a sync: offsets from `now`. Empty = no forecast yet.
using ForecastProvider = std::function<std::vector<ForecastPoint>(const SyncView&)>;

struct DecideReplayOptions {
  std::chrono::seconds sync{15};
  std::chrono::seconds metric_delay{30};
  // When set, called at each sync (its second since the trace start) with the spec in force,
  // to change it from then on (risk tuning sets marginalRisk and the scale-down window).
  std::function<void(int64_t second, PolicySpec& live)> adjust_spec_at;
};

struct DecideReplayResult {
  std::vector<RequestRow> decisions;        // (t0, initial) then one row per change
  std::map<Reason, int64_t> reason_counts;  // decisions per reason, for the backtest report
};

// Starts at clamp(ceil(load(t0) / target), min, max) replicas, ready.
// REQUIRES: Validate(spec) empty; trace non-empty.
DecideReplayResult ReplayDecide(const LoadTrace& trace, int64_t delay_seconds,
                                const PolicySpec& spec, const ForecastProvider& forecast,
                                const DecideReplayOptions& options = {});

}  // namespace foresight::policies
