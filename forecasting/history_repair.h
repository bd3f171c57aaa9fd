// Repairs a raw load history before any model sees it: metrics pipelines
// deliver gaps (NaN), non-finite garbage and isolated spikes, and models must
// not be thrown off by any of them.
#pragma once

#include <string>
#include <vector>

#include "forecasting/result.h"

namespace foresight::forecasting {

struct RepairOptions {
  // A point is an outlier when it is further than this many robust standard
  // deviations (1.4826 * MAD) from the median of its neighbourhood.
  double outlier_threshold = 10.0;
  int outlier_half_window = 3;  // neighbourhood: 3 points on each side
  // The newest points are never replaced: a spike in progress is information
  // the reactive path and the forecast must both see.
  int protected_tail = 5;
};

struct RepairedHistory {
  std::vector<double> values;
  int leading_dropped = 0;  // missing points before the first real one
  int gaps_filled = 0;      // interior and trailing missing points filled
  int outliers_replaced = 0;
  std::vector<std::string> notes;  // one sentence per repair, for the user
};

// Error when the history holds no finite value at all.
Result<RepairedHistory> RepairHistory(const std::vector<double>& raw,
                                      const RepairOptions& options = {});

}  // namespace foresight::forecasting
