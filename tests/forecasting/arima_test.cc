// ArimaModel behaviour beyond the R goldens: naming, inputs that must give an
// Error rather than a throw, and outputs that must never be NaN or infinite.
#include "forecasting/arima.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "tests/forecasting/arima_golden_data.h"

namespace foresight::forecasting {
namespace {

struct NameCase {
  ArimaOrder order;
  bool constant;
  int regressors;
  const char* expected;
};

TEST(ArimaNameTest, PrintsLikeR) {
  // forecast's arima.string: the seasonal part only when some seasonal order is
  // non-zero; "with drift" needs d + D = 1, "non-zero mean" d + D = 0.
  const NameCase cases[] = {
      {{2, 0, 1, 0, 1, 1, 24}, true, 0, "ARIMA(2,0,1)(0,1,1)[24] with drift"},
      {{2, 1, 1, 0, 1, 1, 24}, true, 0, "ARIMA(2,1,1)(0,1,1)[24]"},  // d + D = 2: no drift
      {{0, 1, 1, 0, 1, 1, 12}, false, 0, "ARIMA(0,1,1)(0,1,1)[12]"},
      {{1, 0, 0, 0, 0, 0, 1}, true, 0, "ARIMA(1,0,0) with non-zero mean"},
      {{1, 0, 0, 0, 0, 0, 1}, false, 0, "ARIMA(1,0,0) with zero mean"},
      {{0, 2, 2, 0, 0, 0, 1}, false, 0, "ARIMA(0,2,2)"},
      {{1, 0, 1, 0, 0, 0, 12}, true, 0, "ARIMA(1,0,1) with non-zero mean"},
      {{1, 0, 1, 0, 0, 0, 1}, true, 2, "Regression with ARIMA(1,0,1) errors"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(ArimaName(c.order, c.constant, c.regressors), c.expected) << c.expected;
}

void ExpectFinite(const PredictiveDistribution& d, int horizon) {
  ASSERT_EQ(d.horizon(), horizon);
  for (int h = 0; h < horizon; ++h) {
    EXPECT_TRUE(std::isfinite(d.Mean(h))) << h;
    const Interval i = d.At(h, 0.95);
    EXPECT_TRUE(std::isfinite(i.lower) && std::isfinite(i.upper)) << h;
    EXPECT_LE(i.lower, i.upper);
  }
}

TEST(ArimaFitTest, BadInputsAreErrors) {
  const std::vector<double> y{1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_FALSE(FitArima({1, NAN, 3}, {{1, 0, 0, 0, 0, 0, 1}, true}).ok());
  EXPECT_FALSE(FitArima(y, {{-1, 0, 0, 0, 0, 0, 1}, true}).ok());
  EXPECT_FALSE(FitArima(y, {{0, 0, 0, 1, 0, 0, 1}, true}).ok()) << "seasonal order without period";
  EXPECT_FALSE(FitArima(y, {{0, 0, 0, 0, 1, 0, 12}, true}).ok()) << "nothing left after differencing";
  Eigen::MatrixXd short_xreg(3, 1);
  EXPECT_FALSE(FitArima(y, {{1, 0, 0, 0, 0, 0, 1}, true}, &short_xreg).ok());
  EXPECT_FALSE(AutoArima({}, 1).ok());
  EXPECT_FALSE(AutoArima({1, INFINITY}, 1).ok());
}

TEST(ArimaFitTest, ResidualsAreInnovationsAfterDifferencing) {
  const auto& y = testing::ArimaGolden::Get().Series("logAirPassengers");
  auto fit = FitArima(y, {{0, 1, 1, 0, 1, 1, 12}, false});
  ASSERT_TRUE(fit.ok()) << fit.error();
  const auto& res = (*fit)->Residuals();
  ASSERT_EQ(res.size(), y.size());
  for (int t = 0; t < 13; ++t) EXPECT_TRUE(std::isnan(res[t])) << t;  // lost to differencing
  double ss = 0;
  for (size_t t = 13; t < res.size(); ++t) ss += res[t] * res[t];
  // Innovation variance ~ sigma2 (R: 0.00137).
  EXPECT_NEAR(ss / (res.size() - 13), (*fit)->sigma2(), 0.15 * (*fit)->sigma2());
}

TEST(ArimaFitTest, PredictWithRegressorsChecksShape) {
  const auto& y = testing::ArimaGolden::Get().Series("LakeHuron");
  Eigen::MatrixXd x(y.size(), 1);
  for (int t = 0; t < x.rows(); ++t) x(t, 0) = t;
  auto fit = FitArima(y, {{1, 0, 0, 0, 0, 0, 1}, true}, &x);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->num_regressors(), 1);
  EXPECT_FALSE((*fit)->PredictWithRegressors(5, Eigen::MatrixXd(2, 1)).ok());
  EXPECT_TRUE((*fit)->PredictWithRegressors(5, Eigen::MatrixXd::Zero(5, 1)).ok());
  ExpectFinite((*fit)->Predict(5), 5);  // regressors held at their last value
}

TEST(AutoArimaPropertyTest, ConstantSeriesForecastsTheConstant) {
  const std::vector<double> y(50, 42.0);
  auto fit = AutoArima(y, 12);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name(), "ARIMA(0,0,0) with non-zero mean");
  const PredictiveDistribution d = (*fit)->Predict(10);
  ExpectFinite(d, 10);
  for (int h = 0; h < 10; ++h) EXPECT_NEAR(d.Mean(h), 42.0, 1e-9);
  EXPECT_FALSE(std::isnan((*fit)->Aicc()));
}

TEST(AutoArimaPropertyTest, LinearTrendIsDrift) {
  // Differencing leaves a constant: R fits ARIMA(0,1,0) with the drift fixed
  // at the mean difference.
  std::vector<double> y(40);
  for (int t = 0; t < 40; ++t) y[t] = 3 + 2.0 * t;
  auto fit = AutoArima(y, 1);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name(), "ARIMA(0,1,0) with drift");
  const PredictiveDistribution d = (*fit)->Predict(3);
  ExpectFinite(d, 3);
  EXPECT_NEAR(d.Mean(0), 3 + 2.0 * 40, 1e-9);
}

TEST(AutoArimaPropertyTest, VeryShortSeriesNeverNaN) {
  std::mt19937 rng(11);
  std::normal_distribution<double> normal(10, 2);
  for (int n = 1; n <= 12; ++n) {
    std::vector<double> y(n);
    for (double& v : y) v = normal(rng);
    for (int period : {1, 4, 24}) {
      auto fit = AutoArima(y, period);
      if (!fit.ok()) continue;  // an Error is acceptable, a NaN is not
      ExpectFinite((*fit)->Predict(6), 6);
      EXPECT_FALSE(std::isnan((*fit)->Aicc())) << "n=" << n;
    }
  }
}

TEST(AutoArimaPropertyTest, HugeMagnitudesStayFinite) {
  std::mt19937 rng(5);
  std::normal_distribution<double> normal;
  std::vector<double> y(200);
  for (int t = 0; t < 200; ++t)
    y[t] = 1e12 + 1e11 * std::sin(2 * M_PI * t / 12) + 1e10 * normal(rng) + 1e9 * t;
  for (int period : {1, 12}) {
    auto fit = AutoArima(y, period);
    ASSERT_TRUE(fit.ok()) << fit.error();
    ExpectFinite((*fit)->Predict(24), 24);
    EXPECT_TRUE(std::isfinite((*fit)->Aicc()));
  }
}

TEST(AutoArimaPropertyTest, RandomWalkIsDifferenced) {
  std::mt19937 rng(1);
  std::normal_distribution<double> normal;
  std::vector<double> y(300);
  double level = 0;
  for (double& v : y) v = level += normal(rng);
  auto fit = AutoArima(y, 1);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->order().d, 1);
  ExpectFinite((*fit)->Predict(10), 10);
}

TEST(AutoArimaM4Test, ChoosesRsModelOnHourlySeries) {
  // R's auto.arima took 114 s (H1) and 20 s (H2) on these; both choices are
  // reproduced, including the approximation-then-refit path at period 24.
  const auto& g = testing::ArimaGolden::Get();
  for (const char* id : {"H1", "H2"}) {
    const std::string c = std::string("auto_") + id;
    auto fit = AutoArima(g.Series(id), 24);
    ASSERT_TRUE(fit.ok()) << fit.error();
    EXPECT_EQ((*fit)->Name(), g.Strings(c, "name")[0]) << id;
    const double ll = g.Value(c, "loglik");
    EXPECT_NEAR((*fit)->log_likelihood(), ll, 1e-3 * std::abs(ll)) << id;
    const auto mean = g.Values(c, "mean"), lo = g.Values(c, "lo95"), hi = g.Values(c, "hi95");
    const PredictiveDistribution d = (*fit)->Predict(48);
    for (int h = 0; h < 48; ++h) {
      const double width = hi[h] - lo[h];
      EXPECT_NEAR(d.Mean(h), mean[h], 0.03 * width) << id << " step " << h;
      EXPECT_NEAR(d.At(h, 0.95).upper, hi[h], 0.03 * width) << id << " step " << h;
    }
  }
}

AutoArimaOptions AutoSelectOptions() {
  AutoArimaOptions options;
  options.exact_refit = false;  // as the `auto` model runs it
  return options;
}

TEST(RefitArimaOrdersTest, OnTheSameSeriesReproducesAutoArima) {
  // The refit estimates the chosen orders exactly as the search estimated its
  // winner, so on the same data it lands on the same model.
  const auto& y = testing::ArimaGolden::Get().Series("H2");
  for (const AutoArimaOptions& options : {AutoSelectOptions(), AutoArimaOptions{}}) {
    auto fit = AutoArima(y, 24, options);
    ASSERT_TRUE(fit.ok()) << fit.error();
    auto refit = RefitArimaOrders(y, **fit, options);
    ASSERT_TRUE(refit.ok()) << refit.error();
    EXPECT_EQ((*refit)->Name(), (*fit)->Name());
    ASSERT_EQ((*refit)->coefficients().size(), (*fit)->coefficients().size());
    for (size_t i = 0; i < (*fit)->coefficients().size(); ++i)
      EXPECT_NEAR((*refit)->coefficients()[i], (*fit)->coefficients()[i], 1e-9) << i;
    EXPECT_NEAR((*refit)->log_likelihood(), (*fit)->log_likelihood(), 1e-9);
  }
}

TEST(RefitArimaOrdersTest, KeepsTheOrdersAndReestimatesOnLongerData) {
  const auto& y = testing::ArimaGolden::Get().Series("H2");
  const std::vector<double> start(y.begin(), y.end() - 48);
  auto fit = AutoArima(start, 24, AutoSelectOptions());
  ASSERT_TRUE(fit.ok()) << fit.error();
  auto refit = RefitArimaOrders(y, **fit, AutoSelectOptions());
  ASSERT_TRUE(refit.ok()) << refit.error();
  EXPECT_EQ((*refit)->order(), (*fit)->order());
  EXPECT_EQ((*refit)->has_constant(), (*fit)->has_constant());
  EXPECT_EQ((*refit)->num_observations(), (*fit)->num_observations() + 48);
  EXPECT_NE((*refit)->coefficients(), (*fit)->coefficients()) << "48 more points, same estimates";
  ExpectFinite((*refit)->Predict(48), 48);
}

TEST(RefitArimaOrdersTest, ModelsItCannotRefitAreErrors) {
  const auto& y = testing::ArimaGolden::Get().Series("LakeHuron");
  Eigen::MatrixXd x(y.size(), 1);
  for (int t = 0; t < x.rows(); ++t) x(t, 0) = t;
  auto regression = FitArima(y, {{1, 0, 0, 0, 0, 0, 1}, true}, &x);
  ASSERT_TRUE(regression.ok()) << regression.error();
  EXPECT_FALSE(RefitArimaOrders(y, **regression).ok()) << "regressors have no future here";
  auto plain = FitArima(y, {{1, 0, 0, 0, 0, 0, 1}, true});
  ASSERT_TRUE(plain.ok()) << plain.error();
  EXPECT_FALSE(RefitArimaOrders(std::vector<double>(y.size(), 3.0), **plain).ok())
      << "a constant series is AutoArima's special case";
  EXPECT_FALSE(RefitArimaOrders({1, NAN, 3}, **plain).ok());
}

}  // namespace
}  // namespace foresight::forecasting
