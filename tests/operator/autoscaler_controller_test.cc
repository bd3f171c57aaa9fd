// Controller tests: deciding and scaling, leadership, conflicts, deletion, risk tuning and
// restarts (the fixture: controller_test_fixture.h; what Prometheus answers:
// autoscaler_controller_metrics_test.cc).
#include "operator/autoscaler_controller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <new>

#include "operator/operator_runner.h"
#include "tests/operator/controller_test_fixture.h"

namespace foresight::op {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

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
