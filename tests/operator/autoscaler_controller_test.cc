// Controller tests in the sample-controller style: a fake API records every
// call, a fake Prometheus answers from a function of time, the clock is
// simulated; each test reconciles and checks the recorded actions.
#include "operator/autoscaler_controller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "operator/metrics_registry.h"
#include "operator/operator_metrics.h"
#include "operator/operator_runner.h"
#include "operator/prometheus_client.h"
#include "operator/testing/fake_autoscaler_api.h"
#include "operator/testing/fake_clock.h"
#include "operator/testing/fake_event_recorder.h"
#include "operator/testing/fake_http_client.h"
#include "operator/testing/fake_metrics_source.h"

namespace foresight::op {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;

json Autoscaler(const std::string& extra_spec = "{}") {
  json pa = json::parse(
      R"J({"apiVersion":"autoscaling.foresight.dev/v1alpha1","kind":"PredictiveAutoscaler",
    "metadata":{"namespace":"demo","name":"web","uid":"u1","generation":2},
    "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
            "minReplicas":1,"maxReplicas":100,
            "metric":{"query":"sum(rate(requests[1m]))","targetPerReplica":10},
            "forecast":{"history":"6h","seasonalPeriods":[]}}})J");
  pa["spec"].merge_patch(json::parse(extra_spec));
  return pa;
}

// A history of 60 steps of 3 s: the 3 minutes before now, over which the tests' ramp of
// 10/s a minute up to 40 now stays above zero.
constexpr const char* kShortRampHistory = R"({"forecast":{"history":"3m","resolution":"3s"}})";

// `pa` as a restarted operator reads it: a status written by a risk tuning choice before
// the restart (marginalRisk 0.3 with a 60 s scale-down window).
json WithRiskTunedBefore(json pa) {
  pa["status"] = {{"riskTuning",
                   {{"marginalRisk", 0.3},
                    {"scaleDownStabilizationWindowSeconds", 60},
                    {"message", "chosen before"}}}};
  return pa;
}

const json* Condition(const json& status, const std::string& type) {
  for (const json& c : status["conditions"]) {
    if (c["type"] == type) return &c;
  }
  return nullptr;
}

class ControllerTest : public ::testing::Test {
 protected:
  ControllerTest() {
    deps_.api = &api_;
    deps_.events = &events_;
    deps_.clock = &clock_;
    deps_.metrics_for = [this](const std::string&, const AutoscalerSpec&) -> Result<MetricsSource*> {
      return &prometheus_;
    };
    deps_.decision_log = [this](const json& line) { log_.push_back(line); };
    deps_.info_log = [this](const std::string& message, const json& fields) {
      info_.push_back(message + " " + fields.dump());
    };
    deps_.metrics = &metrics_;
  }
  ReconcileOutcome Reconcile(const json& pa) {
    AutoscalerController* c =
        controller_ ? controller_.get()
                    : (controller_ = std::make_unique<AutoscalerController>(deps_)).get();
    return c->Reconcile("demo/web", pa);
  }
  double NowSeconds() {
    return std::chrono::duration<double>(clock_.Now().time_since_epoch()).count();
  }

  MetricsRegistry registry_;
  OperatorMetrics metrics_{registry_};
  testing::FakeClock clock_;
  testing::FakeMetricsSource prometheus_;
  testing::FakeAutoscalerApi api_;
  testing::FakeEventRecorder events_;
  ControllerDeps deps_;
  std::vector<json> log_;
  std::vector<std::string> info_;  // "message {fields}"
  std::unique_ptr<AutoscalerController> controller_;
};

