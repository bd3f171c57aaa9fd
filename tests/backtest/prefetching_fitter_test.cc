// PrefetchingFitter: fits computed ahead are handed over only for exactly the predicted
// request, in the replay's order; anything else is fitted inline. The fit here is a stand-in
// whose forecast encodes its input (mean = sum of the history + horizon), so a result handed to
// the wrong request shows.
#include "backtest/prefetching_fitter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <numeric>
#include <thread>
#include <vector>

namespace foresight::backtest {
namespace {

using forecasting::Forecast;
using forecasting::ForecastOptions;
using forecasting::Result;

// A fit whose single-step mean is sum(history) + horizon; it counts its calls and records
// which threads made them.
struct EncodingFit {
  std::atomic<int> calls{0};
  std::atomic<int> calls_on_replay_thread{0};
  std::thread::id replay_thread = std::this_thread::get_id();
  std::chrono::milliseconds delay{0};

  op::FitFunction Function() {
    return
        [this](const std::vector<double>& history, const ForecastOptions& o) -> Result<Forecast> {
          ++calls;
          if (std::this_thread::get_id() == replay_thread) ++calls_on_replay_thread;
          std::this_thread::sleep_for(delay);
          Forecast f;
          f.model = "encoding";
          const double code = std::accumulate(history.begin(), history.end(), 0.0) + o.horizon;
          f.distribution = forecasting::PredictiveDistribution::Normal({code}, {0.0});
          return f;
        };
  }
};

double Code(const Result<Forecast>& r) { return r->distribution.Mean(0); }

ForecastOptions Horizon(int h) {
  ForecastOptions o;
  o.horizon = h;
  return o;
}

// Series 1, 2, ..., 100; request i is the window [i, i + 10) with horizon 5.
std::vector<double> Series() {
  std::vector<double> s(100);
  std::iota(s.begin(), s.end(), 1.0);
  return s;
}
std::vector<FitRequest> Requests(size_t count) {
  std::vector<FitRequest> r;
  for (size_t i = 0; i < count; ++i) r.push_back({i, i + 10, Horizon(5)});
  return r;
}
std::vector<double> WindowOf(const std::vector<double>& s, const FitRequest& r) {
  return std::vector<double>(s.begin() + r.begin, s.begin() + r.end);
}

TEST(PrefetchingFitterTest, PredictedRequestsAreServedInOrderEachFittedOnce) {
  const std::vector<double> series = Series();
  const std::vector<FitRequest> requests = Requests(40);
  for (unsigned threads : {1u, 2u, 4u}) {
    EncodingFit fit;
    // Fits that take a while, so several are in flight and finish in any order.
    fit.delay = std::chrono::milliseconds(2);
    PrefetchingFitter prefetcher(series, requests, fit.Function(), threads, /*max_ahead=*/8);
    for (const FitRequest& r : requests) {
      const std::vector<double> history = WindowOf(series, r);
      Result<Forecast> got = prefetcher.Fit(history, r.options);
      ASSERT_TRUE(got.ok());
      EXPECT_EQ(Code(got), std::accumulate(history.begin(), history.end(), 0.0) + 5)
          << "request " << r.begin << ", threads " << threads;
    }
    EXPECT_EQ(prefetcher.served(), requests.size());
    EXPECT_EQ(prefetcher.fitted_inline(), 0u);
    EXPECT_EQ(fit.calls.load(), static_cast<int>(requests.size())) << "threads " << threads;
  }
}

TEST(PrefetchingFitterTest, UnpredictedRequestIsFittedInlineAndTheListResumes) {
  const std::vector<double> series = Series();
  const std::vector<FitRequest> requests = Requests(6);
  EncodingFit fit;
  PrefetchingFitter prefetcher(series, requests, fit.Function(), 2);

  ASSERT_EQ(Code(prefetcher.Fit(WindowOf(series, requests[0]), Horizon(5))), 55 + 5);
  // Same history, another horizon: not the predicted request.
  const int before = fit.calls_on_replay_thread.load();
  Result<Forecast> other = prefetcher.Fit(WindowOf(series, requests[1]), Horizon(7));
  EXPECT_EQ(Code(other), 65 + 7);
  EXPECT_EQ(fit.calls_on_replay_thread.load(), before + 1) << "fitted inline, on the caller";
  // Same length and options, one value different (as after a gap): not predicted either.
  std::vector<double> changed = WindowOf(series, requests[1]);
  changed[3] = std::nan("");
  EXPECT_TRUE(std::isnan(Code(prefetcher.Fit(changed, Horizon(5)))));
  EXPECT_EQ(prefetcher.fitted_inline(), 2u);
  // The predicted request after the misses is still served from the list.
  EXPECT_EQ(Code(prefetcher.Fit(WindowOf(series, requests[1]), Horizon(5))), 65 + 5);
  EXPECT_EQ(prefetcher.served(), 2u);
}

TEST(PrefetchingFitterTest, RequestsTheReplaySkipsAreDropped) {
  const std::vector<double> series = Series();
  const std::vector<FitRequest> requests = Requests(10);
  EncodingFit fit;
  PrefetchingFitter prefetcher(series, requests, fit.Function(), 2);
  EXPECT_EQ(Code(prefetcher.Fit(WindowOf(series, requests[0]), Horizon(5))), 55 + 5);
  // The replay goes on with request 3: 1 and 2 are never asked for.
  EXPECT_EQ(Code(prefetcher.Fit(WindowOf(series, requests[3]), Horizon(5))), 85 + 5);
  EXPECT_EQ(Code(prefetcher.Fit(WindowOf(series, requests[4]), Horizon(5))), 95 + 5);
  EXPECT_EQ(prefetcher.served(), 3u);
  // An earlier request than the last one served is no longer in the list.
  EXPECT_EQ(Code(prefetcher.Fit(WindowOf(series, requests[2]), Horizon(5))), 75 + 5);
  EXPECT_EQ(prefetcher.fitted_inline(), 1u);
}

TEST(PrefetchingFitterTest, ComputesAtMostMaxAheadBeyondTheReplay) {
  const std::vector<double> series = Series();
  EncodingFit fit;
  PrefetchingFitter prefetcher(series, Requests(50), fit.Function(), 4, /*max_ahead=*/3);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (fit.calls.load() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // The workers had time to run further if they were allowed to.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(fit.calls.load(), 3);
}

}  // namespace
}  // namespace foresight::backtest
