#include "operator/kube_client.h"

#include <gtest/gtest.h>

#include "operator/testing/fake_http_client.h"

namespace foresight::op {
namespace {

TEST(ResourceTypeTest, BuildsCoreAndGroupPaths) {
  const ResourceType deployments{"apps", "v1", "deployments"};
  struct Case {
    ResourceType type;
    std::string ns, name, sub, expected;
  } cases[] = {
      {kCoreEvents, "demo", "", "", "/api/v1/namespaces/demo/events"},
      {deployments, "demo", "web", "scale", "/apis/apps/v1/namespaces/demo/deployments/web/scale"},
      {kPredictiveAutoscalers, "", "", "",
       "/apis/autoscaling.foresight.dev/v1alpha1/predictiveautoscalers"},
      {kPredictiveAutoscalers, "a b", "x", "status",
       "/apis/autoscaling.foresight.dev/v1alpha1/namespaces/a%20b/predictiveautoscalers/x/status"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.type.Path(c.ns, c.name, c.sub), c.expected);
}

TEST(KubeClientTest, MergePatchSendsTheRightContentTypeAndReportsStatusMessages) {
  testing::FakeHttpClient http;
  http.PushResponse(409,
                    R"({"kind":"Status","message":"the object has been modified","code":409})");
  KubeClient client(http, "https://127.0.0.1:6443/");
  auto r = client.MergePatch({"apps", "v1", "deployments"}, "demo", "web",
                             {{"spec", {{"replicas", 5}}}}, "scale");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->code, 409);
  EXPECT_EQ(r->ErrorMessage(), "the object has been modified");
  auto sent = http.requests().at(0);
  EXPECT_EQ(sent.method, "PATCH");
  EXPECT_EQ(sent.url, "https://127.0.0.1:6443/apis/apps/v1/namespaces/demo/deployments/web/scale");
  EXPECT_EQ(FindHeader(sent.headers, "content-type"), "application/merge-patch+json");
  EXPECT_EQ(Json::parse(sent.body), (Json{{"spec", {{"replicas", 5}}}}));
}

TEST(KubeClientTest, TransportFailureIsAnError) {
  testing::FakeHttpClient http;
  http.Push(Status::Unavailable("connection refused"));
  KubeClient client(http, "https://127.0.0.1:6443");
  auto r = client.Get(kLeases, "ns", "lock");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), StatusCode::kUnavailable);
  EXPECT_NE(r.error().find("connection refused"), std::string::npos);
}

TEST(KubeClientTest, WatchParsesEventsSplitAcrossChunks) {
  testing::FakeHttpClient http;
  http.chunk_size = 5;  // every event straddles chunk boundaries
  http.PushResponse(
      200,
      "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"7\"}}}\n"
      "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"9\"}}}\n");
  KubeClient client(http, "http://127.0.0.1:1");
  std::vector<std::string> seen;
  std::stop_source stop;
  Status s = client.Watch(
      kPredictiveAutoscalers, "", "5", 300,
      [&](const WatchEvent& e) {
        seen.push_back(e.type + ":" + e.object["metadata"]["resourceVersion"].get<std::string>());
        return true;
      },
      stop.get_token());
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED:7", "BOOKMARK:9"}));
  const std::string url = http.requests().at(0).url;
  EXPECT_NE(url.find("allowWatchBookmarks=true"), std::string::npos);
  EXPECT_NE(url.find("resourceVersion=5"), std::string::npos);
  EXPECT_NE(url.find("timeoutSeconds=300"), std::string::npos);
  EXPECT_NE(url.find("watch=true"), std::string::npos);
}

TEST(KubeClientTest, PlainHttp410BecomesAnExpiredErrorEvent) {
  testing::FakeHttpClient http;
  http.PushResponse(410, R"({"kind":"Status","reason":"Expired","code":410,"message":"too old"})");
  KubeClient client(http, "http://127.0.0.1:1");
  std::vector<WatchEvent> seen;
  std::stop_source stop;
  client.Watch(
      kPredictiveAutoscalers, "", "5", 300,
      [&](const WatchEvent& e) {
        seen.push_back(e);
        return true;
      },
      stop.get_token());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].type, "ERROR");
  EXPECT_EQ(seen[0].object["code"], 410);
  EXPECT_EQ(seen[0].object["message"], "too old") << "the server's Status is handed on";
}

Status WatchAnswering(int code, const std::string& body, HttpHeaders headers = {}) {
  testing::FakeHttpClient http;
  http.PushResponse(code, body, std::move(headers));
  KubeClient client(http, "http://127.0.0.1:1");
  std::stop_source stop;
  return client.Watch(
      kPredictiveAutoscalers, "", "5", 300, [](const WatchEvent&) { return true; },
      stop.get_token());
}

