#include "policies/recorded_forecasts.h"

#include <algorithm>

namespace foresight::policies {

void RecordedForecasts::Append(Time time, std::span<const ForecastPoint> points) {
  forecasts_.push_back({time, points_dropped_ + points_.size()});
  points_.insert(points_.end(), points.begin(), points.end());
}

void RecordedForecasts::DropBefore(Time oldest) {
  while (!forecasts_.empty() && forecasts_.front().time < oldest) forecasts_.pop_front();
  const uint64_t kept_from =
      forecasts_.empty() ? points_dropped_ + points_.size() : forecasts_.front().first_point;
  points_.erase(points_.begin(),
                points_.begin() + static_cast<std::ptrdiff_t>(kept_from - points_dropped_));
  points_dropped_ = kept_from;
}

void RecordedForecasts::Clear() {
  forecasts_.clear();
  points_.clear();
  points_dropped_ = 0;
}

RecordedForecast RecordedForecasts::operator[](size_t i) const {
  auto start = [&](size_t forecast) {
    return points_.begin() +
           static_cast<std::ptrdiff_t>(forecasts_[forecast].first_point - points_dropped_);
  };
  return {forecasts_[i].time, {start(i), i + 1 < forecasts_.size() ? start(i + 1) : points_.end()}};
}

std::optional<RecordedForecast> RecordedForecasts::NewestAtOrBefore(Time t) const {
  const auto after = std::upper_bound(forecasts_.begin(), forecasts_.end(), t,
                                      [](Time time, const Forecast& f) { return time < f.time; });
  if (after == forecasts_.begin()) return std::nullopt;
  return (*this)[static_cast<size_t>(after - forecasts_.begin()) - 1];
}

}  // namespace foresight::policies
