// AutoArima: forecast::auto.arima's stepwise search (R/newarima2.R), with
// myarima()'s scoring of each candidate.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "forecasting/arima.h"
#include "forecasting/arima_build.h"
#include "forecasting/arima_seasonal_strength.h"
#include "forecasting/unit_root.h"

namespace foresight::forecasting {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// myarima rejects models with an AR or MA root this close to the unit circle.
constexpr double kMinRootModulus = 1.01;
// R's auto.arima approximates (CSS) while searching beyond these sizes.
constexpr int kApproximationMinLength = 150;
constexpr int kApproximationMinPeriod = 12;

struct Candidate {
  int p, q, P, Q;
  bool constant;
  double ic = kInf;
};

class Searcher {
 public:
  Searcher(const std::vector<double>& y, int d, int D, int m, const Eigen::MatrixXd* xreg,
           bool check_variance, bool check_variance_approximate)
      : y_(y), d_(d), D_(D), m_(m), xreg_(xreg), check_variance_(check_variance),
        check_variance_approximate_(check_variance_approximate) {}

  ArimaSpec Spec(const Candidate& c) const {
    ArimaSpec spec;
    spec.order = {c.p, d_, c.q, c.P, D_, c.Q, m_};
    if (m_ <= 1) spec.order.P = spec.order.D = spec.order.Q = 0;
    spec.include_constant = c.constant;
    return spec;
  }

  // myarima(): the information criterion (AICc) of a candidate, +inf if it
  // fails or is rejected. *estimate receives the fit when non-null.
  // *rejected receives a fit that only failed myarima's root or variance checks.
  double Score(const Candidate& c, bool approximation, double offset,
               std::optional<ArimaEstimate>* estimate = nullptr,
               std::optional<ArimaEstimate>* rejected = nullptr) const {
    Result<ArimaProblem> problem = MakeArimaProblem(y_, Spec(c), xreg_);
    if (!problem.ok()) return kInf;
    Result<ArimaEstimate> est = EstimateArima(
        *problem, approximation ? ArimaMethod::kCss : ArimaMethod::kCssMl,
        approximation ? check_variance_approximate_ : check_variance_, kMinRootModulus);
    if (!est.ok()) return kInf;
    const int nstar = est->n_used;
    const int npar = static_cast<int>(est->coef.size()) + 1;
    double aic = est->aic;
    if (approximation) aic = offset + nstar * std::log(est->css_sigma2) + 2 * npar;
    double ic = ArimaAicc(aic, npar - 1, nstar);
    if (!std::isfinite(ic)) return kInf;
    if (est->min_root < kMinRootModulus || !est->variance_ok) {
      if (rejected) *rejected = *est;
      return kInf;
    }
    if (estimate) *estimate = *est;
    return ic;
  }

