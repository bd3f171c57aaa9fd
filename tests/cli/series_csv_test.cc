#include "cli/series_csv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace foresight::cli {
namespace {

SeriesCsvResult Parse(const std::string& text) {
  std::istringstream in(text);
  return ReadSeriesCsv(in);
}

TEST(SeriesCsvTest, ReadsSeveralSeriesAndTurnsGapsIntoNaN) {
  auto r = Parse("series,t,value\na,0,1\na,60,2\na,180,4\nb,5,7\nb,6,\n");
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.series.size(), 2u);
  EXPECT_EQ(r.series[0].id, "a");
  EXPECT_EQ(r.series[0].step, 60);
  ASSERT_EQ(r.series[0].values.size(), 4u);  // t = 120 is missing
  EXPECT_TRUE(std::isnan(r.series[0].values[2]));
  EXPECT_EQ(r.series[0].values[3], 4.0);
  EXPECT_TRUE(std::isnan(r.series[1].values[1]));
}

struct BadInput {
  const char* text;
  const char* expected_error;  // a substring: which line and what is wrong
};

TEST(SeriesCsvTest, MalformedInputNamesTheLine) {
  const BadInput cases[] = {
      {"t,value\n", "line 1: expected the header"},
      {"series,t,value\na,1\n", "line 2: expected 3 columns"},
      {"series,t,value\na,1,1\na,x,2\n", "line 3: t 'x' is not an integer"},
      {"series,t,value\na,1,1\na,2,abc\n", "line 3: value 'abc' is not a number"},
      {"series,t,value\na,2,1\na,1,2\n", "line 3: t 1 is not after the previous row's t 2"},
      {"series,t,value\na,1,1\nb,1,1\na,2,1\n", "line 4: series 'a' appears again"},
      {"series,t,value\n,1,1\n", "line 2: empty series name"},
      {"series,t,value\n", "no data rows"},
      {"series,t,value\na,0,1\na,1,1\na,1000000,2\n", "do not share a common step"},
  };
  for (const BadInput& c : cases) {
    auto r = Parse(c.text);
    EXPECT_NE(r.error.find(c.expected_error), std::string::npos) << "input:\n"
                                                                 << c.text << "error: " << r.error;
  }
}

}  // namespace
}  // namespace foresight::cli
