// Days of one PredictiveAutoscaler's decisions in a minute: the operator's own
// AutoscalerController driven on a fake clock, its Prometheus answering from a load trace,
// its Kubernetes API a fake (operator/testing), and the heap it holds measured on the way.
// Each reconcile asks for the next decision after the interval it returns, as the work
// queue would, and the clock jumps there.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "operator/clock.h"
#include "policies/simulator.h"

namespace foresight::bench {

struct DecisionRunOptions {
  std::chrono::seconds duration{std::chrono::hours(50)};
  // When the first heap figure is taken: about as long as bench/operator/run's runs.
  std::chrono::seconds early{std::chrono::minutes(10)};
};

struct DecisionRun {
  int64_t decisions = 0;
  int64_t fits = 0;                     // changes of status.forecast.fittedAt
  std::vector<std::string> risk_tuned;  // the messages of the RiskTuned Events
  // Heap held (HeapInUse) beyond what was held before the controller was built, after
  // options.early and at the end. Includes a few KB of the fake API server's status.
  int64_t held_early = 0;
  int64_t held_end = 0;
  // What destroying the controller gave back at the end: its own state and nothing else.
  int64_t freed_with_controller = 0;
  double cpu_seconds = 0;  // of the process, for the whole run
  std::string stopped;     // non-empty: why the run ended before options.duration
};

// Runs `autoscaler` (a PredictiveAutoscaler object, metadata included) from `start` for
// options.duration. The metric at time t is the trace's load of the last step that ended at
// or before t (a rate over the last minute, as Prometheus would answer); none before the
// trace's first step ended or after its last. Every scale is ready at once.
// REQUIRES: the autoscaler's spec is valid.
DecisionRun RunDecisions(const nlohmann::json& autoscaler, const policies::LoadTrace& trace,
                         op::Timestamp start, const DecisionRunOptions& options);

}  // namespace foresight::bench
