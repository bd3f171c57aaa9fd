#!/usr/bin/env bash
# e2e 3: Prometheus stops while the load falls (evening, 18:00-20:00 of the synthetic day,
# scale-down stabilization off). While it is gone: no scale-down, condition
# ScalingActive=False, an Event MetricUnavailable. When it returns (same port and storage):
# ScalingActive=True again and the operator scales down to the lower load.
source "$(dirname "$0")/common.sh"
e2e_init
e2e_stack 16.5
kc patch pas web --type merge -p '{"spec":{"behavior":{"scaleDown":{"stabilizationWindowSeconds":0}}}}' >/dev/null
start_operator operator --leader-elect=false
wait_decisions "$STACK_DIR/operator.log" 3 40
wait_condition web ScalingActive True 20
sleep_until_hour 18   # the evening fall (18:00-20:00) begins
before=$(replicas_of web)
outage_start=$(date +%s.%N)
stop_prometheus
log "Prometheus stopped (replicas $before)"
wait_condition web ScalingActive False 15
cond="$(pas_condition web ScalingActive)"
log "during the outage: ScalingActive $cond"
sleep 8
during=$(replicas_of web)
[ "$during" -ge "$before" ] || die "replicas fell from $before to $during without a metric"
# Read whole before matching: `grep -q` exits at the first match, and with pipefail the
# writer's SIGPIPE would fail the check although the Event is there.
events="$(events_of PredictiveAutoscaler web)"
grep -q '^MetricUnavailable ' <<<"$events" ||
  die "no MetricUnavailable Event during the outage; events: $events"
outage_end=$(date +%s.%N)
restart_prometheus
log "Prometheus restarted"
wait_condition web ScalingActive True 20
sleep 10
check outage "$STACK_DIR/operator.log" --start "$outage_start" --end "$outage_end" --expect-scale-down
pass "no scale-down without a metric, ScalingActive=False + MetricUnavailable, recovery"
