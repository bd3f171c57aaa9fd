#include "bench/m4/r_cache.h"

#include <gtest/gtest.h>

namespace foresight::bench::m4 {
namespace {

TEST(ParseRCacheTest, KeepsOnlyTimedFullHorizons) {
  const std::string forecasts =
      "series,method,step,forecast\n"
      "H1,ets,1,10.5\nH1,ets,2,11\n"
      "H1,auto.arima,1,9\nH1,auto.arima,2,8\n"
      // H7 ets: forecasts but no timing row (run killed in between): ignored.
      "H7,ets,1,1\nH7,ets,2,2\n"
      // H13 ets: timed but only one step: ignored.
      "H13,ets,1,5\n";
  const std::string timings =
      "series,method,seconds,model\n"
      "H1,ets,2.126,\"ETS(M,Ad,M)\"\n"
      "H1,auto.arima,31.5,\"ARIMA(2,0,1)(0,1,1)[24]\"\n"
      "H13,ets,1.0,\"ETS(A,N,A)\"\n";
  auto cache = ParseRCache(forecasts, timings, 2);
  ASSERT_TRUE(cache.ok()) << cache.error();
  ASSERT_EQ(cache->at("ets").size(), 1u);
  const RForecast& ets = cache->at("ets").at("H1");
  EXPECT_EQ(ets.mean, (std::vector<double>{10.5, 11}));
  EXPECT_DOUBLE_EQ(ets.seconds, 2.126);
  EXPECT_EQ(ets.model, "ETS(M,Ad,M)");  // commas inside the quoted model survive
  EXPECT_EQ(cache->at("auto.arima").at("H1").model, "ARIMA(2,0,1)(0,1,1)[24]");
}

TEST(ParseRCacheTest, RepeatedPairRestartsAtStepOne) {
  // A resumed run that redid H1 after its first attempt's forecasts were kept.
  const std::string forecasts = "series,method,step,forecast\nH1,ets,1,1\nH1,ets,1,3\nH1,ets,2,4\n";
  auto cache = ParseRCache(forecasts, "series,method,seconds,model\nH1,ets,1,\"x\"\n", 2);
  ASSERT_TRUE(cache.ok());
  EXPECT_EQ(cache->at("ets").at("H1").mean, (std::vector<double>{3, 4}));
}

TEST(ParseRCacheTest, CpuSecondsColumn) {
  // Current rows end in cpu_seconds; rows from before it was recorded have NA
  // there (the column was added) or nothing at all (the original layout).
  struct Case {
    const char* row;
    double cpu;
  };
  const Case cases[] = {
      {"H1,auto.arima,50.1,\"ARIMA(1,0,0)(2,1,0)[24] with drift\",40.25", 40.25},
      {"H1,auto.arima,50.1,\"ARIMA(1,0,0)(2,1,0)[24] with drift\",NA", -1},
      {"H1,auto.arima,50.1,\"ARIMA(1,0,0)(2,1,0)[24] with drift\"", -1},
  };
  for (const Case& c : cases) {
    auto cache =
        ParseRCache("series,method,step,forecast\nH1,auto.arima,1,7\n",
                    std::string("\"series\",\"method\",\"seconds\",\"model\"\n") + c.row, 1);
    ASSERT_TRUE(cache.ok()) << c.row << ": " << cache.error();
    const RForecast& r = cache->at("auto.arima").at("H1");
    EXPECT_EQ(r.model, "ARIMA(1,0,0)(2,1,0)[24] with drift") << c.row;
    EXPECT_DOUBLE_EQ(r.seconds, 50.1) << c.row;
    EXPECT_DOUBLE_EQ(r.cpu_seconds, c.cpu) << c.row;
  }
}

TEST(ParseRCacheTest, BadTimingRowIsAnError) {
  auto cache = ParseRCache("series,method,step,forecast\n",
                           "series,method,seconds,model\nH1,ets,fast,\"x\"\n", 2);
  EXPECT_FALSE(cache.ok());
}

TEST(ReadRCacheTest, MissingFolderIsEmpty) {
  auto cache = ReadRCache("/nonexistent/r_cache", 48);
  ASSERT_TRUE(cache.ok());
  EXPECT_TRUE(cache->empty());
}

}  // namespace
}  // namespace foresight::bench::m4
