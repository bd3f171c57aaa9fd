#include "operator/clock.h"

#include <thread>

namespace foresight::op {

Timestamp SystemClock::Now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now());
}

void SystemClock::SleepFor(std::chrono::milliseconds d) {
  if (d.count() > 0) std::this_thread::sleep_for(d);
}

Clock& RealClock() {
  static SystemClock clock;
  return clock;
}

}  // namespace foresight::op
