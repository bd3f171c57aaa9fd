#include "bench/m4/harness.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "bench/m4/baselines.h"
#include "bench/m4/score.h"

namespace foresight::bench::m4 {
namespace {

constexpr int kM = 24;
constexpr int kHorizon = 48;

// Series i: a daily cycle on level 100 + i, with a 3-day held-out window so
// the seasonal naive is exact.
std::vector<Holdout> CyclicSeries(int count) {
  std::vector<Holdout> out;
  for (int i = 0; i < count; ++i) {
    Series s{"S" + std::to_string(i), {}};
    for (int t = 0; t < 5 * kM; ++t) s.values.push_back(100 + i + (t % kM));
    out.push_back(HoldOut(s, kHorizon));
  }
  return out;
}

Forecaster SeasonalNaiveForecaster() {
  return [](const std::vector<double>& history, int horizon) {
    return ForecasterOutput{SeasonalNaive(history, kM, horizon), "SNAIVE"};
  };
}

TEST(RunForecasterTest, ResultsAlignedWithInputOnSeveralThreads) {
  const std::vector<Holdout> data = CyclicSeries(9);
  for (int threads : {1, 2, 4}) {
    const BatchRun batch = RunForecaster(data, kHorizon, SeasonalNaiveForecaster(), threads);
    ASSERT_EQ(batch.series.size(), data.size());
    for (size_t i = 0; i < data.size(); ++i) {
      EXPECT_EQ(batch.series[i].forecast, data[i].outsample) << "threads " << threads << " i " << i;
      EXPECT_EQ(batch.series[i].model, "SNAIVE");
      EXPECT_TRUE(batch.series[i].error.empty());
      EXPECT_GE(batch.series[i].wall_seconds, 0);
      EXPECT_GE(batch.series[i].cpu_seconds, 0);
    }
    EXPECT_GE(batch.wall_seconds, 0);
  }
}

struct FailureCase {
  const char* name;
  Forecaster forecaster;
  const char* error_prefix;
};

TEST(RunForecasterTest, FailuresAreRecordedNotThrown) {
  const FailureCase cases[] = {
      {"throws",
       [](const std::vector<double>&, int) -> ForecasterOutput {
         throw std::runtime_error("boom");
       },
       "threw: boom"},
      {"short",
       [](const std::vector<double>&, int) {
         return ForecasterOutput{{1.0}, "x"};
       },
       "returned 1 values"},
      {"nan",
       [](const std::vector<double>&, int h) {
         return ForecasterOutput{std::vector<double>(h, std::numeric_limits<double>::quiet_NaN()),
                                 "x"};
       },
       "non-finite forecast"},
  };
  const std::vector<Holdout> data = CyclicSeries(2);
  for (const FailureCase& c : cases) {
    const BatchRun batch = RunForecaster(data, kHorizon, c.forecaster, 2);
    for (const SeriesRun& run : batch.series) EXPECT_EQ(run.error, c.error_prefix) << c.name;
    // Scoring substitutes Naive2 and flags the series.
    const MethodOutcomes outcomes = FromBatch(data, {0, 1}, batch, kM, kHorizon);
    EXPECT_TRUE(outcomes[0].failed) << c.name;
    EXPECT_TRUE(outcomes[1].present) << c.name;
  }
}

}  // namespace
}  // namespace foresight::bench::m4
