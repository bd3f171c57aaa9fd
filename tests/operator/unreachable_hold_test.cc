#include "operator/unreachable_hold.h"

#include <gtest/gtest.h>

#include "operator/testing/fake_clock.h"
#include "operator/testing/fake_http_client.h"

namespace foresight::op {
namespace {

using std::chrono::seconds;

class UnreachableHoldTest : public ::testing::Test {
 protected:
  Result<HttpResponse> Send() {
    HttpRequest request;
    request.url = "http://prom.test:9090/api/v1/query";
    return client.Send(request);
  }
  size_t Sent() const { return http->requests().size(); }

  testing::FakeClock clock;
  std::shared_ptr<testing::FakeHttpClient> http = std::make_shared<testing::FakeHttpClient>();
  UnreachableHoldHttpClient client{http, clock};
};

TEST_F(UnreachableHoldTest, AServerNotReachedIsNotAskedThenOneProbeGoesThrough) {
  http->Push(Status::DeadlineExceeded("timed out after 10s"));
  EXPECT_EQ(Send().code(), StatusCode::kDeadlineExceeded);

  // Held: answered at once, without sending, saying why and until when.
  clock.Advance(seconds(10));
  Result<HttpResponse> held = Send();
  EXPECT_EQ(held.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(held.error(),
            "not sent: the server could not be reached 10s ago (timed out after 10s); trying "
            "again in 20s");
  EXPECT_EQ(Sent(), 1u);

  // The hold is over: the next request is sent, and its answer ends the hold.
  clock.Advance(seconds(20));
  http->PushResponse(200, "{}");
  ASSERT_TRUE(Send().ok());
  http->PushResponse(200, "{}");
  ASSERT_TRUE(Send().ok());
  EXPECT_EQ(Sent(), 3u);
}

TEST_F(UnreachableHoldTest, AFailedProbeHoldsAgain) {
  http->Push(Status::Unavailable("connection refused"));
  EXPECT_FALSE(Send().ok());
  clock.Advance(kUnreachableHold);
  http->Push(Status::Unavailable("connection refused"));
  EXPECT_FALSE(Send().ok());  // the probe, still refused
  clock.Advance(seconds(1));
  Result<HttpResponse> held = Send();
  EXPECT_NE(held.error().find("trying again in 29s"), std::string::npos) << held.error();
  EXPECT_EQ(Sent(), 2u);
}

// Any HTTP answer is the request's own outcome (a bad query, a 503 for a query too slow for
// Prometheus): the server was reached, and other requests go on.
TEST_F(UnreachableHoldTest, AnHttpAnswerOfAnyStatusHoldsNothing) {
  http->PushResponse(503, R"({"status":"error","errorType":"timeout"})");
  http->PushResponse(400, R"({"status":"error","errorType":"bad_data"})");
  http->PushResponse(200, "{}");
  EXPECT_EQ(Send()->status, 503);
  EXPECT_EQ(Send()->status, 400);
  EXPECT_EQ(Send()->status, 200);
  EXPECT_EQ(Sent(), 3u);
}

}  // namespace
}  // namespace foresight::op
