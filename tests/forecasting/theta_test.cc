#include "forecasting/theta.h"

#include <gtest/gtest.h>

#include <cmath>

#include "forecasting/classical_decomposition.h"
#include "forecasting/seasonality.h"
#include "tests/forecasting/golden_data.h"

namespace foresight::forecasting {
namespace {

using testing::ReadGoldenForecast;
using testing::ReadNumericColumn;

TEST(ClassicalDecompositionTest, AutocorrelationsMatchRAcf) {
  auto y = ReadNumericColumn("tests/data/r/series_AirPassengers.csv");
  auto expected = ReadNumericColumn("tests/data/r/acf_AirPassengers.csv");
  auto r = Autocorrelation(y, 24);
  ASSERT_EQ(r.size(), expected.size() + 1);
  for (size_t k = 0; k < expected.size(); ++k) EXPECT_NEAR(r[k + 1], expected[k], 1e-12) << "lag " << k + 1;
}

TEST(ClassicalDecompositionTest, SeasonalIndicesMatchRDecompose) {
  auto y = ReadNumericColumn("tests/data/r/series_AirPassengers.csv");
  auto expected = ReadNumericColumn("tests/data/r/decompose_AirPassengers.csv");
  auto index = MultiplicativeSeasonalIndices(y, 12);
  ASSERT_EQ(index.size(), expected.size());
  for (size_t i = 0; i < index.size(); ++i)
    EXPECT_NEAR(index[i], expected[i], 1e-10) << "month " << i;
}

TEST(ClassicalDecompositionTest, SeasonalTestSeparatesSeasonalFromNoise) {
  std::vector<double> seasonal, noise;
  unsigned state = 12345;
  for (int t = 0; t < 240; ++t) {
    state = state * 1103515245u + 12345u;
    double u = (state >> 8) / static_cast<double>(1u << 24) - 0.5;
    seasonal.push_back(10 + 3 * std::sin(2 * M_PI * t / 24) + u);
    noise.push_back(10 + u);
  }
  EXPECT_TRUE(SeasonalAcfTest(seasonal, 24));
  EXPECT_FALSE(SeasonalAcfTest(noise, 24));
  EXPECT_FALSE(SeasonalAcfTest(std::vector<double>(40, 1.0), 24)) << "needs > 2 periods";
}

struct ThetaCase {
  const char* series;
  int period;
  int horizon;
  double relative_tolerance;  // optimiser differences move alpha slightly
};

class ThetaGoldenTest : public ::testing::TestWithParam<ThetaCase> {};

TEST_P(ThetaGoldenTest, MatchesRThetaf) {
  const ThetaCase& c = GetParam();
  auto y = ReadNumericColumn(std::string("tests/data/r/series_") + c.series + ".csv");
  auto fit = FitTheta(y, c.period);
  ASSERT_TRUE(fit.ok()) << fit.error();
  auto d = (*fit)->Predict(c.horizon);
  auto g =
      ReadGoldenForecast("tests/data/r/baselines_forecasts.csv", std::string("thetaf:") + c.series);
  ASSERT_EQ(static_cast<int>(g.mean.size()), c.horizon);
  for (int h = 0; h < c.horizon; ++h) {
    EXPECT_NEAR(d.Mean(h), g.mean[h], c.relative_tolerance * std::abs(g.mean[h]))
        << "step " << h + 1;
  }
}

INSTANTIATE_TEST_SUITE_P(RReference, ThetaGoldenTest,
                         ::testing::Values(ThetaCase{"AirPassengers", 12, 24, 0.01},
                                           ThetaCase{"WWWusage", 1, 10, 0.01},
                                           ThetaCase{"USAccDeaths", 12, 24, 0.01}),
                         [](const auto& info) { return std::string(info.param.series); });

TEST(ThetaTest, NamesSeasonalityOnlyWhenDetected) {
  auto air = ReadNumericColumn("tests/data/r/series_AirPassengers.csv");
  EXPECT_EQ((*FitTheta(air, 12))->Name(), "Theta[12]");
  auto www = ReadNumericColumn("tests/data/r/series_WWWusage.csv");
  EXPECT_EQ((*FitTheta(www, 1))->Name(), "Theta");
}

TEST(ThetaTest, ShortConstantAndZeroSeriesStayFinite) {
  EXPECT_FALSE(FitTheta({1.0, 2.0}, 1).ok());
  for (const auto& y : {std::vector<double>(50, 0.0), std::vector<double>(50, 7.0)}) {
    auto fit = FitTheta(y, 24);
    ASSERT_TRUE(fit.ok());
    auto d = (*fit)->Predict(48);
    for (int h = 0; h < 48; ++h) {
      EXPECT_TRUE(std::isfinite(d.Mean(h)));
      EXPECT_NEAR(d.Mean(h), y[0], 1e-6);
    }
  }
}

}  // namespace
}  // namespace foresight::forecasting
