// The ETS recursion: one pass over the data that produces one-step forecasts,
// innovations and the final state. Plain arrays in and out, no allocation, no
// knowledge of optimisers or model selection (the etscalc.c layer of R).
//
// State layout. The level and trend are scalars. Seasonal states are kept in a
// circular array indexed by phase: season[k] is the latest seasonal value for
// observations t with t % period == k (t counted from 0 at the first
// observation). Updating in place avoids R's shift of the whole seasonal
// vector at each step, so a step costs O(1) whatever the period.
#pragma once

#include "forecasting/ets.h"

namespace foresight::forecasting {

struct EtsParams {
  double alpha = 0.0;
  double beta = 0.0;   // 0 without trend
  double gamma = 0.0;  // 0 without season
  double phi = 1.0;    // 1 unless damped
};

struct EtsState {
  double level = 0.0;
  double trend = 0.0;  // 0 without trend
  double* season = nullptr;  // `period` values by phase; null without season
  int phase = 0;             // phase of the next observation, in [0, period)
};

struct EtsPassTotals {
  double sse = 0.0;                 // sum of squared innovations
  double sum_log_abs_forecast = 0.0;  // sum log|yhat[t]| (used for multiplicative error)
  bool finite = true;               // false when a forecast or innovation blew up
};

// Runs the recursion over y[0..n) starting from `state` (updated in place to
// the state after y[n-1]; y[0] has phase state.phase). Innovations are y - yhat (additive error) or
// (y - yhat) / yhat (multiplicative error). `innovations` and `fitted` may be
// null; otherwise they receive n values each.
// REQUIRES: state.season holds spec.period values when spec.season != kNone.
EtsPassTotals RunEtsPass(const EtsSpec& spec, const EtsParams& params, const double* y, int n,
                         EtsState& state, double* innovations, double* fitted);

// R's ets objective: n log(SSE) + 2 sum log|yhat| (the second term only for
// multiplicative error), i.e. -2 log-likelihood up to a constant in n.
// +infinity when the pass was not finite; floored at -1e10 so that a perfect
// fit does not win by -infinity (as R does).
double EtsMinusTwoLogLik(const EtsPassTotals& totals, int n, EtsError error);

}  // namespace foresight::forecasting
