#include "forecasting/model_families.h"

#include <map>

#include "forecasting/baselines.h"
#include "forecasting/theta.h"

namespace foresight::forecasting {
namespace {

int ShortestPeriod(const std::vector<int>& periods) {
  return periods.empty() ? 1 : periods.front();
}
int LongestPeriod(const std::vector<int>& periods) { return periods.empty() ? 1 : periods.back(); }

const std::map<std::string, FamilyFitter, std::less<>>& Registry() {
  static const auto* registry = new std::map<std::string, FamilyFitter, std::less<>>{
      {"naive", [](const std::vector<double>& y, const std::vector<int>&) { return FitNaive(y); }},
      // The longest usable season repeats the most structure (a week repeats the day too).
      {"snaive",
       [](const std::vector<double>& y, const std::vector<int>& periods) {
         return periods.empty() ? FitNaive(y) : FitSeasonalNaive(y, LongestPeriod(periods));
       }},
      {"theta",
       [](const std::vector<double>& y, const std::vector<int>& periods) {
         return FitTheta(y, ShortestPeriod(periods));
       }},
  };
  return *registry;
}

}  // namespace

const FamilyFitter* FindFamily(std::string_view name) {
  auto it = Registry().find(name);
  return it == Registry().end() ? nullptr : &it->second;
}

const std::vector<std::string>& FamilyNames() {
  static const auto* names = [] {
    auto* v = new std::vector<std::string>;
    for (const auto& [name, fitter] : Registry()) v->push_back(name);
    return v;
  }();
  return *names;
}

}  // namespace foresight::forecasting
