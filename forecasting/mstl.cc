#include "forecasting/mstl.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "forecasting/loess.h"
#include "forecasting/stl.h"

namespace foresight::forecasting {
namespace {

// Seasonal window of forecast 8.20's mstl(): s.window = 7 + 4 * seq(6).
int DefaultSWindow(int index) { return 7 + 4 * (index + 1); }

// Trend of a non-seasonal series: local linear loess over about a tenth of
// the series (R's mstl uses supsmu; this is a documented difference).
std::vector<double> NonSeasonalTrend(const std::vector<double>& y) {
  const int n = static_cast<int>(y.size());
  std::vector<double> trend(n), scratch(n);
  int window = std::max(3, n / 10);
  if (window % 2 == 0) ++window;
  loess::Smooth(y.data(), n, window, 1, static_cast<int>(std::ceil(window / 10.0)), nullptr,
                trend.data(), scratch.data());
  return trend;
}

}  // namespace

std::vector<double> MstlDecomposition::SeasonallyAdjusted() const {
  std::vector<double> out(trend.size());
  for (size_t i = 0; i < trend.size(); ++i) out[i] = trend[i] + remainder[i];
  return out;
}

Result<MstlDecomposition> Mstl(const std::vector<double>& y, const std::vector<int>& periods,
                               const MstlOptions& options) {
  const int n = static_cast<int>(y.size());
  if (n == 0) return Error{"mstl: empty series"};
  for (double v : y) {
    if (!std::isfinite(v)) return Error{"mstl: non-finite value in series"};
  }
  MstlDecomposition out;
  std::vector<int> sorted = periods;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (int m : sorted) {
    // R keeps msts < n / 2; period 1 is not seasonal.
    if (m >= 2 && 2 * static_cast<long>(m) < n) {
      out.periods.push_back(m);
    } else {
      out.dropped_periods.push_back(m);
    }
  }
  const int k = static_cast<int>(out.periods.size());
  std::vector<int> s_windows(k);
  for (int i = 0; i < k; ++i) {
    if (options.s_windows.empty()) {
      s_windows[i] = DefaultSWindow(i);
    } else if (options.s_windows.size() == 1) {
      s_windows[i] = options.s_windows[0];
    } else if (static_cast<int>(options.s_windows.size()) >= k) {
      s_windows[i] = options.s_windows[i];
    } else {
      return Error{"mstl: " + std::to_string(options.s_windows.size()) +
                   " seasonal windows for " + std::to_string(k) + " periods"};
    }
  }

  if (k == 0) {
    out.trend = NonSeasonalTrend(y);
    out.remainder.resize(n);
    for (int i = 0; i < n; ++i) out.remainder[i] = y[i] - out.trend[i];
    return out;
  }

  out.seasonals.assign(k, std::vector<double>(n, 0.0));
  std::vector<double> deseas = y;
  const int iterate = std::max(1, options.iterate);
  for (int it = 0; it < iterate; ++it) {
    for (int i = 0; i < k; ++i) {
      // Put this period's seasonal back, re-estimate it, take it out again.
      for (int t = 0; t < n; ++t) deseas[t] += out.seasonals[i][t];
      StlOptions stl_options;
      stl_options.s_window = s_windows[i];
      stl_options.robust = options.robust;
      Result<StlDecomposition> fit = Stl(deseas, out.periods[i], stl_options);
      if (!fit.ok()) return Error{"mstl: " + fit.error()};
      out.seasonals[i] = std::move(fit->seasonal);
      for (int t = 0; t < n; ++t) deseas[t] -= out.seasonals[i][t];
      if (it == iterate - 1 && i == k - 1) out.trend = std::move(fit->trend);
    }
  }
  out.remainder.resize(n);
  for (int t = 0; t < n; ++t) out.remainder[t] = deseas[t] - out.trend[t];
  return out;
}

}  // namespace foresight::forecasting