TEST_F(ControllerTest, RisingLoadIsScaledAheadOfTheLiveValue) {
  // Load climbs 10 requests/s every minute: 40 now, so 4 replicas serve it at
  // the moment (10 each); 90 s from now (the lead time) it will be ~55,
  // beyond what 4 serve: the forecast asks for more before the load does. The
  // history is the 3 minutes before now at 3 s steps, where the ramp is still
  // positive (a load below zero would be a gap).
  const double now = NowSeconds();
  prometheus_.value = [now](Timestamp t) -> std::optional<double> {
    const double s = std::chrono::duration<double>(t.time_since_epoch()).count();
    return 40.0 + 10.0 * (s - now) / 60.0;
  };
  ReconcileOutcome out = Reconcile(Autoscaler(kShortRampHistory));
  ASSERT_TRUE(out.error.ok()) << out.error.ToString();
  EXPECT_EQ(out.requeue_after, std::chrono::milliseconds(30'000))
      << "next decision after decisionInterval";
  ASSERT_EQ(api_.Count("scale "), 1)
      << "actions: " << ::testing::PrintToString(api_.actions) << "\n"
      << log_.at(0).dump(1);
  const int32_t scaled_to = api_.scale->spec_replicas;
  EXPECT_GE(scaled_to, 5);
  EXPECT_LE(scaled_to, 7) << "sized for the load at the lead time, not beyond";
  EXPECT_TRUE(events_.Has("Normal ScaledUp: scaled Deployment web from 4 to " + std::to_string(scaled_to) +
                          " (ScaleUpPredicted)"))
      << ::testing::PrintToString(events_.events);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0]["reason"], "ScaleUpPredicted");
  EXPECT_EQ(log_[0]["observedLoad"], 40.0);
  EXPECT_GT(log_[0]["forecast"]["quantile"].get<double>(), 40.0);
  EXPECT_FALSE(log_[0]["proposals"].empty());
  const json& status = api_.statuses.back();
  EXPECT_EQ(status["currentReplicas"], scaled_to);
  EXPECT_EQ(status["observedGeneration"], 2);
  EXPECT_EQ(status["lastDecision"]["from"], 4);
  EXPECT_EQ(status["lastDecision"]["to"], scaled_to);
  EXPECT_EQ((*Condition(status, "ForecastReady"))["status"], "True");
  EXPECT_EQ((*Condition(status, "Ready"))["status"], "True");
}

// Leadership ends while a reconcile queries and fits (the renew deadline passes): the
// scale it decided on is not written, since a new leader may be scaling the same target.
TEST_F(ControllerTest, NoScaleIsWrittenOnceLeadershipHasEnded) {
  const double now = NowSeconds();
  prometheus_.value = [now](Timestamp t) -> std::optional<double> {
    const double s = std::chrono::duration<double>(t.time_since_epoch()).count();
    return 40.0 + 10.0 * (s - now) / 60.0;
  };
  bool leading = false;
  deps_.still_leading = [&] { return leading; };
  ReconcileOutcome out = Reconcile(Autoscaler(kShortRampHistory));
  EXPECT_TRUE(out.error.ok()) << out.error.ToString();
  EXPECT_EQ(out.requeue_after, std::chrono::milliseconds(30'000));
  EXPECT_EQ(api_.Count("scale "), 0) << ::testing::PrintToString(api_.actions);
  EXPECT_TRUE(api_.statuses.empty()) << "nothing written: the new leader reports";
  EXPECT_TRUE(events_.events.empty()) << ::testing::PrintToString(events_.events);
  ASSERT_EQ(info_.size(), 1u);
  EXPECT_NE(info_[0].find("not scaling: no longer the leader"), std::string::npos) << info_[0];

  leading = true;  // leading again: the same decision is taken and written
  out = Reconcile(Autoscaler(kShortRampHistory));
  EXPECT_EQ(api_.Count("scale "), 1);
  EXPECT_TRUE(events_.Has("Normal ScaledUp: scaled Deployment web from 4 to"))
      << ::testing::PrintToString(events_.events);
}

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
  EXPECT_NE(exposed.find("foresight_prometheus_query_errors_total{autoscaler=\"demo/web\"} 20"), std::string::npos)
      << exposed;
  EXPECT_NE(exposed.find("foresight_decisions_total{reason=\"MetricsUnavailable\"} 20"), std::string::npos);
  EXPECT_NE(exposed.find("foresight_desired_replicas{autoscaler=\"demo/web\"} 20"), std::string::npos);
}

TEST_F(ControllerTest, InvalidSpecSetsConditionAndEventAndIsNotRetried) {
  ReconcileOutcome out = Reconcile(Autoscaler(R"({"minReplicas":5,"maxReplicas":3})"));
  EXPECT_TRUE(out.error.ok());
  EXPECT_FALSE(out.requeue_after) << "a bad spec waits for the user's edit";
  EXPECT_EQ(api_.Count("get-scale"), 0);
  EXPECT_EQ(api_.Count("scale "), 0);
  EXPECT_TRUE(events_.Has(
      "Warning InvalidSpec: invalid spec: spec.minReplicas (5) must be less than or equal to "
      "spec.maxReplicas (3); raise maxReplicas or lower minReplicas"))
      << ::testing::PrintToString(events_.events);
  const json* ready = Condition(api_.statuses.back(), "Ready");
  ASSERT_NE(ready, nullptr);
  EXPECT_EQ((*ready)["status"], "False");
  EXPECT_EQ((*ready)["reason"], "InvalidSpec");
  // Reconciling the same bad object again writes nothing new.
  Reconcile(Autoscaler(R"({"minReplicas":5,"maxReplicas":3})"));
  EXPECT_EQ(api_.Count("patch-status"), 1);
  EXPECT_EQ(events_.events.size(), 1u);
}

TEST_F(ControllerTest, MissingTargetIsReportedAndCheckedAgainLater) {
  api_.scale.reset();
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 10.0; };
  ReconcileOutcome out = Reconcile(Autoscaler());
  EXPECT_TRUE(out.error.ok());
  EXPECT_EQ(out.requeue_after, std::chrono::milliseconds(30'000));
  EXPECT_TRUE(events_.Has("Warning TargetNotFound"));
  EXPECT_EQ((*Condition(api_.statuses.back(), "AbleToScale"))["reason"], "TargetNotFound");
}

TEST_F(ControllerTest, ForecastOnlyComputesButNeverScales) {
  api_.scale = ScaleInfo{8, 8, "1"};  // +100 % per 15 s allows 16
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 95.0; };
  Reconcile(Autoscaler(R"({"mode":"ForecastOnly"})"));
  EXPECT_EQ(api_.Count("scale "), 0);
  EXPECT_EQ(log_.back()["reason"], "ForecastOnlyMode");
  EXPECT_GE(api_.statuses.back()["desiredReplicas"].get<int>(), 10) << "reports what Auto would do";
  EXPECT_EQ(api_.statuses.back()["currentReplicas"], 8);
}

TEST_F(ControllerTest, StatusIsWrittenOnlyWhenItChanges) {
  api_.scale = ScaleInfo{5, 5, "1"};
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 50.0; };
  Reconcile(Autoscaler());
  const int writes = api_.Count("patch-status");
  EXPECT_EQ(writes, 1);
  clock_.Advance(seconds(30));
  Reconcile(Autoscaler());
  EXPECT_EQ(api_.Count("patch-status"), writes) << "steady load, same decision: nothing to write";
}

