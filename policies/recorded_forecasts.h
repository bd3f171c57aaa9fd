// The forecasts a run of decisions read, oldest first: what risk tuning keeps of its window.
//
// A tuner keeps one forecast per decision, thousands of them (5761 over the default 48 h at a
// decision every 30 s), of 3 or 4 points each. A vector per forecast would cost a malloc chunk
// of its own (112 bytes at 3 or 4 points) plus its slot in the list; here the points of all
// forecasts share one deque, and each forecast adds only its time and where its points start:
// 16 bytes plus 24 a point (bench/operator/README.md has the measured figures).
//
// Not thread-safe; a RecordedForecast read from it is valid until it next changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <ranges>
#include <span>

#include "policies/decision.h"
#include "policies/history.h"

namespace foresight::policies {

// A forecast as a decision read it: made at `time`, offsets from then.
struct RecordedForecast {
  Time time;
  std::ranges::subrange<std::deque<ForecastPoint>::const_iterator> points;
};

class RecordedForecasts {
 public:
  // Adds the forecast made at `time` as the newest.
  // REQUIRES: empty() or time >= newest_time().
  void Append(Time time, std::span<const ForecastPoint> points);

  // Drops the forecasts made before `oldest`.
  void DropBefore(Time oldest);

  void Clear();

  bool empty() const { return forecasts_.empty(); }
  size_t size() const { return forecasts_.size(); }

  // The i-th oldest. REQUIRES: i < size().
  RecordedForecast operator[](size_t i) const;

  // REQUIRES: !empty().
  Time newest_time() const { return forecasts_.back().time; }

  // The newest forecast made at or before `t`; none if all were made after it.
  std::optional<RecordedForecast> NewestAtOrBefore(Time t) const;

 private:
  struct Forecast {
    Time time;
    // Where its points start, counted over every point ever appended (so that dropping the
    // oldest points changes no other forecast's): its first point is
    // points_[first_point - points_dropped_].
    uint64_t first_point;
  };

  std::deque<Forecast> forecasts_;
  std::deque<ForecastPoint> points_;  // of every forecast in forecasts_, in their order
  uint64_t points_dropped_ = 0;       // points appended then dropped, since the last Clear
};

}  // namespace foresight::policies
