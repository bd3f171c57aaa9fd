// Initial states against R's forecast:::initstate (tests/data/r/ets_initstate.csv)
// and the long-season variant of the fit (seasonal states kept at the heuristic).
#include "forecasting/ets_init.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "forecasting/ets_model.h"

namespace foresight::forecasting {
namespace {

const std::string kDataDir = std::string(FORESIGHT_SOURCE_DIR) + "/tests/data/r/";

std::vector<double> ReadSeries(const std::string& name) {
  std::ifstream in(kDataDir + "ets_series_" + name + ".csv");
  std::vector<double> y;
  for (double v; in >> v;) y.push_back(v);
  return y;
}

struct RState {
  std::string series, trend, season;
  std::vector<double> values;  // l, [b], s0..s(m-2) in R's order
};

std::vector<RState> ReadRStates() {
  std::ifstream in(kDataDir + "ets_initstate.csv");
  std::string line;
  std::getline(in, line);
  std::vector<RState> out;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) {
      if (!cell.empty() && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
      cells.push_back(cell);
    }
    if (std::stoi(cells[3]) == 0) out.push_back({cells[0], cells[1], cells[2], {}});
    out.back().values.push_back(std::stod(cells[5]));
  }
  return out;
}

TEST(EtsInitTest, MatchesRInitstate) {
  const std::vector<RState> cases = ReadRStates();
  ASSERT_EQ(cases.size(), 6u);
  for (const RState& c : cases) {
    const std::vector<double> y = ReadSeries(c.series);
    const int m = c.series == "H1" ? 24 : 12;
    const EtsSpec spec{EtsError::kAdditive, c.trend == "A" ? EtsTrend::kAdditive : EtsTrend::kNone,
                       c.season == "M" ? EtsSeason::kMultiplicative : EtsSeason::kAdditive, m};
    const EtsInitialState init = EtsHeuristicInitialState(y, spec);
    const std::string label = c.series + " " + c.trend + c.season;
    size_t i = 0;
    EXPECT_NEAR(init.level, c.values[i++], 1e-6 * std::abs(c.values[0])) << label;
    if (c.trend == "A") EXPECT_NEAR(init.trend, c.values[i++], 1e-6) << label;
    // R's s_j is the state j steps before the first observation: our phase m-1-j.
    for (int j = 0; j + 1 < m; ++j, ++i) {
      EXPECT_NEAR(init.season[m - 1 - j], c.values[i], 1e-6 * (1 + std::abs(c.values[i])))
          << label << " s" << j;
    }
    EXPECT_EQ(i, c.values.size()) << label;
  }
}

TEST(EtsInitTest, LongSeasonsKeepTheHeuristicSeasonalStates) {
  // Period 24 > 12: the fit optimises smoothing parameters, level and trend but
  // keeps the decomposition's seasonal states (documented in ets.h).
  const std::vector<double> y = ReadSeries("H10");
  const EtsSpec spec{EtsError::kMultiplicative, EtsTrend::kNone, EtsSeason::kMultiplicative, 24};
  auto fit = FitEtsModel(y, spec);
  ASSERT_TRUE(fit.ok()) << fit.error();
  const EtsInitialState heuristic = EtsHeuristicInitialState(y, spec);
  EXPECT_EQ((*fit)->record().initial_season, heuristic.season);
  EXPECT_NE((*fit)->record().initial_level, heuristic.level);

  // Period 12: optimised jointly, as R does.
  const std::vector<double> air = ReadSeries("AirPassengers");
  const EtsSpec monthly{EtsError::kMultiplicative, EtsTrend::kNone, EtsSeason::kMultiplicative, 12};
  auto air_fit = FitEtsModel(air, monthly);
  ASSERT_TRUE(air_fit.ok());
  EXPECT_NE((*air_fit)->record().initial_season, EtsHeuristicInitialState(air, monthly).season);
  // The seasonal sum constraint holds either way.
  double total = 0;
  for (double s : (*air_fit)->record().initial_season) total += s;
  EXPECT_NEAR(total, 12.0, 1e-9);
}

}  // namespace
}  // namespace foresight::forecasting
