// Baseline forecasters: naive (random walk) and seasonal naive.
//
// They are the floor every other model must beat and the fallback when none
// can be fitted. Intervals follow Hyndman & Athanasopoulos, "Forecasting:
// Principles and Practice" (3rd ed.), section 5.5, as R's naive()/snaive().
#pragma once

#include <memory>
#include <vector>

#include "forecasting/model.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

// y[n+h] = y[n]. REQUIRES nothing: an empty or one-point history is an Error.
Result<std::unique_ptr<FittedModel>> FitNaive(const std::vector<double>& y);

// y[n+h] = y[n+h-m*k] for the smallest k >= 1 that lands in the history.
// Error when the history is shorter than one full period.
Result<std::unique_ptr<FittedModel>> FitSeasonalNaive(const std::vector<double>& y, int period);

}  // namespace foresight::forecasting
