// Median and RobustScale (1.4826 x the median absolute deviation from the median).
#include "forecasting/robust_scale.h"

#include <gtest/gtest.h>

#include <vector>

namespace foresight::forecasting {
namespace {

TEST(RobustScaleTest, Median) {
  struct Case {
    std::vector<double> values;
    double want;
  } cases[] = {
      {{7}, 7},
      {{3, 1, 2}, 2},
      {{4, 1, 3, 2}, 2.5},  // even count: the mean of the two middle values
      {{5, 5, 5, 5}, 5},
      {{-1, 1000, 0}, 0},
  };
  for (const Case& c : cases) EXPECT_DOUBLE_EQ(Median(c.values), c.want) << c.values.size();
}

TEST(RobustScaleTest, IsTheScaledMedianAbsoluteDeviation) {
  struct Case {
    std::vector<double> values;
    double want;
    const char* why;
  } cases[] = {
      {{}, 0, "no values"},
      {{5}, 0, "one value has no spread"},
      {{4, 4, 4}, 0, "constant"},
      {{1, 2, 3, 4, 5}, 1.4826, "deviations 2 1 0 1 2: median 1"},
      {{1, 2, 3, 4}, 1.4826, "median 2.5, deviations 1.5 0.5 0.5 1.5: median 1"},
      {{1, 2, 3, 4, 1000}, 1.4826, "a spike does not move it"},
      {{-2, 0, 2, -4, 4}, 2 * 1.4826, "centred on the median, whatever the sign"},
      {{10, 12, 14, 16, 18}, 2 * 1.4826, "the level does not matter"},
  };
  for (const Case& c : cases) EXPECT_NEAR(RobustScale(c.values), c.want, 1e-12) << c.why;
}

}  // namespace
}  // namespace foresight::forecasting