TEST_F(ControllerTest, ConflictingScaleWriteIsDecidedAgainFromAFreshRead) {
  // 60 requests/s on 4 replicas of 10 each: the autoscaler scales up. Between
  // its read and its write, another writer changes the Deployment (a status
  // update: only the resourceVersion moves), so the first write conflicts.
  api_.scale = ScaleInfo{4, 4, "7"};
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 60.0; };
  api_.after_get = [this] {
    api_.ExternalScale(api_.scale->spec_replicas);
    api_.after_get = [] {};
  };
  ReconcileOutcome out = Reconcile(Autoscaler());
  EXPECT_TRUE(out.error.ok()) << "a conflict is not a failure: " << out.error.ToString();
  EXPECT_EQ(out.requeue_after, kConflictRetryDelay) << "decided again promptly";
  ASSERT_EQ(api_.actions.size(), 3u) << ::testing::PrintToString(api_.actions);
  const std::string attempted = api_.actions[1];  // "scale demo/web N if at 7: conflict"
  EXPECT_TRUE(attempted.starts_with("scale demo/web ") && attempted.ends_with(" if at 7: conflict"))
      << attempted;
  EXPECT_EQ(api_.actions[2], "get-scale demo/web") << "did our own write land?";
  EXPECT_EQ(api_.Count("patch-status"), 0) << "nothing changed: nothing to report yet";
  EXPECT_TRUE(log_.empty()) << "the decision was not carried out, so it is not logged as one";
  ASSERT_EQ(events_.events.size(), 1u) << ::testing::PrintToString(events_.events);
  EXPECT_TRUE(events_.Has("Normal ScaleConflict: Deployment web changed after its scale was read "
                          "(4 replicas), so it was not scaled to "))
      << events_.events[0];
  ASSERT_EQ(info_.size(), 1u);
  EXPECT_NE(info_[0].find("\"resourceVersion\":\"7\""), std::string::npos) << info_[0];

  clock_.Advance(kConflictRetryDelay);
  out = Reconcile(Autoscaler());
  ASSERT_TRUE(out.error.ok()) << out.error.ToString();
  EXPECT_EQ(out.requeue_after, std::chrono::milliseconds(30'000)) << "back to the decision interval";
  // Exactly one write took effect, made on the fresh read (resourceVersion 8).
  ASSERT_EQ(api_.actions.size(), 6u) << ::testing::PrintToString(api_.actions);
  EXPECT_EQ(api_.actions[3], "get-scale demo/web");
  EXPECT_EQ(api_.actions[4], attempted.substr(0, attempted.find(" if at ")) + " if at 8");
  EXPECT_EQ(api_.actions[5], "patch-status demo/web");
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0]["scaled"], true);
  EXPECT_EQ(log_[0]["currentReplicas"], 4);
  EXPECT_EQ(log_[0]["replicas"], api_.scale->spec_replicas);
  EXPECT_EQ(std::count_if(events_.events.begin(), events_.events.end(),
                          [](const std::string& e) { return e.starts_with("Normal ScaledUp"); }),
            1);
  EXPECT_EQ((*Condition(api_.statuses.back(), "AbleToScale"))["reason"], "SucceededRescale");
}

