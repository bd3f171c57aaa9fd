#include "forecasting/mstl_forecast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

namespace foresight::forecasting {
namespace {

// A random walk fitted to the adjusted series: the forecast is the last
// value, with sd sigma * sqrt(h) where sigma is the RMS of the differences.
// (The engine plugs in ETS/ARIMA; this keeps the test independent of them.)
class RandomWalk final : public FittedModel {
 public:
  explicit RandomWalk(const std::vector<double>& y) : last_(y.back()), residuals_(y.size()) {
    residuals_[0] = NAN;
    double ss = 0.0;
    for (size_t t = 1; t < y.size(); ++t) {
      residuals_[t] = y[t] - y[t - 1];
      ss += residuals_[t] * residuals_[t];
    }
    sigma_ = y.size() > 1 ? std::sqrt(ss / (y.size() - 1)) : 0.0;
  }
  std::string Name() const override { return "RW"; }
  const std::vector<double>& Residuals() const override { return residuals_; }
  PredictiveDistribution Predict(int horizon) const override {
    std::vector<double> mean(horizon, last_), sd(horizon);
    for (int h = 0; h < horizon; ++h) sd[h] = sigma_ * std::sqrt(h + 1.0);
    return PredictiveDistribution::Normal(mean, sd);
  }

 private:
  double last_;
  double sigma_;
  std::vector<double> residuals_;
};

// The same, as simulated sample paths (to check Shift on the empirical form).
class SampledRandomWalk final : public FittedModel {
 public:
  explicit SampledRandomWalk(const std::vector<double>& y) : inner_(y), last_(y.back()) {}
  std::string Name() const override { return "RWsim"; }
  const std::vector<double>& Residuals() const override { return inner_.Residuals(); }
  PredictiveDistribution Predict(int horizon) const override {
    std::vector<std::vector<double>> samples(horizon);
    for (int h = 0; h < horizon; ++h) samples[h] = {last_ - 1.0, last_, last_ + 1.0};
    return PredictiveDistribution::FromSamples(std::vector<double>(horizon, last_), samples);
  }

 private:
  RandomWalk inner_;
  double last_;
};

Result<std::unique_ptr<FittedModel>> FitRandomWalk(const std::vector<double>& y) {
  if (y.empty()) return Error{"empty"};
  return std::unique_ptr<FittedModel>(std::make_unique<RandomWalk>(y));
}

// Hourly data: daily (24) and weekly (168) cycles, level 100, small noise.
double Signal(int t) {
  return 100.0 + 10.0 * std::sin(2 * M_PI * t / 24.0) + 3.0 * std::cos(2 * M_PI * t / 168.0) +
         (t % 168 < 48 ? -4.0 : 0.0);  // a "weekend" dip
}

std::vector<double> TwoSeasonSeries(int n) {
  std::mt19937 rng(9);
  std::normal_distribution<double> noise(0.0, 0.3);
  std::vector<double> y(n);
  for (int t = 0; t < n; ++t) y[t] = Signal(t) + noise(rng);
  return y;
}

TEST(MstlForecastTest, ForecastTracksBothSeasonalShapes) {
  const int n = 168 * 5;
  auto fit = FitMstlModel(TwoSeasonSeries(n), {168, 24}, FitRandomWalk);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name(), "MSTL(24,168)+RW");
  const int horizon = 168;
  PredictiveDistribution d = (*fit)->Predict(horizon);
  ASSERT_EQ(d.horizon(), horizon);
  // The seasonals are continued from the last cycle and the random walk
  // holds the last adjusted value (noise ~0.3): within 1.5 of the signal
  // over a whole week, where the signal itself swings by about 30.
  for (int h = 0; h < horizon; ++h) {
    EXPECT_NEAR(d.Mean(h), Signal(n + h), 1.5) << "step " << h;
    EXPECT_TRUE(std::isfinite(d.Quantile(h, 0.05)));
  }
}

TEST(MstlForecastTest, ShiftMovesIntervalsWithoutWideningThem) {
  const std::vector<double> y = TwoSeasonSeries(168 * 3);
  auto fit = FitMstlModel(y, {24, 168}, FitRandomWalk);
  ASSERT_TRUE(fit.ok()) << fit.error();
  const int horizon = 30;
  PredictiveDistribution inner = (*fit)->adjusted_model().Predict(horizon);
  PredictiveDistribution outer = (*fit)->Predict(horizon);
  std::vector<double> offsets = (*fit)->SeasonalForecast(horizon);
  for (int h = 0; h < horizon; ++h) {
    EXPECT_NEAR(outer.Mean(h), inner.Mean(h) + offsets[h], 1e-9);
    Interval i = inner.At(h, 0.9), o = outer.At(h, 0.9);
    EXPECT_NEAR(o.lower, i.lower + offsets[h], 1e-9);
    EXPECT_NEAR(o.upper, i.upper + offsets[h], 1e-9);
  }
}

TEST(MstlForecastTest, SeasonalForecastIsTheLastCycleOfEachComponent) {
  const std::vector<double> y = TwoSeasonSeries(168 * 3);
  auto fit = FitMstlModel(y, {24, 168}, FitRandomWalk);
  ASSERT_TRUE(fit.ok()) << fit.error();
  const MstlDecomposition& dec = (*fit)->decomposition();
  const int n = static_cast<int>(y.size());
  std::vector<double> offsets = (*fit)->SeasonalForecast(400);  // > one weekly cycle
  for (int h = 1; h <= 400; ++h) {
    // R's forecast.stl: rep(seasonal[n - (m:1) + 1], ...)[h], per component.
    const double daily = dec.seasonals[0][n - 24 + (h - 1) % 24];
    const double weekly = dec.seasonals[1][n - 168 + (h - 1) % 168];
    EXPECT_DOUBLE_EQ(offsets[h - 1], daily + weekly) << "h=" << h;
  }
}

TEST(MstlForecastTest, SampledInnerDistributionIsShiftedToo) {
  const std::vector<double> y = TwoSeasonSeries(168 * 3);
  auto fit = FitMstlModel(y, {24}, [](const std::vector<double>& adjusted) {
    return Result<std::unique_ptr<FittedModel>>(std::make_unique<SampledRandomWalk>(adjusted));
  });
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name(), "MSTL(24)+RWsim");
  PredictiveDistribution inner = (*fit)->adjusted_model().Predict(5);
  PredictiveDistribution outer = (*fit)->Predict(5);
  std::vector<double> offsets = (*fit)->SeasonalForecast(5);
  EXPECT_FALSE(outer.is_normal());
  for (int h = 0; h < 5; ++h) {
    EXPECT_NEAR(outer.Quantile(h, 0.5), inner.Quantile(h, 0.5) + offsets[h], 1e-9);
    EXPECT_NEAR(outer.Quantile(h, 0.99), inner.Quantile(h, 0.99) + offsets[h], 1e-9);
  }
}

