#include "bench/m4/baselines.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace foresight::bench::m4 {
namespace {

TEST(MultiplicativeSeasonalFigureTest, WorkedExampleEvenPeriod) {
  // m = 2, x alternates 10, 20: the 2x2 moving average (weights 1/4, 1/2, 1/4)
  // is 15 at t = 1..4, so x/trend is 2/3 at even t and 4/3 at odd t; the
  // figure already has mean 1.
  const std::vector<double> figure = MultiplicativeSeasonalFigure({10, 20, 10, 20, 10, 20}, 2);
  ASSERT_EQ(figure.size(), 2u);
  EXPECT_NEAR(figure[0], 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(figure[1], 4.0 / 3.0, 1e-12);
}

// x[t] = (50 + t + 3 sin t) * s[t % 4], s = 0.8, 1.2, 1.1, 0.9, t = 0..25:
// a trend with a wobble times a 4-step cycle.
std::vector<double> GoldenSeries() {
  const double s[] = {0.8, 1.2, 1.1, 0.9};
  std::vector<double> x;
  for (int t = 0; t <= 25; ++t) x.push_back((50 + t + 3 * std::sin(t)) * s[t % 4]);
  return x;
}

struct FigureCase {
  int m;
  std::vector<double> expected;
};

TEST(MultiplicativeSeasonalFigureTest, MatchesRDecompose) {
  // decompose(ts(x, frequency = m), type = "multiplicative")$figure in R 4.2.
  const FigureCase cases[] = {
      {4, {0.8001509029, 1.1962926155, 1.1032462260, 0.9003102556}},
      {3, {0.9998551359, 1.0011592955, 0.9989855686}},  // odd m: plain m-term average
  };
  for (const FigureCase& c : cases) {
    const std::vector<double> figure = MultiplicativeSeasonalFigure(GoldenSeries(), c.m);
    ASSERT_EQ(figure.size(), c.expected.size());
    for (size_t i = 0; i < figure.size(); ++i) {
      EXPECT_NEAR(figure[i], c.expected[i], 1e-9) << "m = " << c.m << ", i = " << i;
    }
  }
}

TEST(Naive2Test, MatchesM4ReferenceCodeOnSeasonalSeries) {
  // Naive2(ts(x, frequency = 4), 6) with the M4-methods R code (seasonality
  // test says seasonal): last adjusted value times the figure from position 26.
  const std::vector<double> expected = {82.5604868011, 67.3739471986, 59.8786077865,
                                        89.5235336996, 82.5604868011, 67.3739471986};
  const std::vector<double> f = Naive2(GoldenSeries(), 4, 6);
  ASSERT_EQ(f.size(), expected.size());
  for (size_t h = 0; h < f.size(); ++h) EXPECT_NEAR(f[h], expected[h], 1e-8) << "h = " << h;
}

TEST(Naive2Test, NonSeasonalIsLastValue) {
  // Alternating 10, 20 over 6 points: acf(2) = 2/3 is inside the band
  // 1.645 sqrt((1 + 2 (5/6)^2)/6) = 1.04, so not seasonal: plain naive.
  EXPECT_EQ(Naive2({10, 20, 10, 20, 10, 20}, 2, 3), (std::vector<double>{20, 20, 20}));
}

TEST(SeasonalNaiveTest, RepeatsLastCycle) {
  EXPECT_EQ(SeasonalNaive({1, 2, 3, 4, 5}, 2, 5), (std::vector<double>{4, 5, 4, 5, 4}));
}

}  // namespace
}  // namespace foresight::bench::m4
