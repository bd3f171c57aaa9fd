#include "operator/history_cache.h"

#include <gtest/gtest.h>

#include <cmath>

#include "operator/testing/fake_clock.h"
#include "operator/testing/fake_metrics_source.h"

namespace foresight::op {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;
using testing::FakeMetricsSource;

Timestamp At(long long seconds) { return Timestamp(std::chrono::seconds(seconds)); }
long long Sec(Timestamp t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); }

// The value at t is t in minutes: easy to check where a point came from.
std::optional<double> Minutes(Timestamp t) { return static_cast<double>(Sec(t) / 60); }

TEST(QueryRangeWindowedTest, SplitsIntoWindowsOfAtMostMaxPointsOnTheSameGrid) {
  FakeMetricsSource source;
  source.value = Minutes;
  // 25 points with windows of 10: 10 + 10 + 5.
  auto r = QueryRangeWindowed(source, {"q", At(0), At(24 * 60), 60s}, 10);
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 25u);
  for (size_t i = 0; i < 25; ++i) EXPECT_EQ(r->values[i], static_cast<double>(i));
  const auto qs = source.range_queries();
  ASSERT_EQ(qs.size(), 3u);
  EXPECT_EQ(qs[0].start, At(0));
  EXPECT_EQ(qs[0].end, At(9 * 60));
  EXPECT_EQ(qs[1].start, At(10 * 60));  // no overlap, no hole
  EXPECT_EQ(qs[2].end, At(24 * 60));
}

TEST(QueryRangeWindowedTest, AWindowWithoutDataIsAGapButNoDataAtAllIsNotFound) {
  FakeMetricsSource source;
  // Data only from minute 15 on: the first window (0..9) has none.
  source.value = [](Timestamp t) -> std::optional<double> {
    if (Sec(t) < 15 * 60) return std::nullopt;
    return 1.0;
  };
  auto r = QueryRangeWindowed(source, {"q", At(0), At(19 * 60), 60s}, 10);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->CountMissing(), 15u);

  FakeMetricsSource empty;
  EXPECT_EQ(QueryRangeWindowed(empty, {"q", At(0), At(600), 60s}, 10).code(),
            StatusCode::kNotFound);
}

TEST(QueryRangeWindowedTest, OtherErrorsFailTheWholeFetch) {
  FakeMetricsSource source;
  source.value = Minutes;
  source.fail_next = Status::InvalidArgument("query 'q' returned 2 series");
  EXPECT_EQ(QueryRangeWindowed(source, {"q", At(0), At(600), 60s}).code(),
            StatusCode::kInvalidArgument);
}

class HistoryCacheTest : public ::testing::Test {
 protected:
  HistoryCacheTest() { source_.value = Minutes; }
  FakeClock clock_{At(1'000'000 * 60 + 30)};  // 30 s past a whole minute
  FakeMetricsSource source_;
  HistoryCache cache_{source_, clock_};
};

