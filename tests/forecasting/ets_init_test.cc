// Initial states against R's forecast:::initstate (tests/data/r/ets_initstate.csv)
// and the long-season variant of the fit (seasonal states refined by Gauss-Newton).
#include "forecasting/ets_init.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "forecasting/ets_model.h"
#include "tests/forecasting/golden_data.h"
#include "forecasting/ets_refine.h"

namespace foresight::forecasting {
namespace {

const std::string kDataDir = std::string(FORESIGHT_SOURCE_DIR) + "/tests/data/r/";

std::vector<double> ReadSeries(const std::string& name) {
  return testing::ReadPlainNumbers("tests/data/r/ets_series_" + name + ".csv");
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
    if (c.trend == "A") {
      EXPECT_NEAR(init.trend, c.values[i++], 1e-6) << label;
    }
    // R's s_j is the state j steps before the first observation: our phase m-1-j.
    for (int j = 0; j + 1 < m; ++j, ++i) {
      EXPECT_NEAR(init.season[m - 1 - j], c.values[i], 1e-6 * (1 + std::abs(c.values[i])))
          << label << " s" << j;
    }
    EXPECT_EQ(i, c.values.size()) << label;
  }
}

TEST(EtsInitTest, LongSeasonsRefineTheHeuristicSeasonalStates) {
  // Period 24 > 12: Nelder-Mead fits the smoothing parameters, level and trend;
  // the seasonal states start from the decomposition and move only through
  // Gauss-Newton steps that raise the likelihood (ets_fit.cc).
  const std::vector<double> y = ReadSeries("H10");
  const EtsSpec spec{EtsError::kMultiplicative, EtsTrend::kNone, EtsSeason::kMultiplicative, 24};
  auto fit = FitEtsModel(y, spec);
  ASSERT_TRUE(fit.ok()) << fit.error();
  const EtsFitRecord& r = (*fit)->record();
  EtsInitialState heuristic = EtsHeuristicInitialState(y, spec);
  heuristic.level = r.initial_level;
  const EtsFitRecord unrefined = MakeEtsFitRecord(y, spec, r.params, heuristic, 0);
  EXPECT_GT(r.loglik, unrefined.loglik);
  double total = 0;
  for (double s : r.initial_season) total += s;
  EXPECT_NEAR(total, 24.0, 1e-9);  // multiplicative indices still sum to m
}

TEST(EtsInitTest, GaussNewtonRecoversInitialStatesOfALinearModel) {
  // ETS(A,N,A) is linear in its initial states: on noise-free data generated
  // from known states, one full Gauss-Newton step from wrong states lands on
  // the true ones (the sum of squared innovations is then zero).
  const EtsSpec spec{EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kAdditive, 4};
  const EtsParams params{0.3, 0.0, 0.2, 1.0};
  const EtsInitialState truth{50.0, 0.0, {3.0, -1.0, -4.0, 2.0}};
  // Noise-free data: y = yhat, so the states evolve without innovations.
  std::vector<double> y;
  for (int t = 0; t < 40; ++t) y.push_back(truth.level + truth.season[t % 4]);
  const EtsInitialState wrong{45.0, 0.0, {1.0, 1.0, -1.0, -1.0}};
  const EtsInitialState step = GaussNewtonInitialStates(y, spec, params, wrong, 1.0);
  EXPECT_NEAR(step.level, truth.level, 1e-8);
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(step.season[k], truth.season[k], 1e-8) << k;
}

}  // namespace
}  // namespace foresight::forecasting
