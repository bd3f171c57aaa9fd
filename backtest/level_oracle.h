// LevelOracle: a forecast that knows the coming level of the load but not its noise, for
// `foresight backtest --oracle-level`. It answers "how much would a better forecast save on
// this traffic?": the mean at each point is the trace's own load averaged over a window
// centred on that point (the future included), and the spread is that of the load around
// this average over the whole trace (1.4826 x MAD), the part no forecaster of the level can
// know. A window of 0 is the exact load with no spread.
//
// The points follow the operator's forecast layout: the grid point in force now (offset 0),
// then every later grid point up to one past the lead time.
//
// Pure: plain values in and out.
#pragma once

#include <cstdint>
#include <vector>

#include "policies/decision.h"

namespace foresight::backtest {

class LevelOracle {
 public:
  // `grid[i]` is the load at i * resolution seconds after the trace start; the average
  // around a point covers the grid points within +-half_width_seconds of it.
  // REQUIRES: !grid.empty(), resolution_seconds > 0, 0 < quantile < 1.
  LevelOracle(std::vector<double> grid, int64_t resolution_seconds, int64_t half_width_seconds,
              double quantile);

  // The forecast at `second` (since the trace start) for offsets up to lead_seconds.
  std::vector<policies::ForecastPoint> Points(int64_t second, int64_t lead_seconds) const;

  double spread() const { return spread_; }

 private:
  std::vector<double> level_;  // the centred average at each grid point
  int64_t resolution_;
  double spread_ = 0;
  double z_ = 0;  // standard normal quantile of the configured quantile
};

}  // namespace foresight::backtest
