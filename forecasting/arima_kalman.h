// Numeric kernels of ARIMA estimation on a differenced (stationary) series:
// the exact Gaussian likelihood by a Kalman filter and the conditional sum of
// squares. They know nothing of orders, regressors or optimisers.
//
// State space (Harvey's form, the one R's makeARIMA builds for the ARMA part),
// r = max(p, q + 1):
//   w_t = a_t[0]
//   a_{t+1}[i] = phi_{i+1} a_t[0] + a_t[i+1] + theta_i e_{t+1},  theta_0 = 1
// with e_t ~ N(0, sigma^2). sigma^2 is concentrated out: covariances here are
// in units of sigma^2.
#pragma once

#include <vector>

#include <Eigen/Dense>

namespace foresight::forecasting {

// Covariance of a_t under stationarity (what R's getQ0 computes), from the
// autocovariances and psi-weights of the ARMA process in O(r^2 + p^3).
// Returns an empty matrix when the AR part is not stationary.
Eigen::MatrixXd ArmaStationaryCovariance(const std::vector<double>& phi,
                                         const std::vector<double>& theta);

struct ArmaLikelihoodTerms {
  double ssq = 0;     // sum of v_t^2 / F_t
  double sumlog = 0;  // sum of log F_t
  int nu = 0;         // steps counted
};

// The filter's prediction at the end: a_{n+1|n} and P_{n+1|n} (units of sigma^2).
struct ArmaFilterEnd {
  Eigen::VectorXd a;
  Eigen::MatrixXd P;
};

// Runs the Kalman filter from the stationary initial state. The covariance
// recursion uses Chandrasekhar-type recursions: from a stationary start,
// P_{t+1} - P_t has rank one, so each step costs O(r) instead of the O(r^2) of
// the Riccati update, which matters for seasonal models (r ~ 25..50 at
// period 24). Like R's ARIMA_Like, steps whose prediction variance F_t >= 1e4
// are left out of the likelihood. innovations (optional) receives
// v_t = w_t - E[w_t | past]; end (optional) the final state and covariance.
// Returns false when the AR part is not stationary or a variance degenerates.
bool ArmaKalmanFilter(const double* w, int n, const std::vector<double>& phi,
                      const std::vector<double>& theta, ArmaLikelihoodTerms* terms,
                      std::vector<double>* innovations = nullptr, ArmaFilterEnd* end = nullptr);

// The four factors of a multiplicative seasonal ARMA model,
// (1 - ar(B)) (1 - sar(B^period)) w_t = (1 + ma(B)) (1 + sma(B^period)) e_t,
// in R's sign conventions (arima_polynomial.h).
struct SeasonalArmaFactors {
  const double* ar = nullptr;
  int p = 0;
  const double* ma = nullptr;
  int q = 0;
  const double* sar = nullptr;
  int P = 0;
  const double* sma = nullptr;
  int Q = 0;
  int period = 1;
};

// Conditional sum of squares as R's ARIMA_CSS: residuals from
// t = p + P * period on, earlier residuals taken as zero. Returns the sum of
// squares; *count receives the number of residuals; residuals (optional) has
// NaN before that.
// R filters with the expanded polynomials, (p+1)(P+1) + (q+1)(Q+1) - 2 terms
// per step; this applies the factors one after the other, p + P + q + Q terms,
// and the seasonal stages have no dependence within a season (they
// vectorise). Same residuals up to rounding; it is the inner loop of every
// CSS fit in the order search.
double ArmaConditionalSumOfSquares(const double* w, int n, const SeasonalArmaFactors& f, int* count,
                                   std::vector<double>* residuals = nullptr);

}  // namespace foresight::forecasting
