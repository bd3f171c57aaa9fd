// Integration tests against a REAL Prometheus (Debian's /usr/bin/prometheus),
// started on 127.0.0.1 with a free port and a temporary storage folder. They
// fail (never skip) when Prometheus cannot be started.
#include <gtest/gtest.h>

#include <signal.h>

#include <cmath>
#include <sstream>

#include "operator/history_cache.h"
#include "operator/metrics_server.h"
#include "operator/operator_metrics.h"
#include "operator/prometheus_client.h"
#include "operator/testing/fake_clock.h"
#include "tests/operator/support/prometheus_process.h"

namespace foresight::op {
namespace {

using namespace std::chrono_literals;
using testsupport::PrometheusProcess;

// History: two hours of one-minute samples ending about an hour ago, so the
// blocks are old enough to be backfilled and young enough for retention.
constexpr int kPoints = 120;
constexpr int kGapFirst = 40, kGapLast = 49;  // ten minutes without samples

Timestamp Origin() {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return Timestamp(now - now % 3600s - 3h);  // on a whole hour: a stable block layout
}

// load(i) = 100 + i/4: exact in binary floating point and in decimal text.
double Load(int i) { return 100 + i * 0.25; }
bool InGap(int i) { return i >= kGapFirst && i <= kGapLast; }

std::string OpenMetrics(Timestamp origin) {
  const long long t0 = std::chrono::duration_cast<std::chrono::seconds>(origin.time_since_epoch()).count();
  std::ostringstream om;
  om << "# HELP foresight_it_load Synthetic load.\n# TYPE foresight_it_load gauge\n";
  for (int i = 0; i < kPoints; ++i)
    if (!InGap(i))
      om << "foresight_it_load{job=\"loadgen\",instance=\"gen-1:9100\"} " << Load(i) << " "
         << t0 + 60LL * i << "\n";
  om << "# HELP foresight_it_requests Requests per instance.\n"
        "# TYPE foresight_it_requests gauge\n";
  for (const char* instance : {"web-a:8080", "web-b:8080"})
    for (int i = 0; i < kPoints; ++i)
      om << "foresight_it_requests{job=\"web\",instance=\"" << instance << "\"} "
         << (instance[4] == 'a' ? 1 : 2) << " " << t0 + 60LL * i << "\n";
  om << "# EOF\n";
  return om.str();
}

class PrometheusIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    origin_ = Origin();
    prometheus_ = new PrometheusProcess();
    // A lookback of 30 s (< the 60 s sample interval) keeps a gap a gap
    // instead of repeating the last sample for up to 5 minutes.
    start_error_ = prometheus_->Start({.openmetrics = OpenMetrics(origin_),
                                       .lookback_delta = "30s"});
  }
  static void TearDownTestSuite() {
    delete prometheus_;  // stops the process
    prometheus_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(start_error_, "") << "a real Prometheus is required for this test";
    auto c = NewPrometheusClient({.url = prometheus_->url(), .timeout = 10s});
    ASSERT_TRUE(c.ok()) << c.error();
    client_ = std::move(c).value();
  }

  static inline PrometheusProcess* prometheus_ = nullptr;
  static inline std::string start_error_;
  static inline Timestamp origin_;
  std::unique_ptr<PrometheusClient> client_;
};

void ExpectBackfilledValues(const RangeSeries& s, Timestamp origin) {
  ASSERT_EQ(s.size(), static_cast<size_t>(kPoints));
  for (int i = 0; i < kPoints; ++i) {
    EXPECT_EQ(s.timestamps[i], origin + 60s * i) << "point " << i;
    if (InGap(i)) {
      EXPECT_TRUE(std::isnan(s.values[i])) << "point " << i << " is in the gap";
    } else {
      EXPECT_EQ(s.values[i], Load(i)) << "point " << i;
    }
  }
  EXPECT_EQ(s.CountMissing(), static_cast<size_t>(kGapLast - kGapFirst + 1));
}

TEST_F(PrometheusIntegrationTest, RangeQueryReturnsTheBackfilledValuesAtTheirTimestamps) {
  auto r = client_->QueryRange({"foresight_it_load", origin_, origin_ + 60s * (kPoints - 1), 60s});
  ASSERT_TRUE(r.ok()) << r.error();
  ExpectBackfilledValues(*r, origin_);
}

TEST_F(PrometheusIntegrationTest, WindowedFetchAndHistoryCacheStitchTheSameSeries) {
  auto windowed = QueryRangeWindowed(
      *client_, {"foresight_it_load", origin_, origin_ + 60s * (kPoints - 1), 60s}, 25);
  ASSERT_TRUE(windowed.ok()) << windowed.error();
  ExpectBackfilledValues(*windowed, origin_);

  // The cache's clock stands 30 s after the last sample; 120 minutes of history.
  testing::FakeClock clock(origin_ + 60s * (kPoints - 1) + 30s);
  HistoryCache cache(*client_, clock);
  auto h = cache.Refresh("demo/web", {"foresight_it_load", 60s, 60s * kPoints});
  ASSERT_TRUE(h.ok()) << h.error();
  ExpectBackfilledValues(*h, origin_);
}

