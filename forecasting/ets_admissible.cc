#include "forecasting/ets_admissible.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <array>

namespace foresight::forecasting {
namespace {

// R accepts roots up to this modulus: a seasonal model without trend always
// has a root at exactly z = 1 (the seasonal states sum to a constant).
constexpr double kRootTolerance = 1e-10;
// Reflection coefficients within this of +-1 are too close to call in floating
// point; the eigenvalue route decides those.
constexpr double kSchurMargin = 1e-10;

// Coefficients of the characteristic polynomial in decreasing powers,
// c[0] = 1 (z^(m+1)) ... c[m+1] (z^0). Kept on the stack: the test runs at
// every likelihood evaluation.
using Coefficients = std::array<double, kEtsMaxSeasonalPeriod + 2>;

int CharacteristicPolynomial(int m, const EtsParams& p, Coefficients& c) {
  const double a = p.alpha, b = p.beta, g = p.gamma, phi = p.phi;
  c[0] = 1.0;
  c[1] = a + b - phi;
  for (int i = 2; i <= m - 1; ++i) c[i] = a + b - a * phi;
  c[m] = a + b - a * phi + g - 1.0;
  c[m + 1] = phi * (1.0 - a - g);
  return m + 1;
}

enum class Verdict { kInside, kOutside, kUnsure };

// Schur-Cohn: a monic real polynomial has all roots strictly inside the unit
// circle iff every reflection coefficient k of the step-down recursion
//   a'[i] = (a[i] - k a[d-i]) / (1 - k^2),  k = a[d]
// has |k| < 1. The polynomial is first rescaled to p(rho z) / rho^d so that
// the test is for |z| < rho.
// REQUIRES: c[0] = 1; d = degree. Overwrites c.
Verdict SchurCohn(Coefficients& c, int d, double rho) {
  double scale = 1.0;
  for (int i = 1; i <= d; ++i) {
    scale /= rho;
    c[i] *= scale;
  }
  for (int deg = d; deg >= 1; --deg) {
    const double k = c[deg];
    const double margin = 1.0 - std::abs(k);
    if (!std::isfinite(k)) return Verdict::kOutside;
    if (margin < -kSchurMargin) return Verdict::kOutside;
    if (margin <= kSchurMargin) return Verdict::kUnsure;
    const double denom = 1.0 - k * k;
    for (int i = 0, j = deg; i <= j; ++i, --j) {
      const double ci = c[i], cj = c[j];
      c[i] = (ci - k * cj) / denom;
      c[j] = (cj - k * ci) / denom;
    }
  }
  return Verdict::kInside;
}

}  // namespace

bool EtsWithinUsualBounds(const EtsSpec& spec, const EtsParams& p, const EtsBox& box) {
  if (p.alpha < box.alpha_lower || p.alpha > box.alpha_upper) return false;
  if (spec.trend != EtsTrend::kNone) {
    if (p.beta < box.beta_lower || p.beta > p.alpha || p.beta > box.beta_upper) return false;
  }
  if (spec.trend == EtsTrend::kAdditiveDamped) {
    if (p.phi < box.phi_lower || p.phi > box.phi_upper) return false;
  }
  if (spec.season != EtsSeason::kNone) {
    if (p.gamma < box.gamma_lower || p.gamma > 1.0 - p.alpha || p.gamma > box.gamma_upper) {
      return false;
    }
  }
  return true;
}

bool EtsAdmissible(const EtsSpec& spec, const EtsParams& params) {
  const double a = params.alpha, phi = params.phi;
  const double b = spec.trend == EtsTrend::kNone ? 0.0 : params.beta;
  if (phi < 0.0 || phi > 1.0 + 1e-8) return false;
  if (spec.season == EtsSeason::kNone || spec.period <= 1) {
    if (a < 1.0 - 1.0 / phi || a > 1.0 + 1.0 / phi) return false;
    if (spec.trend != EtsTrend::kNone) {
      if (b < a * (phi - 1.0) || b > (1.0 + phi) * (2.0 - a)) return false;
    }
    return true;
  }
  const double g = params.gamma;
  const double m = spec.period;
  if (g < std::max(1.0 - 1.0 / phi - a, 0.0) || g > 1.0 + 1.0 / phi - a) return false;
  if (a < 1.0 - 1.0 / phi - g * (1.0 - m + phi + phi * m) / (2.0 * phi * m)) return false;
  if (b < -(1.0 - phi) * (g / m + a)) return false;

  EtsParams p = params;
  p.beta = b;
  if (spec.period > kEtsMaxSeasonalPeriod) return false;
  Coefficients c;
  int degree = CharacteristicPolynomial(spec.period, p, c);
  // A root at exactly z = 1 (no trend: beta = 0, phi = 1) is divided out by
  // synthetic division so that the rest can be tested strictly.
  double at_one = 0.0;
  for (int i = 0; i <= degree; ++i) at_one += c[i];
  if (std::abs(at_one) < 1e-12) {
    for (int i = 1; i <= degree; ++i) c[i] += c[i - 1];
    --degree;
  }
  switch (SchurCohn(c, degree, 1.0 + kRootTolerance)) {
    case Verdict::kInside:
      return true;
    case Verdict::kOutside:
      return false;
    case Verdict::kUnsure:
      break;
  }
  return EtsMaxCharacteristicRoot(spec.period, p) <= 1.0 + kRootTolerance;
}

double EtsMaxCharacteristicRoot(int period, const EtsParams& params) {
  if (period < 2 || period > kEtsMaxSeasonalPeriod) return std::numeric_limits<double>::infinity();
  Coefficients c;
  const int d = CharacteristicPolynomial(period, params, c);
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(d, d);
  for (int j = 0; j < d; ++j) companion(0, j) = -c[j + 1];
  for (int i = 1; i < d; ++i) companion(i, i - 1) = 1.0;
  Eigen::EigenSolver<Eigen::MatrixXd> solver(companion, /*computeEigenvectors=*/false);
  return solver.eigenvalues().cwiseAbs().maxCoeff();
}

}  // namespace foresight::forecasting
