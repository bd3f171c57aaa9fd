// Decide(): one scaling decision of the PredictiveAutoscaler from plain values.
//
// The pipeline (each stage a pure function below, each configurable in PolicySpec):
//   1. reactive proposal    HPA rule on the live load: ceil(load / target), tolerance dead-band
//   2. predictive proposal  the forecast at the lead time (pod start-up + metric delay) at the
//                           configured quantile, times (1 + headroom), over the target
//   3. combination          never below the reactive proposal; scale-in only as far as the
//                           forecast over [now, now + lead time] allows; missing metrics never
//                           scale down (fallback replicas after N failures, only upwards); no
//                           forecast: reactive only
//   4. step policies        AWS step-scaling bands over the gap to the current capacity
//   5. cooldowns, then the stabilization windows (HPA: max over the scale-down window, min over
//                           the scale-up window)
//   6. rate limits          HPA behavior policies with selectPolicy
//   7. min/max clamp, then the mode (ForecastOnly computes everything, changes nothing)
// Every intermediate proposal is kept in Decision::proposals so that it can be explained.
//
// Pure: time is an input; no I/O. Thread-safety: plain values.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "policies/history.h"
#include "policies/spec.h"

namespace foresight::policies {

// Why the decision is what it is. The names (ReasonName) are stable: they become condition
// reasons, Event reasons and decision-log fields.
enum class Reason {
  kScaleUpPredicted,       // the forecast asked for more than the live load
  kScaleUpReactive,        // the live load asked for more than the forecast (unforeseen spike)
  kScaleDownPredicted,     // the forecast over the lead time allows fewer replicas
  kScaleDownReactive,      // fewer replicas, forecast disabled by the spec
  kWithinTolerance,        // nothing to do: demand within the dead-band of current capacity
  kStepAdjustment,         // a step policy band set the change
  kCooldownActive,         // a change held back by the cooldown since the last scale event
  kScaleUpStabilized,      // held back by the scale-up stabilization window
  kScaleDownStabilized,    // held back by the scale-down stabilization window
  kRateLimited,            // limited by the behavior rate policies
  kClampedToMax,           // limited by maxReplicas
  kClampedToMin,           // raised to minReplicas
  kMetricsUnavailable,     // the live load is missing or garbage: no scale-down
  kFallbackReplicas,       // metrics failed failureThreshold times: raised to fallback replicas
  kColdStartReactiveOnly,  // no usable forecast yet: the reactive proposal alone decided
  kForecastOnlyMode,       // mode ForecastOnly: computed, not applied
  kAutoscalingDisabled,    // mode Off
  kScalingDisabled,        // the target has 0 replicas (HPA: scaling is disabled)
};
const char* ReasonName(Reason reason);

// One step of the load forecast: from `offset` after now until the next point's offset.
struct ForecastPoint {
  std::chrono::seconds offset{0};
  double mean = 0;
  double quantile = 0;  // the forecast's value at spec.forecast.quantile
};

struct DecisionInputs {
  Time now;
  int32_t current_replicas = 0;  // the target's spec.replicas
  int32_t ready_replicas = 0;    // of those, ready
  // Total load on the workload (same unit as target_per_replica); nullopt when the metrics
  // query failed. NaN, infinite or negative values count as failed.
  std::optional<double> observed_load;
  std::vector<ForecastPoint> forecast;          // ascending offsets; empty = no forecast yet
  std::vector<Recommendation> recommendations;  // recent unstabilized recommendations
  std::vector<ScaleEvent> scale_events;         // recent scale events
  int32_t consecutive_metric_failures = 0;      // including this one when the load is missing
};

// One stage's result. `reason` is the reason the stage would give for its value.
struct StageResult {
  int32_t replicas = 0;
  Reason reason = Reason::kWithinTolerance;
  std::string message;
};

// An intermediate proposal, for the decision log and `kubectl describe`.
struct Proposal {
  std::string stage;  // "reactive", "predictive", "forecastFloor", "combined", "stepPolicy",
                      // "cooldown", "stabilized", "rateLimited", "clamped"
  int32_t replicas = 0;
  std::string note;
};

struct Decision {
  int32_t replicas = 0;  // to set now (the current count unless mode is Auto)
  int32_t desired = 0;   // what mode Auto sets (reported in ForecastOnly mode)
  Reason reason = Reason::kWithinTolerance;
  std::string message;
  std::vector<Proposal> proposals;
  // For the caller's history: the unstabilized recommendation to record (nullopt: none), and
  // the scale event if `replicas` differs from the current count.
  std::optional<Recommendation> recommendation;
  std::optional<ScaleEvent> scale_event;
};

// The whole pipeline. REQUIRES: Validate(spec) is empty.
Decision Decide(const DecisionInputs& in, const PolicySpec& spec);

// ---- stages (each a pure function, tested on its own) ----

// The load if it is a usable number (finite, >= 0), else nullopt.
std::optional<double> UsableLoad(std::optional<double> load);

// True when the forecast can drive a decision: non-empty, ascending offsets, finite
// non-negative values. `why` gets the reason when it cannot.
bool UsableForecast(std::span<const ForecastPoint> forecast, std::string* why);

// The forecast point in force at `offset` (the last with point.offset <= offset; the first if
// all are later). REQUIRES: !forecast.empty()
const ForecastPoint& ForecastAt(std::span<const ForecastPoint> forecast,
                                std::chrono::seconds offset);

// Reactive: kSimple: ceil(load / target) unless |load / (current * target) - 1| <= tolerance;
// kKubernetesHpa: the HPA replica calculator with the ready pods reporting load / ready each
// and current - ready pods unready.
StageResult ReactiveProposal(double load, int32_t current, int32_t ready, const PolicySpec& spec);

// Predictive: need = forecast quantile at the lead time * (1 + headroom) / target;
// ceil(need) unless need / current is within the tolerance of 1.
StageResult PredictiveProposal(std::span<const ForecastPoint> forecast, int32_t current,
                               const PolicySpec& spec);

// The fewest replicas that serve the forecast quantile (with headroom) at every point of
// [now, now + lead time]: pods removed now cannot be back before then.
StageResult ForecastFloor(std::span<const ForecastPoint> forecast, const PolicySpec& spec);

struct CombineInputs {
  int32_t current = 0;
  std::optional<StageResult> reactive;    // nullopt: metrics unavailable
  std::optional<StageResult> predictive;  // nullopt: no usable forecast (or disabled)
  std::optional<StageResult> floor;       // with predictive
  bool forecast_enabled = true;
  std::string no_forecast_why;  // why there is no forecast, for the message
  int32_t consecutive_metric_failures = 0;
};
StageResult Combine(const CombineInputs& in, const PolicySpec& spec);

// Step policies: the band holding gap = 100 * (desired - current) / current sets the change;
// the first band in list order that holds it applies; no band: no change. Empty policy list, no
// band on the side of the gap (a direction without steps) or desired == current: `desired`
// unchanged.
StageResult ApplyStepPolicies(int32_t desired, int32_t current,
                              std::span<const StepAdjustment> steps);

// A change in a direction whose cooldown has not passed since the last scale event (either
// direction) is held at `current`.
StageResult ApplyCooldown(Time now, int32_t desired, int32_t current,
                          std::span<const ScaleEvent> events, const Cooldowns& cooldowns);

// [min_replicas, max_replicas].
StageResult ClampToBounds(int32_t desired, const PolicySpec& spec);

}  // namespace foresight::policies