TEST(MstlForecastTest, ResidualsAreTheInnerModels) {
  const std::vector<double> y = TwoSeasonSeries(168 * 3);
  auto fit = FitMstl(y, {24, 168}, FitRandomWalk);
  ASSERT_TRUE(fit.ok()) << fit.error();
  const auto& mstl = dynamic_cast<const MstlModel&>(**fit);
  EXPECT_EQ(&(*fit)->Residuals(), &mstl.adjusted_model().Residuals());
  // The adjusted series is what the inner model saw: y minus the seasonals.
  std::vector<double> adjusted = mstl.decomposition().SeasonallyAdjusted();
  EXPECT_NEAR((*fit)->Residuals()[5], adjusted[5] - adjusted[4], 1e-12);
}

TEST(MstlForecastTest, ShortSeriesDropsPeriodsAndForecastsTheInnerModel) {
  // 40 hourly points: neither 24 nor 168 has two full cycles.
  std::vector<double> y = TwoSeasonSeries(40);
  auto fit = FitMstlModel(y, {24, 168}, FitRandomWalk);
  ASSERT_TRUE(fit.ok()) << fit.error();
  EXPECT_EQ((*fit)->Name(), "MSTL()+RW");
  EXPECT_EQ((*fit)->decomposition().dropped_periods, (std::vector<int>{24, 168}));
  PredictiveDistribution d = (*fit)->Predict(10);
  for (int h = 0; h < 10; ++h) EXPECT_DOUBLE_EQ(d.Mean(h), y.back());
}

TEST(MstlForecastTest, ConstantSeriesForecastsTheConstant) {
  std::vector<double> y(200, 42.0);
  auto fit = FitMstl(y, {24}, FitRandomWalk);
  ASSERT_TRUE(fit.ok()) << fit.error();
  PredictiveDistribution d = (*fit)->Predict(48);
  for (int h = 0; h < 48; ++h) {
    EXPECT_NEAR(d.Mean(h), 42.0, 1e-9);
    EXPECT_FALSE(std::isnan(d.Quantile(h, 0.9)));
  }
}

TEST(MstlForecastTest, ErrorsPropagate) {
  auto failing = [](const std::vector<double>&) -> Result<std::unique_ptr<FittedModel>> {
    return Error{"cannot fit"};
  };
  auto fit = FitMstl(TwoSeasonSeries(100), {24}, failing);
  ASSERT_FALSE(fit.ok());
  EXPECT_NE(fit.error().find("cannot fit"), std::string::npos);
  auto null_fitter = [](const std::vector<double>&) -> Result<std::unique_ptr<FittedModel>> {
    return std::unique_ptr<FittedModel>();
  };
  EXPECT_FALSE(FitMstl(TwoSeasonSeries(100), {24}, null_fitter).ok());
  std::vector<double> with_nan = TwoSeasonSeries(100);
  with_nan[10] = NAN;
  EXPECT_FALSE(FitMstl(with_nan, {24}, FitRandomWalk).ok());
}

}  // namespace
}  // namespace foresight::forecasting
