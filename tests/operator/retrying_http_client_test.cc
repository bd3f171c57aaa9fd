#include "operator/retrying_http_client.h"

#include <gtest/gtest.h>

#include "operator/testing/fake_clock.h"
#include "operator/testing/fake_http_client.h"

namespace foresight::op {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;
using testing::FakeHttpClient;

TEST(BackoffDelayTest, GrowsExponentiallyWithBoundedJitterAndACap) {
  const RetryPolicy p{.initial_backoff = 100ms, .backoff_multiplier = 2, .max_backoff = 1s,
                      .jitter_fraction = 0.5};
  struct Case {
    int attempt;
    double u;
    std::chrono::milliseconds want;
  } cases[] = {
      {1, 0.5, 100ms},   // u = 0.5 is no jitter: 100 * 2^0
      {2, 0.5, 200ms},   // 100 * 2^1
      {3, 0.0, 200ms},   // 400 * (1 - 0.5)
      {3, 0.999, 600ms}, // 400 * (1 - 0.5 + 2*0.5*0.999) = 599.6 -> 600
      {5, 0.5, 1000ms},  // 1600 capped at 1 s
  };
  for (const auto& c : cases)
    EXPECT_EQ(BackoffDelay(p, c.attempt, c.u), c.want) << "attempt " << c.attempt << " u " << c.u;
}

TEST(RetryAfterTest, SecondsOnly) {
  EXPECT_EQ(ParseRetryAfterSeconds("120"), std::chrono::seconds(120));
  EXPECT_EQ(ParseRetryAfterSeconds(" 3 "), std::chrono::seconds(3));
  EXPECT_EQ(ParseRetryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseRetryAfterSeconds("-1"), std::nullopt);
}

struct Fixture {
  FakeHttpClient inner;
  FakeClock clock;
  RetryingHttpClient client{inner,
                            {.max_attempts = 4, .initial_backoff = 100ms,
                             .backoff_multiplier = 2, .max_backoff = 10s, .jitter_fraction = 0.2,
                             .max_retry_after = 30s},
                            clock, [] { return 0.5; }};  // u = 0.5: no jitter
};

TEST(RetryingHttpClientTest, Retries5xxAnd429WithBackoffUntilSuccess) {
  Fixture f;
  f.inner.PushResponse(503, "");
  f.inner.PushResponse(429, "");
  f.inner.PushResponse(200, "ok");
  auto r = f.client.Send({.url = "http://x/"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(f.clock.sleeps(), (std::vector<std::chrono::milliseconds>{100ms, 200ms}));
}

TEST(RetryingHttpClientTest, HonoursRetryAfterSeconds) {
  Fixture f;
  f.inner.PushResponse(429, "", {{"Retry-After", "7"}});
  f.inner.PushResponse(200, "ok");
  ASSERT_TRUE(f.client.Send({.url = "http://x/"}).ok());
  EXPECT_EQ(f.clock.sleeps(), (std::vector<std::chrono::milliseconds>{7s}));
}

TEST(RetryingHttpClientTest, ARetryAfterBeyondTheCapIsNotWaitedFor) {
  Fixture f;
  f.inner.PushResponse(503, "", {{"Retry-After", "3600"}});
  auto r = f.client.Send({.url = "http://x/"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_TRUE(f.clock.sleeps().empty());
}

TEST(RetryingHttpClientTest, GivesUpAfterMaxAttemptsWithTheLastAnswer) {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.inner.PushResponse(500, "attempt " + std::to_string(i + 1));
  auto r = f.client.Send({.url = "http://x/"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "attempt 4");
  EXPECT_EQ(f.inner.requests().size(), 4u);
  EXPECT_EQ(f.clock.sleeps(), (std::vector<std::chrono::milliseconds>{100ms, 200ms, 400ms}));
}

TEST(RetryingHttpClientTest, DoesNotRetryClientErrorsOrBadRequests) {
  Fixture f;
  f.inner.PushResponse(404, "");
  EXPECT_EQ(f.client.Send({.url = "http://x/"})->status, 404);
  f.inner.Push(Status::InvalidArgument("bad URL"));
  EXPECT_EQ(f.client.Send({.url = "http://x/"}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(f.inner.requests().size(), 2u);
  EXPECT_TRUE(f.clock.sleeps().empty());
}

TEST(RetryingHttpClientTest, RetriesTransportErrorsUnlessTold) {
  Fixture f;
  f.inner.Push(Status::Unavailable("connection refused"));
  f.inner.PushResponse(200, "ok");
  EXPECT_TRUE(f.client.Send({.url = "http://x/"}).ok());

  FakeHttpClient inner;
  FakeClock clock;
  RetryingHttpClient no_transport(inner, {.retry_transport_errors = false}, clock,
                                  [] { return 0.5; });
  inner.Push(Status::Unavailable("connection refused"));
  EXPECT_EQ(no_transport.Send({.url = "http://x/"}).code(), StatusCode::kUnavailable);
  EXPECT_EQ(inner.requests().size(), 1u);
}

TEST(RetryingHttpClientTest, CanOwnItsInnerClient) {
  auto inner = std::make_shared<FakeHttpClient>();
  FakeClock clock;
  RetryingHttpClient client(inner, {}, clock, [] { return 0.5; });
  inner->PushResponse(502, "");
  inner->PushResponse(200, "ok");
  inner.reset();  // the wrapper keeps it alive
  auto r = client.Send({.url = "http://x/"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "ok");
}

}  // namespace
}  // namespace foresight::op
