#include "forecasting/classical_decomposition.h"

#include <cmath>
#include <numeric>

#include "forecasting/seasonality.h"

namespace foresight::forecasting {

bool SeasonalAcfTest(const std::vector<double>& y, int period) {
  if (period <= 1 || y.size() <= 2 * static_cast<size_t>(period)) return false;
  std::vector<double> r = Autocorrelation(y, period);  // r[0] = 1
  double sum_sq = 0.0;
  for (int k = 1; k < period; ++k) sum_sq += r[k] * r[k];
  double limit =
      1.6448536269514722 * std::sqrt((1.0 + 2.0 * sum_sq) / static_cast<double>(y.size()));
  return std::abs(r[period]) > limit;
}

std::vector<double> MultiplicativeSeasonalIndices(const std::vector<double>& y, int period) {
  const int n = static_cast<int>(y.size());
  // Centred moving average: an m-term average when m is odd, a 2 x m one when
  // m is even (weights 1/2m at both ends), so the trend is centred on t.
  const int half = period / 2;
  std::vector<double> sum(period, 0.0);
  std::vector<int> count(period, 0);
  for (int t = half; t < n - half; ++t) {
    double trend = 0.0;
    if (period % 2 == 1) {
      for (int k = -half; k <= half; ++k) trend += y[t + k];
      trend /= period;
    } else {
      for (int k = -half + 1; k <= half - 1; ++k) trend += y[t + k];
      trend += 0.5 * (y[t - half] + y[t + half]);
      trend /= period;
    }
    if (trend == 0.0) continue;
    sum[t % period] += y[t] / trend;
    ++count[t % period];
  }
  std::vector<double> index(period, 1.0);
  for (int i = 0; i < period; ++i) index[i] = count[i] > 0 ? sum[i] / count[i] : 1.0;
  double mean = std::accumulate(index.begin(), index.end(), 0.0) / period;
  if (mean > 0.0) {
    for (double& v : index) v /= mean;
  }
  return index;
}

}  // namespace foresight::forecasting
