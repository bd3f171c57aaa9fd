#include "forecasting/distribution.h"

#include <gtest/gtest.h>

namespace foresight::forecasting {
namespace {

TEST(NormalQuantileTest, MatchesKnownValues) {
  // Reference values: R's qnorm().
  struct Case {
    double p, q;
  } cases[] = {
      {0.5, 0.0},
      {0.975, 1.959963984540054},
      {0.9, 1.281551565544601},
      {0.025, -1.959963984540054},
      {1e-10, -6.361340902404056},
      {0.999, 3.090232306167813},
  };
  for (const Case& c : cases) EXPECT_NEAR(NormalQuantile(c.p), c.q, 1e-9) << "p=" << c.p;
}

TEST(PredictiveDistributionTest, NormalIntervalIsSymmetric) {
  auto d = PredictiveDistribution::Normal({10.0}, {2.0});
  Interval i = d.At(0, 0.95);
  EXPECT_NEAR(i.lower, 10.0 - 2.0 * 1.959963984540054, 1e-9);
  EXPECT_NEAR(i.upper, 10.0 + 2.0 * 1.959963984540054, 1e-9);
}

TEST(PredictiveDistributionTest, SampleQuantilesInterpolateLikeRType7) {
  // quantile(1:5, 0.3) in R is 2.2.
  auto d = PredictiveDistribution::FromSamples({3.0}, {{5, 3, 1, 4, 2}});
  EXPECT_DOUBLE_EQ(d.Quantile(0, 0.3), 2.2);
}

TEST(PredictiveDistributionTest, ClampKeepsQuantilesAtOrAboveFloor) {
  auto d = PredictiveDistribution::Normal({1.0, -3.0}, {5.0, 1.0});
  d.ClampBelow(0.0);
  EXPECT_EQ(d.Quantile(0, 0.05), 0.0);
  EXPECT_GT(d.Quantile(0, 0.95), 0.0);
  EXPECT_EQ(d.Mean(1), 0.0);
}

TEST(PredictiveDistributionTest, ShiftAndScaleMoveBothForms) {
  auto n = PredictiveDistribution::Normal({1.0}, {1.0});
  n.Scale({2.0});
  n.Shift({3.0});
  EXPECT_DOUBLE_EQ(n.Mean(0), 5.0);
  EXPECT_NEAR(n.Quantile(0, 0.975), 5.0 + 2.0 * 1.959963984540054, 1e-9);
  auto s = PredictiveDistribution::FromSamples({0.0}, {{-1.0, 1.0}});
  s.Scale({2.0});
  s.Shift({1.0});
  EXPECT_DOUBLE_EQ(s.Quantile(0, 0.0 + 1e-12), -1.0 + 4e-12);
}

}  // namespace
}  // namespace foresight::forecasting
