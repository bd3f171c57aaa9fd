// A fitted ETS model: the estimation record (parameters, initial and final
// states, likelihood, in-sample fit) and the FittedModel that forecasts from
// it. Immutable after construction; const methods are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "forecasting/ets.h"
#include "forecasting/ets_init.h"
#include "forecasting/ets_kernel.h"
#include "forecasting/model.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

struct EtsFitRecord {
  EtsSpec spec;
  EtsParams params;
  double initial_level = 0.0;
  double initial_trend = 0.0;
  std::vector<double> initial_season;  // by phase (ets_kernel.h)
  double final_level = 0.0;            // state after the last observation
  double final_trend = 0.0;
  std::vector<double> final_season;    // by phase
  int n = 0;                           // observations fitted; y[n] would have phase n % m

  // R's ets conventions: loglik = -0.5 * (n log SSE + 2 sum log|yhat|) (no
  // constants), parameter count k = smoothing parameters + initial states + 1
  // (sigma), AICc = -2 loglik + 2k + 2k(k+1)/(n-k-1).
  double loglik = 0.0;
  double aic = 0.0;
  double aicc = 0.0;
  double bic = 0.0;
  int num_params = 0;
  double sigma2 = 0.0;  // sum(innovation^2) / (n - k + 1), as R

  std::vector<double> fitted;       // one-step forecasts yhat[t|t-1]
  std::vector<double> innovations;  // y - yhat, or (y - yhat)/yhat for multiplicative error
  std::vector<double> residuals;    // y - yhat, comparable across model families
};

class EtsModel final : public FittedModel {
 public:
  explicit EtsModel(EtsFitRecord record) : record_(std::move(record)) {}

  std::string Name() const override { return EtsName(record_.spec); }
  double Aicc() const override { return record_.aicc; }
  // y - yhat for every error type (see innovations() for the model's own errors).
  const std::vector<double>& Residuals() const override { return record_.residuals; }
  PredictiveDistribution Predict(int horizon) const override;

  const EtsFitRecord& record() const { return record_; }
  const std::vector<double>& fitted() const { return record_.fitted; }
  const std::vector<double>& innovations() const { return record_.innovations; }

 private:
  EtsFitRecord record_;
};

// Runs the recursion once with known parameters and initial states and fills
// in every field of the record. `num_params` counts estimated parameters
// without sigma (R's length(par)).
EtsFitRecord MakeEtsFitRecord(const std::vector<double>& y, const EtsSpec& spec,
                              const EtsParams& params, const EtsInitialState& initial,
                              int num_params);

// FitEts with the concrete type (tests and callers that want the record).
Result<std::unique_ptr<EtsModel>> FitEtsModel(const std::vector<double>& y, const EtsSpec& spec);

}  // namespace foresight::forecasting
