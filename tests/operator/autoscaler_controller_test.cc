// Controller tests in the sample-controller style: a fake API records every
// call, a fake Prometheus answers from a function of time, the clock is
// simulated; each test reconciles and checks the recorded actions.
#include "operator/autoscaler_controller.h"

#include <gtest/gtest.h>

#include "operator/metrics_registry.h"
#include "operator/operator_metrics.h"
#include "operator/testing/fake_clock.h"
#include "operator/testing/fake_metrics_source.h"

namespace foresight::op {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;

class FakeApi : public AutoscalerApi {
 public:
  std::optional<ScaleInfo> scale = ScaleInfo{4, 4};  // nullopt: the target does not exist
  std::vector<std::string> actions;
  std::vector<json> statuses;

  Result<ScaleInfo> GetScale(const std::string& ns, const ScaleTargetRef& t) override {
    actions.push_back("get-scale " + ns + "/" + t.name);
    if (!scale) return Status::NotFound("deployments.apps \"" + t.name + "\" not found");
    return *scale;
  }
  Status SetReplicas(const std::string& ns, const ScaleTargetRef& t, int32_t replicas) override {
    actions.push_back("scale " + ns + "/" + t.name + " " + std::to_string(replicas));
    scale->spec_replicas = replicas;
    return Status::Ok();
  }
  Status PatchStatus(const std::string& ns, const std::string& name, const json& status) override {
    actions.push_back("patch-status " + ns + "/" + name);
    statuses.push_back(status);
    return Status::Ok();
  }
  int Count(const std::string& prefix) const {
    int n = 0;
    for (const auto& a : actions) n += a.rfind(prefix, 0) == 0;
    return n;
  }
};

class FakeEvents : public EventRecorder {
 public:
  std::vector<std::string> events;  // "Type Reason: message"
  void Record(const json&, const std::string& type, const std::string& reason,
              const std::string& message) override {
    events.push_back(type + " " + reason + ": " + message);
  }
  bool Has(const std::string& prefix) const {
    for (const auto& e : events) {
      if (e.rfind(prefix, 0) == 0) return true;
    }
    return false;
  }
};

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
  FakeApi api_;
  FakeEvents events_;
  ControllerDeps deps_;
  std::vector<json> log_;
  std::unique_ptr<AutoscalerController> controller_;
};

TEST_F(ControllerTest, RisingLoadIsScaledAheadOfTheLiveValue) {
  // Load climbs 10 requests/s every minute: 40 now, so 4 replicas serve it at
  // the moment (10 each); 90 s from now (the lead time) it will be ~55,
  // beyond the 10% tolerance: the forecast asks for more before the load does.
  const double now = NowSeconds();
  prometheus_.value = [now](Timestamp t) -> std::optional<double> {
    const double s = std::chrono::duration<double>(t.time_since_epoch()).count();
    return 40.0 + 10.0 * (s - now) / 60.0;
  };
  ReconcileOutcome out = Reconcile(Autoscaler());
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

TEST_F(ControllerTest, PrometheusOutageNeverScalesDown) {
  api_.scale = ScaleInfo{20, 20};  // right for a load of 200
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
      "Warning InvalidSpec: invalid spec: minReplicas must be less than or equal to maxReplicas"))
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
  api_.scale = ScaleInfo{8, 8};  // +100 % per 15 s allows 16
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 95.0; };
  Reconcile(Autoscaler(R"({"mode":"ForecastOnly"})"));
  EXPECT_EQ(api_.Count("scale "), 0);
  EXPECT_EQ(log_.back()["reason"], "ForecastOnlyMode");
  EXPECT_GE(api_.statuses.back()["desiredReplicas"].get<int>(), 10) << "reports what Auto would do";
  EXPECT_EQ(api_.statuses.back()["currentReplicas"], 8);
}

TEST_F(ControllerTest, StatusIsWrittenOnlyWhenItChanges) {
  api_.scale = ScaleInfo{5, 5};
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 50.0; };
  Reconcile(Autoscaler());
  const int writes = api_.Count("patch-status");
  EXPECT_EQ(writes, 1);
  clock_.Advance(seconds(30));
  Reconcile(Autoscaler());
  EXPECT_EQ(api_.Count("patch-status"), writes) << "steady load, same decision: nothing to write";
}

TEST_F(ControllerTest, DeletedAutoscalerForgetsItsState) {
  prometheus_.value = [](Timestamp) -> std::optional<double> { return 10.0; };
  Reconcile(Autoscaler());
  ReconcileOutcome out = controller_->Reconcile("demo/web", std::nullopt);
  EXPECT_TRUE(out.error.ok());
  EXPECT_FALSE(out.requeue_after);
}

}  // namespace
}  // namespace foresight::op
