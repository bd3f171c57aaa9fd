#include "forecasting/unit_root.h"

#include <cmath>
#include <numeric>

#include "forecasting/arima_polynomial.h"

namespace foresight::forecasting {
namespace {

// urca's 5% critical value for the level (mu) KPSS test; ndiffs differences
// when the interpolated p-value is below 0.05, i.e. the statistic exceeds it.
constexpr double kKpssCritical5Percent = 0.463;
// R's all.equal tolerance, used by forecast's is.constant.
constexpr double kAllEqualTolerance = 1.5e-8;

}  // namespace

double KpssStatistic(const std::vector<double>& x, int lags) {
  const int n = static_cast<int>(x.size());
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  std::vector<double> e(n);
  for (int t = 0; t < n; ++t) e[t] = x[t] - mean;
  // eta = sum S_t^2 / n^2 with S the partial sums of the residuals.
  double s = 0, eta = 0;
  for (int t = 0; t < n; ++t) {
    s += e[t];
    eta += s * s;
  }
  eta /= static_cast<double>(n) * n;
  double s2 = 0;
  for (int t = 0; t < n; ++t) s2 += e[t] * e[t];
  s2 /= n;
  // Long-run variance with Bartlett weights 1 - l / (lags + 1).
  for (int l = 1; l <= lags; ++l) {
    double c = 0;
    for (int t = l; t < n; ++t) c += e[t] * e[t - l];
    s2 += 2.0 / n * (1.0 - static_cast<double>(l) / (lags + 1)) * c;
  }
  return eta / s2;
}

bool IsConstantSeries(const std::vector<double>& x) {
  if (x.empty()) return true;
  double diff = 0, scale = 0;
  for (double v : x) {
    diff += std::abs(v - x[0]);
    scale += std::abs(v);
  }
  diff /= x.size();
  scale /= x.size();
  if (std::isfinite(scale) && scale > kAllEqualTolerance) return diff / scale < kAllEqualTolerance;
  return diff < kAllEqualTolerance;
}

int NumDifferences(const std::vector<double>& x_in, int max_d) {
  std::vector<double> x = x_in;
  int d = 0;
  if (x.size() < 2 || IsConstantSeries(x)) return 0;
  auto rejects = [](const std::vector<double>& v) {
    // ndiffs' lag choice: trunc(3 sqrt(n) / 13).
    const int lags = static_cast<int>(3 * std::sqrt(static_cast<double>(v.size())) / 13);
    const double stat = KpssStatistic(v, lags);
    return std::isfinite(stat) && stat > kKpssCritical5Percent;
  };
  bool more = rejects(x);
  while (more && d < max_d) {
    ++d;
    x = Difference(x, 1, 0, 1);
    if (x.size() < 2 || IsConstantSeries(x)) return d;
    more = rejects(x);
  }
  return d;
}

}  // namespace foresight::forecasting
