// ArimaModel: the fitted record (coefficients, likelihood, residuals and the
// filter's final state) and forecasting from it.
#include <cmath>
#include <limits>

#include "forecasting/arima.h"
#include "forecasting/arima_build.h"

namespace foresight::forecasting {

struct ArimaModel::State {
  ArimaProblem problem;
  ArimaEstimate est;
  bool has_constant = false;
  int num_regressors = 0;
  double sigma2 = 0;
  double aicc = 0;
  double bic = 0;
  std::vector<double> residuals;
  ArmaFilterEnd end;           // a_{n+1|n}, P_{n+1|n} of the differenced errors
  std::vector<double> u_tail;  // last d + D*period regression errors, most recent first
};

ArimaModel::ArimaModel(std::unique_ptr<State> state) : state_(std::move(state)) {}
ArimaModel::~ArimaModel() = default;

std::string ArimaName(const ArimaOrder& o, bool has_constant, int num_regressors) {
  std::string s = "ARIMA(" + std::to_string(o.p) + "," + std::to_string(o.d) + "," +
                  std::to_string(o.q) + ")";
  if (o.period > 1 && o.P + o.D + o.Q > 0)
    s += "(" + std::to_string(o.P) + "," + std::to_string(o.D) + "," + std::to_string(o.Q) +
         ")[" + std::to_string(o.period) + "]";
  const int diffs = o.d + o.D;
  if (num_regressors > 0) return "Regression with " + s + " errors";
  if (has_constant && diffs == 1) return s + " with drift";
  if (has_constant && diffs == 0) return s + " with non-zero mean";
  if (diffs == 0) return s + " with zero mean";
  return s;
}

double ArimaAicc(double aic, int num_coefficients, int n_used) {
  const double npar = num_coefficients + 1;
  const double denom = n_used - npar - 1;
  if (!std::isfinite(aic) || denom <= 0) return std::numeric_limits<double>::infinity();
  return aic + 2 * npar * (npar + 1) / denom;
}

Result<ArimaProblem> MakeArimaProblem(const std::vector<double>& y, const ArimaSpec& spec,
                                      const Eigen::MatrixXd* xreg) {
  const ArimaOrder& o = spec.order;
  if (o.p < 0 || o.d < 0 || o.q < 0 || o.P < 0 || o.D < 0 || o.Q < 0)
    return Error{"ARIMA orders must be non-negative"};
  if (o.period <= 1 && o.P + o.D + o.Q > 0) return Error{"seasonal orders need a period > 1"};
  const int n = static_cast<int>(y.size());
  for (double v : y)
    if (!std::isfinite(v)) return Error{"the series has non-finite values"};
  if (xreg && xreg->rows() != n) return Error{"xreg must have one row per observation"};
  if (xreg && !xreg->allFinite()) return Error{"xreg has non-finite values"};
  if (n - o.NumDifferences() <= 0) return Error{"too few observations for the differencing"};
  ArimaProblem pr;
  pr.order = o;
  if (o.period <= 1) pr.order.period = 1;
  pr.y = y;
  const int diffs = o.d + o.D;
  const bool constant = spec.include_constant && diffs <= 1;
  const int k_user = xreg ? static_cast<int>(xreg->cols()) : 0;
  pr.xreg.resize(n, (constant ? 1 : 0) + k_user);
  int col = 0;
  if (constant) {
    for (int t = 0; t < n; ++t) pr.xreg(t, 0) = diffs == 0 ? 1.0 : t + 1.0;
    pr.xreg_names.push_back(diffs == 0 ? "intercept" : "drift");
    col = 1;
  }
  for (int j = 0; j < k_user; ++j) {
    pr.xreg.col(col + j) = xreg->col(j);
    pr.xreg_names.push_back("xreg" + std::to_string(j + 1));
  }
  return pr;
}

Result<std::unique_ptr<ArimaModel>> BuildArimaModel(ArimaProblem problem, const ArimaEstimate& est,
                                                    bool has_constant, int num_regressors,
                                                    int num_estimated) {
  auto s = std::make_unique<ArimaModel::State>();
  const ArimaOrder& o = problem.order;
  const std::vector<double> u = RegressionErrors(problem, est.coef);
  const std::vector<double> w = Difference(u, o.d, o.D, o.period);
  const ArmaPolynomials poly = ExpandArma(o, est.coef.data());
  ArmaLikelihoodTerms terms;
  std::vector<double> innovations;
  if (!ArmaKalmanFilter(w.data(), static_cast<int>(w.size()), poly.phi, poly.theta, &terms,
                        &innovations, &s->end))
    return Error{"the fitted model has no finite likelihood"};
  const int nd = o.NumDifferences();
  s->residuals.assign(nd, std::numeric_limits<double>::quiet_NaN());
  s->residuals.insert(s->residuals.end(), innovations.begin(), innovations.end());
  for (int j = 0; j < nd; ++j) s->u_tail.push_back(u[u.size() - 1 - j]);
  s->est = est;
  s->has_constant = has_constant;
  s->num_regressors = num_regressors;
  // forecast's sum(residuals^2) / (nstar - npar + 1), npar = num_estimated + 1.
  const int denom = est.n_used - num_estimated;
  s->sigma2 = denom > 0 ? est.sigma2 * est.n_used / denom : est.sigma2;
  const int k = static_cast<int>(est.coef.size());
  s->aicc = ArimaAicc(est.aic, k, est.n_used);
  s->bic = est.aic + (k + 1) * (std::log(static_cast<double>(est.n_used)) - 2);
  if (!std::isfinite(s->sigma2) || s->sigma2 < 0) return Error{"non-finite innovation variance"};
  s->problem = std::move(problem);
  return std::make_unique<ArimaModel>(std::move(s));
}

std::string ArimaModel::Name() const {
  return ArimaName(state_->problem.order, state_->has_constant, state_->num_regressors);
}
double ArimaModel::Aicc() const {
  return std::isfinite(state_->aicc) ? state_->aicc : std::numeric_limits<double>::infinity();
}
const std::vector<double>& ArimaModel::Residuals() const { return state_->residuals; }
const ArimaOrder& ArimaModel::order() const { return state_->problem.order; }
bool ArimaModel::has_constant() const { return state_->has_constant; }
int ArimaModel::num_regressors() const { return state_->num_regressors; }
const std::vector<double>& ArimaModel::coefficients() const { return state_->est.coef; }
double ArimaModel::sigma2() const { return state_->sigma2; }
double ArimaModel::log_likelihood() const { return state_->est.loglik; }
double ArimaModel::aic() const { return state_->est.aic; }
double ArimaModel::bic() const { return state_->bic; }
int ArimaModel::num_observations() const { return static_cast<int>(state_->problem.y.size()); }

std::vector<std::string> ArimaModel::coefficient_names() const {
  const ArimaOrder& o = state_->problem.order;
  std::vector<std::string> names;
  auto add = [&names](const char* prefix, int count) {
    for (int i = 1; i <= count; ++i) names.push_back(prefix + std::to_string(i));
  };
  add("ar", o.p);
  add("ma", o.q);
  add("sar", o.P);
  add("sma", o.Q);
  for (const auto& n : state_->problem.xreg_names) names.push_back(n);
  return names;
}

PredictiveDistribution ArimaModel::Predict(int horizon) const {
  const int k = state_->num_regressors;
  Eigen::MatrixXd future(std::max(horizon, 0), k);
  const Eigen::MatrixXd& x = state_->problem.xreg;
  for (int j = 0; j < k; ++j) future.col(j).setConstant(x(x.rows() - 1, x.cols() - k + j));
  Result<PredictiveDistribution> r = PredictWithRegressors(horizon, future);
  return r.ok() ? *r : PredictiveDistribution();
}

Result<PredictiveDistribution> ArimaModel::PredictWithRegressors(
    int horizon, const Eigen::MatrixXd& future_xreg) const {
  if (horizon < 1) return Error{"horizon must be at least 1"};
  if (future_xreg.rows() < horizon || future_xreg.cols() != state_->num_regressors)
    return Error{"future_xreg must be horizon x num_regressors()"};
  const State& s = *state_;
  const ArimaOrder& o = s.problem.order;
  const ArmaPolynomials poly = ExpandArma(o, s.est.coef.data());
  const std::vector<double> delta = DifferencingCoefficients(o.d, o.D, o.period);
  const int r = static_cast<int>(s.end.a.size());
  const int nd = static_cast<int>(delta.size());
  const int dim = r + nd;
  // Full state of R's makeARIMA: the ARMA state of the differenced errors,
  // then the last nd undifferenced errors. u_{n+h} = a[0] + sum delta_j u_{n+h-j}.
  Eigen::VectorXd x = Eigen::VectorXd::Zero(dim);
  x.head(r) = s.end.a;
  for (int j = 0; j < nd; ++j) x(r + j) = s.u_tail[j];
  Eigen::MatrixXd P = Eigen::MatrixXd::Zero(dim, dim);
  P.topLeftCorner(r, r) = s.end.P;
  Eigen::VectorXd R = Eigen::VectorXd::Zero(dim);  // noise loading: (1, theta_1, ..)
  R(0) = 1;
  for (size_t i = 0; i < poly.theta.size(); ++i) R(i + 1) = poly.theta[i];

  auto observe = [&](const auto& v) {
    double z = v(0);
    for (int j = 0; j < nd; ++j) z += delta[j] * v(r + j);
    return z;
  };
  // v <- T v, with T sparse: companion block plus a shift register.
  auto transition = [&](Eigen::Ref<Eigen::VectorXd> v) {
    const double u_now = observe(v);
    const double v0 = v(0);
    for (int i = 0; i + 1 < r; ++i) v(i) = v(i + 1);
    v(r - 1) = 0;
    for (size_t i = 0; i < poly.phi.size(); ++i) v(i) += poly.phi[i] * v0;
    for (int j = nd - 1; j > 0; --j) v(r + j) = v(r + j - 1);
    if (nd > 0) v(r) = u_now;
  };

  std::vector<double> mean(horizon), sd(horizon);
  const int n = static_cast<int>(s.problem.y.size());
  const int k_total = static_cast<int>(s.problem.xreg.cols());
  const int n_arma = o.NumArma();
  Eigen::VectorXd zp(dim);
  for (int h = 0; h < horizon; ++h) {
    // Regression part: mean or drift column first, then the external regressors.
    double xb = 0;
    const int k_user = s.num_regressors;
    const int k_const = k_total - k_user;
    if (k_const == 1) {
      const double c = s.problem.xreg_names[0] == "drift" ? n + h + 1.0 : 1.0;
      xb += c * s.est.coef[n_arma];
    }
    for (int j = 0; j < k_user; ++j) xb += future_xreg(h, j) * s.est.coef[n_arma + k_const + j];
    mean[h] = observe(x) + xb;
    // Var(u_{n+h}) = Z P Z'.
    for (int c = 0; c < dim; ++c) zp(c) = observe(P.col(c));
    const double var = observe(zp);
    sd[h] = std::sqrt(std::max(var, 0.0) * s.sigma2);
    transition(x);
    // P <- T P T' + R R'
    for (int c = 0; c < dim; ++c) transition(P.col(c));
    P.transposeInPlace();
    for (int c = 0; c < dim; ++c) transition(P.col(c));
    P.noalias() += R * R.transpose();
  }
  for (int h = 0; h < horizon; ++h)
    if (!std::isfinite(mean[h]) || !std::isfinite(sd[h])) return Error{"non-finite forecast"};
  return PredictiveDistribution::Normal(std::move(mean), std::move(sd));
}

}  // namespace foresight::forecasting