TEST_F(ControllerTest, ConflictWithAnotherScaleIsNotWrittenOver) {
  // Someone runs `kubectl scale --replicas=9` between the autoscaler's read
  // (4 replicas) and its write: the write conflicts instead of overwriting 9,
  // and the next decision starts from 9.
  api_.scale = ScaleInfo{4, 4, "7"};
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 60.0; };
  api_.after_get = [this] {
    api_.ExternalScale(9);
    api_.after_get = [] {};
  };
  Reconcile(Autoscaler());
  EXPECT_EQ(api_.scale->spec_replicas, 9) << "the other writer's count stands";
  clock_.Advance(kConflictRetryDelay);
  ASSERT_TRUE(Reconcile(Autoscaler()).error.ok());
  // The new decision is made from 9: the load still needs 6, and the scale-down
  // stabilization window holds only this recommendation of 6 (the first attempt's
  // was taken back), so it scales 9 -> 6 — on condition that 9 (version 8) still stands.
  EXPECT_EQ(api_.actions,
            (std::vector<std::string>{"get-scale demo/web", "scale demo/web 6 if at 7: conflict",
                                      "get-scale demo/web", "get-scale demo/web",
                                      "scale demo/web 6 if at 8", "patch-status demo/web"}));
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0]["currentReplicas"], 9) << "decided on the fresh read";
  EXPECT_EQ(log_[0]["replicas"], 6);
}

TEST_F(ControllerTest, AWriteThatLandedBeforeItsRetryConflictedCountsAsAScale) {
  // The write is applied, but its answer is lost (a timeout) and the HTTP client sends it
  // again: the retry names the resourceVersion the first attempt replaced, and conflicts.
  api_.scale = ScaleInfo{4, 4, "7"};
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 60.0; };
  struct LostAnswer : testing::FakeAutoscalerApi {
    Status SetReplicas(const std::string& ns, const ScaleTargetRef& t, int32_t replicas,
                       const std::string& resource_version) override {
      testing::FakeAutoscalerApi::SetReplicas(ns, t, replicas, resource_version);
      return testing::FakeAutoscalerApi::SetReplicas(ns, t, replicas, resource_version);
    }
  } api;
  api.scale = api_.scale;
  deps_.api = &api;
  const ReconcileOutcome out = Reconcile(Autoscaler());
  EXPECT_TRUE(out.error.ok()) << out.error.ToString();
  EXPECT_EQ(out.requeue_after, seconds(30)) << "decided: next at the decision interval";
  EXPECT_EQ(api.scale->spec_replicas, 6);
  EXPECT_TRUE(events_.Has("Normal ScaledUp: scaled Deployment web from 4 to 6"))
      << ::testing::PrintToString(events_.events);
  EXPECT_FALSE(events_.Has("Normal ScaleConflict")) << ::testing::PrintToString(events_.events);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0]["replicas"], 6);
}

