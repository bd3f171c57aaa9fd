// The metrics endpoint over real HTTP on 127.0.0.1, read with our HttpClient;
// the served body is checked by `promtool check metrics`.
#include "operator/metrics_server.h"

#include <gtest/gtest.h>

#include <atomic>

#include "operator/http_client.h"
#include "operator/operator_metrics.h"
#include "tests/operator/support/test_env.h"

namespace foresight::op {
namespace {

using namespace std::chrono_literals;

class MetricsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metrics_.decisions_total.WithLabels({"ScaleUpLimit"}).Inc(2);
    metrics_.desired_replicas.WithLabels({"demo/web \"canary\""}).Set(7);
    metrics_.reconcile_duration_seconds.Get().Observe(0.3);
    metrics_.workqueue_depth.Get().Set(4);
    auto s = MetricsServer::Start({.address = "127.0.0.1", .port = testsupport::FreeLocalPort()},
                                  registry_, [this] { return ready_.load(); });
    ASSERT_TRUE(s.ok()) << s.error();
    server_ = std::move(s).value();
    auto c = NewCpprestHttpClient({});
    ASSERT_TRUE(c.ok());
    client_ = std::move(c).value();
  }

  Result<HttpResponse> Get(const std::string& path, const std::string& method = "GET") {
    return client_->Send({.method = method, .url = server_->url() + path, .timeout = 5s});
  }

  MetricsRegistry registry_;
  OperatorMetrics metrics_{registry_};
  std::atomic<bool> ready_{false};
  std::unique_ptr<MetricsServer> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(MetricsServerTest, ServesTheRegistryInTheTextFormat) {
  auto r = Get("/metrics");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Type").value_or(""), kExpositionContentType);
  EXPECT_EQ(r->body, registry_.Expose());
  EXPECT_NE(r->body.find("foresight_desired_replicas{autoscaler=\"demo/web \\\"canary\\\"\"} 7"),
            std::string::npos);
}

TEST_F(MetricsServerTest, PromtoolAcceptsTheServedMetrics) {
  auto r = Get("/metrics");
  ASSERT_TRUE(r.ok()) << r.error();
  std::string output;
  const int code =
      testsupport::RunCommand({PROMTOOL_BIN, "check", "metrics"}, &output, 30s, r->body);
  EXPECT_EQ(code, 0) << "promtool check metrics said:\n" << output << "\nbody:\n" << r->body;
}

TEST_F(MetricsServerTest, HealthzAlwaysReadyzOnlyOnceReady) {
  EXPECT_EQ(Get("/healthz")->status, 200);
  EXPECT_EQ(Get("/readyz")->status, 503);
  ready_ = true;
  EXPECT_EQ(Get("/readyz")->status, 200);
  EXPECT_EQ(Get("/healthz")->status, 200);
}

TEST_F(MetricsServerTest, UnknownPathsAndMethods) {
  EXPECT_EQ(Get("/nope")->status, 404);
  EXPECT_EQ(Get("/metrics", "POST")->status, 405);
}

TEST_F(MetricsServerTest, StopClosesThePortAndABusyPortIsAnError) {
  auto again = MetricsServer::Start({.address = "127.0.0.1",
                                     .port = std::stoi(server_->url().substr(17))},
                                    registry_, [] { return true; });
  EXPECT_FALSE(again.ok()) << "the port is taken";
  if (!again.ok()) {
    EXPECT_EQ(again.code(), StatusCode::kUnavailable) << again.error();
  }
  server_->Stop();
  server_->Stop();  // idempotent
  auto r = client_->Send({.url = server_->url() + "/healthz", .timeout = 2s});
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace foresight::op
