#include "forecasting/mstl_forecast.h"

#include <algorithm>
#include <utility>

namespace foresight::forecasting {

MstlModel::MstlModel(MstlDecomposition decomposition, std::unique_ptr<FittedModel> adjusted)
    : decomposition_(std::move(decomposition)), adjusted_(std::move(adjusted)) {}

std::string MstlModel::Name() const {
  std::string name = "MSTL(";
  for (size_t i = 0; i < decomposition_.periods.size(); ++i) {
    if (i > 0) name += ",";
    name += std::to_string(decomposition_.periods[i]);
  }
  return name + ")+" + adjusted_->Name();
}

std::vector<double> MstlModel::SeasonalForecast(int horizon) const {
  std::vector<double> offsets(std::max(horizon, 0), 0.0);
  for (size_t i = 0; i < decomposition_.periods.size(); ++i) {
    const std::vector<double>& s = decomposition_.seasonals[i];
    const long n = static_cast<long>(s.size());
    const long m = decomposition_.periods[i];
    // Seasonal naive of the last cycle: step h (1-based) takes s[n - m + (h - 1) mod m].
    for (int h = 0; h < horizon; ++h) offsets[h] += s[n - m + h % m];
  }
  return offsets;
}

PredictiveDistribution MstlModel::Predict(int horizon) const {
  PredictiveDistribution distribution = adjusted_->Predict(horizon);
  distribution.Shift(SeasonalForecast(distribution.horizon()));
  return distribution;
}

Result<std::unique_ptr<MstlModel>> FitMstlModel(const std::vector<double>& y,
                                                const std::vector<int>& periods,
                                                const AdjustedFitter& fit_adjusted,
                                                const MstlOptions& options) {
  Result<MstlDecomposition> decomposition = Mstl(y, periods, options);
  if (!decomposition.ok()) return Error{decomposition.error()};
  // With no seasonal component the adjusted series is y itself (not the
  // trend plus a remainder that only differs by rounding).
  std::vector<double> adjusted =
      decomposition->periods.empty() ? y : decomposition->SeasonallyAdjusted();
  Result<std::unique_ptr<FittedModel>> inner = fit_adjusted(adjusted);
  if (!inner.ok()) return Error{"mstl: adjusted-series model: " + inner.error()};
  if (*inner == nullptr) return Error{"mstl: adjusted-series fitter returned no model"};
  return std::make_unique<MstlModel>(std::move(decomposition).value(),
                                     std::move(inner).value());
}

Result<std::unique_ptr<FittedModel>> FitMstl(const std::vector<double>& y,
                                             const std::vector<int>& periods,
                                             const AdjustedFitter& fit_adjusted,
                                             const MstlOptions& options) {
  Result<std::unique_ptr<MstlModel>> model = FitMstlModel(y, periods, fit_adjusted, options);
  if (!model.ok()) return Error{model.error()};
  return std::unique_ptr<FittedModel>(std::move(model).value());
}

}  // namespace foresight::forecasting