 private:
  const std::vector<double>& y_;
  int d_, D_, m_;
  const Eigen::MatrixXd* xreg_;
  bool check_variance_;
  bool check_variance_approximate_;
};

// Residuals of y on an intercept and the regressors (auto.arima picks the
// differences from these when there are regressors).
std::vector<double> RegressionResiduals(const std::vector<double>& y, const Eigen::MatrixXd& x) {
  const int n = static_cast<int>(y.size());
  Eigen::MatrixXd A(n, x.cols() + 1);
  A.col(0).setOnes();
  A.rightCols(x.cols()) = x;
  Eigen::Map<const Eigen::VectorXd> b(y.data(), n);
  const Eigen::VectorXd beta = A.colPivHouseholderQr().solve(b);
  const Eigen::VectorXd r = b - A * beta;
  return std::vector<double>(r.data(), r.data() + n);
}

bool AnyConstantColumn(const Eigen::MatrixXd& x, int d, int D, int m) {
  for (int j = 0; j < x.cols(); ++j) {
    std::vector<double> col(x.col(j).data(), x.col(j).data() + x.rows());
    if (IsConstantSeries(Difference(col, d, D, m))) return true;
  }
  return false;
}

// A model whose coefficients are fixed, not estimated (R's Arima(fixed = ...)).
Result<std::unique_ptr<ArimaModel>> FixedModel(const std::vector<double>& y, const ArimaSpec& spec,
                                               std::vector<double> coef,
                                               const Eigen::MatrixXd* xreg) {
  Result<ArimaProblem> problem = MakeArimaProblem(y, spec, xreg);
  if (!problem.ok()) return Error{problem.error()};
  ArimaEstimate est;
  est.order = problem->order;
  est.coef = std::move(coef);
  est.n_used = static_cast<int>(y.size()) - est.order.NumDifferences();
  double sigma2 = 0;
  Result<double> ll = ArimaLogLikelihoodAt(*problem, est.coef, &sigma2);
  est.loglik = ll.ok() ? *ll : std::numeric_limits<double>::quiet_NaN();
  est.sigma2 = std::isfinite(sigma2) ? sigma2 : 0.0;
  // No parameters were estimated: aic = -2 loglik + 2, not comparable when
  // the fit is exact (sigma2 = 0).
  est.aic = std::isfinite(est.loglik) ? -2 * est.loglik + 2 : std::numeric_limits<double>::quiet_NaN();
  const int num_regressors = xreg ? static_cast<int>(xreg->cols()) : 0;
  const bool has_constant = static_cast<int>(problem->xreg.cols()) > num_regressors;
  return BuildArimaModel(std::move(*problem), est, has_constant, num_regressors, 0);
}

// The end of auto.arima's search: the winner of an approximate (CSS) search
// is either kept at its CSS estimates, scored by its exact likelihood
// (exact_refit = false), or the candidates are refitted by exact ML in order
// of the approximate criterion until one passes myarima's checks. `results`
// holds every candidate tried, `best_estimate` the winner's fit.
Result<std::unique_ptr<ArimaModel>> FinishSearch(
    const Searcher& searcher, const std::vector<double>& yf, const Eigen::MatrixXd* xreg,
    const std::vector<Candidate>& results, std::optional<ArimaEstimate> best_estimate,
    double best_ic, bool approximation, const AutoArimaOptions& opt) {
  bool refit = approximation;
  if (approximation && !opt.exact_refit && best_estimate) {
    // Keep the CSS winner, scored by its exact likelihood.
    Result<ArimaProblem> problem = MakeArimaProblem(
        yf,
        ArimaSpec{best_estimate->order,
                  static_cast<int>(best_estimate->coef.size()) >
                      best_estimate->order.NumArma() + (xreg ? static_cast<int>(xreg->cols()) : 0)},
        xreg);
    double sigma2 = 0;
    Result<double> ll = problem.ok() ? ArimaLogLikelihoodAt(*problem, best_estimate->coef, &sigma2)
                                     : Result<double>(Error{problem.error()});
    if (ll.ok() && std::isfinite(*ll) && sigma2 > 0) {
      best_estimate->loglik = *ll;
      best_estimate->sigma2 = sigma2;
      best_estimate->aic = -2 * *ll + 2 * (static_cast<double>(best_estimate->coef.size()) + 1);
      best_estimate->method = ArimaMethod::kCssMl;
      refit = false;
    }
  }
  if (refit) {
    // Refit by exact ML in order of the approximate criterion; the first that
    // survives myarima's checks wins.
    std::vector<Candidate> order = results;
    std::stable_sort(order.begin(), order.end(),
                     [](const Candidate& a, const Candidate& b) { return a.ic < b.ic; });
    best_ic = kInf;
    best_estimate.reset();
    int failed = 0;
    // The best fit that failed only the root or variance checks.
    std::optional<ArimaEstimate> fallback;
    for (const Candidate& c : order) {
      if (failed >= 2 * opt.max_failed_refits) break;
      if (failed >= opt.max_failed_refits && c.Q > 0) continue;
      std::optional<ArimaEstimate> est, rejected;
      const double ic = searcher.Score(c, false, 0, &est, fallback ? nullptr : &rejected);
      if (ic < kInf) {
        best_ic = ic;
        best_estimate = est;
        break;
      }
      if (rejected) fallback = rejected;
      ++failed;
    }
    if (!best_estimate && fallback) {
      // Work cap reached: R would keep refitting; we keep the best exact fit,
      // whose only fault is a root near the unit circle or an indefinite Hessian.
      best_estimate = fallback;
      best_ic = ArimaAicc(fallback->aic, static_cast<int>(fallback->coef.size()), fallback->n_used);
    }
  }
  if (!best_estimate || best_ic == kInf) return Error{"no suitable ARIMA model found"};

  const ArimaEstimate& est = *best_estimate;
  const int k_user = xreg ? static_cast<int>(xreg->cols()) : 0;
  const int num_coef = static_cast<int>(est.coef.size());
  const bool has_constant = num_coef > est.order.NumArma() + k_user;
  ArimaSpec spec{est.order, has_constant};
  Result<ArimaProblem> problem = MakeArimaProblem(yf, spec, xreg);
  if (!problem.ok()) return Error{problem.error()};
  return BuildArimaModel(std::move(*problem), est, has_constant, k_user, num_coef);
}

// R's default: approximate (CSS) scoring for long series or long seasons.
bool UseApproximation(int n, int m, const AutoArimaOptions& opt) {
  return opt.approximation < 0 ? (n > kApproximationMinLength || m > kApproximationMinPeriod)
                               : opt.approximation > 0;
}

}  // namespace

