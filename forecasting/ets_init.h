// Starting values of the ETS states, R forecast's initstate() heuristics:
// seasonal indices from a classical decomposition (or, with fewer than three
// cycles, from the residuals of a linear trend + one Fourier pair), then level
// and trend from a straight line through the first max(10, 2m) seasonally
// adjusted observations.
#pragma once

#include <vector>

#include "forecasting/ets.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

struct EtsInitialState {
  double level = 0.0;
  double trend = 0.0;
  // By phase (see ets_kernel.h): season[k] for observations t % m == k. R
  // estimates phases 1..m-1 and sets phase 0 so that the indices sum to 0
  // (additive) or m (multiplicative); season[0] is set that way here too.
  std::vector<double> season;
};

// REQUIRES: y.size() >= 4 when spec.season != kNone, y.size() >= 1 otherwise.
EtsInitialState EtsHeuristicInitialState(const std::vector<double>& y, const EtsSpec& spec);

// Classical decomposition's seasonal figure (R's decompose()$figure), by phase
// relative to y[0]. REQUIRES: y.size() >= 2 * period, period >= 2.
std::vector<double> ClassicalSeasonalFigure(const std::vector<double>& y, int period,
                                            bool multiplicative);

}  // namespace foresight::forecasting
