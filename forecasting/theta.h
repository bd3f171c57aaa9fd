// The Theta method (Assimakopoulos & Nikolopoulos 2000) in the form shown by
// Hyndman & Billah (2003) to be simple exponential smoothing with drift equal
// to half the slope of a linear trend, with the M4 competition's seasonal
// adjustment (classical multiplicative decomposition when the 90% ACF test
// finds seasonality). Behaves as R's forecast::thetaf().
#pragma once

#include <memory>
#include <vector>

#include "forecasting/model.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

// `period` 1 means non-seasonal. Error when fewer than 3 points are given.
Result<std::unique_ptr<FittedModel>> FitTheta(const std::vector<double>& y, int period);

}  // namespace foresight::forecasting
