// MSTL: decomposition with several seasonal periods (Bandara, Hyndman &
// Bergmeir 2021), reproducing R forecast's mstl() (version 8.20):
//   - periods with fewer than two full cycles (period >= n / 2) are dropped
//     and reported; the rest are sorted, shortest first;
//   - STL is applied to each period in turn on the series with the other
//     seasonals removed, `iterate` times; the trend is the last STL's trend.
//
// y = trend + sum(seasonals) + remainder. Pure functions; thread-safe.
#pragma once

#include <vector>

#include "forecasting/result.h"

namespace foresight::forecasting {

struct MstlOptions {
  // Seasonal window for the i-th kept period (shortest first). Empty means
  // forecast 8.20's default 7 + 4 * (1, 2, ...) = 11, 15, 19, ...; a single
  // value applies to all periods; otherwise one value per kept period.
  std::vector<int> s_windows;
  // R: iterate = 2 for an msts (R forces 1 for a plain ts with one period;
  // SeasonalStrength() reproduces that).
  int iterate = 2;
  bool robust = false;  // passed to each STL
};

struct MstlDecomposition {
  std::vector<int> periods;          // kept, ascending
  std::vector<int> dropped_periods;  // fewer than two full cycles (or < 2)
  std::vector<double> trend;
  std::vector<std::vector<double>> seasonals;  // seasonals[i] has period periods[i]
  std::vector<double> remainder;

  // trend + remainder = y - sum(seasonals).
  std::vector<double> SeasonallyAdjusted() const;
};

// Decomposes y. With no usable period the trend is a loess smooth of y
// (R uses supsmu there) and there are no seasonals.
// Errors: empty or non-finite y, options inconsistent with the periods.
Result<MstlDecomposition> Mstl(const std::vector<double>& y, const std::vector<int>& periods,
                               const MstlOptions& options = {});

}  // namespace foresight::forecasting
