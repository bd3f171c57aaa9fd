#include "backtest/prefetching_fitter.h"

#include <algorithm>
#include <cstring>

namespace foresight::backtest {

PrefetchingFitter::PrefetchingFitter(std::span<const double> series,
                                     std::vector<FitRequest> predicted, op::FitFunction fit,
                                     unsigned threads, size_t max_ahead)
    : series_(series),
      predicted_(std::move(predicted)),
      fit_(std::move(fit)),
      max_ahead_(std::max<size_t>(1, max_ahead)),
      slots_(predicted_.size()) {
  const unsigned n = std::max(1u, threads);
  for (unsigned t = 0; t < n && t < predicted_.size(); ++t)
    workers_.emplace_back([this] { Work(); });
}

PrefetchingFitter::~PrefetchingFitter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& t : workers_) t.join();
}

size_t PrefetchingFitter::WindowEnd() const {
  return std::min(predicted_.size(), cursor_ + max_ahead_);
}

bool PrefetchingFitter::Matches(size_t index, const std::vector<double>& history,
                                const forecasting::ForecastOptions& options) const {
  const FitRequest& r = predicted_[index];
  // Bitwise, not ==: NaN marks a gap and must match a NaN.
  return r.end - r.begin == history.size() && r.options == options &&
         std::memcmp(history.data(), series_.data() + r.begin, history.size() * sizeof(double)) ==
             0;
}

void PrefetchingFitter::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    work_ready_.wait(lock, [this] { return stopping_ || next_ < WindowEnd(); });
    if (stopping_) return;
    const size_t i = next_++;
    if (slots_[i].state != SlotState::kWaiting) continue;  // the replay fitted it itself
    slots_[i].state = SlotState::kRunning;
    const FitRequest& r = predicted_[i];
    lock.unlock();
    auto result = fit_(std::vector<double>(series_.begin() + static_cast<ptrdiff_t>(r.begin),
                                           series_.begin() + static_cast<ptrdiff_t>(r.end)),
                       r.options);
    lock.lock();
    slots_[i].state = SlotState::kDone;
    if (i >= cursor_) slots_[i].result = std::move(result);  // else the replay skipped it
    fit_done_.notify_all();
  }
}

forecasting::Result<forecasting::Forecast> PrefetchingFitter::Fit(
    const std::vector<double>& history, const forecasting::ForecastOptions& options) {
  // Only this thread writes cursor_, so it reads it (through WindowEnd) without the lock.
  const size_t end = WindowEnd();
  size_t j = cursor_;
  while (j < end && !Matches(j, history, options)) ++j;
  if (j == end) {
    ++inline_;
    return fit_(history, options);
  }
  ++served_;
  std::unique_lock lock(mu_);
  for (size_t i = cursor_; i < j; ++i) slots_[i].result.reset();  // skipped by the replay
  Slot& slot = slots_[j];
  cursor_ = j;  // moves the window on: workers may start later fits
  next_ = std::max(next_, cursor_);
  if (slot.state == SlotState::kWaiting) {
    // No worker has got to it yet: fit it here rather than wait for one.
    slot.state = SlotState::kRunning;
    cursor_ = j + 1;
    lock.unlock();
    work_ready_.notify_all();
    return fit_(history, options);
  }
  work_ready_.notify_all();
  fit_done_.wait(lock, [&] { return slot.state == SlotState::kDone; });
  forecasting::Result<forecasting::Forecast> result = std::move(*slot.result);
  slot.result.reset();
  cursor_ = j + 1;
  lock.unlock();
  work_ready_.notify_all();
  return result;
}

}  // namespace foresight::backtest
