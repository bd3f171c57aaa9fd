#include "forecasting/fourier.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <string>

namespace foresight::forecasting {
namespace {

// sin(pi x) and cos(pi x) with the argument reduced modulo 2 first and exact
// values at multiples of 1/2, as R's sinpi()/cospi().
double SinPi(double x) {
  x = std::fmod(x, 2.0);
  if (x <= -1.0) x += 2.0;
  else if (x > 1.0) x -= 2.0;
  if (x == 0.0 || x == 1.0) return 0.0;
  if (x == 0.5) return 1.0;
  if (x == -0.5) return -1.0;
  return std::sin(std::numbers::pi * x);
}

double CosPi(double x) {
  x = std::fmod(std::fabs(x), 2.0);
  if (std::fmod(x, 1.0) == 0.5) return 0.0;
  if (x == 1.0) return -1.0;
  if (x == 0.0) return 1.0;
  return std::cos(std::numbers::pi * x);
}

struct Harmonic {
  double p;          // frequency k / m in cycles per step
  bool has_sine;     // false when sin(2 pi p t) vanishes (2p integer)
};

Eigen::MatrixXd Build(int n, const std::vector<Harmonic>& harmonics, long offset) {
  int cols = 0;
  for (const Harmonic& h : harmonics) cols += h.has_sine ? 2 : 1;
  Eigen::MatrixXd x(n, cols);
  int c = 0;
  for (const Harmonic& h : harmonics) {
    for (int i = 0; i < n; ++i) {
      const double t = static_cast<double>(offset + i + 1);
      if (h.has_sine) x(i, c) = SinPi(2.0 * h.p * t);
      x(i, c + (h.has_sine ? 1 : 0)) = CosPi(2.0 * h.p * t);
    }
    c += h.has_sine ? 2 : 1;
  }
  return x;
}

}  // namespace

Eigen::MatrixXd FourierTerms(int n, double period, int K, long offset) {
  auto terms = FourierTerms(n, std::vector<double>{period}, std::vector<int>{K}, offset);
  return terms.ok() ? std::move(terms).value() : Eigen::MatrixXd(std::max(n, 0), 0);
}

Result<Eigen::MatrixXd> FourierTerms(int n, const std::vector<double>& periods,
                                     const std::vector<int>& K, long offset) {
  if (periods.size() != K.size()) {
    return Error{"fourier: number of periods does not match number of orders"};
  }
  if (n < 0) return Error{"fourier: negative length"};
  std::vector<Harmonic> harmonics;
  for (size_t j = 0; j < periods.size(); ++j) {
    if (!(periods[j] > 0.0) || K[j] < 0 || 2.0 * K[j] > periods[j]) {
      return Error{"fourier: K must be in [0, period/2] (period " +
                   std::to_string(periods[j]) + ", K " + std::to_string(K[j]) + ")"};
    }
    for (int k = 1; k <= K[j]; ++k) {
      const double p = k / periods[j];
      bool duplicate = false;
      for (const Harmonic& h : harmonics) duplicate = duplicate || h.p == p;
      if (duplicate) continue;
      const bool has_sine =
          std::fabs(2.0 * p - std::round(2.0 * p)) > std::numeric_limits<double>::epsilon();
      harmonics.push_back({p, has_sine});
    }
  }
  return Build(n, harmonics, offset);
}

}  // namespace foresight::forecasting