Result<std::unique_ptr<ArimaModel>> AutoArima(const std::vector<double>& y, int period,
                                              const AutoArimaOptions& opt,
                                              const Eigen::MatrixXd* xreg) {
  const int n = static_cast<int>(y.size());
  if (n == 0) return Error{"empty series"};
  for (double v : y)
    if (!std::isfinite(v)) return Error{"the series has non-finite values"};
  if (xreg && (xreg->rows() != n || !xreg->allFinite()))
    return Error{"xreg must be finite with one row per observation"};
  if (xreg && xreg->cols() == 0) xreg = nullptr;

  if (IsConstantSeries(y)) {
    double mean = 0;
    for (double v : y) mean += v / n;
    ArimaSpec spec{{0, 0, 0, 0, 0, 0, 1}, opt.allow_mean};
    return FixedModel(y, spec, opt.allow_mean ? std::vector<double>{mean} : std::vector<double>{},
                      nullptr);
  }

  const int m = period > 1 ? period : 1;
  int max_p = std::min(opt.max_p, n / 3), max_q = std::min(opt.max_q, n / 3);
  int max_P = std::min(opt.max_P, n / 3 / m), max_Q = std::min(opt.max_Q, n / 3 / m);

  std::vector<double> xx = y;
  if (xreg) {
    // Differences are chosen on the regression residuals (R drops constant columns).
    xx = RegressionResiduals(y, *xreg);
    if (AnyConstantColumn(*xreg, 0, 0, 1)) return Error{"xreg has a constant column"};
  }
  int D = opt.D;
  if (m == 1) {
    D = 0;
    max_P = max_Q = 0;
  } else if (D < 0 && n <= 2 * m) {
    D = 0;
  } else if (D < 0) {
    D = NumSeasonalDifferences(xx, m, opt.max_D);
    if (D > 0 && xreg && AnyConstantColumn(*xreg, 0, D, m)) --D;
  }
  std::vector<double> dx = D > 0 ? Difference(xx, 0, D, m) : xx;
  int d = opt.d;
  if (d < 0) {
    d = NumDifferences(dx, opt.max_d);
    if (d > 0 && xreg && AnyConstantColumn(*xreg, d, D, m)) --d;
  }
  if (d > 0) dx = Difference(dx, d, 0, 1);
  if (dx.empty()) return Error{"not enough data to proceed"};
  if (IsConstantSeries(dx)) {
    ArimaSpec spec{{0, d, 0, 0, D, 0, m}, false};
    if (xreg) {
      Result<std::unique_ptr<ArimaModel>> fit = FitArima(y, spec, xreg);
      return fit;
    }
    double mean = 0;
    for (double v : dx) mean += v / dx.size();
    if (D > 0 && d == 0) {
      spec.include_constant = true;
      return FixedModel(y, spec, {mean / m}, nullptr);
    }
    if (D > 0 || d == 2) return FixedModel(y, spec, {}, nullptr);
    spec.include_constant = true;
    return FixedModel(y, spec, {mean}, nullptr);
  }
  if (m > 1) {
    if (max_P > 0) max_p = std::min(max_p, m - 1);
    if (max_Q > 0) max_q = std::min(max_q, m - 1);
  }

  const bool approximation = UseApproximation(n, m, opt);
  // R's truncate: the approximate search (and the refit) see only the tail.
  std::vector<double> y_tail;
  Eigen::MatrixXd xreg_tail;
  const std::vector<double>* y_fit = &y;
  if (approximation && opt.truncate > 0 && n > opt.truncate) {
    y_tail.assign(y.end() - opt.truncate, y.end());
    y_fit = &y_tail;
    if (xreg) {
      xreg_tail = xreg->bottomRows(opt.truncate);
      xreg = &xreg_tail;
    }
  }
  const std::vector<double>& yf = *y_fit;
  Searcher searcher(yf, d, D, m, xreg, opt.check_variance, opt.check_variance_approximate);
  double offset = 0;
  if (approximation) {
    // AIC offset that puts CSS fits on the likelihood's scale, from the
    // white-noise model fitted by ML (R fits it with a mean when d + D = 0).
    Result<ArimaProblem> problem = MakeArimaProblem(yf, searcher.Spec({0, 0, 0, 0, true}), xreg);
    if (problem.ok()) {
      Result<ArimaEstimate> est = EstimateArima(*problem, ArimaMethod::kCssMl, false);
      if (est.ok()) offset = -2 * est->loglik - static_cast<double>(yf.size()) * std::log(est->sigma2);
    }
  }
  const bool allow_drift = opt.allow_drift && d + D == 1;
  const bool allow_mean = opt.allow_mean && d + D == 0;
  bool constant = allow_drift || allow_mean;

  int start_p = opt.start_p, start_q = opt.start_q, start_P = opt.start_P, start_Q = opt.start_Q;
  if (static_cast<int>(yf.size()) < 10) {
    start_p = std::min(start_p, 1);
    start_q = std::min(start_q, 1);
    start_P = start_Q = 0;
  }
  int p = std::min(start_p, max_p), q = std::min(start_q, max_q);
  int P = std::min(start_P, max_P), Q = std::min(start_Q, max_Q);

  std::vector<Candidate> results;
  std::optional<ArimaEstimate> best_estimate;
  double best_ic = kInf;
  auto seen = [&](const Candidate& c) {
    for (const auto& r : results)
      if (r.p == c.p && r.q == c.q && r.P == c.P && r.Q == c.Q && r.constant == c.constant)
        return true;
    return false;
  };
  // Fits c and records it; true when it beats the best so far.
  auto try_model = [&](Candidate c) {
    std::optional<ArimaEstimate> est;
    c.ic = searcher.Score(c, approximation, offset, &est);
    results.push_back(c);
    if (c.ic < best_ic) {
      best_ic = c.ic;
      best_estimate = est;
      return true;
    }
    return false;
  };

  try_model({p, q, P, Q, constant});
  if (try_model({0, 0, 0, 0, constant})) p = q = P = Q = 0;
  if (max_p > 0 || max_P > 0) {
    const int np = max_p > 0, nP = (m > 1) && (max_P > 0);
    if (try_model({np, 0, nP, 0, constant})) {
      p = np;
      P = nP;
      q = Q = 0;
    }
  }
  if (max_q > 0 || max_Q > 0) {
    const int nq = max_q > 0, nQ = (m > 1) && (max_Q > 0);
    if (try_model({0, nq, 0, nQ, constant})) {
      p = P = 0;
      Q = nQ;
      q = nq;
    }
  }
  if (constant && try_model({0, 0, 0, 0, false})) p = q = P = Q = 0;

  const int max_models = opt.max_models;
  size_t startk = 0;
  while (startk < results.size() && static_cast<int>(results.size()) < max_models) {
    startk = results.size();
    // Neighbours in R's order; the first improvement restarts the scan.
    struct Move { int dp, dq, dP, dQ; bool flip; };
    static constexpr Move kMoves[] = {
        {0, 0, -1, 0, false}, {0, 0, 0, -1, false}, {0, 0, 1, 0, false},  {0, 0, 0, 1, false},
        {0, 0, -1, -1, false}, {0, 0, -1, 1, false}, {0, 0, 1, -1, false}, {0, 0, 1, 1, false},
        {-1, 0, 0, 0, false}, {0, -1, 0, 0, false}, {1, 0, 0, 0, false},  {0, 1, 0, 0, false},
        {-1, -1, 0, 0, false}, {-1, 1, 0, 0, false}, {1, -1, 0, 0, false}, {1, 1, 0, 0, false},
        {0, 0, 0, 0, true}};
    for (const Move& mv : kMoves) {
      if (mv.flip && !(allow_drift || allow_mean)) continue;
      const Candidate c{p + mv.dp, q + mv.dq, P + mv.dP, Q + mv.dQ, mv.flip ? !constant : constant};
      if (c.p < 0 || c.q < 0 || c.P < 0 || c.Q < 0 || c.p > max_p || c.q > max_q ||
          c.P > max_P || c.Q > max_Q || seen(c))
        continue;
      if (static_cast<int>(results.size()) >= max_models) break;
      if (try_model(c)) {
        p = c.p;
        q = c.q;
        P = c.P;
        Q = c.Q;
        constant = c.constant;
        break;
      }
    }
  }

  return FinishSearch(searcher, yf, xreg, results, best_estimate, best_ic, approximation, opt);
}

