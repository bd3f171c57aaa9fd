#include "forecasting/arima_polynomial.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

#include <Eigen/Dense>

namespace foresight::forecasting {
namespace {

// Index one past the last non-zero coefficient.
size_t Degree(const std::vector<double>& c) {
  size_t k = c.size();
  while (k > 0 && c[k - 1] == 0.0) --k;
  return k;
}

// Roots of 1 + c_1 z + ... + c_k z^k, k = Degree(c), via the eigenvalues of the
// companion matrix of the reversed (monic) polynomial, whose roots are the
// reciprocals.
std::vector<std::complex<double>> Roots(const std::vector<double>& c) {
  const size_t k = Degree(c);
  std::vector<std::complex<double>> roots;
  if (k == 0) return roots;
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(k, k);
  for (size_t j = 0; j < k; ++j) companion(0, j) = -c[j];
  for (size_t i = 1; i < k; ++i) companion(i, i - 1) = 1.0;
  Eigen::EigenSolver<Eigen::MatrixXd> solver(companion, /*computeEigenvectors=*/false);
  for (size_t i = 0; i < k; ++i) roots.push_back(1.0 / solver.eigenvalues()[i]);
  return roots;
}

}  // namespace

ArmaPolynomials ExpandArma(const ArimaOrder& o, const double* arma) {
  const int s = o.period;
  ArmaPolynomials out;
  out.phi.assign(o.ArDegree(), 0.0);
  out.theta.assign(o.MaDegree(), 0.0);
  const double* ar = arma;
  const double* ma = arma + o.p;
  const double* sar = arma + o.p + o.q;
  const double* sma = arma + o.p + o.q + o.P;
  for (int i = 0; i < o.p; ++i) out.phi[i] = ar[i];
  for (int i = 0; i < o.q; ++i) out.theta[i] = ma[i];
  for (int j = 0; j < o.P; ++j) {
    out.phi[(j + 1) * s - 1] += sar[j];
    // -(ar_i)(sar_j) because both polynomials carry minus signs.
    for (int i = 0; i < o.p; ++i) out.phi[(j + 1) * s + i] -= ar[i] * sar[j];
  }
  for (int j = 0; j < o.Q; ++j) {
    out.theta[(j + 1) * s - 1] += sma[j];
    for (int i = 0; i < o.q; ++i) out.theta[(j + 1) * s + i] += ma[i] * sma[j];
  }
  return out;
}

void PacfToAr(int p, const double* raw, double* ar) {
  std::vector<double> work(p);
  for (int j = 0; j < p; ++j) work[j] = ar[j] = std::tanh(raw[j]);
  // Durbin-Levinson: phi_{j,k} = phi_{j-1,k} - phi_{jj} phi_{j-1,j-k}.
  for (int j = 1; j < p; ++j) {
    const double a = ar[j];
    for (int k = 0; k < j; ++k) work[k] -= a * ar[j - k - 1];
    for (int k = 0; k < j; ++k) ar[k] = work[k];
  }
}

void ArToPacf(int p, const double* ar, double* raw) {
  std::vector<double> work(ar, ar + p), cur(ar, ar + p);
  for (int j = p - 1; j > 0; --j) {
    const double a = cur[j];
    for (int k = 0; k < j; ++k) work[k] = (cur[k] + a * cur[j - k - 1]) / (1 - a * a);
    for (int k = 0; k < j; ++k) cur[k] = work[k];
  }
  for (int j = 0; j < p; ++j) raw[j] = std::atanh(cur[j]);
}

std::vector<double> UntransformArma(const ArimaOrder& o, const std::vector<double>& params) {
  std::vector<double> out = params;
  if (o.p > 0) PacfToAr(o.p, params.data(), out.data());
  if (o.P > 0) PacfToAr(o.P, params.data() + o.p + o.q, out.data() + o.p + o.q);
  return out;
}

std::vector<double> TransformArma(const ArimaOrder& o, const std::vector<double>& arma) {
  std::vector<double> out = arma;
  if (o.p > 0) ArToPacf(o.p, arma.data(), out.data());
  if (o.P > 0) ArToPacf(o.P, arma.data() + o.p + o.q, out.data() + o.p + o.q);
  return out;
}

double MinRootModulus(const std::vector<double>& c) {
  double m = std::numeric_limits<double>::infinity();
  for (const auto& r : Roots(c)) m = std::min(m, std::abs(r));
  return m;
}

bool IsStationary(const std::vector<double>& ar) {
  std::vector<double> c(ar.size());
  for (size_t i = 0; i < ar.size(); ++i) c[i] = -ar[i];
  return MinRootModulus(c) > 1.0;
}

bool IsInvertible(const std::vector<double>& ma) { return MinRootModulus(ma) > 1.0; }

std::vector<double> InvertMa(const std::vector<double>& ma) {
  const size_t q0 = Degree(ma);
  if (q0 == 0) return ma;
  std::vector<std::complex<double>> roots = Roots(ma);
  bool any_inside = false;
  for (const auto& r : roots) any_inside |= std::abs(r) < 1.0;
  if (!any_inside) return ma;
  std::vector<double> out(ma.size(), 0.0);
  if (q0 == 1) {
    out[0] = 1.0 / ma[0];
    return out;
  }
  for (auto& r : roots)
    if (std::abs(r) < 1.0) r = 1.0 / r;
  // Rebuild prod_r (1 - z / r), which has constant term 1.
  std::vector<std::complex<double>> poly{1.0};
  for (const auto& r : roots) {
    std::vector<std::complex<double>> next(poly.size() + 1, 0.0);
    for (size_t i = 0; i < poly.size(); ++i) {
      next[i] += poly[i];
      next[i + 1] -= poly[i] / r;
    }
    poly = std::move(next);
  }
  for (size_t i = 0; i < q0; ++i) out[i] = poly[i + 1].real();
  return out;
}

std::vector<double> DifferencingCoefficients(int d, int D, int period) {
  // Multiply out (1 - B)^d (1 - B^s)^D = 1 - sum delta_j B^j.
  std::vector<double> poly{1.0};
  auto times = [&poly](int lag) {
    std::vector<double> next(poly.size() + lag, 0.0);
    for (size_t i = 0; i < poly.size(); ++i) {
      next[i] += poly[i];
      next[i + lag] -= poly[i];
    }
    poly = std::move(next);
  };
  for (int i = 0; i < d; ++i) times(1);
  for (int i = 0; i < D; ++i) times(period);
  std::vector<double> delta(poly.size() - 1);
  for (size_t j = 1; j < poly.size(); ++j) delta[j - 1] = -poly[j];
  return delta;
}

std::vector<double> Difference(const std::vector<double>& x, int d, int D, int period) {
  std::vector<double> w = x;
  auto diff = [&w](int lag) {
    if (static_cast<int>(w.size()) <= lag) {
      w.clear();
      return;
    }
    for (size_t t = w.size() - 1; t >= static_cast<size_t>(lag); --t) w[t] -= w[t - lag];
    w.erase(w.begin(), w.begin() + lag);
  };
  for (int i = 0; i < d; ++i) diff(1);
  for (int i = 0; i < D; ++i) diff(period);
  return w;
}

}  // namespace foresight::forecasting
