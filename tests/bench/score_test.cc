#include "bench/m4/score.h"

#include <gtest/gtest.h>

namespace foresight::bench::m4 {
namespace {

Outcome Scored(double smape, double mase, double wall) {
  Outcome o;
  o.present = true;
  o.smape = smape;
  o.mase = mase;
  o.wall_seconds = wall;
  return o;
}

TEST(SummarizeTest, OwaOnTotalsNotPerSeries) {
  // Two series. The method: sMAPE 10 and 30 (mean 20), MASE 1 and 3 (mean 2).
  // Naive2: sMAPE 40 and 40 (mean 40), MASE 1 and 7 (mean 4).
  // OWA on totals: (20/40 + 2/4)/2 = 0.5. (Averaging per-series OWAs instead
  // would give ((10/40 + 1/1)/2 + (30/40 + 3/7)/2)/2 = 0.607: M4 does not.)
  const MethodOutcomes method = {Scored(10, 1, 0.5), Scored(30, 3, 1.5), Outcome{}};
  const MethodOutcomes naive2 = {Scored(40, 1, 0), Scored(40, 7, 0), Scored(1, 1, 0)};
  const Summary s = Summarize(method, naive2, {0, 1});
  EXPECT_EQ(s.series, 2);
  EXPECT_DOUBLE_EQ(s.totals.smape, 20);
  EXPECT_DOUBLE_EQ(s.totals.mase, 2);
  EXPECT_DOUBLE_EQ(s.owa, 0.5);
  EXPECT_DOUBLE_EQ(s.mean_wall_seconds, 1.0);
  EXPECT_LT(s.mean_cpu_seconds, 0);  // not measured (as for R)
}

TEST(FromRCacheTest, MatchesById) {
  const std::vector<Holdout> data = {{"H1", {1, 2, 3}, {4}}, {"H2", {1, 2, 3}, {4}}};
  const std::map<std::string, RForecast> by_series = {
      {"H2", {.mean = {4.0}, .seconds = 12.5, .model = "ETS(A,N,N)"}}};
  const MethodOutcomes o = FromRCache(data, by_series, 1);
  EXPECT_FALSE(o[0].present);
  ASSERT_TRUE(o[1].present);
  EXPECT_DOUBLE_EQ(o[1].smape, 0);
  EXPECT_DOUBLE_EQ(o[1].wall_seconds, 12.5);
  EXPECT_EQ(o[1].model, "ETS(A,N,N)");
}

}  // namespace
}  // namespace foresight::bench::m4
