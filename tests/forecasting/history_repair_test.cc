#include "forecasting/history_repair.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace foresight::forecasting {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(HistoryRepairTest, InterpolatesInteriorGapsAndCarriesTheTail) {
  auto r = RepairHistory({kNaN, 1.0, kNaN, kNaN, 4.0, kNaN});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->leading_dropped, 1);
  EXPECT_EQ(r->gaps_filled, 3);
  // 1, (2), (3), 4, then the trailing gap repeats 4.
  EXPECT_EQ(r->values, (std::vector<double>{1.0, 2.0, 3.0, 4.0, 4.0}));
}

TEST(HistoryRepairTest, ReplacesIsolatedSpikeButNotTheNewestPoints) {
  std::vector<double> y;
  for (int t = 0; t < 60; ++t) y.push_back(100.0 + (t % 3));
  y[20] = 5000.0;  // an isolated spike long ago: replaced
  y[58] = 5000.0;  // in the protected tail: kept, it may be a real surge
  auto r = RepairHistory(y);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outliers_replaced, 1);
  EXPECT_LT(r->values[20], 110.0);
  EXPECT_EQ(r->values[58], 5000.0);
}

TEST(HistoryRepairTest, KeepsSustainedLevelShifts) {
  std::vector<double> y(40, 10.0);
  for (int t = 20; t < 40; ++t) y[t] = 500.0 + (t % 2);
  for (int t = 0; t < 20; ++t) y[t] += (t % 2);
  auto r = RepairHistory(y);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outliers_replaced, 0);
}

TEST(HistoryRepairTest, NoFiniteValueIsAnError) {
  auto r = RepairHistory({kNaN, std::numeric_limits<double>::infinity()});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("no finite value"), std::string::npos);
}

}  // namespace
}  // namespace foresight::forecasting
