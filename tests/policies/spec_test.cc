#include "policies/spec.h"

#include <gtest/gtest.h>

namespace foresight::policies {
namespace {

TEST(SpecDefaultsTest, MatchKubernetesHpaDefaults) {
  PolicySpec spec;
  EXPECT_EQ(spec.min_replicas, 1);
  // The one HPA default not kept: no dead band (the HPA's is 0.1; policies/spec.h says why).
  EXPECT_EQ(spec.tolerance, 0.0);
  // autoscaling/v2 defaults: scaleUp window 0, policies Pods 4 / 15 s and Percent 100 / 15 s,
  // Max; scaleDown window 300 s (controller flag default), Percent 100 / 15 s, Max.
  EXPECT_EQ(spec.behavior.scale_up.stabilization_window.count(), 0);
  ASSERT_EQ(spec.behavior.scale_up.policies.size(), 2u);
  EXPECT_EQ(spec.behavior.scale_up.policies[0].value, 4);
  EXPECT_EQ(spec.behavior.scale_up.policies[1].value, 100);
  EXPECT_EQ(spec.behavior.scale_down.stabilization_window.count(), 300);
  ASSERT_EQ(spec.behavior.scale_down.policies.size(), 1u);
  EXPECT_EQ(spec.behavior.scale_down.policies[0].type, ScalingPolicyType::kPercent);
  EXPECT_EQ(spec.behavior.scale_down.policies[0].period.count(), 15);
  EXPECT_TRUE(Validate(spec).empty());
}

TEST(SpecDefaultsTest, ForecastsAreSizedMarginally) {
  const PolicySpec spec;
  EXPECT_EQ(spec.forecast.sizing, Sizing::kMarginal);
  EXPECT_EQ(spec.forecast.marginal_risk, 0.07);
  EXPECT_EQ(spec.forecast.quantile, 0.9);  // where the band is read and shown
}

TEST(ValidateTest, NamesTheFieldAndTheFix) {
  struct Case {
    const char* why;
    void (*mutate)(PolicySpec&);
    const char* field;
    const char* message;  // exact text of the first error
  } cases[] = {
      {"min above max",
       [](PolicySpec& s) {
         s.min_replicas = 5;
         s.max_replicas = 3;
       },
       "spec.minReplicas",
       "spec.minReplicas (5) must be <= spec.maxReplicas (3); raise maxReplicas or lower "
       "minReplicas"},
      {"quantile out of range", [](PolicySpec& s) { s.forecast.quantile = 1.5; },
       "spec.forecast.quantile",
       "spec.forecast.quantile (1.5) must be in (0,1), e.g. 0.9 for the upper end of an 80% "
       "prediction interval"},
      {"zero target", [](PolicySpec& s) { s.target_per_replica = 0; },
       "spec.metric.targetPerReplica", nullptr},
      {"negative tolerance", [](PolicySpec& s) { s.tolerance = -0.1; }, "spec.metric.tolerance",
       nullptr},
      {"huge window",
       [](PolicySpec& s) {
         s.behavior.scale_down.stabilization_window = std::chrono::seconds{4000};
       },
       "spec.behavior.scaleDown.stabilizationWindowSeconds",
       "spec.behavior.scaleDown.stabilizationWindowSeconds (4000) must be between 0 and 3600 "
       "seconds"},
      {"zero policy value", [](PolicySpec& s) { s.behavior.scale_up.policies[0].value = 0; },
       "spec.behavior.scaleUp.policies[0].value", nullptr},
      {"no policies", [](PolicySpec& s) { s.behavior.scale_up.policies.clear(); },
       "spec.behavior.scaleUp.policies", nullptr},
      {"fallback outside bounds", [](PolicySpec& s) { s.fallback.replicas = 50; },
       "spec.fallback.replicas",
       "spec.fallback.replicas (50) must be between spec.minReplicas (1) and spec.maxReplicas "
       "(10)"},
      {"inverted step band",
       [](PolicySpec& s) {
         s.step_policies = {{10.0, 5.0, AdjustmentType::kChangeInCapacity, 1, 0}};
       },
       "spec.stepScaling.scaleUp[0]", nullptr},
      // Steps are numbered within their direction, as in the resource: the second scale-down
      // step follows a scale-up one.
      {"inverted scale-down step",
       [](PolicySpec& s) {
         s.step_policies = {{0.0, std::nullopt, AdjustmentType::kChangeInCapacity, 1, 0},
                            {std::nullopt, -30.0, AdjustmentType::kChangeInCapacity, -2, 0},
                            {-10.0, -20.0, AdjustmentType::kChangeInCapacity, -1, 0}};
       },
       "spec.stepScaling.scaleDown[1]", nullptr},
      {"fractional pods",
       [](PolicySpec& s) {
         s.step_policies = {{0.0, std::nullopt, AdjustmentType::kChangeInCapacity, 1.5, 0}};
       },
       "spec.stepScaling.scaleUp[0].adjustment", nullptr},
      // 1 would hold every scale-down: the band reaches zero load.
      {"tolerance of one", [](PolicySpec& s) { s.tolerance = 1; }, "spec.metric.tolerance",
       nullptr},
  };
  for (const Case& c : cases) {
    PolicySpec spec;
    c.mutate(spec);
    std::vector<FieldError> errors = Validate(spec);
    ASSERT_FALSE(errors.empty()) << c.why;
    EXPECT_EQ(errors[0].field, c.field) << c.why;
    if (c.message) {
      EXPECT_EQ(errors[0].message, c.message) << c.why;
    }
  }
}

TEST(ValidateTest, OverlappingStepsAreAllowedFirstMatchWins) {
  PolicySpec spec;
  spec.step_policies = {{20.0, 50.0, AdjustmentType::kChangeInCapacity, 5, 0},
                        {0.0, std::nullopt, AdjustmentType::kChangeInCapacity, 1, 0},
                        {0.0, std::nullopt, AdjustmentType::kPercentChangeInCapacity, 2.5, 1}};
  EXPECT_TRUE(Validate(spec).empty());
}

}  // namespace
}  // namespace foresight::policies
