// Scores the forecasts of one method on a set of held-out series and sums
// them up over a subset, M4-style (means of per-series sMAPE and MASE; OWA on
// those means against Naive2 on the same series).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bench/m4/harness.h"
#include "bench/m4/m4_data.h"
#include "bench/m4/m4_metrics.h"
#include "bench/m4/r_cache.h"

namespace foresight::bench::m4 {

// One method on one series. `present` is false where the method has no
// forecast (not run on that series, or not in R's cache).
struct Outcome {
  bool present = false;
  bool failed = false;  // the forecaster failed; scored with Naive2's forecast instead
  double smape = 0;
  double mase = 0;
  double wall_seconds = 0;  // negative: not timed (Naive2)
  double cpu_seconds = -1;  // negative: not measured (R rows cached without it)
  std::string model;
};

// Aligned with the data set.
using MethodOutcomes = std::vector<Outcome>;

Outcome ScoreForecast(const Holdout& series, const std::vector<double>& forecast, int m);

// Naive2 on every series (no timing).
MethodOutcomes Naive2Outcomes(const std::vector<Holdout>& data, int m, int horizon);

// Our run. `ran` lists the data indices the batch covered, in batch order.
// A failed series is scored with Naive2's forecast and flagged, so the table
// still covers every series and the failure count says how many.
MethodOutcomes FromBatch(const std::vector<Holdout>& data, const std::vector<size_t>& ran,
                         const BatchRun& batch, int m, int horizon);

// One R method from the cache, matched by series id.
MethodOutcomes FromRCache(const std::vector<Holdout>& data,
                          const std::map<std::string, RForecast>& by_series, int m);

struct Summary {
  int series = 0;
  int failures = 0;
  Totals totals;
  double owa = 0;
  double mean_wall_seconds = 0;  // negative: not timed
  double mean_cpu_seconds = -1;  // negative: not measured
};

// REQUIRES: method[i] and naive2[i] present for every i in `indices`, which is non-empty.
Summary Summarize(const MethodOutcomes& method, const MethodOutcomes& naive2,
                  const std::vector<size_t>& indices);

}  // namespace foresight::bench::m4
