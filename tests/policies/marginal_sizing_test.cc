// Marginal sizing (policies/marginal_sizing.h). Target 100 load units per replica, so a load of
// 450 is 4.5 replicas; the spread is given through the 0.9 quantile: quantile = mean +
// z(0.9) * sd with z(0.9) = 1.28155.
#include "policies/marginal_sizing.h"

#include <gtest/gtest.h>

#include <cmath>

#include "policies/decision.h"

namespace foresight::policies {
namespace {

using std::chrono::seconds;

constexpr double kZ90 = 1.2815515655446004;

// A point with mean `mean` and standard deviation `sd` (load units) read through its 0.9 quantile.
ForecastPoint Point(double mean, double sd, seconds offset = seconds{0}) {
  return {offset, mean, mean + kZ90 * sd};
}

TEST(StandardNormalQuantileTest, KnownValues) {
  EXPECT_NEAR(StandardNormalQuantile(0.5), 0.0, 1e-12);
  EXPECT_NEAR(StandardNormalQuantile(0.9), kZ90, 1e-10);
  EXPECT_NEAR(StandardNormalQuantile(0.975), 1.959963984540054, 1e-10);
  EXPECT_NEAR(StandardNormalQuantile(0.001), -3.090232306167813, 1e-9);
}

TEST(MarginalReplicasTest, AddsReplicasWhileEachRemovesEnoughRisk) {
  struct Case {
    const char* why;
    double mean, sd, risk, want;
  } cases[] = {
      // 4.5 +- 1 replica. Start at ceil(4.5) = 5; the 6th covers P(5 < L <= 6) =
      // Phi(1.5) - Phi(0.5) = 0.242 >= 0.1: add; the 7th covers Phi(2.5) - Phi(1.5) = 0.061 < 0.1.
      {"sd 1 replica, risk 0.1", 450, 100, 0.1, 6},
      // At 5% the 7th (0.061) is added too, the 8th (Phi(3.5) - Phi(2.5) = 0.006) is not.
      {"sd 1 replica, risk 0.05", 450, 100, 0.05, 7},
      // At 30% not even the 6th (0.242).
      {"sd 1 replica, risk 0.3", 450, 100, 0.3, 5},
      // A sharp forecast: 5 replicas already cover all but Phi(-2.5) = 0.6%.
      {"sd 0.2 replica", 450, 20, 0.1, 5},
      // A vague one: +-5 replicas. The 6th covers Phi(0.3) - Phi(0.1) = 0.078 < 0.1, so sizing
      // stops at 5 where the 0.9 quantile would ask for ceil(4.5 + 6.4) = 11.
      {"sd 5 replicas", 450, 500, 0.1, 5},
  };
  for (const Case& c : cases) {
    EXPECT_DOUBLE_EQ(MarginalReplicas(Point(c.mean, c.sd), 0.9, 0.0, 100, c.risk), c.want) << c.why;
  }
}

TEST(MarginalReplicasTest, NeverBelowTheMeanAndHeadroomScalesTheLoad) {
  // No spread (the quantile at the mean, or below it): the mean itself, 4.5 replicas.
  EXPECT_DOUBLE_EQ(MarginalReplicas({seconds{0}, 450, 450}, 0.9, 0.0, 100, 0.1), 4.5);
  EXPECT_DOUBLE_EQ(MarginalReplicas({seconds{0}, 450, 300}, 0.9, 0.0, 100, 0.1), 4.5);
  // 20% headroom makes 450 +- 100 into 5.4 +- 1.2 replicas: from 6, the 7th covers
  // Phi(1.333) - Phi(0.5) = 0.217, the 8th Phi(2.167) - Phi(1.333) = 0.076 < 0.1.
  EXPECT_DOUBLE_EQ(MarginalReplicas(Point(450, 100), 0.9, 0.2, 100, 0.1), 7);
  // Less than one replica of load: one whole replica.
  EXPECT_DOUBLE_EQ(MarginalReplicas(Point(20, 5), 0.9, 0.0, 100, 0.1), 1);
}

TEST(MarginalReplicasTest, TheSpreadIsReadAtTheConfiguredQuantileLevel) {
  // The same point (mean 450, quantile 578) is sd 1 replica at level 0.9 but sd 0.654 at 0.975:
  // from 5, the 6th covers Phi(2.29) - Phi(0.76) = 0.211 and the 7th 0.011.
  const ForecastPoint p = Point(450, 100);
  EXPECT_DOUBLE_EQ(MarginalReplicas(p, 0.9, 0.0, 100, 0.1), 6);
  EXPECT_DOUBLE_EQ(MarginalReplicas(p, 0.975, 0.0, 100, 0.02), 6);
  EXPECT_DOUBLE_EQ(MarginalReplicas(p, 0.975, 0.0, 100, 0.01), 7);
}

PolicySpec MarginalSpec() {
  PolicySpec s;
  s.max_replicas = 20;
  s.target_per_replica = 100;
  s.forecast.sizing = Sizing::kMarginal;
  s.forecast.marginal_risk = 0.1;
  return s;
}

TEST(MarginalSizingStagesTest, PredictiveProposalAndFloorUseIt) {
  const PolicySpec spec = MarginalSpec();
  // Lead time 90 s: the +60 s point is in force. Vague there (+-5 replicas around 4.5): 5, where
  // quantile sizing would take 11.
  std::vector<ForecastPoint> f = {Point(450, 100, seconds{0}), Point(450, 500, seconds{60})};
  StageResult p = PredictiveProposal(f, 3, spec);
  EXPECT_EQ(p.replicas, 5);
  EXPECT_EQ(p.reason, Reason::kScaleUpPredicted);
  EXPECT_NE(p.message.find("10% overload risk"), std::string::npos) << p.message;
  PolicySpec quantile = spec;
  quantile.forecast.sizing = Sizing::kQuantile;
  EXPECT_EQ(PredictiveProposal(f, 3, quantile).replicas, 11);
  // The floor over [0, 90 s] takes the larger of the two points' sizes: 6 (the sharp +0 s
  // point, +-1 replica) against 5.
  StageResult floor = ForecastFloor(f, spec);
  EXPECT_EQ(floor.replicas, 6);
  EXPECT_NE(floor.message.find("at +0s"), std::string::npos) << floor.message;
}

TEST(MarginalSizingStagesTest, ValidateNamesTheField) {
  PolicySpec spec = MarginalSpec();
  for (double bad : {0.0, 1.0, -0.5, std::nan("")}) {
    spec.forecast.marginal_risk = bad;
    std::vector<FieldError> errors = Validate(spec);
    ASSERT_EQ(errors.size(), 1u) << bad;
    EXPECT_EQ(errors[0].field, "spec.forecast.marginalRisk");
  }
  EXPECT_STREQ(SizingName(Sizing::kMarginal), "Marginal");
  EXPECT_STREQ(SizingName(Sizing::kQuantile), "Quantile");
}

}  // namespace
}  // namespace foresight::policies
