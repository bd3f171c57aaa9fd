// The `auto` model: picks, per series, the candidate family (or the
// combination of candidates) that forecast best on the series' own recent past.
//
// How it decides (see docs/forecasting.md):
//  1. Candidates depend on the seasonal periods (AutoCandidates): ARIMA and
//     Theta for no season or one of up to 168 steps; MSTL+ETS, Theta (on
//     MSTL-adjusted data) and seasonal naive for longer or several seasons.
//  2. Rolling origin: each candidate is fitted on the history minus its last
//     `v` points (v = the horizon, at most a quarter of the history) and scored
//     by mean absolute error on those v points; the equally weighted
//     combination of all fitted candidates is scored the same way.
//  3. The first candidate is the incumbent; another candidate, or the
//     combination, replaces it only with a validation error at least 10%
//     lower (one window's error is noisy). The winner is refitted on the whole
//     history. Within a family the model is chosen by AICc (ETS, ARIMA).
//  Too short a history for validation: the first candidate that fits wins.
#pragma once

#include <string>
#include <vector>

#include "forecasting/model.h"
#include "forecasting/result.h"

namespace foresight::forecasting {

std::vector<std::string> AutoCandidates(const std::vector<int>& periods);
// False when the candidates are not validated against each other for these
// periods (one season of up to 168 steps: see auto_select.cc for the evidence).
bool ValidatesCandidates(const std::vector<int>& periods);

// REQUIRES: y non-empty, finite, not constant.
Result<Forecast> AutoForecast(const std::vector<double>& y, const std::vector<int>& periods,
                              int horizon);

}  // namespace foresight::forecasting
