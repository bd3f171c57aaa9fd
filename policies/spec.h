// The policy part of the PredictiveAutoscaler spec, as plain values with defaults.
//
// Where a concept is shared with the Kubernetes HorizontalPodAutoscaler (autoscaling/v2) the
// field has the HPA's name (in the comment) and, except the tolerance, its default: minReplicas 1,
// behavior.scaleUp {stabilizationWindowSeconds 0, policies [4 Pods / 15 s, 100 Percent / 15 s],
// selectPolicy Max}, behavior.scaleDown {stabilizationWindowSeconds 300, policies
// [100 Percent / 15 s], selectPolicy Max}. The tolerance dead band defaults to 0 (the HPA's is
// 0.1): a scale-up it holds back is an overload the forecast saw coming.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace foresight::policies {

// spec.mode
enum class Mode {
  kAuto,          // decide and apply
  kForecastOnly,  // compute everything, change nothing (the decision says what Auto would do)
  kOff,           // no autoscaling at all
};

// spec.behavior.scale{Up,Down}.policies[].type
enum class ScalingPolicyType { kPods, kPercent };

// spec.behavior.scale{Up,Down}.selectPolicy
enum class SelectPolicy {
  kMax,       // the policy allowing the largest change
  kMin,       // the policy allowing the smallest change
  kDisabled,  // no scaling in this direction
};

// spec.behavior.scale{Up,Down}.policies[]
struct ScalingPolicy {
  ScalingPolicyType type = ScalingPolicyType::kPods;
  int32_t value = 0;                // pods, or percent of the replicas at period start
  std::chrono::seconds period{15};  // periodSeconds, (0, 1800]
};

// spec.behavior.scale{Up,Down}
struct ScalingRules {
  std::chrono::seconds stabilization_window{0};  // stabilizationWindowSeconds, [0, 3600]
  SelectPolicy select_policy = SelectPolicy::kMax;
  std::vector<ScalingPolicy> policies;
};

// The HPA's defaults (k8s.io/kubernetes pkg/apis/autoscaling/v2/defaults.go and the controller's
// --horizontal-pod-autoscaler-downscale-stabilization=5m).
ScalingRules DefaultScaleUpRules();    // window 0 s; max(+4 pods, +100 %) per 15 s
ScalingRules DefaultScaleDownRules();  // window 300 s; -100 % per 15 s

// spec.behavior
struct Behavior {
  ScalingRules scale_up = DefaultScaleUpRules();
  ScalingRules scale_down = DefaultScaleDownRules();
};

// Which rule turns the live load into the reactive proposal.
enum class ReactiveAlgorithm {
  // ceil(load / targetPerReplica), kept at the current count inside the tolerance dead-band.
  kSimple,
  // The Kubernetes HPA replica calculator (policies/hpa.h): the same rule plus its treatment of
  // unready (starting) pods: on a scale-up they count as idle.
  kKubernetesHpa,
};

// spec.forecast.sizing: how a forecast distribution becomes a replica count.
enum class Sizing {
  kQuantile,  // the replicas that serve the forecast's `quantile`
  kMarginal,  // from the mean up, each replica while it removes >= `marginal_risk` of overload
              // probability (policies/marginal_sizing.h)
};

// spec.forecast.riskTuning: marginalRisk chosen from the workload's own recent traffic
// (policies/risk_tuner.h). Applies with sizing Marginal only.
struct RiskTuning {
  bool enabled = true;
  // The goal: overloaded minutes at most this fraction of what the Kubernetes HPA (default
  // behavior) would have had on the same traffic, in a replay of the window.
  double overload_vs_hpa = 0.25;                          // in (0, 10)
  std::chrono::seconds window{std::chrono::hours(48)};    // replayed traffic, [1m, history]
  std::chrono::seconds interval{std::chrono::hours(24)};  // between choices, >= 1m
  // Scale-down stabilization windows the tuner chooses between as well, longest first; empty:
  // the spec's own window, never changed. The manifest parser sets them when
  // spec.behavior.scaleDown.stabilizationWindowSeconds is left unset (policies/risk_tuner.h).
  std::vector<std::chrono::seconds> scale_down_windows;
};

