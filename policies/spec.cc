#include "policies/spec.h"

#include <cmath>
#include <sstream>

namespace foresight::policies {
namespace {

// The HPA's API limits (k8s.io/kubernetes pkg/apis/autoscaling/validation).
constexpr std::chrono::seconds kMaxStabilizationWindow{3600};
constexpr std::chrono::seconds kMaxPolicyPeriod{1800};
constexpr double kMaxHeadroom = 10.0;

std::string Num(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

class Errors {
 public:
  void Add(std::string field, std::string message) {
    list_.push_back({std::move(field), std::move(message)});
  }
  std::vector<FieldError> Take() { return std::move(list_); }

 private:
  std::vector<FieldError> list_;
};

void ValidateRules(const ScalingRules& rules, const std::string& path, Errors& errors) {
  const auto window = rules.stabilization_window;
  if (window.count() < 0 || window > kMaxStabilizationWindow) {
    errors.Add(path + ".stabilizationWindowSeconds", path + ".stabilizationWindowSeconds (" +
                                                         std::to_string(window.count()) +
                                                         ") must be between 0 and 3600 seconds");
  }
  if (rules.select_policy != SelectPolicy::kDisabled && rules.policies.empty()) {
    errors.Add(path + ".policies", path + ".policies must list at least one policy when " + path +
                                       ".selectPolicy is " + SelectPolicyName(rules.select_policy) +
                                       "; add one or set selectPolicy: Disabled");
  }
  for (size_t i = 0; i < rules.policies.size(); ++i) {
    const ScalingPolicy& p = rules.policies[i];
    const std::string at = path + ".policies[" + std::to_string(i) + "]";
    if (p.value <= 0) {
      errors.Add(at + ".value", at + ".value (" + std::to_string(p.value) +
                                    ") must be > 0; to forbid scaling in this direction set " +
                                    path + ".selectPolicy: Disabled");
    }
    if (p.period.count() <= 0 || p.period > kMaxPolicyPeriod) {
      errors.Add(at + ".periodSeconds", at + ".periodSeconds (" + std::to_string(p.period.count()) +
                                            ") must be between 1 and 1800 seconds");
    }
  }
}

// A step's path in the resource. The manifest parser lists scaleUp steps, whose bands lie
// over gaps >= 0, then scaleDown steps, below 0 (policies/spec.h).
std::string StepPath(const std::vector<StepAdjustment>& steps, size_t i) {
  auto up = [](const StepAdjustment& s) { return s.lower_bound_percent.value_or(-1) >= 0; };
  size_t same_direction = 0;
  for (size_t j = 0; j < i; ++j) same_direction += up(steps[j]) == up(steps[i]);
  return std::string("spec.stepScaling.") + (up(steps[i]) ? "scaleUp[" : "scaleDown[") +
         std::to_string(same_direction) + "]";
}

}  // namespace

ScalingRules DefaultScaleUpRules() {
  return ScalingRules{std::chrono::seconds{0},
                      SelectPolicy::kMax,
                      {{ScalingPolicyType::kPods, 4, std::chrono::seconds{15}},
                       {ScalingPolicyType::kPercent, 100, std::chrono::seconds{15}}}};
}

ScalingRules DefaultScaleDownRules() {
  return ScalingRules{std::chrono::seconds{300},
                      SelectPolicy::kMax,
                      {{ScalingPolicyType::kPercent, 100, std::chrono::seconds{15}}}};
}

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kAuto:
      return "Auto";
    case Mode::kForecastOnly:
      return "ForecastOnly";
    case Mode::kOff:
      return "Off";
  }
  return "Unknown";
}

const char* SelectPolicyName(SelectPolicy select) {
  switch (select) {
    case SelectPolicy::kMax:
      return "Max";
    case SelectPolicy::kMin:
      return "Min";
    case SelectPolicy::kDisabled:
      return "Disabled";
  }
  return "Unknown";
}

const char* SizingName(Sizing sizing) {
  switch (sizing) {
    case Sizing::kQuantile:
      return "Quantile";
    case Sizing::kMarginal:
      return "Marginal";
  }
  return "Unknown";
}

