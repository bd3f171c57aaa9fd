// Decide() replayed over a trace through the pod model and scored like score.py.
#include "policies/decide_replay.h"

#include <gtest/gtest.h>

#include "policies/hpa_replay.h"

namespace foresight::policies {
namespace {

using std::chrono::seconds;

// A quiet hour at 20 req/s, a 20x flash crowd (400 req/s) for 10 minutes, quiet again.
// C = 10 req/s per replica, pods ready 60 s after the request.
LoadTrace FlashCrowd() {
  LoadTrace t{1'000'000, 60, {}};
  for (int m = 0; m < 180; ++m) t.values.push_back(m >= 60 && m < 70 ? 400.0 : 20.0);
  return t;
}

PolicySpec Spec() {
  PolicySpec s;
  s.min_replicas = 1;
  s.max_replicas = 100;
  s.target_per_replica = 10;
  // The default rate limit needs 4 syncs (2 -> 6 -> 12 -> 24 -> 40, 45 s) on top of the 60 s
  // start-up, so look 120 + 30 s ahead.
  s.forecast.pod_startup = seconds{120};
  return s;
}

TEST(ReplayDecideTest, PerfectForecastBeatsTheHpaOnAFlashCrowd) {
  const LoadTrace trace = FlashCrowd();
  // A perfect forecast (it reads the future of the trace: a test oracle, not a forecaster).
  ForecastProvider perfect = [&](const SyncView& v) {
    std::vector<ForecastPoint> f;
    for (int64_t o = 0; o <= 300; o += 15) {
      const int64_t s = std::min(v.second + o, trace.horizon_seconds() - 1);
      f.push_back({seconds{o}, trace.LoadAtSecond(s), trace.LoadAtSecond(s)});
    }
    return f;
  };
  DecideReplayResult ours = ReplayDecide(trace, 60, Spec(), perfect);
  Metrics m = Score(trace, ours.decisions, 10.0, 60);
  // At 3450 s the forecast at +150 s sees the crowd: 400 / 10 = 40 replicas, reached by 3495
  // through the rate limit and ready by 3555, before the crowd at 3600: nothing unserved.
  EXPECT_EQ(m.under_provisioned_minutes, 0);
  EXPECT_GT(ours.reason_counts[Reason::kScaleUpPredicted], 0);

  // The HPA baseline sees the crowd 30 s late and then waits for start-up and rate limits.
  Metrics hpa = Score(trace, ReplayHpa(trace, 10.0, 60).decisions, 10.0, 60);
  EXPECT_GE(hpa.under_provisioned_minutes, 2);
  EXPECT_GT(hpa.unserved_fraction, m.unserved_fraction);
}

TEST(ReplayDecideTest, WithoutForecastItIsReactiveAndSaysSo) {
  const LoadTrace trace = FlashCrowd();
  DecideReplayResult r = ReplayDecide(trace, 60, Spec(), nullptr);
  EXPECT_GT(r.reason_counts[Reason::kColdStartReactiveOnly], 0);
  EXPECT_EQ(r.reason_counts[Reason::kScaleUpPredicted], 0);
  // Starts at ceil(20 / 10) = 2 and reacts to the crowd only once it is observed (3630 s).
  EXPECT_EQ(r.decisions[0].replicas, 2);
  ASSERT_GE(r.decisions.size(), 2u);
  EXPECT_EQ(r.decisions[1].time, 1'000'000 + 3630);
}

}  // namespace
}  // namespace foresight::policies
