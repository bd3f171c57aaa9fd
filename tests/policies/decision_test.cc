// Decide() and its stages. Unless a case says otherwise: target 100 load units per replica,
// replicas in [1, 20], tolerance 0.1, forecast quantile 0.9, lead time 60 s start-up + 30 s
// metric delay = 90 s, HPA default behavior (scale-up max(+4, +100 %) per 15 s, scale-down
// window 300 s). Time comes from a simulated clock.
#include "policies/decision.h"

#include <gtest/gtest.h>

#include <cmath>

namespace foresight::policies {
namespace {

using std::chrono::seconds;

// A simulated clock: a fixed epoch advanced by the test.
struct SimClock {
  Time now{seconds{1'700'000'000}};
  void Advance(seconds d) { now += d; }
};

// The forecasts below are given as quantiles, and the worked examples use the HPA's dead band,
// so these tests size for the quantile with tolerance 0.1 rather than the CRD's defaults.
PolicySpec Spec() {
  PolicySpec s;
  s.min_replicas = 1;
  s.max_replicas = 20;
  s.target_per_replica = 100;
  s.tolerance = 0.1;
  s.forecast.sizing = Sizing::kQuantile;
  return s;
}

// Forecast quantiles at +0 s, +60 s and +120 s; with a 90 s lead the +60 s point is the one
// in force at the lead time.
std::vector<ForecastPoint> Fc(double q0, double q60, double q120) {
  return {
      {seconds{0}, 0.8 * q0, q0}, {seconds{60}, 0.8 * q60, q60}, {seconds{120}, 0.8 * q120, q120}};
}

DecisionInputs In(Time now, int32_t current, std::optional<double> load,
                  std::vector<ForecastPoint> forecast) {
  DecisionInputs in;
  in.now = now;
  in.current_replicas = current;
  in.ready_replicas = current;
  in.observed_load = load;
  in.forecast = std::move(forecast);
  return in;
}

// ---------------------------------------------------------------- stages

TEST(ReactiveProposalTest, HpaRuleWithDeadBand) {
  struct Case {
    const char* why;
    ReactiveAlgorithm algo;
    double load;
    int current, ready, want;
    Reason reason;
  } cases[] = {
      // 450 / 100 = 4.5 replicas; 4.5 / 4 = 1.125 is outside the 10 % band -> ceil(4.5) = 5.
      {"up", ReactiveAlgorithm::kSimple, 450, 4, 4, 5, Reason::kScaleUpReactive},
      // 420 / 100 = 4.2; 4.2 / 4 = 1.05 is inside the band: keep 4.
      {"dead-band", ReactiveAlgorithm::kSimple, 420, 4, 4, 4, Reason::kWithinTolerance},
      // 100 / 100 = 1 replica; 1 / 4 = 0.25 -> 1.
      {"down", ReactiveAlgorithm::kSimple, 100, 4, 4, 1, Reason::kScaleDownReactive},
      // No load at all: 0 replicas (the min clamp comes later).
      {"zero", ReactiveAlgorithm::kSimple, 0, 3, 3, 0, Reason::kScaleDownReactive},
      // 200 over 4 replicas of which 2 are ready: the simple rule wants 2 ...
      {"simple ignores readiness", ReactiveAlgorithm::kSimple, 200, 4, 2, 2,
       Reason::kScaleDownReactive},
      // ... the HPA sees its 2 ready pods at exactly the target (200 / 2 = 100) and keeps 4.
      {"hpa: ready pods at target", ReactiveAlgorithm::kKubernetesHpa, 200, 4, 2, 4,
       Reason::kWithinTolerance},
      // HPA, 600 over 3 ready of 5: 200 each, ratio 2 > 1 with 2 unready counted as 0:
      // 600 / 5 = 120 -> ratio 1.2 over 5 pods: ceil(6.0) = 6.
      {"hpa: unready on scale-up", ReactiveAlgorithm::kKubernetesHpa, 600, 5, 3, 6,
       Reason::kScaleUpReactive},
  };
  for (const Case& c : cases) {
    PolicySpec spec = Spec();
    spec.reactive = c.algo;
    StageResult r = ReactiveProposal(c.load, c.current, c.ready, spec);
    EXPECT_EQ(r.replicas, c.want) << c.why;
    EXPECT_EQ(r.reason, c.reason) << c.why << ": " << ReasonName(r.reason);
  }
}

TEST(PredictiveProposalTest, QuantileAtLeadTimeOverTarget) {
  struct Case {
    const char* why;
    int startup_s;
    double headroom;
    int current, want;
    Reason reason;
  } cases[] = {
      // Lead 60 + 30 = 90 s: the +60 s point (500) is in force: 500 / 100 = 5 > 3.
      {"up", 60, 0.0, 3, 5, Reason::kScaleUpPredicted},
      // 20 % headroom: 500 * 1.2 / 100 = 6.
      {"headroom", 60, 0.2, 3, 6, Reason::kScaleUpPredicted},
      // 5 / 5 = 1: inside the dead-band.
      {"dead-band", 60, 0.0, 5, 5, Reason::kWithinTolerance},
      // Lead 90 + 30 = 120 s reaches the +120 s point: 900 / 100 = 9.
      {"longer start-up", 90, 0.0, 3, 9, Reason::kScaleUpPredicted},
      // 5 replicas suffice where 12 run.
      {"down", 60, 0.0, 12, 5, Reason::kScaleDownPredicted},
  };
  for (const Case& c : cases) {
    PolicySpec spec = Spec();
    spec.forecast.pod_startup = seconds{c.startup_s};
    spec.forecast.headroom = c.headroom;
    StageResult r = PredictiveProposal(Fc(300, 500, 900), c.current, spec);
    EXPECT_EQ(r.replicas, c.want) << c.why;
    EXPECT_EQ(r.reason, c.reason) << c.why;
  }
}

TEST(ForecastFloorTest, PeakOverTheLeadTime) {
  PolicySpec spec = Spec();
  // Points at 0 (300) and 60 (500) fall inside [0, 90]; 120 (900) does not: ceil(5) = 5.
  EXPECT_EQ(ForecastFloor(Fc(300, 500, 900), spec).replicas, 5);
  // A dip at the lead time does not hide a peak before it: max(200, 800, 200) = 8.
  std::vector<ForecastPoint> f = {
      {seconds{0}, 0, 200}, {seconds{30}, 0, 800}, {seconds{90}, 0, 200}};
  EXPECT_EQ(ForecastFloor(f, spec).replicas, 8);
}

CombineInputs CI(int32_t current, std::optional<StageResult> reactive,
                 std::optional<StageResult> predictive, std::optional<StageResult> floor,
                 bool forecast_enabled = true, std::string why = "", int32_t failures = 0) {
  return {current,          std::move(reactive), std::move(predictive),
          std::move(floor), forecast_enabled,    std::move(why),
          failures};
}

TEST(CombineTest, Table) {
  auto up = [](int r) { return StageResult{r, Reason::kScaleUpReactive, "r"}; };
  auto pr = [](int r) { return StageResult{r, Reason::kScaleUpPredicted, "p"}; };
  struct Case {
    const char* why;
    CombineInputs in;
    std::optional<int32_t> fallback;
    int want;
    Reason reason;
  } cases[] = {
      {"forecast above live load", CI(4, up(5), pr(8), pr(1)), {}, 8, Reason::kScaleUpPredicted},
      // Never below the reactive proposal: an unforeseen spike wins.
      {"spike no forecast saw", CI(4, up(9), pr(6), pr(1)), {}, 9, Reason::kScaleUpReactive},
      // Both want 2-3 of 10, but the forecast peak over the lead time needs 6: stop at 6.
      {"scale-in limited by floor",
       CI(10, up(2), pr(3), pr(6)),
       {},
       6,
       Reason::kScaleDownPredicted},
      {"floor above current keeps", CI(10, up(2), pr(3), pr(12)), {}, 10, Reason::kWithinTolerance},
      // Metrics missing: the forecast's 3 would be a scale-down: keep 5.
      {"outage never down",
       CI(5, {}, pr(3), pr(3), true, "", 1),
       {},
       5,
       Reason::kMetricsUnavailable},
      // ... but a forecast above current may still scale up.
      {"outage, forecast up",
       CI(5, {}, pr(8), pr(3), true, "", 1),
       {},
       8,
       Reason::kMetricsUnavailable},
      // failureThreshold 3 reached with fallback 12: raise to 12.
      {"fallback", CI(5, {}, {}, {}, true, "", 3), 12, 12, Reason::kFallbackReplicas},
      {"fallback not yet", CI(5, {}, {}, {}, true, "", 2), 12, 5, Reason::kMetricsUnavailable},
      // Fallback only upwards: 4 < 5.
      {"fallback only up", CI(5, {}, {}, {}, true, "", 9), 4, 5, Reason::kMetricsUnavailable},
      {"cold start",
       CI(4, up(7), {}, {}, true, "no forecast yet", 0),
       {},
       7,
       Reason::kColdStartReactiveOnly},
      // Forecasting switched off in the spec: plain reactive.
      {"forecast disabled",
       CI(4, StageResult{2, Reason::kScaleDownReactive, "r"}, {}, {}, false),
       {},
       2,
       Reason::kScaleDownReactive},
  };
  for (const Case& c : cases) {
    PolicySpec spec = Spec();
    spec.fallback.replicas = c.fallback;
    StageResult r = Combine(c.in, spec);
    EXPECT_EQ(r.replicas, c.want) << c.why;
    EXPECT_EQ(r.reason, c.reason) << c.why << ": " << ReasonName(r.reason);
  }
}

// Bands over gap = 100 * (demand - current) / current:
//   [0, 20): +1 pod;  [20, inf): +50 %, at least 2;  (-inf, -30]: -30 %;  (-30, 0]: -1 pod.
std::vector<StepAdjustment> Bands() {
  return {{0.0, 20.0, AdjustmentType::kChangeInCapacity, 1, 0},
          {20.0, std::nullopt, AdjustmentType::kPercentChangeInCapacity, 50, 2},
          {std::nullopt, -30.0, AdjustmentType::kPercentChangeInCapacity, -30, 0},
          {-30.0, 0.0, AdjustmentType::kChangeInCapacity, -1, 0}};
}

TEST(ApplyStepPoliciesTest, AwsBandsAndRounding) {
  struct Case {
    const char* why;
    std::vector<StepAdjustment> steps;
    int desired, current, want;
  } cases[] = {
      {"gap 10 %: +1", Bands(), 11, 10, 11},
      // 20 % is the lower bound of the second band (inclusive above the threshold): +50 % = 5.
      {"gap 20 %: +50 %", Bands(), 12, 10, 15},
      // 50 % of 2 = 1.0 -> 1, raised to the min magnitude 2.
      {"min magnitude", Bands(), 3, 2, 4},
      // -30 % belongs to (-inf, -30] (upper bound inclusive below the threshold): -3.
      {"gap -30 %", Bands(), 7, 10, 7},
      {"gap -20 %: -1", Bands(), 8, 10, 9},
      {"gap -90 %: -30 %", Bands(), 1, 10, 7},
      // -30 % of 3 = -0.9 -> -1 (AWS: between 0 and -1 rounds to -1).
      {"small percent rounds to one", Bands(), 1, 3, 2},
      // ExactCapacity band [100 %, inf): 20; a gap of 50 % has no band: no change.
      {"exact", {{100.0, std::nullopt, AdjustmentType::kExactCapacity, 20, 0}}, 25, 10, 20},
      {"no band", {{100.0, std::nullopt, AdjustmentType::kExactCapacity, 20, 0}}, 15, 10, 10},
      {"no policies", {}, 15, 10, 15},
      // Overlapping bands: the first in list order that holds the gap applies (docs/api.md).
      // 30 % lies in [20, 50) and in [0, inf); the narrow one is listed first: +5.
      {"first of overlapping bands",
       {{20.0, 50.0, AdjustmentType::kChangeInCapacity, 5, 0},
        {0.0, std::nullopt, AdjustmentType::kChangeInCapacity, 1, 0}},
       13,
       10,
       15},
      {"first of overlapping bands, wide first",
       {{0.0, std::nullopt, AdjustmentType::kChangeInCapacity, 1, 0},
        {20.0, 50.0, AdjustmentType::kChangeInCapacity, 5, 0}},
       13,
       10,
       11},
      // Only scale-up steps: a scale-down keeps the proportional proposal (8), it is not held.
      {"direction without steps",
       {{0.0, std::nullopt, AdjustmentType::kChangeInCapacity, 1, 0}},
       8,
       10,
       8},
      // A fractional percent is used as written: 2.5 % of 200 = 5 pods (not 3 %, 6).
      {"fractional percent",
       {{0.0, std::nullopt, AdjustmentType::kPercentChangeInCapacity, 2.5, 1}},
       230,
       200,
       205},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ApplyStepPolicies(c.desired, c.current, c.steps).replicas, c.want) << c.why;
  }
}

TEST(ApplyStepPoliciesTest, ADirectionWithoutStepsSaysTheProportionalChangeStands) {
  const std::vector<StepAdjustment> up_only = {
      {0.0, std::nullopt, AdjustmentType::kChangeInCapacity, 1, 0}};
  EXPECT_EQ(ApplyStepPolicies(8, 10, up_only).message,
            "no step policy for scaling down: the proportional change stands");
}

TEST(ApplyCooldownTest, PerDirectionSinceLastEvent) {
  SimClock clock;
  const Time t0 = clock.now;
  std::vector<ScaleEvent> events = {{t0, 4, 6}};
  Cooldowns cd{seconds{60}, seconds{300}};
  struct Case {
    const char* why;
    int after_s, desired, want;
  } cases[] = {
      {"up 30 s after: held", 30, 8, 6},
      {"up 60 s after: free", 60, 8, 8},
      {"down 200 s after: held", 200, 3, 6},
      {"down 300 s after: free", 300, 3, 3},
      {"no change", 10, 6, 6},
  };
  for (const Case& c : cases) {
    StageResult r = ApplyCooldown(t0 + seconds{c.after_s}, c.desired, 6, events, cd);
    EXPECT_EQ(r.replicas, c.want) << c.why;
  }
  // After a scale-down, a scale-up is not held (load that comes back is answered at once); a
  // further scale-down is.
  const std::vector<ScaleEvent> down = {{t0, 8, 6}};
  EXPECT_EQ(ApplyCooldown(t0 + seconds{10}, 9, 6, down, cd).replicas, 9);
  EXPECT_EQ(ApplyCooldown(t0 + seconds{10}, 4, 6, down, cd).replicas, 6);
}

TEST(ClampToBoundsTest, Table) {
  PolicySpec spec = Spec();
  spec.min_replicas = 2;
  EXPECT_EQ(ClampToBounds(30, spec).reason, Reason::kClampedToMax);
  EXPECT_EQ(ClampToBounds(30, spec).replicas, 20);
  EXPECT_EQ(ClampToBounds(0, spec).replicas, 2);
  EXPECT_EQ(ClampToBounds(0, spec).reason, Reason::kClampedToMin);
  EXPECT_EQ(ClampToBounds(7, spec).replicas, 7);
}

TEST(UsableInputsTest, GarbageIsRejected) {
  EXPECT_FALSE(UsableLoad(std::nullopt));
  EXPECT_FALSE(UsableLoad(NAN));
  EXPECT_FALSE(UsableLoad(INFINITY));
  EXPECT_FALSE(UsableLoad(-1.0));
  EXPECT_EQ(*UsableLoad(0.0), 0.0);
  std::string why;
  EXPECT_FALSE(UsableForecast({}, &why));
  EXPECT_NE(why.find("cold start"), std::string::npos);
  std::vector<ForecastPoint> bad = Fc(1, NAN, 1);
  EXPECT_FALSE(UsableForecast(bad, &why));
  std::vector<ForecastPoint> unordered = {{seconds{60}, 1, 1}, {seconds{0}, 1, 1}};
  EXPECT_FALSE(UsableForecast(unordered, &why));
  EXPECT_TRUE(UsableForecast(Fc(1, 2, 3), &why));
}

// ---------------------------------------------------------------- Decide()

TEST(DecideTest, Table) {
  SimClock clock;
  const Time now = clock.now;
  struct Case {
    const char* why;
    DecisionInputs in;
    void (*tweak)(PolicySpec&);
    int want;
    Reason reason;
  } cases[] = {
      // Live load 400 = 4 replicas (in tolerance); forecast at +90 s is 800 -> 8; the rate
      // limit allows max(4 + 4, 2 * 4) = 8.
      {"scale up ahead of the load", In(now, 4, 400, Fc(400, 800, 800)), nullptr, 8,
       Reason::kScaleUpPredicted},
      // Live 750 -> 8 although the forecast says 4.
      {"spike no forecast saw", In(now, 4, 750, Fc(400, 400, 400)), nullptr, 8,
       Reason::kScaleUpReactive},
      // Forecast 2000 -> 20 from 2: the rate limit allows max(2 + 4, 4) = 6.
      {"rate limited", In(now, 2, 200, Fc(2000, 2000, 2000)), nullptr, 6, Reason::kRateLimited},
      // Forecast 3000 -> 30 from 15: rate allows max(19, 30) = 30, maxReplicas 20 binds.
      {"clamped to max", In(now, 15, 1500, Fc(3000, 3000, 3000)), nullptr, 20,
       Reason::kClampedToMax},
      // Live 200 and forecast at +90 s 200 -> 2, but 800 is forecast at +30 s: keep 8 of 10.
      {"scale-in floor",
       In(now, 10, 200, {{seconds{0}, 0, 200}, {seconds{30}, 0, 800}, {seconds{90}, 0, 200}}),
       nullptr, 8, Reason::kScaleDownPredicted},
      // No forecast: live 700 -> 7 (within the rate limit 8), and the reason says so.
      {"cold start", In(now, 4, 700, {}), nullptr, 7, Reason::kColdStartReactiveOnly},
      {"garbage forecast", In(now, 4, 700, Fc(NAN, NAN, NAN)), nullptr, 7,
       Reason::kColdStartReactiveOnly},
      // Step bands: live 1200 -> 12 vs 10 is a 20 % gap: +50 % -> 15 (rate allows 20).
      {"step policy", In(now, 10, 1200, {}),
       [](PolicySpec& s) {
         s.forecast.enabled = false;
         s.step_policies = Bands();
       },
       15, Reason::kStepAdjustment},
      // The HPA calculator as the reactive rule, forecast off: 2 of 4 pods ready at exactly
      // the target keep 4 (see ReactiveProposalTest).
      {"hpa reactive",
       [&] {
         DecisionInputs in = In(now, 4, 200, {});
         in.ready_replicas = 2;
         return in;
       }(),
       [](PolicySpec& s) {
         s.forecast.enabled = false;
         s.reactive = ReactiveAlgorithm::kKubernetesHpa;
       },
       4, Reason::kWithinTolerance},
      {"off", In(now, 4, 2000, {}), [](PolicySpec& s) { s.mode = Mode::kOff; }, 4,
       Reason::kAutoscalingDisabled},
      {"target at zero", In(now, 0, 2000, {}), nullptr, 0, Reason::kScalingDisabled},
      // Current above maxReplicas with the load in tolerance: back to 20.
      {"above max", In(now, 25, 2500, Fc(2500, 2500, 2500)), nullptr, 20, Reason::kClampedToMax},
  };
  for (const Case& c : cases) {
    PolicySpec spec = Spec();
    if (c.tweak) c.tweak(spec);
    ASSERT_TRUE(Validate(spec).empty()) << c.why;
    Decision d = Decide(c.in, spec);
    EXPECT_EQ(d.replicas, c.want) << c.why << ": " << d.message;
    EXPECT_EQ(d.reason, c.reason) << c.why << ": " << ReasonName(d.reason) << ": " << d.message;
    EXPECT_EQ(d.scale_event.has_value(), c.want != c.in.current_replicas) << c.why;
  }
}

TEST(DecideTest, PrometheusOutageNeverScalesDown) {
  // 6 replicas; the forecast would allow 1; the load metric is missing or garbage.
  PolicySpec spec = Spec();
  for (std::optional<double> load :
       {std::optional<double>{}, std::optional<double>{NAN}, std::optional<double>{-5.0},
        std::optional<double>{INFINITY}}) {
    SimClock clock;
    Decision d = Decide(In(clock.now, 6, load, Fc(100, 100, 100)), spec);
    EXPECT_EQ(d.replicas, 6);
    EXPECT_EQ(d.reason, Reason::kMetricsUnavailable) << d.message;
    EXPECT_FALSE(d.scale_event);
  }
}

TEST(DecideTest, OutageThenRecoveryHonoursTheDownWindow) {
  // Syncs every 15 s. t = 0..150: metrics down (6 held, recommendations of 6 recorded).
  // From t = 165 the load is back at 100 (1 replica) and so is the forecast; the highest
  // recommendation in the last 300 s is the 6 from t = 150 until t = 450, when it is exactly
  // 300 s old and drops out: then 6 -> 1 in one step (100 % per 15 s).
  PolicySpec spec = Spec();
  SimClock clock;
  const Time start = clock.now;
  int32_t current = 6;
  std::vector<Recommendation> recs;
  std::vector<ScaleEvent> events;
  for (int t = 0; t <= 450; t += 15) {
    const bool outage = t <= 150;
    DecisionInputs in =
        In(clock.now, current, outage ? std::nullopt : std::optional(100.0), Fc(100, 100, 100));
    in.recommendations = recs;
    in.scale_events = events;
    in.consecutive_metric_failures = outage ? t / 15 + 1 : 0;
    Decision d = Decide(in, spec);
    if (t < 450) {
      EXPECT_EQ(d.replicas, 6) << "t=" << t << ": " << d.message;
      EXPECT_EQ(d.reason, outage ? Reason::kMetricsUnavailable : Reason::kScaleDownStabilized)
          << "t=" << t;
    } else {
      EXPECT_EQ(d.replicas, 1) << d.message;
      EXPECT_EQ(d.reason, Reason::kScaleDownPredicted);
    }
    if (d.recommendation) recs.push_back(*d.recommendation);
    if (d.scale_event) events.push_back(*d.scale_event);
    current = d.replicas;
    clock.Advance(seconds{15});
  }
  EXPECT_EQ(clock.now - start, seconds{465});
}

TEST(DecideTest, FallbackAfterThresholdOnlyUpwards) {
  PolicySpec spec = Spec();
  spec.fallback = {3, 10};
  SimClock clock;
  struct Case {
    int failures, current, want;
    Reason reason;
  } cases[] = {
      {2, 6, 6, Reason::kMetricsUnavailable},  // below the threshold
      // At 3 failures: 10 (rate limit max(6 + 4, 12) = 12 lets it through).
      {3, 6, 10, Reason::kFallbackReplicas},
      {5, 12, 12, Reason::kMetricsUnavailable},  // never down to the fallback
  };
  for (const Case& c : cases) {
    DecisionInputs in = In(clock.now, c.current, std::nullopt, {});
    in.consecutive_metric_failures = c.failures;
    Decision d = Decide(in, spec);
    EXPECT_EQ(d.replicas, c.want) << c.failures;
    EXPECT_EQ(d.reason, c.reason) << c.failures << ": " << d.message;
  }
}

TEST(DecideTest, ForecastOnlyComputesButChangesNothing) {
  PolicySpec spec = Spec();
  SimClock clock;
  DecisionInputs in = In(clock.now, 4, 400, Fc(400, 800, 800));
  Decision autod = Decide(in, spec);
  spec.mode = Mode::kForecastOnly;
  Decision d = Decide(in, spec);
  EXPECT_EQ(autod.replicas, 8);
  EXPECT_EQ(d.replicas, 4);
  EXPECT_EQ(d.desired, 8);  // what Auto would do
  EXPECT_EQ(d.reason, Reason::kForecastOnlyMode);
  EXPECT_FALSE(d.scale_event);
  EXPECT_NE(d.message.find("ScaleUpPredicted"), std::string::npos) << d.message;
  EXPECT_EQ(d.proposals.size(), autod.proposals.size());
}

TEST(DecideTest, ColdStartSaysSo) {
  SimClock clock;
  Decision d = Decide(In(clock.now, 4, 700, {}), Spec());
  EXPECT_EQ(ReasonName(d.reason), std::string("ColdStartReactiveOnly"));
  EXPECT_NE(d.message.find("cold start"), std::string::npos) << d.message;
}

TEST(DecideTest, StabilizationAndCooldown) {
  SimClock clock;
  PolicySpec spec = Spec();
  // 8 running, everything says 1; a recommendation of 6 200 s ago is in the 300 s window
  // (the 9 from 400 s ago is not): hold at 6.
  DecisionInputs in = In(clock.now, 8, 100, Fc(100, 100, 100));
  in.recommendations = {{clock.now - seconds{400}, 9}, {clock.now - seconds{200}, 6}};
  Decision d = Decide(in, spec);
  EXPECT_EQ(d.replicas, 6);
  EXPECT_EQ(d.reason, Reason::kScaleDownStabilized);
  EXPECT_EQ(d.recommendation->replicas, 1);  // the unstabilized proposal is what is recorded
  // Scale-up cooldown 60 s, last event 30 s ago: a reactive 8 from 4 is held.
  spec.cooldown.scale_up = seconds{60};
  DecisionInputs up = In(clock.now, 4, 800, {});
  up.scale_events = {{clock.now - seconds{30}, 2, 4}};
  d = Decide(up, spec);
  EXPECT_EQ(d.replicas, 4);
  EXPECT_EQ(d.reason, Reason::kCooldownActive);
}

TEST(DecideTest, KeepsEveryIntermediateProposal) {
  SimClock clock;
  Decision d = Decide(In(clock.now, 4, 400, Fc(400, 800, 800)), Spec());
  std::vector<std::string> stages;
  for (const Proposal& p : d.proposals) stages.push_back(p.stage);
  EXPECT_EQ(stages, (std::vector<std::string>{"reactive", "predictive", "forecastFloor", "combined",
                                              "cooldown", "stabilized", "rateLimited", "clamped"}));
  EXPECT_EQ(d.proposals[0].replicas, 4);  // live 400: in tolerance
  EXPECT_EQ(d.proposals[1].replicas, 8);  // forecast 800 at +90 s
  EXPECT_EQ(d.proposals[2].replicas, 8);  // peak over [0, 90 s]
}

TEST(ReasonNameTest, StableNames) {
  EXPECT_STREQ(ReasonName(Reason::kScaleUpPredicted), "ScaleUpPredicted");
  EXPECT_STREQ(ReasonName(Reason::kScaleDownStabilized), "ScaleDownStabilized");
  EXPECT_STREQ(ReasonName(Reason::kMetricsUnavailable), "MetricsUnavailable");
  EXPECT_STREQ(ReasonName(Reason::kForecastOnlyMode), "ForecastOnlyMode");
}

}  // namespace
}  // namespace foresight::policies
