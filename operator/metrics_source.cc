#include "operator/metrics_source.h"

#include <cmath>
#include <limits>

namespace foresight::op {

size_t RangeSeries::CountMissing() const {
  size_t n = 0;
  for (double v : values) n += std::isnan(v) ? 1 : 0;
  return n;
}

RangeSeries EmptyGrid(const RangeQuery& q) {
  RangeSeries s;
  if (q.step.count() <= 0 || q.end < q.start) return s;
  const auto n = static_cast<size_t>((q.end - q.start) / q.step) + 1;
  s.timestamps.reserve(n);
  for (size_t i = 0; i < n; ++i) s.timestamps.push_back(q.start + q.step * static_cast<long>(i));
  s.values.assign(n, std::numeric_limits<double>::quiet_NaN());
  return s;
}

}  // namespace foresight::op
