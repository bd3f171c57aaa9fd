// Forecasts the benchmark computes itself: M4's Naive2 (the yardstick of OWA)
// and a seasonal naive (a stand-in forecaster when the engine is not built,
// and the forecaster of the harness's own tests).
#pragma once

#include <vector>

namespace foresight::bench::m4 {

// Seasonal figure of R's decompose(type = "multiplicative"): the centred
// moving average of order m (2 x m for even m) is the trend, x / trend is
// averaged per position in the cycle, and the m averages are normalised to
// mean 1. Element i belongs to positions t with t % m == i (t from 0 at the
// series' start). REQUIRES: x.size() >= 2m, m >= 2.
std::vector<double> MultiplicativeSeasonalFigure(const std::vector<double>& x, int m);

// M4's Naive2: when SeasonalityTest(insample, m) says seasonal, the last
// value of the seasonally adjusted series (x / figure) times the figure
// continued over the horizon; otherwise the last value.
std::vector<double> Naive2(const std::vector<double>& insample, int m, int horizon);

// Seasonal naive: f[h] = y[n - m + (h % m)]. REQUIRES: insample.size() >= m.
std::vector<double> SeasonalNaive(const std::vector<double>& insample, int m, int horizon);

}  // namespace foresight::bench::m4
