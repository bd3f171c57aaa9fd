// Tests that choose how many times to difference a series before ARMA
// modelling, as forecast::ndiffs and forecast::nsdiffs do by default.
#pragma once

#include <vector>

namespace foresight::forecasting {

// KPSS level-stationarity statistic (urca::ur.kpss, type "mu") with
// `lags` Bartlett-weighted autocovariances in the long-run variance.
double KpssStatistic(const std::vector<double>& x, int lags);

// forecast::ndiffs(x, test = "kpss", alpha = 0.05): difference while the KPSS
// test rejects level stationarity at 5% (statistic > 0.463), at most max_d times.
int NumDifferences(const std::vector<double>& x, int max_d = 2);

// forecast's is.constant (all values equal to within all.equal's tolerance).
bool IsConstantSeries(const std::vector<double>& x);

}  // namespace foresight::forecasting
