// Parameter constraints for ETS estimation, as R forecast's ets(bounds =
// "both") applies them: the "usual" box bounds (0 < beta <= alpha < 1,
// 0 < gamma <= 1 - alpha, 0.8 <= phi <= 0.98) and the admissibility (forecastability)
// region of Hyndman et al. (2008, ch. 10), in which the discount matrix
// D = F - g w' has all its eigenvalues in the closed unit disc.
//
// Pure predicates over plain values.
#pragma once

#include "forecasting/ets.h"
#include "forecasting/ets_kernel.h"

namespace foresight::forecasting {

// R's default box: lower = (1e-4, 1e-4, 1e-4, 0.8), upper = (0.9999, 0.9999, 0.9999, 0.98).
struct EtsBox {
  double alpha_lower = 1e-4, alpha_upper = 0.9999;
  double beta_lower = 1e-4, beta_upper = 0.9999;
  double gamma_lower = 1e-4, gamma_upper = 0.9999;
  double phi_lower = 0.8, phi_upper = 0.98;
};

// R's check.param with bounds = "usual": box bounds plus beta <= alpha and
// gamma <= 1 - alpha, for the components the spec has.
bool EtsWithinUsualBounds(const EtsSpec& spec, const EtsParams& params, const EtsBox& box = {});

// R's admissible(): closed-form necessary conditions, then for seasonal models
// the roots of the characteristic polynomial of D,
//   z^(m+1) + (a+b-phi) z^m + (a+b-a*phi) (z^(m-1) + ... + z^2) + (a+b-a*phi+g-1) z
//     + phi (1-a-g),
// must satisfy |z| <= 1 + 1e-10. (With a damped trend this is exactly D's
// polynomial for Gardner's form yhat = l + b, b[t] = phi b[t-1] + ..., not for
// yhat = l + phi b; we keep R's test as is.)
// Decided by the Schur-Cohn step-down recursion (O(m^2), no allocation beyond
// one small buffer); when that is within rounding of the boundary, by the
// eigenvalues of the companion matrix instead.
bool EtsAdmissible(const EtsSpec& spec, const EtsParams& params);

// Largest root modulus of the polynomial above (companion-matrix eigenvalues);
// for tests and the borderline fallback. +infinity unless
// 2 <= period <= kEtsMaxSeasonalPeriod.
double EtsMaxCharacteristicRoot(int period, const EtsParams& params);

}  // namespace foresight::forecasting
