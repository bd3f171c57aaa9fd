// ARIMA estimates, likelihoods and forecasts against R (stats::arima and
// forecast 8.20), from tests/data/r/make_arima_golden.R.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "forecasting/arima.h"
#include "forecasting/unit_root.h"
#include "tests/forecasting/arima_golden_data.h"

namespace foresight::forecasting {
namespace {

using testing::ArimaGolden;

struct Case {
  const char* name;
  const char* series;
  bool xreg;  // LakeHuron's regressor: year - 1920
};

Eigen::MatrixXd LakeHuronTime(int n, int offset = 0) {
  Eigen::MatrixXd x(n, 1);
  for (int t = 0; t < n; ++t) x(t, 0) = (1875 + offset + t) - 1920;
  return x;
}

ArimaOrder OrderOf(const std::string& c) {
  const auto v = ArimaGolden::Get().Values(c, "order");
  return {static_cast<int>(v[0]), static_cast<int>(v[1]), static_cast<int>(v[2]),
          static_cast<int>(v[3]), static_cast<int>(v[4]), static_cast<int>(v[5]),
          static_cast<int>(v[6])};
}

bool HasConstant(const std::string& c) {
  for (const auto& n : ArimaGolden::Get().Strings(c, "coef_names"))
    if (n == "intercept" || n == "drift") return true;
  return false;
}

// Forecast means and interval bounds agree with R's to `tolerance` relative
// to the spread of the 95% interval at that step (a scale-free yardstick).
void ExpectForecastsMatch(const std::string& c, const ArimaModel& model, double tolerance,
                          const Eigen::MatrixXd* future_xreg = nullptr) {
  const ArimaGolden& g = ArimaGolden::Get();
  const auto mean = g.Values(c, "mean");
  const int h = static_cast<int>(mean.size());
  PredictiveDistribution dist;
  if (future_xreg) {
    auto r = model.PredictWithRegressors(h, *future_xreg);
    ASSERT_TRUE(r.ok()) << r.error();
    dist = *r;
  } else {
    dist = model.Predict(h);
  }
  ASSERT_EQ(dist.horizon(), h);
  const auto lo95 = g.Values(c, "lo95"), hi95 = g.Values(c, "hi95");
  const auto lo80 = g.Values(c, "lo80"), hi80 = g.Values(c, "hi80");
  for (int i = 0; i < h; ++i) {
    const double width = hi95[i] - lo95[i];
    EXPECT_NEAR(dist.Mean(i), mean[i], tolerance * width) << c << " step " << i;
    EXPECT_NEAR(dist.At(i, 0.95).lower, lo95[i], tolerance * width) << c << " step " << i;
    EXPECT_NEAR(dist.At(i, 0.95).upper, hi95[i], tolerance * width) << c << " step " << i;
    EXPECT_NEAR(dist.At(i, 0.80).lower, lo80[i], tolerance * width) << c << " step " << i;
    EXPECT_NEAR(dist.At(i, 0.80).upper, hi80[i], tolerance * width) << c << " step " << i;
  }
}

// --- Log-likelihood at fixed parameters (no optimiser involved) ---
class FixedLikelihoodTest : public ::testing::TestWithParam<Case> {};

TEST_P(FixedLikelihoodTest, MatchesR) {
  const Case& k = GetParam();
  const ArimaGolden& g = ArimaGolden::Get();
  const std::vector<double>& y = g.Series(k.series);
  const ArimaOrder order = OrderOf(k.name);
  const std::vector<double> coef = g.Values(k.name, "coef");
  const int n_xreg = k.xreg ? 1 : 0;
  const bool constant = static_cast<int>(coef.size()) > order.NumArma() + n_xreg;
  const Eigen::MatrixXd x = LakeHuronTime(static_cast<int>(y.size()));
  Result<double> ll = ArimaLogLikelihood(y, {order, constant}, coef, k.xreg ? &x : nullptr);
  ASSERT_TRUE(ll.ok()) << ll.error();
  const double expected = g.Value(k.name, "loglik");
  // R puts a diffuse prior of variance kappa = 1e6 on the differencing
  // states, an approximation of exact differencing that costs ~1e-5 relative
  // with 13 such states (log AirPassengers, 0.003 of 244.5); we difference exactly.
  EXPECT_NEAR(*ll, expected, 5e-5 * std::abs(expected)) << k.name;
}

INSTANTIATE_TEST_SUITE_P(
    R, FixedLikelihoodTest,
    ::testing::Values(Case{"ll_lh_100", "lh", false}, Case{"ll_lh_102", "lh", false},
                      Case{"ll_WWWusage_210", "WWWusage", false},
                      Case{"ll_air_011_011", "logAirPassengers", false},
                      Case{"ll_air_100_101", "logAirPassengers", false},
                      Case{"ll_USAccDeaths_012_110", "USAccDeaths", false},
                      Case{"ll_LakeHuron_101_xreg", "LakeHuron", true},
                      Case{"ll_H1_101_011", "H1", false}),
    [](const auto& info) { return std::string(info.param.name); });

// --- Fixed orders estimated by CSS-ML ---
class FixedOrderFitTest : public ::testing::TestWithParam<Case> {};

TEST_P(FixedOrderFitTest, MatchesR) {
  const Case& k = GetParam();
  const ArimaGolden& g = ArimaGolden::Get();
  const std::vector<double>& y = g.Series(k.series);
  const int n = static_cast<int>(y.size());
  const Eigen::MatrixXd x = LakeHuronTime(n);
  auto fit = FitArima(y, {OrderOf(k.name), HasConstant(k.name)}, k.xreg ? &x : nullptr);
  ASSERT_TRUE(fit.ok()) << fit.error();
  const ArimaModel& model = **fit;
  EXPECT_EQ(model.Name(), g.Strings(k.name, "name")[0]);
  const auto coef = g.Values(k.name, "coef");
  ASSERT_EQ(model.coefficients().size(), coef.size());
  for (size_t i = 0; i < coef.size(); ++i)
    EXPECT_NEAR(model.coefficients()[i], coef[i], 1e-2 * std::max(1.0, std::abs(coef[i])))
        << k.name << " " << g.Strings(k.name, "coef_names")[i];
  const double ll = g.Value(k.name, "loglik");
  EXPECT_NEAR(model.log_likelihood(), ll, 1e-4 * std::abs(ll)) << k.name;
  EXPECT_NEAR(model.Aicc(), g.Value(k.name, "aicc"), 1e-4 * std::abs(ll)) << k.name;
  // R's residuals include the d + D*period diffuse ones, y_t / sqrt(kappa),
  // in the sum of squares (0.16% of sigma2 for log AirPassengers); ours are NaN.
  EXPECT_NEAR(model.sigma2(), g.Value(k.name, "sigma2"), 3e-3 * g.Value(k.name, "sigma2"));
  const Eigen::MatrixXd future = LakeHuronTime(10, n);
  ExpectForecastsMatch(k.name, model, 0.01, k.xreg ? &future : nullptr);
}

INSTANTIATE_TEST_SUITE_P(
    R, FixedOrderFitTest,
    ::testing::Values(Case{"fit_WWWusage_111", "WWWusage", false},
                      Case{"fit_WWWusage_110_drift", "WWWusage", false},
                      Case{"fit_air_011_011", "logAirPassengers", false},
                      Case{"fit_air_200_010_drift", "logAirPassengers", false},
                      Case{"fit_USAccDeaths_011_011", "USAccDeaths", false},
                      Case{"fit_USAccDeaths_101_100_mean", "USAccDeaths", false},
                      Case{"fit_lh_100", "lh", false}, Case{"fit_lh_301", "lh", false},
                      Case{"fit_LakeHuron_200_xreg", "LakeHuron", true},
                      Case{"fit_H1_101_011", "H1", false}, Case{"fit_H2_201_110", "H2", false}),
    [](const auto& info) { return std::string(info.param.name); });

// --- auto.arima ---
struct AutoCase {
  const char* name;
  const char* series;
  int period;
  bool xreg;
};

class AutoArimaGoldenTest : public ::testing::TestWithParam<AutoCase> {};

TEST_P(AutoArimaGoldenTest, ChoosesRsModel) {
  const AutoCase& k = GetParam();
  const ArimaGolden& g = ArimaGolden::Get();
  const std::vector<double>& y = g.Series(k.series);
  const int n = static_cast<int>(y.size());
  const Eigen::MatrixXd x = LakeHuronTime(n);
  auto fit = AutoArima(y, k.period, {}, k.xreg ? &x : nullptr);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name(), g.Strings(k.name, "name")[0]);
  const double ll = g.Value(k.name, "loglik");
  EXPECT_NEAR((*fit)->log_likelihood(), ll, 1e-3 * std::abs(ll));
  const Eigen::MatrixXd future = LakeHuronTime(10, n);
  ExpectForecastsMatch(k.name, **fit, 0.03, k.xreg ? &future : nullptr);
}

INSTANTIATE_TEST_SUITE_P(
    R, AutoArimaGoldenTest,
    ::testing::Values(AutoCase{"auto_WWWusage", "WWWusage", 1, false},
                      AutoCase{"auto_logAirPassengers", "logAirPassengers", 12, false},
                      AutoCase{"auto_USAccDeaths", "USAccDeaths", 12, false},
                      AutoCase{"auto_lh", "lh", 1, false},
                      AutoCase{"auto_LakeHuron_xreg", "LakeHuron", 1, true}),
    [](const auto& info) { return std::string(info.param.name); });

// --- KPSS ---
TEST(KpssGoldenTest, MatchesUrca) {
  const ArimaGolden& g = ArimaGolden::Get();
  struct K { const char* name; const char* series; bool diff; };
  for (const K& k : {K{"kpss_WWWusage", "WWWusage", false}, K{"kpss_diff_WWWusage", "WWWusage", true},
                     K{"kpss_lh", "lh", false}, K{"kpss_H1", "H1", false}}) {
    std::vector<double> x = g.Series(k.series);
    if (k.diff) x = Difference(x, 1, 0, 1);
    const int lags = static_cast<int>(g.Value(k.name, "lags"));
    EXPECT_NEAR(KpssStatistic(x, lags), g.Value(k.name, "stat"), 1e-8) << k.name;
  }
}

TEST(NdiffsGoldenTest, MatchesForecast) {
  const ArimaGolden& g = ArimaGolden::Get();
  EXPECT_EQ(NumDifferences(g.Series("WWWusage")), g.Value("auto_WWWusage", "ndiffs"));
  EXPECT_EQ(NumDifferences(g.Series("lh")), g.Value("auto_lh", "ndiffs"));
  EXPECT_EQ(NumDifferences(g.Series("USAccDeaths")), g.Value("auto_USAccDeaths", "ndiffs"));
}

}  // namespace
}  // namespace foresight::forecasting
