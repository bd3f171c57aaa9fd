#include "forecasting/arima_seasonal_strength.h"

#include <algorithm>

#include "forecasting/arima_polynomial.h"
#include "forecasting/unit_root.h"

namespace foresight::forecasting {
namespace {

// forecast::nsdiffs' threshold on the seasonal strength.
constexpr double kStrengthThreshold = 0.64;

double Variance(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  double m = 0;
  for (double x : v) m += x;
  m /= v.size();
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return s / (v.size() - 1);
}

}  // namespace

double SeasonalStrength(const std::vector<double>& x, int period) {
  const int n = static_cast<int>(x.size());
  const int m = period;
  if (m < 2 || n <= 2 * m) return 0;
  // Trend: centred moving average of length m (2 x m for even m).
  const int half = m / 2;
  std::vector<double> trend(n, 0.0);
  std::vector<bool> has_trend(n, false);
  for (int t = half; t + half < n; ++t) {
    double s = 0;
    if (m % 2 == 0) {
      s = 0.5 * (x[t - half] + x[t + half]);
      for (int j = -half + 1; j < half; ++j) s += x[t + j];
    } else {
      for (int j = -half; j <= half; ++j) s += x[t + j];
    }
    trend[t] = s / m;
    has_trend[t] = true;
  }
  // Seasonal indices: mean detrended value per position, centred to sum zero.
  std::vector<double> sum(m, 0.0);
  std::vector<int> count(m, 0);
  for (int t = 0; t < n; ++t) {
    if (!has_trend[t]) continue;
    sum[t % m] += x[t] - trend[t];
    ++count[t % m];
  }
  std::vector<double> index(m, 0.0);
  double mean_index = 0;
  for (int i = 0; i < m; ++i) {
    index[i] = count[i] > 0 ? sum[i] / count[i] : 0.0;
    mean_index += index[i] / m;
  }
  std::vector<double> remainder, seasonal_plus_remainder;
  for (int t = 0; t < n; ++t) {
    if (!has_trend[t]) continue;
    const double seasonal = index[t % m] - mean_index;
    const double rem = x[t] - trend[t] - seasonal;
    remainder.push_back(rem);
    seasonal_plus_remainder.push_back(seasonal + rem);
  }
  const double denom = Variance(seasonal_plus_remainder);
  if (!(denom > 0)) return 0;
  return std::clamp(1 - Variance(remainder) / denom, 0.0, 1.0);
}

int NumSeasonalDifferences(const std::vector<double>& x_in, int period, int max_D) {
  std::vector<double> x = x_in;
  int D = 0;
  if (period < 2 || IsConstantSeries(x) || static_cast<int>(x.size()) <= period) return 0;
  bool more = SeasonalStrength(x, period) > kStrengthThreshold;
  while (more && D < max_D) {
    ++D;
    x = Difference(x, 0, 1, period);
    if (IsConstantSeries(x)) return D;
    more = static_cast<int>(x.size()) >= 2 * period && D < max_D &&
           SeasonalStrength(x, period) > kStrengthThreshold;
  }
  return D;
}

}  // namespace foresight::forecasting
