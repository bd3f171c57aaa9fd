#include "backtest/level_oracle.h"

#include <algorithm>

#include "forecasting/robust_scale.h"
#include "policies/marginal_sizing.h"

namespace foresight::backtest {

LevelOracle::LevelOracle(std::vector<double> grid, int64_t resolution_seconds,
                         int64_t half_width_seconds, double quantile)
    : resolution_(resolution_seconds), z_(policies::StandardNormalQuantile(quantile)) {
  const size_t n = grid.size();
  const size_t half = static_cast<size_t>(std::max<int64_t>(0, half_width_seconds / resolution_));
  std::vector<double> prefix(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + grid[i];
  level_.resize(n);
  std::vector<double> residuals(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t begin = i >= half ? i - half : 0;
    const size_t end = std::min(n, i + half + 1);
    // Exact for a window of one point (a difference of prefix sums is not).
    level_[i] =
        half == 0 ? grid[i] : (prefix[end] - prefix[begin]) / static_cast<double>(end - begin);
    residuals[i] = grid[i] - level_[i];
  }
  spread_ = forecasting::RobustScale(std::move(residuals));
}

std::vector<policies::ForecastPoint> LevelOracle::Points(int64_t second,
                                                         int64_t lead_seconds) const {
  std::vector<policies::ForecastPoint> points;
  const int64_t last = static_cast<int64_t>(level_.size()) - 1;
  int64_t i = std::clamp<int64_t>(second / resolution_, 0, last);
  for (;; ++i) {
    const int64_t offset = std::max<int64_t>(0, i * resolution_ - second);
    const double mean = level_[static_cast<size_t>(std::min(i, last))];
    points.push_back({std::chrono::seconds(offset), mean, mean + z_ * spread_});
    if (offset > lead_seconds) break;
  }
  return points;
}

}  // namespace foresight::backtest
