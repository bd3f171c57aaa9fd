// The model families the engine can fit, by the names users give on the
// command line and in the PredictiveAutoscaler spec (forecast.model).
//
// Each family fits a repaired, non-empty series given the seasonal periods
// that the series is long enough for (possibly none) and picks the seasonal
// treatment that suits them: a family that cannot use the given periods
// directly (e.g. a 1440-step season) decomposes first.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "forecasting/model.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

using FamilyFitter = std::function<Result<std::unique_ptr<FittedModel>>(
    const std::vector<double>& y, const std::vector<int>& periods)>;

// True when the families fit these periods after an MSTL decomposition: several
// seasons, or one longer than they model directly (168 steps, a week of hours).
bool NeedsDecomposition(const std::vector<int>& periods);

// nullptr when `name` is not a family (e.g. "auto", which the engine handles).
const FamilyFitter* FindFamily(std::string_view name);

// Fits `family` on y as FindFamily(family) does, except that it keeps the
// structure chosen for `validated`, a model of the same family fitted on the
// start of y with the same periods, and re-estimates its coefficients only.
// ARIMA keeps its orders and its mean or drift (the order search is most of
// its cost), MSTL+ETS its ETS type; families with no chosen structure to keep, a null `validated`,
// or a kept structure that fails on y are fitted from scratch.
// REQUIRES: FindFamily(family) != nullptr.
Result<std::unique_ptr<FittedModel>> RefitFamily(std::string_view family,
                                                 const FittedModel* validated,
                                                 const std::vector<double>& y,
                                                 const std::vector<int>& periods);

// The names FindFamily knows, in a stable order, for help texts and errors.
const std::vector<std::string>& FamilyNames();

}  // namespace foresight::forecasting
