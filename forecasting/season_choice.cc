#include "forecasting/season_choice.h"

#include <algorithm>

namespace foresight::forecasting {

std::vector<int> ChooseSeasonalPeriods(const std::vector<double>& y,
                                       const std::vector<int>& requested,
                                       std::vector<std::string>& notes) {
  std::vector<int> periods = requested;
  if (periods.empty()) {
    notes.push_back("no seasonal period given: modelling without seasonality");
  }
  std::sort(periods.begin(), periods.end());
  periods.erase(std::unique(periods.begin(), periods.end()), periods.end());
  std::vector<int> usable;
  for (int p : periods) {
    if (p <= 1) continue;
    if (y.size() < static_cast<size_t>(kMinSeasonCycles) * p) {
      notes.push_back("history of " + std::to_string(y.size()) + " points is shorter than " +
                      std::to_string(kMinSeasonCycles) + " seasons of " + std::to_string(p) +
                      ": period " + std::to_string(p) + " ignored (non-seasonal model)");
      continue;
    }
    usable.push_back(p);
  }
  return usable;
}

}  // namespace foresight::forecasting
