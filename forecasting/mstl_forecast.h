// The MSTL forecaster (R forecast's stlf() / forecast.mstl()): decompose with
// MSTL, fit a non-seasonal model to the seasonally adjusted series
// (trend + remainder), forecast it, and re-add each seasonal component
// continued as the seasonal naive forecast of its last cycle.
//
// The seasonal continuation is deterministic, so the predictive distribution
// is the adjusted model's, shifted step by step (intervals keep their width).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "forecasting/model.h"
#include "forecasting/mstl.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

// Fits the non-seasonal model to the seasonally adjusted series.
using AdjustedFitter =
    std::function<Result<std::unique_ptr<FittedModel>>(const std::vector<double>&)>;

class MstlModel final : public FittedModel {
 public:
  MstlModel(MstlDecomposition decomposition, std::unique_ptr<FittedModel> adjusted);

  // "MSTL(1440,10080)+<inner name>"; "MSTL()+<inner name>" when every period
  // was dropped (the inner model then sees the series itself).
  std::string Name() const override;
  // The inner model's AICc: comparable only among MSTL fits with the same periods.
  double Aicc() const override { return adjusted_->Aicc(); }
  // The inner model's residuals (on the seasonally adjusted scale, which is
  // also y - fitted since the in-sample seasonals are known).
  const std::vector<double>& Residuals() const override { return adjusted_->Residuals(); }
  PredictiveDistribution Predict(int horizon) const override;

  const MstlDecomposition& decomposition() const { return decomposition_; }
  const FittedModel& adjusted_model() const { return *adjusted_; }
  // Sum over the seasonal components of their last cycle repeated: the offsets
  // added to the adjusted forecast for steps 1..horizon.
  std::vector<double> SeasonalForecast(int horizon) const;

 private:
  // Constant after construction.
  MstlDecomposition decomposition_;
  std::unique_ptr<FittedModel> adjusted_;
};

// Decomposes y with MSTL on `periods` (periods with fewer than two full cycles
// are dropped: see decomposition().dropped_periods) and fits `fit_adjusted`
// to the seasonally adjusted series.
// Errors: the decomposition fails (empty or non-finite y), or the fitter fails.
Result<std::unique_ptr<MstlModel>> FitMstlModel(const std::vector<double>& y,
                                                const std::vector<int>& periods,
                                                const AdjustedFitter& fit_adjusted,
                                                const MstlOptions& options = {});

// FitMstlModel behind the FittedModel interface.
Result<std::unique_ptr<FittedModel>> FitMstl(const std::vector<double>& y,
                                             const std::vector<int>& periods,
                                             const AdjustedFitter& fit_adjusted,
                                             const MstlOptions& options = {});

}  // namespace foresight::forecasting
