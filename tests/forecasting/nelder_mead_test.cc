#include "forecasting/nelder_mead.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace foresight::forecasting {
namespace {

TEST(NelderMeadTest, FindsRosenbrockMinimum) {
  auto rosenbrock = [](const std::vector<double>& x) {
    return 100 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1 - x[0], 2);
  };
  NelderMeadResult r = NelderMeadMinimize(rosenbrock, {-1.2, 1.0},
                                          {.max_iterations = 5000, .relative_tolerance = 1e-14});
  EXPECT_NEAR(r.x[0], 1.0, 1e-3);
  EXPECT_NEAR(r.x[1], 1.0, 2e-3);
}

TEST(NelderMeadTest, InfiniteObjectiveActsAsConstraint) {
  // Minimise (x-2)^2 subject to x <= 1: the answer sits on the boundary.
  auto f = [](const std::vector<double>& x) {
    return x[0] > 1.0 ? std::numeric_limits<double>::infinity() : (x[0] - 2) * (x[0] - 2);
  };
  NelderMeadResult r = NelderMeadMinimize(f, {0.0}, {.relative_tolerance = 1e-12});
  EXPECT_LE(r.x[0], 1.0);
  EXPECT_NEAR(r.x[0], 1.0, 1e-3);
}

}  // namespace
}  // namespace foresight::forecasting
