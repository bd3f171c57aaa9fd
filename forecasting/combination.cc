#include "forecasting/combination.h"

#include <cassert>

namespace foresight::forecasting {
namespace {

// Probability grid for the combined distribution: 999 quantiles from 0.0005 to
// 0.9995 reach the tails of a 99.9% interval without extrapolation.
constexpr int kGridSize = 999;

}  // namespace

PredictiveDistribution CombineByQuantileAveraging(
    const std::vector<PredictiveDistribution>& members) {
  assert(!members.empty());
  if (members.size() == 1) return members.front();
  const int horizon = members.front().horizon();
  const double k = static_cast<double>(members.size());
  std::vector<double> mean(horizon, 0.0);
  std::vector<std::vector<double>> grid(horizon, std::vector<double>(kGridSize, 0.0));
  // The grid's standard-normal quantiles, computed once per process.
  static const std::vector<double> z = [] {
    std::vector<double> v(kGridSize);
    for (int i = 0; i < kGridSize; ++i) v[i] = NormalQuantile((i + 0.5) / kGridSize);
    return v;
  }();
  for (const PredictiveDistribution& m : members) {
    assert(m.horizon() == horizon);
    for (int h = 0; h < horizon; ++h) {
      mean[h] += m.Mean(h) / k;
      for (int i = 0; i < kGridSize; ++i) {
        double p = (i + 0.5) / kGridSize;
        grid[h][i] += m.QuantileWithZ(h, p, z[i]) / k;
      }
    }
  }
  return PredictiveDistribution::FromSamples(std::move(mean), std::move(grid));
}

}  // namespace foresight::forecasting
