#include "policies/decision.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "policies/hpa.h"
#include "policies/marginal_sizing.h"

namespace foresight::policies {
namespace {

// As printf's "%.4g" (the standard defines to_chars with a precision so), without the locale
// and varargs machinery: replays decide millions of times, and each decision explains itself.
std::string Fmt(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 4);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}
std::string Str(int64_t v) { return std::to_string(v); }

// ceil(x) with the same guard against floating-point noise as the HPA code.
int32_t CeilReplicas(double x) {
  const double c = std::ceil(x - kCeilEpsilon);
  if (c >= static_cast<double>(std::numeric_limits<int32_t>::max())) {
    return std::numeric_limits<int32_t>::max();
  }
  return static_cast<int32_t>(std::max(c, 0.0));
}

Reason Direction(int32_t to, int32_t from, Reason up, Reason down) {
  return to > from ? up : (to < from ? down : Reason::kWithinTolerance);
}

}  // namespace

const char* ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kScaleUpPredicted:
      return "ScaleUpPredicted";
    case Reason::kScaleUpReactive:
      return "ScaleUpReactive";
    case Reason::kScaleDownPredicted:
      return "ScaleDownPredicted";
    case Reason::kScaleDownReactive:
      return "ScaleDownReactive";
    case Reason::kWithinTolerance:
      return "WithinTolerance";
    case Reason::kStepAdjustment:
      return "StepAdjustment";
    case Reason::kCooldownActive:
      return "CooldownActive";
    case Reason::kScaleUpStabilized:
      return "ScaleUpStabilized";
    case Reason::kScaleDownStabilized:
      return "ScaleDownStabilized";
    case Reason::kRateLimited:
      return "RateLimited";
    case Reason::kClampedToMax:
      return "ClampedToMax";
    case Reason::kClampedToMin:
      return "ClampedToMin";
    case Reason::kMetricsUnavailable:
      return "MetricsUnavailable";
    case Reason::kFallbackReplicas:
      return "FallbackReplicas";
    case Reason::kColdStartReactiveOnly:
      return "ColdStartReactiveOnly";
    case Reason::kForecastOnlyMode:
      return "ForecastOnlyMode";
    case Reason::kAutoscalingDisabled:
      return "AutoscalingDisabled";
    case Reason::kScalingDisabled:
      return "ScalingDisabled";
  }
  return "Unknown";
}

std::optional<double> UsableLoad(std::optional<double> load) {
  if (!load || !std::isfinite(*load) || *load < 0) return std::nullopt;
  return load;
}

bool UsableForecast(std::span<const ForecastPoint> forecast, std::string* why) {
  auto fail = [&](std::string w) {
    if (why) *why = std::move(w);
    return false;
  };
  if (forecast.empty()) return fail("no forecast yet: cold start or too little history");
  for (size_t i = 0; i < forecast.size(); ++i) {
    const ForecastPoint& p = forecast[i];
    if (!std::isfinite(p.mean) || !std::isfinite(p.quantile) || p.mean < 0 || p.quantile < 0) {
      return fail("forecast point at +" + Str(p.offset.count()) + "s is not a finite load >= 0");
    }
    if (i > 0 && !(forecast[i - 1].offset < p.offset)) {
      return fail("forecast offsets are not ascending");
    }
  }
  return true;
}

const ForecastPoint& ForecastAt(std::span<const ForecastPoint> forecast,
                                std::chrono::seconds offset) {
  const ForecastPoint* at = &forecast.front();
  for (const ForecastPoint& p : forecast) {
    if (p.offset <= offset) at = &p;
  }
  return *at;
}

