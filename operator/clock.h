// The operator's only source of time. Production code uses SystemClock; tests
// use FakeClock (tests/operator/fake_clock.h) and move time by hand, so every
// time-based behaviour (backoff, leases, refit intervals) is deterministic.
#pragma once

#include <chrono>

namespace foresight::op {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;
using Duration = std::chrono::nanoseconds;

class TimeSource {
 public:
  virtual ~TimeSource() = default;
  virtual TimePoint Now() const = 0;
};

class SystemTimeSource : public TimeSource {
 public:
  TimePoint Now() const override { return Clock::now(); }
};

}  // namespace foresight::op
