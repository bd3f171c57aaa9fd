// RollingForecaster: how the forecast path is re-anchored between refits. Model "naive" (the
// last value, band widening like sqrt(steps)), resolution 60 s, lead time 90 s, refit every
// hour; times are unix seconds from a fixed epoch.
#include "operator/rolling_forecaster.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <random>
#include <utility>
#include <vector>

#include "forecasting/distribution.h"
#include "forecasting/robust_scale.h"

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

// Once 30 lead-time forecasts are scored, the band is read from their errors: the quantile is
// mean + z(0.9) x the robust scale of the last 240 errors (observed - forecast mean at the lead
// time), at the lead time and at every point up to it. The load cycles 10, 13, 11, 16 so the
// errors vary; the test scores the forecasts itself, from the same observations.
TEST(RollingForecasterTest, BandComesFromTheRecentLeadTimeErrors) {
  auto load = [](int minute) { return std::vector<double>{10, 13, 11, 16}[minute % 4]; };
  RollingForecaster f(Config());
  const double z = forecasting::NormalQuantile(0.9);
  std::deque<std::pair<double, double>> pending;  // (target time, forecast mean), unobserved
  std::vector<double> errors;                     // scored, oldest first
  std::vector<double> y;
  int checked_from_errors = 0, checked_from_fit = 0;
  for (int step = 0; step < 900; ++step) {  // 30-s decisions: 7.5 hours
    const double now = kT0 + 120 * 60 + 30 * step;
    // Visible: the points up to now - 30 s (metric lag).
    const int visible = static_cast<int>((now - 30 - kT0) / 60) + 1;
    while (static_cast<int>(y.size()) < visible) y.push_back(load(static_cast<int>(y.size())));
    const double newest_time = kT0 + 60.0 * (visible - 1);
    while (!pending.empty() && pending.front().first <= newest_time) {
      const auto [time, mean] = pending.front();
      errors.push_back(y[static_cast<size_t>(std::lround((time - kT0) / 60))] - mean);
      pending.pop_front();
    }
    RollingForecast r = f.Update(now, y, kT0);
    ASSERT_TRUE(r.at_lead) << step;
    const double band = r.at_lead->quantile - r.at_lead->mean;
    if (errors.size() >= 30) {
      const size_t from = errors.size() > 240 ? errors.size() - 240 : 0;
      const double sd = forecasting::RobustScale({errors.begin() + from, errors.end()});
      ASSERT_NEAR(band, z * sd, 1e-9) << "step " << step << ", " << errors.size() << " scored";
      for (const policies::ForecastPoint& p : r.points) {
        if (p.offset.count() > 90) break;
        ASSERT_NEAR(p.quantile - p.mean, z * sd, 1e-9) << "offset " << p.offset.count();
      }
      ++checked_from_errors;
    } else {
      // The naive fit's band: it widens with the step, never this flat estimate by chance.
      ASSERT_GT(band, 0) << step;
      ++checked_from_fit;
    }
    pending.emplace_back(r.at_lead->time, r.at_lead->mean);
  }
  EXPECT_GT(checked_from_fit, 0);
  EXPECT_GT(checked_from_errors, 500);  // the window of 240 filled and slid
  EXPECT_GT(errors.size(), 240u);
}

TEST(RollingForecasterTest, LeadForecastMixesTheModelWithTheRecentMeanByTheirErrors) {
  // Noise on a slow wave. The lead forecast is the re-anchored model path mixed with the
  // mean of the newest 10 points, the model weighted by the inverse of its mean squared
  // error over the last 240 scored lead forecasts against the recent mean's (all model
  // before 30 are scored). The test keeps its own books of both errors.
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, 2.0);
  std::vector<double> load(400);
  for (size_t t = 0; t < load.size(); ++t) load[t] = 12 + 4 * std::sin(t / 20.0) + noise(rng);
  RollingForecaster f(Config());
  std::vector<double> y;
  double fitted_last = 0;  // the naive path: the newest value the fit saw
  struct Made {
    double target_time, model, recent;
  };
  std::deque<Made> pending;
  std::deque<std::pair<double, double>> squared;  // (model, recent), the last 240 scored
  int all_model = 0, mixed = 0;
  for (int step = 0; step < 500; ++step) {  // 30-s decisions: 250 minutes
    const double now = kT0 + 120 * 60 + 30 * step;
    const int visible = static_cast<int>((now - 30 - kT0) / 60) + 1;
    while (static_cast<int>(y.size()) < visible) y.push_back(load[y.size()]);
    while (!pending.empty() && pending.front().target_time <= kT0 + 60.0 * (visible - 1)) {
      const Made m = pending.front();
      pending.pop_front();
      const double actual = y[static_cast<size_t>(std::lround((m.target_time - kT0) / 60))];
      squared.emplace_back(std::pow(actual - m.model, 2), std::pow(actual - m.recent, 2));
      if (squared.size() > 240) squared.pop_front();
    }
    RollingForecast r = f.Update(now, y, kT0);
    ASSERT_TRUE(r.at_lead) << step;
    if (r.refitted) fitted_last = y.back();
    double recent = 0;
    for (size_t i = y.size() - 10; i < y.size(); ++i) recent += y[i] / 10;
    const double model = r.anchor * fitted_last;  // the naive path, re-anchored
    double expected_weight = 1.0;
    if (squared.size() >= 30) {
      double sum_model = 0, sum_recent = 0;
      for (const auto& [m, c] : squared) {
        sum_model += m;
        sum_recent += c;
      }
      expected_weight = sum_recent / (sum_model + sum_recent);
      ++mixed;
    } else {
      ++all_model;
    }
    ASSERT_NEAR(r.model_weight, expected_weight, 1e-9) << step;
    ASSERT_NEAR(r.at_lead->mean, expected_weight * model + (1 - expected_weight) * recent, 1e-9)
        << step;
    pending.push_back({r.at_lead->time, model, recent});
  }
  EXPECT_GT(all_model, 0);
  EXPECT_GT(mixed, 400);
}

}  // namespace
}  // namespace foresight::op
