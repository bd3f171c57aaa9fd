#include "forecasting/arima_seasonal_strength.h"

#include "forecasting/arima_polynomial.h"
#include "forecasting/seasonality.h"
#include "forecasting/unit_root.h"

namespace foresight::forecasting {

int NumSeasonalDifferences(const std::vector<double>& x_in, int period, int max_D) {
  std::vector<double> x = x_in;
  int D = 0;
  if (period < 2 || IsConstantSeries(x) || static_cast<int>(x.size()) <= period) return 0;
  bool more = SeasonalStrength(x, period) > kSeasonalStrengthThreshold;
  while (more && D < max_D) {
    ++D;
    x = Difference(x, 0, 1, period);
    if (IsConstantSeries(x)) return D;
    more = static_cast<int>(x.size()) >= 2 * period && D < max_D &&
           SeasonalStrength(x, period) > kSeasonalStrengthThreshold;
  }
  return D;
}

}  // namespace foresight::forecasting
