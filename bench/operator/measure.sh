#!/usr/bin/env bash
# One measurement of bench/operator/run: the operator (FORESIGHT_BIN) reconciling N
# PredictiveAutoscalers for MINUTES minutes on a local stack, in real time, each with the
# defaults of the minimal manifest (decisions every 30 s, 7 days of 1-minute history,
# refits every hour, risk tuning). Prints sample.py's `key value` lines.
# Usage: bench/operator/measure.sh N MINUTES
#
# The stack is the demo's (scripts/demo.d/lib.sh): the test API server, a real Prometheus
# and the load generator, here playing the demo's NASA trace in real time (one 5-minute row
# per 5 minutes) with 7 days of history backfilled at 1-minute steps. Every autoscaler asks
# for the same series under a query of its own, as autoscalers of different workloads would.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FORESIGHT_HOME="${FORESIGHT_HOME:-$(cd "$here/../.." && pwd)}"
# shellcheck source=scripts/demo.d/lib.sh
source "$FORESIGHT_HOME/scripts/demo.d/lib.sh"

[ $# -eq 2 ] || die "usage: measure.sh N MINUTES"
n="$1"
minutes="$2"
HISTORY_SECONDS=$((7 * 86400))
TRACE_ROWS_OF_HISTORY=$((HISTORY_SECONDS / 300))

# manifests N: N Deployments (pods ready 60 s after they are asked for) and their
# PredictiveAutoscalers.
manifests() {
  local i
  for ((i = 0; i < $1; i++)); do
    cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-$i
  namespace: default
  labels: {app: web-$i}
  annotations: {foresight.test/pod-startup-delay-seconds: "60"}
spec:
  replicas: 3
  selector: {matchLabels: {app: web-$i}}
  template:
    metadata: {labels: {app: web-$i}}
    spec: {containers: [{name: web, image: nginxinc/nginx-unprivileged:1.27}]}
---
apiVersion: autoscaling.foresight.dev/v1alpha1
kind: PredictiveAutoscaler
metadata: {name: web-$i, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-$i}
  minReplicas: 1
  maxReplicas: 1000
  metric:
    query: sum(rate(http_requests_total{service="web",autoscaler!="web-$i"}[2m]))
    targetPerReplica: 10
---
EOF
  done
}

stack_init
STACK_SHOW_LOGS_ON_FAILURE=1
APISERVER_REQUEST_LOG=1 start_apiserver
start_loadgen "$TRACE_ROWS_OF_HISTORY" "$HISTORY_SECONDS" --seconds-per-point 300 --backfill-step 60
start_prometheus
manifests "$n" >"$STACK_DIR/autoscalers.yaml"
apply_demo_manifests "$STACK_DIR/autoscalers.yaml"
for ((i = 0; i < 120; i++)); do
  [ -n "$(prom_query 'sum(rate(http_requests_total{service="web"}[2m]))' 2>/dev/null || true)" ] && break
  sleep 0.5
done
start_operator operator --leader-elect=false
"$PY" "$here/sample.py" --pid "$OPERATOR_PID" --decision-log "$STACK_DIR/operator.log" \
  --autoscalers "$n" --seconds "$((minutes * 60))" --prometheus-url "$PROM_URL" \
  --apiserver-log "$STACK_DIR/apiserver.err"
