// The Kubernetes HorizontalPodAutoscaler (autoscaling/v2) replica math, as pure functions over
// plain values, following k8s.io/kubernetes pkg/controller/podautoscaler (horizontal.go,
// replica_calculator.go) for one Pods metric with an AverageValue target and a behavior.
//
// Each function returns (replicas, reason, message) like its Go counterpart. The only state is
// HpaState (recent recommendations and scale events), owned by the caller and advanced by
// ReconcileHpa; time is passed in.
//
// Thread-safety: pure functions; an HpaState must not be shared between threads unguarded.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "policies/history.h"
#include "policies/spec.h"

namespace foresight::policies {

// Guard against floating-point noise in ceil(usageRatio * pods): Kubernetes computes the usage
// in integer milli-units, so 2.0000000000000004 pods never happens there. The same guard is in
// the reference scorer (score.py), which this must match exactly.
constexpr double kCeilEpsilon = 1e-9;

struct ReplicaResult {
  int32_t replicas = 0;
  std::string reason;   // stable CamelCase code (the HPA's condition reasons where it has one)
  std::string message;  // for people
};

// The pods behind one Pods metric at a sync (replica_calculator.go groupPods):
struct PodMetrics {
  double average = 0;     // mean metric value over the `reporting` pods
  int32_t reporting = 0;  // ready pods with a sample (readyPodCount)
  int32_t missing = 0;    // ready pods with no sample yet (e.g. ready after the scrape)
  int32_t unready = 0;    // pods still starting (Pending / not ready)
};

// calcPlainMetricReplicas: the desired replica count for `metrics` against `target` (per pod).
//   usageRatio = average / target
//   no unready-on-scale-up and no missing pods: within tolerance -> current,
//     else ceil(usageRatio * reporting)
//   otherwise missing pods count as the target on a scale-down and 0 on a scale-up, unready
//   pods as 0 on a scale-up; the ratio is recomputed over all of them and the count kept when
//   it is within tolerance or the direction flipped.
// Reasons: "NoMetrics" (nobody reported: the HPA cannot compute, keeps current),
// "WithinTolerance", "DirectionChanged", "ScaleUp", "ScaleDown".
// REQUIRES: target > 0, tolerance >= 0
ReplicaResult CalculatePlainMetricReplicas(const PodMetrics& metrics, int32_t current,
                                           double target, double tolerance);

// stabilizeRecommendationWithBehaviors: bring `current` within [min of the recommendations
// newer than now - scaleUp window, max of those newer than now - scaleDown window], both sets
// including `desired` itself. Reasons "ScaleUpStabilized", "ScaleDownStabilized" (as the Go
// code; it names the direction of the window that could have held it back), or
// "ReadyForNewScale" when the result equals `desired`.
ReplicaResult StabilizeRecommendation(Time now, int32_t current, int32_t desired,
                                      std::span<const Recommendation> recommendations,
                                      const Behavior& behavior);

// Replicas added (for up) or removed (for down) by events strictly newer than now - period.
int32_t ReplicasAddedInPeriod(Time now, std::chrono::seconds period,
                              std::span<const ScaleEvent> events);
int32_t ReplicasRemovedInPeriod(Time now, std::chrono::seconds period,
                                std::span<const ScaleEvent> events);

// calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors: the highest
// (lowest) count the policies allow now. Per policy, periodStart = current - added + removed in
// its period; Pods: periodStart +/- value; Percent: ceil(periodStart * (1 + value/100)) up,
// trunc(periodStart * (1 - value/100)) down; then the selectPolicy picks among policies.
// Disabled -> current.
int32_t CalculateScaleUpLimit(Time now, int32_t current, std::span<const ScaleEvent> events,
                              const ScalingRules& rules);
int32_t CalculateScaleDownLimit(Time now, int32_t current, std::span<const ScaleEvent> events,
                                const ScalingRules& rules);

// convertDesiredReplicasWithBehaviorRate: limit `desired` by the rate policies and
// [min_replicas, max_replicas]. Reasons "ScaleUpLimit", "TooManyReplicas", "ScaleDownLimit",
// "TooFewReplicas" (only when they bind) or "DesiredWithinRange".
ReplicaResult ConvertDesiredReplicasWithBehaviorRate(Time now, int32_t current, int32_t desired,
                                                     int32_t min_replicas, int32_t max_replicas,
                                                     std::span<const ScaleEvent> events,
                                                     const Behavior& behavior);

// One HorizontalPodAutoscaler object.
struct HpaSpec {
  int32_t min_replicas = 1;
  int32_t max_replicas = 10;
  double target_average_value = 1.0;  // metric target per pod
  double tolerance = 0.1;             // --horizontal-pod-autoscaler-tolerance
  Behavior behavior;
};

// What the controller remembers between syncs (horizontal.go: recommendations, scaleUpEvents,
// scaleDownEvents). Entries older than every window/period are dropped.
struct HpaState {
  std::vector<Recommendation> recommendations;
  std::vector<ScaleEvent> scale_events;
};

struct HpaDecision {
  int32_t replicas = 0;        // the new spec.replicas (== current when not rescaling)
  int32_t metric_desired = 0;  // from the replica calculator
  int32_t stabilized = 0;      // after the stabilization window
  bool rescale = false;
  ReplicaResult metric;           // calculator reason (e.g. WithinTolerance)
  ReplicaResult able_to_scale;    // AbleToScale condition reason (stabilization)
  ReplicaResult scaling_limited;  // ScalingLimited condition reason (rate and bounds)
};

// One reconcileAutoscaler pass for a target at `current` replicas: bounds check, replica
// calculator, stabilization, rate limits; records the recommendation and any scale event in
// `state`. With no metrics (nullopt or nobody reporting) the HPA cannot compute a recommendation
// and keeps the current count without recording one.
HpaDecision ReconcileHpa(Time now, const HpaSpec& spec, int32_t current,
                         const std::optional<PodMetrics>& metrics, HpaState& state);

}  // namespace foresight::policies
