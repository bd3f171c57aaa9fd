#include "policies/hpa.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace foresight::policies {
namespace {

std::string Str(int32_t v) { return std::to_string(v); }

// The longest time any entry of the state can still matter.
std::chrono::seconds Horizon(const Behavior& b) {
  std::chrono::seconds h =
      std::max(b.scale_up.stabilization_window, b.scale_down.stabilization_window);
  for (const auto* rules : {&b.scale_up, &b.scale_down}) {
    for (const ScalingPolicy& p : rules->policies) h = std::max(h, p.period);
  }
  return h;
}

}  // namespace

ReplicaResult CalculatePlainMetricReplicas(const PodMetrics& m, int32_t current, double target,
                                           double tolerance) {
  if (m.reporting <= 0) {
    return {current, "NoMetrics",
            "no pod reported the metric (pods might be unready); keeping " + Str(current) +
                " replicas"};
  }
  // usageRatio = mean(reported) / target
  const double usage = m.average / target;
  const bool scale_up_with_unready = m.unready > 0 && usage > 1.0;
  if (!scale_up_with_unready && m.missing == 0) {
    if (std::abs(1.0 - usage) <= tolerance) {
      return {current, "WithinTolerance",
              "usage ratio " + std::to_string(usage) + " is within the tolerance " +
                  std::to_string(tolerance) + " of 1; keeping " + Str(current) + " replicas"};
    }
    const auto desired = static_cast<int32_t>(std::ceil(usage * m.reporting - kCeilEpsilon));
    return {desired, desired > current ? "ScaleUp" : "ScaleDown",
            "usage ratio " + std::to_string(usage) + " over " + Str(m.reporting) +
                " reporting pods -> " + Str(desired) + " replicas"};
  }
  // Re-run the ratio with missing pods at the target (scale-down) or idle (scale-up), and
  // unready pods idle on a scale-up.
  double total = m.average * m.reporting;
  int32_t count = m.reporting;
  if (m.missing > 0) {
    total += (usage < 1.0 ? target : 0.0) * m.missing;
    count += m.missing;
  }
  if (scale_up_with_unready) count += m.unready;
  const double new_usage = total / count / target;
  if (std::abs(1.0 - new_usage) <= tolerance) {
    return {current, "WithinTolerance",
            "usage ratio " + std::to_string(new_usage) + " counting " + Str(m.missing) +
                " missing and " + Str(scale_up_with_unready ? m.unready : 0) +
                " unready pods is within tolerance; keeping " + Str(current) + " replicas"};
  }
  if ((usage < 1.0 && new_usage > 1.0) || (usage > 1.0 && new_usage < 1.0)) {
    return {current, "DirectionChanged",
            "counting missing and unready pods reverses the direction of the change; keeping " +
                Str(current) + " replicas"};
  }
  const auto desired = static_cast<int32_t>(std::ceil(new_usage * count - kCeilEpsilon));
  if ((new_usage < 1.0 && desired > current) || (new_usage > 1.0 && desired < current)) {
    return {current, "DirectionChanged",
            "the recomputed count " + Str(desired) + " goes against the usage; keeping " +
                Str(current) + " replicas"};
  }
  return {desired, desired > current ? "ScaleUp" : (desired < current ? "ScaleDown" : "NoChange"),
          "usage ratio " + std::to_string(new_usage) + " over " + Str(count) +
              " pods (missing and unready pods accounted) -> " + Str(desired) + " replicas"};
}

ReplicaResult StabilizeRecommendation(Time now, int32_t current, int32_t desired,
                                      std::span<const Recommendation> recommendations,
                                      const Behavior& behavior) {
  const Time up_cutoff = now - behavior.scale_up.stabilization_window;
  const Time down_cutoff = now - behavior.scale_down.stabilization_window;
  int32_t up = desired;    // min over the scale-up window: the most we may scale up to
  int32_t down = desired;  // max over the scale-down window: the least we may scale down to
  for (const Recommendation& r : recommendations) {
    if (r.time > up_cutoff) up = std::min(up, r.replicas);
    if (r.time > down_cutoff) down = std::max(down, r.replicas);
  }
  int32_t result = current;
  if (result < up) result = up;
  if (result > down) result = down;
  if (result < desired) {
    return {result, "ScaleUpStabilized",
            "recent recommendations were lower than this one (" + Str(desired) +
                "): applying the lowest recent recommendation (" + Str(result) + ")"};
  }
  if (result > desired) {
    return {result, "ScaleDownStabilized",
            "recent recommendations were higher than this one (" + Str(desired) +
                "): applying the highest recent recommendation (" + Str(result) + ")"};
  }
  return {result, "ReadyForNewScale", "recommended size matches current size"};
}

int32_t ReplicasAddedInPeriod(Time now, std::chrono::seconds period,
                              std::span<const ScaleEvent> events) {
  const Time cutoff = now - period;
  int32_t n = 0;
  for (const ScaleEvent& e : events) {
    if (e.time > cutoff && e.is_up()) n += e.to - e.from;
  }
  return n;
}

int32_t ReplicasRemovedInPeriod(Time now, std::chrono::seconds period,
                                std::span<const ScaleEvent> events) {
  const Time cutoff = now - period;
  int32_t n = 0;
  for (const ScaleEvent& e : events) {
    if (e.time > cutoff && e.is_down()) n += e.from - e.to;
  }
  return n;
}