StageResult ReactiveProposal(double load, int32_t current, int32_t ready, const PolicySpec& spec) {
  const double target = spec.target_per_replica;
  if (spec.reactive == ReactiveAlgorithm::kKubernetesHpa) {
    PodMetrics m;
    m.reporting = std::max(ready, 0);
    m.unready = std::max(current - m.reporting, 0);
    m.average = m.reporting > 0 ? load / m.reporting : 0.0;
    ReplicaResult r = CalculatePlainMetricReplicas(m, current, target, spec.tolerance);
    return {r.replicas,
            Direction(r.replicas, current, Reason::kScaleUpReactive, Reason::kScaleDownReactive),
            "HPA rule: " + r.message};
  }
  // ratio of the load to the current capacity; inside the dead-band keep the count.
  const double need = load / target;
  if (current > 0 && std::abs(need / current - 1.0) <= spec.tolerance) {
    return {current, Reason::kWithinTolerance,
            "live load " + Fmt(load) + " needs " + Fmt(need) + " replicas, within " +
                Fmt(100 * spec.tolerance) + "% of the current " + Str(current)};
  }
  const int32_t r = CeilReplicas(need);
  return {r, Direction(r, current, Reason::kScaleUpReactive, Reason::kScaleDownReactive),
          "live load " + Fmt(load) + " / " + Fmt(target) + " per replica = " + Fmt(need) + " -> " +
              Str(r) + " replicas"};
}

// The replicas (before ceil) a forecast point is worth under spec.forecast.sizing, and how
// that was reached, for the messages.
struct Sized {
  double replicas = 0;
  std::string how;
};
Sized SizePoint(const ForecastPoint& p, const PolicySpec& spec) {
  const ForecastSpec& f = spec.forecast;
  const std::string headroom = f.headroom > 0 ? " +" + Fmt(100 * f.headroom) + "% headroom" : "";
  if (f.sizing == Sizing::kMarginal) {
    const double r = MarginalReplicas(p, f.quantile, f.headroom, spec.target_per_replica,
                                      f.marginal_risk);
    return {r, "forecast mean " + Fmt(p.mean) + " (q" + Fmt(f.quantile) + " " + Fmt(p.quantile) +
                   ")" + headroom + ", replicas added while each removes >= " +
                   Fmt(100 * f.marginal_risk) + "% overload risk = " + Fmt(r) + " replicas"};
  }
  // need = q * (1 + headroom) / target
  const double need = p.quantile * (1 + f.headroom) / spec.target_per_replica;
  return {need, "forecast q" + Fmt(f.quantile) + " " + Fmt(p.quantile) + " (mean " + Fmt(p.mean) +
                    ")" + headroom + " = " + Fmt(need) + " replicas"};
}

StageResult PredictiveProposal(std::span<const ForecastPoint> forecast, int32_t current,
                               const PolicySpec& spec) {
  const ForecastSpec& f = spec.forecast;
  const Sized sized = SizePoint(ForecastAt(forecast, f.lead_time()), spec);
  const std::string what = "at +" + Str(f.lead_time().count()) + "s: " + sized.how;
  if (current > 0 && std::abs(sized.replicas / current - 1.0) <= spec.tolerance) {
    return {current, Reason::kWithinTolerance,
            what + ", within " + Fmt(100 * spec.tolerance) + "% of the current " + Str(current)};
  }
  const int32_t r = CeilReplicas(sized.replicas);
  return {r, Direction(r, current, Reason::kScaleUpPredicted, Reason::kScaleDownPredicted),
          what + " -> " + Str(r)};
}

StageResult ForecastFloor(std::span<const ForecastPoint> forecast, const PolicySpec& spec) {
  const std::chrono::seconds lead = spec.forecast.lead_time();
  // The point in force at +0 and every point starting inside (0, lead].
  const ForecastPoint* peak = &ForecastAt(forecast, std::chrono::seconds{0});
  Sized peak_size = SizePoint(*peak, spec);
  for (const ForecastPoint& p : forecast) {
    if (p.offset <= std::chrono::seconds{0} || p.offset > lead) continue;
    Sized s = SizePoint(p, spec);
    if (s.replicas > peak_size.replicas) {
      peak = &p;
      peak_size = std::move(s);
    }
  }
  const int32_t r = CeilReplicas(peak_size.replicas);
  return {r, Reason::kScaleDownPredicted,
          "the forecast peak over the next " + Str(lead.count()) + "s is at +" +
              Str(std::max<int64_t>(0, peak->offset.count())) + "s: " + peak_size.how +
              " -> at least " + Str(r) + " replicas"};
}