TEST_F(PrometheusIntegrationTest, InstantQueryAtABackfilledTimestamp) {
  auto r = client_->QueryInstant("foresight_it_load", origin_ + 600s);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->value, Load(10));
  auto sum = client_->QueryInstant("sum(foresight_it_requests)", origin_ + 600s);
  ASSERT_TRUE(sum.ok()) << sum.error();
  EXPECT_EQ(sum->value, 3);  // 1 (web-a) + 2 (web-b)
}

TEST_F(PrometheusIntegrationTest, TwoSeriesAreAnErrorNamingTheQuery) {
  auto r = client_->QueryRange({"foresight_it_requests", origin_, origin_ + 600s, 60s});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.error().find("query 'foresight_it_requests' returned 2 series"), std::string::npos)
      << r.error();
  EXPECT_NE(r.error().find("instance=\"web-a:8080\""), std::string::npos) << r.error();
  auto i = client_->QueryInstant("foresight_it_requests", origin_ + 600s);
  EXPECT_EQ(i.code(), StatusCode::kInvalidArgument) << i.status().ToString();
}

TEST_F(PrometheusIntegrationTest, BadSyntaxAndMissingMetricsAreErrors) {
  auto bad = client_->QueryInstant("sum(rate(foresight_it_load[1m]", origin_ + 600s);
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument) << bad.status().ToString();
  EXPECT_NE(bad.error().find("bad_data"), std::string::npos) << bad.error();
  auto none = client_->QueryRange({"no_such_metric", origin_, origin_ + 600s, 60s});
  EXPECT_EQ(none.code(), StatusCode::kNotFound) << none.status().ToString();
}

TEST(PrometheusDownIntegrationTest, AHungOrStoppedPrometheusIsAnErrorWithinTheTimeout) {
  PrometheusProcess prometheus;
  ASSERT_EQ(prometheus.Start({}), "") << "a real Prometheus is required for this test";
  auto c = NewPrometheusClient({.url = prometheus.url(), .timeout = 2s});
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.value()->QueryInstant("vector(1)", std::nullopt).ok()) << "up before the stop";

  // Hung (SIGSTOP): the kernel still accepts the connection, nothing answers.
  prometheus.Signal(SIGSTOP);
  auto start = std::chrono::steady_clock::now();
  auto hung = c.value()->QueryInstant("vector(1)", std::nullopt);
  auto hung_elapsed = std::chrono::steady_clock::now() - start;
  prometheus.Signal(SIGCONT);
  ASSERT_FALSE(hung.ok());
  EXPECT_EQ(hung.code(), StatusCode::kDeadlineExceeded) << hung.status().ToString();
  EXPECT_GE(hung_elapsed, 1900ms);
  // The timeout, the 250 ms watchdog slack, and room for a loaded machine.
  EXPECT_LT(hung_elapsed, 3500ms) << "the 2 s timeout must bound the call";

  // Stopped: nothing listens any more.
  prometheus.Stop();
  start = std::chrono::steady_clock::now();
  auto r = c.value()->QueryInstant("vector(1)", std::nullopt);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.code() == StatusCode::kUnavailable || r.code() == StatusCode::kDeadlineExceeded)
      << r.status().ToString();
  EXPECT_NE(r.error().find("vector(1)"), std::string::npos) << r.error();
  EXPECT_LT(elapsed, 3s) << "the 2 s timeout must bound the call";
}

TEST(ScrapeIntegrationTest, PrometheusScrapesTheOperatorMetricsEndpoint) {
  MetricsRegistry registry;
  OperatorMetrics metrics(registry);
  metrics.workqueue_depth.Get().Set(7);
  metrics.desired_replicas.WithLabels({"demo/web"}).Set(12);
  const int port = testsupport::FreeLocalPort();
  auto server = MetricsServer::Start({.address = "127.0.0.1", .port = port}, registry,
                                     [] { return true; });
  ASSERT_TRUE(server.ok()) << server.error();

  PrometheusProcess prometheus;
  ASSERT_EQ(prometheus.Start({.scrape_targets = {"127.0.0.1:" + std::to_string(port)}}), "")
      << "a real Prometheus is required for this test";
  auto c = NewPrometheusClient({.url = prometheus.url(), .timeout = 5s});
  ASSERT_TRUE(c.ok());

  // Scrapes run every second; wait at most 30 s for the first to land.
  Result<InstantValue> depth = Status::NotFound("not queried yet");
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    depth = c.value()->QueryInstant("foresight_workqueue_depth{job=\"foresight\"}", std::nullopt);
    if (depth.ok()) break;
    std::this_thread::sleep_for(250ms);
  }
  ASSERT_TRUE(depth.ok()) << depth.error() << "\nprometheus log:\n" << prometheus.log();
  EXPECT_EQ(depth->value, 7);
  auto desired = c.value()->QueryInstant(
      "foresight_desired_replicas{job=\"foresight\",autoscaler=\"demo/web\"}", std::nullopt);
  ASSERT_TRUE(desired.ok()) << desired.error();
  EXPECT_EQ(desired->value, 12);
  auto up = c.value()->QueryInstant("up{job=\"foresight\"}", std::nullopt);
  ASSERT_TRUE(up.ok()) << up.error();
  EXPECT_EQ(up->value, 1);
}

}  // namespace
}  // namespace foresight::op
