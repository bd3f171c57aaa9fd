// The BFGS transcription of R's vmmin: converges on smooth problems, honours
// parameter scaling, reports non-finite starts instead of looping.
#include "forecasting/bfgs.h"

#include <cmath>

#include <gtest/gtest.h>

namespace foresight::forecasting {
namespace {

TEST(BfgsTest, MinimisesRosenbrock) {
  const Objective rosenbrock = [](const std::vector<double>& x) {
    return 100 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1 - x[0], 2);
  };
  BfgsOptions options;
  options.max_iterations = 1000;
  const BfgsResult r = BfgsMinimize(rosenbrock, {-1.2, 1.0}, options);
  EXPECT_FALSE(r.failed);
  EXPECT_NEAR(r.x[0], 1.0, 1e-3);
  EXPECT_NEAR(r.x[1], 1.0, 2e-3);
}

TEST(BfgsTest, ParscaleHandlesBadlyScaledParameters) {
  // Minimum at (3, 2e4): the second parameter lives on a scale 1e4 larger.
  const Objective f = [](const std::vector<double>& x) {
    return std::pow(x[0] - 3, 2) + std::pow((x[1] - 2e4) / 1e4, 2);
  };
  BfgsOptions options;
  options.parscale = {1.0, 1e4};
  const BfgsResult r = BfgsMinimize(f, {0.0, 0.0}, options);
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(r.x[0], 3.0, 1e-4);
  EXPECT_NEAR(r.x[1], 2e4, 1.0);
}

TEST(BfgsTest, NonFiniteStartFails) {
  const Objective f = [](const std::vector<double>&) { return NAN; };
  EXPECT_TRUE(BfgsMinimize(f, {1.0}).failed);
}

TEST(BfgsTest, HessianOfQuadratic) {
  // f = x^2 + 3xy + 5y^2 -> H = [[2, 3], [3, 10]].
  const Objective f = [](const std::vector<double>& v) {
    return v[0] * v[0] + 3 * v[0] * v[1] + 5 * v[1] * v[1];
  };
  Eigen::MatrixXd h;
  ASSERT_TRUE(NumericHessian(f, {0.3, -0.2}, {}, &h));
  EXPECT_NEAR(h(0, 0), 2, 1e-6);
  EXPECT_NEAR(h(0, 1), 3, 1e-6);
  EXPECT_NEAR(h(1, 1), 10, 1e-6);
}

}  // namespace
}  // namespace foresight::forecasting
