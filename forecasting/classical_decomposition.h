// Classical seasonal decomposition and the seasonality test used by the M4
// competition's benchmarks (and R's thetaf): the building blocks of Theta and
// of seasonal adjustment for simple models.
#pragma once

#include <vector>

namespace foresight::forecasting {

// True when the autocorrelation at lag `period` is significant at the one-sided
// 90% level with Bartlett's standard error: |r_m| > 1.645 sqrt((1 + 2 sum_{k<m} r_k^2)/n).
// Requires more than 2 * period points, else false.
bool SeasonalAcfTest(const std::vector<double>& y, int period);

// Multiplicative seasonal indices of length `period` (mean 1), from the ratio
// of y to its centred moving average, averaged per position (R's
// decompose(type = "multiplicative")). Index i belongs to observations t with
// t % period == i. REQUIRES: y.size() >= 2 * period, y > 0.
std::vector<double> MultiplicativeSeasonalIndices(const std::vector<double>& y, int period);

}  // namespace foresight::forecasting