StageResult Combine(const CombineInputs& in, const PolicySpec& spec) {
  const int32_t current = in.current;
  if (!in.reactive) {
    // Missing or garbage metrics: never a scale-down.
    int32_t r = current;
    std::string msg = "metrics unavailable (" + Str(in.consecutive_metric_failures) +
                      " consecutive failures): not scaling down";
    if (in.predictive && in.predictive->replicas > r) {
      r = in.predictive->replicas;
      msg +=
          "; scaling up to " + Str(r) + " on the forecast alone (" + in.predictive->message + ")";
    }
    const Fallback& fb = spec.fallback;
    if (fb.replicas && in.consecutive_metric_failures >= fb.failure_threshold) {
      if (*fb.replicas > r) {
        return {*fb.replicas, Reason::kFallbackReplicas,
                "metrics failed " + Str(in.consecutive_metric_failures) +
                    " consecutive times (spec.fallback.failureThreshold " +
                    Str(fb.failure_threshold) + "): raising to the fallback " + Str(*fb.replicas) +
                    " replicas"};
      }
      msg += "; fallback " + Str(*fb.replicas) + " replicas is not above " + Str(r);
    } else if (fb.replicas) {
      msg += "; fallback to " + Str(*fb.replicas) + " replicas after " + Str(fb.failure_threshold) +
             " failures";
    }
    return {r, Reason::kMetricsUnavailable, msg};
  }
  const StageResult& reactive = *in.reactive;
  if (!in.predictive) {
    if (!in.forecast_enabled) return reactive;
    return {reactive.replicas, Reason::kColdStartReactiveOnly,
            in.no_forecast_why + ": reactive only: " + reactive.message};
  }
  const StageResult& predictive = *in.predictive;
  // Never below the reactive proposal.
  int32_t r = std::max(reactive.replicas, predictive.replicas);
  std::string msg;
  if (r > current) {
    const bool predicted = predictive.replicas >= reactive.replicas;
    msg = "scale up from " + Str(current) + " to " + Str(r) + ": " +
          (predicted ? predictive.message + "; reactive proposal " + Str(reactive.replicas)
                     : reactive.message + ", above the forecast's " + Str(predictive.replicas));
    return {r, predicted ? Reason::kScaleUpPredicted : Reason::kScaleUpReactive, msg};
  }
  if (r < current) {
    // Scale in only as far as the forecast over the lead time allows.
    if (in.floor && in.floor->replicas > r) {
      const int32_t floor = std::min(current, in.floor->replicas);
      msg = "; scale-in limited to " + Str(floor) + ": " + in.floor->message;
      r = floor;
    }
    if (r < current) {
      return {r, Reason::kScaleDownPredicted,
              "scale down from " + Str(current) + " to " + Str(r) + ": " + predictive.message +
                  "; reactive proposal " + Str(reactive.replicas) + msg};
    }
  }
  return {current, Reason::kWithinTolerance,
          "keeping " + Str(current) + " replicas: " + predictive.message + "; reactive proposal " +
              Str(reactive.replicas) + msg};
}

