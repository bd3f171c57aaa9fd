// KubeAutoscalerApi over a scripted HTTP client: the requests a scale read and
// a conditional scale write make, and what the answers become.
#include "operator/autoscaler_api.h"

#include <gtest/gtest.h>

#include "operator/testing/fake_http_client.h"

namespace foresight::op {
namespace {

constexpr char kAppsDiscovery[] = R"({"kind":"APIResourceList","groupVersion":"apps/v1",
  "resources":[{"name":"deployments","namespaced":true,"kind":"Deployment"},
               {"name":"deployments/scale","namespaced":true,"kind":"Scale","group":"autoscaling","version":"v1"}]})";

constexpr char kWebScale[] = R"({"kind":"Scale","apiVersion":"autoscaling/v1",
  "metadata":{"name":"web","namespace":"demo","resourceVersion":"4711"},
  "spec":{"replicas":3},"status":{"replicas":2,"selector":"app=web"}})";

// The exact body kube-apiserver answers a stale resourceVersion with (contract §4.3).
constexpr char kConflictStatus[] = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
  "message":"Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again",
  "reason":"Conflict","details":{"name":"web","group":"apps","kind":"deployments"},"code":409})";

const ScaleTargetRef kWeb{"apps/v1", "Deployment", "web"};

TEST(KubeAutoscalerApiTest, ScaleReadCarriesTheResourceVersionThatTheWriteIsConditionalOn) {
  testing::FakeHttpClient http;
  http.PushResponse(200, kAppsDiscovery);
  http.PushResponse(200, kWebScale);
  http.PushResponse(200, kWebScale);
  KubeClient client(http, "https://127.0.0.1:6443");
  KubeAutoscalerApi api(client);

  Result<ScaleInfo> read = api.GetScale("demo", kWeb);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(read->spec_replicas, 3);
  EXPECT_EQ(read->status_replicas, 2);
  EXPECT_EQ(read->resource_version, "4711");
  ASSERT_TRUE(api.SetReplicas("demo", kWeb, 5, read->resource_version).ok());

  const auto sent = http.requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1].url, "https://127.0.0.1:6443/apis/apps/v1/namespaces/demo/deployments/web/scale");
  EXPECT_EQ(sent[2].method, "PATCH");
  EXPECT_EQ(sent[2].url, sent[1].url);
  EXPECT_EQ(FindHeader(sent[2].headers, "content-type"), "application/merge-patch+json");
  EXPECT_EQ(Json::parse(sent[2].body),
            Json::parse(R"({"metadata":{"resourceVersion":"4711"},"spec":{"replicas":5}})"));
}

TEST(KubeAutoscalerApiTest, ConflictIsItsOwnKindOfError) {
  testing::FakeHttpClient http;
  http.PushResponse(200, kAppsDiscovery);
  http.PushResponse(409, kConflictStatus);
  KubeClient client(http, "https://127.0.0.1:6443");
  KubeAutoscalerApi api(client);
  Status s = api.SetReplicas("demo", kWeb, 5, "4711");
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_EQ(s.message(),
            "scale Deployment demo/web: HTTP 409: Operation cannot be fulfilled on deployments.apps "
            "\"web\": the object has been modified; please apply your changes to the latest "
            "version and try again");
}

TEST(KubeAutoscalerApiTest, WithoutAResourceVersionTheWriteIsUnconditional) {
  testing::FakeHttpClient http;
  http.PushResponse(200, kAppsDiscovery);
  http.PushResponse(200, kWebScale);
  KubeClient client(http, "https://127.0.0.1:6443");
  KubeAutoscalerApi api(client);
  ASSERT_TRUE(api.SetReplicas("demo", kWeb, 5, "").ok());
  EXPECT_EQ(Json::parse(http.requests().at(1).body), Json::parse(R"({"spec":{"replicas":5}})"));
}

TEST(KubeAutoscalerApiTest, ACustomResourceIsScaledThroughTheResourceDiscoveryNames) {
  // Any kind whose discovery lists a scale subresource: here a CRD's kind, in
  // its own group, whose plural is not simply the lower-cased kind.
  testing::FakeHttpClient http;
  http.PushResponse(200, R"({"kind":"APIResourceList","groupVersion":"queue.example.com/v1",
    "resources":[{"name":"workerpools","namespaced":true,"kind":"WorkerPool"},
                 {"name":"workerpools/scale","namespaced":true,"kind":"Scale","group":"autoscaling","version":"v1"},
                 {"name":"workerpools/status","namespaced":true,"kind":"WorkerPool"}]})");
  http.PushResponse(200, R"({"kind":"Scale","apiVersion":"autoscaling/v1",
    "metadata":{"name":"jobs","namespace":"demo","resourceVersion":"12"},
    "spec":{"replicas":2},"status":{"replicas":2,"selector":""}})");
  http.PushResponse(200, "{}");
  KubeClient client(http, "https://127.0.0.1:6443");
  KubeAutoscalerApi api(client);
  const ScaleTargetRef pool{"queue.example.com/v1", "WorkerPool", "jobs"};
  Result<ScaleInfo> read = api.GetScale("demo", pool);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(read->spec_replicas, 2);
  ASSERT_TRUE(api.SetReplicas("demo", pool, 4, read->resource_version).ok());
  const auto sent = http.requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].url, "https://127.0.0.1:6443/apis/queue.example.com/v1");
  EXPECT_EQ(sent[2].url,
            "https://127.0.0.1:6443/apis/queue.example.com/v1/namespaces/demo/workerpools/jobs/scale");
  EXPECT_EQ(Json::parse(sent[2].body),
            Json::parse(R"({"metadata":{"resourceVersion":"12"},"spec":{"replicas":4}})"));
}

}  // namespace
}  // namespace foresight::op
