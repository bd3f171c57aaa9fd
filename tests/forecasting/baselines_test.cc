#include "forecasting/baselines.h"

#include <gtest/gtest.h>

#include "tests/forecasting/golden_data.h"

namespace foresight::forecasting {
namespace {

using testing::ReadGoldenForecast;
using testing::ReadNumericColumn;

void ExpectMatchesR(const PredictiveDistribution& d, const testing::GoldenForecast& g, double tol) {
  ASSERT_EQ(d.horizon(), static_cast<int>(g.mean.size()));
  for (int h = 0; h < d.horizon(); ++h) {
    EXPECT_NEAR(d.Mean(h), g.mean[h], tol) << "step " << h + 1;
    EXPECT_NEAR(d.At(h, 0.80).lower, g.lo80[h], tol) << "step " << h + 1;
    EXPECT_NEAR(d.At(h, 0.95).upper, g.hi95[h], tol) << "step " << h + 1;
  }
}

TEST(NaiveTest, MatchesRNaiveOnWWWusage) {
  auto y = ReadNumericColumn("tests/data/r/series_WWWusage.csv");
  auto fit = FitNaive(y);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name(), "Naive");
  ExpectMatchesR((*fit)->Predict(10),
                 ReadGoldenForecast("tests/data/r/baselines_forecasts.csv", "naive:WWWusage"),
                 1e-9);
}

TEST(SeasonalNaiveTest, MatchesRSnaiveOnUSAccDeathsBeyondOneSeason) {
  // h = 30 spans three seasons, so the sqrt(k) widening of the interval is exercised.
  auto y = ReadNumericColumn("tests/data/r/series_USAccDeaths.csv");
  auto fit = FitSeasonalNaive(y, 12);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name(), "SNaive[12]");
  ExpectMatchesR((*fit)->Predict(30),
                 ReadGoldenForecast("tests/data/r/baselines_forecasts.csv", "snaive:USAccDeaths"),
                 1e-9);
}

TEST(BaselinesTest, TooShortHistoriesAreErrorsNotCrashes) {
  EXPECT_FALSE(FitNaive({}).ok());
  EXPECT_FALSE(FitNaive({1.0}).ok());
  auto short_fit = FitSeasonalNaive({1, 2, 3}, 24);
  ASSERT_FALSE(short_fit.ok());
  EXPECT_NE(short_fit.error().find("too short"), std::string::npos);
  EXPECT_FALSE(FitSeasonalNaive({1, 2, 3}, 0).ok());
}

TEST(BaselinesTest, ConstantSeriesHasZeroWidthIntervals) {
  auto fit = FitNaive(std::vector<double>(20, 5.0));
  ASSERT_TRUE(fit.ok());
  auto d = (*fit)->Predict(3);
  EXPECT_EQ(d.At(2, 0.95).lower, 5.0);
  EXPECT_EQ(d.At(2, 0.95).upper, 5.0);
}

}  // namespace
}  // namespace foresight::forecasting