std::vector<FieldError> Validate(const PolicySpec& spec) {
  Errors errors;
  if (spec.min_replicas < 1) {
    errors.Add("spec.minReplicas",
               "spec.minReplicas (" + std::to_string(spec.min_replicas) + ") must be >= 1");
  }
  if (spec.max_replicas < 1) {
    errors.Add("spec.maxReplicas",
               "spec.maxReplicas (" + std::to_string(spec.max_replicas) + ") must be >= 1");
  }
  if (spec.min_replicas > spec.max_replicas) {
    errors.Add("spec.minReplicas", "spec.minReplicas (" + std::to_string(spec.min_replicas) +
                                       ") must be <= spec.maxReplicas (" +
                                       std::to_string(spec.max_replicas) +
                                       "); raise maxReplicas or lower minReplicas");
  }
  if (!std::isfinite(spec.target_per_replica) || spec.target_per_replica <= 0) {
    errors.Add("spec.metric.targetPerReplica",
               "spec.metric.targetPerReplica (" + Num(spec.target_per_replica) +
                   ") must be a finite load per replica > 0, e.g. the requests/s one pod serves "
                   "at its target utilisation");
  }
  if (!(spec.tolerance >= 0 && spec.tolerance < 1)) {
    errors.Add("spec.metric.tolerance",
               "spec.metric.tolerance (" + Num(spec.tolerance) +
                   ") must be in [0, 1): at 1 no load would ever scale down; the Kubernetes "
                   "default is 0.1");
  }
  const ForecastSpec& f = spec.forecast;
  if (!(f.quantile > 0 && f.quantile < 1)) {
    errors.Add("spec.forecast.quantile", "spec.forecast.quantile (" + Num(f.quantile) +
                                             ") must be in (0,1), e.g. 0.9 for the upper end of "
                                             "an 80% prediction interval");
  }
  if (!(f.marginal_risk > 0 && f.marginal_risk < 1)) {
    errors.Add("spec.forecast.marginalRisk",
               "spec.forecast.marginalRisk (" + Num(f.marginal_risk) +
                   ") must be in (0,1), e.g. 0.1: add a replica while it removes at least 10% "
                   "probability of overload");
  }
  const RiskTuning& t = f.risk_tuning;
  if (!(t.overload_vs_hpa > 0 && t.overload_vs_hpa < 10)) {
    errors.Add("spec.forecast.riskTuning.overloadVsHpa",
               "spec.forecast.riskTuning.overloadVsHpa (" + Num(t.overload_vs_hpa) +
                   ") must be in (0, 10), e.g. 0.25 for a quarter of the HPA's overloaded minutes");
  }
  if (t.window < std::chrono::minutes(1)) {
    errors.Add("spec.forecast.riskTuning.window", "spec.forecast.riskTuning.window (" +
                                                      std::to_string(t.window.count()) +
                                                      "s) must be at least 1m, e.g. 48h");
  }
  if (t.interval < std::chrono::minutes(1)) {
    errors.Add("spec.forecast.riskTuning.interval", "spec.forecast.riskTuning.interval (" +
                                                        std::to_string(t.interval.count()) +
                                                        "s) must be at least 1m, e.g. 24h");
  }
  if (!(f.headroom >= 0 && f.headroom <= kMaxHeadroom)) {
    errors.Add("spec.forecast.headroom", "spec.forecast.headroom (" + Num(f.headroom) +
                                             ") must be a fraction in [0, 10], e.g. 0.1 for 10%");
  }
  if (f.pod_startup.count() < 0) {
    errors.Add(
        "spec.forecast.startupDelay",
        "spec.forecast.startupDelay (" + std::to_string(f.pod_startup.count()) + "s) must be >= 0");
  }
  if (f.metric_delay.count() < 0) {
    errors.Add(
        "spec.forecast.metricDelay",
        "spec.forecast.metricDelay (" + std::to_string(f.metric_delay.count()) + "s) must be >= 0");
  }
  for (size_t i = 0; i < spec.step_policies.size(); ++i) {
    const StepAdjustment& s = spec.step_policies[i];
    const std::string at = StepPath(spec.step_policies, i);
    if (!s.lower_bound_percent && !s.upper_bound_percent && spec.step_policies.size() > 1) {
      errors.Add(at, at + " has no bound, so it covers every gap; give it a bound or remove the "
                          "other steps");
    }
    if (s.lower_bound_percent && s.upper_bound_percent &&
        !(*s.lower_bound_percent < *s.upper_bound_percent)) {
      errors.Add(at, at + " covers gaps from " + Num(*s.lower_bound_percent) + "% to " +
                         Num(*s.upper_bound_percent) +
                         "%, none: its lowerBound must be less than its upperBound");
    }
    if (!std::isfinite(s.value) ||
        (s.type != AdjustmentType::kPercentChangeInCapacity && s.value != std::floor(s.value))) {
      errors.Add(at + ".adjustment",
                 at + ".adjustment (" + Num(s.value) +
                     ") must be a whole number unless adjustmentType is PercentChangeInCapacity");
    }
    if (s.type == AdjustmentType::kExactCapacity && s.value < 0) {
      errors.Add(at + ".adjustment",
                 at + ".adjustment (" + Num(s.value) + ") must be >= 0 for ExactCapacity");
    }
    if (s.min_adjustment_magnitude < 0 ||
        (s.min_adjustment_magnitude > 0 && s.type != AdjustmentType::kPercentChangeInCapacity)) {
      errors.Add(at + ".minAdjustmentMagnitude",
                 at + ".minAdjustmentMagnitude (" + std::to_string(s.min_adjustment_magnitude) +
                     ") must be >= 0 and is only allowed with PercentChangeInCapacity");
    }
  }
  if (spec.cooldown.scale_up.count() < 0) {
    errors.Add("spec.behavior.scaleUp.cooldownSeconds",
               "spec.behavior.scaleUp.cooldownSeconds (" +
                   std::to_string(spec.cooldown.scale_up.count()) + ") must be >= 0");
  }
  if (spec.cooldown.scale_down.count() < 0) {
    errors.Add("spec.behavior.scaleDown.cooldownSeconds",
               "spec.behavior.scaleDown.cooldownSeconds (" +
                   std::to_string(spec.cooldown.scale_down.count()) + ") must be >= 0");
  }
  ValidateRules(spec.behavior.scale_up, "spec.behavior.scaleUp", errors);
  ValidateRules(spec.behavior.scale_down, "spec.behavior.scaleDown", errors);
  if (spec.fallback.failure_threshold < 1) {
    errors.Add("spec.fallback.failureThreshold",
               "spec.fallback.failureThreshold (" +
                   std::to_string(spec.fallback.failure_threshold) + ") must be >= 1");
  }
  if (spec.fallback.replicas && (*spec.fallback.replicas < spec.min_replicas ||
                                 *spec.fallback.replicas > spec.max_replicas)) {
    errors.Add("spec.fallback.replicas",
               "spec.fallback.replicas (" + std::to_string(*spec.fallback.replicas) +
                   ") must be between spec.minReplicas (" + std::to_string(spec.min_replicas) +
                   ") and spec.maxReplicas (" + std::to_string(spec.max_replicas) + ")");
  }
  return errors.Take();
}

}  // namespace foresight::policies
