#include "operator/event_recorder.h"

#include <gtest/gtest.h>

#include "operator/testing/fake_clock.h"
#include "operator/testing/fake_http_client.h"

namespace foresight::op {
namespace {

const Json kAutoscaler = {{"apiVersion", "autoscaling.foresight.dev/v1alpha1"},
                          {"kind", "PredictiveAutoscaler"},
                          {"metadata", {{"namespace", "demo"}, {"name", "web"}, {"uid", "u-1"}}}};

// A recorder writing through a fake API server; errors it reports land in `error`.
class KubeEventRecorderTest : public ::testing::Test {
 protected:
  testing::FakeHttpClient http;
  testing::FakeClock clock;
  KubeClient client{http, "http://127.0.0.1:1"};
  std::string error;
  KubeEventRecorder recorder{client, clock, "foresight", "pod-1",
                             [this](const std::string& e) { error = e; }};
};

TEST_F(KubeEventRecorderTest, CreatesAnEventKubectlDescribeCanFind) {
  http.PushResponse(201, "{}");
  recorder.Record(kAutoscaler, "Normal", "ScaledUp", "scaled Deployment web from 3 to 5");
  auto sent = http.requests().at(0);
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "http://127.0.0.1:1/api/v1/namespaces/demo/events");
  Json event = Json::parse(sent.body);
  // kubectl describe selects events by involvedObject name, namespace, kind and uid.
  EXPECT_EQ(event["involvedObject"]["kind"], "PredictiveAutoscaler");
  EXPECT_EQ(event["involvedObject"]["uid"], "u-1");
  EXPECT_EQ(event["involvedObject"]["name"], "web");
  EXPECT_EQ(event["type"], "Normal");
  EXPECT_EQ(event["reason"], "ScaledUp");
  EXPECT_EQ(event["count"], 1);
  EXPECT_EQ(event["metadata"]["name"].get<std::string>().rfind("web.", 0), 0u);
}

TEST_F(KubeEventRecorderTest, RepeatsAreAggregatedByPatchingTheCount) {
  http.PushResponse(201, "{}");
  http.PushResponse(200, "{}");
  recorder.Record(kAutoscaler, "Warning", "PrometheusUnavailable", "connection refused");
  clock.Advance(std::chrono::seconds(30));
  recorder.Record(kAutoscaler, "Warning", "PrometheusUnavailable", "connection refused");
  auto requests = http.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].method, "PATCH");
  Json patch = Json::parse(requests[1].body);
  EXPECT_EQ(patch["count"], 2);
  const std::string first_name = Json::parse(requests[0].body)["metadata"]["name"];
  EXPECT_NE(requests[1].url.find("/events/" + first_name), std::string::npos);
}

TEST_F(KubeEventRecorderTest, AnEventCreatedByAnEarlierAttemptOfTheSameRequestIsRecorded) {
  http.PushResponse(409, R"({"kind":"Status","reason":"AlreadyExists"})");
  http.PushResponse(200, "{}");
  recorder.Record(kAutoscaler, "Normal", "ScaledUp", "x");
  EXPECT_EQ(error, "");
  clock.Advance(std::chrono::seconds(30));
  recorder.Record(kAutoscaler, "Normal", "ScaledUp", "x");
  auto requests = http.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].method, "PATCH") << "the repeat is counted on the Event that exists";
}

TEST_F(KubeEventRecorderTest, FailureIsReportedNotThrown) {
  http.PushResponse(403, R"({"kind":"Status","message":"events is forbidden"})");
  recorder.Record(kAutoscaler, "Normal", "ScaledUp", "x");
  EXPECT_NE(error.find("events is forbidden"), std::string::npos);
}

}  // namespace
}  // namespace foresight::op
