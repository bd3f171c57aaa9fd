// `foresight backtest --sweep-risk` and `--oracle-level`: the sweep replays the policy on the
// forecasts of the main run at fixed risks, so at the configured marginalRisk it is that run
// with risk tuning off; the level oracle replaces the forecaster.
#include <gtest/gtest.h>

#include <vector>

#include "backtest/backtest.h"
#include "backtest/summary_table.h"
#include "tests/backtest/synthetic_backtest.h"

namespace foresight::backtest {
namespace {

const nlohmann::json kMarginal = {
    {"forecast",
     {{"sizing", "Marginal"}, {"marginalRisk", 0.1}, {"riskTuning", {{"enabled", false}}}}}};

void ExpectSameMetrics(const policies::Metrics& a, const policies::Metrics& b) {
  EXPECT_EQ(a.under_provisioned_minutes, b.under_provisioned_minutes);
  EXPECT_EQ(a.replica_hours, b.replica_hours);
  EXPECT_EQ(a.actions, b.actions);
  EXPECT_EQ(a.unserved_fraction, b.unserved_fraction);
}

TEST(BacktestSweepTest, TheConfiguredRiskReproducesTheMainReplay) {
  BacktestOptions options;
  options.sweep_marginal_risk = {0.02, 0.1, 0.4};
  auto r = RunBacktest(SyntheticTrace(), SyntheticSpec(kMarginal), options);
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_TRUE(r->foresight);
  ASSERT_EQ(r->sweep.size(), 3u);
  EXPECT_EQ(r->sweep[0].marginal_risk, 0.02);
  EXPECT_EQ(r->sweep[1].marginal_risk, 0.1);
  ExpectSameMetrics(r->sweep[1].metrics, r->foresight->metrics);
  // A lower risk buys more replicas and fewer overloads: the sweep is a trade-off curve.
  EXPECT_GT(r->sweep[0].metrics.replica_hours, r->sweep[2].metrics.replica_hours);
  EXPECT_LE(r->sweep[0].metrics.under_provisioned_minutes,
            r->sweep[2].metrics.under_provisioned_minutes);
  const std::string table = SummaryTable(*r);
  EXPECT_NE(table.find("marginalRisk sweep"), std::string::npos) << table;
  EXPECT_NE(table.find("\n0.4 "), std::string::npos) << table;
}

TEST(BacktestSweepTest, EachSweepValueIsTheRunWithThatRiskConfigured) {
  BacktestOptions options;
  options.run_hpa = false;
  options.sweep_marginal_risk = {0.3};
  auto swept = RunBacktest(SyntheticTrace(), SyntheticSpec(kMarginal), options);
  ASSERT_TRUE(swept.ok()) << swept.error();
  options.sweep_marginal_risk.clear();
  auto direct = RunBacktest(SyntheticTrace(),
                            SyntheticSpec({{"forecast",
                                            {{"sizing", "Marginal"},
                                             {"marginalRisk", 0.3},
                                             {"riskTuning", {{"enabled", false}}}}}}),
                            options);
  ASSERT_TRUE(direct.ok()) << direct.error();
  ExpectSameMetrics(swept->sweep.at(0).metrics, direct->foresight->metrics);
}

TEST(BacktestSweepTest, AWindowLeftToRiskTuningIsSweptAtEachWindowItChoosesFrom) {
  BacktestOptions options;
  options.run_hpa = false;
  options.sweep_marginal_risk = {0.05, 0.2};
  // Risk tuning on (the default) and behavior.scaleDown.stabilizationWindowSeconds unset.
  auto swept = RunBacktest(SyntheticTrace(),
                           SyntheticSpec({{"forecast", {{"sizing", "Marginal"}}}}), options);
  ASSERT_TRUE(swept.ok()) << swept.error();
  ASSERT_EQ(swept->sweep.size(), 4u);
  const std::vector<std::pair<double, int64_t>> expected = {
      {0.05, 300}, {0.2, 300}, {0.05, 60}, {0.2, 60}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(swept->sweep[i].marginal_risk, expected[i].first) << i;
    EXPECT_EQ(swept->sweep[i].scale_down_window.count(), expected[i].second) << i;
  }
  // Each row is the run with that risk and window configured and risk tuning off.
  options.sweep_marginal_risk.clear();
  auto direct = RunBacktest(
      SyntheticTrace(),
      SyntheticSpec(
          {{"forecast",
            {{"sizing", "Marginal"}, {"marginalRisk", 0.2}, {"riskTuning", {{"enabled", false}}}}},
           {"behavior", {{"scaleDown", {{"stabilizationWindowSeconds", 60}}}}}}),
      options);
  ASSERT_TRUE(direct.ok()) << direct.error();
  ExpectSameMetrics(swept->sweep[3].metrics, direct->foresight->metrics);
  const std::string table = SummaryTable(*swept);
  EXPECT_NE(table.find("60s\n"), std::string::npos) << table;
}

TEST(BacktestSweepTest, RefusesASweepItCannotApply) {
  BacktestOptions options;
  options.sweep_marginal_risk = {0.1};
  auto quantile =
      RunBacktest(SyntheticTrace(), SyntheticSpec({{"forecast", {{"sizing", "Quantile"}}}}), options);
  ASSERT_FALSE(quantile.ok());
  EXPECT_NE(quantile.error().find("sizing: Marginal"), std::string::npos) << quantile.error();
  options.sweep_marginal_risk = {0.1, 1.5};
  auto range = RunBacktest(SyntheticTrace(), SyntheticSpec(kMarginal), options);
  ASSERT_FALSE(range.ok());
  EXPECT_NE(range.error().find("--sweep-risk value 1.5 is not in (0, 1)"), std::string::npos)
      << range.error();
  options.sweep_marginal_risk = {0.1};
  options.run_foresight = false;
  auto hpa_only = RunBacktest(SyntheticTrace(), SyntheticSpec(kMarginal), options);
  ASSERT_FALSE(hpa_only.ok());
  EXPECT_NE(hpa_only.error().find("--policy hpa"), std::string::npos) << hpa_only.error();
}

TEST(BacktestOracleTest, TheLevelOracleReplacesTheForecaster) {
  BacktestOptions options;
  options.oracle_level = std::chrono::seconds(0);  // the exact load, no spread
  // Without the 10% dead band, which would hold back scale-ups the oracle sees coming.
  nlohmann::json spec = kMarginal;
  spec["metric"] = {{"tolerance", 0}};
  auto exact = RunBacktest(SyntheticTrace(), SyntheticSpec(spec), options);
  ASSERT_TRUE(exact.ok()) << exact.error();
  EXPECT_EQ(exact->fits, 0) << "no model is fitted";
  ASSERT_TRUE(exact->oracle_level);
  EXPECT_EQ(exact->oracle_spread, 0);
  ASSERT_TRUE(exact->foresight && exact->hpa);
  // Knowing the load ahead it is never caught out, at about the oracle's replica-hours.
  EXPECT_EQ(exact->foresight->metrics.under_provisioned_minutes, 0);
  EXPECT_GT(exact->hpa->metrics.under_provisioned_minutes, 100);
  EXPECT_LT(exact->foresight->metrics.overprov_ratio, 1.1);

  options.oracle_level = std::chrono::seconds(600);
  auto level = RunBacktest(SyntheticTrace(), SyntheticSpec(spec), options);
  ASSERT_TRUE(level.ok()) << level.error();
  EXPECT_GT(level->oracle_spread, 0.5) << "the noise around a 20-minute average";
  EXPECT_NE(SummaryTable(*level).find("level oracle"), std::string::npos);
}

}  // namespace
}  // namespace foresight::backtest
