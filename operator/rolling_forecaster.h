// RollingForecaster: the forecast a PredictiveAutoscaler decides on, kept up
// to date as history arrives. The operator and `foresight backtest` both use
// it, so a backtest replays exactly what the operator would have forecast.
//
// Fitting is the expensive part, so a model is refitted only every
// refit_interval (spec.forecast.refitInterval): each fit forecasts a path
// long enough to last until the next refit plus the lead time. Between
// refits the path is re-anchored to the live load: it is scaled by the ratio
// of what was observed since the fit to what the path predicted for the same
// points, the newest 15 at most (a level correction, bounded to [1/4, 4]),
// so a day that runs 20% hotter than the model expected is sized 20% bigger
// within one decision.
// Re-anchored, the path starts again from the newest observation, so its
// uncertainty is that of a forecast made from there: a point k steps after
// the newest observation gets the band the fit gave its own k-th step (the
// path's mean, plus the fit's quantile and band offsets at step k), not the
// band of however many steps it is after the fit. Otherwise the quantile a
// random-walk-like model (naive, Theta) sizes for would widen like sqrt of
// the time since the last refit, only because the refit is an hour old.
//
// It also scores itself: every forecast made for now + lead time is compared
// with the load later observed at that time (MAPE, and MASE against the naive
// "load stays as it is now" forecast), for the status and the backtest.
// Those errors also set the band once 30 forecasts are scored: the spread of
// every point up to the lead time is the robust scale (1.4826 x MAD) of the
// last 240 lead-time errors, further points widen from it as the fit's band
// does, and the quantile is mean + z(quantile) x spread. The fit's own band
// is a model's assumption: it jumps with each refit's choice of model and is
// off on real traffic (on the NASA trace 13.5% of the errors exceed its 90%
// quantile). On the traces of bench/traces the errors' band costs up to 3%
// (marginal sizing) and 4% (quantile sizing) fewer replica-hours at the same
// under-provisioning on NASA and World Cup, the same on AMZN. One spread for
// all levels on purpose: spreads relative to the level, or growing like its
// square root, measured worse there (the README has the figures).
//
// The mean is a mix: the re-anchored path and the mean of the newest 10
// observations, weighted by the inverse of each one's mean squared error over
// the last 240 scored lead-time forecasts (inverse_error_weights.h; all path
// until 30 are scored). A minute or two ahead, a noisy metric's recent mean is
// often as good as a model (NASA: MASE 0.84 for the 10-point mean alone,
// 0.94 for the path); where the model sees a ramp coming, its weight grows.
// On the traces the mix costs 1.8-2.5% fewer replica-hours at the same
// under-provisioning (bench/traces/README.md).
//
// Pure (times are unix seconds passed in); not thread-safe: one per autoscaler.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "forecasting/engine.h"
#include "operator/forecast_limits.h"
#include "operator/inverse_error_weights.h"
#include "policies/decision.h"

namespace foresight::op {

struct RollingForecasterConfig {
  std::string model = "auto";
  std::vector<int> seasonal_periods;  // in steps of `resolution_seconds`; empty: detect
  double resolution_seconds = 60;
  double refit_interval_seconds = 3600;
  double lead_time_seconds = 90;  // the policies' lead time (start-up + metric delay)
  double quantile = 0.9;          // spec.forecast.quantile
  int min_history_points = kMinHistoryPoints;  // less: no forecast yet (cold start)
  int accuracy_window = 120;      // forecasts scored for the recent accuracy
};

// One forecast point with its band, for status, logs and reports.
struct PathPoint {
  double time = 0;  // unix seconds
  double mean = 0;
  double quantile = 0;          // at the configured quantile
  double lower = 0, upper = 0;  // 80% interval
};

struct Accuracy {
  int scored = 0;   // forecasts compared with what happened
  double mape = 0;  // mean absolute percentage error at the lead time (points with load > 0)
  double mase = 0;  // MAE / MAE of the naive forecast on the same points (< 1: better than naive)
};

struct RollingForecast {
  std::vector<policies::ForecastPoint> points;  // offsets from now; empty: no forecast
  std::string why_none;                         // when points is empty
  std::string model;
  std::vector<std::string> notes;    // from the last fit
  bool refitted = false;             // this update fitted a new model
  double fitted_at = 0;              // unix seconds of the last fit
  double anchor = 1.0;               // the level correction applied
  double model_weight = 1.0;         // of the model path against the recent mean load
  std::optional<PathPoint> at_lead;  // the (re-anchored) forecast at now + lead time
};

// How a refit fits a model: ForecastSeries unless a caller supplies another
// function with the same contract (the backtest passes one that looks up fits
// computed ahead on other threads).
using FitFunction = std::function<forecasting::Result<forecasting::Forecast>(
    const std::vector<double>& history, const forecasting::ForecastOptions& options)>;

class RollingForecaster {
 public:
  explicit RollingForecaster(RollingForecasterConfig config,
                             FitFunction fit = forecasting::ForecastSeries);

  // `history[i]` is the load at first_time + i * resolution; NaN for gaps. The
  // last value is the newest one visible at `now` (metrics lag real time).
  RollingForecast Update(double now, std::span<const double> history, double first_time);

  Accuracy accuracy() const;
  const RollingForecasterConfig& config() const { return config_; }

 private:
  void Refit(double now, std::span<const double> history, double first_time, RollingForecast& out);
  double AnchorFactor(std::span<const double> history, double first_time) const;
  void ScorePending(std::span<const double> history, double first_time);

  RollingForecasterConfig config_;
  FitFunction fit_;
  std::vector<PathPoint> path_;  // from the last fit, ascending times
  // The fit's band offsets from its mean at each step h + 1 (quantile, lower, upper).
  struct Spread {
    double quantile, lower, upper;
  };
  std::vector<Spread> spread_;
  double fitted_at_ = -1;
  double fit_last_time_ = 0;  // time of the newest point the fit saw
  std::string model_;
  std::vector<std::string> notes_;

  struct Pending {
    double target_time;
    double predicted;  // what was used: the mix of the two below
    double naive;      // the newest observed load when the forecast was made
    double model;      // the re-anchored model path
    double recent;     // the recent mean load
  };
  std::deque<Pending> pending_;
  struct Scored {
    double abs_error, naive_abs_error, actual;
  };
  std::deque<Scored> scored_;
  std::deque<double> lead_errors_;  // observed - forecast at the lead time, newest last
  InverseErrorWeights mix_;         // model path vs recent mean, at the lead time
  double z_ = 0;                    // standard normal quantile of config_.quantile
};

}  // namespace foresight::op
