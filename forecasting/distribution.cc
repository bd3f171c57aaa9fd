#include "forecasting/distribution.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>

namespace foresight::forecasting {

PredictiveDistribution PredictiveDistribution::Normal(std::vector<double> mean,
                                                      std::vector<double> sd) {
  assert(mean.size() == sd.size());
  PredictiveDistribution d;
  d.mean_ = std::move(mean);
  d.sd_ = std::move(sd);
  return d;
}

PredictiveDistribution PredictiveDistribution::FromSamples(
    std::vector<double> mean, std::vector<std::vector<double>> samples) {
  assert(mean.size() == samples.size());
  PredictiveDistribution d;
  d.mean_ = std::move(mean);
  d.samples_ = std::move(samples);
  for (auto& s : d.samples_) std::sort(s.begin(), s.end());
  return d;
}

double PredictiveDistribution::Quantile(int step, double p) const {
  double q;
  if (is_normal()) {
    q = mean_[step] + sd_[step] * NormalQuantile(p);
  } else {
    // Linear interpolation between order statistics (R's quantile type 7).
    const std::vector<double>& s = samples_[step];
    if (s.empty()) {
      q = mean_[step];
    } else {
      double h = (static_cast<double>(s.size()) - 1.0) * p;
      auto lo = static_cast<size_t>(std::floor(h));
      size_t hi = std::min(lo + 1, s.size() - 1);
      q = s[lo] + (h - static_cast<double>(lo)) * (s[hi] - s[lo]);
    }
  }
  return std::max(q, floor_);
}

double PredictiveDistribution::QuantileWithZ(int step, double p, double z) const {
  if (!is_normal()) return Quantile(step, p);
  return std::max(mean_[step] + sd_[step] * z, floor_);
}

Interval PredictiveDistribution::At(int step, double level) const {
  double tail = (1.0 - level) / 2.0;
  return {Quantile(step, tail), Quantile(step, 1.0 - tail)};
}

void PredictiveDistribution::Shift(const std::vector<double>& offsets) {
  assert(static_cast<int>(offsets.size()) == horizon());
  for (int h = 0; h < horizon(); ++h) {
    mean_[h] += offsets[h];
    if (!is_normal()) {
      for (double& v : samples_[h]) v += offsets[h];
    }
  }
}

void PredictiveDistribution::Scale(const std::vector<double>& factors) {
  assert(static_cast<int>(factors.size()) == horizon());
  for (int h = 0; h < horizon(); ++h) {
    mean_[h] *= factors[h];
    if (is_normal()) {
      sd_[h] *= factors[h];
    } else {
      for (double& v : samples_[h]) v *= factors[h];
    }
  }
}

void PredictiveDistribution::ClampBelow(double floor) {
  floor_ = std::max(floor_, floor);
  for (double& m : mean_) m = std::max(m, floor_);
}

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double NormalQuantile(double p) {
  assert(p > 0.0 && p < 1.0);
  // Starting point from a logistic-type approximation, then Halley steps on
  // Phi(x) - p; three steps reach double precision across (1e-300, 1 - 1e-16).
  double x;
  if (p < 0.5) {
    double t = std::sqrt(-2.0 * std::log(p));
    x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                  (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  } else {
    double t = std::sqrt(-2.0 * std::log(1.0 - p));
    x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  }
  const double inv_sqrt_2pi = 1.0 / std::sqrt(2.0 * std::numbers::pi);
  for (int i = 0; i < 3; ++i) {
    double err = NormalCdf(x) - p;
    double pdf = inv_sqrt_2pi * std::exp(-0.5 * x * x);
    if (pdf <= 0.0) break;
    double u = err / pdf;
    x -= u / (1.0 + 0.5 * x * u);  // Halley's correction
  }
  return x;
}

}  // namespace foresight::forecasting
