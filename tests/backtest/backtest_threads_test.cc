// RunBacktest gives the same result, bit for bit, whether its fits run one by one on the
// replay's thread or ahead of it on worker threads (PrefetchingFitter).
#include <gtest/gtest.h>

#include <vector>

#include "backtest/backtest.h"
#include "tests/backtest/synthetic_backtest.h"

namespace foresight::backtest {
namespace {

TEST(BacktestThreadsTest, WorkerThreadsGiveTheSingleThreadedResult) {
  const policies::LoadTrace trace = SyntheticTrace();
  BacktestOptions options;
  options.run_hpa = false;
  options.threads = 1;
  auto sequential = RunBacktest(trace, SyntheticSpec(), options);
  ASSERT_TRUE(sequential.ok()) << sequential.error();
  ASSERT_GT(sequential->fits, 50);
  ASSERT_TRUE(sequential->foresight);

  for (unsigned threads : {2u, 3u}) {
    options.threads = threads;
    auto parallel = RunBacktest(trace, SyntheticSpec(), options);
    ASSERT_TRUE(parallel.ok()) << parallel.error();
    ASSERT_TRUE(parallel->foresight);
    const PolicyOutcome& a = *sequential->foresight;
    const PolicyOutcome& b = *parallel->foresight;
    ASSERT_EQ(a.decisions.size(), b.decisions.size()) << "threads " << threads;
    for (size_t i = 0; i < a.decisions.size(); ++i) {
      EXPECT_EQ(a.decisions[i].time, b.decisions[i].time) << i;
      EXPECT_EQ(a.decisions[i].replicas, b.decisions[i].replicas) << i;
    }
    EXPECT_EQ(a.metrics.under_provisioned_minutes, b.metrics.under_provisioned_minutes);
    EXPECT_EQ(a.metrics.replica_hours, b.metrics.replica_hours);
    EXPECT_EQ(a.metrics.actions, b.metrics.actions);
    EXPECT_EQ(sequential->reasons, parallel->reasons);
    EXPECT_EQ(sequential->fits, parallel->fits);
    EXPECT_EQ(sequential->fits_prefetched, 0);
    EXPECT_EQ(parallel->fits_prefetched, parallel->fits) << "every fit was predicted";
    EXPECT_EQ(sequential->models, parallel->models);
    EXPECT_EQ(sequential->accuracy.scored, parallel->accuracy.scored);
    EXPECT_EQ(sequential->accuracy.mape, parallel->accuracy.mape);
    EXPECT_EQ(sequential->accuracy.mase, parallel->accuracy.mase);
    ASSERT_EQ(sequential->forecasts.size(), parallel->forecasts.size());
    for (size_t i = 0; i < sequential->forecasts.size(); ++i) {
      const op::PathPoint& p = sequential->forecasts[i].at_lead;
      const op::PathPoint& q = parallel->forecasts[i].at_lead;
      ASSERT_EQ(sequential->forecasts[i].time, parallel->forecasts[i].time) << i;
      EXPECT_EQ(p.mean, q.mean) << i;
      EXPECT_EQ(p.quantile, q.quantile) << i;
      EXPECT_EQ(p.lower, q.lower) << i;
      EXPECT_EQ(p.upper, q.upper) << i;
    }
  }
}

}  // namespace
}  // namespace foresight::backtest
