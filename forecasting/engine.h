// The forecasting engine's front door: one call that takes a raw load history
// and returns a forecast that is always usable.
//
// ForecastSeries never throws and never returns NaN, infinity or a negative
// value. It repairs the history (gaps, NaNs, outliers), picks or combines
// models as the options say, and when a model cannot be fitted it falls back
// (ultimately to a naive forecast) and says why in Forecast::notes.
#pragma once

#include <string>
#include <vector>

#include "forecasting/model.h"

namespace foresight::forecasting {

struct ForecastOptions {
  int horizon = 1;
  // Seasonal periods in steps, e.g. {24} for hourly data with a daily cycle, or
  // {1440, 10080} for 1-minute data with daily and weekly cycles. Empty means
  // detect them from the data.
  std::vector<int> seasonal_periods;
  // auto | ets | arima | theta | naive | snaive | mstl
  std::string model = "auto";
};

Forecast ForecastSeries(const std::vector<double>& history, const ForecastOptions& options);

}  // namespace foresight::forecasting
