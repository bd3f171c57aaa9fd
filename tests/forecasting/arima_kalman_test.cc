// The Kalman kernels: the stationary covariance solves the Lyapunov equation,
// and the Chandrasekhar (rank-one) filter reproduces the textbook Riccati filter.
#include "forecasting/arima_kalman.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "forecasting/arima_polynomial.h"

namespace foresight::forecasting {
namespace {

// Companion transition and noise loading of the Harvey form, dense.
void Harvey(const std::vector<double>& phi, const std::vector<double>& theta, Eigen::MatrixXd* T,
            Eigen::VectorXd* R) {
  const int r = std::max(static_cast<int>(phi.size()), static_cast<int>(theta.size()) + 1);
  *T = Eigen::MatrixXd::Zero(r, r);
  *R = Eigen::VectorXd::Zero(r);
  for (size_t i = 0; i < phi.size(); ++i) (*T)(i, 0) = phi[i];
  for (int i = 0; i + 1 < r; ++i) (*T)(i, i + 1) = 1;
  (*R)(0) = 1;
  for (size_t i = 0; i < theta.size(); ++i) (*R)(i + 1) = theta[i];
}

ArmaPolynomials SeasonalExample() {
  // ARIMA(2,0,1)(1,0,1)[4]: small enough to check densely, seasonal enough to matter.
  const ArimaOrder o{2, 0, 1, 1, 0, 1, 4};
  const double arma[] = {0.4, 0.2, 0.3, 0.5, -0.6};
  return ExpandArma(o, arma);
}

TEST(ArmaKalmanTest, Ar1StationaryVariance) {
  // Var of AR(1) with unit innovations: 1 / (1 - phi^2).
  const Eigen::MatrixXd P = ArmaStationaryCovariance({0.5}, {});
  ASSERT_EQ(P.rows(), 1);
  EXPECT_NEAR(P(0, 0), 1 / 0.75, 1e-12);
}

TEST(ArmaKalmanTest, StationaryCovarianceSolvesLyapunov) {
  const ArmaPolynomials poly = SeasonalExample();
  const Eigen::MatrixXd P = ArmaStationaryCovariance(poly.phi, poly.theta);
  Eigen::MatrixXd T;
  Eigen::VectorXd R;
  Harvey(poly.phi, poly.theta, &T, &R);
  const Eigen::MatrixXd residual = T * P * T.transpose() + R * R.transpose() - P;
  EXPECT_LT(residual.cwiseAbs().maxCoeff(), 1e-10);
}

TEST(ArmaKalmanTest, NonStationaryHasNoCovariance) {
  EXPECT_EQ(ArmaStationaryCovariance({1.0}, {}).size(), 0);
}

TEST(ArmaKalmanTest, ChandrasekharMatchesRiccatiFilter) {
  const ArmaPolynomials poly = SeasonalExample();
  std::mt19937 rng(3);
  std::normal_distribution<double> normal;
  std::vector<double> w(200);
  for (double& v : w) v = normal(rng);

  ArmaLikelihoodTerms fast;
  std::vector<double> innovations;
  ArmaFilterEnd end;
  ASSERT_TRUE(ArmaKalmanFilter(w.data(), 200, poly.phi, poly.theta, &fast, &innovations, &end));

  // Textbook filter: v = w - a0, F = P00, a <- T(a + P e0 v / F),
  // P <- T (P - P e0 e0' P / F) T' + R R'.
  Eigen::MatrixXd T;
  Eigen::VectorXd R;
  Harvey(poly.phi, poly.theta, &T, &R);
  Eigen::MatrixXd P = ArmaStationaryCovariance(poly.phi, poly.theta);
  Eigen::VectorXd a = Eigen::VectorXd::Zero(T.rows());
  double ssq = 0, sumlog = 0;
  for (int t = 0; t < 200; ++t) {
    const double v = w[t] - a(0), F = P(0, 0);
    EXPECT_NEAR(innovations[t], v, 1e-9) << t;
    ssq += v * v / F;
    sumlog += std::log(F);
    const Eigen::VectorXd M = P.col(0);
    a = T * (a + M * v / F);
    P = T * (P - M * M.transpose() / F) * T.transpose() + R * R.transpose();
  }
  EXPECT_NEAR(fast.ssq, ssq, 1e-9 * ssq);
  EXPECT_NEAR(fast.sumlog, sumlog, 1e-9 * std::max(1.0, std::abs(sumlog)));
  EXPECT_EQ(fast.nu, 200);
  EXPECT_LT((end.a - a).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((end.P - P).cwiseAbs().maxCoeff(), 1e-9);
}

// R's ARIMA_CSS, with the expanded polynomials: the textbook form the
// factor-by-factor kernel must reproduce.
double ExpandedConditionalSumOfSquares(const std::vector<double>& w, const ArmaPolynomials& poly,
                                       std::vector<double>* residuals) {
  const int n = static_cast<int>(w.size());
  const int start = static_cast<int>(poly.phi.size());
  std::vector<double> e(n, 0.0);
  residuals->assign(n, std::nan(""));
  double ssq = 0;
  for (int t = start; t < n; ++t) {
    double v = w[t];
    for (size_t j = 0; j < poly.phi.size(); ++j) v -= poly.phi[j] * w[t - j - 1];
    for (size_t j = 0; j < poly.theta.size(); ++j)
      if (t - static_cast<int>(j) - 1 >= start) v -= poly.theta[j] * e[t - j - 1];
    e[t] = (*residuals)[t] = v;
    ssq += v * v;
  }
  return ssq;
}

TEST(ArmaKalmanTest, ConditionalSumOfSquaresAr1) {
  // AR(1), phi = 0.5: residuals from t = 1 are w_t - 0.5 w_{t-1}.
  const std::vector<double> w{1, 2, 3};
  const double ar[] = {0.5};
  SeasonalArmaFactors f;
  f.ar = ar;
  f.p = 1;
  int count = 0;
  std::vector<double> res;
  const double ssq = ArmaConditionalSumOfSquares(w.data(), 3, f, &count, &res);
  EXPECT_EQ(count, 2);
  EXPECT_DOUBLE_EQ(ssq, 1.5 * 1.5 + 2 * 2);
  EXPECT_TRUE(std::isnan(res[0]));
  EXPECT_DOUBLE_EQ(res[2], 2.0);
}

TEST(ArmaKalmanTest, ConditionalSumOfSquaresFactorByFactorMatchesExpanded) {
  // Every combination of present and absent factors, with a short season so
  // the seasonal lags overlap the non-seasonal ones, and the period-24 shape
  // the M4 search fits most.
  struct Case {
    ArimaOrder order;
    std::vector<double> arma;  // R layout: ar, ma, sar, sma
  };
  const Case cases[] = {
      {{0, 0, 0, 0, 0, 0, 1}, {}},
      {{2, 0, 0, 0, 0, 0, 1}, {0.5, -0.3}},
      {{0, 0, 2, 0, 0, 0, 1}, {0.4, 0.2}},
      {{2, 0, 1, 1, 0, 1, 4}, {0.4, 0.2, 0.3, 0.5, -0.6}},
      {{1, 0, 2, 2, 0, 2, 4}, {0.3, -0.5, 0.2, 0.4, -0.2, 0.6, 0.1}},
      {{0, 0, 0, 1, 0, 2, 4}, {0.5, -0.4, 0.3}},
      {{0, 0, 3, 2, 0, 0, 3}, {0.2, 0.1, -0.3, 0.4, 0.2}},
      {{2, 0, 2, 2, 0, 1, 24}, {0.6, -0.2, -0.3, 0.1, 0.5, 0.2, -0.7}},
  };
  std::mt19937 rng(11);
  std::normal_distribution<double> noise;
  std::vector<double> w(300);
  for (double& v : w) v = noise(rng);
  for (const Case& c : cases) {
    SeasonalArmaFactors f;
    const double* a = c.arma.data();
    f.ar = a;
    f.p = c.order.p;
    f.ma = a + c.order.p;
    f.q = c.order.q;
    f.sar = a + c.order.p + c.order.q;
    f.P = c.order.P;
    f.sma = a + c.order.p + c.order.q + c.order.P;
    f.Q = c.order.Q;
    f.period = c.order.period;
    int count = 0;
    std::vector<double> fast, reference;
    const double ssq = ArmaConditionalSumOfSquares(w.data(), 300, f, &count, &fast);
    const double expected = ExpandedConditionalSumOfSquares(w, ExpandArma(c.order, a), &reference);
    const int start = c.order.ArDegree();
    EXPECT_EQ(count, 300 - start) << "case p=" << c.order.p << " P=" << c.order.P;
    EXPECT_NEAR(ssq, expected, 1e-11 * expected) << "case p=" << c.order.p << " q=" << c.order.q;
    for (int t = 0; t < 300; ++t) {
      if (t < start) {
        EXPECT_TRUE(std::isnan(fast[t])) << "t=" << t;
      } else {
        EXPECT_NEAR(fast[t], reference[t], 1e-11) << "t=" << t << " p=" << c.order.p;
      }
    }
  }
}

}  // namespace
}  // namespace foresight::forecasting
