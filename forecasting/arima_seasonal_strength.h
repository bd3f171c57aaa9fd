// Seasonal strength and forecast::nsdiffs(test = "seas").
//
// R measures the strength with an STL decomposition (mstl). Until the
// project's STL is in, this uses a classical moving-average decomposition:
// the statistic has the same definition but a different decomposition, so
// series near the 0.64 threshold can get a different D than R's.
// TODO(arima): switch SeasonalStrength to the shared STL once it lands.
#pragma once

#include <vector>

namespace foresight::forecasting {

// Fs = max(0, 1 - var(remainder) / var(seasonal + remainder)) from a
// classical additive decomposition. REQUIRES: period >= 2, x.size() > 2 * period.
double SeasonalStrength(const std::vector<double>& x, int period);

// forecast::nsdiffs default: D = 1 when SeasonalStrength > 0.64 (max_D = 1 in
// practice; more seasonal differences are re-tested like R).
int NumSeasonalDifferences(const std::vector<double>& x, int period, int max_D = 1);

}  // namespace foresight::forecasting
