// The Kubernetes HPA selected as Decide()'s reactive policy (forecast off, no steps or
// cooldowns, default behavior) makes the same decisions as the HPA controller model
// (ReconcileHpa), sync after sync; and the HPA baseline replay sees the same pods the scorer
// simulates from its decisions (score.py's own consistency check in `baseline`).
#include <gtest/gtest.h>

#include <random>

#include "policies/decision.h"
#include "policies/hpa.h"
#include "policies/hpa_replay.h"
#include "policies/simulator.h"

namespace foresight::policies {
namespace {

using std::chrono::seconds;

TEST(HpaAsReactivePolicyTest, DecideMatchesReconcileHpaOverRandomLoad) {
  PolicySpec spec;
  spec.min_replicas = 2;
  spec.max_replicas = 40;
  spec.target_per_replica = 50;
  spec.reactive = ReactiveAlgorithm::kKubernetesHpa;
  spec.forecast.enabled = false;
  ASSERT_TRUE(Validate(spec).empty());
  HpaSpec hpa{spec.min_replicas, spec.max_replicas, spec.target_per_replica, spec.tolerance,
              spec.behavior};

  std::mt19937 rng(7);  // deterministic by rule
  std::lognormal_distribution<double> jump(0.0, 0.6);
  Time now{seconds{1'700'000'000}};
  int32_t current = 4;
  double load = 200;
  HpaState state;
  std::vector<Recommendation> recs;
  std::vector<ScaleEvent> events;
  for (int sync = 0; sync < 2000; ++sync) {
    load = std::min(3000.0, load * jump(rng));  // a jumpy random walk
    DecisionInputs in;
    in.now = now;
    in.current_replicas = in.ready_replicas = current;
    in.observed_load = load;
    in.recommendations = recs;
    in.scale_events = events;
    const Decision d = Decide(in, spec);
    const HpaDecision h =
        ReconcileHpa(now, hpa, current, PodMetrics{load / current, current, 0, 0}, state);
    ASSERT_EQ(d.replicas, h.replicas) << "sync " << sync << " load " << load << ": " << d.message;
    if (d.recommendation) recs.push_back(*d.recommendation);
    if (d.scale_event) events.push_back(*d.scale_event);
    std::erase_if(recs, [&](const Recommendation& r) { return r.time <= now - seconds{300}; });
    std::erase_if(events, [&](const ScaleEvent& e) { return e.time <= now - seconds{15}; });
    current = d.replicas;
    now += seconds{15};
  }
}

TEST(ReplayHpaTest, PodModelAgreesWithTheScorer) {
  // A quiet hour, a 20x flash crowd for 10 minutes, quiet again (1-min samples, C = 10).
  LoadTrace trace{1'000'000, 60, {}};
  for (int m = 0; m < 180; ++m) trace.values.push_back(m >= 60 && m < 70 ? 400.0 : 20.0);
  HpaReplayResult r = ReplayHpa(trace, 10.0, 60);
  Replay sim = Simulate(trace, r.decisions, 60);
  EXPECT_EQ(sim.ready, r.ready);
  // Starts at ceil(20 / 10) = 2. The crowd is seen 30 s late (metric delay) at the sync at
  // 3630 s: 400 / 2 pods = 200 per pod -> ratio 20 -> 40 wanted, rate max(2+4, 4) = 6.
  ASSERT_GE(r.decisions.size(), 3u);
  EXPECT_EQ(r.decisions[0].replicas, 2);
  EXPECT_EQ(r.decisions[1].time, 1'000'000 + 3630);
  EXPECT_EQ(r.decisions[1].replicas, 6);
  // The 300 s window keeps the peak count after the crowd; it must come back down to 2.
  EXPECT_EQ(r.decisions.back().replicas, 2);
  Metrics m = ComputeMetrics(trace, sim, 10.0);
  EXPECT_GT(m.under_provisioned_minutes, 0);  // reactive: the crowd's first minutes are lost
}

}  // namespace
}  // namespace foresight::policies
