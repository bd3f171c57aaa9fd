// Time and the history a scaling decision looks back on, as plain values.
//
// Time is a value passed in (never read from a clock here): whole seconds since the Unix epoch.
#pragma once

#include <chrono>
#include <cstdint>

namespace foresight::policies {

using Time = std::chrono::sys_seconds;

// An unstabilized recommendation recorded at a decision (the HPA's timestampedRecommendation).
struct Recommendation {
  Time time;
  int32_t replicas = 0;
};

// A change of the target's replica count made by the autoscaler (timestampedScaleEvent).
struct ScaleEvent {
  Time time;
  int32_t from = 0;
  int32_t to = 0;
  bool is_up() const { return to > from; }
  bool is_down() const { return to < from; }
};

}  // namespace foresight::policies
