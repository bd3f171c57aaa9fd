// Golden tests against R forecast 8.20's ets() (tests/data/r/make_ets_golden.R).
//
// The optimisers differ (ours also handles long-season initial states
// differently, see ets.h), so fits are compared by
// log-likelihood: ours must be no worse than R's by more than a small relative
// margin (it is often better: R's Nelder-Mead stops early on some series).
// Forecasts are compared where the likelihoods agree closely.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "forecasting/ets.h"
#include "forecasting/ets_model.h"
#include "tests/forecasting/golden_data.h"

namespace foresight::forecasting {
namespace {

const std::string kDataDir = std::string(FORESIGHT_SOURCE_DIR) + "/tests/data/r/";

std::vector<double> ReadSeries(const std::string& name) {
  return testing::ReadPlainNumbers("tests/data/r/ets_series_" + name + ".csv");
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

// Relative log-likelihood shortfall allowed (ours vs R's), as a fraction of
// |loglik|. Measured: ours is at least R's minus 0.97 (0.02%, H1 ETS(A,Ad,N)), and
// better by up to half on the period-24 series (R's 29-dimensional Nelder-Mead
// stops far from the optimum there; we refine the seasonal states by
// Gauss-Newton instead, see ets_fit.cc). H265 has two basins for the seasonal
// models: the fit must find the low-alpha one, as R does.
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

namespace foresight::forecasting {
namespace {

// Series where R's choice is clear (no other candidate within a few AICc
// points in R's or our fits) must select the same model. Elsewhere the
// candidates are close and each optimiser's optimum decides (e.g. on
// AirPassengers we find a better ETS(M,A,M) optimum, AICc 1390.9, than R's
// chosen ETS(M,Ad,M), 1400.6); there we require an AICc no worse than R's by
// more than kAutoAiccRelTolerance.
constexpr double kAutoAiccRelTolerance = 0.002;

TEST(EtsGoldenTest, AutoSelectionMatchesR) {
  const std::set<std::string> clear = {"USAccDeaths", "WWWusage", "H1"};
  int compared = 0;
  for (const auto& row : ReadCsv("ets_fits.csv")) {
    if (row.at("spec") != "auto") continue;
    const std::string name = row.at("series");
    auto fit = AutoEts(ReadSeries(name), std::stoi(row.at("period")));
    ASSERT_TRUE(fit.ok()) << name << ": " << fit.error();
    const double r_aicc = Num(row, "aicc");
    std::printf("%-14s R %-12s %10.3f  ours %-12s %10.3f\n", name.c_str(), row.at("method").c_str(),
                r_aicc, (*fit)->Name().c_str(), (*fit)->Aicc());
    EXPECT_LE((*fit)->Aicc(), r_aicc + kAutoAiccRelTolerance * std::abs(r_aicc)) << name;
    if (clear.count(name)) {
      EXPECT_EQ((*fit)->Name(), row.at("method")) << name;
    }
    ++compared;
  }
  EXPECT_EQ(compared, 8);
}

// Forecasts are compared only where both fits reached (nearly) the same
// likelihood; elsewhere different optima legitimately forecast differently.
// Means within 5%, 95% interval widths within 15% over the whole horizon
// (R's M,*,M widths come from its approximate "class 3" formula, ours from
// simulation; measured worst cases 3.8% and 10.8%).
constexpr double kSameOptimumLoglik = 1.0;
constexpr double kMeanRelTolerance = 0.05;
constexpr double kWidthRelTolerance = 0.15;

TEST(EtsGoldenTest, ForecastsMatchR) {
  int compared = 0;
  std::map<std::string, double> loglik_gap;  // series/spec -> ours - R's
  for (const auto& row : ReadCsv("ets_fits.csv")) {
    if (row.at("spec") == "auto") continue;
    auto fit = FitEtsModel(ReadSeries(row.at("series")),
                           SpecFromCode(row.at("spec"), std::stoi(row.at("period"))));
    ASSERT_TRUE(fit.ok());
    loglik_gap[row.at("series") + "/" + row.at("spec")] = (*fit)->record().loglik - Num(row, "loglik");
  }
  std::string current;
  std::unique_ptr<EtsModel> model;
  PredictiveDistribution dist;
  double worst_mean = 0, worst_width = 0;
  for (const auto& row : ReadCsv("ets_forecasts.csv")) {
    const std::string key = row.at("series") + "/" + row.at("spec");
    if (row.at("spec") == "auto") continue;
    if (key != current) {
      current = key;
      const std::string name = row.at("series");
      int period = 1;
      for (const auto& f : ReadCsv("ets_fits.csv")) {
        if (f.at("series") == name) period = std::stoi(f.at("period"));
      }
      auto fit = FitEtsModel(ReadSeries(name), SpecFromCode(row.at("spec"), period));
      ASSERT_TRUE(fit.ok());
      model = std::move(fit).value();
      dist = model->Predict(period > 1 ? 2 * period : 10);
    }
    const int h = std::stoi(row.at("h")) - 1;
    const double mean_err = std::abs(dist.Mean(h) - Num(row, "mean")) / std::abs(Num(row, "mean"));
    const Interval i95 = dist.At(h, 0.95);
    const double r_width = Num(row, "hi95") - Num(row, "lo95");
    const double width_err = std::abs((i95.upper - i95.lower) - r_width) / r_width;
    if (std::abs(loglik_gap[key]) < kSameOptimumLoglik) {
      ++compared;
      worst_mean = std::max(worst_mean, mean_err);
      worst_width = std::max(worst_width, width_err);
      EXPECT_LT(mean_err, kMeanRelTolerance) << key << " h=" << h + 1;
      EXPECT_LT(width_err, kWidthRelTolerance) << key << " h=" << h + 1;
    }
  }
  std::printf("compared %d steps: worst mean error %.4f, worst 95%% width error %.4f\n", compared,
              worst_mean, worst_width);
  EXPECT_GT(compared, 300);
}

}  // namespace
}  // namespace foresight::forecasting
