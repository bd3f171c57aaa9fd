// spec.forecast.riskTuning in the backtest: the replay runs the operator's tuner, which
// chooses from the past only, and reports its choices.
#include <gtest/gtest.h>

#include "backtest/backtest.h"
#include "backtest/summary_table.h"
#include "tests/backtest/synthetic_backtest.h"

namespace foresight::backtest {
namespace {

TEST(BacktestRiskTuningTest, ChoosesEveryIntervalOnceAWindowIsRecorded) {
  BacktestOptions options;
  options.sweep_marginal_risk = {0.07};
  auto r = RunBacktest(
      SyntheticTrace(),
      SyntheticSpec({{"forecast", {{"riskTuning", {{"window", "2h"}, {"interval", "3h"}}}}}}),
      options);
  ASSERT_TRUE(r.ok()) << r.error();
  // 12 hours: choices at 2h, 5h, 8h and 11h after the first decision.
  ASSERT_EQ(r->risk_choices.size(), 4u);
  EXPECT_DOUBLE_EQ(r->risk_choices[0].time, SyntheticTrace().t0 + 2 * 3600);
  EXPECT_DOUBLE_EQ(r->risk_choices[1].time, SyntheticTrace().t0 + 5 * 3600);
  for (const auto& c : r->risk_choices) {
    EXPECT_GT(c.choice.hpa_overloaded_minutes, 0) << c.choice.message;
    if (c.choice.met) {
      EXPECT_LE(c.choice.overloaded_minutes, 0.25 * c.choice.hpa_overloaded_minutes)
          << c.choice.message;
    }
    EXPECT_NE(c.choice.message.find("over the last 2h"), std::string::npos) << c.choice.message;
    // The config leaves the scale-down window unset: each choice picks it too.
    const int64_t window = c.choice.scale_down_window.count();
    EXPECT_TRUE(window == 300 || window == 60) << c.choice.message;
  }
  const std::string table = SummaryTable(*r);
  EXPECT_NE(table.find("marginalRisk tuned 4 times"), std::string::npos) << table;
  EXPECT_NE(table.find("; scale-down window "), std::string::npos) << table;
  // The sweep replays the fixed risk, not the tuned one: at the configured 0.07 it equals a
  // run with tuning off.
  auto fixed = RunBacktest(
      SyntheticTrace(), SyntheticSpec({{"forecast", {{"riskTuning", {{"enabled", false}}}}}}), {});
  ASSERT_TRUE(fixed.ok()) << fixed.error();
  EXPECT_TRUE(fixed->risk_choices.empty());
  EXPECT_EQ(r->sweep.at(0).metrics.replica_hours, fixed->foresight->metrics.replica_hours);
  EXPECT_EQ(r->sweep.at(0).metrics.under_provisioned_minutes,
            fixed->foresight->metrics.under_provisioned_minutes);
}

TEST(BacktestRiskTuningTest, AScaleDownWindowInTheConfigIsKept) {
  auto r = RunBacktest(
      SyntheticTrace(),
      SyntheticSpec({{"forecast", {{"riskTuning", {{"window", "2h"}, {"interval", "3h"}}}}},
                     {"behavior", {{"scaleDown", {{"stabilizationWindowSeconds", 120}}}}}}),
      {});
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_FALSE(r->risk_choices.empty());
  for (const auto& c : r->risk_choices) {
    EXPECT_EQ(c.choice.scale_down_window.count(), 120) << c.choice.message;
  }
  EXPECT_EQ(SummaryTable(*r).find("scale-down"), std::string::npos) << SummaryTable(*r);
}

TEST(BacktestRiskTuningTest, QuantileSizingIsNotTuned) {
  auto r = RunBacktest(SyntheticTrace(),
                       SyntheticSpec({{"forecast",
                                       {{"sizing", "Quantile"},
                                        {"riskTuning", {{"window", "2h"}, {"interval", "3h"}}}}}}),
                       {});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->risk_choices.empty());
  EXPECT_EQ(SummaryTable(*r).find("marginalRisk tuned"), std::string::npos);
}

}  // namespace
}  // namespace foresight::backtest
