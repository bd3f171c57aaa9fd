// Gauss-Newton refinement of the ETS initial states for fixed smoothing
// parameters. Used for long seasons, where optimising m - 1 seasonal states
// with Nelder-Mead is too slow: the innovations' derivatives with respect to
// the initial states are propagated through the recursion alongside it
// (forward-mode, O(n k^2) for k states) and one least-squares step taken on
// the sum of squared innovations.
#pragma once

#include <vector>

#include "forecasting/ets.h"
#include "forecasting/ets_init.h"
#include "forecasting/ets_kernel.h"

namespace foresight::forecasting {

// The Gauss-Newton step for (level, trend, seasonal phases 1..m-1; phase 0
// closes the seasonal sum) from `initial`. Returns the proposed initial state;
// the caller decides whether it improves the likelihood (for multiplicative
// error the step ignores the sum log|yhat| term). Unchanged `initial` when the
// normal equations are singular or the pass is not finite.
EtsInitialState GaussNewtonInitialStates(const std::vector<double>& y, const EtsSpec& spec,
                                         const EtsParams& params, const EtsInitialState& initial,
                                         double step_fraction);

}  // namespace foresight::forecasting
