#include "policies/decide_replay.h"

#include <algorithm>
#include <cmath>

#include "policies/hpa.h"

namespace foresight::policies {
namespace {

// How far back the history must reach for Decide(): windows, policy periods and cooldowns.
std::chrono::seconds HistoryHorizon(const PolicySpec& spec) {
  std::chrono::seconds h = std::max({spec.behavior.scale_up.stabilization_window,
                                     spec.behavior.scale_down.stabilization_window,
                                     spec.cooldown.scale_up, spec.cooldown.scale_down});
  for (const ScalingRules* rules : {&spec.behavior.scale_up, &spec.behavior.scale_down}) {
    for (const ScalingPolicy& p : rules->policies) h = std::max(h, p.period);
  }
  return h;
}

}  // namespace

DecideReplayResult ReplayDecide(const LoadTrace& trace, int64_t delay_seconds,
                                const PolicySpec& spec, const ForecastProvider& forecast,
                                const DecideReplayOptions& options) {
  const int64_t horizon = trace.horizon_seconds();
  const int64_t sync = options.sync.count();
  const int64_t metric_delay = options.metric_delay.count();
  const Time t0{std::chrono::seconds{static_cast<int64_t>(std::floor(trace.t0))}};
  const std::chrono::seconds keep = HistoryHorizon(spec);

  int32_t current = static_cast<int32_t>(
      std::clamp(std::ceil(trace.values[0] / spec.target_per_replica - kCeilEpsilon),
                 static_cast<double>(spec.min_replicas), static_cast<double>(spec.max_replicas)));
  DecideReplayResult out;
  out.decisions.push_back({trace.t0, static_cast<double>(current)});
  PodSet pods(current);
  DecisionInputs in;
  PolicySpec live = spec;
  for (int64_t s = 0; s < horizon; s += sync) {
    if (options.adjust_spec_at) options.adjust_spec_at(s, live);
    pods.Advance(s);
    SyncView view;
    view.second = s;
    view.now = t0 + std::chrono::seconds{s};
    view.current = current;
    view.ready = pods.ready();
    view.observed_load = trace.LoadAtSecond(std::max<int64_t>(s - metric_delay, 0));
    in.now = view.now;
    in.current_replicas = current;
    in.ready_replicas = view.ready;
    in.observed_load = view.observed_load;
    in.forecast = forecast ? forecast(view) : std::vector<ForecastPoint>{};
    const Decision d = Decide(in, live);
    ++out.reason_counts[d.reason];
    if (d.recommendation) in.recommendations.push_back(*d.recommendation);
    if (d.scale_event) in.scale_events.push_back(*d.scale_event);
    std::erase_if(in.recommendations,
                  [&](const Recommendation& r) { return r.time <= view.now - keep; });
    std::erase_if(in.scale_events, [&](const ScaleEvent& e) { return e.time <= view.now - keep; });
    if (d.replicas != current) {
      // The simulator's bounds are [1, 1000]; the spec's are inside them once validated.
      pods.SetRequested(s, d.replicas, delay_seconds);
      current = d.replicas;
      out.decisions.push_back({trace.t0 + static_cast<double>(s), static_cast<double>(current)});
    }
  }
  return out;
}

}  // namespace foresight::policies
