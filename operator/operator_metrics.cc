#include "operator/operator_metrics.h"

namespace foresight::op {
namespace {
// Tunable: reconcile durations from 5 ms (cache hit) to 30 s (slow Prometheus
// plus a full model selection).
const std::vector<double> kReconcileBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                               1,     2.5,  5,     10,   30};
}  // namespace

OperatorMetrics::OperatorMetrics(MetricsRegistry& r)
    : reconcile_duration_seconds(r.AddHistogram(
          metric_names::kReconcileDuration,
          "Time one reconcile of an autoscaler took, in seconds.", kReconcileBuckets)),
      decisions_total(r.AddCounter(metric_names::kDecisions,
                                   "Scaling decisions made, by reason.", {kLabelReason})),
      forecast_error_ratio(r.AddGauge(
          metric_names::kForecastErrorRatio,
          "Recent forecast error of an autoscaler's model as a ratio (MAPE: 0.1 is 10%).",
          {kLabelAutoscaler})),
      desired_replicas(r.AddGauge(metric_names::kDesiredReplicas,
                                  "Replicas Foresight wants for the autoscaler's target.",
                                  {kLabelAutoscaler})),
      current_replicas(r.AddGauge(metric_names::kCurrentReplicas,
                                  "Replicas the autoscaler's target has now.",
                                  {kLabelAutoscaler})),
      prometheus_query_errors_total(
          r.AddCounter(metric_names::kPrometheusQueryErrors,
                       "Prometheus queries for an autoscaler that failed.", {kLabelAutoscaler})),
      workqueue_depth(r.AddGauge(metric_names::kWorkqueueDepth,
                                 "Autoscaler keys waiting in the work queue.")) {}

void OperatorMetrics::ForgetAutoscaler(const std::string& autoscaler) {
  forecast_error_ratio.Remove({autoscaler});
  desired_replicas.Remove({autoscaler});
  current_replicas.Remove({autoscaler});
  prometheus_query_errors_total.Remove({autoscaler});
}

}  // namespace foresight::op
