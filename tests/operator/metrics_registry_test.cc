#include "operator/metrics_registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "operator/operator_metrics.h"

namespace foresight::op {
namespace {

TEST(ExpositionTest, CountersAndGaugesWithAndWithoutLabels) {
  MetricsRegistry r;
  auto& requests = r.AddCounter("app_requests_total", "Requests served.", {"code", "method"});
  auto& depth = r.AddGauge("app_queue_depth", "Items waiting.");
  requests.WithLabels({"200", "GET"}).Inc(3);
  requests.WithLabels({"500", "GET"}).Inc();
  requests.WithLabels({"200", "GET"}).Inc(0.5);
  requests.WithLabels({"200", "GET"}).Inc(-7);  // ignored: counters never go down
  depth.Get().Set(12);
  // Families sorted by name; series by label values.
  EXPECT_EQ(r.Expose(),
            "# HELP app_queue_depth Items waiting.\n"
            "# TYPE app_queue_depth gauge\n"
            "app_queue_depth 12\n"
            "# HELP app_requests_total Requests served.\n"
            "# TYPE app_requests_total counter\n"
            "app_requests_total{code=\"200\",method=\"GET\"} 3.5\n"
            "app_requests_total{code=\"500\",method=\"GET\"} 1\n");
}

TEST(ExpositionTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  MetricsRegistry r;
  auto& h = r.AddHistogram("rpc_seconds", "RPC latency.", {0.1, 0.5, 1}, {"rpc"});
  // Observations 0.05 and 0.1 are <= 0.1 (le is inclusive); 0.7 <= 1; 3 only
  // in +Inf. Sum 0.05 + 0.1 + 0.7 + 3 = 3.85.
  for (double v : {0.05, 0.1, 0.7, 3.0}) h.WithLabels({"get"}).Observe(v);
  EXPECT_EQ(r.Expose(),
            "# HELP rpc_seconds RPC latency.\n"
            "# TYPE rpc_seconds histogram\n"
            "rpc_seconds_bucket{rpc=\"get\",le=\"0.1\"} 2\n"
            "rpc_seconds_bucket{rpc=\"get\",le=\"0.5\"} 2\n"
            "rpc_seconds_bucket{rpc=\"get\",le=\"1\"} 3\n"
            "rpc_seconds_bucket{rpc=\"get\",le=\"+Inf\"} 4\n"
            "rpc_seconds_sum{rpc=\"get\"} 3.85\n"
            "rpc_seconds_count{rpc=\"get\"} 4\n");
}

TEST(ExpositionTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry r;
  auto& g = r.AddGauge("x", "Line one\nback\\slash \"quotes\" stay.", {"path"});
  g.WithLabels({"C:\\dir \"q\"\nnext"}).Set(1);
  EXPECT_EQ(r.Expose(),
            "# HELP x Line one\\nback\\\\slash \"quotes\" stay.\n"
            "# TYPE x gauge\n"
            "x{path=\"C:\\\\dir \\\"q\\\"\\nnext\"} 1\n");
}

TEST(ExpositionTest, ValueFormatting) {
  const std::pair<double, const char*> cases[] = {
      {0, "0"},           {1, "1"},          {-2.5, "-2.5"},      {0.1, "0.1"},
      {1e-9, "1e-09"},    {123456789, "123456789"}, {INFINITY, "+Inf"}, {-INFINITY, "-Inf"},
      {NAN, "NaN"}};
  for (const auto& [v, want] : cases) EXPECT_EQ(FormatMetricValue(v), want) << want;
}

TEST(ExpositionTest, RemovedSeriesAreNoLongerExposed) {
  MetricsRegistry r;
  OperatorMetrics m(r);
  m.desired_replicas.WithLabels({"demo/web"}).Set(5);
  m.desired_replicas.WithLabels({"demo/api"}).Set(2);
  m.ForgetAutoscaler("demo/web");
  const std::string text = r.Expose();
  EXPECT_EQ(text.find("demo/web"), std::string::npos);
  EXPECT_NE(text.find("foresight_desired_replicas{autoscaler=\"demo/api\"} 2\n"),
            std::string::npos);
}

TEST(MetricsRegistryTest, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry r;
  auto& c = r.AddCounter("c_total", "c", {"k"});
  auto& h = r.AddHistogram("h", "h", {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10'000; ++i) {
        c.WithLabels({t % 2 ? "odd" : "even"}).Inc();
        h.Get().Observe(0.5);
        if (i % 1000 == 0) r.Expose();  // readers interleave with writers
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.WithLabels({"odd"}).Value() + c.WithLabels({"even"}).Value(), 40'000);
  EXPECT_EQ(h.Get().Read().count, 40'000u);
}

TEST(MetricsRegistryDeathTest, RegistrationMistakesAbort) {
  EXPECT_DEATH(MetricsRegistry().AddGauge("1bad", "h"), "invalid metric name");
  EXPECT_DEATH(MetricsRegistry().AddGauge("g", "h", {"__reserved"}), "invalid label name");
  EXPECT_DEATH(MetricsRegistry().AddHistogram("h", "h", {1}, {"le"}), "may not use the label");
  EXPECT_DEATH(MetricsRegistry().AddHistogram("h", "h", {2, 1}), "strictly ascending");
  EXPECT_DEATH(
      {
        MetricsRegistry r;
        r.AddGauge("g", "h");
        r.AddCounter("g", "h");
      },
      "registered twice");
  EXPECT_DEATH(
      {
        MetricsRegistry r;
        r.AddGauge("g", "h", {"a"}).WithLabels({"x", "y"});
      },
      "2 label values given for 1 label names");
}

TEST(OperatorMetricsTest, RegistersTheDocumentedNames) {
  MetricsRegistry r;
  OperatorMetrics m(r);
  m.reconcile_duration_seconds.Get().Observe(0.02);
  m.decisions_total.WithLabels({"ScaleUpLimit"}).Inc();
  m.workqueue_depth.Get().Set(3);
  const std::string text = r.Expose();
  for (const char* name :
       {"# TYPE foresight_reconcile_duration_seconds histogram",
        "# TYPE foresight_decisions_total counter", "# TYPE foresight_forecast_error_ratio gauge",
        "# TYPE foresight_desired_replicas gauge", "# TYPE foresight_current_replicas gauge",
        "# TYPE foresight_prometheus_query_errors_total counter",
        "# TYPE foresight_workqueue_depth gauge",
        "foresight_reconcile_duration_seconds_bucket{le=\"0.025\"} 1",
        "foresight_decisions_total{reason=\"ScaleUpLimit\"} 1", "foresight_workqueue_depth 3"})
    EXPECT_NE(text.find(name), std::string::npos) << name << "\n" << text;
}

}  // namespace
}  // namespace foresight::op