StageResult ApplyStepPolicies(int32_t desired, int32_t current,
                              std::span<const StepAdjustment> steps) {
  if (steps.empty() || desired == current || current <= 0) {
    return {desired, Reason::kWithinTolerance, "no step policy applies"};
  }
  // gap in percent of the current capacity
  const double gap = 100.0 * (desired - current) / current;
  // A direction with no steps at all keeps the proportional rule (docs/api.md, stepScaling).
  const bool direction_has_steps = std::any_of(steps.begin(), steps.end(), [&](const auto& s) {
    return gap > 0 ? s.upper_bound_percent.value_or(INFINITY) > 0
                   : s.lower_bound_percent.value_or(-INFINITY) < 0;
  });
  if (!direction_has_steps) {
    // The stage changes nothing, so its reason never reaches the decision; the note says why.
    return {desired, Reason::kWithinTolerance,
            std::string("no step policy for scaling ") + (gap > 0 ? "up" : "down") +
                ": the proportional change stands"};
  }
  const StepAdjustment* band = nullptr;
  for (const StepAdjustment& s : steps) {
    const double lo = s.lower_bound_percent.value_or(-INFINITY);
    const double hi = s.upper_bound_percent.value_or(INFINITY);
    // AWS: above the threshold [lo, hi), below it (lo, hi].
    const bool in = gap > 0 ? (lo <= gap && gap < hi) : (lo < gap && gap <= hi);
    if (in) {
      band = &s;
      break;
    }
  }
  const std::string g = "demand is " + Fmt(gap) + "% of current capacity (" + Str(desired) +
                        " vs " + Str(current) + ")";
  if (!band) {
    return {current, Reason::kStepAdjustment, g + ": no step band covers it, no change"};
  }
  int64_t to = current;
  switch (band->type) {
    case AdjustmentType::kChangeInCapacity:
      to = int64_t{current} + static_cast<int64_t>(band->value);  // whole (Validate)
      break;
    case AdjustmentType::kPercentChangeInCapacity: {
      // AWS rounding: > 1 rounds down, (0, 1) -> 1, (-1, 0) -> -1, < -1 rounds up.
      const double x = current * band->value / 100.0;
      int64_t adj = x >= 1   ? static_cast<int64_t>(std::floor(x))
                    : x > 0  ? 1
                    : x > -1 ? (x < 0 ? -1 : 0)
                             : static_cast<int64_t>(std::ceil(x));
      if (band->min_adjustment_magnitude > 0 && adj != 0 &&
          std::abs(adj) < band->min_adjustment_magnitude) {
        adj = adj > 0 ? band->min_adjustment_magnitude : -band->min_adjustment_magnitude;
      }
      to = current + adj;
      break;
    }
    case AdjustmentType::kExactCapacity:
      to = static_cast<int64_t>(band->value);  // whole, >= 0 (Validate)
      break;
  }
  const auto r =
      static_cast<int32_t>(std::clamp<int64_t>(to, 0, std::numeric_limits<int32_t>::max()));
  return {r, Reason::kStepAdjustment, g + ": step band -> " + Str(r) + " replicas"};
}

StageResult ApplyCooldown(Time now, int32_t desired, int32_t current,
                          std::span<const ScaleEvent> events, const Cooldowns& cooldowns) {
  const bool up = desired > current;
  // A scale-up waits only for the last scale-up: a scale-in must never delay the answer to
  // load that comes back. A scale-down waits for any scaling (as the CRD documents).
  std::optional<Time> last;
  for (const ScaleEvent& e : events) {
    if ((!up || e.is_up()) && (!last || e.time > *last)) last = e.time;
  }
  if (desired == current || !last) {
    return {desired, Reason::kWithinTolerance, "no cooldown applies"};
  }
  const std::chrono::seconds cooldown = up ? cooldowns.scale_up : cooldowns.scale_down;
  const auto since = now - *last;
  if (since < cooldown) {
    return {current, Reason::kCooldownActive,
            std::string(up ? "scale-up" : "scale-down") + " to " + Str(desired) +
                " held: the last " + (up ? "scale-up" : "scale event") + " was " +
                Str(since.count()) + "s ago, cooldown " + Str(cooldown.count()) + "s"};
  }
  return {desired, Reason::kWithinTolerance, "cooldown passed"};
}

StageResult ClampToBounds(int32_t desired, const PolicySpec& spec) {
  if (desired > spec.max_replicas) {
    return {spec.max_replicas, Reason::kClampedToMax,
            "clamped from " + Str(desired) + " to spec.maxReplicas " + Str(spec.max_replicas)};
  }
  if (desired < spec.min_replicas) {
    return {spec.min_replicas, Reason::kClampedToMin,
            "raised from " + Str(desired) + " to spec.minReplicas " + Str(spec.min_replicas)};
  }
  return {desired, Reason::kWithinTolerance, "within [minReplicas, maxReplicas]"};
}

