#include "operator/inverse_error_weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace foresight::op {
namespace {

struct Outcome {
  double actual, first, second;
};

struct Case {
  const char* name;
  std::vector<Outcome> outcomes;
  double first_weight;
};

TEST(InverseErrorWeightsTest, WeightsAreInverseMeanSquaredErrors) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const Case cases[] = {
      {"nothing scored: all on the first", {}, 1.0},
      {"fewer than min_scored: all on the first", {{10, 20, 10}, {10, 20, 10}}, 1.0},
      {"equally good", {{10, 11, 9}, {10, 9, 11}, {10, 12, 8}}, 0.5},
      // Squared errors 4 against 1: weights 1/4 : 1 = 0.2 : 0.8.
      {"first twice as far off", {{10, 12, 11}, {10, 8, 9}, {10, 12, 9}}, 0.2},
      {"second exact, first not", {{10, 12, 10}, {10, 8, 10}, {10, 11, 10}}, 0.0},
      {"both exact", {{10, 10, 10}, {10, 10, 10}, {10, 10, 10}}, 0.5},
      {"non-finite outcomes do not count",
       {{10, 12, 11}, {kNaN, 1, 1}, {10, 8, 9}, {10, kNaN, 9}, {10, 12, 9}},
       0.2},
  };
  for (const Case& c : cases) {
    InverseErrorWeights w(/*window=*/10, /*min_scored=*/3);
    for (const Outcome& o : c.outcomes) w.Score(o.actual, o.first, o.second);
    EXPECT_NEAR(w.FirstWeight(), c.first_weight, 1e-12) << c.name;
  }
}

TEST(InverseErrorWeightsTest, OnlyTheWindowCounts) {
  InverseErrorWeights w(/*window=*/4, /*min_scored=*/2);
  for (int i = 0; i < 4; ++i) w.Score(10, 13, 10);  // the second exact: weight 0
  EXPECT_EQ(w.FirstWeight(), 0.0);
  for (int i = 0; i < 3; ++i) w.Score(10, 10, 12);  // now the first is exact, 3 of 4 in the window
  // Window: one (9, 0) and three (0, 4): sums 9 and 12, weight 12 / 21.
  EXPECT_NEAR(w.FirstWeight(), 12.0 / 21.0, 1e-12);
  w.Score(10, 10, 12);
  EXPECT_EQ(w.FirstWeight(), 1.0) << "the old outcome left the window";
  EXPECT_EQ(w.scored(), 4u);
}

}  // namespace
}  // namespace foresight::op
