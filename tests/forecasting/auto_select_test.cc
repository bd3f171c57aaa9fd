#include "forecasting/auto_select.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "forecasting/model_families.h"

namespace foresight::forecasting {
namespace {

std::vector<double> Seasonal(int n, int period, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> eps(0.0, 2.0);
  std::vector<double> y(n);
  for (int t = 0; t < n; ++t)
    y[t] = 50 + 20 * std::sin(2 * M_PI * t / period) + 0.05 * t + eps(rng);
  return y;
}

struct CandidateCase {
  std::vector<int> periods;
  std::vector<std::string> candidates;
  bool validates;
};

TEST(AutoSelectTest, CandidatesAndValidationDependOnTheSeasons) {
  const std::vector<CandidateCase> cases = {
      {{}, {"arima", "theta"}, true},                  // no season: ARIMA challenged by Theta
      {{24}, {"arima", "theta"}, false},               // short season: ARIMA, Theta if it fails
      {{168}, {"arima", "theta"}, false},              // the longest modelled directly
      {{169}, {"mstl", "theta", "snaive"}, true},      // decomposed
      {{1440}, {"mstl", "theta", "snaive"}, true},     // a day at 1-minute resolution
      {{24, 168}, {"mstl", "theta", "snaive"}, true},  // several seasons
  };
  for (const CandidateCase& c : cases) {
    SCOPED_TRACE(testing::PrintToString(c.periods));
    EXPECT_EQ(AutoCandidates(c.periods), c.candidates);
    EXPECT_EQ(ValidatesCandidates(c.periods), c.validates);
  }
}

TEST(AutoSelectTest, ShortSeasonIsArimaFittedOnTheWholeHistory) {
  // No validation window: `auto` is exactly the ARIMA family on all the data
  // (with validation it would keep the orders chosen without the last points).
  const std::vector<double> y = Seasonal(24 * 14, 24, 3);
  auto automatic = AutoForecast(y, {24}, 12);
  auto arima = (*FindFamily("arima"))(y, {24});
  ASSERT_TRUE(automatic.ok()) << automatic.error();
  ASSERT_TRUE(arima.ok()) << arima.error();
  EXPECT_EQ(automatic->model, (*arima)->Name());
  const PredictiveDistribution expected = (*arima)->Predict(12);
  for (int h = 0; h < 12; ++h) EXPECT_DOUBLE_EQ(automatic->distribution.Mean(h), expected.Mean(h));
}

}  // namespace
}  // namespace foresight::forecasting
