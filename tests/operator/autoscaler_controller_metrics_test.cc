// Controller tests of what Prometheus answers: warnings, outages, garbage live values, failed
// history queries. Whatever comes back, the autoscaler never scales down on it and says why
// (the fixture: controller_test_fixture.h).
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "operator/prometheus_client.h"
#include "operator/testing/fake_http_client.h"
#include "tests/operator/controller_test_fixture.h"

namespace foresight::op {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

TEST_F(ControllerTest, PrometheusWarningsAreInTheDecisionLog) {
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 40.0; };
  prometheus_.warnings = {"partial response: store b down"};
  Reconcile(Autoscaler());
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0]["metricWarnings"], json::array({"partial response: store b down"}));
  EXPECT_EQ(log_[0]["observedLoad"], 40.0) << "the value is used: warnings are not errors";
}

// A history of negative "loads" (a deriv() query, a broken recording rule) is no history: its
// steps are gaps, and with nothing else the autoscaler decides on the live load alone.
TEST_F(ControllerTest, NegativeHistoryValuesAreGapsNotLoads) {
  const Timestamp now = clock_.Now();
  prometheus_.value = [now](Timestamp t) -> std::optional<double> {
    return t < now - minutes(1) ? -30.0 : 40.0;
  };
  Reconcile(Autoscaler());
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_TRUE(log_[0]["forecast"].contains("none")) << log_[0].dump(1);
  EXPECT_EQ(log_[0]["reason"], "ColdStartReactiveOnly") << log_[0].dump(1);
}

TEST_F(ControllerTest, PrometheusOutageNeverScalesDown) {
  api_.scale = ScaleInfo{20, 20, "1"};  // right for a load of 200
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 200.0; };
  Reconcile(Autoscaler());
  api_.actions.clear();
  prometheus_.value = [](Timestamp) -> std::optional<double> {
    return std::nullopt;
  };  // no data at all
  for (int i = 0; i < 20; ++i) {
    clock_.Advance(minutes(1));
    prometheus_.fail_next = Status::Unavailable("connection refused");
    ReconcileOutcome out = Reconcile(Autoscaler());
    EXPECT_EQ(out.requeue_after, std::chrono::milliseconds(30'000));
  }
  EXPECT_EQ(api_.Count("scale "), 0) << ::testing::PrintToString(api_.actions);
  EXPECT_EQ(api_.scale->spec_replicas, 20);
  EXPECT_TRUE(events_.Has("Warning MetricUnavailable"));
  const json& status = api_.statuses.back();
  EXPECT_EQ((*Condition(status, "ScalingActive"))["status"], "False");
  EXPECT_EQ((*Condition(status, "ScalingActive"))["reason"], "FailedGetMetric");
  EXPECT_EQ(log_.back()["reason"], "MetricsUnavailable");
  const std::string exposed = registry_.Expose();
  EXPECT_NE(exposed.find("foresight_prometheus_query_errors_total{autoscaler=\"demo/web\"} 20"),
            std::string::npos)
      << exposed;
  EXPECT_NE(exposed.find("foresight_decisions_total{reason=\"MetricsUnavailable\"} 20"),
            std::string::npos);
  EXPECT_NE(exposed.find("foresight_desired_replicas{autoscaler=\"demo/web\"} 20"),
            std::string::npos);
}

TEST_F(ControllerTest, ADeletedAutoscalerLeavesNoHistoryBehind) {
  // Its cached history is dropped with it: one created again under the same
  // name starts from a whole fetch, as after a restart (and a deleted one's
  // history no longer takes memory).
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 10.0; };
  Reconcile(Autoscaler());
  controller_->Reconcile("demo/web", std::nullopt);
  prometheus_.ClearRecorded();
  clock_.Advance(minutes(1));
  Reconcile(Autoscaler());
  const std::vector<RangeQuery> fetched = prometheus_.range_queries();
  ASSERT_FALSE(fetched.empty());
  // The spec's history is 6h at the default 1m resolution: 360 points.
  EXPECT_EQ(fetched.front().end - fetched.front().start, minutes(359))
      << "the whole history, not the tail of a cached one";
}

// ---- Garbage from Prometheus ------------------------------------------------

// Instant queries go to `live`, range queries to `history`.
class SplitSource final : public MetricsSource {
 public:
  SplitSource(MetricsSource& live, MetricsSource& history) : live_(live), history_(history) {}
  Result<InstantValue> QueryInstant(const std::string& query,
                                    std::optional<Timestamp> at) override {
    return live_.QueryInstant(query, at);
  }
  Result<RangeSeries> QueryRange(const RangeQuery& q) override { return history_.QueryRange(q); }

 private:
  MetricsSource& live_;
  MetricsSource& history_;
};

// A live answer in the shape of the Prometheus HTTP API (querying/api.md).
struct LiveAnswer {
  const char* name;
  int http_status;   // 0: the connection was refused
  const char* body;  // @NOW: the query time in unix seconds; @10MIN_AGO: 600 s before it
  HttpHeaders headers;
  const char* why;  // what the condition, the Event and the decision log must say
};

