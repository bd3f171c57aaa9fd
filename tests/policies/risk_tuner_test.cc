// Risk tuning (policies/risk_tuner.h) on a generated window: a noisy load around a slow cycle,
// forecast by its exact mean with the noise's spread.
#include "policies/risk_tuner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "policies/decide_replay.h"
#include "policies/hpa_replay.h"

namespace foresight::policies {
namespace {

using std::chrono::seconds;

constexpr double kTarget = 10;  // load per replica

// Six hours at one minute: 100 +- 40 over two hours, plus noise of about +-15.
LoadTrace Window() {
  LoadTrace t;
  t.t0 = 1'700'000'000;
  t.step_seconds = 60;
  unsigned state = 7;
  for (int i = 0; i < 6 * 60; ++i) {
    state = state * 1103515245u + 12345u;
    const double noise = (static_cast<double>((state >> 16) % 1000) / 1000.0 - 0.5) * 30;
    t.values.push_back(100 + 40 * std::sin(2 * std::numbers::pi * i / 120.0) + noise);
  }
  return t;
}

double Mean(int64_t second) {
  return 100 + 40 * std::sin(2 * std::numbers::pi * (static_cast<double>(second) / 60) / 120.0);
}

// A forecast as a decision made it, before a tuner recorded it.
struct MadeForecast {
  Time time;
  std::vector<ForecastPoint> points;
};

RecordedForecasts Recorded(const std::vector<MadeForecast>& made) {
  RecordedForecasts out;
  for (const MadeForecast& f : made) out.Append(f.time, f.points);
  return out;
}

// A forecast every 30 s: the mean at +0, +60, +120 s, spread 9 (the noise's sd), at q 0.9.
std::vector<MadeForecast> Forecasts(const LoadTrace& window) {
  std::vector<MadeForecast> out;
  const Time t0{seconds{static_cast<int64_t>(window.t0)}};
  for (int64_t s = 0; s < window.horizon_seconds(); s += 30) {
    MadeForecast f{t0 + seconds{s}, {}};
    for (int64_t off : {0, 60, 120})
      f.points.push_back({seconds{off}, Mean(s + off), Mean(s + off) + 1.2816 * 9});
    out.push_back(f);
  }
  return out;
}

PolicySpec Spec(double goal) {
  PolicySpec spec;
  spec.max_replicas = 100;
  spec.target_per_replica = kTarget;
  spec.forecast.risk_tuning.overload_vs_hpa = goal;
  spec.forecast.risk_tuning.window = std::chrono::hours(6);  // the window's length
  return spec;
}

TEST(RiskTunerTest, ChoosesTheCheapestRiskThatMeetsTheGoal) {
  const LoadTrace window = Window();
  const std::vector<MadeForecast> made = Forecasts(window);
  const RecordedForecasts forecasts = Recorded(made);
  const RiskChoice strict = ChooseMarginalRisk(window, forecasts, Spec(0.1), seconds{30});
  const RiskChoice loose = ChooseMarginalRisk(window, forecasts, Spec(0.5), seconds{30});
  ASSERT_GT(strict.hpa_overloaded_minutes, 0);
  EXPECT_EQ(strict.hpa_overloaded_minutes, loose.hpa_overloaded_minutes);
  ASSERT_TRUE(strict.met) << strict.message;
  ASSERT_TRUE(loose.met) << loose.message;
  EXPECT_LE(strict.overloaded_minutes, 0.1 * strict.hpa_overloaded_minutes);
  EXPECT_LE(loose.overloaded_minutes, 0.5 * loose.hpa_overloaded_minutes);
  // A looser goal affords a higher risk, and costs less.
  EXPECT_GT(loose.risk, strict.risk);
  EXPECT_LT(loose.replica_hours, strict.replica_hours);
  // Brute force: every risk of the grid replayed on its own. Here overloads grow with the risk
  // (what the bisection relies on), the choice is replayed as reported, the next riskier risk
  // misses the goal, and none that meets it is cheaper.
  const Metrics hpa = Score(window, ReplayHpa(window, kTarget, 60).decisions, kTarget, 60);
  EXPECT_EQ(hpa.under_provisioned_minutes, strict.hpa_overloaded_minutes);
  const double goal = 0.1 * static_cast<double>(hpa.under_provisioned_minutes);
  std::vector<Metrics> all;
  for (double risk : RiskGrid()) {
    PolicySpec spec = Spec(0.1);
    spec.forecast.marginal_risk = risk;
    size_t next = 0;
    const ForecastProvider replayed = [&](const SyncView&) { return made.at(next++).points; };
    DecideReplayOptions options;
    options.sync = seconds{30};
    all.push_back(
        Score(window, ReplayDecide(window, 60, spec, replayed, options).decisions, kTarget, 60));
  }
  for (size_t i = 0; i < all.size(); ++i) {
    const double risk = RiskGrid()[i];
    if (i > 0) {
      EXPECT_GE(all[i].under_provisioned_minutes, all[i - 1].under_provisioned_minutes) << risk;
    }
    if (risk == strict.risk) {
      EXPECT_EQ(all[i].under_provisioned_minutes, strict.overloaded_minutes);
      EXPECT_EQ(all[i].replica_hours, strict.replica_hours);
      ASSERT_LT(i + 1, all.size());
      EXPECT_GT(static_cast<double>(all[i + 1].under_provisioned_minutes), goal);
    } else if (static_cast<double>(all[i].under_provisioned_minutes) <= goal) {
      EXPECT_GE(all[i].replica_hours, strict.replica_hours) << "risk " << risk << " is cheaper";
    }
  }
  EXPECT_NE(strict.message.find("marginalRisk"), std::string::npos);
  EXPECT_NE(strict.message.find("the cheapest that stayed within 0.10x"), std::string::npos)
      << strict.message;
  EXPECT_NE(strict.message.find("over the last 6h"), std::string::npos) << strict.message;
}

TEST(RiskTunerTest, AnUnreachableGoalTakesTheSafestRisk) {
  const LoadTrace window = Window();
  const RecordedForecasts none;  // no forecasts: reactive only, whatever the risk
  PolicySpec spec = Spec(0.01);
  spec.forecast.risk_tuning.window = seconds{576};  // the demo's: named in seconds
  const RiskChoice c = ChooseMarginalRisk(window, none, spec, seconds{30});
  EXPECT_FALSE(c.met);
  EXPECT_EQ(c.risk, RiskGrid().front());
  EXPECT_GT(c.overloaded_minutes, 0.01 * c.hpa_overloaded_minutes);
  EXPECT_NE(c.message.find("even the safest did not stay within 0.01x"), std::string::npos)
      << c.message;
  EXPECT_NE(c.message.find("over the last 576s"), std::string::npos) << c.message;
}

// The window held at five-minute steps (as a metric sampled every 5 minutes is), forecast by
// the exact mean of each step at +0 and +300 s.
LoadTrace FiveMinuteSteps(const LoadTrace& minutes) {
  LoadTrace t;
  t.t0 = minutes.t0;
  t.step_seconds = 300;
  for (size_t i = 0; i + 5 <= minutes.values.size(); i += 5) {
    double sum = 0;
    for (size_t j = i; j < i + 5; ++j) sum += minutes.values[j];
    t.values.push_back(sum / 5);
  }
  return t;
}

std::vector<MadeForecast> StepForecasts(const LoadTrace& window) {
  std::vector<MadeForecast> out;
  const Time t0{seconds{static_cast<int64_t>(window.t0)}};
  for (int64_t s = 0; s < window.horizon_seconds(); s += 30) {
    MadeForecast f{t0 + seconds{s}, {}};
    const int64_t step_start = s / 300 * 300;
    for (int64_t start : {step_start, step_start + 300}) {
      const double mean = Mean(start + 150);
      f.points.push_back({seconds{std::max<int64_t>(0, start - s)}, mean, mean + 1.2816 * 9});
    }
    out.push_back(f);
  }
  return out;
}

PolicySpec WithWindow(PolicySpec spec, seconds window) {
  spec.behavior.scale_down.stabilization_window = window;
  return spec;
}

// With scale_down_windows the choice is, of the windows replayed one by one with their own
// cheapest risk, the longest unless a shorter one saves at least kShorterWindowMinSaving.
void ExpectTheRuleOfWindows(const LoadTrace& window, const RecordedForecasts& forecasts,
                            seconds expected) {
  PolicySpec tuned = Spec(0.25);
  tuned.forecast.risk_tuning.scale_down_windows = TunedScaleDownWindows();
  const RiskChoice both = ChooseMarginalRisk(window, forecasts, tuned, seconds{30});
  const RiskChoice long_window =
      ChooseMarginalRisk(window, forecasts, WithWindow(Spec(0.25), seconds{300}), seconds{30});
  const RiskChoice short_window =
      ChooseMarginalRisk(window, forecasts, WithWindow(Spec(0.25), seconds{60}), seconds{30});
  ASSERT_TRUE(long_window.met) << long_window.message;
  ASSERT_TRUE(short_window.met) << short_window.message;
  EXPECT_EQ(long_window.scale_down_window, seconds{300});
  const bool saves =
      short_window.replica_hours < (1 - kShorterWindowMinSaving) * long_window.replica_hours;
  EXPECT_EQ(both.scale_down_window, saves ? seconds{60} : seconds{300}) << both.message;
  EXPECT_EQ(both.scale_down_window, expected) << both.message;
  const RiskChoice& same = saves ? short_window : long_window;
  EXPECT_EQ(both.risk, same.risk);
  EXPECT_EQ(both.replica_hours, same.replica_hours);
  EXPECT_EQ(both.overloaded_minutes, same.overloaded_minutes);
  const std::string other = saves ? "300s window: marginalRisk " : "60s window: marginalRisk ";
  EXPECT_NE(both.message.find("with a " + std::to_string(expected.count()) +
                              "s scale-down stabilization window"),
            std::string::npos)
      << both.message;
  EXPECT_NE(both.message.find(other), std::string::npos) << both.message;
}

TEST(RiskTunerTest, AShorterScaleDownWindowWhereItSavesEnough) {
  // Load in five-minute steps: the 300 s window holds each step's margin through the next
  // step, after its load has been seen; 60 s lets it go.
  const LoadTrace steps = FiveMinuteSteps(Window());
  ExpectTheRuleOfWindows(steps, Recorded(StepForecasts(steps)), seconds{60});
}

TEST(RiskTunerTest, TheLongerScaleDownWindowWhereTheShorterSavesLittle) {
  // A flat load, forecast exactly: both windows hold the same replicas.
  LoadTrace flat = Window();
  for (double& v : flat.values) v = 95;
  std::vector<MadeForecast> forecasts = Forecasts(flat);
  for (MadeForecast& f : forecasts) {
    for (ForecastPoint& p : f.points) p = {p.offset, 95, 95 + 1.2816 * 2};
  }
  ExpectTheRuleOfWindows(flat, Recorded(forecasts), seconds{300});
}

TEST(RiskTunerTest, ATunerAppliesWhatItChose) {
  RiskTuning tuning;
  tuning.window = std::chrono::hours(6);
  PolicySpec spec = Spec(0.25);
  spec.forecast.marginal_risk = 0.5;
  RiskTuner fixed_window(tuning, 0.07, seconds{300});
  fixed_window.ApplyTo(spec);
  EXPECT_EQ(spec.forecast.marginal_risk, 0.07);
  EXPECT_EQ(spec.behavior.scale_down.stabilization_window, seconds{300});
  spec.behavior.scale_down.stabilization_window = seconds{600};  // set by the user: kept
  fixed_window.ApplyTo(spec);
  EXPECT_EQ(spec.behavior.scale_down.stabilization_window, seconds{600});

  tuning.scale_down_windows = TunedScaleDownWindows();
  RiskTuner tuned(tuning, 0.07, seconds{300});
  const LoadTrace steps = FiveMinuteSteps(Window());
  for (const MadeForecast& f : StepForecasts(steps)) tuned.Record(f.time, f.points);
  PolicySpec tuned_spec = Spec(0.25);
  tuned_spec.forecast.risk_tuning = tuning;
  const Time end{seconds{static_cast<int64_t>(steps.t0) + steps.horizon_seconds()}};
  const RiskChoice& c = tuned.Tune(end, steps, tuned_spec, seconds{30});
  EXPECT_EQ(c.scale_down_window, seconds{60}) << c.message;
  tuned.ApplyTo(spec);
  EXPECT_EQ(spec.forecast.marginal_risk, c.risk);
  EXPECT_EQ(spec.behavior.scale_down.stabilization_window, seconds{60});
}

TEST(RiskTunerTest, BothReplaysKeepTheAutoscalersBounds) {
  // maxReplicas 10 serves 100 of a load up to 155: the HPA it is compared with has the same
  // ceiling, so it overloads more than with the ceiling of 100.
  const LoadTrace window = Window();
  const RecordedForecasts forecasts = Recorded(Forecasts(window));
  PolicySpec capped = Spec(0.25);
  capped.max_replicas = 10;
  const RiskChoice low = ChooseMarginalRisk(window, forecasts, capped, seconds{30});
  const RiskChoice high = ChooseMarginalRisk(window, forecasts, Spec(0.25), seconds{30});
  EXPECT_GT(low.hpa_overloaded_minutes, high.hpa_overloaded_minutes);
  EXPECT_LE(low.hpa_replica_hours, 10.0 * 6);  // never above 10 replicas for 6 hours
}

TEST(RiskTunerTest, DueOnceAWindowIsRecordedThenEveryInterval) {
  RiskTuning tuning;
  tuning.window = std::chrono::hours(1);
  tuning.interval = std::chrono::hours(2);
  RiskTuner tuner(tuning, 0.07, seconds{300});
  const Time t0{seconds{1'700'000'000}};
  EXPECT_FALSE(tuner.Due(t0));
  tuner.Record(t0, {});
  EXPECT_FALSE(tuner.Due(t0 + std::chrono::minutes(59)));
  EXPECT_TRUE(tuner.Due(t0 + std::chrono::hours(1)));
  EXPECT_EQ(tuner.risk(), 0.07);

  const LoadTrace window = Window();
  tuner.Tune(t0 + std::chrono::hours(1), window, Spec(0.25), seconds{30});
  ASSERT_TRUE(tuner.last_choice());
  EXPECT_EQ(tuner.risk(), tuner.last_choice()->risk);
  EXPECT_FALSE(tuner.Due(t0 + std::chrono::hours(2)));
  EXPECT_TRUE(tuner.Due(t0 + std::chrono::hours(3)));

  tuning.enabled = false;
  RiskTuner off(tuning, 0.07, seconds{300});
  off.Record(t0, {});
  EXPECT_FALSE(off.Due(t0 + std::chrono::hours(10)));
}

TEST(RiskTunerTest, KeepsOnlyTheLastWindowOfForecasts) {
  RiskTuning tuning;
  tuning.window = std::chrono::hours(1);
  RiskTuner tuner(tuning, 0.07, seconds{300});
  const Time t0{seconds{1'700'000'000}};
  const std::vector<ForecastPoint> point = {{seconds{0}, 1, 2}};
  for (int i = 0; i <= 240; ++i) tuner.Record(t0 + seconds{30 * i}, point);
  EXPECT_EQ(tuner.recorded(), 121u);  // 2 hours recorded, the last hour (both ends) kept
}

TEST(RiskTunerTest, PointsUpToLeadKeepTheFirstPointBeyondIt) {
  const std::vector<ForecastPoint> points = {
      {seconds{0}, 1, 1}, {seconds{60}, 2, 2}, {seconds{120}, 3, 3}, {seconds{180}, 4, 4}};
  const auto kept = PointsUpToLead(points, seconds{90});
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept.back().offset, seconds{120});
}

}  // namespace
}  // namespace foresight::policies
