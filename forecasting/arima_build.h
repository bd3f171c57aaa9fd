// Assembling ARIMA problems and fitted models (internal to the ARIMA family).
#pragma once

#include <memory>
#include <vector>

#include <Eigen/Dense>

#include "forecasting/arima.h"
#include "forecasting/arima_estimate.h"

namespace foresight::forecasting {

// Validates the inputs and lays out the regression: the mean or drift column
// first (when spec asks for it and d + D allows it), then xreg's columns.
Result<ArimaProblem> MakeArimaProblem(const std::vector<double>& y, const ArimaSpec& spec,
                                      const Eigen::MatrixXd* xreg);

// AICc as forecast's myarima computes it: npar = estimated coefficients + 1,
// over the n_used observations left after differencing.
double ArimaAicc(double aic, int num_coefficients, int n_used);

// Runs the final filter at the estimates to get residuals and the state the
// forecasts start from. Like forecast::Arima, the innovation variance used for
// intervals is the residual sum of squares over nstar - num_estimated, not
// arima()'s ssq / nstar.
Result<std::unique_ptr<ArimaModel>> BuildArimaModel(ArimaProblem problem, const ArimaEstimate& est,
                                                    bool has_constant, int num_regressors,
                                                    int num_estimated);

}  // namespace foresight::forecasting
