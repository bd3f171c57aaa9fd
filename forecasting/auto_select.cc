#include "forecasting/auto_select.h"

#include <cmath>
#include <limits>

#include "forecasting/combination.h"
#include "forecasting/model_families.h"
#include "forecasting/season_choice.h"

namespace foresight::forecasting {
namespace {

// Validation needs enough training data left to fit a seasonal model.
constexpr int kMinTrainingPoints = 10;
constexpr const char* kCombinationName = "combination";
// How much lower a challenger's validation error must be to replace the
// incumbent (10%): chosen on the M4 hourly validation (bench/m4/README.md).
constexpr double kChallengerMargin = 0.10;

struct Scored {
  std::string family;
  PredictiveDistribution validation_forecast;
  double mae = std::numeric_limits<double>::infinity();
};

double MeanAbsoluteError(const std::vector<double>& actual, size_t offset,
                         const PredictiveDistribution& d) {
  double sum = 0.0;
  for (int h = 0; h < d.horizon(); ++h) sum += std::abs(actual[offset + h] - d.Mean(h));
  return sum / d.horizon();
}

std::vector<int> PeriodsThatFit(const std::vector<int>& periods, size_t n) {
  std::vector<int> fit;
  for (int p : periods) {
    if (n > static_cast<size_t>(kMinSeasonCycles) * p) fit.push_back(p);
  }
  return fit;
}

using FittedFamilies = std::vector<std::pair<std::string, std::unique_ptr<FittedModel>>>;

// Fits every named family on y (failures skipped, with a note). With
// `validated` (the same families fitted on the start of y, same periods), a
// family keeps the structure chosen there (RefitFamily).
FittedFamilies FitAll(const std::vector<std::string>& families, const std::vector<double>& y,
                      const std::vector<int>& periods, std::vector<std::string>& notes,
                      const FittedFamilies* validated = nullptr) {
  FittedFamilies fitted;
  for (const std::string& family : families) {
    const FittedModel* previous = nullptr;
    if (validated) {
      for (const auto& [name, model] : *validated)
        if (name == family) previous = model.get();
    }
    auto fit =
        validated ? RefitFamily(family, previous, y, periods) : (*FindFamily(family))(y, periods);
    if (fit.ok()) {
      fitted.emplace_back(family, std::move(fit).value());
    } else {
      notes.push_back("auto: " + family + " skipped: " + fit.error());
    }
  }
  return fitted;
}

}  // namespace

std::vector<std::string> AutoCandidates(const std::vector<int>& periods) {
  // Long or multiple seasons are decomposed by every family (MSTL), where
  // ARIMA on thousands of points is slow and gains little: ETS leads there.
  if (NeedsDecomposition(periods)) return {"mstl", "theta", "snaive"};
  // ETS is not among these: on the M4 hourly validation it made `auto` less
  // accurate and 40% slower (bench/m4/README.md).
  return {"arima", "theta"};
}

bool ValidatesCandidates(const std::vector<int>& periods) {
  // One season short enough for ARIMA to model directly: on the 414 M4 hourly
  // series Theta won the validation of 64 series and lost on most of them, on
  // two different windows (MASE 1.022 with the challenge, 0.985 without; 1.006
  // and 0.960 on the 48 points before), and neither a three-origin validation
  // nor a wider margin made the challenge pay. There the first candidate that
  // fits wins, and Theta is only the fallback.
  return periods.empty() || NeedsDecomposition(periods);
}

Result<Forecast> AutoForecast(const std::vector<double>& y, const std::vector<int>& periods,
                              int horizon) {
  const std::vector<std::string> candidates = AutoCandidates(periods);
  std::vector<std::string> notes;
  const int n = static_cast<int>(y.size());
  const int v = std::min(horizon, n / 4);

  std::string winner;
  FittedFamilies validated;        // the candidates fitted on the training window
  bool validated_periods = false;  // ... with the periods of the whole history
  if (ValidatesCandidates(periods) && v >= 1 && n - v >= kMinTrainingPoints) {
    std::vector<double> train(y.begin(), y.end() - v);
    std::vector<std::string> ignored_notes;  // validation fits explain nothing new
    const std::vector<int> train_periods = PeriodsThatFit(periods, train.size());
    validated_periods = train_periods == periods;
    validated = FitAll(candidates, train, train_periods, ignored_notes);
    std::vector<PredictiveDistribution> forecasts;
    // The first candidate is the incumbent (the family that is most accurate
    // across many series); a challenger must beat it clearly on this one
    // series' single validation window, whose error is itself noisy.
    double best = std::numeric_limits<double>::infinity();
    auto challenge = [&](const std::string& name, double mae) {
      if (!std::isfinite(mae)) return;
      const double bar = winner.empty() ? best : best * (1.0 - kChallengerMargin);
      if (mae < bar) {
        best = mae;
        winner = name;
      }
    };
    for (auto& [family, model] : validated) {
      PredictiveDistribution d = model->Predict(v);
      challenge(family, MeanAbsoluteError(y, train.size(), d));
      forecasts.push_back(std::move(d));
    }
    if (forecasts.size() > 1) {
      challenge(kCombinationName,
                MeanAbsoluteError(y, train.size(), CombineByQuantileAveraging(forecasts)));
    }
  }

  FittedFamilies fitted;
  if (winner.empty()) {
    // No validation: the first candidate that fits.
    for (const std::string& family : candidates) {
      fitted = FitAll({family}, y, periods, notes);
      if (!fitted.empty()) break;
    }
  } else {
    std::vector<std::string> members =
        winner == kCombinationName ? candidates : std::vector<std::string>{winner};
    // The refit keeps what validation chose within each family (e.g. ARIMA's
    // orders): it was chosen on all but the last v points.
    fitted = FitAll(members, y, periods, notes, validated_periods ? &validated : nullptr);
  }
  if (fitted.empty()) return Error{"every candidate model failed"};
  std::vector<PredictiveDistribution> forecasts;
  std::string name;
  for (auto& [family, model] : fitted) {
    forecasts.push_back(model->Predict(horizon));
    if (!name.empty()) name += "+";
    name += model->Name();
  }
  if (forecasts.size() > 1) name = "Comb(" + name + ")";
  return Forecast{name, CombineByQuantileAveraging(forecasts), std::move(notes)};
}

}  // namespace foresight::forecasting
