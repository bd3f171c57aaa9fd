// ARIMA and seasonal ARIMA models, regression with ARIMA errors, and
// automatic order selection: the ARIMA family of Foresight's forecasters.
//
// The reference is R: stats::arima(method = "CSS-ML") for estimation (exact
// Gaussian likelihood by a Kalman filter, stationarity enforced by the PACF
// reparameterisation, MA roots reflected inside-out) and forecast::auto.arima
// for selection (KPSS tests for d, seasonal strength for D, stepwise search
// by AICc). Names print as R prints them, e.g.
// "ARIMA(2,1,1)(0,1,1)[24] with drift".
//
// Known differences from R, by design:
//  - Differencing is applied to the data (and regressors) exactly, where R
//    puts a diffuse prior (kappa = 1e6) on the differencing states: fixed-
//    parameter log-likelihoods agree to ~1e-5 relative, residuals before
//    d + D*period are NaN here (R: ~y / 1000).
//  - The Kalman filter starts from the exact stationary covariance computed
//    from autocovariances (R: Gardner et al.'s Q0) and uses Chandrasekhar
//    recursions, O(r) per step instead of O(r^2).
//  - D is chosen from a classical-decomposition seasonal strength, not STL
//    (see arima_seasonal_strength.h); AutoArimaOptions documents the work caps.
//
// Thread-safety: fitted models are immutable; all functions are reentrant.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "forecasting/arima_polynomial.h"  // ArimaOrder
#include "forecasting/model.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

struct ArimaSpec {
  ArimaOrder order;
  // A mean when d + D == 0, a drift (linear trend) when d + D == 1; ignored
  // for more differences, as R's Arima(include.constant = TRUE) does.
  bool include_constant = true;
};

struct ArimaFitOptions {
  // Estimate by conditional sum of squares only (R's method = "CSS"): much
  // faster, used while searching. The default is CSS start values, then
  // exact maximum likelihood (method = "CSS-ML").
  bool css_only = false;
};

class ArimaModel : public FittedModel {
 public:
  struct State;  // defined in arima_model.cc
  explicit ArimaModel(std::unique_ptr<State> state);
  ~ArimaModel() override;

  std::string Name() const override;
  double Aicc() const override;
  const std::vector<double>& Residuals() const override;
  // For a model with external regressors, holds them at their last values;
  // use PredictWithRegressors to supply their future.
  PredictiveDistribution Predict(int horizon) const override;
  // future_xreg: horizon x (number of external regressors) values of the
  // regressors over the forecast horizon (not the mean or drift).
  Result<PredictiveDistribution> PredictWithRegressors(int horizon,
                                                       const Eigen::MatrixXd& future_xreg) const;

  const ArimaOrder& order() const;
  bool has_constant() const;          // a mean or drift term was estimated
  int num_regressors() const;         // external regressors (excluding mean or drift)
  // R's layout and names: ar1.., ma1.., sar1.., sma1.., intercept|drift, xreg...
  const std::vector<double>& coefficients() const;
  std::vector<std::string> coefficient_names() const;
  double sigma2() const;              // innovation variance used for intervals
  double log_likelihood() const;
  double aic() const;
  double bic() const;
  int num_observations() const;

 private:
  std::unique_ptr<State> state_;
};

// R's arima.string, e.g. "ARIMA(0,1,1)(0,1,1)[12]", "ARIMA(1,0,0) with
// non-zero mean", "Regression with ARIMA(1,0,1) errors".
std::string ArimaName(const ArimaOrder& order, bool has_constant, int num_regressors);

// Fits one model. xreg (optional): n x k external regressors. Returns an Error
// (never throws) when the data are too short, contain non-finite values, or
// the model cannot be estimated (e.g. a non-stationary AR part from CSS).
Result<std::unique_ptr<ArimaModel>> FitArima(const std::vector<double>& y, const ArimaSpec& spec,
                                             const Eigen::MatrixXd* xreg = nullptr,
                                             const ArimaFitOptions& options = {});

// Exact Gaussian log-likelihood at fixed coefficients (R layout as
// ArimaModel::coefficients()), as R's Arima(..., fixed = coef)$loglik.
Result<double> ArimaLogLikelihood(const std::vector<double>& y, const ArimaSpec& spec,
                                  const std::vector<double>& coefficients,
                                  const Eigen::MatrixXd* xreg = nullptr);

struct AutoArimaOptions {
  int max_p = 5, max_q = 5, max_P = 2, max_Q = 2;
  int max_order = 5;  // used by the non-stepwise search only (as in R); unused here
  int max_d = 2, max_D = 1;
  int start_p = 2, start_q = 2, start_P = 1, start_Q = 1;
  int max_models = 94;           // R's nmodels
  int d = -1, D = -1;            // fixed differences; -1 chooses them from the data
  bool allow_drift = true;
  bool allow_mean = true;
  // -1: R's default, approximate (CSS) during the search when n > 150 or
  // period > 12; 0: never; 1: always.
  int approximation = -1;
  // Reject candidates whose coefficients' variance matrix has a negative or
  // non-finite diagonal, like R's checkarima; it costs a finite-difference
  // Hessian per candidate. R checks approximate (CSS) candidates too; by
  // default we check exact-ML ones only, which is ~30% faster at period 24
  // and changed no choice on the M4 series we compared.
  bool check_variance = true;
  bool check_variance_approximate = false;
  // Work cap (not in R). After the approximate search, R refits candidates
  // by exact ML in order until one passes its checks, however many that
  // takes; at period 24 each failed refit costs 0.1-0.4 s, and the usual
  // failure is ML driving a seasonal MA root onto the unit circle under
  // D = 1. After this many failed refits, candidates with a seasonal MA part
  // are skipped; after twice as many, the search stops and keeps the best
  // failed exact fit (its only fault being a root near the unit circle or an
  // indefinite Hessian) rather than fail.
  int max_failed_refits = 3;
  // Speed options, off by default (R-faithful).
  // R's `truncate`: in approximation mode, select and fit on the last
  // `truncate` observations only (0 = all). Differences are still chosen on
  // the whole series.
  int truncate = 0;
  // false: skip the exact-ML refit after an approximate search and keep the
  // winning CSS estimates; the likelihood, AICc and forecasts are still the
  // exact Kalman-filter ones at those estimates.
  bool exact_refit = true;
};

// forecast::auto.arima with its defaults (stepwise). period <= 1 means
// non-seasonal. Candidates that fail to fit are skipped; an Error only when
// every candidate failed.
Result<std::unique_ptr<ArimaModel>> AutoArima(const std::vector<double>& y, int period,
                                              const AutoArimaOptions& options = {},
                                              const Eigen::MatrixXd* xreg = nullptr);

// Refits the orders (p,d,q)(P,D,Q)[period] and the mean or drift of `chosen`
// (typically what AutoArima selected on a shorter window of the same series)
// on y without searching again: the coefficients are estimated as AutoArima
// estimates its winner, under the same options (approximation, checks,
// exact_refit, truncate). An Error when `chosen` has regressors, y is constant
// after differencing, or the orders fail AutoArima's checks on y (a root near
// the unit circle, a failed fit): search again with AutoArima then.
Result<std::unique_ptr<ArimaModel>> RefitArimaOrders(const std::vector<double>& y,
                                                     const ArimaModel& chosen,
                                                     const AutoArimaOptions& options = {});

}  // namespace foresight::forecasting