TEST(KubeClientTest, WatchErrorsCarryTheStatusReasonAndMessage) {
  const std::string forbidden =
      "predictiveautoscalers.autoscaling.foresight.dev is forbidden: User "
      "\"system:serviceaccount:foresight:operator\" cannot watch resource "
      "\"predictiveautoscalers\" in API group \"autoscaling.foresight.dev\" at the cluster scope";
  Status s = WatchAnswering(403, Json{{"kind", "Status"},
                                      {"apiVersion", "v1"},
                                      {"status", "Failure"},
                                      {"message", forbidden},
                                      {"reason", "Forbidden"},
                                      {"code", 403}}
                                     .dump());
  EXPECT_EQ(
      s.message(),
      "watch predictiveautoscalers.autoscaling.foresight.dev: HTTP 403 Forbidden: " + forbidden);
}

TEST(KubeClientTest, WatchErrorWithAPlainTextBodyKeepsItsFirstLine) {
  // The API server's throttling filter answers 429 in plain text (contract 7.3).
  Status s = WatchAnswering(429, "Too many requests, please try again later.\n",
                            {{"Content-Type", "text/plain; charset=utf-8"}, {"Retry-After", "1"}});
  EXPECT_EQ(s.message(),
            "watch predictiveautoscalers.autoscaling.foresight.dev: HTTP 429: Too many requests, "
            "please try again later.");
  EXPECT_EQ(WatchAnswering(503, "").message(),
            "watch predictiveautoscalers.autoscaling.foresight.dev: HTTP 503");
}

// A watch of a resource no longer served (its CRD deleted) is NotFound, which makes the
// informer relist and forget the objects; other answers are retried as watches.
TEST(KubeClientTest, AWatchAnswered404IsNotFound) {
  EXPECT_EQ(WatchAnswering(404, "404 page not found\n").code(), StatusCode::kNotFound);
  EXPECT_EQ(WatchAnswering(503, "").code(), StatusCode::kUnavailable);
}

TEST(KubeClientTest, RequestsCarryTheClientsTimeout) {
  testing::FakeHttpClient http;
  http.PushResponse(200, R"({"kind":"Lease"})");
  KubeClient client(http, "http://127.0.0.1:1", std::chrono::milliseconds(3333));
  ASSERT_TRUE(client.Get(kLeases, "ns", "lock").ok());
  EXPECT_EQ(http.requests().at(0).timeout, std::chrono::milliseconds(3333));
}

// The emulator's (and kube-apiserver's) answer to a list at a resourceVersion
// the server has not reached (contract 2.5), through the real client.
TEST(KubeListerWatcherTest, TooLargeResourceVersionIsRecognisedAsUnavailable) {
  testing::FakeHttpClient http;
  http.PushResponse(504, R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
      "message":"Too large resource version: 20, current: 10","reason":"Timeout",
      "details":{"causes":[{"reason":"ResourceVersionTooLarge",
                            "message":"Too large resource version"}],"retryAfterSeconds":1},
      "code":504})",
                    {{"Retry-After", "1"}});
  KubeClient client(http, "http://127.0.0.1:1");
  KubeListerWatcher source(client, kPredictiveAutoscalers);
  Result<ListResult> listed = source.List("20");
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error(),
            "list predictiveautoscalers.autoscaling.foresight.dev: HTTP 504 Timeout: Too large "
            "resource version: 20, current: 10");
  EXPECT_TRUE(IsResourceVersionUnavailable(listed.status()));
}

TEST(KubeListerWatcherTest, AResourceNoLongerServedIsNotFound) {
  testing::FakeHttpClient http;
  http.PushResponse(404, R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
      "message":"the server could not find the requested resource","reason":"NotFound",
      "code":404})");
  KubeClient client(http, "http://127.0.0.1:1");
  KubeListerWatcher source(client, kPredictiveAutoscalers);
  Result<ListResult> listed = source.List("");
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.status().code(), StatusCode::kNotFound);
  EXPECT_NE(listed.error().find("is its CustomResourceDefinition installed?"), std::string::npos)
      << listed.error();
}

TEST(KubeClientTest, ResolvesKindsThroughDiscoveryAndCachesThem) {
  testing::FakeHttpClient http;
  http.PushResponse(200, R"({"kind":"APIResourceList","groupVersion":"apps/v1","resources":[
      {"name":"deployments","namespaced":true,"kind":"Deployment","verbs":["get"]},
      {"name":"deployments/scale","namespaced":true,"kind":"Scale","group":"autoscaling","version":"v1"},
      {"name":"statefulsets","namespaced":true,"kind":"StatefulSet"}]})");
  KubeClient client(http, "http://127.0.0.1:1");
  auto sts = client.ResolveKind("apps/v1", "StatefulSet");
  ASSERT_TRUE(sts.ok()) << sts.error();
  EXPECT_EQ(sts->resource, "statefulsets");
  EXPECT_EQ(sts->group, "apps");
  EXPECT_EQ(client.ResolveKind("apps/v1", "StatefulSet")->resource, "statefulsets")
      << "served from the cache";
  EXPECT_EQ(http.requests().size(), 1u);
  EXPECT_EQ(http.requests()[0].url, "http://127.0.0.1:1/apis/apps/v1");
  http.PushResponse(200, R"({"kind":"APIResourceList","resources":[]})");
  auto missing = client.ResolveKind("apps/v1", "Deploymnet");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "kind Deploymnet is not served in apps/v1");
}

}  // namespace
}  // namespace foresight::op
