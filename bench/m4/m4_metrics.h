// The M4 competition's accuracy measures, as its evaluation code defines them
// (Mcompetitions/M4-methods, "Benchmarks and Evaluation.R"; M4 Competitor's
// Guide): sMAPE, MASE and OWA, and the seasonality test that decides whether
// the Naive2 benchmark deseasonalises.
//
// All functions are pure; vectors are in time order.
#pragma once

#include <vector>

namespace foresight::bench::m4 {

// sMAPE in percent: mean over the horizon of 200 |y - f| / (|y| + |f|).
// A step where y = f = 0 counts as 0 (the formula is 0/0 there; M4's data has
// no zeros, so the competition never had to decide).
// REQUIRES: actual.size() == forecast.size() > 0.
double Smape(const std::vector<double>& actual, const std::vector<double>& forecast);

// MASE's denominator: the in-sample mean absolute error of the seasonal naive
// forecast, mean over t >= m of |y[t] - y[t-m]|. Zero for a series that
// repeats exactly, which makes MASE infinite, as in M4.
// REQUIRES: insample.size() > m >= 1.
double MaseScale(const std::vector<double>& insample, int m);

// MASE: mean |y - f| over the horizon divided by MaseScale(insample, m).
double Mase(const std::vector<double>& insample, const std::vector<double>& actual,
            const std::vector<double>& forecast, int m);

// Sample autocorrelation at `lag` (R's acf: deviations from the full-sample
// mean, divided by the full-sample sum of squares). NaN for a constant series.
double Acf(const std::vector<double>& x, int lag);

// M4's 90% seasonality test: seasonal when
//   |acf(m)| > 1.645 * sqrt((1 + 2 * sum_{k=1}^{m-1} acf(k)^2) / n),
// i.e. the lag-m autocorrelation is outside the one-sided 90% band of
// Bartlett's formula. Never seasonal when m <= 1 or n < 3m (M4's rule).
// (M4's R code got acf() with R's default lag.max = 10 log10(n), so for
// n < 10^(m/10) its test came out NA and hence non-seasonal; with m = 24 that
// is n < 251, far below the 652 points of the shortest hourly series.)
bool SeasonalityTest(const std::vector<double>& x, int m);

// Mean sMAPE and mean MASE over a set of series.
struct Totals {
  double smape = 0;
  double mase = 0;
};

// OWA of a method against Naive2, on totals over the same set of series:
// (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2) / 2.
double Owa(const Totals& method, const Totals& naive2);

}  // namespace foresight::bench::m4
