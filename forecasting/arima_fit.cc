// FitArima and ArimaLogLikelihood: one model with given orders.
#include "forecasting/arima.h"
#include "forecasting/arima_build.h"

namespace foresight::forecasting {

Result<std::unique_ptr<ArimaModel>> FitArima(const std::vector<double>& y, const ArimaSpec& spec,
                                             const Eigen::MatrixXd* xreg,
                                             const ArimaFitOptions& options) {
  Result<ArimaProblem> problem = MakeArimaProblem(y, spec, xreg);
  if (!problem.ok()) return Error{problem.error()};
  const int num_regressors = xreg ? static_cast<int>(xreg->cols()) : 0;
  const bool has_constant = static_cast<int>(problem->xreg.cols()) > num_regressors;
  Result<ArimaEstimate> est = EstimateArima(
      *problem, options.css_only ? ArimaMethod::kCss : ArimaMethod::kCssMl, false);
  if (!est.ok()) return Error{est.error()};
  const int num_estimated = static_cast<int>(est->coef.size());
  return BuildArimaModel(std::move(*problem), *est, has_constant, num_regressors, num_estimated);
}

Result<double> ArimaLogLikelihood(const std::vector<double>& y, const ArimaSpec& spec,
                                  const std::vector<double>& coefficients,
                                  const Eigen::MatrixXd* xreg) {
  Result<ArimaProblem> problem = MakeArimaProblem(y, spec, xreg);
  if (!problem.ok()) return Error{problem.error()};
  return ArimaLogLikelihoodAt(*problem, coefficients);
}

}  // namespace foresight::forecasting
