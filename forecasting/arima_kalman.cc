#include "forecasting/arima_kalman.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <memory>

namespace foresight::forecasting {
namespace {

// R's ARIMA_Like leaves steps with a prediction variance this large out of the
// likelihood (it is how the diffuse start is skipped).
constexpr double kLargeVariance = 1e4;

// The non-zero AR coefficients: seasonal polynomials are mostly zeros.
using SparseAr = std::vector<std::pair<int, double>>;

SparseAr NonZeros(const std::vector<double>& phi) {
  SparseAr out;
  for (size_t i = 0; i < phi.size(); ++i)
    if (phi[i] != 0.0) out.emplace_back(static_cast<int>(i), phi[i]);
  return out;
}

// out[t] -= c * in[t] for t < len. The ranges do not overlap, which lets the
// compiler vectorise.
void SubtractScaled(double* __restrict out, const double* __restrict in, double c, int len) {
  for (int t = 0; t < len; ++t) out[t] -= c * in[t];
}

// g_t = z_t - sum_{j=1..kQ} ma_j g_{t-j} for start <= t < n, reading g before
// start. The last kQ values stay in registers: read back from memory, a
// just-stored g_{t-1} (in a vector load with g_{t-2}) stalls store forwarding,
// which made this loop most of the cost of a CSS fit.
template <int kQ>
void MaRecursion(const double* z, const double* ma, int start, int n, double* g) {
  double c[kQ], recent[kQ];  // recent[j] = g_{t-1-j}
  for (int j = 0; j < kQ; ++j) {
    c[j] = ma[j];
    recent[j] = g[start - 1 - j];
  }
  for (int t = start; t < n; ++t) {
    // The g_{t-1} term last: it is the only one waiting for the previous step.
    double v = z[t];
    for (int j = kQ - 1; j >= 0; --j) v -= c[j] * recent[j];
    for (int j = kQ - 1; j > 0; --j) recent[j] = recent[j - 1];
    recent[0] = v;
    g[t] = v;
  }
}

}  // namespace

Eigen::MatrixXd ArmaStationaryCovariance(const std::vector<double>& phi,
                                         const std::vector<double>& theta) {
  const int p = static_cast<int>(phi.size());
  const int q = static_cast<int>(theta.size());
  const int r = std::max(p, q + 1);
  auto ph = [&](int j) { return (j >= 1 && j <= p) ? phi[j - 1] : 0.0; };      // phi_j
  auto th = [&](int j) { return j == 0 ? 1.0 : (j <= q ? theta[j - 1] : 0.0); };  // theta_j

  // psi-weights: psi_j = theta_j + sum_i phi_i psi_{j-i}.
  std::vector<double> psi(r + 1);
  for (int j = 0; j <= r; ++j) {
    double s = th(j);
    for (int i = 1; i <= std::min(j, p); ++i) s += ph(i) * psi[j - i];
    psi[j] = s;
  }
  // Autocovariances: gamma(k) - sum_i phi_i gamma(k - i) = sum_{j>=k} theta_j psi_{j-k}.
  auto rhs = [&](int k) {
    double s = 0;
    for (int j = k; j <= q; ++j) s += th(j) * psi[j - k];
    return s;
  };
  std::vector<double> gamma(r + 1, 0.0);
  {
    Eigen::MatrixXd A = Eigen::MatrixXd::Identity(p + 1, p + 1);
    Eigen::VectorXd b(p + 1);
    for (int k = 0; k <= p; ++k) {
      for (int i = 1; i <= p; ++i) A(k, std::abs(k - i)) -= ph(i);
      b(k) = rhs(k);
    }
    Eigen::PartialPivLU<Eigen::MatrixXd> lu(A);
    Eigen::VectorXd g = lu.solve(b);
    for (int k = 0; k <= std::min(p, r); ++k) gamma[k] = g(k);
    for (int k = p + 1; k <= r; ++k) {
      double s = rhs(k);
      for (int i = 1; i <= p; ++i) s += ph(i) * gamma[k - i];
      gamma[k] = s;
    }
  }
  if (!(gamma[0] > 0) || !std::isfinite(gamma[0])) return {};

  // c[j] = Cov(w_t, a_t[j]), where a_t[j] = sum_{l>j} phi_l w_{t+j-l} + sum_{l>=j} theta_l e_{t+j-l}.
  std::vector<double> c(r + 1, 0.0);
  for (int j = 0; j < r; ++j) {
    double s = 0;
    for (int l = j + 1; l <= r; ++l) s += ph(l) * gamma[l - j];
    for (int l = j; l < r; ++l) s += th(l) * psi[l - j];
    c[j] = s;
  }
  // a_t[i] = phi_{i+1} w_{t-1} + a_{t-1}[i+1] + theta_i e_t, so by stationarity
  // P[i][k] = P[i+1][k+1] + phi_{i+1} phi_{k+1} gamma0 + phi_{i+1} c[k+1]
  //           + phi_{k+1} c[i+1] + theta_i theta_k.
  Eigen::MatrixXd P(r, r);
  for (int i = r - 1; i >= 0; --i) {
    for (int k = r - 1; k >= i; --k) {
      double v = (k + 1 < r) ? P(i + 1, k + 1) : 0.0;
      v += ph(i + 1) * ph(k + 1) * gamma[0] + ph(i + 1) * c[k + 1] + ph(k + 1) * c[i + 1] +
           th(i) * th(k);
      P(i, k) = P(k, i) = v;
    }
  }
  if (!P.allFinite()) return {};
  return P;
}

bool ArmaKalmanFilter(const double* w, int n, const std::vector<double>& phi,
                      const std::vector<double>& theta, ArmaLikelihoodTerms* terms,
                      std::vector<double>* innovations, ArmaFilterEnd* end) {
  const int r = std::max(static_cast<int>(phi.size()), static_cast<int>(theta.size()) + 1);
  Eigen::MatrixXd P = ArmaStationaryCovariance(phi, theta);
  if (P.size() == 0) return false;
  *terms = {};
  if (innovations) innovations->assign(n, std::numeric_limits<double>::quiet_NaN());

  const SparseAr sparse_phi = NonZeros(phi);
  // The state vectors live in sliding windows: the companion shift
  // y[i] = x[i+1] is then a pointer increment instead of a copy.
  std::vector<double> a_buf(n + r + 1, 0.0), w_buf(n + r + 1, 0.0), M(r);
  double* a = a_buf.data();
  double* W = w_buf.data();
  auto shift_and_feed = [&sparse_phi, r](double*& x) {
    const double x0 = x[0];
    ++x;
    x[r - 1] = 0.0;
    for (const auto& [i, c] : sparse_phi) x[i] += c * x0;
  };
  for (int i = 0; i < r; ++i) M[i] = P(i, 0);           // M_t = P_t Z'
  double F = M[0];                                       // F_t = Z P_t Z'
  // P_2 - P_1 = -(T M_1)(T M_1)' / F_1 because P_1 solves the Lyapunov equation.
  for (int i = 0; i < r; ++i) W[i] = M[i];
  shift_and_feed(W);
  double S = -1.0 / F;
  bool moving = true;  // false once P_t has stopped changing (to rounding)

  for (int t = 0; t < n; ++t) {
    if (!(F > 0) || !std::isfinite(F)) return false;
    const double v = w[t] - a[0];
    if (innovations) (*innovations)[t] = v;
    if (F < kLargeVariance) {
      terms->ssq += v * v / F;
      terms->sumlog += std::log(F);
      ++terms->nu;
    }
    // a_{t+1} = T (a_t + M_t v_t / F_t)
    const double gain = v / F;
    for (int i = 0; i < r; ++i) a[i] += M[i] * gain;
    shift_and_feed(a);
    if (!moving) continue;
    // Rank-one covariance update: P_{t+1} = P_t + S_t W_t W_t'.
    const double w0 = W[0];
    if (end) P.noalias() += S * Eigen::Map<Eigen::VectorXd>(W, r) *
                            Eigen::Map<Eigen::VectorXd>(W, r).transpose();
    // W_{t+1} = (T - K_t Z) W_t = T (W_t - M_t w0 / F_t);  M_{t+1} = M_t + W_t S_t w0.
    const double Sw0 = S * w0;
    const double wf = w0 / F;
    double wmax = 0;
    for (int i = 0; i < r; ++i) {
      const double wi = W[i];
      W[i] = wi - M[i] * wf;
      M[i] += wi * Sw0;
      wmax = std::max(wmax, std::abs(W[i]));
    }
    shift_and_feed(W);
    const double F_next = F + Sw0 * w0;
    S -= Sw0 * Sw0 / F_next;
    F = F_next;
    if (std::abs(S) * wmax * wmax < 1e-15 * F) moving = false;
  }
  if (end) {
    end->a = Eigen::Map<Eigen::VectorXd>(a, r);
    end->P = P;
  }
  return terms->nu > 0;
}

double ArmaConditionalSumOfSquares(const double* w, int n, const SeasonalArmaFactors& f, int* count,
                                   std::vector<double>* residuals) {
  const int s = std::max(f.period, 1);
  const int start = f.p + f.P * s;
  *count = std::max(n - start, 0);
  if (residuals) residuals->assign(std::max(n, 0), std::numeric_limits<double>::quiet_NaN());
  if (n <= start) return 0;
  // Each stage writes t >= its first defined step into its own buffer; the MA
  // stages read zeros before `start` (residuals before it are 0), down to
  // `lead` places before the buffer. Only those are cleared: zeroing all of a
  // buffer cost more than some of the stages on long series.
  const int lead = f.q + f.Q * s;
  const size_t size = 4 * static_cast<size_t>(n) + 2 * static_cast<size_t>(lead);
  std::unique_ptr<double[]> buffer(new double[size]);
  double* x = buffer.get();  // n: after the non-seasonal AR factor
  double* z = x + n;         // n: after the seasonal AR factor
  double* g = z + n + lead;  // n, `lead` zeros before: after the MA factor
  double* e = g + n + lead;  // n, `lead` zeros before: the residuals
  std::fill(g - lead, g + start, 0.0);
  std::fill(e - lead, e + start, 0.0);
  const double* cur = w;
  if (f.p > 0) {
    // x_t = w_t - sum_j ar_j w_{t-j}, t >= p.
    std::copy(w + f.p, w + n, x + f.p);
    for (int j = 1; j <= f.p; ++j) SubtractScaled(x + f.p, w + f.p - j, f.ar[j - 1], n - f.p);
    cur = x;
  }
  if (f.P > 0) {
    // z_t = x_t - sum_J sar_J x_{t-J*s}, t >= start.
    std::copy(cur + start, cur + n, z + start);
    for (int J = 1; J <= f.P; ++J)
      SubtractScaled(z + start, cur + start - J * s, f.sar[J - 1], n - start);
    cur = z;
  }
  if (f.q > 0) {
    // g_t = z_t - sum_j ma_j g_{t-j}: the one recursion that is serial step by step.
    using Recursion = void (*)(const double*, const double*, int, int, double*);
    static constexpr Recursion kUnrolled[] = {nullptr,        MaRecursion<1>, MaRecursion<2>,
                                              MaRecursion<3>, MaRecursion<4>, MaRecursion<5>};
    if (f.q < static_cast<int>(std::size(kUnrolled))) {
      kUnrolled[f.q](cur, f.ma, start, n, g);
    } else {
      for (int t = start; t < n; ++t) {
        double v = cur[t];
        for (int j = f.q; j >= 1; --j) v -= f.ma[j - 1] * g[t - j];
        g[t] = v;
      }
    }
    cur = g;
  }
  if (f.Q > 0) {
    // e_t = g_t - sum_J sma_J e_{t-J*s}: within one season no step depends on another.
    for (int t0 = start; t0 < n; t0 += s) {
      const int len = std::min(s, n - t0);
      std::copy(cur + t0, cur + t0 + len, e + t0);
      for (int J = 1; J <= f.Q; ++J) SubtractScaled(e + t0, e + t0 - J * s, f.sma[J - 1], len);
    }
    cur = e;
  }
  double ssq = 0;
  for (int t = start; t < n; ++t) ssq += cur[t] * cur[t];
  if (residuals) std::copy(cur + start, cur + n, residuals->begin() + start);
  return ssq;
}

}  // namespace foresight::forecasting