Decision Decide(const DecisionInputs& in, const PolicySpec& spec) {
  Decision d;
  const int32_t current = in.current_replicas;
  d.replicas = d.desired = current;
  if (spec.mode == Mode::kOff) {
    d.reason = Reason::kAutoscalingDisabled;
    d.message = "spec.mode is Off: autoscaling is disabled";
    return d;
  }
  if (current == 0) {
    d.reason = Reason::kScalingDisabled;
    d.message = "the target has 0 replicas: autoscaling is paused until it is scaled up";
    return d;
  }
  auto note = [&](const char* stage, const StageResult& r) {
    d.proposals.push_back({stage, r.replicas, r.message});
  };

  // 1. reactive
  std::optional<StageResult> reactive;
  if (std::optional<double> load = UsableLoad(in.observed_load)) {
    reactive = ReactiveProposal(*load, current, in.ready_replicas, spec);
    note("reactive", *reactive);
  } else {
    d.proposals.push_back({"reactive", current,
                           in.observed_load ? "unusable load value " + Fmt(*in.observed_load)
                                            : std::string("the metrics query failed")});
  }
  // 2. predictive
  CombineInputs c;
  c.current = current;
  c.reactive = reactive;
  c.forecast_enabled = spec.forecast.enabled;
  c.consecutive_metric_failures = in.consecutive_metric_failures;
  if (spec.forecast.enabled && UsableForecast(in.forecast, &c.no_forecast_why)) {
    c.predictive = PredictiveProposal(in.forecast, current, spec);
    c.floor = ForecastFloor(in.forecast, spec);
    note("predictive", *c.predictive);
    note("forecastFloor", *c.floor);
  }
  // 3. combination
  StageResult combined = Combine(c, spec);
  note("combined", combined);
  int32_t value = combined.replicas;
  d.reason = combined.reason;
  d.message = combined.message;
  // Later stages that change the value take over the reason; their message goes first.
  auto apply = [&](const char* stage, const StageResult& r, Reason reason) {
    note(stage, r);
    if (r.replicas != value) {
      d.reason = reason;
      d.message = r.message + "; " + d.message;
      value = r.replicas;
    }
  };
  // 4. step policies
  if (!spec.step_policies.empty()) {
    apply("stepPolicy", ApplyStepPolicies(value, current, spec.step_policies),
          Reason::kStepAdjustment);
  }
  d.recommendation = Recommendation{in.now, value};
  // 5. cooldown and stabilization
  apply("cooldown", ApplyCooldown(in.now, value, current, in.scale_events, spec.cooldown),
        Reason::kCooldownActive);
  const ReplicaResult st =
      StabilizeRecommendation(in.now, current, value, in.recommendations, spec.behavior);
  apply("stabilized", {st.replicas, Reason::kWithinTolerance, st.message},
        st.replicas < value ? Reason::kScaleUpStabilized : Reason::kScaleDownStabilized);
  // 6. rate limits (bounds are the next stage)
  const ReplicaResult rl = ConvertDesiredReplicasWithBehaviorRate(
      in.now, current, value, 0, std::numeric_limits<int32_t>::max(), in.scale_events,
      spec.behavior);
  apply("rateLimited", {rl.replicas, Reason::kRateLimited, rl.message + " (" + rl.reason + ")"},
        Reason::kRateLimited);
  // 7. bounds, mode
  const StageResult clamped = ClampToBounds(value, spec);
  apply("clamped", clamped, clamped.reason);
  d.desired = value;
  if (spec.mode == Mode::kForecastOnly) {
    d.message = std::string("spec.mode is ForecastOnly: not applied; Auto would set ") +
                Str(value) + " replicas (" + ReasonName(d.reason) + "): " + d.message;
    d.reason = Reason::kForecastOnlyMode;
    return d;
  }
  d.replicas = value;
  if (value != current) d.scale_event = ScaleEvent{in.now, current, value};
  return d;
}

}  // namespace foresight::policies