int32_t CalculateScaleUpLimit(Time now, int32_t current, std::span<const ScaleEvent> events,
                              const ScalingRules& rules) {
  if (rules.select_policy == SelectPolicy::kDisabled) return current;
  const bool pick_min = rules.select_policy == SelectPolicy::kMin;
  int32_t result =
      pick_min ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int32_t>::min();
  for (const ScalingPolicy& p : rules.policies) {
    const int32_t start = current - ReplicasAddedInPeriod(now, p.period, events) +
                          ReplicasRemovedInPeriod(now, p.period, events);
    const int32_t proposed =
        p.type == ScalingPolicyType::kPods
            ? start + p.value
            // rounded up, else a small percentage of few pods would never scale up
            : static_cast<int32_t>(
                  std::ceil(static_cast<double>(start) * (1 + static_cast<double>(p.value) / 100)));
    result = pick_min ? std::min(result, proposed) : std::max(result, proposed);
  }
  return result;
}

int32_t CalculateScaleDownLimit(Time now, int32_t current, std::span<const ScaleEvent> events,
                                const ScalingRules& rules) {
  if (rules.select_policy == SelectPolicy::kDisabled) return current;
  // For scale-down the smallest change is the highest count.
  const bool pick_min_change = rules.select_policy == SelectPolicy::kMin;
  int32_t result =
      pick_min_change ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int32_t>::max();
  for (const ScalingPolicy& p : rules.policies) {
    const int32_t start = current - ReplicasAddedInPeriod(now, p.period, events) +
                          ReplicasRemovedInPeriod(now, p.period, events);
    const int32_t proposed = p.type == ScalingPolicyType::kPods
                                 ? start - p.value
                                 : static_cast<int32_t>(static_cast<double>(start) *
                                                        (1 - static_cast<double>(p.value) / 100));
    result = pick_min_change ? std::max(result, proposed) : std::min(result, proposed);
  }
  return result;
}

ReplicaResult ConvertDesiredReplicasWithBehaviorRate(Time now, int32_t current, int32_t desired,
                                                     int32_t min_replicas, int32_t max_replicas,
                                                     std::span<const ScaleEvent> events,
                                                     const Behavior& behavior) {
  if (desired > current) {
    // We shouldn't scale up further until the old events fall out of the period.
    const int32_t limit =
        std::max(current, CalculateScaleUpLimit(now, current, events, behavior.scale_up));
    if (max_replicas > limit) {
      if (desired > limit) {
        return {limit, "ScaleUpLimit",
                "the desired replica count (" + Str(desired) +
                    ") is increasing faster than the maximum scale rate (" + Str(limit) + " now)"};
      }
    } else if (desired > max_replicas) {
      return {max_replicas, "TooManyReplicas",
              "the desired replica count (" + Str(desired) +
                  ") is more than the maximum replica count (" + Str(max_replicas) + ")"};
    }
  } else if (desired < current) {
    const int32_t limit =
        std::min(current, CalculateScaleDownLimit(now, current, events, behavior.scale_down));
    if (min_replicas < limit) {
      if (desired < limit) {
        return {limit, "ScaleDownLimit",
                "the desired replica count (" + Str(desired) +
                    ") is decreasing faster than the maximum scale rate (" + Str(limit) + " now)"};
      }
    } else if (desired < min_replicas) {
      return {min_replicas, "TooFewReplicas",
              "the desired replica count (" + Str(desired) +
                  ") is less than the minimum replica count (" + Str(min_replicas) + ")"};
    }
  }
  return {desired, "DesiredWithinRange", "the desired count is within the acceptable range"};
}

HpaDecision ReconcileHpa(Time now, const HpaSpec& spec, int32_t current,
                         const std::optional<PodMetrics>& metrics, HpaState& state) {
  HpaDecision d;
  d.replicas = current;
  d.metric_desired = current;
  d.stabilized = current;
  if (current == 0 && spec.min_replicas != 0) {
    d.able_to_scale = {0, "ScalingDisabled",
                       "scaling is disabled since the replica count of the target is zero"};
    return d;
  }
  if (current > spec.max_replicas || current < spec.min_replicas) {
    const int32_t bound = current > spec.max_replicas ? spec.max_replicas : spec.min_replicas;
    d.replicas = d.metric_desired = d.stabilized = bound;
    d.scaling_limited = {bound, current > spec.max_replicas ? "TooManyReplicas" : "TooFewReplicas",
                         current > spec.max_replicas
                             ? "Current number of replicas above Spec.MaxReplicas"
                             : "Current number of replicas below Spec.MinReplicas"};
  } else {
    if (!metrics || metrics->reporting <= 0) {
      d.metric = {current, "FailedGetPodsMetric",
                  "the HPA was unable to compute the replica count: no pod reported the metric"};
      return d;
    }
    d.metric =
        CalculatePlainMetricReplicas(*metrics, current, spec.target_average_value, spec.tolerance);
    d.metric_desired = d.metric.replicas;
    d.able_to_scale = StabilizeRecommendation(now, current, d.metric_desired, state.recommendations,
                                              spec.behavior);
    d.stabilized = d.able_to_scale.replicas;
    state.recommendations.push_back({now, d.metric_desired});
    d.scaling_limited = ConvertDesiredReplicasWithBehaviorRate(now, current, d.stabilized,
                                                               spec.min_replicas, spec.max_replicas,
                                                               state.scale_events, spec.behavior);
    d.replicas = d.scaling_limited.replicas;
  }
  d.rescale = d.replicas != current;
  if (d.rescale) state.scale_events.push_back({now, current, d.replicas});
  // Forget what no window or period can reach any more.
  const Time cutoff = now - Horizon(spec.behavior);
  std::erase_if(state.recommendations, [&](const Recommendation& r) { return r.time <= cutoff; });
  std::erase_if(state.scale_events, [&](const ScaleEvent& e) { return e.time <= cutoff; });
  return d;
}

}  // namespace foresight::policies
