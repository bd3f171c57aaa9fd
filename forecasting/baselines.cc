#include "forecasting/baselines.h"

#include <cmath>
#include <limits>
#include <string>

namespace foresight::forecasting {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Root mean square of the defined residuals; 0 when none is defined.
double ResidualSigma(const std::vector<double>& residuals) {
  double sum = 0.0;
  int count = 0;
  for (double r : residuals) {
    if (std::isnan(r)) continue;
    sum += r * r;
    ++count;
  }
  return count > 0 ? std::sqrt(sum / count) : 0.0;
}

// A model that repeats the last `lag` observations: lag 1 is the naive model,
// lag m the seasonal naive one.
class LagModel : public FittedModel {
 public:
  LagModel(std::vector<double> last_values, std::vector<double> residuals, int lag)
      : last_values_(std::move(last_values)),
        residuals_(std::move(residuals)),
        lag_(lag),
        sigma_(ResidualSigma(residuals_)) {}

  std::string Name() const override {
    return lag_ == 1 ? "Naive" : "SNaive[" + std::to_string(lag_) + "]";
  }
  const std::vector<double>& Residuals() const override { return residuals_; }

  PredictiveDistribution Predict(int horizon) const override {
    std::vector<double> mean(horizon), sd(horizon);
    for (int h = 1; h <= horizon; ++h) {
      // Forecast h repeats the value `lag` steps before it, cycling through the last season.
      mean[h - 1] = last_values_[(h - 1) % lag_];
      // Var = sigma^2 * (number of whole seasons spanned), i.e. k = floor((h-1)/m) + 1.
      int seasons = (h - 1) / lag_ + 1;
      sd[h - 1] = sigma_ * std::sqrt(static_cast<double>(seasons));
    }
    return PredictiveDistribution::Normal(std::move(mean), std::move(sd));
  }

 private:
  std::vector<double> last_values_;  // the final `lag` observations, oldest first
  std::vector<double> residuals_;
  int lag_;
  double sigma_;
};

Result<std::unique_ptr<FittedModel>> FitLag(const std::vector<double>& y, int lag) {
  if (lag < 1) return Error{"seasonal period must be >= 1, got " + std::to_string(lag)};
  if (static_cast<int>(y.size()) < lag + 1) {
    return Error{"history of " + std::to_string(y.size()) + " points is too short for lag " +
                 std::to_string(lag) + " (need at least " + std::to_string(lag + 1) + ")"};
  }
  std::vector<double> residuals(y.size(), kNaN);
  for (size_t t = lag; t < y.size(); ++t) residuals[t] = y[t] - y[t - lag];  // e[t] = y[t] - y[t-m]
  std::vector<double> last(y.end() - lag, y.end());
  return std::unique_ptr<FittedModel>(new LagModel(std::move(last), std::move(residuals), lag));
}

}  // namespace

Result<std::unique_ptr<FittedModel>> FitNaive(const std::vector<double>& y) { return FitLag(y, 1); }

Result<std::unique_ptr<FittedModel>> FitSeasonalNaive(const std::vector<double>& y, int period) {
  return FitLag(y, period);
}

}  // namespace foresight::forecasting
