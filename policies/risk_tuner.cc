#include "policies/risk_tuner.h"

#include <algorithm>
#include <cstdio>

#include "policies/decide_replay.h"
#include "policies/hpa_replay.h"

namespace foresight::policies {
namespace {

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// The forecast a replayed sync at `now` reads: the newest recorded at or before it, its
// offsets moved to count from `now`; none when that one is older than `stale`.
std::vector<ForecastPoint> ForecastAt(const RecordedForecasts& forecasts, Time now,
                                      std::chrono::seconds stale) {
  const std::optional<RecordedForecast> f = forecasts.NewestAtOrBefore(now);
  if (!f) return {};
  const std::chrono::seconds age = now - f->time;
  if (age > stale) return {};
  std::vector<ForecastPoint> points;
  for (ForecastPoint p : f->points) {
    p.offset -= age;
    if (p.offset >= std::chrono::seconds(0) || points.empty()) {
      p.offset = std::max(p.offset, std::chrono::seconds(0));
      points.push_back(p);
    } else {
      points.back() = {std::chrono::seconds(0), p.mean, p.quantile};  // the newest past point
    }
  }
  return points;
}

}  // namespace

bool TunesRisk(const PolicySpec& spec) {
  return spec.forecast.sizing == Sizing::kMarginal && spec.forecast.risk_tuning.enabled;
}

std::vector<ForecastPoint> PointsUpToLead(const std::vector<ForecastPoint>& points,
                                          std::chrono::seconds lead) {
  std::vector<ForecastPoint> kept;
  for (const ForecastPoint& p : points) {
    kept.push_back(p);
    if (p.offset > lead) break;
  }
  return kept;
}

const std::vector<std::chrono::seconds>& TunedScaleDownWindows() {
  static const std::vector<std::chrono::seconds> windows = {std::chrono::seconds(300),
                                                            std::chrono::seconds(60)};
  return windows;
}

std::vector<std::chrono::seconds> ScaleDownWindowsTried(const PolicySpec& spec) {
  const std::vector<std::chrono::seconds>& tuned = spec.forecast.risk_tuning.scale_down_windows;
  if (!tuned.empty()) return tuned;
  return {spec.behavior.scale_down.stabilization_window};
}

const std::vector<double>& RiskGrid() {
  static const std::vector<double> grid = {0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08,
                                           0.09, 0.1,  0.12, 0.14, 0.16, 0.18, 0.2,
                                           0.22, 0.24, 0.27, 0.3,  0.35, 0.4};
  return grid;
}

RiskChoice ChooseMarginalRisk(const LoadTrace& window, const RecordedForecasts& forecasts,
                              const PolicySpec& spec, std::chrono::seconds sync) {
  const double capacity = spec.target_per_replica;
  const int64_t delay = spec.forecast.pod_startup.count();
  // Both replays within the autoscaler's own bounds (the HPA it is compared with would have
  // them too), scored without the oracle score.py adds.
  const ReplicaBounds bounds{spec.min_replicas, spec.max_replicas};
  auto score = [&](const std::vector<RequestRow>& rows) {
    return ComputeMetrics(window, Simulate(window, rows, delay, bounds), capacity);
  };
  HpaReplayOptions hpa_options;
  hpa_options.metric_delay = spec.forecast.metric_delay;
  hpa_options.bounds = bounds;
  const Metrics hpa = score(ReplayHpa(window, capacity, delay, hpa_options).decisions);

  DecideReplayOptions options;
  options.sync = sync;
  options.metric_delay = spec.forecast.metric_delay;
  const ForecastProvider provider = [&](const SyncView& view) {
    return ForecastAt(forecasts, view.now, 2 * sync);
  };
  const double goal = spec.forecast.risk_tuning.overload_vs_hpa *
                      static_cast<double>(hpa.under_provisioned_minutes);
  const std::vector<double>& grid = RiskGrid();

  // The cheapest risk meeting the goal with the scale-down window `w`.
  auto choose_risk = [&](std::chrono::seconds w) {
    PolicySpec tried = spec;
    tried.behavior.scale_down.stabilization_window = w;
    auto replay = [&](size_t i) {
      tried.forecast.marginal_risk = grid[i];
      const Metrics m = score(ReplayDecide(window, delay, tried, provider, options).decisions);
      return RiskChoice{grid[i],
                        static_cast<double>(m.under_provisioned_minutes) <= goal,
                        w,
                        m.under_provisioned_minutes,
                        hpa.under_provisioned_minutes,
                        m.replica_hours,
                        hpa.replica_hours,
                        ""};
    };
    // Overloads grow with the risk and cost falls, so the cheapest risk meeting the goal is
    // the riskiest one that does: bisect for it (5-7 replays instead of 20). The invariant:
    // `safe` met the goal, `risky` did not; what is returned was replayed and met it.
    RiskChoice choice = replay(0);
    if (!choice.met) return choice;
    RiskChoice riskiest = replay(grid.size() - 1);
    if (riskiest.met) return riskiest;
    size_t safe = 0, risky = grid.size() - 1;
    while (risky - safe > 1) {
      const size_t mid = (safe + risky) / 2;
      RiskChoice c = replay(mid);
      if (c.met) {
        safe = mid;
        choice = c;
      } else {
        risky = mid;
      }
    }
    return choice;
  };

  std::vector<RiskChoice> per_window;
  for (std::chrono::seconds w : ScaleDownWindowsTried(spec)) per_window.push_back(choose_risk(w));
  // The longest window (the first) unless a shorter one met the goal and saves enough.
  const RiskChoice* cheapest = nullptr;
  for (const RiskChoice& c : per_window) {
    if (c.met && (!cheapest || c.replica_hours < cheapest->replica_hours)) cheapest = &c;
  }
  RiskChoice choice = per_window.front();
  if (cheapest) {
    for (const RiskChoice& c : per_window) {
      if (c.met && c.replica_hours * (1 - kShorterWindowMinSaving) <= cheapest->replica_hours) {
        choice = c;
        break;
      }
    }
  }

  const int64_t length = spec.forecast.risk_tuning.window.count();  // as configured
  const std::string hours = length % 3600 == 0 ? std::to_string(length / 3600) + "h"
                            : length % 60 == 0 ? std::to_string(length / 60) + "m"
                                               : std::to_string(length) + "s";
  const std::string versus =
      " over the last " + hours + " (" + std::to_string(choice.overloaded_minutes) + " vs " +
      std::to_string(hpa.under_provisioned_minutes) + " overloaded minutes, " +
      Fixed(choice.replica_hours, 1) + " vs " + Fixed(hpa.replica_hours, 1) + " replica-hours)";
  const std::string goal_text =
      Fixed(spec.forecast.risk_tuning.overload_vs_hpa, 2) + "x the HPA's overloaded minutes";
  const bool windows_tuned = per_window.size() > 1;
  const std::string what =
      "marginalRisk " + Fixed(choice.risk, 2) +
      (windows_tuned ? " with a " + std::to_string(choice.scale_down_window.count()) +
                           "s scale-down stabilization window"
                     : "");
  choice.message = what +
                   (choice.met ? ": the cheapest that stayed within " + goal_text
                               : ": even the safest did not stay within " + goal_text) +
                   versus;
  if (windows_tuned) {
    std::string others;
    for (const RiskChoice& c : per_window) {
      if (c.scale_down_window == choice.scale_down_window) continue;
      others += (others.empty() ? "" : "; ") + std::to_string(c.scale_down_window.count()) +
                "s window: " +
                (c.met ? "marginalRisk " + Fixed(c.risk, 2) + ", " + Fixed(c.replica_hours, 1) +
                             " replica-hours"
                       : "goal not met");
    }
    choice.message += "; " + others;
  }
  return choice;
}

void RiskTuner::Record(Time now, std::span<const ForecastPoint> points) {
  if (!tuning_.enabled) return;
  if (!first_recorded_) first_recorded_ = now;
  if (!recorded_.empty() && now < recorded_.newest_time()) recorded_.Clear();  // clock went back
  recorded_.Append(now, points);
  recorded_.DropBefore(now - tuning_.window);
}

bool RiskTuner::Due(Time now) const {
  return tuning_.enabled && first_recorded_ && now - *first_recorded_ >= tuning_.window &&
         (!last_tuned_ || now - *last_tuned_ >= tuning_.interval);
}

const RiskChoice& RiskTuner::Tune(Time now, const LoadTrace& window, const PolicySpec& spec,
                                  std::chrono::seconds sync) {
  last_ = ChooseMarginalRisk(window, recorded_, spec, sync);
  risk_ = last_->risk;
  scale_down_window_ = last_->scale_down_window;
  last_tuned_ = now;
  return *last_;
}

void RiskTuner::ApplyTo(PolicySpec& spec) const {
  spec.forecast.marginal_risk = risk_;
  if (!tuning_.scale_down_windows.empty()) {
    spec.behavior.scale_down.stabilization_window = scale_down_window_;
  }
}

}  // namespace foresight::policies
