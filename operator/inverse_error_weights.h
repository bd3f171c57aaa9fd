// InverseErrorWeights: how much to trust each of two forecasts of the same
// quantity, from how well each did lately. Every scored pair adds both
// squared errors to a sliding window; the first forecast's weight is
// (1 / mse1) / (1 / mse1 + 1 / mse2) (Bates & Granger's combination weights
// without the covariance term), so a forecast twice as far off on average
// gets a fifth of the weight.
//
// RollingForecaster uses it to mix the fitted model's path with the recent
// mean load at the lead time: at a minute or two ahead, a noisy metric's own
// recent mean is often the better forecast (bench/traces/README.md).
//
// Pure; not thread-safe.
#pragma once

#include <cstddef>
#include <deque>

namespace foresight::op {

class InverseErrorWeights {
 public:
  // `window`: scored pairs kept; below `min_scored` the first forecast has all the weight.
  InverseErrorWeights(size_t window, size_t min_scored);

  // Records one outcome; non-finite values are ignored.
  void Score(double actual, double first, double second);

  // Weight of the first forecast, in [0, 1]; the second gets 1 minus it.
  double FirstWeight() const;

  size_t scored() const { return errors_.size(); }

 private:
  struct SquaredErrors {
    double first, second;
  };
  size_t window_, min_scored_;
  std::deque<SquaredErrors> errors_;
  double sum_first_ = 0, sum_second_ = 0;
};

}  // namespace foresight::op
