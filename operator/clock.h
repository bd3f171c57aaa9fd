// Clock: the operator's one seam for time. Everything that waits or reads the
// time takes a Clock& so tests drive a simulated clock (see testing/fake_clock.h).
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <chrono>

namespace foresight::op {

// Wall-clock time at millisecond resolution (Prometheus' resolution).
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() = 0;
  virtual void SleepFor(std::chrono::milliseconds d) = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() override;
  void SleepFor(std::chrono::milliseconds d) override;
};

// The process-wide real clock.
Clock& RealClock();

}  // namespace foresight::op
