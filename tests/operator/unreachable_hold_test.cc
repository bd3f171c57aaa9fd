#include "operator/unreachable_hold.h"

#include <gtest/gtest.h>

#include "operator/testing/fake_clock.h"
#include "operator/testing/fake_metrics_source.h"

namespace foresight::op {
namespace {

using std::chrono::seconds;

class UnreachableHoldTest : public ::testing::Test {
 protected:
  UnreachableHoldTest() {
    prometheus.value = [](Timestamp) -> std::optional<double> { return 42.0; };
  }
  size_t Asked() { return prometheus.range_queries().size() + instant_asked; }
  Result<InstantValue> Instant() {
    ++instant_asked;  // counted here: the fake does not expose its instant queries
    return hold.QueryInstant("up", clock.Now());
  }

  testing::FakeClock clock;
  testing::FakeMetricsSource prometheus;
  UnreachableHold hold{prometheus, clock};
  size_t instant_asked = 0;
};

TEST_F(UnreachableHoldTest, ATransportFailureHoldsQueriesThenOneProbeGoesThrough) {
  prometheus.fail_next = Status::DeadlineExceeded(
      "query 'up': Prometheus at http://p:9090 could not be reached: "
      "timed out after 10s");
  EXPECT_EQ(Instant().code(), StatusCode::kDeadlineExceeded);

  // Held: answered at once, without asking Prometheus, saying why and until when.
  clock.Advance(seconds(10));
  const RangeQuery range{"up", clock.Now() - seconds(600), clock.Now(), seconds(60)};
  Result<RangeSeries> held = hold.QueryRange(range);
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(held.error(),
            "Prometheus not asked: it could not be reached 10s ago (query 'up': Prometheus at "
            "http://p:9090 could not be reached: timed out after 10s); asking again in 20s");
  EXPECT_TRUE(prometheus.range_queries().empty());

  // The hold is over: the next query asks, and its answer ends the hold.
  clock.Advance(seconds(20));
  Result<InstantValue> back = Instant();
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->value, 42.0);
  EXPECT_TRUE(hold.QueryRange(range).ok());
  EXPECT_EQ(prometheus.range_queries().size(), 1u);
}

TEST_F(UnreachableHoldTest, AFailedProbeHoldsAgain) {
  prometheus.fail_next = Status::Unavailable("connection refused");
  EXPECT_FALSE(Instant().ok());
  clock.Advance(kUnreachableHold);
  prometheus.fail_next = Status::Unavailable("connection refused");
  EXPECT_FALSE(Instant().ok());  // the probe, still refused
  clock.Advance(seconds(1));
  const RangeQuery range{"up", clock.Now() - seconds(600), clock.Now(), seconds(60)};
  Result<RangeSeries> held = hold.QueryRange(range);
  EXPECT_NE(held.error().find("asking again in 29s"), std::string::npos) << held.error();
  EXPECT_TRUE(prometheus.range_queries().empty());
}

// A bad query or a query without data is that query's problem, not Prometheus' state:
// other autoscalers' queries go on.
TEST_F(UnreachableHoldTest, ErrorsOfTheQueryItselfHoldNothing) {
  prometheus.fail_next = Status::InvalidArgument("query 'up{': parse error");
  EXPECT_EQ(Instant().code(), StatusCode::kInvalidArgument);
  prometheus.fail_next = Status::NotFound("query 'up': returned no data");
  EXPECT_EQ(Instant().code(), StatusCode::kNotFound);
  Result<InstantValue> next = Instant();
  ASSERT_TRUE(next.ok()) << next.error();
}

}  // namespace
}  // namespace foresight::op
