// The operator's own metrics, defined in one place: their names, help texts,
// labels and buckets. Controllers take an OperatorMetrics& and record into it.
#pragma once

#include <string>

#include "operator/metrics_registry.h"

namespace foresight::op {

namespace metric_names {
inline constexpr char kReconcileDuration[] = "foresight_reconcile_duration_seconds";
inline constexpr char kDecisions[] = "foresight_decisions_total";
inline constexpr char kForecastErrorRatio[] = "foresight_forecast_error_ratio";
inline constexpr char kDesiredReplicas[] = "foresight_desired_replicas";
inline constexpr char kCurrentReplicas[] = "foresight_current_replicas";
inline constexpr char kPrometheusQueryErrors[] = "foresight_prometheus_query_errors_total";
inline constexpr char kWorkqueueDepth[] = "foresight_workqueue_depth";
}  // namespace metric_names

// Label names.
inline constexpr char kLabelReason[] = "reason";          // a decision reason, e.g. ScaleUpLimit
inline constexpr char kLabelAutoscaler[] = "autoscaler";  // "namespace/name"

struct OperatorMetrics {
  // Registers every metric in `registry`. REQUIRES: called once per registry.
  explicit OperatorMetrics(MetricsRegistry& registry);

  HistogramFamily& reconcile_duration_seconds;       // no labels
  CounterFamily& decisions_total;                    // {reason}
  GaugeFamily& forecast_error_ratio;                 // {autoscaler}, e.g. MAPE
  GaugeFamily& desired_replicas;                     // {autoscaler}
  GaugeFamily& current_replicas;                     // {autoscaler}
  CounterFamily& prometheus_query_errors_total;      // {autoscaler}
  GaugeFamily& workqueue_depth;                      // no labels

  // Stops exposing an autoscaler's series (after it was deleted).
  void ForgetAutoscaler(const std::string& autoscaler);
};

}  // namespace foresight::op
