// `foresight operator`: wires the controller to the cluster and runs it until
// stopped. Holds no logic of its own beyond wiring: clients from the
// kubeconfig or in-cluster configuration, the PredictiveAutoscaler informer,
// the work queue and its workers, leader election, the Prometheus clients,
// and the /metrics, /healthz and /readyz endpoint.
#pragma once

#include <stop_token>
#include <string>

#include "operator/autoscaler_controller.h"
#include "operator/logger.h"
#include "operator/status.h"

namespace foresight::op {

// --prometheus-url's value for "no default" (an empty value cannot be told from a missing one
// on the command line).
inline constexpr const char* kNoDefaultPrometheus = "none";

struct OperatorOptions {
  std::string kubeconfig;  // empty: in-cluster configuration
  // Used by autoscalers that name no Prometheus; kNoDefaultPrometheus: each must name its own.
  std::string prometheus_url = "http://prometheus-server.monitoring.svc:9090";
  std::string metrics_bind_address = ":8080";
  bool leader_elect = true;
  std::string leader_election_namespace;  // empty: POD_NAMESPACE, else the config's namespace
  std::string leader_election_id = "foresight-operator";
  std::string identity;  // empty: hostname + random suffix
  int workers = 2;
  std::string watch_namespace;  // empty: all namespaces
};

// The Prometheus an autoscaler's metric is read from: its own `address`, else the operator's
// default; an error naming both settings when neither is set (default_url empty or
// kNoDefaultPrometheus).
Result<std::string> PrometheusUrlFor(const std::string& address, const std::string& default_url);

// The workers' backstop: the controller returns its errors, but an exception escaping a
// worker thread would end the whole process, every autoscaler with it. One that escapes
// (an allocation a spec sized beyond the memory limit) fails that reconcile only, as an
// error the worker logs and retries with backoff.
ReconcileOutcome ReconcileOrReport(AutoscalerController& controller, const std::string& key,
                                   const std::optional<nlohmann::json>& object);

// Runs until `stop` is requested (SIGTERM), then releases the lease and
// returns 0; returns non-zero when it cannot start (the error is logged).
int RunOperator(const OperatorOptions& options, Logger& log, std::stop_token stop);

}  // namespace foresight::op
