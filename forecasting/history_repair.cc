#include "forecasting/history_repair.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "forecasting/robust_scale.h"

namespace foresight::forecasting {
namespace {

// Linear interpolation across interior gaps; trailing gaps carry the last
// value forward (there is nothing to interpolate towards).
int FillGaps(std::vector<double>& y) {
  int filled = 0;
  size_t last = 0;  // index of the last finite value; y[0] is finite here
  for (size_t t = 1; t < y.size(); ++t) {
    if (std::isnan(y[t])) continue;
    if (t - last > 1) {
      for (size_t k = last + 1; k < t; ++k) {
        double w = static_cast<double>(k - last) / static_cast<double>(t - last);
        y[k] = (1.0 - w) * y[last] + w * y[t];
        ++filled;
      }
    }
    last = t;
  }
  for (size_t k = last + 1; k < y.size(); ++k) {
    y[k] = y[last];
    ++filled;
  }
  return filled;
}

int ReplaceOutliers(std::vector<double>& y, const RepairOptions& options) {
  const int n = static_cast<int>(y.size());
  const int w = options.outlier_half_window;
  if (n < 4 * w + options.protected_tail) return 0;
  std::vector<double> local_median(n), deviation(n);
  std::vector<double> window;
  for (int t = 0; t < n; ++t) {
    window.assign(y.begin() + std::max(0, t - w), y.begin() + std::min(n, t + w + 1));
    local_median[t] = Median(window);
    deviation[t] = y[t] - local_median[t];
  }
  // The scale of the deviations around 0 (each is already taken from its local median).
  std::vector<double> abs_dev(n);
  for (int t = 0; t < n; ++t) abs_dev[t] = std::abs(deviation[t]);
  double robust_sd = 1.4826 * Median(abs_dev);
  if (robust_sd <= 0.0) return 0;  // mostly flat series: nothing stands out reliably
  int replaced = 0;
  for (int t = 0; t < n - options.protected_tail; ++t) {
    if (std::abs(deviation[t]) > options.outlier_threshold * robust_sd) {
      y[t] = local_median[t];
      ++replaced;
    }
  }
  return replaced;
}

}  // namespace

Result<RepairedHistory> RepairHistory(const std::vector<double>& raw,
                                      const RepairOptions& options) {
  RepairedHistory out;
  auto first = std::find_if(raw.begin(), raw.end(), [](double v) { return std::isfinite(v); });
  if (first == raw.end()) {
    return Error{"history has no finite value (" + std::to_string(raw.size()) +
                 " points, all missing or non-finite)"};
  }
  out.leading_dropped = static_cast<int>(first - raw.begin());
  out.values.assign(first, raw.end());
  for (double& v : out.values) {
    if (!std::isfinite(v)) v = std::nan("");
  }
  out.gaps_filled = FillGaps(out.values);
  out.outliers_replaced = ReplaceOutliers(out.values, options);

  if (out.leading_dropped > 0) {
    out.notes.push_back("dropped " + std::to_string(out.leading_dropped) +
                        " missing points before the first observation");
  }
  if (out.gaps_filled > 0) {
    out.notes.push_back("filled " + std::to_string(out.gaps_filled) +
                        " missing or non-finite points by interpolation");
  }
  if (out.outliers_replaced > 0) {
    out.notes.push_back("replaced " + std::to_string(out.outliers_replaced) +
                        " isolated outliers with their local median");
  }
  return out;
}

}  // namespace foresight::forecasting
