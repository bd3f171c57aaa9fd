// Forecast combination: the equally weighted mean of several models'
// forecasts, which is often more accurate than any one of them (the M4
// competition's "Comb" benchmark and most of its winners combine).
#pragma once

#include <vector>

#include "forecasting/distribution.h"

namespace foresight::forecasting {

// Averages the members' point forecasts and their quantiles ("Vincentization":
// the combined quantile p is the mean of the members' quantiles p), sampled on
// a fine probability grid so any level can be asked for afterwards.
// REQUIRES: members non-empty, all with the same horizon.
PredictiveDistribution CombineByQuantileAveraging(
    const std::vector<PredictiveDistribution>& members);

}  // namespace foresight::forecasting
