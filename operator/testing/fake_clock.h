// FakeClock: a simulated clock for tests. SleepFor advances the time at once
// and records the requested sleeps so a test can assert on backoff.
#pragma once

#include <mutex>
#include <vector>

#include "operator/clock.h"

namespace foresight::op::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start = Timestamp(std::chrono::seconds(1'700'000'000)))
      : now_(start) {}

  Timestamp Now() override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void SleepFor(std::chrono::milliseconds d) override {
    std::lock_guard lock(mu_);
    sleeps_.push_back(d);
    now_ += d;
  }
  void Advance(std::chrono::milliseconds d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }
  void Set(Timestamp t) {
    std::lock_guard lock(mu_);
    now_ = t;
  }
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard lock(mu_);
    return sleeps_;
  }

 private:
  mutable std::mutex mu_;
  Timestamp now_;                                  // guarded by mu_
  std::vector<std::chrono::milliseconds> sleeps_;  // guarded by mu_
};

}  // namespace foresight::op::testing
