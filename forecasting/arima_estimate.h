// Estimation of one ARIMA model with fixed orders: R's arima() with
// method = "CSS-ML" (conditional-sum-of-squares start, then exact maximum
// likelihood) or "CSS". Internal to the ARIMA family: FitArima and AutoArima
// build on it; callers outside use forecasting/arima.h.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Dense>

#include "forecasting/arima_kalman.h"
#include "forecasting/arima_polynomial.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

enum class ArimaMethod { kCssMl, kCss };

// A regression with ARIMA errors: y_t = x_t' beta + u_t, u_t ~ ARIMA(order).
// The constant (mean when d + D = 0, drift when d + D = 1) is a column of
// xreg, first, as R adds it.
struct ArimaProblem {
  ArimaOrder order;
  std::vector<double> y;
  Eigen::MatrixXd xreg;          // n x k, may have 0 columns
  std::vector<std::string> xreg_names;
};

struct ArimaEstimate {
  ArimaOrder order;
  ArimaMethod method = ArimaMethod::kCssMl;
  std::vector<double> coef;      // R layout: ar, ma, sar, sma, then one per xreg column
  double sigma2 = 0;             // R's: ssq / n_used (ML) or ssq / count (CSS)
  double loglik = 0;             // for CSS, R's value from the CSS objective
  double aic = 0;                // -2 loglik + 2 (k + 1); NaN for CSS as in R
  double css_sigma2 = 0;
  int n_used = 0;                // observations after differencing
  bool variance_ok = true;       // the coefficients' variance matrix has a finite, non-negative diagonal
  bool variance_checked = false;
  // Smallest modulus of the roots of the expanded AR and MA polynomials
  // (coefficients below 1e-8 trimmed, as forecast's myarima does); 2 if none.
  double min_root = 2;
  bool converged = true;
};

// Fits the model. An Error means R's arima() would have stopped (e.g. a
// non-stationary AR part from CSS) or no finite likelihood could be found.
// With check_variance the finite-difference Hessian is computed as R's
// optim(hessian = TRUE) does, for forecast::auto.arima's checkarima(), but
// only when min_root >= variance_min_root: a model the caller rejects for its
// roots anyway does not need the (costly) Hessian.
Result<ArimaEstimate> EstimateArima(const ArimaProblem& problem, ArimaMethod method,
                                    bool check_variance, double variance_min_root = 0);

// Exact Gaussian log-likelihood at given coefficients (R layout), as R's
// arima(..., fixed = coef) reports it; also fills sigma2 when non-null.
Result<double> ArimaLogLikelihoodAt(const ArimaProblem& problem, const std::vector<double>& coef,
                                    double* sigma2 = nullptr);

// The regression errors u = y - X beta and, after differencing, w.
std::vector<double> RegressionErrors(const ArimaProblem& problem, const std::vector<double>& coef);

}  // namespace foresight::forecasting
