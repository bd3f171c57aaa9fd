// Exponential smoothing (ETS) in the innovations state-space form
// (Hyndman, Koehler, Ord & Snyder 2008), estimated by maximum likelihood the
// way R forecast's ets() does it.
//
// Supported: error A or M; trend N, A or Ad (damped); season N, A or M.
// Multiplicative trend is not offered. Seasonal models need
// 2 <= period <= kEtsMaxSeasonalPeriod; longer or multiple seasonalities are
// handled elsewhere by decomposition.
//
// Estimation follows R (forecast 8.20, ets() with its defaults: bounds "both",
// opt.crit "lik", R's starting values, Nelder-Mead with 2000 iterations and
// R's tolerance), with three deliberate differences, all measured against R
// in tests/forecasting/ets_golden_test.cc:
//  - a few extra starting values of alpha are scored and Nelder-Mead is
//    restarted from its optimum (up to 3 times): R's single run often stops
//    early, so our likelihoods are usually equal or higher; a seasonal model
//    whose best-scoring start is not R's is also fitted from R's start and
//    the better fit kept (the two can end in different basins);
//  - for seasonal periods above 12 the seasonal initial states are not in the
//    Nelder-Mead search (period 24 would mean a 29-dimensional search per
//    candidate): they start at the classical-decomposition estimate and are
//    refined by Gauss-Newton steps on all initial states (ets_refine.h),
//    each followed by a re-fit of the smoothing parameters;
//  - forecast intervals of models with multiplicative season are simulated
//    (R uses an approximate analytic formula for them).
//
// All functions are pure and thread-safe; failures are returned as Error.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "forecasting/model.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

enum class EtsError { kAdditive, kMultiplicative };
enum class EtsTrend { kNone, kAdditive, kAdditiveDamped };
enum class EtsSeason { kNone, kAdditive, kMultiplicative };

struct EtsSpec {
  EtsError error = EtsError::kAdditive;
  EtsTrend trend = EtsTrend::kNone;
  EtsSeason season = EtsSeason::kNone;
  int period = 1;  // observations per seasonal cycle; ignored when season is kNone
};

// Longest seasonal period a seasonal ETS model accepts. The kernel is O(n) in
// the period, but the admissibility test is O(period^2) per likelihood
// evaluation and a few cycles are needed to initialise the states.
inline constexpr int kEtsMaxSeasonalPeriod = 168;

// R's notation: "ETS(A,N,N)", "ETS(M,Ad,M)".
std::string EtsName(const EtsSpec& spec);

// Fits one model. Error when the data do not allow it (multiplicative
// component with non-positive data, seasonal model with period out of range or
// fewer than period + 1 observations, too few observations for the parameter
// count, or no admissible parameters found).
Result<std::unique_ptr<FittedModel>> FitEts(const std::vector<double>& y, const EtsSpec& spec);

struct AutoEtsOptions {
  bool allow_multiplicative = true;  // multiplicative error/season (only for data > 0)
  bool allow_damped = true;
  bool allow_seasonal = true;
};

// R's ets(y, model = "ZZZ") default selection: every candidate is fitted and
// the smallest AICc wins; a failed candidate is skipped. Candidates as R
// builds them: error A/M, trend N/A/Ad, season N/A/M, without A,*,M
// (unstable), multiplicative ones only for data > 0, seasonal ones only for
// 2 <= period <= kEtsMaxSeasonalPeriod and more than one cycle of data, and
// each skipped when its parameter count reaches n - 1. Constant series get
// ETS(A,N,N) with alpha = 0.99999 as in R; when AICc is undefined for every
// fitted candidate (n = k + 1) the smallest AIC wins (R switches to
// Holt-Winters there). Error only when every candidate fails.
Result<std::unique_ptr<FittedModel>> AutoEts(const std::vector<double>& y, int period,
                                             const AutoEtsOptions& options = {});

}  // namespace foresight::forecasting