TEST_F(ControllerTest, AnExceptionFailsOneReconcileNotTheOperator) {
  deps_.metrics_for = [](const std::string&, const AutoscalerSpec&) -> Result<MetricsSource*> {
    throw std::bad_alloc();
  };
  controller_ = std::make_unique<AutoscalerController>(deps_);
  const ReconcileOutcome out = ReconcileOrReport(*controller_, "demo/web", Autoscaler());
  EXPECT_EQ(out.error.code(), StatusCode::kInternal);
  EXPECT_NE(out.error.message().find("bad_alloc"), std::string::npos) << out.error.message();
}

TEST_F(ControllerTest, AConflictRetryDoesNotCountAFailedMetricTwice) {
  // Prometheus is down; after 2 failures the autoscaler goes to the fallback of 8 replicas.
  // The first write of 8 conflicts: the retry is the same second failure, not a third.
  prometheus_.value = [](Timestamp) -> std::optional<double> { return std::nullopt; };
  const json pa = Autoscaler(R"({"fallback":{"replicas":8,"failureThreshold":2}})");
  Reconcile(pa);
  ASSERT_EQ(api_.scale->spec_replicas, 4) << "one failure: holding";
  clock_.Advance(seconds(30));
  api_.after_get = [this] {
    api_.ExternalScale(api_.scale->spec_replicas);
    api_.after_get = [] {};
  };
  ASSERT_EQ(Reconcile(pa).requeue_after, kConflictRetryDelay);
  clock_.Advance(kConflictRetryDelay);
  ASSERT_TRUE(Reconcile(pa).error.ok());
  EXPECT_EQ(api_.scale->spec_replicas, 8);
  ASSERT_FALSE(log_.empty());
  const std::string message = log_.back()["message"];
  EXPECT_NE(message.find("metrics failed 2 consecutive times"), std::string::npos) << message;
}

TEST_F(ControllerTest, RepeatedConflictsBackOffUpToTheDecisionInterval) {
  // The target changes between every read and write: each retry waits twice as
  // long, 100 ms up to the 30 s decision interval; a write that succeeds resets it.
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 60.0; };
  api_.after_get = [this] { api_.ExternalScale(api_.scale->spec_replicas); };
  const int64_t want_ms[] = {100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000};
  for (int64_t want : want_ms) {
    ReconcileOutcome out = Reconcile(Autoscaler());
    ASSERT_TRUE(out.error.ok());
    EXPECT_EQ(out.requeue_after, std::chrono::milliseconds(want));
    clock_.Advance(*out.requeue_after);
  }
  EXPECT_EQ(api_.scale->spec_replicas, 4) << "no write went through";
  api_.after_get = [] {};
  EXPECT_EQ(Reconcile(Autoscaler()).requeue_after, std::chrono::milliseconds(30'000));
  EXPECT_NE(api_.scale->spec_replicas, 4);
  clock_.Advance(seconds(30));
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 200.0; };
  api_.after_get = [this] { api_.ExternalScale(api_.scale->spec_replicas); };
  EXPECT_EQ(Reconcile(Autoscaler()).requeue_after, kConflictRetryDelay) << "the backoff was reset";
}

