// A TimeSource that only moves when a test says so.
#pragma once

#include <mutex>

#include "operator/clock.h"

namespace foresight::op::testing {

class FakeTimeSource : public TimeSource {
 public:
  explicit FakeTimeSource(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000))) : now_(start) {}
  TimePoint Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void Advance(Duration d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_;
};

}  // namespace foresight::op::testing
