// The replay pod model and metrics on traces small enough to work out by hand. The full
// equivalence with score.py on real traces is score_equivalence_test.py.
#include "policies/simulator.h"

#include <gtest/gtest.h>

#include <numeric>

namespace foresight::policies {
namespace {

// t0 = 1000, 1-min samples of 10, 30, 5 req/s; C = 10 req/s per replica; D = 60 s.
LoadTrace Small() { return LoadTrace{1000, 60, {10, 30, 5}}; }

TEST(PodSetTest, ReplicaSetRankingRemovesStartingNewestThenRecentlyReady) {
  PodSet pods(2);               // two pods ready "long ago"
  pods.SetRequested(0, 5, 60);  // +3 starting, ready at 60
  pods.Advance(60);
  EXPECT_EQ(pods.ready(), 5);
  pods.SetRequested(70, 7, 60);  // +2 starting, ready at 130
  EXPECT_EQ(pods.starting(), 2);
  pods.SetRequested(80, 4, 60);  // -3: both starting pods, then one of those ready at 60
  EXPECT_EQ(pods.starting(), 0);
  EXPECT_EQ(pods.ready(), 4);
  EXPECT_EQ(pods.ReadySince(59), 2);  // only the initial two were ready at 59
  EXPECT_EQ(pods.ReadySince(60), 4);
}

TEST(SimulateTest, ScaleUpWaitsForDelayScaleDownIsImmediate) {
  // Request 1 at t0, 3 at t0+30, 1 at t0+90.
  std::vector<RequestRow> rows = {{1000, 1}, {1030, 3}, {1090, 1}};
  Replay r = Simulate(Small(), rows, 60);
  // Requested: 1 on [0,30), 3 on [30,90), 1 on [90,180).
  EXPECT_EQ(r.requested[29], 1);
  EXPECT_EQ(r.requested[30], 3);
  EXPECT_EQ(r.requested[90], 1);
  // The two pods asked for at 30 would be ready at 90, exactly when they are removed again:
  // ready stays 1 throughout.
  EXPECT_EQ(std::accumulate(r.ready.begin(), r.ready.end(), 0), 180);
  EXPECT_EQ(r.actions, 2);
  EXPECT_EQ(r.max_step, 2);

  Metrics m = ComputeMetrics(Small(), r, 10.0);
  // Shortfall 30 - 10 = 20 req/s over the whole second minute only.
  EXPECT_EQ(m.minutes, 3);
  EXPECT_EQ(m.under_provisioned_minutes, 1);
  EXPECT_DOUBLE_EQ(m.unserved_fraction, 1200.0 / 2700.0);  // 20*60 / (10+30+5)*60
  EXPECT_DOUBLE_EQ(m.replica_hours, 300.0 / 3600);         // 30*1 + 60*3 + 90*1 pod-seconds
  EXPECT_DOUBLE_EQ(m.ready_replica_hours, 180.0 / 3600);
  EXPECT_EQ(m.peak_requested, 3);
  EXPECT_DOUBLE_EQ(m.mean_utilisation, 1500.0 / 1800);  // min(load, 10) / 10 each second
}

TEST(SimulateTest, RowRules) {
  struct Case {
    const char* why;
    std::vector<RequestRow> rows;
    int second;
    int want_requested;
    int64_t want_clamped;
  } cases[] = {
      // The last row at or before t0 is in force at t0.
      {"last row before t0", {{900, 7}, {990, 2}, {1100, 4}}, 0, 2, 0},
      // All rows later: the first is assumed in force from t0.
      {"all rows later", {{1050, 6}, {1100, 4}}, 0, 6, 0},
      // A fractional time takes effect at the next whole second: 1030.2 -> second 31.
      {"fractional time", {{1000, 1}, {1030.2, 5}}, 30, 1, 0},
      {"fractional time (after)", {{1000, 1}, {1030.2, 5}}, 31, 5, 0},
      // Two rows in one second: the last wins.
      {"same second", {{1000, 1}, {1040.1, 5}, {1040.6, 8}}, 41, 8, 0},
      // Python round(): half to even, 2.5 -> 2, 3.5 -> 4; clamps to [1, 1000] are counted.
      {"half to even", {{1000, 2.5}}, 0, 2, 0},
      {"half to even (odd)", {{1000, 3.5}}, 0, 4, 0},
      {"clamped low", {{1000, 1}, {1010, -4}}, 10, 1, 1},
      {"clamped high", {{1000, 1}, {1010, 5000}}, 10, 1000, 1},
  };
  for (const Case& c : cases) {
    Replay r = Simulate(Small(), c.rows, 60);
    EXPECT_EQ(r.requested[static_cast<size_t>(c.second)], c.want_requested) << c.why;
    EXPECT_EQ(r.clamped, c.want_clamped) << c.why;
  }
}

TEST(SimulateTest, OtherBoundsClampLikeScorePys) {
  // Risk tuning replays within an autoscaler's own minReplicas and maxReplicas.
  const std::vector<RequestRow> rows = {{1000, 1}, {1010, 5000}, {1020, 2}};
  const Replay r = Simulate(Small(), rows, 60, {3, 2000});
  EXPECT_EQ(r.requested[0], 3);
  EXPECT_EQ(r.requested[10], 2000);
  EXPECT_EQ(r.requested[20], 3);
  EXPECT_EQ(r.clamped, 3);
}

TEST(OracleTest, WindowedMaxOverIntervalPlusDelay) {
  // need per minute = ceil(load / 10) = 1, 3, 1. Windows [s, s + 120):
  // s=0: max(1, 3) = 3; s=60: max(3, 1) = 3 (unchanged, no row); s=120: 1 (padded with 1).
  std::vector<RequestRow> rows = OraclePolicy(Small(), 10.0, 60);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].time, 1000);
  EXPECT_EQ(rows[0].replicas, 3);
  EXPECT_EQ(rows[1].time, 1120);
  EXPECT_EQ(rows[1].replicas, 1);
  // 3 pods for 120 s, then 1 for 60 s.
  EXPECT_DOUBLE_EQ(OracleReplicaHours(Small(), 10.0, 60), 420.0 / 3600);
  // Literal rule: need at s + D: need(60) = 3, need(120) = 1, need(179) = 1.
  std::vector<RequestRow> lit = OraclePolicy(Small(), 10.0, 60, 60, true);
  ASSERT_EQ(lit.size(), 3u);
  EXPECT_EQ(lit[0].replicas, 3);
  EXPECT_EQ(lit[1].replicas, 1);
  // The oracle never under-provisions on its own trace.
  Metrics m = Score(Small(), rows, 10.0, 60);
  EXPECT_EQ(m.under_provisioned_minutes, 0);
  EXPECT_DOUBLE_EQ(m.overprov_ratio, 1.0);
}

TEST(NumpySumTest, MatchesNumpyPairwiseSummation) {
  // Values printed by numpy 1.24: np.sum([0.1]*10) == 1.0 (plain left-to-right gives
  // 0.9999999999999999); np.sum(np.arange(20000) * 0.1) == 19999000.0 (left-to-right:
  // 19998999.999999996).
  std::vector<double> tenth(10, 0.1);
  EXPECT_EQ(NumpySum(tenth), 1.0);
  std::vector<double> ramp(20000);
  for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<double>(i) * 0.1;
  EXPECT_EQ(NumpySum(ramp), 19999000.0);
}

}  // namespace
}  // namespace foresight::policies