TEST_F(ControllerTest, DeletedAutoscalerForgetsItsState) {
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 10.0; };
  Reconcile(Autoscaler());
  ReconcileOutcome out = controller_->Reconcile("demo/web", std::nullopt);
  EXPECT_TRUE(out.error.ok());
  EXPECT_FALSE(out.requeue_after);
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
    {"empty vector", 200, R"({"status":"success","data":{"resultType":"vector","result":[]}})",
     {}, "returned no data (empty vector)"},
    {"two series", 200,
     R"({"status":"success","data":{"resultType":"vector","result":[
        {"metric":{"pod":"a"},"value":[@NOW,"1"]},{"metric":{"pod":"b"},"value":[@NOW,"2"]}]}})",
     {}, "returned 2 series"},
    {"NaN", 200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[@NOW,"NaN"]}]}})",
     {}, "returned NaN"},
    {"+Inf", 200,
     R"({"status":"success","data":{"resultType":"scalar","result":[@NOW,"+Inf"]}})", {},
     "returned +Inf"},
    {"-Inf", 200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[@NOW,"-Inf"]}]}})",
     {}, "returned -Inf"},
    {"negative", 200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[@NOW,"-5"]}]}})",
     {}, "returned -5: a load cannot be negative"},
    {"string result", 200,
     R"({"status":"success","data":{"resultType":"string","result":[@NOW,"10"]}})", {},
     "resultType 'string'"},
    {"matrix for an instant query", 200,
     R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[@NOW,"1"]]}]}})",
     {}, "returned a range vector"},
    {"a 10-minute-old sample", 200,
     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[@10MIN_AGO,"1"]}]}})",
     {}, "600s earlier: too old to be the current load"},
    {"bad_data", 400,
     R"({"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"})",
     {}, "(HTTP 400, bad_data): 1:5: parse error"},
    {"execution", 422,
     R"({"status":"error","errorType":"execution","error":"many-to-many matching not allowed"})",
     {}, "(HTTP 422, execution): many-to-many"},
    {"server timeout", 503,
     R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})",
     {}, "(HTTP 503, timeout): query timed out"},
    {"a proxy's HTML 502", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", {},
     "HTTP 502 with a body that is not a JSON object"},
    {"truncated body", 200, R"({"status":"success","data":{"resultType":"vector","result":[{"me)",
     {}, "HTTP 200 with a body that is not a JSON object"},
    {"credentials wanted", 401, "Unauthorized\n", {},
     "it wants credentials and none were sent; name a Secret with credentials it accepts in "
     "spec.metric.prometheus.authSecretRef"},
    {"redirect", 301, "", {{"Location", "https://prom.test/"}},
     "a redirect to 'https://prom.test/', which is not followed: set "
     "spec.metric.prometheus.address"},
    {"connection refused", 0, "", {},
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
        "result":[{"metric":{},"value":[@NOW,"10"]}]}})", clock_.Now()));
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
        run.http->Push(Status::Unavailable("POST http://prom.test:9090/api/v1/query: connection refused"));
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
    EXPECT_TRUE(run.events.Has("Warning MetricUnavailable: query 'sum(rate(requests[1m]))' failed: "))
        << ::testing::PrintToString(run.events.events);
    EXPECT_NE(run.events.events.front().find(c.why), std::string::npos) << run.events.events.front();
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
  deps_.metrics_for = [&source](const std::string&, const AutoscalerSpec&)
      -> Result<MetricsSource*> { return &source; };
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

TEST_F(ControllerTest, RiskTuningChoosesFromTheRecordedDecisionsAndSaysSo) {
  // A noisy load: 100 +- 30 over 20 minutes, plus a sawtooth of +-20 every 3 minutes.
  prometheus_.value = [](Timestamp t) -> std::optional<double> {
    const double s = std::chrono::duration<double>(t.time_since_epoch()).count();
    return 100 + 30 * std::sin(s / 190.0) + 20 * (std::fmod(s, 180.0) / 90.0 - 1);
  };
  const json pa = Autoscaler(R"({"forecast":{"riskTuning":{"window":"10m","interval":"10m"}}})");
  for (int i = 0; i < 20; ++i) {
    Reconcile(pa);
    ASSERT_FALSE(events_.Has("Normal RiskTuned")) << "before a whole window, at decision " << i;
    clock_.Advance(seconds(30));
  }
  Reconcile(pa);  // 10 minutes after the first decision
  ASSERT_TRUE(events_.Has("Normal RiskTuned: marginalRisk "))
      << ::testing::PrintToString(events_.events);
  const json& tuned = api_.statuses.back()["riskTuning"];
  ASSERT_TRUE(tuned.is_object()) << api_.statuses.back().dump(1);
  const double risk = tuned["marginalRisk"].get<double>();
  EXPECT_GT(risk, 0);
  EXPECT_LT(risk, 1);
  EXPECT_TRUE(tuned.contains("hpaOverloadedMinutes"));
  EXPECT_NE(tuned["message"].get<std::string>().find("over the last 10m"), std::string::npos)
      << tuned["message"];
  // The spec leaves the scale-down window unset: the tuner chose it too.
  ASSERT_TRUE(tuned.contains("scaleDownStabilizationWindowSeconds")) << tuned.dump(1);
  const int64_t window = tuned["scaleDownStabilizationWindowSeconds"].get<int64_t>();
  EXPECT_TRUE(window == 300 || window == 60) << window;
  EXPECT_NE(tuned["message"].get<std::string>().find("with a " + std::to_string(window) +
                                                     "s scale-down stabilization window"),
            std::string::npos)
      << tuned["message"];

  // A restarted operator goes on with the risk and window in the status until its own first
  // choice.
  const json restarted = WithRiskTunedBefore(pa);
  api_.status_on_server = restarted["status"];
  controller_.reset();
  events_.events.clear();
  clock_.Advance(seconds(30));
  Reconcile(restarted);
  EXPECT_FALSE(events_.Has("Normal RiskTuned"));
  EXPECT_EQ(api_.statuses.back()["riskTuning"]["marginalRisk"], 0.3);
  EXPECT_EQ(api_.statuses.back()["riskTuning"]["scaleDownStabilizationWindowSeconds"], 60);
  EXPECT_NE(log_.back().dump().find("30% overload risk"), std::string::npos) << log_.back().dump(1);
}

