#include "operator/recent_load.h"

#include <algorithm>
#include <cmath>

namespace foresight::op {

std::optional<policies::LoadTrace> RecentLoad(const RangeSeries& series, std::chrono::seconds step,
                                              std::chrono::seconds length) {
  if (step.count() <= 0) return std::nullopt;
  const size_t points = static_cast<size_t>(length / step);
  if (points == 0 || series.size() < points) return std::nullopt;
  const size_t begin = series.size() - points;
  size_t missing = 0;
  policies::LoadTrace trace;
  trace.step_seconds = static_cast<int32_t>(step.count());
  trace.t0 = std::chrono::duration<double>(series.timestamps[begin].time_since_epoch()).count();
  std::optional<double> held;
  for (size_t i = begin; i < series.size(); ++i) {
    const double v = series.values[i];
    if (std::isfinite(v)) {
      held = v;
    } else {
      ++missing;
    }
    trace.values.push_back(held.value_or(NAN));
  }
  if (missing * 10 > points || !held) return std::nullopt;
  // Leading gaps take the first value seen.
  const auto first = std::find_if(trace.values.begin(), trace.values.end(),
                                  [](double x) { return !std::isnan(x); });
  std::fill(trace.values.begin(), first, *first);
  return trace;
}

}  // namespace foresight::op