const LiveAnswer kGarbage[] = {
    {"empty vector",
     200,
     R"({"status":"success","data":{"resultType":"vector","result":[]}})",
     {},
     "returned no data (empty vector)"},
    {"two series",
     200,
     R"({"status":"success","data":{"resultType":"vector","result":[
        {"metric":{"pod":"a"},"value":[@NOW,"1"]},{"metric":{"pod":"b"},"value":[@NOW,"2"]}]}})",
     {},
     "returned 2 series"},
    {"NaN",
     200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[@NOW,"NaN"]}]}})",
     {},
     "returned NaN"},
    {"+Inf",
     200,
     R"({"status":"success","data":{"resultType":"scalar","result":[@NOW,"+Inf"]}})",
     {},
     "returned +Inf"},
    {"-Inf",
     200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[@NOW,"-Inf"]}]}})",
     {},
     "returned -Inf"},
    {"negative",
     200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[@NOW,"-5"]}]}})",
     {},
     "returned -5: a load cannot be negative"},
    {"string result",
     200,
     R"({"status":"success","data":{"resultType":"string","result":[@NOW,"10"]}})",
     {},
     "resultType 'string'"},
    {"matrix for an instant query",
     200,
     R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[@NOW,"1"]]}]}})",
     {},
     "returned a range vector"},
    {"a 10-minute-old sample",
     200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[@10MIN_AGO,"1"]}]}})",
     {},
     "600s earlier: too old to be the current load"},
    {"bad_data",
     400,
     R"({"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"})",
     {},
     "(HTTP 400, bad_data): 1:5: parse error"},
    {"execution",
     422,
     R"({"status":"error","errorType":"execution","error":"many-to-many matching not allowed"})",
     {},
     "(HTTP 422, execution): many-to-many"},
    {"server timeout",
     503,
     R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})",
     {},
     "(HTTP 503, timeout): query timed out"},
    {"a proxy's HTML 502",
     502,
     "<html><body><h1>502 Bad Gateway</h1></body></html>",
     {},
     "HTTP 502 with a body that is not a JSON object"},
    {"truncated body",
     200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"me)",
     {},
     "HTTP 200 with a body that is not a JSON object"},
    {"credentials wanted",
     401,
     "Unauthorized\n",
     {},
     "it wants credentials and none were sent; name a Secret with credentials it accepts in "
     "spec.metric.prometheus.authSecretRef"},
    {"redirect",
     301,
     "",
     {{"Location", "https://prom.test/"}},
     "a redirect to 'https://prom.test/', which is not followed: set "
     "spec.metric.prometheus.address"},
    {"connection refused",
     0,
     "",
     {},
     "could not be reached: POST http://prom.test:9090/api/v1/query: connection refused"},
};

std::string AtTime(std::string body, Timestamp now) {
  const long long s = std::chrono::duration_cast<seconds>(now.time_since_epoch()).count();
  for (const auto& [mark, value] : {std::pair<std::string, long long>{"@NOW", s},
                                    std::pair<std::string, long long>{"@10MIN_AGO", s - 600}}) {
    for (size_t at; (at = body.find(mark)) != std::string::npos;)
      body.replace(at, mark.size(), std::to_string(value));
  }
  return body;
}

