// The backtest's HPA baseline: the Kubernetes HPA (policies/hpa.h, default behavior) driven by
// the replay pod model (policies/simulator.h) over a load trace. Reproduces score.py's `hpa`
// policy decision for decision: one Pods metric "load per pod" with target averageValue = C,
// syncs every 15 s, metric delay 30 s (a pod ready at t-30 reports load(t-30)/ready(t-30);
// pods ready since have no sample: missing; starting pods: unready).
//
// Pure. Thread-safety: plain values.
#pragma once

#include <chrono>
#include <vector>

#include "policies/simulator.h"

namespace foresight::policies {

struct HpaReplayOptions {
  std::chrono::seconds sync{15};          // --horizontal-pod-autoscaler-sync-period
  std::chrono::seconds metric_delay{30};  // scrape interval + rate window
  double tolerance = 0.1;
  std::chrono::seconds down_window{300};  // behavior.scaleDown.stabilizationWindowSeconds
  std::chrono::seconds up_window{0};      // behavior.scaleUp.stabilizationWindowSeconds
  ReplicaBounds bounds;                   // minReplicas, maxReplicas
};

struct HpaReplayResult {
  std::vector<RequestRow> decisions;  // (t0, initial) then one row per change
  std::vector<int32_t> ready;         // per second, as the pod model saw it
};

// REQUIRES: capacity > 0, trace non-empty.
HpaReplayResult ReplayHpa(const LoadTrace& trace, double capacity, int64_t delay_seconds,
                          const HpaReplayOptions& options = {});

}  // namespace foresight::policies
