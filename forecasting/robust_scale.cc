#include "forecasting/robust_scale.h"

#include <algorithm>
#include <cmath>

namespace foresight::forecasting {

double Median(std::vector<double> values) {
  auto mid = values.begin() + static_cast<long>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  const double upper = *mid;
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), mid);
  return 0.5 * (lower + upper);
}

double RobustScale(std::vector<double> values) {
  if (values.size() < 2) return 0.0;
  const double center = Median(values);
  for (double& v : values) v = std::abs(v - center);
  return 1.4826 * Median(std::move(values));
}

}  // namespace foresight::forecasting
