#include "forecasting/engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace foresight::forecasting {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> DailyPattern(int n, int period, double level, double noise, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> eps(0.0, noise);
  std::vector<double> y(n);
  for (int t = 0; t < n; ++t)
    y[t] = level * (1.0 + 0.5 * std::sin(2 * M_PI * t / period)) + eps(rng);
  return y;
}

struct HardHistory {
  const char* name;
  std::vector<double> values;
};

std::vector<HardHistory> HardHistories() {
  std::vector<double> with_gaps = DailyPattern(200, 24, 100, 5, 1);
  for (int t = 50; t < 60; ++t) with_gaps[t] = kNaN;
  with_gaps[120] = std::numeric_limits<double>::infinity();
  std::vector<double> with_spike = DailyPattern(200, 24, 100, 5, 2);
  with_spike[100] = 1e6;
  std::vector<double> negative = DailyPattern(200, 24, 1, 2, 3);  // dips below zero
  std::vector<double> huge = DailyPattern(200, 24, 1e12, 1e10, 4);
  std::vector<double> tiny = DailyPattern(200, 24, 1e-9, 1e-11, 5);
  std::vector<double> leading_nan(10, kNaN);
  for (double v : DailyPattern(100, 24, 50, 2, 6)) leading_nan.push_back(v);
  std::vector<double> trailing_nan = DailyPattern(100, 24, 50, 2, 7);
  for (int i = 0; i < 5; ++i) trailing_nan.push_back(kNaN);
  std::vector<double> mostly_zero(200, 0.0);
  mostly_zero[150] = 3.0;
  return {
      {"gaps_and_inf", with_gaps},
      {"spike", with_spike},
      {"negative", negative},
      {"huge", huge},
      {"tiny", tiny},
      {"leading_nan", leading_nan},
      {"trailing_nan", trailing_nan},
      {"constant", std::vector<double>(100, 42.0)},
      {"all_zero", std::vector<double>(100, 0.0)},
      {"mostly_zero", mostly_zero},
      {"one_point", {5.0}},
      {"two_points", {5.0, 6.0}},
      {"short_seasonal", DailyPattern(30, 24, 10, 1, 8)},
      {"step_change",
       [] {
         std::vector<double> y(150, 10.0);
         for (int t = 100; t < 150; ++t) y[t] = 1000.0;
         return y;
       }()},
  };
}

// Every model on every hard history: a forecast comes back, finite,
// non-negative, and with ordered interval bounds.
TEST(EngineRobustnessTest, NeverNaNInfiniteOrNegative) {
  for (const std::string& model : ModelNames()) {
    for (const HardHistory& hist : HardHistories()) {
      ForecastOptions options{.horizon = 30, .seasonal_periods = {24}, .model = model};
      auto f = ForecastSeries(hist.values, options);
      ASSERT_TRUE(f.ok()) << model << " on " << hist.name << ": " << f.error();
      const PredictiveDistribution& d = f->distribution;
      ASSERT_EQ(d.horizon(), 30);
      for (int h = 0; h < 30; ++h) {
        SCOPED_TRACE(model + " on " + hist.name + " step " + std::to_string(h + 1));
        double mean = d.Mean(h);
        Interval i95 = d.At(h, 0.95), i80 = d.At(h, 0.80);
        ASSERT_TRUE(std::isfinite(mean) && std::isfinite(i95.lower) && std::isfinite(i95.upper));
        EXPECT_GE(mean, 0.0);
        EXPECT_GE(i95.lower, 0.0);
        EXPECT_LE(i95.lower, i80.lower + 1e-9 * std::abs(i80.lower));
        EXPECT_LE(i80.upper, i95.upper + 1e-9 * std::abs(i95.upper));
      }
      EXPECT_FALSE(f->model.empty());
    }
  }
}

TEST(EngineTest, ConstantHistoryForecastsTheConstantAndSaysSo) {
  auto f = ForecastSeries(std::vector<double>(50, 7.0), {.horizon = 5});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->model, "Constant");
  EXPECT_EQ(f->distribution.Mean(4), 7.0);
  EXPECT_EQ(f->distribution.At(4, 0.95).upper, 7.0);
  ASSERT_FALSE(f->notes.empty());
  EXPECT_NE(f->notes.back().find("constant"), std::string::npos);
}

TEST(EngineTest, ShortHistoryDropsTheSeasonAndSaysSo) {
  auto f = ForecastSeries(DailyPattern(30, 24, 10, 1, 9), {.horizon = 5, .seasonal_periods = {24}});
  ASSERT_TRUE(f.ok());
  bool explained = false;
  for (const std::string& n : f->notes)
    explained |= n.find("not longer than 2 seasons of 24") != std::string::npos;
  EXPECT_TRUE(explained);
}

TEST(EngineTest, ExactlyTwoSeasonsAreTooFewAndSaySo) {
  // MSTL keeps only periods under half the series: at exactly two cycles the season would
  // be dropped there without a word, so it is dropped here, with the note.
  auto f = ForecastSeries(DailyPattern(48, 24, 10, 1, 9),
                          {.horizon = 5, .seasonal_periods = {24}, .model = "mstl"});
  ASSERT_TRUE(f.ok()) << f.error();
  bool explained = false;
  for (const std::string& n : f->notes)
    explained |= n.find("not longer than 2 seasons of 24") != std::string::npos;
  EXPECT_TRUE(explained) << ::testing::PrintToString(f->notes);
}

TEST(EngineTest, UnusableInputIsAnErrorNamingTheProblem) {
  struct Case {
    std::vector<double> history;
    ForecastOptions options;
    const char* expected;
  } cases[] = {
      {{}, {.horizon = 3}, "no finite value"},
      {{kNaN, kNaN}, {.horizon = 3}, "no finite value"},
      {{1, 2, 3}, {.horizon = 0}, "horizon must be at least 1"},
      {{1, 2, 3}, {.horizon = 3, .model = "prophet"}, "unknown model 'prophet'"},
      {{1, 2, 3}, {.horizon = 3, .seasonal_periods = {0}}, "seasonal periods must be >= 1"},
  };
  for (const Case& c : cases) {
    auto f = ForecastSeries(c.history, c.options);
    ASSERT_FALSE(f.ok()) << c.expected;
    EXPECT_NE(f.error().find(c.expected), std::string::npos) << f.error();
  }
}

TEST(EngineTest, RepairNotesReachTheCaller) {
  std::vector<double> y = DailyPattern(100, 24, 50, 1, 10);
  y[40] = kNaN;
  auto f = ForecastSeries(y, {.horizon = 2, .seasonal_periods = {24}, .model = "naive"});
  ASSERT_TRUE(f.ok());
  ASSERT_FALSE(f->notes.empty());
  EXPECT_NE(f->notes.front().find("filled 1 missing"), std::string::npos);
}

TEST(EngineTest, SeasonalNaiveRepeatsTheLastSeasonAtScale) {
  // Scaling to order 1 and back must be exact enough to reproduce the data.
  std::vector<double> y = DailyPattern(96, 24, 3e9, 0, 11);
  auto f = ForecastSeries(y, {.horizon = 24, .seasonal_periods = {24}, .model = "snaive"});
  ASSERT_TRUE(f.ok());
  for (int h = 0; h < 24; ++h) EXPECT_NEAR(f->distribution.Mean(h), y[72 + h], 1e-6 * 3e9);
}

}  // namespace
}  // namespace foresight::forecasting
