#include "forecasting/seasonality.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>
#include <vector>

#include "tests/forecasting/stl_test_util.h"

namespace foresight::forecasting {
namespace {

using std::chrono::seconds;
using testing::ReadCsvColumns;
using testing::RDataPath;

std::vector<double> Trace(const std::string& name) {
  auto cols = ReadCsvColumns(std::string(FORESIGHT_SHARED_DIR) + "/data/traces/" + name);
  return cols.size() == 2 ? cols[1] : std::vector<double>{};
}

// A non-sinusoidal daily-like profile: a peak and a shoulder.
double Profile(int t, int period) {
  const double x = 2 * M_PI * (t % period) / period;
  return std::sin(x) + 0.5 * std::sin(2 * x + 1.0) + 0.25 * std::cos(3 * x);
}

TEST(SeasonalStrengthTest, MatchesRSeasHeuristic) {
  // forecast:::seas.heuristic(nottem) and (msts(taylor[1:1344], c(48, 336))).
  auto nottem = ReadCsvColumns(RDataPath("stl_nottem_input.csv"))[0];
  auto r_nottem = ReadCsvColumns(RDataPath("stl_nottem_strength.csv"))[0];
  EXPECT_NEAR(SeasonalStrength(nottem, 12), r_nottem[0], 1e-9);
  auto taylor = ReadCsvColumns(RDataPath("stl_taylor_input.csv"))[0];
  auto r_taylor = ReadCsvColumns(RDataPath("stl_taylor_strength.csv"))[0];
  auto s = SeasonalStrengths(taylor, {48, 336});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].period, 48);
  EXPECT_NEAR(s[0].strength, r_taylor[0], 1e-9);
  EXPECT_EQ(s[1].period, 336);
  EXPECT_NEAR(s[1].strength, r_taylor[1], 1e-9);
}

TEST(SeasonalStrengthTest, DegenerateInputsGiveZeroNotNaN) {
  EXPECT_EQ(SeasonalStrength(std::vector<double>(100, 4.0), 12), 0.0);  // constant
  EXPECT_EQ(SeasonalStrength(std::vector<double>(20, 1.0), 12), 0.0);   // < 2 cycles
  EXPECT_TRUE(SeasonalStrengths(std::vector<double>(20, 1.0), {12}).empty());
}

TEST(AutocorrelationTest, MatchesDirectSum) {
  std::vector<double> y = {1, 3, 2, 5, 4, 6, 5, 8, 7, 9};
  auto r = Autocorrelation(y, 4);
  ASSERT_EQ(r.size(), 5u);
  // R: acf(c(1,3,2,5,4,6,5,8,7,9), plot = FALSE)$acf[1:5]
  const double expected[] = {1.0, 0.45, 0.5, -0.0333333333333333, 0.0666666666666667};
  for (int k = 0; k < 5; ++k) EXPECT_NEAR(r[k], expected[k], 1e-12) << "lag " << k;
  auto flat = Autocorrelation(std::vector<double>(10, 2.0), 3);
  for (double v : flat) EXPECT_EQ(v, 0.0);
}

TEST(DetectSeasonalPeriodsTest, FindsKnownPeriodsInSyntheticSeries) {
  // Each case: periods used to build the series (profile amplitudes 3, 2),
  // noise sd 1, a linear trend, and the periods expected back.
  struct Case {
    const char* name;
    int n;
    std::vector<int> periods;
    double slope;
    int max_period;
    std::vector<int> expected;
  } cases[] = {
      {"weekly in daily data", 7 * 40, {7}, 0.05, 60, {7}},
      {"daily in hourly data", 24 * 30, {24}, 0.01, 200, {24}},
      {"odd period", 37 * 12, {37}, 0.0, 100, {37}},
      {"daily and weekly, hourly data", 168 * 6, {24, 168}, 0.005, 400, {24, 168}},
      {"daily in 1-minute data", 1440 * 7, {1440}, 0.0005, 3000, {1440}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::mt19937 rng(11);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::vector<double> y(c.n);
    for (int t = 0; t < c.n; ++t) {
      y[t] = 50 + c.slope * t + noise(rng);
      for (size_t i = 0; i < c.periods.size(); ++i) {
        y[t] += (i == 0 ? 3.0 : 2.0) * Profile(t, c.periods[i]);
      }
    }
    EXPECT_EQ(DetectSeasonalPeriods(y, c.max_period), c.expected);
  }
}

TEST(DetectSeasonalPeriodsTest, RejectsHarmonicsOfAPeriod) {
  // A pure period-24 cycle has autocorrelation peaks at 48, 72, ... too; those
  // add nothing once 24 is removed.
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0.0, 0.5);
  std::vector<double> y(24 * 40);
  for (int t = 0; t < static_cast<int>(y.size()); ++t) y[t] = 3 * Profile(t, 24) + noise(rng);
  EXPECT_EQ(DetectSeasonalPeriods(y, 200), (std::vector<int>{24}));
}

// White noise with periods up to a third of the series, random walks with
// periods up to a tenth (10 cycles). A random walk over only ~3 cycles can
// look seasonal to any strength test (its detrended path is a few big
// waves): that is a known limit, hence the shorter candidate range.
TEST(DetectSeasonalPeriodsTest, WhiteNoiseAndRandomWalksHaveNoPeriod) {
  for (unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::vector<double> white(3000), walk(3000);
    double level = 0.0;
    for (int t = 0; t < 3000; ++t) {
      white[t] = noise(rng);
      level += noise(rng);
      walk[t] = level;
    }
    EXPECT_TRUE(DetectSeasonalPeriods(white, 1000).empty()) << "white noise, seed " << seed;
    EXPECT_TRUE(DetectSeasonalPeriods(walk, 300).empty()) << "random walk, seed " << seed;
  }
}

