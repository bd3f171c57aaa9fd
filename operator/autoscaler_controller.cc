#include "operator/autoscaler_controller.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "operator/conditions.h"
#include "operator/kube_time.h"
#include "operator/merge_patch.h"
#include "operator/recent_load.h"

namespace foresight::op {
namespace {

using Json = nlohmann::json;

// Recommendations and scale events older than this cannot matter: the
// longest stabilization window and rate-limit period are an hour.
constexpr std::chrono::seconds kHistoryKept{3600};

// Forecast figures in the status keep 4 significant digits, so the status
// does not change (and is not rewritten) for noise in the 10th digit.
double Round4(double v) {
  if (!std::isfinite(v) || v == 0.0) return std::isfinite(v) ? v : 0.0;
  const double scale = std::pow(10.0, 3 - std::floor(std::log10(std::abs(v))));
  return std::round(v * scale) / scale;
}

std::string Describe(const ScaleTargetRef& t) { return t.kind + " " + t.name; }

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

policies::Time ToPolicyTime(Timestamp t) { return std::chrono::floor<std::chrono::seconds>(t); }

bool IsLimitReason(policies::Reason r) {
  return r == policies::Reason::kClampedToMax || r == policies::Reason::kClampedToMin ||
         r == policies::Reason::kRateLimited;
}

// A fingerprint of the settings a forecaster is built from: a change rebuilds it.
std::string ForecasterKey(const AutoscalerSpec& s) {
  std::string key = s.query + "|" + s.forecast.model + "|" +
                    std::to_string(s.forecast.resolution.count()) + "|" +
                    std::to_string(s.forecast.refit_interval.count()) + "|" +
                    std::to_string(s.policy.forecast.lead_time().count()) + "|" +
                    std::to_string(s.policy.forecast.quantile);
  for (auto p : s.forecast.seasonal_periods) key += "," + std::to_string(p.count());
  return key;
}

// A fingerprint of the settings a risk tuner is built from: a change starts it again.
std::string RiskTunerKey(const AutoscalerSpec& s) {
  const policies::RiskTuning& t = s.policy.forecast.risk_tuning;
  std::string key = std::to_string(t.overload_vs_hpa) + "|" + std::to_string(t.window.count()) +
                    "|" + std::to_string(t.interval.count()) + "|" +
                    std::to_string(s.policy.forecast.marginal_risk) + "|" +
                    std::to_string(s.policy.behavior.scale_down.stabilization_window.count());
  for (auto w : t.scale_down_windows) key += "," + std::to_string(w.count());
  return key;
}

}  // namespace

AutoscalerController::AutoscalerController(ControllerDeps deps) : deps_(std::move(deps)) {}

policies::PolicySpec AutoscalerController::PolicyInForce(
    const Json& object, State& state, const AutoscalerSpec& spec, Timestamp now,
    const RangeSeries* history, const std::vector<policies::ForecastPoint>& forecast,
    Json& status) {
  const policies::PolicySpec& policy = spec.policy;
  if (!policies::TunesRisk(policy)) {
    state.risk_tuner.reset();
    status.erase("riskTuning");
    return policy;
  }
  const std::string key = RiskTunerKey(spec);
  if (!state.risk_tuner || state.risk_tuner_config != key) {
    double initial_risk = policy.forecast.marginal_risk;
    std::chrono::seconds initial_window = policy.behavior.scale_down.stabilization_window;
    status.erase("riskTuning");
    // After an operator restart, go on with what was chosen before it (a new choice needs a
    // whole window of recorded forecasts); after a change of the settings, start afresh.
    const Json previous = object.contains("status") && object["status"].is_object()
                              ? object["status"].value("riskTuning", Json())
                              : Json();
    if (!state.risk_tuner && previous.is_object() && previous.contains("marginalRisk") &&
        previous["marginalRisk"].is_number()) {
      const double risk = previous["marginalRisk"].get<double>();
      const std::vector<std::chrono::seconds>& windows =
          policy.forecast.risk_tuning.scale_down_windows;
      const Json& window = previous.value("scaleDownStabilizationWindowSeconds", Json());
      if (risk > 0 && risk < 1) {
        initial_risk = risk;
        if (window.is_number_integer() &&
            std::find(windows.begin(), windows.end(),
                      std::chrono::seconds(window.get<int64_t>())) != windows.end()) {
          initial_window = std::chrono::seconds(window.get<int64_t>());
        }
        status["riskTuning"] = previous;
        // The status names the window in force: none when the spec sets it.
        if (windows.empty()) {
          status["riskTuning"].erase("scaleDownStabilizationWindowSeconds");
        } else {
          status["riskTuning"]["scaleDownStabilizationWindowSeconds"] = initial_window.count();
        }
      }
    }
    state.risk_tuner = std::make_unique<policies::RiskTuner>(policy.forecast.risk_tuning,
                                                             initial_risk, initial_window);
    state.risk_tuner_config = key;
  }
  policies::RiskTuner& tuner = *state.risk_tuner;
  const policies::Time policy_now = ToPolicyTime(now);
  tuner.Record(policy_now, policies::PointsUpToLead(forecast, policy.forecast.lead_time()));
  if (tuner.Due(policy_now) && history) {
    // The load the metric has shown over the window, up to its newest point.
    if (std::optional<policies::LoadTrace> window =
            RecentLoad(*history, spec.forecast.resolution, policy.forecast.risk_tuning.window)) {
      const double risk_before = tuner.risk();
      const std::chrono::seconds window_before = tuner.scale_down_window();
      const policies::RiskChoice& choice =
          tuner.Tune(policy_now, *window, policy, spec.decision_interval);
      const bool unchanged =
          choice.risk == risk_before && choice.scale_down_window == window_before;
      deps_.events->Record(object, "Normal", "RiskTuned",
                           unchanged ? choice.message + " (unchanged)" : choice.message);
      status["riskTuning"] = {{"marginalRisk", choice.risk},
                              {"chosenAt", FormatKubeTime(now)},
                              {"goalMet", choice.met},
                              {"overloadedMinutes", choice.overloaded_minutes},
                              {"hpaOverloadedMinutes", choice.hpa_overloaded_minutes},
                              {"message", choice.message}};
      if (!policy.forecast.risk_tuning.scale_down_windows.empty()) {
        status["riskTuning"]["scaleDownStabilizationWindowSeconds"] =
            choice.scale_down_window.count();
      }
    }
  }
  policies::PolicySpec in_force = policy;
  tuner.ApplyTo(in_force);
  return in_force;
}

AutoscalerController::State& AutoscalerController::StateFor(const std::string& key) {
  std::lock_guard lock(mu_);
  std::unique_ptr<State>& s = states_[key];
  if (!s) s = std::make_unique<State>();
  return *s;
}

HistoryCache& AutoscalerController::HistoryFor(MetricsSource* source) {
  std::lock_guard lock(mu_);
  std::unique_ptr<HistoryCache>& c = history_caches_[source];
  if (!c) c = std::make_unique<HistoryCache>(*source, *deps_.clock);
  return *c;
}

Status AutoscalerController::WriteStatusIfChanged(const std::string& ns, const std::string& name,
                                                  State& state, const Json& status) {
  if (state.status_written && state.status == status) return Status::Ok();
  Status s = deps_.api->PatchStatus(ns, name, MergePatchFrom(state.status, status));
  if (s.ok()) {
    state.status = status;
    state.status_written = true;
  }
  return s;
}

ReconcileOutcome AutoscalerController::ReportInvalidSpec(const Json& object, State& state,
                                                         const ParsedSpec& parsed) {
  const Json& meta = object["metadata"];
  const std::string message = "invalid spec: " + parsed.ErrorSummary();
  Json status = state.status;
  const int64_t generation = meta.value("generation", 0);
  const Timestamp now = deps_.clock->Now();
  status["observedGeneration"] = generation;
  SetCondition(status["conditions"], "Ready", false, "InvalidSpec", message, now, generation);
  SetCondition(status["conditions"], "ScalingActive", false, "InvalidSpec", message, now,
               generation);
  if (!state.status_written || state.status != status)
    deps_.events->Record(object, "Warning", "InvalidSpec", message);
  Status written =
      WriteStatusIfChanged(meta.value("namespace", ""), meta.value("name", ""), state, status);
  // Not retried: nothing changes until the user edits the object, which requeues it.
  return {written, std::nullopt};
}

bool AutoscalerController::WriteLanded(const std::string& ns, const ScaleTargetRef& target,
                                       int32_t replicas) {
  // A write retried after a timeout or a 5xx conflicts with itself when its first attempt
  // was applied: the resourceVersion it names is the one that attempt replaced. Taken for a
  // conflict, the scale would go uncounted by the rate limits and cooldowns.
  Result<ScaleInfo> now = deps_.api->GetScale(ns, target);
  return now.ok() && now->spec_replicas == replicas;
}

ReconcileOutcome AutoscalerController::RetryAfterConflict(
    const Json& object, State& state, const AutoscalerSpec& spec, int32_t from, int32_t to,
    const std::string& resource_version, std::chrono::milliseconds decision_interval) {
  // Nothing was written: no scale event is recorded, so the rate limits and
  // cooldowns see no scale, and the next decision starts from the new count.
  // The resourceVersion goes to the log line only: a message that is the same
  // each time lets the Event recorder count repeats in one Event.
  const std::string message = Describe(spec.target) + " changed after its scale was read (" +
                              std::to_string(from) + " replicas), so it was not scaled to " +
                              std::to_string(to) + ": reading it again to decide anew";
  deps_.events->Record(object, "Normal", "ScaleConflict", message);
  const Json& meta = object["metadata"];
  deps_.info_log("scale write conflicted, deciding again",
                 {{"autoscaler", meta.value("namespace", "") + "/" + meta.value("name", "")},
                  {"target", Describe(spec.target)},
                  {"resourceVersion", resource_version},
                  {"from", from},
                  {"to", to}});
  const int doublings = std::min(state.scale_conflicts, 10);
  ++state.scale_conflicts;
  return {Status::Ok(), std::min(decision_interval, kConflictRetryDelay * (1 << doublings))};
}

ReconcileOutcome AutoscalerController::Reconcile(const std::string& key,
                                                 const std::optional<Json>& object) {
  if (!object) {
    std::lock_guard lock(mu_);
    states_.erase(key);
    for (auto& [source, cache] : history_caches_) cache->Forget(key);
    if (deps_.metrics) deps_.metrics->ForgetAutoscaler(key);
    return {};
  }
  const Json& meta = (*object)["metadata"];
  const std::string ns = meta.value("namespace", "");
  const std::string name = meta.value("name", "");
  const int64_t generation = meta.value("generation", 0);
  State& state = StateFor(key);
  if (!state.status.is_object()) {
    // First sight of the object (or the operator restarted): go on from the status on the
    // server, so conditions keep their lastTransitionTime and fields no longer written are
    // removed from it.
    const Json& on_server = object->value("status", Json());
    state.status = on_server.is_object() ? on_server : Json::object();
  }

  ParsedSpec parsed = ParseAutoscalerSpec(object->value("spec", Json()));
  if (!parsed.errors.empty()) return ReportInvalidSpec(*object, state, parsed);
  const AutoscalerSpec& spec = parsed.spec;
  const policies::PolicySpec& policy = spec.policy;
  const auto next = std::chrono::duration_cast<std::chrono::milliseconds>(spec.decision_interval);
  const Timestamp now = deps_.clock->Now();
  const double now_seconds = std::chrono::duration<double>(now.time_since_epoch()).count();

  Json status = state.status;
  status["observedGeneration"] = generation;
  Json& conditions = status["conditions"];

  if (policy.mode == policies::Mode::kOff) {
    SetCondition(conditions, "Ready", false, "Off", "mode is Off: the autoscaler does nothing", now,
                 generation);
    SetCondition(conditions, "ScalingActive", false, "Off", "mode is Off", now, generation);
    return {WriteStatusIfChanged(ns, name, state, status), std::nullopt};
  }

  // The target's scale.
  Result<ScaleInfo> scale = deps_.api->GetScale(ns, spec.target);
  if (!scale.ok()) {
    const bool missing = scale.code() == StatusCode::kNotFound;
    const std::string message =
        "cannot read the scale of " + Describe(spec.target) + ": " + scale.error();
    deps_.events->Record(*object, "Warning", missing ? "TargetNotFound" : "FailedGetScale",
                         message);
    SetCondition(conditions, "AbleToScale", false, missing ? "TargetNotFound" : "FailedGetScale",
                 message, now, generation);
    SetCondition(conditions, "Ready", false, missing ? "TargetNotFound" : "FailedGetScale", message,
                 now, generation);
    WriteStatusIfChanged(ns, name, state, status);
    if (missing) return {Status::Ok(), next};  // the user's to fix: check again next interval
    return {scale.status(), std::nullopt};
  }
  const int32_t current = scale->spec_replicas;

  // Load: the live value and the history for the forecast.
  std::optional<double> observed_load;
  std::vector<std::string> metric_warnings;  // Prometheus' warnings with the live load
  std::string metric_error;
  Result<MetricsSource*> source = deps_.metrics_for(ns, spec);
  RollingForecast forecast;
  std::optional<RangeSeries> history_series;  // for risk tuning
  if (!source.ok()) {
    metric_error = source.error();
  } else {
    Result<InstantValue> live = (*source)->QueryInstant(spec.query, now);
    if (!live.ok()) {
      metric_error = live.error();
    } else if (!policies::UsableLoad(live->value)) {
      // The policies would hold the replicas anyway; this says why, and counts the failure
      // towards the fallback.
      metric_error = "query '" + spec.query + "' returned " + FormatNumber(live->value) +
                     ": a load cannot be negative; the query must give the workload's total load";
    } else {
      observed_load = live->value;
      metric_warnings = live->warnings;
    }
    HistorySpec history_spec{
        spec.query, std::chrono::duration_cast<std::chrono::milliseconds>(spec.forecast.resolution),
        std::chrono::duration_cast<std::chrono::milliseconds>(spec.forecast.history)};
    Result<RangeSeries> history = HistoryFor(*source).Refresh(key, history_spec);
    if (history.ok() && !history->values.empty()) {
      // A load cannot be negative (a query such as deriv() can give one): such steps are
      // gaps for the forecaster to repair, as NaN ones are, not values to fit.
      for (double& v : history->values) {
        if (v < 0) v = std::numeric_limits<double>::quiet_NaN();
      }
      const std::string config_key = ForecasterKey(spec);
      if (!state.forecaster || state.forecaster_config != config_key) {
        RollingForecasterConfig config;
        config.model = spec.forecast.model;
        const double resolution = static_cast<double>(spec.forecast.resolution.count());
        for (auto p : spec.forecast.seasonal_periods) {
          config.seasonal_periods.push_back(
              static_cast<int>(static_cast<double>(p.count()) / resolution));
        }
        config.resolution_seconds = resolution;
        config.refit_interval_seconds = static_cast<double>(spec.forecast.refit_interval.count());
        config.lead_time_seconds = static_cast<double>(policy.forecast.lead_time().count());
        config.quantile = policy.forecast.quantile;
        state.forecaster = std::make_unique<RollingForecaster>(config);
        state.forecaster_config = config_key;
      }
      const double first_time =
          std::chrono::duration<double>(history->timestamps.front().time_since_epoch()).count();
      forecast = state.forecaster->Update(now_seconds, history->values, first_time);
      history_series = std::move(*history);
    } else if (metric_error.empty()) {
      metric_error = history.ok() ? "history is empty" : history.error();
    }
  }
  const int32_t metric_failures_before = state.metric_failures;
  state.metric_failures = observed_load ? 0 : state.metric_failures + 1;
  if (!metric_error.empty()) {
    // With the live load read, only the history failed: the decision goes on
    // without a forecast, on the live load (as the HPA's would).
    deps_.events->Record(*object, "Warning", "MetricUnavailable",
                         "query '" + spec.query + "' failed: " + metric_error +
                             (observed_load ? " (no forecast: deciding on the live load alone)"
                                            : " (no scale-down without a metric)"));
    if (deps_.metrics) deps_.metrics->prometheus_query_errors_total.WithLabels({key}).Inc();
  }

  // Decide.
  const policies::Time policy_now = ToPolicyTime(now);
  std::erase_if(state.recommendations,
                [&](const auto& r) { return r.time < policy_now - kHistoryKept; });
  std::erase_if(state.scale_events,
                [&](const auto& e) { return e.time < policy_now - kHistoryKept; });
  policies::DecisionInputs in;
  in.now = policy_now;
  in.current_replicas = current;
  in.ready_replicas = std::min(current, scale->status_replicas);
  in.observed_load = observed_load;
  in.forecast = forecast.points;
  in.recommendations = state.recommendations;
  in.scale_events = state.scale_events;
  in.consecutive_metric_failures = state.metric_failures;
  const policies::PolicySpec policy_in_force =
      PolicyInForce(*object, state, spec, now, history_series ? &*history_series : nullptr,
                    forecast.points, status);
  policies::Decision decision = policies::Decide(in, policy_in_force);
  if (decision.recommendation) state.recommendations.push_back(*decision.recommendation);

  // Act.
  if (decision.replicas != current && !deps_.still_leading()) {
    // Leadership ended during this reconcile (a slow query or fit): the new leader may be
    // scaling the same target already. Nothing is written or recorded; if this operator
    // leads again, it decides again.
    if (decision.recommendation) state.recommendations.pop_back();
    state.metric_failures = metric_failures_before;
    deps_.info_log("not scaling: no longer the leader", {{"autoscaler", key},
                                                         {"target", Describe(spec.target)},
                                                         {"from", current},
                                                         {"to", decision.replicas}});
    return {Status::Ok(), next};
  }
  bool scaled = false;
  if (decision.replicas != current) {
    Status s = deps_.api->SetReplicas(ns, spec.target, decision.replicas, scale->resource_version);
    if (s.code() == StatusCode::kConflict && WriteLanded(ns, spec.target, decision.replicas)) {
      s = Status::Ok();
    }
    if (s.code() == StatusCode::kConflict) {
      // The retry decides this sync again: it must not find this attempt's recommendation
      // in the stabilization window, nor count its failed metric query a second time (a
      // fallback would come one failure early).
      if (decision.recommendation) state.recommendations.pop_back();
      state.metric_failures = metric_failures_before;
      return RetryAfterConflict(*object, state, spec, current, decision.replicas,
                                scale->resource_version, next);
    }
    if (!s.ok()) {
      const std::string message = "failed to scale " + Describe(spec.target) + " from " +
                                  std::to_string(current) + " to " +
                                  std::to_string(decision.replicas) + ": " + s.message();
      deps_.events->Record(*object, "Warning", "FailedRescale", message);
      SetCondition(conditions, "AbleToScale", false, "FailedUpdateScale", message, now, generation);
      WriteStatusIfChanged(ns, name, state, status);
      return {s, std::nullopt};  // re-read and decide again after a backoff
    }
    scaled = true;
    state.scale_events.push_back({policy_now, current, decision.replicas});
    deps_.events->Record(*object, "Normal", decision.replicas > current ? "ScaledUp" : "ScaledDown",
                         "scaled " + Describe(spec.target) + " from " + std::to_string(current) +
                             " to " + std::to_string(decision.replicas) + " (" +
                             policies::ReasonName(decision.reason) + "): " + decision.message);
  }

  state.scale_conflicts = 0;

  // Report.
  const std::string reason = policies::ReasonName(decision.reason);
  if (deps_.metrics) {
    deps_.metrics->decisions_total.WithLabels({reason}).Inc();
    deps_.metrics->desired_replicas.WithLabels({key}).Set(decision.desired);
    deps_.metrics->current_replicas.WithLabels({key}).Set(scaled ? decision.replicas : current);
    if (state.forecaster) {
      deps_.metrics->forecast_error_ratio.WithLabels({key}).Set(state.forecaster->accuracy().mape);
    }
  }
  Json proposals = Json::array();
  for (const policies::Proposal& p : decision.proposals) {
    proposals.push_back({{"stage", p.stage}, {"replicas", p.replicas}, {"note", p.note}});
  }
  Json log = {{"ts", FormatKubeMicroTime(now)},
              {"msg", "decision"},
              {"autoscaler", key},
              {"target", Describe(spec.target)},
              {"mode", policies::ModeName(policy.mode)},
              {"observedLoad", observed_load ? Json(*observed_load) : Json(nullptr)},
              {"currentReplicas", current},
              {"readyReplicas", in.ready_replicas},
              {"proposals", proposals},
              {"replicas", decision.replicas},
              {"desiredReplicas", decision.desired},
              {"scaled", scaled},
              {"reason", reason},
              {"message", decision.message}};
  if (!metric_error.empty()) log["metricError"] = metric_error;
  if (!metric_warnings.empty()) log["metricWarnings"] = metric_warnings;
  if (forecast.at_lead) {
    log["forecast"] = {{"model", forecast.model},
                       {"leadSeconds", policy.forecast.lead_time().count()},
                       {"mean", forecast.at_lead->mean},
                       {"quantile", forecast.at_lead->quantile},
                       {"lower80", forecast.at_lead->lower},
                       {"upper80", forecast.at_lead->upper},
                       {"anchor", forecast.anchor}};
  } else {
    log["forecast"] = {{"none", forecast.why_none.empty() ? metric_error : forecast.why_none}};
  }
  deps_.decision_log(log);

  status["currentReplicas"] = scaled ? decision.replicas : current;
  status["desiredReplicas"] = decision.desired;
  if (scaled) status["lastScaleTime"] = FormatKubeTime(now);
  const Json& last = status.value("lastDecision", Json::object());
  if (scaled || last.value("reason", "") != reason) {
    status["lastDecision"] = {{"time", FormatKubeTime(now)},
                              {"from", current},
                              {"to", decision.replicas},
                              {"reason", reason},
                              {"message", decision.message}};
  }
  if (forecast.at_lead) {
    const Accuracy accuracy = state.forecaster->accuracy();
    status["forecast"] = {{"model", forecast.model},
                          {"value", Round4(forecast.at_lead->mean)},
                          {"lower", Round4(forecast.at_lead->lower)},
                          {"upper", Round4(forecast.at_lead->upper)},
                          {"quantile", policy.forecast.quantile},
                          {"horizonSeconds", policy.forecast.lead_time().count()},
                          {"accuracy", {{"mape", Round4(accuracy.mape)}}},
                          {"fittedAt", FormatKubeTime(Timestamp(std::chrono::milliseconds(
                                           static_cast<long long>(forecast.fitted_at * 1000))))}};
  }
  SetCondition(conditions, "Ready", true, "Reconciled", "the autoscaler is working", now,
               generation);
  SetCondition(conditions, "AbleToScale", true, scaled ? "SucceededRescale" : "ReadyForNewScale",
               "the target's scale can be read and written", now, generation);
  if (observed_load) {
    SetCondition(conditions, "ScalingActive", true, "ValidMetricFound",
                 "the load query returns one series", now, generation);
  } else {
    SetCondition(conditions, "ScalingActive", false, "FailedGetMetric",
                 metric_error + " (no scale-down until the metric is back)", now, generation);
  }
  if (forecast.points.empty()) {
    SetCondition(conditions, "ForecastReady", false, "NoForecast",
                 (forecast.why_none.empty() ? metric_error : forecast.why_none) +
                     ": scaling on the live load only",
                 now, generation);
  } else {
    SetCondition(conditions, "ForecastReady", true, "ForecastAvailable", "model " + forecast.model,
                 now, generation);
  }
  SetCondition(
      conditions, "ScalingLimited", IsLimitReason(decision.reason),
      IsLimitReason(decision.reason) ? reason : "DesiredWithinRange",
      IsLimitReason(decision.reason) ? decision.message : "the desired count is within the limits",
      now, generation);
  Status written = WriteStatusIfChanged(ns, name, state, status);
  return {written, next};
}

}  // namespace foresight::op
