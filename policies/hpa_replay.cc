#include "policies/hpa_replay.h"

#include <algorithm>
#include <cmath>

#include "policies/hpa.h"

namespace foresight::policies {

HpaReplayResult ReplayHpa(const LoadTrace& trace, double capacity, int64_t delay_seconds,
                          const HpaReplayOptions& options) {
  const int64_t horizon = trace.horizon_seconds();
  const int64_t sync = options.sync.count();
  const int64_t metric_delay = options.metric_delay.count();
  HpaSpec spec;
  spec.min_replicas = options.bounds.min;
  spec.max_replicas = options.bounds.max;
  spec.target_average_value = capacity;
  spec.tolerance = options.tolerance;
  spec.behavior.scale_up.stabilization_window = options.up_window;
  spec.behavior.scale_down.stabilization_window = options.down_window;

  // Initial replicas = clamp(ceil(load(t0) / C)), already ready.
  int32_t current = static_cast<int32_t>(std::clamp(std::ceil(trace.values[0] / capacity - 1e-9),
                                                    static_cast<double>(options.bounds.min),
                                                    static_cast<double>(options.bounds.max)));
  HpaReplayResult out;
  out.decisions.push_back({trace.t0, static_cast<double>(current)});
  out.ready.assign(static_cast<size_t>(horizon), 0);
  PodSet pods(current);
  HpaState state;
  for (int64_t s = 0; s < horizon; s += sync) {
    pods.Advance(s);
    // The metric sample the HPA sees now was taken at s - metric_delay (before the trace start:
    // the first sample, with the pods of t0).
    const int64_t sampled = s - metric_delay;
    double load_then;
    int32_t ready_then;
    if (sampled < 0) {
      load_then = trace.values[0];
      ready_then = s == 0 ? current : out.ready[0];
    } else {
      load_then = trace.LoadAtSecond(sampled);
      ready_then = out.ready[static_cast<size_t>(sampled)];
    }
    PodMetrics metrics;
    metrics.reporting = ready_then > 0 ? pods.ReadySince(sampled) : 0;
    metrics.missing = pods.ready() - metrics.reporting;
    metrics.unready = pods.starting();
    // Traffic is spread evenly over the pods that were ready when it was sampled.
    metrics.average = ready_then > 0 ? load_then / ready_then : 0.0;
    // (Nobody reporting cannot happen here: removals keep the oldest ready pods.)
    const Time now{std::chrono::seconds{s}};
    const HpaDecision d = ReconcileHpa(now, spec, current, metrics, state);
    if (d.replicas != current) {
      pods.SetRequested(s, d.replicas, delay_seconds);
      current = d.replicas;
      out.decisions.push_back({trace.t0 + static_cast<double>(s), static_cast<double>(current)});
    }
    FillReady(pods, s, std::min(s + sync, horizon), out.ready);
  }
  return out;
}

}  // namespace foresight::policies
