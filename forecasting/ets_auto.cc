// Automatic ETS model selection (R forecast's ets(model = "ZZZ")).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "forecasting/ets.h"
#include "forecasting/ets_forecast.h"
#include "forecasting/ets_model.h"

namespace foresight::forecasting {
namespace {

// R returns ses(y, alpha = 0.99999, initial = "simple") for a constant series:
// the level starts at y[0] and the forecast is that constant with zero spread.
constexpr double kConstantSeriesAlpha = 0.99999;

bool IsConstant(const std::vector<double>& y) {
  return std::all_of(y.begin(), y.end(), [&](double v) { return v == y.front(); });
}

// Candidates in R's loop order (error, trend, season, damped TRUE before
// FALSE); the first of equal AICc wins as in R.
std::vector<EtsSpec> Candidates(const std::vector<double>& y, int period,
                                const AutoEtsOptions& options) {
  const int n = static_cast<int>(y.size());
  const bool positive = *std::min_element(y.begin(), y.end()) > 0.0;
  const bool multiplicative = options.allow_multiplicative && positive;
  // R drops the season when m <= 1 or n <= m (and refuses m > 24; we go up to
  // kEtsMaxSeasonalPeriod).
  const bool seasonal = options.allow_seasonal && period > 1 && n > period &&
                        period <= kEtsMaxSeasonalPeriod && n >= 4;
  std::vector<EtsSpec> out;
  for (EtsError error : {EtsError::kAdditive, EtsError::kMultiplicative}) {
    if (error == EtsError::kMultiplicative && !multiplicative) continue;
    for (EtsTrend trend : {EtsTrend::kNone, EtsTrend::kAdditiveDamped, EtsTrend::kAdditive}) {
      if (trend == EtsTrend::kAdditiveDamped && !options.allow_damped) continue;
      for (EtsSeason season : {EtsSeason::kNone, EtsSeason::kAdditive, EtsSeason::kMultiplicative}) {
        if (season != EtsSeason::kNone && !seasonal) continue;
        if (season == EtsSeason::kMultiplicative && !multiplicative) continue;
        // A,*,M is excluded by R (restrict = TRUE): numerically unstable.
        if (error == EtsError::kAdditive && season == EtsSeason::kMultiplicative) continue;
        out.push_back({error, trend, season, season == EtsSeason::kNone ? 1 : period});
      }
    }
  }
  // R's loop is error > trend > season > damped; reorder ours to match.
  auto rank = [](const EtsSpec& s) {
    const int trend = s.trend == EtsTrend::kNone ? 0 : 1;
    const int damped_first = s.trend == EtsTrend::kAdditive ? 1 : 0;
    return static_cast<int>(s.error) * 100 + trend * 10 + static_cast<int>(s.season) * 2 +
           damped_first;
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const EtsSpec& a, const EtsSpec& b) { return rank(a) < rank(b); });
  return out;
}

}  // namespace

std::string EtsName(const EtsSpec& spec) {
  const char* error = spec.error == EtsError::kAdditive ? "A" : "M";
  const char* trend = spec.trend == EtsTrend::kNone       ? "N"
                      : spec.trend == EtsTrend::kAdditive ? "A"
                                                          : "Ad";
  const char* season = spec.season == EtsSeason::kNone       ? "N"
                       : spec.season == EtsSeason::kAdditive ? "A"
                                                             : "M";
  return std::string("ETS(") + error + "," + trend + "," + season + ")";
}

PredictiveDistribution EtsModel::Predict(int horizon) const { return EtsPredict(record_, horizon); }

Result<std::unique_ptr<FittedModel>> AutoEts(const std::vector<double>& y, int period,
                                             const AutoEtsOptions& options) {
  if (y.empty()) return Error{"ETS: empty series"};
  for (double v : y) {
    if (!std::isfinite(v)) return Error{"ETS: series contains NaN or infinity"};
  }
  if (IsConstant(y)) {
    EtsInitialState initial{y.front(), 0.0, {}};
    const EtsSpec spec{EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kNone, 1};
    EtsParams params;
    params.alpha = kConstantSeriesAlpha;
    return std::unique_ptr<FittedModel>(
        std::make_unique<EtsModel>(MakeEtsFitRecord(y, spec, params, initial, 2)));
  }

  std::unique_ptr<EtsModel> best;
  double best_aicc = std::numeric_limits<double>::infinity();
  // With n = k + 1 observations AICc divides by zero for every candidate; R
  // switches to Holt-Winters for such short series, we fall back to the AIC.
  std::unique_ptr<EtsModel> best_by_aic;
  double best_aic = std::numeric_limits<double>::infinity();
  std::string last_error = "no candidate model";
  for (const EtsSpec& spec : Candidates(y, period, options)) {
    Result<std::unique_ptr<EtsModel>> fit = FitEtsModel(y, spec);
    if (!fit.ok()) {
      last_error = fit.error();
      continue;  // scored +infinity
    }
    const double aicc = (*fit)->Aicc();
    const double aic = (*fit)->record().aic;
    if (std::isfinite(aicc)) {
      if (aicc < best_aicc) {
        best_aicc = aicc;
        best = std::move(fit).value();
      }
    } else if (best == nullptr && std::isfinite(aic) && aic < best_aic) {
      best_aic = aic;
      best_by_aic = std::move(fit).value();
    }
  }
  if (best == nullptr) best = std::move(best_by_aic);
  if (best == nullptr) return Error{"ETS: no model could be fitted (" + last_error + ")"};
  return std::unique_ptr<FittedModel>(std::move(best));
}

}  // namespace foresight::forecasting
