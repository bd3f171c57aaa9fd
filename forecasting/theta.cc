#include "forecasting/theta.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "forecasting/classical_decomposition.h"
#include "forecasting/nelder_mead.h"

namespace foresight::forecasting {
namespace {

constexpr double kMinAlpha = 1e-4;
constexpr double kMaxAlpha = 0.9999;

struct SesFit {
  double alpha;
  double final_level;
  double sse;
  std::vector<double> fitted;  // one-step forecasts l[t-1]
};

// Simple exponential smoothing: yhat[t] = l[t-1]; l[t] = l[t-1] + alpha * (x[t] - l[t-1]).
double SesSse(const std::vector<double>& x, double alpha, double level,
              std::vector<double>* fitted) {
  double sse = 0.0;
  for (size_t t = 0; t < x.size(); ++t) {
    if (fitted) (*fitted)[t] = level;
    double e = x[t] - level;
    sse += e * e;
    level += alpha * e;
  }
  return sse;
}

// Maximum likelihood for SES with Gaussian additive errors: minimise n log(SSE)
// over (alpha, l0), the same criterion R's ets(model = "ANN") optimises.
SesFit FitSes(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  auto objective = [&](const std::vector<double>& p) {
    if (p[0] < kMinAlpha || p[0] > kMaxAlpha) return std::numeric_limits<double>::infinity();
    double sse = SesSse(x, p[0], p[1], nullptr);
    return n * std::log(std::max(sse, 1e-300));
  };
  double first_mean = std::accumulate(x.begin(), x.begin() + std::min<size_t>(x.size(), 10), 0.0) /
                      std::min<double>(n, 10.0);
  NelderMeadResult best = NelderMeadMinimize(objective, {0.5, first_mean});
  // A second start near a small alpha guards against the flat region of the
  // likelihood that traps the simplex on smooth series.
  NelderMeadResult second = NelderMeadMinimize(objective, {0.05, first_mean});
  if (second.value < best.value) best = second;

  SesFit fit{best.x[0], 0.0, 0.0, std::vector<double>(x.size())};
  fit.sse = SesSse(x, fit.alpha, best.x[1], &fit.fitted);
  // Replay once more to obtain the level after the last observation.
  double level = best.x[1];
  for (double v : x) level += fit.alpha * (v - level);
  fit.final_level = level;
  return fit;
}

double LinearTrendSlope(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  double t_mean = (n - 1.0) / 2.0;
  double x_mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double num = 0.0, den = 0.0;
  for (size_t t = 0; t < x.size(); ++t) {
    num += (static_cast<double>(t) - t_mean) * (x[t] - x_mean);
    den += (static_cast<double>(t) - t_mean) * (static_cast<double>(t) - t_mean);
  }
  return den > 0.0 ? num / den : 0.0;
}

class ThetaModel : public FittedModel {
 public:
  ThetaModel(SesFit ses, double half_slope, size_t n, std::vector<double> seasonal_index,
             std::vector<double> residuals, double sigma)
      : ses_(std::move(ses)),
        half_slope_(half_slope),
        n_(n),
        seasonal_index_(std::move(seasonal_index)),
        residuals_(std::move(residuals)),
        sigma_(sigma) {}

  std::string Name() const override {
    return seasonal_index_.empty() ? "Theta"
                                   : "Theta[" + std::to_string(seasonal_index_.size()) + "]";
  }
  const std::vector<double>& Residuals() const override { return residuals_; }

  PredictiveDistribution Predict(int horizon) const override {
    const double a = ses_.alpha;
    // Drift term of Hyndman & Billah (2003): b/2 * (h - 1 + (1 - (1-alpha)^n) / alpha).
    const double drift_offset = (1.0 - std::pow(1.0 - a, static_cast<double>(n_))) / a;
    std::vector<double> mean(horizon), sd(horizon);
    for (int h = 1; h <= horizon; ++h) {
      mean[h - 1] = ses_.final_level + half_slope_ * ((h - 1) + drift_offset);
      // SES forecast variance: sigma^2 * (1 + (h-1) alpha^2).
      sd[h - 1] = sigma_ * std::sqrt(1.0 + (h - 1) * a * a);
      if (!seasonal_index_.empty()) {
        double s = seasonal_index_[(n_ + h - 1) % seasonal_index_.size()];
        mean[h - 1] *= s;
        sd[h - 1] *= s;
      }
    }
    return PredictiveDistribution::Normal(std::move(mean), std::move(sd));
  }

 private:
  SesFit ses_;
  double half_slope_;
  size_t n_;
  std::vector<double> seasonal_index_;  // empty when not seasonal
  std::vector<double> residuals_;
  double sigma_;
};

}  // namespace

Result<std::unique_ptr<FittedModel>> FitTheta(const std::vector<double>& y, int period) {
  if (y.size() < 3) {
    return Error{"Theta needs at least 3 points, got " + std::to_string(y.size())};
  }
  const bool positive = std::all_of(y.begin(), y.end(), [](double v) { return v > 0.0; });
  const bool constant = std::all_of(y.begin(), y.end(), [&](double v) { return v == y[0]; });
  std::vector<double> index;
  if (period > 1 && positive && !constant && SeasonalAcfTest(y, period)) {
    index = MultiplicativeSeasonalIndices(y, period);
  }
  std::vector<double> x = y;
  if (!index.empty()) {
    for (size_t t = 0; t < x.size(); ++t) x[t] /= index[t % period];
  }
  SesFit ses = FitSes(x);
  const double n = static_cast<double>(x.size());
  // sigma^2 = SSE / (n - number of parameters - 1), as R's ets() reports it.
  double sigma = std::sqrt(ses.sse / std::max(1.0, n - 3.0));
  std::vector<double> residuals(y.size());
  for (size_t t = 0; t < y.size(); ++t) {
    double s = index.empty() ? 1.0 : index[t % period];
    residuals[t] = y[t] - ses.fitted[t] * s;
  }
  double half_slope = LinearTrendSlope(x) / 2.0;
  return std::unique_ptr<FittedModel>(new ThetaModel(
      std::move(ses), half_slope, y.size(), std::move(index), std::move(residuals), sigma));
}

}  // namespace foresight::forecasting
