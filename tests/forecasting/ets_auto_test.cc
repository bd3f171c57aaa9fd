// Naming, candidate rules and property tests of ETS fitting and selection.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "forecasting/ets.h"
#include "forecasting/ets_model.h"

namespace foresight::forecasting {
namespace {

// Positive series with a trend, a seasonal cycle of `period` and noise.
std::vector<double> Seasonal(int n, int period, double amplitude, double slope, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> y(n);
  for (int t = 0; t < n; ++t) {
    y[t] = 100 + slope * t + amplitude * std::sin(2 * std::numbers::pi * t / period) + noise(rng);
  }
  return y;
}

void ExpectFiniteForecast(const FittedModel& model, int horizon) {
  const PredictiveDistribution d = model.Predict(horizon);
  ASSERT_EQ(d.horizon(), horizon);
  for (int h = 0; h < horizon; ++h) {
    EXPECT_TRUE(std::isfinite(d.Mean(h))) << model.Name() << " h=" << h;
    const Interval i = d.At(h, 0.95);
    EXPECT_TRUE(std::isfinite(i.lower) && std::isfinite(i.upper)) << model.Name() << " h=" << h;
    EXPECT_LE(i.lower, i.upper);
  }
  for (double r : model.Residuals()) EXPECT_TRUE(std::isfinite(r)) << model.Name();
  EXPECT_FALSE(std::isnan(model.Aicc()));
}

TEST(EtsNameTest, PrintsAsR) {
  struct Case {
    EtsSpec spec;
    const char* name;
  };
  const Case cases[] = {
      {{EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kNone, 1}, "ETS(A,N,N)"},
      {{EtsError::kAdditive, EtsTrend::kAdditiveDamped, EtsSeason::kNone, 1}, "ETS(A,Ad,N)"},
      {{EtsError::kMultiplicative, EtsTrend::kAdditiveDamped, EtsSeason::kMultiplicative, 12},
       "ETS(M,Ad,M)"},
      {{EtsError::kMultiplicative, EtsTrend::kAdditive, EtsSeason::kAdditive, 4}, "ETS(M,A,A)"},
  };
  for (const Case& c : cases) EXPECT_EQ(EtsName(c.spec), c.name);
}

TEST(EtsAutoTest, PicksSeasonalModelForSeasonalData) {
  auto fit = AutoEts(Seasonal(120, 12, 20, 0.0, 1), 12);
  ASSERT_TRUE(fit.ok()) << fit.error();
  const std::string name = (*fit)->Name();
  EXPECT_TRUE(name.back() == ')' && name[name.size() - 2] != 'N') << name;
  ExpectFiniteForecast(**fit, 24);
}

TEST(EtsAutoTest, PicksTrendForTrendingData) {
  auto fit = AutoEts(Seasonal(100, 1, 0, 2.0, 2), 1);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_NE((*fit)->Name().find(",A"), std::string::npos) << (*fit)->Name();
}

TEST(EtsAutoTest, MultiplicativeModelsExcludedForNonPositiveData) {
  std::vector<double> y = Seasonal(96, 12, 20, 0.5, 3);
  y[40] = 0.0;  // a single zero rules out multiplicative error and season
  auto fit = AutoEts(y, 12);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name().substr(0, 6), "ETS(A,") << (*fit)->Name();
  EXPECT_NE((*fit)->Name().back() - 1, 'M');
  for (const char* code : {"MNN", "ANM"}) {
    EtsSpec spec{code[0] == 'M' ? EtsError::kMultiplicative : EtsError::kAdditive, EtsTrend::kNone,
                 code[2] == 'M' ? EtsSeason::kMultiplicative : EtsSeason::kNone, 12};
    auto single = FitEts(y, spec);
    ASSERT_FALSE(single.ok()) << code;
    EXPECT_NE(single.error().find("positive"), std::string::npos) << single.error();
  }
}

TEST(EtsAutoTest, NegativeDataGetsAdditiveModel) {
  std::vector<double> y = Seasonal(80, 4, 10, 0.0, 4);
  for (double& v : y) v -= 150;  // all negative
  auto fit = AutoEts(y, 4);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name().substr(0, 6), "ETS(A,");
  ExpectFiniteForecast(**fit, 8);
}

TEST(EtsAutoTest, OptionsRestrictCandidates) {
  const std::vector<double> y = Seasonal(120, 12, 20, 1.0, 5);
  auto fit = AutoEts(y, 12, {.allow_multiplicative = false, .allow_damped = false,
                             .allow_seasonal = false});
  ASSERT_TRUE(fit.ok());
  const std::string name = (*fit)->Name();
  EXPECT_EQ(name.find('M'), std::string::npos) << name;
  EXPECT_EQ(name.find("Ad"), std::string::npos) << name;
  EXPECT_EQ(name.substr(name.size() - 3), ",N)") << name;
}

