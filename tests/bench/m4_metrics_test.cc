#include "bench/m4/m4_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace foresight::bench::m4 {
namespace {

struct SmapeCase {
  const char* name;
  std::vector<double> actual;
  std::vector<double> forecast;
  double expected;
};

TEST(SmapeTest, WorkedExamples) {
  const SmapeCase cases[] = {
      // 200*10/210 = 9.5238095, 200*20/380 = 10.5263158; mean 10.0250627.
      {"two steps", {100, 200}, {110, 180}, 10.0250626566},
      {"perfect", {5, 7}, {5, 7}, 0.0},
      // Opposite signs or a zero forecast give the bound, 200.
      {"zero forecast", {4}, {0}, 200.0},
      // y = f = 0 is 0/0: counted as 0; the other step is 200*1/3.
      {"zero over zero", {0, 2}, {0, 1}, 100.0 / 3.0},
  };
  for (const SmapeCase& c : cases) {
    EXPECT_NEAR(Smape(c.actual, c.forecast), c.expected, 1e-9) << c.name;
  }
}

TEST(MaseTest, WorkedExample) {
  // m = 2: in-sample seasonal-naive errors |3-1|, |5-2|, |4-3|, |8-5| = 2, 3, 1, 3,
  // scale 9/4 = 2.25. Out-of-sample MAE (|10-8| + |10-13|)/2 = 2.5; MASE = 2.5/2.25.
  const std::vector<double> insample = {1, 2, 3, 5, 4, 8};
  EXPECT_DOUBLE_EQ(MaseScale(insample, 2), 2.25);
  EXPECT_NEAR(Mase(insample, {10, 10}, {8, 13}, 2), 2.5 / 2.25, 1e-12);
}

TEST(MaseTest, RepeatingSeriesHasZeroScale) {
  // A series that repeats its cycle exactly: seasonal naive is perfect in-sample.
  const std::vector<double> insample = {1, 2, 1, 2, 1, 2};
  EXPECT_EQ(Mase(insample, {1}, {2}, 2), std::numeric_limits<double>::infinity());
  EXPECT_EQ(Mase(insample, {1}, {1}, 2), 0.0);
}

TEST(OwaTest, WorkedExample) {
  // Half the sMAPE of Naive2 and 0.8 of its MASE: (0.5 + 0.8)/2.
  EXPECT_DOUBLE_EQ(Owa({.smape = 10, .mase = 1.2}, {.smape = 20, .mase = 1.5}), 0.65);
  EXPECT_DOUBLE_EQ(Owa({.smape = 20, .mase = 1.5}, {.smape = 20, .mase = 1.5}), 1.0);
}

TEST(AcfTest, WorkedExample) {
  // x = 1..4: deviations -1.5, -0.5, 0.5, 1.5, sum of squares 5.
  // lag 1: (-0.5)(-1.5) + (0.5)(-0.5) + (1.5)(0.5) = 1.25 -> 0.25
  // lag 2: (0.5)(-1.5) + (1.5)(-0.5) = -1.5 -> -0.3
  const std::vector<double> x = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(Acf(x, 1), 0.25);
  EXPECT_DOUBLE_EQ(Acf(x, 2), -0.3);
  EXPECT_TRUE(std::isnan(Acf({3, 3, 3}, 1)));
}

// Deterministic noise in [-0.5, 0.5): a linear congruential generator, so
// the test does not depend on a library's random engine.
std::vector<double> Noise(int n, unsigned seed) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    out.push_back(static_cast<double>(seed >> 8) / static_cast<double>(1u << 24) - 0.5);
  }
  return out;
}

std::vector<double> DailyCycle(int n, double amplitude, double noise) {
  const std::vector<double> e = Noise(n, 7);
  std::vector<double> x;
  for (int t = 0; t < n; ++t) {
    x.push_back(100 + amplitude * std::sin(2 * M_PI * t / 24.0) + noise * e[t]);
  }
  return x;
}

struct SeasonalityCase {
  const char* name;
  std::vector<double> x;
  int m;
  bool expected;
};

TEST(SeasonalityTestTest, SeasonalAndNonSeasonal) {
  const SeasonalityCase cases[] = {
      // acf(24) is close to 1; the band is about 1.645*sqrt((1+2*~11.5)/240) = 0.52.
      {"clear daily cycle", DailyCycle(240, 20, 2), 24, true},
      // White noise: every acf is O(1/sqrt(n)) = 0.06, the band at lag 24 is 0.11.
      {"white noise", DailyCycle(480, 0, 10), 24, false},
      // The same cycle, but shorter than 3 periods: M4 does not test it.
      {"too short", DailyCycle(71, 20, 2), 24, false},
      {"constant", std::vector<double>(100, 5.0), 24, false},
      {"m = 1", DailyCycle(240, 20, 2), 1, false},
  };
  for (const SeasonalityCase& c : cases) {
    EXPECT_EQ(SeasonalityTest(c.x, c.m), c.expected) << c.name;
  }
}

}  // namespace
}  // namespace foresight::bench::m4
