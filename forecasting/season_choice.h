// Chooses the seasonal periods a series is modelled with: the ones asked for,
// or the ones detected in the data, minus those the history is too short for.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace foresight::forecasting {

// A season is usable when the history is longer than this many full cycles:
// fewer cannot separate the seasonal pattern from the level (and MSTL, as R's
// mstl, keeps only periods under half the series).
constexpr int kMinSeasonCycles = 2;

// Returns the usable periods, ascending and without duplicates. `requested`
// empty means detect: among the periods common at `sampling_interval` when it
// is known (> 0, DetectCommonPeriods), else at any lag (DetectSeasonalPeriods). Every period dropped, and every detection, is explained
// in `notes`.
std::vector<int> ChooseSeasonalPeriods(const std::vector<double>& y, const std::vector<int>& requested,
                                       std::chrono::seconds sampling_interval, std::vector<std::string>& notes);

}  // namespace foresight::forecasting
