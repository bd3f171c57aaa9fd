// PrefetchingFitter: the fits of a replay, computed ahead of time on worker threads.
//
// A backtest's forecaster refits on windows of the trace that do not depend on the policy's
// decisions (only on the trace and the time), so a dry run can list them before the replay
// starts. This class fits that list in order on `threads` worker threads, at most `max_ahead`
// fits past the one the replay waits for (a bound on memory), and hands each result over when
// the replay asks for it. Fitting is a pure function of (history, options), so a request is
// served from the list only when both are exactly (bitwise) those predicted; any other request
// (e.g. the retries after a failed fit, which the dry run cannot foresee) is fitted inline on
// the caller's thread. The replay gets exactly the results of fitting one by one.
//
// Thread-safety: Fit is called from one thread (the replay's); the workers are internal.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "operator/rolling_forecaster.h"

namespace foresight::backtest {

// One fit the replay is expected to ask for: history series[begin, end) and these options.
struct FitRequest {
  size_t begin = 0, end = 0;
  forecasting::ForecastOptions options;
};

class PrefetchingFitter {
 public:
  // `series` must outlive this object. `fit` must not throw (ForecastSeries never does) and
  // must be safe to call from several threads at once. threads >= 1, max_ahead >= 1.
  PrefetchingFitter(std::span<const double> series, std::vector<FitRequest> predicted,
                    op::FitFunction fit, unsigned threads, size_t max_ahead = 32);
  ~PrefetchingFitter();  // waits for the fits in progress, drops the rest
  PrefetchingFitter(const PrefetchingFitter&) = delete;
  PrefetchingFitter& operator=(const PrefetchingFitter&) = delete;

  // The op::FitFunction contract. A request that matches one of the next `max_ahead` predicted
  // ones is served from it (predicted requests before it are dropped: the replay skipped them);
  // any other is fitted inline.
  forecasting::Result<forecasting::Forecast> Fit(const std::vector<double>& history,
                                                 const forecasting::ForecastOptions& options);

  size_t served() const { return served_; }         // requests answered from the list
  size_t fitted_inline() const { return inline_; }  // requests that were not predicted

 private:
  bool Matches(size_t index, const std::vector<double>& history,
               const forecasting::ForecastOptions& options) const;
  // One past the last slot that may be fitted now; needs mu_, except on the replay's
  // thread, the only one that writes cursor_.
  size_t WindowEnd() const;
  void Work();

  enum class SlotState { kWaiting, kRunning, kDone };
  struct Slot {
    SlotState state = SlotState::kWaiting;
    std::optional<forecasting::Result<forecasting::Forecast>> result;
  };

  const std::span<const double> series_;
  const std::vector<FitRequest> predicted_;
  const op::FitFunction fit_;
  const size_t max_ahead_;

  std::mutex mu_;
  std::condition_variable work_ready_;  // a slot became claimable, or stopping
  std::condition_variable fit_done_;    // a slot became kDone
  std::vector<Slot> slots_;             // one per predicted request; guarded by mu_
  size_t next_ = 0;                     // the next slot a worker claims; guarded by mu_
  size_t cursor_ = 0;  // the first slot the replay may still ask for; written under mu_
  bool stopping_ = false;
  size_t served_ = 0, inline_ = 0;  // the replay thread's own counters
  std::vector<std::thread> workers_;
};

}  // namespace foresight::backtest