TEST_F(ControllerTest, RiskTuningKeepsAScaleDownWindowTheUserSet) {
  prometheus_.value = [](Timestamp t) -> std::optional<double> {
    const double s = std::chrono::duration<double>(t.time_since_epoch()).count();
    return 100 + 30 * std::sin(s / 190.0);
  };
  const json pa = Autoscaler(R"({"forecast":{"riskTuning":{"window":"10m","interval":"10m"}},)"
                             R"("behavior":{"scaleDown":{"stabilizationWindowSeconds":120}}})");
  for (int i = 0; i <= 20; ++i) {
    Reconcile(pa);
    clock_.Advance(seconds(30));
  }
  ASSERT_TRUE(events_.Has("Normal RiskTuned: marginalRisk "))
      << ::testing::PrintToString(events_.events);
  const json& tuned = api_.statuses.back()["riskTuning"];
  EXPECT_FALSE(tuned.contains("scaleDownStabilizationWindowSeconds")) << tuned.dump(1);
  EXPECT_EQ(tuned["message"].get<std::string>().find("scale-down"), std::string::npos)
      << tuned["message"];

  // Restarted after the user set the window: the status no longer names a tuned one.
  const json restarted = WithRiskTunedBefore(pa);
  api_.status_on_server = restarted["status"];
  controller_.reset();
  clock_.Advance(seconds(30));
  Reconcile(restarted);
  EXPECT_EQ(api_.statuses.back()["riskTuning"]["marginalRisk"], 0.3);
  EXPECT_FALSE(api_.statuses.back()["riskTuning"].contains("scaleDownStabilizationWindowSeconds"))
      << api_.statuses.back()["riskTuning"].dump(1);
}

TEST_F(ControllerTest, WithoutRiskTuningTheStatusHasNone) {
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 50.0; };
  Reconcile(Autoscaler(R"({"forecast":{"riskTuning":{"enabled":false}}})"));
  EXPECT_FALSE(api_.statuses.back().contains("riskTuning"));
}

TEST_F(ControllerTest, RiskTuningSwitchedOffRemovesTheChoiceFromTheServer) {
  // Chosen while tuning was on, then switched off: the choice must go from the object, or
  // switching tuning back on would restore a risk the user no longer sees anywhere.
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 50.0; };
  json pa = WithRiskTunedBefore(Autoscaler(R"({"forecast":{"riskTuning":{"enabled":false}}})"));
  api_.status_on_server = pa["status"];
  Reconcile(pa);
  EXPECT_FALSE(api_.statuses.back().contains("riskTuning")) << api_.statuses.back().dump(1);

  // Switched on again, the object as the server now has it: the configured risk applies.
  pa = Autoscaler(R"({"forecast":{"marginalRisk":0.05}})");
  pa["status"] = api_.status_on_server;
  clock_.Advance(seconds(30));
  Reconcile(pa);
  EXPECT_NE(log_.back().dump().find("5% overload risk"), std::string::npos) << log_.back().dump(1);
}

TEST_F(ControllerTest, ARestartedOperatorKeepsTheConditionsTransitionTimes) {
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 50.0; };
  const json pa = Autoscaler();
  Reconcile(pa);
  const json ready_since = (*Condition(api_.statuses.back(), "Ready"))["lastTransitionTime"];

  json restarted = pa;
  restarted["status"] = api_.status_on_server;
  controller_.reset();
  clock_.Advance(minutes(10));
  Reconcile(restarted);
  EXPECT_EQ((*Condition(api_.statuses.back(), "Ready"))["lastTransitionTime"], ready_since);
  EXPECT_EQ((*Condition(api_.statuses.back(), "Ready"))["status"], "True");
}

}  // namespace
}  // namespace foresight::op
