#include "forecasting/season_choice.h"

#include <algorithm>

#include "forecasting/seasonality.h"

namespace foresight::forecasting {

std::vector<int> ChooseSeasonalPeriods(const std::vector<double>& y, const std::vector<int>& requested,
                                       std::chrono::seconds sampling_interval, std::vector<std::string>& notes) {
  std::vector<int> periods = requested;
  if (periods.empty()) {
    // With the sampling interval known, only the cycles operations data has at
    // that resolution are tested (a day, a week): searching every lag of noisy
    // 1-minute data finds cycles of 1304 or 4233 minutes that are not real.
    periods = sampling_interval.count() > 0
                  ? DetectCommonPeriods(y, sampling_interval)
                  : DetectSeasonalPeriods(y, static_cast<int>(y.size() / kMinSeasonCycles));
    std::string found;
    for (int p : periods) found += (found.empty() ? "" : ", ") + std::to_string(p);
    notes.push_back(periods.empty() ? "no seasonality detected: modelling without seasonality"
                                    : "detected seasonal periods: " + found);
  }
  std::sort(periods.begin(), periods.end());
  periods.erase(std::unique(periods.begin(), periods.end()), periods.end());
  std::vector<int> usable;
  for (int p : periods) {
    if (p <= 1) continue;
    if (y.size() <= static_cast<size_t>(kMinSeasonCycles) * p) {
      notes.push_back("history of " + std::to_string(y.size()) + " points is not longer than " +
                      std::to_string(kMinSeasonCycles) + " seasons of " + std::to_string(p) +
                      ": period " + std::to_string(p) + " ignored (non-seasonal model)");
      continue;
    }
    usable.push_back(p);
  }
  return usable;
}

}  // namespace foresight::forecasting
