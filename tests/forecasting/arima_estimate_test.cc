// EstimateArima's root check: myarima looks at the roots of the expanded
// (multiplied-out) polynomials; EstimateArima solves the factors instead, and
// must report the same smallest modulus.
#include "forecasting/arima_estimate.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "forecasting/arima_build.h"
#include "tests/forecasting/arima_golden_data.h"

namespace foresight::forecasting {
namespace {

double ExpandedMinRoot(const ArimaOrder& o, const std::vector<double>& coef) {
  const ArmaPolynomials poly = ExpandArma(o, coef.data());
  std::vector<double> ar(poly.phi.size());
  for (size_t i = 0; i < ar.size(); ++i) ar[i] = -poly.phi[i];
  double m = 2;
  if (o.p + o.P > 0) m = std::min(m, MinRootModulus(ar));
  if (o.q + o.Q > 0) m = std::min(m, MinRootModulus(poly.theta));
  return m;
}

TEST(EstimateArimaTest, MinRootIsThatOfTheExpandedPolynomials) {
  const auto& y = testing::ArimaGolden::Get().Series("H2");
  const ArimaOrder orders[] = {
      {2, 0, 1, 1, 1, 1, 24},  // both seasonal factors
      {1, 0, 0, 2, 1, 0, 24},  // seasonal AR only
      {0, 1, 2, 0, 1, 1, 24},  // seasonal MA only
      {0, 0, 0, 1, 1, 1, 24},  // seasonal factors alone
  };
  for (const ArimaOrder& o : orders) {
    Result<ArimaProblem> problem = MakeArimaProblem(y, {o, false}, nullptr);
    ASSERT_TRUE(problem.ok()) << problem.error();
    for (ArimaMethod method : {ArimaMethod::kCss, ArimaMethod::kCssMl}) {
      Result<ArimaEstimate> est = EstimateArima(*problem, method, false);
      ASSERT_TRUE(est.ok()) << est.error();
      const double expected = ExpandedMinRoot(o, est->coef);
      EXPECT_NEAR(est->min_root, expected, 1e-8 * expected)
          << "ARIMA(" << o.p << "," << o.d << "," << o.q << ")(" << o.P << "," << o.D << ","
          << o.Q << ")";
    }
  }
}

}  // namespace
}  // namespace foresight::forecasting
