// The contract every forecasting model implements.
//
// Fitting is a free function per family (FitEts, FitArima, ...) returning
// Result<std::unique_ptr<FittedModel>>: a model that cannot be fitted is an
// Error, never an exception. A fitted model is immutable and thread-compatible
// (const methods may be called from several threads).
#pragma once

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "forecasting/distribution.h"

namespace foresight::forecasting {

struct Forecast {
  std::string model;  // e.g. "ETS(M,Ad,M)", "ARIMA(2,1,1)(0,1,1)[24]"
  PredictiveDistribution distribution;
  std::vector<std::string> notes;  // fallbacks taken and why, for the user
};

class FittedModel {
 public:
  virtual ~FittedModel() = default;

  // Human-readable model name in R forecast's notation.
  virtual std::string Name() const = 0;

  // Corrected Akaike information criterion; +infinity when the model has no
  // likelihood comparable within its family.
  virtual double Aicc() const { return std::numeric_limits<double>::infinity(); }

  // One-step-ahead in-sample residuals y[t] - yhat[t|t-1] (NaN where undefined,
  // e.g. the first observations of a seasonal naive model).
  virtual const std::vector<double>& Residuals() const = 0;

  // Forecast `horizon` >= 1 steps past the end of the training data.
  virtual PredictiveDistribution Predict(int horizon) const = 0;
};

}  // namespace foresight::forecasting
