#include "forecasting/arima_estimate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "forecasting/bfgs.h"

namespace foresight::forecasting {
namespace {

// What R's armafn returns when the likelihood cannot be evaluated.
constexpr double kHugeObjective = std::numeric_limits<double>::max();
// R's ARIMA_Gradtrans step.
constexpr double kGradTransStep = 1e-3;

// The problem after differencing, with regressors possibly rotated (R rotates
// several free regressors onto their singular vectors to decorrelate them
// for the optimiser; the estimates are rotated back at the end).
struct Prepared {
  ArimaOrder order;
  int n_arma = 0;
  int k = 0;
  std::vector<double> dy;
  Eigen::MatrixXd dx;           // differenced (rotated) regressors
  Eigen::MatrixXd rotation;     // beta_original = rotation * beta; empty if none
  mutable std::vector<double> w;  // scratch: differenced regression errors
  int n_used = 0;

  const std::vector<double>& Errors(const double* beta) const {
    if (k == 0) return dy;
    w = dy;
    for (int j = 0; j < k; ++j) {
      const double b = beta[j];
      for (size_t t = 0; t < w.size(); ++t) w[t] -= dx(t, j) * b;
    }
    return w;
  }
};

Eigen::MatrixXd DifferenceColumns(const Eigen::MatrixXd& x, const ArimaOrder& o) {
  const int n_out = static_cast<int>(x.rows()) - o.NumDifferences();
  Eigen::MatrixXd out(std::max(n_out, 0), x.cols());
  for (int j = 0; j < x.cols(); ++j) {
    std::vector<double> col(x.rows());
    for (int t = 0; t < x.rows(); ++t) col[t] = x(t, j);
    std::vector<double> d = Difference(col, o.d, o.D, o.period);
    for (int t = 0; t < n_out; ++t) out(t, j) = d[t];
  }
  return out;
}

// The factors of an R-layout coefficient vector (ar, ma, sar, sma).
SeasonalArmaFactors Factors(const ArimaOrder& o, const double* arma) {
  SeasonalArmaFactors f;
  f.ar = arma;
  f.p = o.p;
  f.ma = arma + o.p;
  f.q = o.q;
  f.sar = arma + o.p + o.q;
  f.P = o.P;
  f.sma = arma + o.p + o.q + o.P;
  f.Q = o.Q;
  f.period = o.period;
  return f;
}

// 0.5 log(ssq / count) as R's armaCSS.
double CssObjective(const Prepared& pr, const std::vector<double>& par) {
  const std::vector<double>& w = pr.Errors(par.data() + pr.n_arma);
  int count = 0;
  const double ssq = ArmaConditionalSumOfSquares(w.data(), static_cast<int>(w.size()),
                                                 Factors(pr.order, par.data()), &count);
  if (count <= 0) return std::numeric_limits<double>::quiet_NaN();
  return 0.5 * std::log(ssq / count);
}

// 0.5 (log(ssq / nu) + sumlog / nu) as R's armafn; AR blocks transformed when `transformed`.
double MlObjective(const Prepared& pr, const std::vector<double>& par, bool transformed) {
  std::vector<double> arma(par.begin(), par.begin() + pr.n_arma);
  if (transformed) arma = UntransformArma(pr.order, arma);
  const ArmaPolynomials poly = ExpandArma(pr.order, arma.data());
  const std::vector<double>& w = pr.Errors(par.data() + pr.n_arma);
  ArmaLikelihoodTerms terms;
  if (!ArmaKalmanFilter(w.data(), static_cast<int>(w.size()), poly.phi, poly.theta, &terms))
    return kHugeObjective;
  const double s2 = terms.ssq / terms.nu;
  return 0.5 * (std::log(s2) + terms.sumlog / terms.nu);
}

Result<Prepared> Prepare(const ArimaProblem& problem, std::vector<double>* beta0,
                         std::vector<double>* beta_scale) {
  Prepared pr;
  pr.order = problem.order;
  pr.n_arma = problem.order.NumArma();
  pr.k = static_cast<int>(problem.xreg.cols());
  const int n = static_cast<int>(problem.y.size());
  pr.n_used = n - problem.order.NumDifferences();
  if (pr.n_used <= 0) return Error{"too few non-missing observations"};
  pr.dy = Difference(problem.y, problem.order.d, problem.order.D, problem.order.period);
  Eigen::MatrixXd x = problem.xreg;
  if (pr.k > 1) {
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(x, Eigen::ComputeThinV);
    pr.rotation = svd.matrixV();
    x = x * pr.rotation;
  }
  pr.dx = DifferenceColumns(x, problem.order);
  beta0->assign(pr.k, 0.0);
  beta_scale->assign(pr.k, 1.0);
  if (pr.k > 0) {
    // Start from least squares on the differenced data (R: lm(dx ~ dxreg - 1)),
    // or on the raw data when differencing leaves too little.
    Eigen::Map<const Eigen::VectorXd> ydiff(pr.dy.data(), pr.dy.size());
    Eigen::MatrixXd A = pr.dx;
    Eigen::VectorXd b = ydiff;
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr;
    if (A.rows() > A.cols()) qr.compute(A);
    if (A.rows() <= A.cols() || qr.rank() == 0) {
      A = x;
      b = Eigen::Map<const Eigen::VectorXd>(problem.y.data(), n);
      qr.compute(A);
    }
    if (qr.rank() < pr.k) return Error{"regressors are rank deficient"};
    const Eigen::VectorXd coef = qr.solve(b);
    const double dof = static_cast<double>(A.rows() - pr.k);
    const double s2 = dof > 0 ? (b - A * coef).squaredNorm() / dof : 0.0;
    const Eigen::MatrixXd xtx_inv = (A.transpose() * A).inverse();
    for (int j = 0; j < pr.k; ++j) {
      (*beta0)[j] = coef(j);
      const double se = std::sqrt(std::max(s2 * xtx_inv(j, j), 0.0));
      // R scales each regression coefficient by 10 standard errors.
      (*beta_scale)[j] = (se > 0 && std::isfinite(se)) ? 10 * se
                                                        : std::max(1e-3 * std::abs(coef(j)), 1e-8);
    }
  }
  return pr;
}

// Jacobian of UntransformArma (R's ARIMA_Gradtrans: forward differences).
Eigen::MatrixXd GradTrans(const ArimaOrder& o, const std::vector<double>& raw, int total) {
  Eigen::MatrixXd A = Eigen::MatrixXd::Identity(total, total);
  auto block = [&](int offset, int len) {
    if (len == 0) return;
    std::vector<double> w1(raw.begin() + offset, raw.begin() + offset + len), a(len), b(len);
    PacfToAr(len, w1.data(), a.data());
    for (int i = 0; i < len; ++i) {
      std::vector<double> w2 = w1;
      w2[i] += kGradTransStep;
      PacfToAr(len, w2.data(), b.data());
      for (int j = 0; j < len; ++j) A(offset + i, offset + j) = (b[j] - a[j]) / kGradTransStep;
    }
  };
  block(0, o.p);
  block(o.p + o.q, o.P);
  return A;
}

bool VarianceOk(const Eigen::MatrixXd& hessian, const Eigen::MatrixXd& jacobian, int n_used) {
  if (hessian.size() == 0) return true;  // nothing was estimated
  Eigen::FullPivLU<Eigen::MatrixXd> lu(hessian * n_used);
  if (!lu.isInvertible()) return false;
  const Eigen::MatrixXd var = jacobian.transpose() * lu.solve(jacobian);
  for (int i = 0; i < var.rows(); ++i)
    if (!std::isfinite(var(i, i)) || var(i, i) < 0) return false;
  return true;
}

// Polynomial coefficients below this count as zero when looking for roots
// (forecast's myarima).
constexpr double kZeroCoefficient = 1e-8;

double TrimmedMinRoot(const std::vector<double>& poly, double sign) {
  std::vector<double> c;
  size_t last = 0;
  for (size_t i = 0; i < poly.size(); ++i)
    if (std::abs(poly[i]) > kZeroCoefficient) last = i + 1;
  for (size_t i = 0; i < last; ++i) c.push_back(sign * poly[i]);
  return MinRootModulus(c);
}

// TrimmedMinRoot(expanded, sign) where expanded is the product of
// 1 + sign * (factor_1 z + ... + factor_k z^k) and the seasonal
// 1 + sign * (seasonal_1 z^s + ... + seasonal_K z^(K s)). The roots of a
// product are its factors' roots, and each root u of the seasonal factor in
// u = z^s gives roots of modulus |u|^(1/s): two eigenproblems of degree k and
// K instead of one of degree k + K s (53 at period 24, the most costly step
// of scoring a candidate). When myarima's trimming would drop a coefficient
// the expanded polynomial is solved as it does.
double ProductMinRoot(const std::vector<double>& expanded, const double* factor, int k,
                      const double* seasonal, int K, int s, double sign) {
  if (K == 0 || expanded.empty() || std::abs(expanded.back()) <= kZeroCoefficient)
    return TrimmedMinRoot(expanded, sign);
  std::vector<double> c(k), cs(K);
  for (int i = 0; i < k; ++i) c[i] = sign * factor[i];
  for (int i = 0; i < K; ++i) cs[i] = sign * seasonal[i];
  return std::min(MinRootModulus(c), std::pow(MinRootModulus(cs), 1.0 / s));
}

double MinRootOf(const ArimaOrder& o, const std::vector<double>& arma) {
  const ArmaPolynomials poly = ExpandArma(o, arma.data());
  const double* a = arma.data();
  double m = 2;
  if (o.p + o.P > 0)
    m = std::min(m, ProductMinRoot(poly.phi, a, o.p, a + o.p + o.q, o.P, o.period, -1));
  if (o.q + o.Q > 0)
    m = std::min(m,
                 ProductMinRoot(poly.theta, a + o.p, o.q, a + o.p + o.q + o.P, o.Q, o.period, 1));
  return m;
}

double LogLikelihoodFromValue(double value, int n_used) {
  return -0.5 * (2 * n_used * value + n_used + n_used * std::log(2 * std::numbers::pi));
}

}  // namespace

std::vector<double> RegressionErrors(const ArimaProblem& problem, const std::vector<double>& coef) {
  std::vector<double> u = problem.y;
  const int n_arma = problem.order.NumArma();
  for (int j = 0; j < problem.xreg.cols(); ++j)
    for (size_t t = 0; t < u.size(); ++t) u[t] -= problem.xreg(t, j) * coef[n_arma + j];
  return u;
}

Result<ArimaEstimate> EstimateArima(const ArimaProblem& problem, ArimaMethod method,
                                    bool check_variance, double variance_min_root) {
  std::vector<double> beta0, beta_scale;
  Result<Prepared> prepared = Prepare(problem, &beta0, &beta_scale);
  if (!prepared.ok()) return Error{prepared.error()};
  const Prepared& pr = *prepared;
  const ArimaOrder& o = problem.order;
  const int n_par = pr.n_arma + pr.k;

  BfgsOptions options;
  options.parscale.assign(pr.n_arma, 1.0);
  options.parscale.insert(options.parscale.end(), beta_scale.begin(), beta_scale.end());
  std::vector<double> init(pr.n_arma, 0.0);
  init.insert(init.end(), beta0.begin(), beta0.end());

  const Objective css = [&pr](const std::vector<double>& par) { return CssObjective(pr, par); };
  ArimaEstimate est;
  est.order = o;
  est.method = method;
  est.n_used = pr.n_used;

  std::vector<double> coef;  // in rotated regression coordinates until the end
  double value = 0;
  if (method == ArimaMethod::kCss) {
    const BfgsResult res = BfgsMinimize(css, init, options);
    if (res.failed) return Error{"CSS optimisation failed"};
    coef = res.x;
    value = res.value;
    est.converged = res.converged;
    est.min_root = MinRootOf(o, coef);
    if (check_variance && n_par > 0 && est.min_root >= variance_min_root) {
      Eigen::MatrixXd h;
      est.variance_checked = true;
      est.variance_ok = NumericHessian(css, coef, options, &h) &&
                        VarianceOk(h, Eigen::MatrixXd::Identity(n_par, n_par), pr.n_used);
    }
    est.css_sigma2 = std::exp(2 * value);
    est.sigma2 = est.css_sigma2;
    est.loglik = LogLikelihoodFromValue(value, pr.n_used);
    est.aic = std::numeric_limits<double>::quiet_NaN();
  } else {
    if (n_par > 0) {
      const BfgsResult res = BfgsMinimize(css, init, options);
      if (!res.failed && res.converged) init = res.x;
    }
    std::vector<double> arma(init.begin(), init.begin() + pr.n_arma);
    auto ar_block_ok = [&](int offset, int len) {
      return len == 0 ||
             IsStationary(std::vector<double>(arma.begin() + offset, arma.begin() + offset + len));
    };
    if (!ar_block_ok(0, o.p)) return Error{"non-stationary AR part from CSS"};
    if (!ar_block_ok(o.p + o.q, o.P)) return Error{"non-stationary seasonal AR part from CSS"};
    // Optimise over PACF-transformed AR blocks, which keeps every trial stationary.
    auto invert_ma = [&](std::vector<double>& v, int offset, int len) {
      if (len == 0) return;
      std::vector<double> ma(v.begin() + offset, v.begin() + offset + len);
      ma = InvertMa(ma);
      std::copy(ma.begin(), ma.end(), v.begin() + offset);
    };
    arma = TransformArma(o, arma);
    invert_ma(arma, o.p, o.q);
    invert_ma(arma, o.p + o.q + o.P, o.Q);
    std::copy(arma.begin(), arma.end(), init.begin());
    for (double v : init)
      if (!std::isfinite(v)) return Error{"non-finite start values"};

    const Objective ml = [&pr](const std::vector<double>& par) { return MlObjective(pr, par, true); };
    const BfgsResult res = BfgsMinimize(ml, init, options);
    if (res.failed) return Error{"non-finite finite-difference value"};
    est.converged = res.converged;
    coef = res.x;
    value = res.value;
    // Non-invertible MA estimates are reflected to the invertible ones; the
    // likelihood is the same, R re-evaluates it there.
    std::vector<double> before = coef;
    invert_ma(coef, o.p, o.q);
    invert_ma(coef, o.p + o.q + o.P, o.Q);
    if (coef != before) value = ml(coef);
    std::vector<double> raw_arma(coef.begin(), coef.begin() + pr.n_arma);
    raw_arma = UntransformArma(o, raw_arma);
    est.min_root = MinRootOf(o, raw_arma);
    if (check_variance && n_par > 0 && est.min_root >= variance_min_root) {
      Eigen::MatrixXd h;
      est.variance_checked = true;
      est.variance_ok = NumericHessian(ml, coef, options, &h) &&
                        VarianceOk(h, GradTrans(o, coef, n_par), pr.n_used);
    }
    std::copy(raw_arma.begin(), raw_arma.end(), coef.begin());
    if (value >= kHugeObjective || !std::isfinite(value)) return Error{"no finite likelihood"};
    est.loglik = LogLikelihoodFromValue(value, pr.n_used);
    est.aic = -2 * est.loglik + 2 * (n_par + 1);
  }
  // Rotate regression coefficients back to the caller's columns.
  if (pr.rotation.size() > 0) {
    Eigen::Map<Eigen::VectorXd> beta(coef.data() + pr.n_arma, pr.k);
    beta = (pr.rotation * beta).eval();
  }
  est.coef = coef;
  for (double v : est.coef)
    if (!std::isfinite(v)) return Error{"non-finite estimates"};
  if (method == ArimaMethod::kCssMl) {
    double sigma2 = 0;
    Result<double> ll = ArimaLogLikelihoodAt(problem, est.coef, &sigma2);
    if (!ll.ok()) return Error{ll.error()};
    est.sigma2 = sigma2;
  }
  return est;
}

Result<double> ArimaLogLikelihoodAt(const ArimaProblem& problem, const std::vector<double>& coef,
                                    double* sigma2) {
  const ArimaOrder& o = problem.order;
  const int n_used = static_cast<int>(problem.y.size()) - o.NumDifferences();
  if (n_used <= 0) return Error{"too few observations"};
  if (static_cast<int>(coef.size()) != o.NumArma() + problem.xreg.cols())
    return Error{"wrong number of coefficients"};
  const std::vector<double> u = RegressionErrors(problem, coef);
  const std::vector<double> w = Difference(u, o.d, o.D, o.period);
  const ArmaPolynomials poly = ExpandArma(o, coef.data());
  ArmaLikelihoodTerms terms;
  if (!ArmaKalmanFilter(w.data(), static_cast<int>(w.size()), poly.phi, poly.theta, &terms))
    return Error{"the AR part is not stationary"};
  const double value = 0.5 * (std::log(terms.ssq / terms.nu) + terms.sumlog / terms.nu);
  if (sigma2) *sigma2 = terms.ssq / n_used;
  return LogLikelihoodFromValue(value, n_used);
}

}  // namespace foresight::forecasting
