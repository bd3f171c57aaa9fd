#include "operator/recent_load.h"

#include <gtest/gtest.h>

#include <cmath>

namespace foresight::op {
namespace {

RangeSeries Series(std::vector<double> values) {
  RangeSeries s;
  const Timestamp t0{std::chrono::seconds(1'700'000'000)};
  for (size_t i = 0; i < values.size(); ++i) s.timestamps.push_back(t0 + std::chrono::minutes(i));
  s.values = std::move(values);
  return s;
}

TEST(RecentLoadTest, TheNewestStretchOnTheSeriesGrid) {
  auto trace =
      RecentLoad(Series({1, 2, 3, 4, 5}), std::chrono::seconds(60), std::chrono::minutes(3));
  ASSERT_TRUE(trace);
  EXPECT_EQ(trace->values, (std::vector<double>{3, 4, 5}));
  EXPECT_EQ(trace->step_seconds, 60);
  EXPECT_DOUBLE_EQ(trace->t0, 1'700'000'000 + 120);
}

TEST(RecentLoadTest, AGapHoldsTheValueBeforeItAndALeadingGapTheFirstValue) {
  std::vector<double> values;
  for (int i = 1; i <= 20; ++i) values.push_back(i);
  values[0] = values[10] = std::nan("");  // 2 of 20 missing: a tenth, still replayed
  auto trace = RecentLoad(Series(values), std::chrono::seconds(60), std::chrono::minutes(20));
  ASSERT_TRUE(trace);
  EXPECT_EQ(trace->values[0], 2);
  EXPECT_EQ(trace->values[10], 10);
  EXPECT_EQ(trace->values[11], 12);
}

TEST(RecentLoadTest, TooShortOrTooGappyIsRefused) {
  const double nan = std::nan("");
  EXPECT_FALSE(RecentLoad(Series({1, 2}), std::chrono::seconds(60), std::chrono::minutes(3)));
  EXPECT_FALSE(
      RecentLoad(Series({1, nan, nan, 4}), std::chrono::seconds(60), std::chrono::minutes(4)));
  EXPECT_FALSE(RecentLoad(Series({nan, nan}), std::chrono::seconds(60), std::chrono::minutes(2)));
}

}  // namespace
}  // namespace foresight::op
