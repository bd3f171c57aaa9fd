// The controller tests' fixture, in the sample-controller style: a fake API records every
// call, a fake Prometheus answers from a function of time, the clock is simulated; each test
// reconciles and checks the recorded actions. Shared by autoscaler_controller_test.cc (deciding,
// scaling, conflicts, risk tuning) and autoscaler_controller_metrics_test.cc (what Prometheus
// answers, garbage included).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "operator/autoscaler_controller.h"
#include "operator/metrics_registry.h"
#include "operator/operator_metrics.h"
#include "operator/testing/fake_autoscaler_api.h"
#include "operator/testing/fake_clock.h"
#include "operator/testing/fake_event_recorder.h"
#include "operator/testing/fake_metrics_source.h"

namespace foresight::op {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;

inline json Autoscaler(const std::string& extra_spec = "{}") {
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
inline constexpr const char* kShortRampHistory =
    R"({"forecast":{"history":"3m","resolution":"3s"}})";

// `pa` as a restarted operator reads it: a status written by a risk tuning choice before
// the restart (marginalRisk 0.3 with a 60 s scale-down window).
inline json WithRiskTunedBefore(json pa) {
  pa["status"] = {{"riskTuning",
                   {{"marginalRisk", 0.3},
                    {"scaleDownStabilizationWindowSeconds", 60},
                    {"message", "chosen before"}}}};
  return pa;
}

inline const json* Condition(const json& status, const std::string& type) {
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
    deps_.metrics_for = [this](const std::string&,
                               const AutoscalerSpec&) -> Result<MetricsSource*> {
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

}  // namespace foresight::op