TEST_F(HistoryCacheTest, FirstRefreshFetchesTheWholeLengthInWindows) {
  // 20,000 one-minute points: two windows (11,000 + 9,000).
  const HistorySpec spec{"q", 60s, 20'000 * 60s};
  auto r = cache_.Refresh("ns/a", spec);
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 20'000u);
  // The last point is the last whole minute before now (30 s ago).
  EXPECT_EQ(r->timestamps.back(), At(1'000'000 * 60));
  EXPECT_EQ(r->values.back(), 1'000'000);
  EXPECT_EQ(r->values.front(), 1'000'000 - 19'999);
  ASSERT_EQ(source_.range_queries().size(), 2u);
  EXPECT_EQ(source_.range_queries()[0].end - source_.range_queries()[0].start, 10'999 * 60s);
}

TEST_F(HistoryCacheTest, LaterRefreshesFetchOnlyTheTailAndDropOldPoints) {
  const HistorySpec spec{"q", 60s, 100 * 60s};
  ASSERT_TRUE(cache_.Refresh("a", spec).ok());
  source_.ClearRecorded();
  clock_.Advance(3min);
  auto r = cache_.Refresh("a", spec);
  ASSERT_TRUE(r.ok()) << r.error();
  // One query for exactly the 3 new minutes.
  ASSERT_EQ(source_.range_queries().size(), 1u);
  EXPECT_EQ(source_.range_queries()[0].start, At((1'000'000 + 1) * 60));
  EXPECT_EQ(source_.range_queries()[0].end, At((1'000'000 + 3) * 60));
  // Still 100 points: the 3 oldest were dropped.
  ASSERT_EQ(r->size(), 100u);
  EXPECT_EQ(r->values.front(), 1'000'003 - 99);
  EXPECT_EQ(r->values.back(), 1'000'003);
  for (size_t i = 1; i < r->size(); ++i) ASSERT_EQ(r->timestamps[i] - r->timestamps[i - 1], 60s);

  // Within the same minute nothing is fetched.
  source_.ClearRecorded();
  clock_.Advance(10s);
  ASSERT_TRUE(cache_.Refresh("a", spec).ok());
  EXPECT_TRUE(source_.range_queries().empty());
}

TEST_F(HistoryCacheTest, TrailingGapsAreFetchedAgainOnceFilled) {
  // The newest two minutes are not scraped yet on the first refresh.
  bool late = true;
  source_.value = [&](Timestamp t) -> std::optional<double> {
    if (late && Sec(t) > (1'000'000 - 2) * 60) return std::nullopt;
    return Minutes(t);
  };
  const HistorySpec spec{"q", 60s, 10 * 60s};
  auto first = cache_.Refresh("a", spec);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->CountMissing(), 2u);
  late = false;
  source_.ClearRecorded();
  clock_.Advance(1min);
  auto second = cache_.Refresh("a", spec);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->CountMissing(), 0u);
  // Re-fetched from the first missing minute, not from the cached end.
  EXPECT_EQ(source_.range_queries().at(0).start, At((1'000'000 - 1) * 60));
  EXPECT_EQ(second->size(), 10u);
}

TEST_F(HistoryCacheTest, AChangedSpecOrARestartRefetchesEverything) {
  HistorySpec spec{"q", 60s, 10 * 60s};
  ASSERT_TRUE(cache_.Refresh("a", spec).ok());
  spec.query = "q2";
  source_.ClearRecorded();
  ASSERT_TRUE(cache_.Refresh("a", spec).ok());
  EXPECT_EQ(source_.range_queries().at(0).start, At((1'000'000 - 9) * 60));

  // A new cache (a restarted operator) rebuilds from the source.
  HistoryCache restarted(source_, clock_);
  source_.ClearRecorded();
  auto r = restarted.Refresh("a", spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 10u);
  EXPECT_EQ(source_.range_queries().size(), 1u);
}

TEST_F(HistoryCacheTest, AnErrorLeavesTheCacheAsItWas) {
  const HistorySpec spec{"q", 60s, 10 * 60s};
  ASSERT_TRUE(cache_.Refresh("a", spec).ok());
  clock_.Advance(2min);
  source_.fail_next = Status::Unavailable("connection refused");
  EXPECT_EQ(cache_.Refresh("a", spec).code(), StatusCode::kUnavailable);
  source_.ClearRecorded();
  auto r = cache_.Refresh("a", spec);
  ASSERT_TRUE(r.ok());
  // The retry fetched the same 2 minutes again.
  EXPECT_EQ(source_.range_queries().at(0).start, At((1'000'000 + 1) * 60));
  EXPECT_EQ(r->values.back(), 1'000'002);
}

TEST_F(HistoryCacheTest, FirstFetchErrorsAreReturned) {
  source_.value = [](Timestamp) { return std::optional<double>(); };
  EXPECT_EQ(cache_.Refresh("a", {"q", 60s, 10 * 60s}).code(), StatusCode::kNotFound);
  EXPECT_EQ(cache_.size(), 0u);
  EXPECT_EQ(cache_.Refresh("a", {"q", 60s, 30s}).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace foresight::op
