#include "bench/m4/m4_data.h"

#include <gtest/gtest.h>

namespace foresight::bench::m4 {
namespace {

TEST(ParseM4CsvTest, QuotedWideRowsWithPadding) {
  // The competition's layout: a header, quoted cells, short rows padded with
  // empty cells to the longest series' width.
  const std::string text =
      "\"V1\",\"V2\",\"V3\",\"V4\"\n"
      "\"H1\",\"605\",\"586.5\",\"559\"\n"
      "\"H2\",\"3124\",\"2990\",,\r\n";
  auto series = ParseM4Csv(text);
  ASSERT_TRUE(series.ok()) << series.error();
  ASSERT_EQ(series->size(), 2u);
  EXPECT_EQ((*series)[0].id, "H1");
  EXPECT_EQ((*series)[0].values, (std::vector<double>{605, 586.5, 559}));
  EXPECT_EQ((*series)[1].id, "H2");
  EXPECT_EQ((*series)[1].values, (std::vector<double>{3124, 2990}));
}

TEST(ParseM4CsvTest, RejectsNonNumbers) {
  auto series = ParseM4Csv("\"V1\",\"V2\"\n\"H1\",\"abc\"\n");
  ASSERT_FALSE(series.ok());
  EXPECT_NE(series.error().find("line 2"), std::string::npos) << series.error();
}

TEST(HoldOutTest, LastPointsAreTheOutsample) {
  const Holdout h = HoldOut({"H9", {1, 2, 3, 4, 5}}, 2);
  EXPECT_EQ(h.id, "H9");
  EXPECT_EQ(h.insample, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(h.outsample, (std::vector<double>{4, 5}));
}

}  // namespace
}  // namespace foresight::bench::m4
