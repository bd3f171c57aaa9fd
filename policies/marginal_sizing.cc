#include "policies/marginal_sizing.h"

#include <algorithm>
#include <cmath>

namespace foresight::policies {
namespace {

// forecasting/ has its own normal CDF and quantile; policies/ depends on the standard library
// only (CMake enforces it), so these few lines are written again here.
double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

}  // namespace

double StandardNormalQuantile(double p) {
  double lo = -40, hi = 40;
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    const double mid = 0.5 * (lo + hi);
    (NormalCdf(mid) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double MarginalReplicas(const ForecastPoint& point, double point_quantile_level, double headroom,
                        double target_per_replica, double marginal_risk) {
  const double scale = (1 + headroom) / target_per_replica;
  const double mean = point.mean * scale;  // in replicas
  // Every point of every decision asks for the same level: solve it once per thread.
  thread_local double cached_level = -1, cached_z = 0;
  if (point_quantile_level != cached_level) {
    cached_z = StandardNormalQuantile(point_quantile_level);
    cached_level = point_quantile_level;
  }
  const double z = cached_z;
  const double sd = z > 0 ? std::max(0.0, (point.quantile - point.mean) * scale / z) : 0.0;
  if (!(sd > 0)) return mean;
  // No replica is added past the 0.9999 quantile (a bound for tiny marginal_risk values).
  const double cap = mean + 3.72 * sd;
  // Whole replicas from the first that serves the mean.
  double r = std::max(1.0, std::ceil(mean - 1e-9));
  while (r < cap && NormalCdf((r + 1 - mean) / sd) - NormalCdf((r - mean) / sd) >= marginal_risk) {
    r += 1;
  }
  return std::max(mean, r);
}

}  // namespace foresight::policies
