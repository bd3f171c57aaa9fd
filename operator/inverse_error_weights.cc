#include "operator/inverse_error_weights.h"

#include <algorithm>
#include <cmath>

namespace foresight::op {

InverseErrorWeights::InverseErrorWeights(size_t window, size_t min_scored)
    : window_(std::max<size_t>(window, 1)), min_scored_(min_scored) {}

void InverseErrorWeights::Score(double actual, double first, double second) {
  if (!std::isfinite(actual) || !std::isfinite(first) || !std::isfinite(second)) return;
  const SquaredErrors e{(actual - first) * (actual - first), (actual - second) * (actual - second)};
  errors_.push_back(e);
  sum_first_ += e.first;
  sum_second_ += e.second;
  if (errors_.size() > window_) {
    sum_first_ -= errors_.front().first;
    sum_second_ -= errors_.front().second;
    errors_.pop_front();
  }
}

double InverseErrorWeights::FirstWeight() const {
  if (errors_.size() < min_scored_ || errors_.empty()) return 1.0;
  // Running sums drift below zero by rounding when the errors are tiny.
  const double mse_first = std::max(sum_first_, 0.0), mse_second = std::max(sum_second_, 0.0);
  if (mse_first == 0.0 && mse_second == 0.0) return 0.5;
  if (mse_first == 0.0) return 1.0;
  if (mse_second == 0.0) return 0.0;
  // 1/a / (1/a + 1/b) = b / (a + b), on sums: the window length cancels.
  return mse_second / (mse_first + mse_second);
}

}  // namespace foresight::op
