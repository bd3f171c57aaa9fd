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

// Excel's "CSV UTF-8" starts with a byte order mark; Windows ends lines with CRLF.
TEST(SeriesCsvTest, ReadsAByteOrderMarkAndWindowsLineEnds) {
  auto r = Parse("\xEF\xBB\xBFseries,t,value\r\na,0,1\r\na,1,2\r\n");
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.series.size(), 1u);
  EXPECT_EQ(r.series[0].values, (std::vector<double>{1, 2}));
}

struct BadInput {
  const char* text;
  const char* expected_error;  // a substring: which line and what is wrong
};

TEST(SeriesCsvTest, MalformedInputNamesTheLine) {
  const BadInput cases[] = {
      {"t,value\n", "line 1: expected the header 'series,t,value', got 't,value'"},
      {"series,t,value\na,1\n", "line 2: expected 3 columns"},
      {"series,t,value\na,1,1\na,x,2\n", "line 3: t 'x' is not an integer"},
      {"series,t,value\na,1,1\na,2,abc\n", "line 3: value 'abc' is not a number"},
      {"series,t,value\na,2,1\na,1,2\n", "line 3: t 1 is not after the previous row's t 2"},
      {"series,t,value\na,1,1\nb,1,1\na,2,1\n", "line 4: series 'a' appears again"},
      {"series,t,value\n,1,1\n", "line 2: empty series name"},
      {"series,t,value\n", "no data rows"},
      {"series,t,value\na,0,1\na,1,1\na,1000000,2\n", "do not share a common step"},
      // Milliseconds would be taken for seconds: a 1-minute step for 1000 minutes.
      {"series,t,value\na,1700000000000,1\na,1700000060000,2\n",
       "line 2: t 1700000000000 is neither a step number nor unix seconds (it looks like "
       "milliseconds)"},
      // t at both ends of long long: their difference overflowed and the reader crashed.
      {"series,t,value\na,-9223372036854775807,1\na,9223372036854775807,2\n",
       "line 2: t -9223372036854775807 is neither a step number nor unix seconds"},
  };
  for (const BadInput& c : cases) {
    auto r = Parse(c.text);
    EXPECT_NE(r.error.find(c.expected_error), std::string::npos) << "input:\n"
                                                                 << c.text << "error: " << r.error;
  }
}

}  // namespace
}  // namespace foresight::cli