TEST(DetectSeasonalPeriodsTest, DegenerateInputs) {
  EXPECT_TRUE(DetectSeasonalPeriods(std::vector<double>(500, 2.0), 100).empty());
  EXPECT_TRUE(DetectSeasonalPeriods({}, 100).empty());
  std::vector<double> short_series(30);
  for (int t = 0; t < 30; ++t) short_series[t] = Profile(t, 24);  // 1.25 cycles
  EXPECT_TRUE(DetectSeasonalPeriods(short_series, 100).empty());
}

TEST(DetectSeasonalPeriodsTest, NasaTraceHasADailyCycle) {
  // 27.6 days of 1-minute request rates. The autocorrelation peak is at lag
  // 1426; folding refines it to 1440. The weekly cycle (3.9 cycles in the
  // data) is found as 7 x 1440.
  std::vector<double> y = Trace("nasa_http_jul1995_1min.csv");
  ASSERT_GT(y.size(), 39000u);
  std::vector<int> periods = DetectSeasonalPeriods(y, 12000);
  EXPECT_EQ(periods, (std::vector<int>{1440, 10080}));
  std::vector<int> daily_only = DetectSeasonalPeriods(y, 3000);
  EXPECT_EQ(daily_only, (std::vector<int>{1440}));
}

TEST(DetectSeasonalPeriodsTest, PreferredPeriodsSnapNearbyCandidates) {
  // The World Cup trace's flash crowds move the folding optimum to 1443; the
  // operational prior for 1-minute data snaps it to 1440.
  std::vector<double> y = Trace("worldcup98_may1998_1min.csv");
  ASSERT_GT(y.size(), 40000u);
  SeasonalityOptions options;
  options.preferred_periods = CommonPeriods(seconds(60));
  EXPECT_EQ(DetectSeasonalPeriods(y, 12000, options), (std::vector<int>{1440, 10080}));
}

TEST(CommonPeriodsTest, HourlyDailyWeeklyInSamples) {
  struct Case {
    long interval_s;
    std::vector<int> expected;
  } cases[] = {
      {60, {60, 1440, 10080}},  // 1 minute
      {300, {12, 288, 2016}},   // 5 minutes
      {900, {4, 96, 672}},      // 15 minutes: an hour is 4 samples, kept
      {1800, {48, 336}},        // 30 minutes: an hour is 2 samples, left out
      {3600, {24, 168}},        // hourly
      {86400, {7}},             // daily
      {660, {}},                // 11 minutes divides none of the cycles
      {0, {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CommonPeriods(seconds(c.interval_s)), c.expected) << c.interval_s << " s";
  }
}

TEST(DetectCommonPeriodsTest, RealTraces) {
  struct Case {
    const char* trace;
    long interval_s;
    std::vector<int> expected;
  } cases[] = {
      // Hourly cycles are absent; daily and weekly present (weekly strength
      // on hourly means about 0.73 for NASA, 0.70 for the World Cup).
      {"nasa_http_jul1995_1min.csv", 60, {1440, 10080}},
      {"worldcup98_may1998_1min.csv", 60, {1440, 10080}},
      // AMZN tweets: daily cycle; weekly strength 0.38 is below 0.64.
      {"twitter_mentions_amzn_2015_5min.csv", 300, {288}},
  };
  for (const Case& c : cases) {
    std::vector<double> y = Trace(c.trace);
    ASSERT_FALSE(y.empty()) << c.trace;
    EXPECT_EQ(DetectCommonPeriods(y, seconds(c.interval_s)), c.expected) << c.trace;
  }
}

TEST(DetectCommonPeriodsTest, OneBusyDayDoesNotHideADailyCycle) {
  // The week of NASA's trace that the operator sees on 17 July 1995 (its
  // `history: 7d`): 13 July had 1.6 times the mean load of that week and the
  // weekend half of it. Tested on the raw rates, the busy day's noise filled
  // the remainder (daily strength below 0.64); on their square root the daily
  // cycle shows.
  std::vector<double> y = Trace("nasa_http_jul1995_1min.csv");
  ASSERT_GT(y.size(), 23040u);
  const std::vector<double> week(y.begin() + 23040 - 10080, y.begin() + 23040);
  EXPECT_EQ(DetectCommonPeriods(week, seconds(60)), (std::vector<int>{1440}));
}

TEST(DetectCommonPeriodsTest, ShortHistoryKeepsOnlyPeriodsWithTwoCycles) {
  // Three days of 1-minute data with a daily cycle: the weekly period cannot
  // be tested, the hourly one is not there.
  std::mt19937 rng(2);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> y(3 * 1440);
  for (int t = 0; t < static_cast<int>(y.size()); ++t) y[t] = 10 + 4 * Profile(t, 1440) + noise(rng);
  EXPECT_EQ(DetectCommonPeriods(y, seconds(60)), (std::vector<int>{1440}));
  EXPECT_TRUE(DetectCommonPeriods(std::vector<double>(5000, 1.0), seconds(60)).empty());
}

}  // namespace
}  // namespace foresight::forecasting
