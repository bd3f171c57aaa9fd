#include "bench/m4/m4_metrics.h"

#include <cmath>
#include <limits>
#include <numeric>

namespace foresight::bench::m4 {
namespace {

// One-sided 90% normal quantile used by M4's seasonality test.
constexpr double kSeasonalityZ = 1.645;

}  // namespace

double Smape(const std::vector<double>& actual, const std::vector<double>& forecast) {
  double sum = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double denom = std::abs(actual[i]) + std::abs(forecast[i]);
    if (denom > 0) sum += 200.0 * std::abs(actual[i] - forecast[i]) / denom;
  }
  return sum / static_cast<double>(actual.size());
}

double MaseScale(const std::vector<double>& insample, int m) {
  double sum = 0;
  for (size_t t = m; t < insample.size(); ++t) sum += std::abs(insample[t] - insample[t - m]);
  return sum / static_cast<double>(insample.size() - m);
}

double Mase(const std::vector<double>& insample, const std::vector<double>& actual,
            const std::vector<double>& forecast, int m) {
  double mae = 0;
  for (size_t i = 0; i < actual.size(); ++i) mae += std::abs(actual[i] - forecast[i]);
  mae /= static_cast<double>(actual.size());
  const double scale = MaseScale(insample, m);
  if (scale == 0) return mae == 0 ? 0.0 : std::numeric_limits<double>::infinity();
  return mae / scale;
}

double Acf(const std::vector<double>& x, int lag) {
  const double n = static_cast<double>(x.size());
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double num = 0;
  double den = 0;
  for (size_t t = 0; t < x.size(); ++t) {
    den += (x[t] - mean) * (x[t] - mean);
    if (t >= static_cast<size_t>(lag)) num += (x[t] - mean) * (x[t - lag] - mean);
  }
  return den > 0 ? num / den : std::numeric_limits<double>::quiet_NaN();
}

bool SeasonalityTest(const std::vector<double>& x, int m) {
  if (m <= 1 || x.size() < 3 * static_cast<size_t>(m)) return false;
  double sum_sq = 0;
  for (int k = 1; k < m; ++k) {
    const double r = Acf(x, k);
    sum_sq += r * r;
  }
  const double limit = kSeasonalityZ * std::sqrt((1 + 2 * sum_sq) / static_cast<double>(x.size()));
  const double r_m = Acf(x, m);
  return std::isfinite(r_m) && std::abs(r_m) > limit;  // NaN (constant series): not seasonal
}

double Owa(const Totals& method, const Totals& naive2) {
  return 0.5 * (method.smape / naive2.smape + method.mase / naive2.mase);
}

}  // namespace foresight::bench::m4
