#!/usr/bin/env bash
# e2e 6: invalid PredictiveAutoscalers next to a valid one. The API server rejects
# minReplicas > maxReplicas itself (the CRD's CEL rule, checked here with its message); a
# spec the server accepts but the operator cannot run (decisionInterval: 0s) gets
# Ready=False / ScalingActive=False with reason InvalidSpec and a Warning Event naming the
# field, is never acted on, and the valid autoscaler keeps deciding.
source "$(dirname "$0")/common.sh"
e2e_init
e2e_stack 12
start_operator operator --leader-elect=false
wait_decisions "$STACK_DIR/operator.log" 2 40 default/web
bad_minmax="$STACK_DIR/bad-minmax.yaml"
sed -e 's/name: web$/name: bad-minmax/' -e 's/minReplicas: 2/minReplicas: 9/' -e 's/maxReplicas: 40/maxReplicas: 3/' \
  "$DEMO_MANIFEST" | "$PY" -c 'import sys; print(sys.stdin.read().split("---\n")[1])' >"$bad_minmax"
if kc apply --validate=false -f "$bad_minmax" >"$STACK_DIR/minmax.out" 2>&1; then
  die "the API server accepted minReplicas 9 > maxReplicas 3"
fi
grep -q "minReplicas must be less than or equal to maxReplicas" "$STACK_DIR/minmax.out" ||
  die "unexpected rejection: $(cat "$STACK_DIR/minmax.out")"
cat >"$STACK_DIR/bad.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: other, namespace: default}
spec:
  replicas: 5
  selector: {matchLabels: {app: other}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: autoscaling.foresight.dev/v1alpha1
kind: PredictiveAutoscaler
metadata: {name: bad, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: other}
  minReplicas: 1
  maxReplicas: 10
  decisionInterval: 0s
  metric:
    query: sum(rate(http_requests_total{service="web"}[5s]))
    targetPerReplica: 10
YAML
kc apply -f "$STACK_DIR/bad.yaml" >/dev/null || die "the API server rejected decisionInterval: 0s"
wait_condition bad Ready False 15
ready="$(pas_condition bad Ready)"
active="$(pas_condition bad ScalingActive)"
log "bad: Ready $ready"
case "$ready" in "False InvalidSpec "*decisionInterval*) ;; *) die "Ready condition of bad: '$ready'" ;; esac
case "$active" in "False InvalidSpec "*) ;; *) die "ScalingActive condition of bad: '$active'" ;; esac
events="$(events_of PredictiveAutoscaler bad)"  # whole: see prometheus_outage.sh
grep -q '^InvalidSpec .*decisionInterval' <<<"$events" ||
  die "no InvalidSpec Event naming decisionInterval; events: $events"
n0=$(check count "$STACK_DIR/operator.log" --autoscaler default/web)
sleep 6
n1=$(check count "$STACK_DIR/operator.log" --autoscaler default/web)
[ "$n1" -ge $((n0 + 2)) ] || die "the valid autoscaler stopped deciding ($n0 -> $n1 decisions in 6 s)"
[ "$(check count "$STACK_DIR/operator.log" --autoscaler default/bad)" = 0 ] || die "the invalid autoscaler made decisions"
[ "$(replicas_of other)" = 5 ] || die "the invalid autoscaler's target was scaled to $(replicas_of other)"
wait_condition web Ready True 5
pass "invalid specs are reported (condition + Event), the valid autoscaler is unaffected"