TEST_F(ControllerTest, GarbageLiveValuesNeverScaleDownAndSayWhy) {
  // 20 replicas; the history (from the fake) is a steady load of 10, which at
  // 10 per replica needs 1. The live value goes through the real client and
  // parser. Taken for the load, a valid 10 scales down (checked first, so the
  // harness can see a scale-down); each kind of garbage must hold the 20,
  // say why, and after fallback.failureThreshold (3) failures go up to
  // fallback.replicas (25), never down.
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 10.0; };
  const json pa = Autoscaler(R"({"fallback":{"replicas":25,"failureThreshold":3}})");
  struct Run {
    testing::FakeAutoscalerApi api;
    testing::FakeEventRecorder events;
    std::vector<json> log;
    std::shared_ptr<testing::FakeHttpClient> http = std::make_shared<testing::FakeHttpClient>();
    PrometheusClient live{http, {.url = "http://prom.test:9090"}};
    std::unique_ptr<SplitSource> source;
    std::unique_ptr<AutoscalerController> controller;
  };
  auto start = [&](Run& run) {
    run.api.scale = ScaleInfo{20, 20, "1"};
    run.source = std::make_unique<SplitSource>(run.live, prometheus_);
    ControllerDeps deps = deps_;
    deps.api = &run.api;
    deps.events = &run.events;
    deps.metrics_for = [&run](const std::string&, const AutoscalerSpec&) -> Result<MetricsSource*> {
      return run.source.get();
    };
    deps.decision_log = [&run](const json& line) { run.log.push_back(line); };
    run.controller = std::make_unique<AutoscalerController>(deps);
  };
  {
    Run valid;
    start(valid);
    valid.http->PushResponse(200, AtTime(R"({"status":"success","data":{"resultType":"vector",
        "result":[{"metric":{},"value":[@NOW,"10"]}]}})",
                                         clock_.Now()));
    valid.controller->Reconcile("demo/web", pa);
    ASSERT_LT(valid.api.scale->spec_replicas, 20) << valid.log.at(0).dump(1);
  }
  for (const LiveAnswer& c : kGarbage) {
    SCOPED_TRACE(c.name);
    Run run;
    start(run);
    for (int decision = 1; decision <= 3; ++decision) {
      clock_.Advance(seconds(30));
      if (c.http_status == 0) {
        run.http->Push(
            Status::Unavailable("POST http://prom.test:9090/api/v1/query: connection refused"));
      } else {
        run.http->PushResponse(c.http_status, AtTime(c.body, clock_.Now()), c.headers);
      }
      ReconcileOutcome out = run.controller->Reconcile("demo/web", pa);
      ASSERT_TRUE(out.error.ok()) << out.error.ToString();
      ASSERT_EQ(run.log.size(), static_cast<size_t>(decision));
      const json& line = run.log.back();
      if (decision < 3) {
        EXPECT_EQ(run.api.Count("scale "), 0) << ::testing::PrintToString(run.api.actions);
        EXPECT_EQ(line["reason"], "MetricsUnavailable") << line.dump(1);
      } else {
        EXPECT_EQ(run.api.scale->spec_replicas, 25) << line.dump(1);
        EXPECT_EQ(line["reason"], "FallbackReplicas") << line.dump(1);
      }
      EXPECT_TRUE(line["observedLoad"].is_null()) << line.dump(1);
      EXPECT_NE(line.value("metricError", "").find(c.why), std::string::npos) << line.dump(1);
    }
    const json* active = Condition(run.api.statuses.back(), "ScalingActive");
    ASSERT_NE(active, nullptr);
    EXPECT_EQ((*active)["status"], "False");
    EXPECT_EQ((*active)["reason"], "FailedGetMetric");
    EXPECT_NE((*active)["message"].get<std::string>().find(c.why), std::string::npos)
        << (*active)["message"];
    ASSERT_FALSE(run.events.events.empty());
    EXPECT_TRUE(
        run.events.Has("Warning MetricUnavailable: query 'sum(rate(requests[1m]))' failed: "))
        << ::testing::PrintToString(run.events.events);
    EXPECT_NE(run.events.events.front().find(c.why), std::string::npos)
        << run.events.events.front();
  }
}

TEST_F(ControllerTest, AFailedHistoryWithAGoodLiveValueDecidesOnTheLiveLoadAndSaysSo) {
  // The live value (10: one replica's worth) is read; the history query fails
  // (no data in its range). Without a forecast the decision is the live
  // load's, as the HPA's would be: here 20 -> 1. What is reported must say
  // so, not promise that the replicas are held.
  api_.scale = ScaleInfo{20, 20, "1"};
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 10.0; };
  testing::FakeMetricsSource no_history;
  SplitSource source(prometheus_, no_history);
  deps_.metrics_for = [&source](const std::string&,
                                const AutoscalerSpec&) -> Result<MetricsSource*> {
    return &source;
  };
  ASSERT_TRUE(Reconcile(Autoscaler()).error.ok());
  EXPECT_EQ(api_.scale->spec_replicas, 1) << log_.at(0).dump(1);
  EXPECT_EQ(log_.at(0)["reason"], "ColdStartReactiveOnly");
  EXPECT_EQ(log_[0]["observedLoad"], 10.0);
  EXPECT_NE(log_[0].value("metricError", "").find("returned no data"), std::string::npos);
  const json& status = api_.statuses.back();
  EXPECT_EQ((*Condition(status, "ScalingActive"))["status"], "True")
      << "the load was read: " << (*Condition(status, "ScalingActive")).dump();
  EXPECT_EQ((*Condition(status, "ForecastReady"))["status"], "False");
  EXPECT_NE((*Condition(status, "ForecastReady"))["message"].get<std::string>().find(
                "returned no data in the whole range: scaling on the live load only"),
            std::string::npos)
      << (*Condition(status, "ForecastReady")).dump();
  EXPECT_TRUE(events_.Has("Warning MetricUnavailable: query 'sum(rate(requests[1m]))' failed: "))
      << ::testing::PrintToString(events_.events);
  for (const std::string& e : events_.events) {
    EXPECT_EQ(e.find("no scale-down"), std::string::npos) << "the replicas went down: " << e;
    if (e.starts_with("Warning MetricUnavailable")) {
      EXPECT_TRUE(e.ends_with("(no forecast: deciding on the live load alone)")) << e;
    }
  }
}

}  // namespace
}  // namespace foresight::op
