// RollingForecaster: how the forecast path is re-anchored between refits. Model "naive" (the
// last value, band widening like sqrt(steps)), resolution 60 s, lead time 90 s, refit every
// hour; times are unix seconds from a fixed epoch.
#include "operator/rolling_forecaster.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace foresight::op {
namespace {

constexpr double kT0 = 1'700'000'000;

RollingForecasterConfig Config() {
  RollingForecasterConfig c;
  c.model = "naive";
  c.resolution_seconds = 60;
  c.refit_interval_seconds = 3600;
  c.lead_time_seconds = 90;
  c.quantile = 0.9;
  return c;
}

// Alternating 10, 12, 10, ... : noise around a level of 11.
std::vector<double> Series(int n) {
  std::vector<double> y;
  for (int i = 0; i < n; ++i) y.push_back(i % 2 == 0 ? 10 : 12);
  return y;
}

// The forecast for now + lead made `minutes` after the fit keeps the fit's band for the same
// distance from the newest observation (2 steps: the newest point is 30 s old, the lead 90 s),
// scaled by the level correction, instead of the band 2 + minutes steps ahead of the fit.
TEST(RollingForecasterTest, BandIsThatOfTheDistanceFromTheNewestObservation) {
  struct Case {
    int minutes_after_fit;
  } cases[] = {{0}, {1}, {10}, {30}, {59}};
  for (const Case& c : cases) {
    RollingForecaster f(Config());
    const std::vector<double> y = Series(120 + c.minutes_after_fit);
    // At the fit: newest point at kT0 + 119 * 60, now 30 s later.
    const double fit_now = kT0 + 119 * 60 + 30;
    RollingForecast at_fit = f.Update(fit_now, std::span(y).first(120), kT0);
    ASSERT_TRUE(at_fit.refitted);
    ASSERT_TRUE(at_fit.at_lead);
    const double fit_spread = at_fit.at_lead->quantile - at_fit.at_lead->mean;
    ASSERT_GT(fit_spread, 0);
    const double later = fit_now + 60.0 * c.minutes_after_fit;
    RollingForecast r = f.Update(later, y, kT0);
    ASSERT_FALSE(r.refitted && c.minutes_after_fit > 0) << c.minutes_after_fit;
    ASSERT_TRUE(r.at_lead);
    EXPECT_NEAR(r.at_lead->quantile - r.at_lead->mean, r.anchor * fit_spread, 1e-9)
        << "minutes after the fit: " << c.minutes_after_fit;
    // The decision sees the same band in the point in force at the lead time.
    const policies::ForecastPoint& p =
        policies::ForecastAt(r.points, std::chrono::seconds{90});
    EXPECT_NEAR(p.quantile - p.mean, r.anchor * fit_spread, 1e-9) << c.minutes_after_fit;
  }
}

// The level correction: observed / predicted summed over the newest 15 points the fit did not
// see. Naive on a constant 10 predicts 10 throughout; the newest `high` of `after` points since
// the fit are 20, the others 10, so the anchor is (20 * high + 10 * rest) / (10 * used), over
// used = min(after, 15) points.
TEST(RollingForecasterTest, AnchorIsTheRatioOverTheNewest15Points) {
  struct Case {
    int after, high;
    double anchor;
  } cases[] = {
      {30, 1, 160.0 / 150},  // one fresh point moves the level by 1/15 of its surprise
      {30, 5, 200.0 / 150},
      {30, 15, 2.0},
      {30, 20, 2.0},
      {6, 6, 2.0},         // fewer points since the fit: all of them
      {6, 3, 90.0 / 60},   // 3 x 20 + 3 x 10 over 6 x 10
      {0, 0, 1.0},         // nothing since the fit: no correction
  };
  for (const Case& c : cases) {
    RollingForecaster f(Config());
    std::vector<double> y(120, 10.0);
    ASSERT_TRUE(f.Update(kT0 + 119 * 60 + 30, y, kT0).refitted);
    for (int i = 0; i < c.after; ++i) y.push_back(i >= c.after - c.high ? 20.0 : 10.0);
    RollingForecast r = f.Update(kT0 + (119 + c.after) * 60 + 30, y, kT0);
    EXPECT_FALSE(r.refitted);
    EXPECT_NEAR(r.anchor, c.anchor, 1e-12) << c.after << " after the fit, " << c.high << " high";
  }
}

}  // namespace
}  // namespace foresight::op
