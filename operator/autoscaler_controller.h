// The PredictiveAutoscaler controller: one Reconcile() per autoscaler per
// decision interval, or whenever its object changes.
//
// Reconcile reads the target's scale, refreshes the load history and the live
// load from Prometheus, updates the forecast (refitting on the configured
// interval), runs the policy pipeline, scales when the decision says so, and
// reports: an Event for every scale and every problem, one JSON decision-log
// line, metrics, and the status (written only when it changed).
//
// Error policy: a bad spec is the user's to fix: a condition and an Event,
// no retry loop (the object's next change requeues it). A missing target or
// Prometheus failure is reported and retried at the decision interval; the
// policies never scale down without a metric. Transient API errors are
// returned for a rate-limited retry. A scale write that conflicts (someone
// changed the target since its scale was read) is not an error: nothing was
// written, and the autoscaler is requeued promptly (kConflictRetryDelay) to
// read and decide again.
//
// Thread-safety: Reconcile may run on several workers at once for different
// keys (the work queue never hands one key to two workers).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "operator/autoscaler_api.h"
#include "operator/autoscaler_spec.h"
#include "operator/clock.h"
#include "operator/event_recorder.h"
#include "operator/history_cache.h"
#include "operator/metrics_source.h"
#include "operator/operator_metrics.h"
#include "operator/rolling_forecaster.h"
#include "policies/decision.h"
#include "policies/risk_tuner.h"

namespace foresight::op {

struct ControllerDeps {
  AutoscalerApi* api = nullptr;
  EventRecorder* events = nullptr;
  Clock* clock = nullptr;
  // The Prometheus an autoscaler's queries go to (its metric.prometheus, or
  // the operator's default). Errors name what is wrong with the settings.
  // `ns` is the autoscaler's namespace (where its credentials Secret lives).
  std::function<Result<MetricsSource*>(const std::string& ns, const AutoscalerSpec&)> metrics_for;
  OperatorMetrics* metrics = nullptr;  // optional
  std::function<void(const nlohmann::json&)> decision_log = [](const nlohmann::json&) {};
  // Informational log lines other than decisions: (message, fields).
  std::function<void(const std::string&, const nlohmann::json&)> info_log =
      [](const std::string&, const nlohmann::json&) {};
  // Read just before a scale write: false once this operator is no longer the leader (the
  // renew deadline passed while the reconcile was querying or fitting). The write is then
  // left to the new leader.
  std::function<bool()> still_leading = [] { return true; };
};

// After a scale write conflicted, the autoscaler is decided again after this
// delay, doubled for each further conflict in a row and capped at its
// decision interval: prompt, but no hot loop against a target that changes
// all the time.
inline constexpr std::chrono::milliseconds kConflictRetryDelay{100};

struct ReconcileOutcome {
  Status error;                                            // non-OK: retry with backoff
  std::optional<std::chrono::milliseconds> requeue_after;  // next decision
};

class AutoscalerController {
 public:
  explicit AutoscalerController(ControllerDeps deps);

  // `object` is the PredictiveAutoscaler from the informer's cache, nullopt
  // when it no longer exists (its state is then dropped).
  ReconcileOutcome Reconcile(const std::string& key, const std::optional<nlohmann::json>& object);

 private:
  struct State {
    std::string forecaster_config;  // the settings the forecaster was built with
    std::unique_ptr<RollingForecaster> forecaster;
    std::vector<policies::Recommendation> recommendations;
    std::vector<policies::ScaleEvent> scale_events;
    int32_t metric_failures = 0;
    int32_t scale_conflicts = 0;  // consecutive conflicting scale writes
    nlohmann::json status;        // as last written, or as on the server before the first write
    bool status_written = false;
    std::string risk_tuner_config;  // the settings the tuner was built with
    std::unique_ptr<policies::RiskTuner> risk_tuner;
  };

  State& StateFor(const std::string& key);
  HistoryCache& HistoryFor(MetricsSource* source);
  // After a conflicting scale write: whether the target has the replicas it asked for.
  bool WriteLanded(const std::string& ns, const ScaleTargetRef& target, int32_t replicas);
  Status WriteStatusIfChanged(const std::string& ns, const std::string& name, State& state,
                              const nlohmann::json& status);
  ReconcileOutcome ReportInvalidSpec(const nlohmann::json& object, State& state,
                                     const ParsedSpec& parsed);
  // The policy in force: spec.policy with marginalRisk (and, where the spec leaves it unset,
  // the scale-down stabilization window) as riskTuning has chosen them (the spec's until a
  // first choice). Records this decision's forecast, chooses again when due from `history`,
  // and says so in an Event and status.riskTuning.
  policies::PolicySpec PolicyInForce(const nlohmann::json& object, State& state,
                                     const AutoscalerSpec& spec, Timestamp now,
                                     const RangeSeries* history,
                                     const std::vector<policies::ForecastPoint>& forecast,
                                     nlohmann::json& status);
  // The scale write from `from` to `to` replicas got 409 Conflict.
  ReconcileOutcome RetryAfterConflict(const nlohmann::json& object, State& state,
                                      const AutoscalerSpec& spec, int32_t from, int32_t to,
                                      const std::string& resource_version,
                                      std::chrono::milliseconds decision_interval);

  ControllerDeps deps_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<State>> states_;                    // guarded by mu_
  std::map<MetricsSource*, std::unique_ptr<HistoryCache>> history_caches_;  // guarded by mu_
};

}  // namespace foresight::op
