// RunBacktest gives the same result, bit for bit, whether its fits run one by one on the
// replay's thread or ahead of it on worker threads (PrefetchingFitter).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <vector>

#include "backtest/backtest.h"
#include "operator/autoscaler_spec.h"

namespace foresight::backtest {
namespace {

// 12 hours at 1 minute: a 3-hour cycle, a step up after 7 hours, deterministic noise.
policies::LoadTrace SyntheticTrace() {
  policies::LoadTrace t;
  t.t0 = 1'700'000'000;
  t.step_seconds = 60;
  unsigned state = 12345;
  for (int i = 0; i < 12 * 60; ++i) {
    state = state * 1103515245u + 12345u;
    const double noise = static_cast<double>((state >> 16) % 1000) / 1000.0 - 0.5;
    const double cycle = std::sin(2 * std::numbers::pi * i / 180.0);
    t.values.push_back(std::max(0.0, 20 + 8 * cycle + (i > 7 * 60 ? 10 : 0) + 3 * noise));
  }
  return t;
}

// Refits every 10 minutes on the last 4 hours, so the replay asks for 60-odd fits of "auto".
op::AutoscalerSpec Spec() {
  const nlohmann::json spec = {
      {"scaleTargetRef", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "web"}}},
      {"minReplicas", 1},
      {"maxReplicas", 100},
      {"metric", {{"query", "load"}, {"targetPerReplica", 2.0}}},
      {"forecast", {{"history", "4h"}, {"refitInterval", "10m"}, {"model", "auto"}}}};
  op::ParsedSpec parsed = op::ParseAutoscalerSpec(spec);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.ErrorSummary();
  return parsed.spec;
}

TEST(BacktestThreadsTest, WorkerThreadsGiveTheSingleThreadedResult) {
  const policies::LoadTrace trace = SyntheticTrace();
  BacktestOptions options;
  options.run_hpa = false;
  options.threads = 1;
  auto sequential = RunBacktest(trace, Spec(), options);
  ASSERT_TRUE(sequential.ok()) << sequential.error();
  ASSERT_GT(sequential->fits, 50);
  ASSERT_TRUE(sequential->foresight);

  for (unsigned threads : {2u, 3u}) {
    options.threads = threads;
    auto parallel = RunBacktest(trace, Spec(), options);
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