Result<std::unique_ptr<ArimaModel>> RefitArimaOrders(const std::vector<double>& y,
                                                     const ArimaModel& chosen,
                                                     const AutoArimaOptions& opt) {
  const int n = static_cast<int>(y.size());
  if (n == 0) return Error{"empty series"};
  for (double v : y)
    if (!std::isfinite(v)) return Error{"the series has non-finite values"};
  if (chosen.num_regressors() > 0) return Error{"a model with regressors cannot be refitted here"};
  const ArimaOrder& o = chosen.order();
  // AutoArima fixes the coefficients of a series constant after differencing
  // rather than estimating them; leave that case to it.
  if (IsConstantSeries(y) || IsConstantSeries(Difference(y, o.d, o.D, o.period)))
    return Error{"the series is constant after differencing"};
  const int m = std::max(o.period, 1);
  const bool approximation = UseApproximation(n, m, opt);
  std::vector<double> y_tail;
  if (approximation && opt.truncate > 0 && n > opt.truncate)
    y_tail.assign(y.end() - opt.truncate, y.end());
  const std::vector<double>& yf = y_tail.empty() ? y : y_tail;
  Searcher searcher(yf, o.d, o.D, m, nullptr, opt.check_variance, opt.check_variance_approximate);
  Candidate c{o.p, o.q, o.P, o.Q, chosen.has_constant()};
  std::optional<ArimaEstimate> estimate;
  // The criterion's offset only matters when candidates are compared; here
  // there is one.
  c.ic = searcher.Score(c, approximation, 0, &estimate);
  if (c.ic == kInf)
    return Error{"ARIMA orders " + ArimaName(o, c.constant, 0) + " fail on this series"};
  return FinishSearch(searcher, yf, nullptr, {c}, estimate, c.ic, approximation, opt);
}

}  // namespace foresight::forecasting
