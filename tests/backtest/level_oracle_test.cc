#include "backtest/level_oracle.h"

#include <gtest/gtest.h>

#include <cmath>

#include "policies/marginal_sizing.h"

namespace foresight::backtest {
namespace {

TEST(LevelOracleTest, TheMeanIsTheCentredAverageOfTheLoad) {
  // 1 minute grid; a +-60 s window averages three points (two at the ends).
  const LevelOracle oracle({0, 3, 6, 9, 12}, 60, 60, 0.9);
  const auto points = oracle.Points(60, 150);  // now = grid point 1
  ASSERT_EQ(points.size(), 4u);                // offsets 0, 60, 120, 180 (> 150: the last)
  EXPECT_EQ(points[0].offset.count(), 0);
  EXPECT_DOUBLE_EQ(points[0].mean, 3);  // (0 + 3 + 6) / 3
  EXPECT_EQ(points[1].offset.count(), 60);
  EXPECT_DOUBLE_EQ(points[1].mean, 6);
  EXPECT_EQ(points[2].offset.count(), 120);
  EXPECT_DOUBLE_EQ(points[2].mean, 9);
  EXPECT_EQ(points[3].offset.count(), 180);
  EXPECT_DOUBLE_EQ(points[3].mean, 10.5);  // (9 + 12) / 2 at the end
}

TEST(LevelOracleTest, BetweenGridPointsTheOneInForceComesFirst) {
  const LevelOracle oracle({1, 2, 3, 4, 5, 6}, 60, 0, 0.9);
  const auto points = oracle.Points(90, 90);  // inside grid point 1
  ASSERT_GE(points.size(), 3u);
  EXPECT_EQ(points[0].offset.count(), 0);
  EXPECT_DOUBLE_EQ(points[0].mean, 2);
  EXPECT_EQ(points[1].offset.count(), 30);
  EXPECT_DOUBLE_EQ(points[1].mean, 3);
  EXPECT_EQ(points.back().offset.count(), 150);
}

TEST(LevelOracleTest, WindowZeroIsTheExactLoadWithNoSpread) {
  const LevelOracle oracle({5, 1, 7, 2}, 60, 0, 0.9);
  EXPECT_EQ(oracle.spread(), 0);
  for (const policies::ForecastPoint& p : oracle.Points(0, 120)) EXPECT_EQ(p.quantile, p.mean);
}

TEST(LevelOracleTest, TheSpreadIsTheRobustScaleOfTheLoadAroundItsLevel) {
  // Alternating 10 +- 1 around a flat level: every residual is +-1 except at the ends.
  std::vector<double> grid;
  for (int i = 0; i < 400; ++i) grid.push_back(i % 2 == 0 ? 11 : 9);
  const LevelOracle oracle(grid, 60, 600, 0.9);  // +-10 points: 21, odd, so the mean is ~10
  EXPECT_NEAR(oracle.spread(), 1.4826 * 1.0, 0.1);
  const auto p = oracle.Points(6000, 90).front();
  EXPECT_NEAR(p.mean, 10, 0.1);
  EXPECT_NEAR(p.quantile - p.mean, policies::StandardNormalQuantile(0.9) * oracle.spread(), 1e-12);
}

}  // namespace
}  // namespace foresight::backtest