TEST(EtsAutoTest, ShortDataFallsBackToNonSeasonal) {
  // n <= period: R drops the season.
  auto fit = AutoEts(Seasonal(10, 12, 20, 0.0, 6), 12);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name().substr((*fit)->Name().size() - 3), ",N)");
  // One cycle and a bit: seasonal candidates need period + 2 + ... parameters
  // and are skipped (np >= n - 1), so the choice is non-seasonal too.
  auto barely = AutoEts(Seasonal(15, 12, 20, 0.0, 7), 12);
  ASSERT_TRUE(barely.ok()) << barely.error();
  EXPECT_EQ((*barely)->Name().substr((*barely)->Name().size() - 3), ",N)");
  ExpectFiniteForecast(**barely, 12);
}

TEST(EtsAutoTest, VeryShortSeries) {
  // Four points fit ETS(A,N,N) (2 parameters < n - 1); fewer cannot.
  auto four = AutoEts({3, 4, 5, 4}, 1);
  ASSERT_TRUE(four.ok()) << four.error();
  ExpectFiniteForecast(**four, 5);
  EXPECT_FALSE(AutoEts({3, 4}, 1).ok());
  EXPECT_FALSE(AutoEts({}, 1).ok());
}

TEST(EtsAutoTest, ConstantAndZeroSeries) {
  for (double level : {0.0, 7.5}) {
    auto fit = AutoEts(std::vector<double>(50, level), 12);
    ASSERT_TRUE(fit.ok()) << fit.error();
    EXPECT_EQ((*fit)->Name(), "ETS(A,N,N)");
    const PredictiveDistribution d = (*fit)->Predict(5);
    for (int h = 0; h < 5; ++h) {
      EXPECT_DOUBLE_EQ(d.Mean(h), level);
      EXPECT_DOUBLE_EQ(d.At(h, 0.95).upper, level);
    }
    ExpectFiniteForecast(**fit, 5);
  }
}

TEST(EtsAutoTest, RejectsNonFiniteInput) {
  std::vector<double> y = Seasonal(40, 1, 0, 0, 8);
  y[3] = std::nan("");
  EXPECT_FALSE(AutoEts(y, 1).ok());
  EXPECT_FALSE(FitEts(y, {}).ok());
}

TEST(EtsAutoTest, WeeklyPeriodOnHourlyData) {
  // Period 168 (hourly data, weekly cycle) works and stays fast (the kernel is
  // O(n) whatever the period).
  auto fit = AutoEts(Seasonal(4 * 168, 168, 30, 0.0, 9), 168);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_NE((*fit)->Name().back() - 1, 'N') << (*fit)->Name();
  ExpectFiniteForecast(**fit, 168);
}

TEST(EtsAutoTest, PeriodAboveCapIsAnErrorForSeasonalSpecsOnly) {
  const std::vector<double> y = Seasonal(800, 336, 30, 0.0, 10);
  auto seasonal = FitEts(y, {EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kAdditive, 336});
  ASSERT_FALSE(seasonal.ok());
  EXPECT_NE(seasonal.error().find("168"), std::string::npos) << seasonal.error();
  auto automatic = AutoEts(y, 336);  // seasonal candidates are simply not offered
  ASSERT_TRUE(automatic.ok());
  EXPECT_EQ((*automatic)->Name().substr((*automatic)->Name().size() - 3), ",N)");
}

TEST(EtsFitTest, EverySpecGivesFiniteResultsOnPositiveSeasonalData) {
  const std::vector<double> y = Seasonal(96, 12, 20, 0.5, 11);
  for (EtsError e : {EtsError::kAdditive, EtsError::kMultiplicative}) {
    for (EtsTrend t : {EtsTrend::kNone, EtsTrend::kAdditive, EtsTrend::kAdditiveDamped}) {
      for (EtsSeason s : {EtsSeason::kNone, EtsSeason::kAdditive, EtsSeason::kMultiplicative}) {
        const EtsSpec spec{e, t, s, 12};
        auto fit = FitEtsModel(y, spec);
        ASSERT_TRUE(fit.ok()) << EtsName(spec) << ": " << fit.error();
        ExpectFiniteForecast(**fit, 24);
        const EtsFitRecord& r = (*fit)->record();
        // Residuals are y - yhat for every error type; innovations are relative
        // for multiplicative error.
        for (int i = 0; i < r.n; ++i) {
          EXPECT_NEAR(r.residuals[i], y[i] - r.fitted[i], 1e-9);
          const double innovation =
              e == EtsError::kMultiplicative ? (y[i] - r.fitted[i]) / r.fitted[i] : y[i] - r.fitted[i];
          EXPECT_NEAR(r.innovations[i], innovation, 1e-9);
        }
      }
    }
  }
}

TEST(EtsFitTest, SeasonalSpecNeedsMoreThanOneCycle) {
  auto fit = FitEts(Seasonal(12, 12, 20, 0, 12),
                    {EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kAdditive, 12});
  EXPECT_FALSE(fit.ok());
}

}  // namespace
}  // namespace foresight::forecasting
