#include "forecasting/mstl.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>
#include <vector>

#include "tests/forecasting/stl_test_util.h"

namespace foresight::forecasting {
namespace {

using testing::ReadCsvColumns;
using testing::RDataPath;

TEST(MstlTest, MatchesRForecastOnTaylor) {
  // mstl(msts(taylor[1:1344], seasonal.periods = c(48, 336))), forecast 8.20
  // defaults: s.window 11 and 15, iterate 2. Same algorithm, same order of
  // operations: bit-identical on this machine (values are around 3e4 MW).
  auto y = ReadCsvColumns(RDataPath("stl_taylor_input.csv"))[0];
  auto golden = ReadCsvColumns(RDataPath("stl_taylor_mstl.csv"));
  ASSERT_EQ(golden.size(), 4u);
  auto fit = Mstl(y, {336, 48});  // order given does not matter
  ASSERT_TRUE(fit.ok()) << fit.error();
  ASSERT_EQ(fit->periods, (std::vector<int>{48, 336}));
  EXPECT_TRUE(fit->dropped_periods.empty());
  const double tol = 1e-9;  // absolute, on values ~3e4: ~3e-14 relative
  for (size_t i = 0; i < y.size(); ++i) {
    ASSERT_NEAR(fit->trend[i], golden[0][i], tol) << i;
    ASSERT_NEAR(fit->seasonals[0][i], golden[1][i], tol) << i;
    ASSERT_NEAR(fit->seasonals[1][i], golden[2][i], tol) << i;
    ASSERT_NEAR(fit->remainder[i], golden[3][i], tol) << i;
  }
}

TEST(MstlTest, DropsPeriodsWithFewerThanTwoCycles) {
  std::vector<double> y(100);
  for (int t = 0; t < 100; ++t) y[t] = std::sin(2 * M_PI * t / 12.0) + 0.01 * t;
  // 50 is exactly two cycles: R drops it (keeps periods < n / 2); 1 is not seasonal.
  auto fit = Mstl(y, {12, 50, 80, 1});
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ(fit->periods, (std::vector<int>{12}));
  EXPECT_EQ(fit->dropped_periods, (std::vector<int>{1, 50, 80}));
  ASSERT_EQ(fit->seasonals.size(), 1u);
}

TEST(MstlTest, NoUsablePeriodGivesTrendAndRemainderOnly) {
  std::vector<double> y(30);
  for (int t = 0; t < 30; ++t) y[t] = 5.0 + 0.1 * t + ((t % 2) ? 0.3 : -0.3);
  auto fit = Mstl(y, {24});
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_TRUE(fit->periods.empty());
  EXPECT_EQ(fit->dropped_periods, (std::vector<int>{24}));
  EXPECT_TRUE(fit->seasonals.empty());
  for (int t = 0; t < 30; ++t) {
    EXPECT_TRUE(std::isfinite(fit->trend[t]));
    EXPECT_NEAR(fit->trend[t] + fit->remainder[t], y[t], 1e-12);
  }
}

TEST(MstlTest, ConstantSeriesGivesZeroSeasonalsAndNoNaN) {
  std::vector<double> y(500, 3.0);
  auto fit = Mstl(y, {7, 30});
  ASSERT_TRUE(fit.ok()) << fit.error();
  for (int t = 0; t < 500; ++t) {
    EXPECT_NEAR(fit->seasonals[0][t], 0.0, 1e-12);
    EXPECT_NEAR(fit->seasonals[1][t], 0.0, 1e-12);
    EXPECT_NEAR(fit->trend[t], 3.0, 1e-12);
    EXPECT_NEAR(fit->remainder[t], 0.0, 1e-12);
  }
}

TEST(MstlTest, RecoversTwoSyntheticSeasonals) {
  // Daily (24) and weekly (168) sinusoids with a small noise: each seasonal
  // estimate stays within 0.15 of its generating component away from the ends.
  const int n = 168 * 6;
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, 0.1);
  std::vector<double> y(n), daily(n), weekly(n);
  for (int t = 0; t < n; ++t) {
    daily[t] = 2.0 * std::sin(2 * M_PI * t / 24.0);
    weekly[t] = 1.0 * std::cos(2 * M_PI * t / 168.0);
    y[t] = 10.0 + 0.001 * t + daily[t] + weekly[t] + noise(rng);
  }
  auto fit = Mstl(y, {24, 168});
  ASSERT_TRUE(fit.ok()) << fit.error();
  for (int t = 168; t < n - 168; ++t) {
    ASSERT_NEAR(fit->seasonals[0][t], daily[t], 0.15) << t;
    ASSERT_NEAR(fit->seasonals[1][t], weekly[t], 0.15) << t;
  }
}

TEST(MstlTest, RejectsNonFiniteAndMismatchedWindows) {
  std::vector<double> y(100, 1.0);
  y[3] = INFINITY;
  EXPECT_FALSE(Mstl(y, {12}).ok());
  EXPECT_FALSE(Mstl({}, {12}).ok());
  MstlOptions options;
  options.s_windows = {7, 11};
  EXPECT_FALSE(Mstl(std::vector<double>(100, 1.0), {5, 10, 20}, options).ok());
}

// Not a timed test: prints the figures quoted in the report (RelWithDebInfo).
TEST(MstlTest, TimingOnOneMinuteData) {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 1.0);
  auto series = [&](int n) {
    std::vector<double> y(n);
    for (int t = 0; t < n; ++t) {
      y[t] = 100 + 20 * std::sin(2 * M_PI * t / 1440.0) + 10 * std::sin(2 * M_PI * t / 10080.0) +
             noise(rng);
    }
    return y;
  };
  struct Case { int n; std::vector<int> periods; } cases[] = {
      {10080, {1440}}, {40320, {1440, 10080}}};
  for (const Case& c : cases) {
    auto y = series(c.n);
    // Wall time is inflated when the shared machine is busy; CPU time is not.
    auto start = std::chrono::steady_clock::now();
    std::clock_t cpu_start = std::clock();
    auto fit = Mstl(y, c.periods);
    double cpu_ms = 1000.0 * (std::clock() - cpu_start) / CLOCKS_PER_SEC;
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
    ASSERT_TRUE(fit.ok());
    std::printf("MSTL n=%d periods=%zu: %.1f ms wall, %.1f ms CPU\n", c.n, c.periods.size(),
                ms.count(), cpu_ms);
  }
}

}  // namespace
}  // namespace foresight::forecasting
