// Pure predicates and transforms of the ARIMA family: stationarity,
// invertibility, the PACF reparameterisation, seasonal expansion, differencing.
#include "forecasting/arima_polynomial.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

namespace foresight::forecasting {
namespace {

struct RootCase {
  std::vector<double> coef;
  bool expected;
  const char* why;
};

TEST(ArimaPolynomialTest, IsStationary) {
  const RootCase cases[] = {
      {{}, true, "white noise"},
      {{0.5}, true, "root at 2"},
      {{-0.99}, true, "root at -1.0101"},
      {{1.0}, false, "random walk: root on the unit circle"},
      {{1.2}, false, "explosive"},
      {{0.5, 0.3}, true, "inside the AR(2) triangle"},
      {{0.5, 0.6}, false, "phi1 + phi2 > 1"},
      {{0.0, 0.0, 0.0, 0.9}, true, "seasonal AR at lag 4, trailing zeros ignored"},
      {{0.5, 0.0}, true, "trailing zero"},
  };
  for (const auto& c : cases) EXPECT_EQ(IsStationary(c.coef), c.expected) << c.why;
}

TEST(ArimaPolynomialTest, IsInvertible) {
  const RootCase cases[] = {
      {{}, true, "no MA part"},
      {{0.5}, true, "root at -2"},
      {{-1.0}, false, "unit root (over-differenced)"},
      {{2.0}, false, "root at -0.5"},
      {{0.5, 0.25}, true, "complex roots of modulus 2"},
      {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.95}, true, "seasonal MA(1) at lag 12"},
  };
  for (const auto& c : cases) EXPECT_EQ(IsInvertible(c.coef), c.expected) << c.why;
}

TEST(ArimaPolynomialTest, PacfTransformRoundTripAndStationarity) {
  std::mt19937 rng(7);
  std::normal_distribution<double> normal(0.0, 1.5);
  for (int p = 1; p <= 6; ++p) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<double> raw(p), ar(p), back(p);
      for (double& v : raw) v = normal(rng);
      PacfToAr(p, raw.data(), ar.data());
      EXPECT_TRUE(IsStationary(ar)) << "p=" << p;  // any raw maps into the stationary region
      ArToPacf(p, ar.data(), back.data());
      for (int i = 0; i < p; ++i) EXPECT_NEAR(back[i], raw[i], 1e-8) << "p=" << p;
    }
  }
}

TEST(ArimaPolynomialTest, TransformArmaTouchesOnlyArBlocks) {
  const ArimaOrder o{1, 0, 1, 1, 0, 1, 12};
  const std::vector<double> arma{0.5, 0.3, -0.4, 0.2};
  const std::vector<double> t = TransformArma(o, arma);
  EXPECT_NEAR(t[0], std::atanh(0.5), 1e-12);
  EXPECT_EQ(t[1], 0.3);
  EXPECT_NEAR(t[2], std::atanh(-0.4), 1e-12);
  EXPECT_EQ(t[3], 0.2);
  const std::vector<double> back = UntransformArma(o, t);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(back[i], arma[i], 1e-12);
}

TEST(ArimaPolynomialTest, ExpandArmaMultipliesSeasonalPolynomials) {
  // (1 - 0.5B)(1 - 0.2B^4) = 1 - 0.5B - 0.2B^4 + 0.1B^5 -> phi = (0.5, 0, 0, 0.2, -0.1)
  // (1 + 0.3B)(1 + 0.4B^4) = 1 + 0.3B + 0.4B^4 + 0.12B^5
  const ArimaOrder o{1, 0, 1, 1, 0, 1, 4};
  const double arma[] = {0.5, 0.3, 0.2, 0.4};
  const ArmaPolynomials poly = ExpandArma(o, arma);
  const std::vector<double> phi{0.5, 0, 0, 0.2, -0.1}, theta{0.3, 0, 0, 0.4, 0.12};
  ASSERT_EQ(poly.phi.size(), phi.size());
  ASSERT_EQ(poly.theta.size(), theta.size());
  for (size_t i = 0; i < phi.size(); ++i) EXPECT_NEAR(poly.phi[i], phi[i], 1e-15);
  for (size_t i = 0; i < theta.size(); ++i) EXPECT_NEAR(poly.theta[i], theta[i], 1e-15);
}

TEST(ArimaPolynomialTest, InvertMaReflectsRoots) {
  // MA(1): theta = 2 and 1/2 give the same autocorrelation.
  EXPECT_NEAR(InvertMa({2.0})[0], 0.5, 1e-15);
  EXPECT_EQ(InvertMa({0.5})[0], 0.5);
  // MA(2) with roots 0.5 and -4: (1 - z/0.5)(1 + z/4) = 1 - 1.75z - 0.5z^2.
  // Reflecting 0.5 -> 2: (1 - z/2)(1 + z/4) = 1 - 0.25z - 0.125z^2.
  const std::vector<double> inv = InvertMa({-1.75, -0.5});
  EXPECT_NEAR(inv[0], -0.25, 1e-12);
  EXPECT_NEAR(inv[1], -0.125, 1e-12);
  EXPECT_TRUE(IsInvertible(inv));
}

TEST(ArimaPolynomialTest, Differencing) {
  // (1 - B)(1 - B^4) = 1 - B - B^4 + B^5 -> u_t = u_{t-1} + u_{t-4} - u_{t-5} + w_t.
  const std::vector<double> delta = DifferencingCoefficients(1, 1, 4);
  const std::vector<double> expected{1, 0, 0, 1, -1};
  EXPECT_EQ(delta, expected);
  EXPECT_EQ(DifferencingCoefficients(2, 0, 1), (std::vector<double>{2, -1}));
  const std::vector<double> x{1, 4, 9, 16, 25, 36};
  EXPECT_EQ(Difference(x, 2, 0, 1), (std::vector<double>{2, 2, 2, 2}));
  EXPECT_EQ(Difference(x, 0, 1, 4), (std::vector<double>{24, 32}));
  EXPECT_TRUE(Difference(x, 0, 2, 4).empty());
}

}  // namespace
}  // namespace foresight::forecasting
