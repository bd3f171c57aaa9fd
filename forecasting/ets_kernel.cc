#include "forecasting/ets_kernel.h"

#include <cmath>
#include <algorithm>
#include <limits>
#include <numbers>

namespace foresight::forecasting {
namespace {

// R's etscalc guards: a divisor this close to zero is replaced by kHuge.
constexpr double kTiny = 1e-10;
constexpr double kHuge = 1e10;
// The product of |yhat| is renormalised when it leaves [1/kRenormalise,
// kRenormalise]: a log per step dominated the pass otherwise. A forecast above
// ~1e200 may overflow the product; that point then scores +infinity.
constexpr double kRenormalise = 1e100;
constexpr double kPerfectFitFloor = -1e10;

// The model structure is a template argument so that the per-step branches
// on it compile away (the pass is the innermost loop of estimation).
template <bool mult_error, bool has_trend, EtsSeason season_type>
EtsPassTotals Pass(const EtsSpec& spec, const EtsParams& params, const double* y, int n,
                   EtsState& state, double* innovations, double* fitted) {
  const int m = season_type == EtsSeason::kNone ? 1 : spec.period;
  const double alpha = params.alpha;
  const double beta = has_trend ? params.beta : 0.0;
  const double gamma = params.gamma;
  const double phi = params.phi;
  // R's error-correction updates, rearranged so that the serial dependency
  // from one step to the next is a single multiply-add deep (the pass is
  // latency-bound, not throughput-bound):
  //   l[t] = q + alpha*(p - q)                          = (1-alpha)*q + alpha*p
  //   b[t] = phi*b + (beta/alpha)*(l[t] - l[t-1] - phi*b) = (1-beta)*phi*b + beta*(p - l[t-1])
  // with q = l[t-1] + phi*b[t-1] and p the seasonally adjusted observation.
  // The damped trend d = phi*b is carried instead of b.
  const double one_minus_alpha = 1.0 - alpha;
  const double trend_keep = (1.0 - beta) * phi;  // d[t] = trend_keep*d[t-1] + phi*beta*(p - l[t-1])
  const double phi_beta = phi * beta;

  double level = state.level;
  double damped = has_trend ? phi * state.trend : 0.0;  // phi*b[t-1]
  double trend = has_trend ? state.trend : 0.0;
  double* season = state.season;

  EtsPassTotals totals;
  double log_product = 1.0;  // running product of |yhat| mantissas
  long log_exponent = 0;     // binary exponents taken out of log_product
  int phase = season_type == EtsSeason::kNone ? 0 : state.phase;
  for (int t = 0; t < n; ++t) {
    const double q = level + damped;              // q = l[t-1] + phi*b[t-1]
    double s = 0.0;
    double yhat = q;
    if constexpr (season_type == EtsSeason::kAdditive) {
      s = season[phase];
      yhat = q + s;                               // yhat = l + phi*b + s[t-m]
    } else if constexpr (season_type == EtsSeason::kMultiplicative) {
      s = season[phase];
      yhat = q * s;                               // yhat = (l + phi*b) * s[t-m]
    }
    const double e = mult_error ? (y[t] - yhat) / yhat : y[t] - yhat;
    if (innovations != nullptr) innovations[t] = e;
    if (fitted != nullptr) fitted[t] = yhat;
    totals.sse += e * e;
    if constexpr (mult_error) {
      // sum log|yhat| as log(mantissa product) + exponent * ln 2; renormalising
      // only when the running product leaves [1e-100, 1e100] keeps this to one
      // multiply and one compare per step.
      log_product *= std::abs(yhat);
      if (!(log_product < kRenormalise && log_product > 1.0 / kRenormalise)) {
        int exponent = 0;
        log_product = std::frexp(log_product, &exponent);
        log_exponent += exponent;
      }
    }

    // p is the seasonally adjusted observation.
    double p = y[t];
    if constexpr (season_type == EtsSeason::kAdditive) {
      p = y[t] - s;                               // p = y[t] - s[t-m]
    } else if constexpr (season_type == EtsSeason::kMultiplicative) {
      p = std::abs(s) < kTiny ? kHuge : y[t] / s;  // p = y[t] / s[t-m]
    }
    const double new_level = one_minus_alpha * q + alpha * p;  // l[t] = (1-alpha)*q + alpha*p
    if constexpr (has_trend) {
      const double gap = p - level;                // p - l[t-1]
      trend = (1.0 - beta) * damped + beta * gap;  // b[t] = (1-beta)*phi*b[t-1] + beta*(p - l[t-1])
      damped = trend_keep * damped + phi_beta * gap;  // phi*b[t]
    }
    if constexpr (season_type == EtsSeason::kAdditive) {
      season[phase] = s + gamma * (y[t] - q - s);  // s[t] = s[t-m] + gamma*(y[t] - q - s[t-m])
    } else if constexpr (season_type == EtsSeason::kMultiplicative) {
      const double ratio = std::abs(q) < kTiny ? kHuge : y[t] / q;
      season[phase] = s + gamma * (ratio - s);     // s[t] = s[t-m] + gamma*(y[t]/q - s[t-m])
    }
    level = new_level;
    if (++phase == m) phase = 0;
  }
  if (mult_error) {
    totals.sum_log_abs_forecast = std::log(log_product) + log_exponent * std::numbers::ln2;
  }
  state.level = level;
  state.trend = trend;
  state.phase = phase;
  totals.finite = std::isfinite(totals.sse) && std::isfinite(totals.sum_log_abs_forecast);
  return totals;
}

template <bool mult_error, bool has_trend>
EtsPassTotals PassBySeason(const EtsSpec& spec, const EtsParams& params, const double* y, int n,
                           EtsState& state, double* innovations, double* fitted) {
  switch (spec.season) {
    case EtsSeason::kNone:
      return Pass<mult_error, has_trend, EtsSeason::kNone>(spec, params, y, n, state, innovations,
                                                           fitted);
    case EtsSeason::kAdditive:
      return Pass<mult_error, has_trend, EtsSeason::kAdditive>(spec, params, y, n, state,
                                                               innovations, fitted);
    case EtsSeason::kMultiplicative:
      break;
  }
  return Pass<mult_error, has_trend, EtsSeason::kMultiplicative>(spec, params, y, n, state,
                                                                 innovations, fitted);
}

}  // namespace

EtsPassTotals RunEtsPass(const EtsSpec& spec, const EtsParams& params, const double* y, int n,
                         EtsState& state, double* innovations, double* fitted) {
  const bool trend = spec.trend != EtsTrend::kNone;
  if (spec.error == EtsError::kMultiplicative) {
    return trend ? PassBySeason<true, true>(spec, params, y, n, state, innovations, fitted)
                 : PassBySeason<true, false>(spec, params, y, n, state, innovations, fitted);
  }
  return trend ? PassBySeason<false, true>(spec, params, y, n, state, innovations, fitted)
               : PassBySeason<false, false>(spec, params, y, n, state, innovations, fitted);
}

double EtsMinusTwoLogLik(const EtsPassTotals& totals, int n, EtsError error) {
  if (!totals.finite) return std::numeric_limits<double>::infinity();
  double lik = n * std::log(totals.sse);
  if (error == EtsError::kMultiplicative) lik += 2.0 * totals.sum_log_abs_forecast;
  if (std::isnan(lik)) return std::numeric_limits<double>::infinity();
  return std::max(lik, kPerfectFitFloor);
}

}  // namespace foresight::forecasting
