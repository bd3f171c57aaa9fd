// The cache of R's reference forecasts written by r_reference.R:
//   r_forecasts.csv  series,method,step,forecast   (step 1..horizon)
//   r_timings.csv    series,method,seconds,model,cpu_seconds
//                    (model double-quoted; cpu_seconds NA or absent in rows
//                    written before it was recorded)
// A timing row is written after its forecasts, so only pairs with a timing row
// and a full horizon of forecasts count as cached; anything else is a run that
// was cut short and is ignored.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "forecasting/result.h"

namespace foresight::bench::m4 {

struct RForecast {
  std::vector<double> mean;  // horizon values
  double seconds = 0;        // wall time of fit + forecast in R
  double cpu_seconds = -1;   // CPU time of the same; negative: not recorded
  std::string model;         // e.g. "ARIMA(2,0,1)(0,1,1)[24]"
};

// method -> series id -> forecast
using RCache = std::map<std::string, std::map<std::string, RForecast>>;

// Parses the two files' text (header rows included).
forecasting::Result<RCache> ParseRCache(const std::string& forecasts_csv,
                                        const std::string& timings_csv, int horizon);
// Reads <dir>/r_forecasts.csv and <dir>/r_timings.csv; both missing is an
// empty cache, not an error (the benchmark then prints our figures only).
forecasting::Result<RCache> ReadRCache(const std::string& dir, int horizon);

}  // namespace foresight::bench::m4
