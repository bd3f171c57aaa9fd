// RefitFamily keeps what validation chose inside a family: MSTL+ETS its ETS type.
#include "forecasting/model_families.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "forecasting/ets.h"
#include "forecasting/ets_model.h"
#include "forecasting/mstl_forecast.h"

namespace foresight::forecasting {
namespace {

// A daily cycle of 24 steps on a slowly rising level, with noise.
std::vector<double> DailySeries(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> y;
  for (int t = 0; t < n; ++t) {
    y.push_back(50 + 0.05 * t + 10 * std::sin(2 * std::numbers::pi * t / 24) + noise(rng));
  }
  return y;
}

std::string InnerEtsName(const FittedModel& model) {
  const auto* mstl = dynamic_cast<const MstlModel*>(&model);
  if (mstl == nullptr) return "not an MSTL model";
  const auto* ets = dynamic_cast<const EtsModel*>(&mstl->adjusted_model());
  return ets == nullptr ? "not ETS inside" : ets->Name();
}

TEST(RefitFamilyTest, MstlKeepsTheValidatedEtsType) {
  const std::vector<double> y = DailySeries(24 * 20, 7);
  const std::vector<double> start(y.begin(), y.end() - 24);
  const std::vector<int> periods = {24};
  // Validation's choice, whichever AICc would pick on y: each type must survive the refit.
  for (const EtsSpec& spec : {EtsSpec{EtsError::kAdditive, EtsTrend::kAdditiveDamped},
                              EtsSpec{EtsError::kMultiplicative, EtsTrend::kNone}}) {
    auto validated = FitMstl(start, periods, [&](const std::vector<double>& adjusted) {
      return FitEts(adjusted, spec);
    });
    ASSERT_TRUE(validated.ok()) << validated.error();
    auto refit = RefitFamily("mstl", validated->get(), y, periods);
    ASSERT_TRUE(refit.ok()) << refit.error();
    EXPECT_EQ(InnerEtsName(**refit), EtsName(spec));
    EXPECT_EQ(static_cast<int>((*refit)->Residuals().size()), static_cast<int>(y.size()))
        << "refitted on the whole history";
  }
}

TEST(RefitFamilyTest, MstlWithAnUnusableKeptTypeSearchesAgain) {
  // Validated as multiplicative ETS, refitted where the adjusted series goes negative: the
  // kept type cannot be fitted, so the family is fitted from scratch.
  std::vector<double> y = DailySeries(24 * 20, 11);
  const std::vector<int> periods = {24};
  auto validated = FitMstl(y, periods, [](const std::vector<double>& adjusted) {
    return FitEts(adjusted, {EtsError::kMultiplicative, EtsTrend::kNone});
  });
  ASSERT_TRUE(validated.ok()) << validated.error();
  for (double& v : y) v -= 80;
  auto refit = RefitFamily("mstl", validated->get(), y, periods);
  ASSERT_TRUE(refit.ok()) << refit.error();
  EXPECT_EQ(InnerEtsName(**refit).substr(0, 6), "ETS(A,");
}

}  // namespace
}  // namespace foresight::forecasting
