#include "forecasting/ets_kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace foresight::forecasting {
namespace {

TEST(EtsKernelTest, SimpleExponentialSmoothingSteps) {
  // ETS(A,N,N), alpha = 0.5, l0 = 8.
  //   t=0: yhat = 8,   e = 2, l = 8 + 0.5*2 = 9
  //   t=1: yhat = 9,   e = 3, l = 9 + 0.5*3 = 10.5
  const EtsSpec spec{EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kNone, 1};
  const std::vector<double> y = {10, 12};
  std::vector<double> e(2), f(2);
  EtsState state{8.0, 0.0, nullptr, 0};
  EtsParams p;
  p.alpha = 0.5;
  const EtsPassTotals totals = RunEtsPass(spec, p, y.data(), 2, state, e.data(), f.data());
  EXPECT_DOUBLE_EQ(f[0], 8.0);
  EXPECT_DOUBLE_EQ(f[1], 9.0);
  EXPECT_DOUBLE_EQ(e[1], 3.0);
  EXPECT_DOUBLE_EQ(state.level, 10.5);
  EXPECT_DOUBLE_EQ(totals.sse, 13.0);
  EXPECT_DOUBLE_EQ(EtsMinusTwoLogLik(totals, 2, EtsError::kAdditive), 2 * std::log(13.0));
}

TEST(EtsKernelTest, DampedTrendStep) {
  // ETS(A,Ad,N), alpha 0.5, beta 0.1, phi 0.9, l0 = 10, b0 = 2, y = 13:
  //   yhat = l + phi b = 11.8, e = 1.2
  //   l = 11.8 + alpha e = 12.4
  //   b = phi b + beta e = 1.8 + 0.12 = 1.92 (the kernel's error-correction form
  //       phi b + (beta/alpha)(l - l_prev - phi b) gives the same)
  const EtsSpec spec{EtsError::kAdditive, EtsTrend::kAdditiveDamped, EtsSeason::kNone, 1};
  const double y = 13;
  EtsState state{10.0, 2.0, nullptr, 0};
  const EtsParams p{0.5, 0.1, 0.0, 0.9};
  double f = 0;
  RunEtsPass(spec, p, &y, 1, state, nullptr, &f);
  EXPECT_DOUBLE_EQ(f, 11.8);
  EXPECT_DOUBLE_EQ(state.level, 12.4);
  EXPECT_NEAR(state.trend, 1.92, 1e-12);
}

TEST(EtsKernelTest, MultiplicativeSeasonUsesCircularPhases) {
  // ETS(M,N,M), m = 2, alpha 0.2, gamma 0.1, l0 = 10, seasons by phase {0.5, 1.5}.
  //   t=0 (phase 0): yhat = 10*0.5 = 5, e = (6-5)/5 = 0.2,
  //        l = 10 + 0.2*(6/0.5 - 10) = 10.4, s[0] = 0.5 + 0.1*(6/10 - 0.5) = 0.51
  //   t=1 (phase 1): yhat = 10.4*1.5 = 15.6, l = 10.4 + 0.2*(15/1.5 - 10.4) = 10.32
  //   t=2 (phase 0 again, updated): yhat = 10.32*0.51
  const EtsSpec spec{EtsError::kMultiplicative, EtsTrend::kNone, EtsSeason::kMultiplicative, 2};
  const std::vector<double> y = {6, 15, 5};
  std::vector<double> season = {0.5, 1.5};
  std::vector<double> e(3), f(3);
  EtsState state{10.0, 0.0, season.data(), 0};
  const EtsParams p{0.2, 0.0, 0.1, 1.0};
  const EtsPassTotals totals = RunEtsPass(spec, p, y.data(), 3, state, e.data(), f.data());
  EXPECT_DOUBLE_EQ(f[0], 5.0);
  EXPECT_DOUBLE_EQ(e[0], 0.2);
  EXPECT_DOUBLE_EQ(f[1], 15.6);
  EXPECT_NEAR(f[2], 10.32 * 0.51, 1e-12);
  EXPECT_EQ(state.phase, 1);  // the next observation has phase 3 % 2
  EXPECT_NEAR(totals.sum_log_abs_forecast, std::log(5.0) + std::log(15.6) + std::log(10.32 * 0.51),
              1e-12);
  // -2 log L = n log(SSE) + 2 sum log|yhat| for multiplicative error.
  EXPECT_NEAR(EtsMinusTwoLogLik(totals, 3, EtsError::kMultiplicative),
              3 * std::log(totals.sse) + 2 * totals.sum_log_abs_forecast, 1e-12);
}

TEST(EtsKernelTest, StartsAtTheGivenPhase) {
  const EtsSpec spec{EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kAdditive, 3};
  std::vector<double> season = {1.0, 2.0, 3.0};
  EtsState state{10.0, 0.0, season.data(), 2};
  const std::vector<double> y = {13, 11};
  std::vector<double> f(2);
  RunEtsPass(spec, EtsParams{0.0001, 0, 0.0001, 1}, y.data(), 2, state, nullptr, f.data());
  EXPECT_NEAR(f[0], 13.0, 1e-9);     // l + s[phase 2]
  EXPECT_NEAR(f[1], 11.0, 1e-3);     // l + s[phase 0]
}

TEST(EtsKernelTest, LongSumOfLogsDoesNotOverflow) {
  // 2000 forecasts of 1e6: the product of |yhat| would overflow a double.
  const EtsSpec spec{EtsError::kMultiplicative, EtsTrend::kNone, EtsSeason::kNone, 1};
  const std::vector<double> y(2000, 1e6);
  EtsState state{1e6, 0.0, nullptr, 0};
  const EtsPassTotals totals =
      RunEtsPass(spec, EtsParams{0.5, 0, 0, 1}, y.data(), 2000, state, nullptr, nullptr);
  EXPECT_TRUE(totals.finite);
  EXPECT_NEAR(totals.sum_log_abs_forecast, 2000 * std::log(1e6), 1e-6);
}

TEST(EtsKernelTest, LikelihoodGuards) {
  EtsPassTotals blown;
  blown.finite = false;
  EXPECT_EQ(EtsMinusTwoLogLik(blown, 10, EtsError::kAdditive),
            std::numeric_limits<double>::infinity());
  EtsPassTotals perfect;  // SSE = 0: floored like R, not -infinity
  EXPECT_EQ(EtsMinusTwoLogLik(perfect, 10, EtsError::kAdditive), -1e10);
}

}  // namespace
}  // namespace foresight::forecasting
