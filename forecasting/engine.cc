#include "forecasting/engine.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "forecasting/auto_select.h"
#include "forecasting/baselines.h"
#include "forecasting/history_repair.h"
#include "forecasting/model_families.h"
#include "forecasting/season_choice.h"

namespace foresight::forecasting {
namespace {

// Probabilities checked for finiteness before a forecast is accepted: the
// tails of a 99% interval and the median.
constexpr double kCheckedQuantiles[] = {0.005, 0.5, 0.995};

bool IsFinite(const PredictiveDistribution& d) {
  for (int h = 0; h < d.horizon(); ++h) {
    if (!std::isfinite(d.Mean(h))) return false;
    for (double p : kCheckedQuantiles) {
      if (!std::isfinite(d.Quantile(h, p))) return false;
    }
  }
  return true;
}

// Flat forecast at `level` with zero width: what a constant history predicts,
// and the last resort when not even the naive model can be fitted.
Forecast FlatForecast(double level, int horizon, std::string model) {
  return {std::move(model),
          PredictiveDistribution::Normal(std::vector<double>(horizon, level),
                                         std::vector<double>(horizon, 0.0)),
          {}};
}

// Fits `name` (a family or "auto"); on failure returns the naive forecast and
// says why.
Forecast FitRequested(const std::vector<double>& y, const std::vector<int>& periods,
                      const ForecastOptions& options, std::vector<std::string>& notes) {
  if (options.model == "auto") {
    Result<Forecast> chosen = AutoForecast(y, periods, options.horizon);
    if (chosen.ok() && IsFinite(chosen->distribution)) {
      for (std::string& n : chosen->notes) notes.push_back(std::move(n));
      return std::move(chosen).value();
    }
    notes.push_back("auto: " +
                    (chosen.ok() ? std::string("forecast was not finite") : chosen.error()));
  } else {
    auto fit = (*FindFamily(options.model))(y, periods);
    if (fit.ok()) {
      PredictiveDistribution d = (*fit)->Predict(options.horizon);
      if (IsFinite(d)) return {(*fit)->Name(), std::move(d), {}};
      notes.push_back(options.model + ": forecast was not finite");
    } else {
      notes.push_back(options.model + ": " + fit.error());
    }
  }
  auto naive = FitNaive(y);
  if (naive.ok()) {
    notes.push_back("fell back to the naive forecast");
    return {(*naive)->Name(), (*naive)->Predict(options.horizon), {}};
  }
  notes.push_back("fell back to repeating the last observation");
  return FlatForecast(y.back(), options.horizon, "Naive");
}

}  // namespace

std::vector<std::string> ModelNames() {
  std::vector<std::string> names{"auto"};
  for (const std::string& n : FamilyNames()) names.push_back(n);
  return names;
}

Result<Forecast> ForecastSeries(const std::vector<double>& history,
                                const ForecastOptions& options) {
  if (options.horizon < 1) {
    return Error{"horizon must be at least 1 step, got " + std::to_string(options.horizon)};
  }
  if (options.model != "auto" && FindFamily(options.model) == nullptr) {
    std::string known;
    for (const std::string& n : ModelNames()) known += (known.empty() ? "" : ", ") + n;
    return Error{"unknown model '" + options.model + "'; use one of: " + known};
  }
  for (int p : options.seasonal_periods) {
    if (p < 1) return Error{"seasonal periods must be >= 1 step, got " + std::to_string(p)};
  }
  Result<RepairedHistory> repaired = RepairHistory(history);
  if (!repaired.ok()) return Error{repaired.error()};
  std::vector<std::string> notes = std::move(repaired->notes);
  std::vector<double> y = std::move(repaired->values);

  if (std::all_of(y.begin(), y.end(), [&](double v) { return v == y.front(); })) {
    Forecast flat = FlatForecast(std::max(0.0, y.front()), options.horizon, "Constant");
    notes.push_back("history is constant: forecasting the same value");
    flat.notes = std::move(notes);
    return flat;
  }

  // Models are fitted on data of order 1: likelihoods and optimiser tolerances
  // then behave the same for 0.01 and 1e9 requests per second.
  double scale = 0.0;
  for (double v : y) scale += std::abs(v);
  scale /= static_cast<double>(y.size());
  for (double& v : y) v /= scale;

  std::vector<int> periods = ChooseSeasonalPeriods(y, options.seasonal_periods, options.sampling_interval, notes);
  Forecast forecast = FitRequested(y, periods, options, notes);
  forecast.distribution.Scale(std::vector<double>(options.horizon, scale));
  forecast.distribution.ClampBelow(0.0);
  forecast.notes.insert(forecast.notes.begin(), notes.begin(), notes.end());
  return forecast;
}

}  // namespace foresight::forecasting
