#include "forecasting/ets_forecast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace foresight::forecasting {
namespace {

// A record with known parameters and final state, as if fitted (only the
// fields forecasting reads).
EtsFitRecord Record(const EtsSpec& spec, const EtsParams& params, double level, double trend,
                    std::vector<double> season, int n, double sigma2) {
  EtsFitRecord r;
  r.spec = spec;
  r.params = params;
  r.final_level = level;
  r.final_trend = trend;
  r.final_season = std::move(season);
  r.n = n;
  r.sigma2 = sigma2;
  return r;
}

TEST(EtsForecastTest, PointForecastsUseDampedTrendAndSeasonPhase) {
  // ETS(A,Ad,A), m = 4, n = 10: y[10] has phase 10 % 4 = 2.
  //   yhat[n+h] = l + (phi + ... + phi^h) b + s[(n + h - 1) % m]
  const EtsSpec spec{EtsError::kAdditive, EtsTrend::kAdditiveDamped, EtsSeason::kAdditive, 4};
  const EtsFitRecord r = Record(spec, {0.3, 0.1, 0.1, 0.5}, 100, 8, {1, 2, 3, 4}, 10, 1);
  const std::vector<double> f = EtsPointForecasts(r, 3);
  EXPECT_DOUBLE_EQ(f[0], 100 + 0.5 * 8 + 3);
  EXPECT_DOUBLE_EQ(f[1], 100 + 0.75 * 8 + 4);
  EXPECT_DOUBLE_EQ(f[2], 100 + 0.875 * 8 + 1);
}

TEST(EtsForecastTest, Class1Variances) {
  // ETS(A,N,N): v[h] = sigma2 (1 + (h - 1) alpha^2).
  const EtsSpec ann{EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kNone, 1};
  const std::vector<double> v = EtsAnalyticVariances(Record(ann, {0.5, 0, 0, 1}, 10, 0, {}, 5, 4.0), 3);
  EXPECT_DOUBLE_EQ(v[0], 4.0);
  EXPECT_DOUBLE_EQ(v[1], 4.0 * 1.25);
  EXPECT_DOUBLE_EQ(v[2], 4.0 * 1.5);
  // ETS(A,N,A), m = 2: c_1 = alpha, c_2 = alpha + gamma (the season returns).
  const EtsSpec ana{EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kAdditive, 2};
  const std::vector<double> w =
      EtsAnalyticVariances(Record(ana, {0.5, 0, 0.2, 1}, 10, 0, {0, 0}, 5, 1.0), 3);
  EXPECT_DOUBLE_EQ(w[2], 1 + 0.25 + 0.49);
}

TEST(EtsForecastTest, Class2Variances) {
  // ETS(M,N,N), mu = 10 at every step, c_1 = alpha:
  //   theta_2 = mu^2 + sigma2 alpha^2 theta_1, theta_1 = mu^2
  //   v_2 = (1 + sigma2) theta_2 - mu^2
  const EtsSpec mnn{EtsError::kMultiplicative, EtsTrend::kNone, EtsSeason::kNone, 1};
  const double s2 = 0.01, a = 0.5;
  const std::vector<double> v = EtsAnalyticVariances(Record(mnn, {a, 0, 0, 1}, 10, 0, {}, 5, s2), 2);
  EXPECT_NEAR(v[0], s2 * 100, 1e-12);
  EXPECT_NEAR(v[1], (1 + s2) * (100 + s2 * a * a * 100) - 100, 1e-12);
}

TEST(EtsForecastTest, SimulationMatchesAnalyticVariance) {
  // ETS(M,N,N) has an exact analytic variance; the simulated paths must agree.
  const EtsSpec mnn{EtsError::kMultiplicative, EtsTrend::kNone, EtsSeason::kNone, 1};
  const EtsFitRecord r = Record(mnn, {0.4, 0, 0, 1}, 50, 0, {}, 5, 0.0025);
  const std::vector<double> v = EtsAnalyticVariances(r, 6);
  const auto draws = EtsSimulatePaths(r, 6, 20000, 1);
  for (int h = 0; h < 6; ++h) {
    double mean = 0, sq = 0;
    for (double d : draws[h]) mean += d / draws[h].size();
    for (double d : draws[h]) sq += (d - mean) * (d - mean) / (draws[h].size() - 1);
    EXPECT_NEAR(mean, 50, 0.1) << h;
    EXPECT_NEAR(sq / v[h], 1.0, 0.05) << h;
  }
}

TEST(EtsForecastTest, MultiplicativeSeasonIsSimulatedDeterministically) {
  const EtsSpec mnm{EtsError::kMultiplicative, EtsTrend::kNone, EtsSeason::kMultiplicative, 3};
  const EtsFitRecord r = Record(mnm, {0.3, 0, 0.1, 1}, 100, 0, {0.5, 1.0, 1.5}, 9, 0.01);
  EXPECT_TRUE(EtsAnalyticVariances(r, 4).empty());
  const PredictiveDistribution a = EtsPredict(r, 4);
  const PredictiveDistribution b = EtsPredict(r, 4);
  ASSERT_FALSE(a.is_normal());
  for (int h = 0; h < 4; ++h) {
    EXPECT_EQ(a.Quantile(h, 0.9), b.Quantile(h, 0.9));  // fixed seed
    EXPECT_LT(a.At(h, 0.8).lower, a.Mean(h));
    EXPECT_GT(a.At(h, 0.8).upper, a.Mean(h));
  }
  // Phase of y[9] is 0: mean 100 * 0.5, then 100 * 1.0, ...
  EXPECT_DOUBLE_EQ(a.Mean(0), 50);
  EXPECT_DOUBLE_EQ(a.Mean(1), 100);
}

}  // namespace
}  // namespace foresight::forecasting

namespace foresight::forecasting {
namespace {

TEST(EtsForecastTest, NonPositiveHorizonIsEmpty) {
  const EtsSpec ann{EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kNone, 1};
  const EtsFitRecord r = Record(ann, {0.5, 0, 0, 1}, 10, 0, {}, 5, 1.0);
  EXPECT_EQ(EtsPredict(r, 0).horizon(), 0);
  EXPECT_EQ(EtsPredict(r, -3).horizon(), 0);
}

}  // namespace
}  // namespace foresight::forecasting
