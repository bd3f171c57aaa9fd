// The forecasting engine's front door: one call that takes a raw load history
// and returns a forecast that is always usable.
//
// ForecastSeries never throws, and a forecast it returns never holds NaN,
// infinity or a negative value. It repairs the history (gaps, NaNs, outliers), picks or combines
// models as the options say, and when a model cannot be fitted it falls back
// (ultimately to a naive forecast) and says why in Forecast::notes.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "forecasting/model.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

struct ForecastOptions {
  int horizon = 1;
  // Seasonal periods in steps, e.g. {24} for hourly data with a daily cycle, or
  // {1440, 10080} for 1-minute data with daily and weekly cycles. Empty means
  // detect them from the data.
  // "{}": without it GCC 12 -Wmissing-field-initializers fires on {.horizon = 5}.
  std::vector<int> seasonal_periods{};
  // Time between two history points, when known (0 = unknown). Detection then
  // prefers the periods operations data has at that resolution (a day, a week).
  std::chrono::seconds sampling_interval{0};
  // auto | ets | arima | theta | naive | snaive | mstl
  std::string model = "auto";

  bool operator==(const ForecastOptions&) const = default;
};

// Error only for input no model could use: horizon < 1, an unknown model name,
// or a history without a single finite value. The message names the problem.
Result<Forecast> ForecastSeries(const std::vector<double>& history, const ForecastOptions& options);

// The model names ForecastOptions::model accepts: "auto" and every family.
std::vector<std::string> ModelNames();

}  // namespace foresight::forecasting
