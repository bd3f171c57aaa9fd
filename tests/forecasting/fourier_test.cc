#include "forecasting/fourier.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/forecasting/stl_test_util.h"

namespace foresight::forecasting {
namespace {

using testing::ReadCsvColumns;
using testing::RDataPath;

void ExpectMatches(const Eigen::MatrixXd& x, const std::vector<std::vector<double>>& golden) {
  ASSERT_EQ(x.cols(), static_cast<long>(golden.size()));
  for (long c = 0; c < x.cols(); ++c) {
    ASSERT_EQ(x.rows(), static_cast<long>(golden[c].size()));
    for (long r = 0; r < x.rows(); ++r) {
      ASSERT_NEAR(x(r, c), golden[c][r], 1e-12) << "row " << r << " col " << c;
    }
  }
}

TEST(FourierTest, MatchesRInSampleWithNyquistSineDropped) {
  // fourier(ts(1:30, frequency = 12), K = 6): 11 columns, S6 (sin(pi t)) dropped.
  Eigen::MatrixXd x = FourierTerms(30, 12, 6);
  EXPECT_EQ(x.cols(), 11);
  ExpectMatches(x, ReadCsvColumns(RDataPath("stl_fourier_12_6.csv")));
}

TEST(FourierTest, MatchesRFutureTerms) {
  // fourier(ts(1:30, frequency = 12), K = 3, h = 10): times 31..40.
  ExpectMatches(FourierTerms(10, 12, 3, /*offset=*/30),
                ReadCsvColumns(RDataPath("stl_fourier_12_3_h10.csv")));
}

TEST(FourierTest, MatchesRMultiplePeriodsWithDuplicatesRemoved) {
  // K = (3, 10) for periods (24, 168): harmonic 7 of 168 equals harmonic 1 of
  // 24, so 3 + 9 = 12 frequencies, 24 columns.
  auto x = FourierTerms(400, std::vector<double>{24, 168}, std::vector<int>{3, 10});
  ASSERT_TRUE(x.ok()) << x.error();
  EXPECT_EQ(x->cols(), 24);
  ExpectMatches(*x, ReadCsvColumns(RDataPath("stl_fourier_24_168.csv")));
}

TEST(FourierTest, FutureTermsContinueInSampleTerms) {
  Eigen::MatrixXd all = FourierTerms(1500, 1440, 4);
  Eigen::MatrixXd head = FourierTerms(1000, 1440, 4);
  Eigen::MatrixXd tail = FourierTerms(500, 1440, 4, 1000);
  EXPECT_TRUE(all.topRows(1000).isApprox(head, 1e-12));
  EXPECT_LT((all.bottomRows(500) - tail).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(FourierTest, RejectsTooManyHarmonics) {
  EXPECT_FALSE(FourierTerms(10, std::vector<double>{12}, std::vector<int>{7}).ok());
  EXPECT_FALSE(FourierTerms(10, std::vector<double>{12, 24}, std::vector<int>{1}).ok());
  EXPECT_EQ(FourierTerms(10, 12, 7).cols(), 0);
  EXPECT_EQ(FourierTerms(10, 12, 0).cols(), 0);
}

}  // namespace
}  // namespace foresight::forecasting
