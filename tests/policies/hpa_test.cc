// The HPA replica math against the worked examples of the Kubernetes documentation,
// "Horizontal Pod Autoscaling"
// (kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/), sections "Algorithm
// details" and "Configurable scaling behavior" (subsections "Scaling policies", "Stabilization
// window", "Default Behavior", "Example: limit scale down rate", "Example: disable scale down").
// Times come from a simulated clock (a fixed epoch plus seconds).
#include "policies/hpa.h"

#include <gtest/gtest.h>

namespace foresight::policies {
namespace {

using std::chrono::seconds;
const Time kT0{seconds{1'700'000'000}};
Time At(int s) { return kT0 + seconds{s}; }

TEST(CalculatePlainMetricReplicasTest, AlgorithmDetails) {
  struct Case {
    const char* why;
    PodMetrics m;
    int32_t current;
    int32_t want;
    const char* reason;
  } cases[] = {
      // "Algorithm details": desired = ceil(current * current/desired metric). 200m vs 100m:
      // the count doubles, 1 -> 2.
      {"200m/100m doubles", {200, 1, 0, 0}, 1, 2, "ScaleUp"},
      // "if the current value is instead 50m, you'll halve the number of replicas": 4 -> 2.
      {"50m/100m halves", {50, 4, 0, 0}, 4, 2, "ScaleDown"},
      // "skips any scaling action if the ratio is sufficiently close to 1.0 (within ... 0.1)":
      // 109/100 and 90/100 are within, 111/100 is not: ceil(1.11 * 10) = 12.
      {"ratio 1.09 within tolerance", {109, 10, 0, 0}, 10, 10, "WithinTolerance"},
      {"ratio 0.90 within tolerance (edge)", {90, 10, 0, 0}, 10, 10, "WithinTolerance"},
      {"ratio 1.11 outside tolerance", {111, 10, 0, 0}, 10, 12, "ScaleUp"},
      // Unready pods on a scale-up count as 0: 3 pods at 150 + 2 unready = 450/5 = 90 -> ratio
      // 0.9, within tolerance after the recount, so no scaling (the doc: "if the new ratio ...
      // is within the tolerance, the control plane skips any scaling action").
      {"unready pods damp a scale-up", {150, 3, 0, 2}, 5, 5, "WithinTolerance"},
      // 3 pods at 200 + 1 unready: 600/4 = 150 -> ratio 1.5 over 4 pods: ceil(6.0) = 6.
      {"unready pods counted at 0", {200, 3, 0, 1}, 4, 6, "ScaleUp"},
      // Unready pods are ignored on a scale-down: 3 pods at 50, 1 unready: ceil(0.5 * 3) = 2.
      {"unready ignored on scale-down", {50, 3, 0, 1}, 4, 2, "ScaleDown"},
      // Missing pods count as 100 % (the target) on a scale-down: 4 at 50 + 2 missing at 100:
      // 400/6 = 66.7 -> ratio 0.667 over 6 pods: ceil(4.0) = 4.
      {"missing at target on scale-down", {50, 4, 2, 0}, 6, 4, "ScaleDown"},
      // ... and as 0 on a scale-up: 2 at 200 + 2 missing at 0 = 400/4 -> ratio 1.0: within
      // tolerance, keep 4.
      {"missing at 0 on scale-up", {200, 2, 2, 0}, 4, 4, "WithinTolerance"},
      // 2 at 300 + 1 missing at 0: 600/3 = 200 -> ratio 2.0 over 3: ceil(6) = 6.
      {"missing at 0, still up", {300, 2, 1, 0}, 3, 6, "ScaleUp"},
      // 1 at 120 + 3 missing at 0: 120/4 = 30 -> ratio 0.3 < 1: the direction flipped, keep.
      {"direction flip keeps current", {120, 1, 3, 0}, 4, 4, "DirectionChanged"},
      // Nobody reported: the HPA cannot compute a metric and keeps the count.
      {"no metrics", {0, 0, 2, 1}, 3, 3, "NoMetrics"},
  };
  for (const Case& c : cases) {
    ReplicaResult r = CalculatePlainMetricReplicas(c.m, c.current, 100.0, 0.1);
    EXPECT_EQ(r.replicas, c.want) << c.why;
    EXPECT_EQ(r.reason, c.reason) << c.why;
  }
}

TEST(StabilizeRecommendationTest, DefaultDownWindowTakesMaxOfLast300s) {
  // "Stabilization window": for scale-down the algorithm uses the highest recommendation in
  // the last 300 s (default). Recommendations strictly newer than now-300 count.
  Behavior b;  // scaleUp window 0, scaleDown window 300
  std::vector<Recommendation> recs = {{At(0), 10}, {At(100), 8}, {At(200), 6}};
  struct Case {
    const char* why;
    int now, current, desired, want;
    const char* reason;
  } cases[] = {
      // At 250 all three are in the window: max(10, 8, 6, 3) = 10: no scale-down.
      {"all in window", 250, 10, 3, 10, "ScaleDownStabilized"},
      // At 300 the sample at 0 is exactly 300 s old: not newer than the cutoff -> max(8,6,3)=8.
      {"edge of window excluded", 300, 10, 3, 8, "ScaleDownStabilized"},
      // At 450 only the sample at 200 remains: max(6, 3) = 6.
      {"older samples expire", 450, 10, 3, 6, "ScaleDownStabilized"},
      // Up has no window: the desired 12 is applied at once.
      {"scale-up immediate", 250, 10, 12, 12, "ReadyForNewScale"},
  };
  for (const Case& c : cases) {
    ReplicaResult r = StabilizeRecommendation(At(c.now), c.current, c.desired, recs, b);
    EXPECT_EQ(r.replicas, c.want) << c.why;
    EXPECT_EQ(r.reason, c.reason) << c.why;
  }
}

TEST(StabilizeRecommendationTest, UpWindowTakesMinAndNeverMovesAgainstCurrent) {
  Behavior b;
  b.scale_up.stabilization_window = seconds{60};
  b.scale_down.stabilization_window = seconds{60};
  std::vector<Recommendation> recs = {{At(10), 4}, {At(40), 9}};
  // Current 5, desired 12: min over the up window = min(4, 9, 12) = 4 <= current, so stay at 5
  // (the window only ever holds a change back, it never reverses it).
  EXPECT_EQ(StabilizeRecommendation(At(60), 5, 12, recs, b).replicas, 5);
  // At 71 the sample at 10 is 61 s old: min(9, 12) = 9 -> scale to 9.
  ReplicaResult r = StabilizeRecommendation(At(71), 5, 12, recs, b);
  EXPECT_EQ(r.replicas, 9);
  EXPECT_EQ(r.reason, "ScaleUpStabilized");
}

TEST(ScaleLimitTest, DefaultBehaviorUpIsMaxOf4PodsAnd100Percent) {
  // "Default Behavior": up to 4 pods or 100 % of the current replicas every 15 s.
  ScalingRules up = DefaultScaleUpRules();
  struct Case {
    int current, want;
  } cases[] = {
      {1, 5},    // max(1 + 4, ceil(1 * 2)) = 5
      {3, 7},    // max(7, 6) = 7
      {4, 8},    // max(8, 8) = 8
      {10, 20},  // max(14, 20) = 20
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CalculateScaleUpLimit(At(0), c.current, {}, up), c.want) << c.current;
  }
  // An event 10 s ago (5 -> 10) is inside the 15 s period: period start is 5, so the limit is
  // max(5 + 4, 10) = 10; 15 s after it, it no longer counts: max(14, 20) = 20.
  std::vector<ScaleEvent> ev = {{At(0), 5, 10}};
  EXPECT_EQ(CalculateScaleUpLimit(At(10), 10, ev, up), 10);
  EXPECT_EQ(CalculateScaleUpLimit(At(15), 10, ev, up), 20);
  // Default scale-down: 100 % per 15 s -> down to 0 (the min clamp then applies).
  EXPECT_EQ(CalculateScaleDownLimit(At(0), 10, {}, DefaultScaleDownRules()), 0);
}

TEST(ScaleLimitTest, ScalingPoliciesDocExample80To10) {
  // "Scaling policies": scaleDown [Pods 4 / 60 s, Percent 10 / 60 s], selectPolicy Max.
  // "if there are 80 replicas and the target has to be scaled down to 10 replicas then during
  // the first step 8 replicas will be reduced. In the next iteration when the number of replicas
  // is 72, 10% of the pods is 7.2 but the number is rounded up to 8. ... When the number of
  // replicas falls below 40 the first policy (Pods) is applied and 4 replicas will be reduced
  // at a time."  One step per minute (the period), so no earlier event is inside it.
  Behavior b;
  b.scale_down.policies = {{ScalingPolicyType::kPods, 4, seconds{60}},
                           {ScalingPolicyType::kPercent, 10, seconds{60}}};
  // 80*0.9=72, 72*0.9=64.8->64, 57.6->57, 51.3->51, 45.9->45, 40.5->40, then 40: both give 36,
  // 36: 32.4->32 and 32 -> 32, 32: 28.8->28 = 28, 28: 25.2->25 vs 24 -> 24, then -4 each to 10.
  const int want[] = {72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12, 10};
  int current = 80;
  std::vector<ScaleEvent> ev;
  for (size_t i = 0; i < std::size(want); ++i) {
    const Time now = At(60 * static_cast<int>(i));
    ReplicaResult r = ConvertDesiredReplicasWithBehaviorRate(now, current, 10, 1, 100, ev, b);
    EXPECT_EQ(r.replicas, want[i]) << "step " << i;
    ev.push_back({now, current, r.replicas});
    current = r.replicas;
  }
  // Within the same minute nothing more may go: 15 s after 80 -> 72 the period start is 80.
  std::vector<ScaleEvent> one = {{At(0), 80, 72}};
  ReplicaResult r = ConvertDesiredReplicasWithBehaviorRate(At(15), 72, 10, 1, 100, one, b);
  EXPECT_EQ(r.replicas, 72);
  EXPECT_EQ(r.reason, "ScaleDownLimit");
}

TEST(ScaleLimitTest, LimitScaleDownRateExamples) {
  // "Example: limit scale down rate": Percent 10 / 60 s removes at most 10 % per minute:
  // 50 -> trunc(45.0) = 45.
  Behavior b;
  b.scale_down.policies = {{ScalingPolicyType::kPercent, 10, seconds{60}}};
  EXPECT_EQ(ConvertDesiredReplicasWithBehaviorRate(At(0), 50, 1, 1, 100, {}, b).replicas, 45);
  // Adding Pods 5 / 60 s with selectPolicy Min: "no more than 5 Pods are removed per minute":
  // 100 replicas: Percent allows 90, Pods 95; Min picks the smaller change -> 95.
  b.scale_down.policies.push_back({ScalingPolicyType::kPods, 5, seconds{60}});
  b.scale_down.select_policy = SelectPolicy::kMin;
  EXPECT_EQ(ConvertDesiredReplicasWithBehaviorRate(At(0), 100, 1, 1, 100, {}, b).replicas, 95);
  // "Example: disable scale down": selectPolicy Disabled -> stays at 100.
  b.scale_down.select_policy = SelectPolicy::kDisabled;
  EXPECT_EQ(ConvertDesiredReplicasWithBehaviorRate(At(0), 100, 1, 1, 100, {}, b).replicas, 100);
}

TEST(ScaleLimitTest, BoundsReasons) {
  Behavior b;
  struct Case {
    const char* why;
    int current, desired, want;
    const char* reason;
  } cases[] = {
      // 3 -> 50: rate allows max(7, 6) = 7 < maxReplicas 10 -> ScaleUpLimit.
      {"rate binds", 3, 50, 7, "ScaleUpLimit"},
      // 8 -> 50: rate allows 16 >= 10 -> maxReplicas binds.
      {"max binds", 8, 50, 10, "TooManyReplicas"},
      // 8 -> 1 with minReplicas 2: the rate allows 0, min binds.
      {"min binds", 8, 1, 2, "TooFewReplicas"},
      {"within", 8, 9, 9, "DesiredWithinRange"},
  };
  for (const Case& c : cases) {
    ReplicaResult r =
        ConvertDesiredReplicasWithBehaviorRate(At(0), c.current, c.desired, 2, 10, {}, b);
    EXPECT_EQ(r.replicas, c.want) << c.why;
    EXPECT_EQ(r.reason, c.reason) << c.why;
  }
}

TEST(ReconcileHpaTest, SpikeThenDropWithDefaults) {
  // Target 100 per pod, 1..100 replicas, default behavior, syncs every 15 s.
  HpaSpec spec{1, 100, 100.0, 0.1, Behavior{}};
  HpaState state;
  int current = 2;
  auto sync = [&](int t, double average) {
    HpaDecision d = ReconcileHpa(At(t), spec, current, PodMetrics{average, current, 0, 0}, state);
    current = d.replicas;
    return d;
  };
  // Load 1000 over 2 pods = 500 each: desired ceil(5 * 2) = 10; rate max(2+4, 4) = 6.
  EXPECT_EQ(sync(0, 500).replicas, 6);
  // Still 1000 in total, now over 6 pods: ceil(1000/100)=10; 15 s later the previous event
  // is out of the period: limit max(10, 12) -> 10.
  EXPECT_EQ(sync(15, 1000.0 / 6).replicas, 10);
  // Load falls to 200 (20 per pod): desired 2, but the 300 s window holds the max of the
  // recommendations (10 at t=0 and 15) -> stay at 10.
  HpaDecision d = sync(30, 20);
  EXPECT_EQ(d.metric_desired, 2);
  EXPECT_EQ(d.replicas, 10);
  EXPECT_EQ(d.able_to_scale.reason, "ScaleDownStabilized");
  // At 315 the recommendations at 0 and 15 are >= 300 s old; only the 2s from 30 on remain.
  for (int t = 45; t < 315; t += 15) EXPECT_EQ(sync(t, 200.0 / current).replicas, 10) << t;
  EXPECT_EQ(sync(315, 20).replicas, 2);  // 100 % per 15 s allows the whole drop
  // Out of range current count is clamped before anything else.
  EXPECT_EQ(ReconcileHpa(At(330), spec, 150, PodMetrics{1, 150, 0, 0}, state).replicas, 100);
  // No metrics: keep the count, record nothing.
  const size_t n = state.recommendations.size();
  EXPECT_EQ(ReconcileHpa(At(345), spec, 7, std::nullopt, state).replicas, 7);
  EXPECT_EQ(state.recommendations.size(), n);
}

}  // namespace
}  // namespace foresight::policies
