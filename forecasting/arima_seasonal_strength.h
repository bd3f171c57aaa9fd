// forecast::nsdiffs(test = "seas"): the number of seasonal differences, from
// the STL seasonal strength of forecasting/seasonality.h (R's seas.heuristic).
#pragma once

#include <vector>

namespace foresight::forecasting {

// D = 1 when SeasonalStrength(x, period) > 0.64; further differences are
// re-tested the way R does (max_D = 1 in practice).
int NumSeasonalDifferences(const std::vector<double>& x, int period, int max_D = 1);

}  // namespace foresight::forecasting
