#include "forecasting/stl.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/forecasting/stl_test_util.h"

namespace foresight::forecasting {
namespace {

using testing::ReadCsvColumns;
using testing::RDataPath;

// Each case: an input series, a frequency, the stl() arguments used in
// make_stl_golden.R and R's output. STL here is a port of R's Fortran with
// the same floating-point operations in the same order: on this machine the
// results are bit-identical to R's (the periodic case differs by 7e-15, from
// the order of summation in R's tapply mean). 1e-12 relative to the series
// scale leaves room for other compilers' floating-point contraction only.
struct GoldenCase {
  const char* input;
  int period;
  StlOptions options;
  const char* golden;
};

StlOptions Options(int s_window, bool robust = false) {
  StlOptions o;
  o.s_window = s_window;
  o.robust = robust;
  return o;
}

StlOptions Periodic() {
  StlOptions o;
  o.periodic = true;
  return o;
}

StlOptions Co2Degree1() {
  StlOptions o;
  o.s_window = 21;
  o.s_degree = 1;
  return o;
}

StlOptions Co2Jumps() {
  StlOptions o;
  o.s_window = 13;
  o.t_window = 25;
  o.s_jump = 3;
  o.t_jump = 5;
  o.l_jump = 2;
  return o;
}

TEST(StlTest, MatchesR) {
  const GoldenCase cases[] = {
      {"stl_nottem_input.csv", 12, Options(7), "stl_nottem_s7.csv"},
      {"stl_nottem_input.csv", 12, Periodic(), "stl_nottem_periodic.csv"},
      {"stl_nottem_input.csv", 12, Options(7, /*robust=*/true), "stl_nottem_s7_robust.csv"},
      {"stl_co2_input.csv", 12, Co2Degree1(), "stl_co2_s21_deg1.csv"},
      {"stl_co2_input.csv", 12, Co2Jumps(), "stl_co2_s13_jumps.csv"},
      // Period 144: default jumps 1 (seasonal), 15 (low-pass), 23 (trend).
      {"stl_long_input.csv", 144, Options(7), "stl_long_s7.csv"},
  };
  for (const GoldenCase& c : cases) {
    SCOPED_TRACE(c.golden);
    auto input = ReadCsvColumns(RDataPath(c.input));
    auto golden = ReadCsvColumns(RDataPath(c.golden));
    ASSERT_EQ(input.size(), 1u);
    ASSERT_EQ(golden.size(), 4u);
    const std::vector<double>& y = input[0];
    Result<StlDecomposition> fit = Stl(y, c.period, c.options);
    ASSERT_TRUE(fit.ok()) << fit.error();
    double scale = 0.0;
    for (double v : y) scale = std::max(scale, std::fabs(v));
    const double tol = 1e-12 * scale;
    ASSERT_EQ(fit->seasonal.size(), y.size());
    for (size_t i = 0; i < y.size(); ++i) {
      ASSERT_NEAR(fit->seasonal[i], golden[0][i], tol) << "seasonal at " << i;
      ASSERT_NEAR(fit->trend[i], golden[1][i], tol) << "trend at " << i;
      ASSERT_NEAR(fit->remainder[i], golden[2][i], tol) << "remainder at " << i;
      ASSERT_NEAR(fit->weights[i], golden[3][i], 1e-9) << "weights at " << i;
    }
  }
}

TEST(StlTest, ComponentsAddUpToTheSeries) {
  std::vector<double> y(100);
  for (int t = 0; t < 100; ++t) y[t] = t * 0.1 + std::sin(t * 2.0 * M_PI / 10) + (t % 3);
  auto fit = Stl(y, 10, Options(7));
  ASSERT_TRUE(fit.ok());
  for (int t = 0; t < 100; ++t) {
    EXPECT_NEAR(fit->seasonal[t] + fit->trend[t] + fit->remainder[t], y[t], 1e-12);
  }
}

TEST(StlTest, ConstantSeriesHasZeroSeasonalAndConstantTrend) {
  std::vector<double> y(50, 7.0);
  auto fit = Stl(y, 12, Options(7, /*robust=*/true));
  ASSERT_TRUE(fit.ok());
  for (int t = 0; t < 50; ++t) {
    EXPECT_NEAR(fit->seasonal[t], 0.0, 1e-12);
    EXPECT_NEAR(fit->trend[t], 7.0, 1e-12);
    EXPECT_TRUE(std::isfinite(fit->weights[t]));
  }
}

TEST(StlTest, RejectsBadInput) {
  std::vector<double> short_series(24, 1.0);  // exactly two cycles: R refuses too
  EXPECT_FALSE(Stl(short_series, 12).ok());
  EXPECT_FALSE(Stl(std::vector<double>(30, 1.0), 1).ok());
  std::vector<double> with_nan(30, 1.0);
  with_nan[5] = NAN;
  EXPECT_FALSE(Stl(with_nan, 12).ok());
  StlOptions bad_degree;
  bad_degree.s_degree = 2;
  EXPECT_FALSE(Stl(std::vector<double>(30, 1.0), 12, bad_degree).ok());
}

}  // namespace
}  // namespace foresight::forecasting