// spec.forecast
struct ForecastSpec {
  bool enabled = true;
  double quantile = 0.9;                  // of the prediction interval, in (0, 1)
  Sizing sizing = Sizing::kMarginal;      // spec.forecast.sizing
  double marginal_risk = 0.07;            // spec.forecast.marginalRisk, in (0, 1): the value
                                          // until riskTuning first chooses one
  RiskTuning risk_tuning;                 // spec.forecast.riskTuning
  double headroom = 0.0;                  // extra fraction on the forecast, [0, 10]
  std::chrono::seconds pod_startup{60};   // request -> pod ready
  std::chrono::seconds metric_delay{30};  // scrape interval + rate window
  std::chrono::seconds lead_time() const { return pod_startup + metric_delay; }
};

// spec.stepScaling.scale{Up,Down}[]: AWS step-scaling style bands over the gap between demand
// and current capacity, in percent of the current capacity: gap = 100 * (demand - current) /
// current (the manifest parser turns a scale-down step's shortfall bounds into negative gaps).
// A band with no bound is open on that side. As in AWS, for a positive gap the lower bound is
// inclusive and the upper exclusive; for a negative gap the lower bound is exclusive and the
// upper inclusive. Bands may overlap: the first in list order that contains the gap applies.
enum class AdjustmentType {
  kChangeInCapacity,         // value pods (negative = remove)
  kPercentChangeInCapacity,  // value percent of current (AWS rounding, min magnitude)
  kExactCapacity,            // value is the replica count
};
struct StepAdjustment {
  std::optional<double> lower_bound_percent;
  std::optional<double> upper_bound_percent;
  AdjustmentType type = AdjustmentType::kChangeInCapacity;
  // Pods (negative = remove) or the replica count: a whole number; a percent may be fractional.
  double value = 0;
  int32_t min_adjustment_magnitude = 0;  // kPercentChangeInCapacity only; 0 = none
};

// spec.behavior.scale{Up,Down}.cooldownSeconds: no scale-up for scale_up after a scale-up, no
// scale-down for scale_down after any scaling. The HPA has no cooldowns, so both default to 0
// (off).
struct Cooldowns {
  std::chrono::seconds scale_up{0};
  std::chrono::seconds scale_down{0};
};

// spec.fallback (KEDA's name and default threshold)
struct Fallback {
  int32_t failure_threshold = 3;    // consecutive metric failures before falling back
  std::optional<int32_t> replicas;  // unset = no fallback; only ever scales up
};

struct PolicySpec {
  int32_t min_replicas = 1;         // spec.minReplicas
  int32_t max_replicas = 10;        // spec.maxReplicas (required in the HPA; 10 here)
  Mode mode = Mode::kAuto;          // spec.mode
  double target_per_replica = 1.0;  // spec.metric.targetPerReplica: load one replica serves
  double tolerance = 0.0;           // spec.metric.tolerance: dead-band around ratio 1, [0, 1)
  // Not in the resource: the operator and the backtest use kSimple.
  ReactiveAlgorithm reactive = ReactiveAlgorithm::kSimple;
  ForecastSpec forecast;  // spec.forecast
  std::vector<StepAdjustment>
      step_policies;   // spec.stepScaling, scaleUp then scaleDown; empty = off
  Cooldowns cooldown;  // spec.behavior.scale{Up,Down}.cooldownSeconds
  Behavior behavior;                                        // spec.behavior
  Fallback fallback;                                        // spec.fallback
};

// A spec problem: the field's path in the resource and a message naming the fix.
struct FieldError {
  std::string field;    // e.g. "spec.minReplicas"
  std::string message;  // e.g. "spec.minReplicas (5) must be <= spec.maxReplicas (3)"
};

// Every problem with the spec; empty when it is valid. Decide() REQUIRES a valid spec.
std::vector<FieldError> Validate(const PolicySpec& spec);

// Stable names for the enums, as written in the resource.
const char* ModeName(Mode mode);
const char* SelectPolicyName(SelectPolicy select);
const char* SizingName(Sizing sizing);

}  // namespace foresight::policies
