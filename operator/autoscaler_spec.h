// The PredictiveAutoscaler's spec, read from the custom resource (JSON) into
// plain values: the policy part as policies::PolicySpec, plus what the
// operator itself needs (target, query, forecasting settings).
//
// Parsing never throws and never stops at the first problem: every bad field
// is reported with its path and the fix, so one status condition and one
// Event can tell the user everything. The rules the API server enforces with
// CEL (x-kubernetes-validations) are checked here too, with the same
// messages, so a cluster that cannot evaluate CEL still protects the user.
// Field names, defaults and rules: docs/api.md.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "operator/duration.h"
#include "policies/spec.h"

namespace foresight::op {

struct ScaleTargetRef {
  std::string api_version = "apps/v1";
  std::string kind;
  std::string name;
};

struct PrometheusSettings {
  std::string address;  // empty: the operator's --prometheus-url
  std::string auth_secret_name;
  std::string bearer_token_key, username_key, password_key;
  bool insecure_skip_verify = false;
};

struct ForecastSettings {
  std::string model = "auto";
  std::chrono::seconds history = std::chrono::hours(24 * 7);
  std::chrono::seconds resolution = std::chrono::minutes(1);
  std::vector<std::chrono::seconds> seasonal_periods;  // empty: detect
  std::chrono::seconds refit_interval = std::chrono::hours(1);
};

struct AutoscalerSpec {
  ScaleTargetRef target;
  std::string query;
  PrometheusSettings prometheus;
  ForecastSettings forecast;
  std::chrono::seconds decision_interval{30};
  policies::PolicySpec policy;
};

struct ParsedSpec {
  AutoscalerSpec spec;
  std::vector<policies::FieldError> errors;  // empty: valid
  // Path of every field the parser looked for, written or not ("spec.minReplicas",
  // "spec.behavior.scaleUp.policies[0].type"): UnknownFields reports the others.
  std::set<std::string> fields_read;
  // All errors joined into one message for a condition or an Event.
  std::string ErrorSummary() const;
};

// Reads the resource's `spec` object. Missing optional fields take the CRD's defaults.
ParsedSpec ParseAutoscalerSpec(const nlohmann::json& spec);

}  // namespace foresight::op
