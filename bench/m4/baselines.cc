#include "bench/m4/baselines.h"

#include <cstddef>

#include "bench/m4/m4_metrics.h"

namespace foresight::bench::m4 {

std::vector<double> MultiplicativeSeasonalFigure(const std::vector<double>& x, int m) {
  const int n = static_cast<int>(x.size());
  // Centred moving average: weights 1/m over m points for odd m; for even m
  // the 2 x m average, m + 1 points with half weight at both ends.
  const int half = m / 2;
  std::vector<double> weights(2 * half + 1, 1.0 / m);
  if (m % 2 == 0) weights.front() = weights.back() = 0.5 / m;

  std::vector<double> ratio_sum(m, 0.0);
  std::vector<int> ratio_count(m, 0);
  for (int t = half; t < n - half; ++t) {
    double trend = 0;
    for (int j = -half; j <= half; ++j) trend += weights[j + half] * x[t + j];
    ratio_sum[t % m] += x[t] / trend;  // season = x / trend
    ++ratio_count[t % m];
  }
  std::vector<double> figure(m);
  double mean = 0;
  for (int i = 0; i < m; ++i) {
    figure[i] = ratio_sum[i] / ratio_count[i];
    mean += figure[i] / m;
  }
  for (double& f : figure) f /= mean;
  return figure;
}

std::vector<double> Naive2(const std::vector<double>& insample, int m, int horizon) {
  const std::size_t n = insample.size();
  if (!SeasonalityTest(insample, m)) return std::vector<double>(horizon, insample.back());
  const std::vector<double> figure = MultiplicativeSeasonalFigure(insample, m);
  const double level = insample.back() / figure[(n - 1) % m];
  std::vector<double> out(horizon);
  for (int h = 0; h < horizon; ++h) out[h] = level * figure[(n + h) % m];
  return out;
}

std::vector<double> SeasonalNaive(const std::vector<double>& insample, int m, int horizon) {
  const std::size_t n = insample.size();
  std::vector<double> out(horizon);
  for (int h = 0; h < horizon; ++h) out[h] = insample[n - m + (h % m)];
  return out;
}

}  // namespace foresight::bench::m4
