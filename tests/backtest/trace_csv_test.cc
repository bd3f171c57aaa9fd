#include "backtest/trace_csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace foresight::backtest {
namespace {

TraceCsvResult Parse(const std::string& text) {
  std::istringstream in(text);
  return ReadTraceCsv(in);
}

// What spreadsheets and exporters write around the same three samples.
TEST(TraceCsvTest, ReadsTheHeaderAsExportersWriteIt) {
  const char* const cases[] = {
      "timestamp,value\n60,1\n120,2\n180,3\n",
      "timestamp,value\r\n60,1\r\n120,2\r\n180,3\r\n",      // Windows line ends
      "\xEF\xBB\xBFtimestamp,value\n60,1\n120,2\n180,3\n",  // Excel's "CSV UTF-8"
      "timestamp, value\n60, 1\n120, 2\n\n180, 3\n",        // spaces, a blank line
  };
  for (const char* text : cases) {
    TraceCsvResult r = Parse(text);
    ASSERT_EQ(r.error, "") << "input:\n" << text;
    EXPECT_EQ(r.trace.t0, 60.0) << "input:\n" << text;
    EXPECT_EQ(r.trace.step_seconds, 60) << "input:\n" << text;
    EXPECT_EQ(r.trace.values, (std::vector<double>{1, 2, 3})) << "input:\n" << text;
  }
}

struct BadTrace {
  const char* text;
  const char* expected_error;  // a substring: which line, what is wrong and the fix
};

TEST(TraceCsvTest, MalformedTraceNamesTheLineAndTheFix) {
  const BadTrace cases[] = {
      {"", "line 1: expected the header 'timestamp,value', got ''"},
      {"60,1\n120,2\n", "got '60,1': add that line above the samples"},
      {"timestamp,value\n60,1\n", "at least 2 samples"},
      {"timestamp,value\n60,1\n120,NaN\n", "line 3: expected 'timestamp,value' with two finite"},
      {"timestamp,value\n60,1\n120,-2\n", "line 3: load -2 is negative: the trace is load per"},
      // Out of order and duplicated samples say so, not that the spacing is uneven.
      {"timestamp,value\n120,1\n60,2\n",
       "line 3: timestamp 60 is not after the previous one (120)"},
      {"timestamp,value\n60,1\n120,2\n120,3\n",
       "line 4: timestamp 120 is not after the previous one (120): sort the samples"},
      {"timestamp,value\n60,1\n120,2\n240,3\n",
       "line 4: timestamp 240 is 120 s after the previous one; samples must be equally spaced (60 "
       "s)"},
      {"timestamp,value\n60,1\n60.5,2\n", "line 3: timestamp 60.5 is 0.5 s after the previous one"},
      // Milliseconds read as seconds would replay a 1-minute trace 1000 times slower.
      {"timestamp,value\n1700000000000,1\n1700000060000,2\n",
       "line 2: timestamp 1700000000000 is not in unix seconds (it looks like milliseconds)"},
      // A step over a day, or one that does not fit the trace's 32-bit step.
      {"timestamp,value\n0,1\n5000000000,2\n",
       "line 3: timestamp 5000000000 is 5000000000 s after"},
      {"timestamp,value\n0,1\n90000,2\n", "from 1 to 86400 (a day) apart"},
  };
  for (const BadTrace& c : cases) {
    TraceCsvResult r = Parse(c.text);
    EXPECT_NE(r.error.find(c.expected_error), std::string::npos) << "input:\n"
                                                                 << c.text << "error: " << r.error;
  }
}

}  // namespace
}  // namespace foresight::backtest
