// PredictiveDistribution: the forecast distribution at each step of a horizon.
//
// Models with analytic intervals give a normal distribution per step (mean and
// standard deviation); models without them give simulated sample paths. Either
// way callers ask for quantiles and intervals at any level, so the operator can
// plan on, say, the 90th percentile without knowing which model produced it.
#pragma once

#include <vector>

namespace foresight::forecasting {

struct Interval {
  double lower;
  double upper;
};

class PredictiveDistribution {
 public:
  PredictiveDistribution() = default;

  // A normal distribution at each step. REQUIRES: mean.size() == sd.size(), sd >= 0.
  static PredictiveDistribution Normal(std::vector<double> mean, std::vector<double> sd);

  // Empirical distribution from simulated draws: samples[step] holds the draws
  // for that step (any order). `mean` is the point forecast, which need not be
  // the sample mean (e.g. the model's analytic conditional mean).
  static PredictiveDistribution FromSamples(std::vector<double> mean,
                                            std::vector<std::vector<double>> samples);

  int horizon() const { return static_cast<int>(mean_.size()); }
  bool is_normal() const { return samples_.empty(); }
  const std::vector<double>& mean() const { return mean_; }
  double Mean(int step) const { return mean_[step]; }

  // Quantile p of the step's distribution. REQUIRES: 0 < p < 1, 0 <= step < horizon().
  double Quantile(int step, double p) const;
  // Quantile p when the caller already knows z = NormalQuantile(p): saves the
  // inversion for the normal form when many quantiles are asked for.
  double QuantileWithZ(int step, double p, double z) const;
  // Central interval with coverage `level` in (0, 1), e.g. 0.95.
  Interval At(int step, double level) const;

  // Adds offsets[step] to every value of the step (used to re-add seasonal
  // components and to undo centring). REQUIRES: offsets.size() == horizon().
  void Shift(const std::vector<double>& offsets);
  // Multiplies every value of step by factors[step] > 0 (undoes scaling).
  void Scale(const std::vector<double>& factors);
  // Floors every value (the mean and every quantile) at `floor`. Clamping is a
  // monotone map, so quantiles of the clamped distribution are the clamped
  // quantiles: used to keep loads non-negative.
  void ClampBelow(double floor);

 private:
  std::vector<double> mean_;
  std::vector<double> sd_;                    // normal form
  std::vector<std::vector<double>> samples_;  // empirical form, each sorted
  double floor_ = -1e308;
};

// Standard normal quantile function (inverse CDF). REQUIRES: 0 < p < 1.
double NormalQuantile(double p);
// Standard normal CDF.
double NormalCdf(double x);

}  // namespace foresight::forecasting
