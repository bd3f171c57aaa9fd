#!/usr/bin/env bash
# e2e 8: any kind with a scale subresource. The target is a custom resource, a WorkerPool
# (queue.example.com/v1, workerpool-crd.yaml), whose CRD declares subresources.scale; a
# stand-in for its own controller keeps status.replicas equal to spec.replicas. Through the
# morning ramp the operator finds the kind by API discovery and scales it through its /scale:
# it scales up at least twice, every decision names the WorkerPool, every scale it logged is
# exactly one change of the WorkerPool's spec (generation), the last one is its replicas, and
# the Events say so.
source "$(dirname "$0")/common.sh"
e2e_init
start_apiserver
start_loadgen "$(row_at_hour 7.5)" 900
start_prometheus
kc apply -f "$E2E_DIR/workerpool-crd.yaml" >"$STACK_DIR/kubectl-crd.log" 2>&1 ||
  die "kubectl apply of the WorkerPool CRD failed: $(cat "$STACK_DIR/kubectl-crd.log")"
wait_crd_established workerpools.queue.example.com 20
apply_demo_manifests "$E2E_DIR/workerpool.yaml"
wait_load 30
POOL=/apis/queue.example.com/v1/namespaces/default/workerpools/jobs
bg workerpool-controller "$PY" "$E2E_DIR/other_writer.py" --kubeconfig "$KUBECONFIG_FILE" \
  follow-status "$POOL"
pool() { kc get workerpool jobs -o "jsonpath={$1}"; }
gen0=$(pool .metadata.generation)
start_operator operator --leader-elect=false
wait_decisions "$STACK_DIR/operator.log" 2 40 default/jobs
for ((i = 0; i < 300; i++)); do
  [ "$(check count "$STACK_DIR/operator.log" --autoscaler default/jobs --scaled)" -ge 2 ] && break
  sleep 0.2
done
scaled=$(check count "$STACK_DIR/operator.log" --autoscaler default/jobs --scaled)
[ "$scaled" -ge 2 ] || die "the WorkerPool was scaled $scaled times in 60 s of the morning ramp (replicas $(pool .spec.replicas))"
stop_proc "$OPERATOR_PID" 15  # no decision in flight while the final state is read
gen1=$(pool .metadata.generation)
final=$(pool .spec.replicas)
[ "$final" -gt 3 ] || die "the WorkerPool has $final replicas after the ramp (started with 3)"
log "WorkerPool jobs: $final replicas (status: $(pool .status.replicas)), generation $gen0 -> $gen1"
events=$(events_of PredictiveAutoscaler jobs)  # whole, then grep: no SIGPIPE under pipefail
grep -q '^ScaledUp scaled WorkerPool jobs from ' <<<"$events" ||
  die "no ScaledUp Event names the WorkerPool: $(head -5 <<<"$events")"
check scales "$STACK_DIR/operator.log" --autoscaler default/jobs --target "WorkerPool jobs" \
  --generation-delta $((gen1 - gen0)) --final-replicas "$final"
pass "a custom resource with a scale subresource was scaled through /scale ($scaled scales, now $final replicas)"
