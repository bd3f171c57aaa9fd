#!/usr/bin/env bash
# e2e 4: API server faults while the operator scales through the morning ramp: watches cut
# (TCP reset and clean EOF), history compacted (watches and relists get 410), 503/500/429
# on the scale and status writes, and 409 Conflict on the scale write (kube-apiserver's exact
# Status for a stale resourceVersion: the operator reads again and decides again). No scale
# is lost or duplicated: the Deployment's spec changed (generation) exactly once per scale the
# operator logged, and its replicas are the last ones logged. Recovery: after the faults, an
# edit of the autoscaler (minReplicas) is seen through the re-established watch and applied.
# (Real 409s, from another writer racing the operator: scale_conflict.sh; the Lease's 409:
# leader_election.sh.)
source "$(dirname "$0")/common.sh"
e2e_init
e2e_stack 7.5
gen0=$(generation_of web)
start_operator operator --leader-elect=false
wait_decisions "$STACK_DIR/operator.log" 2 40
kubeemu drop-watches '{"mode":"reset"}' >/dev/null
kubeemu faults '{"fail":[{"code":503,"count":3,"retryAfterSeconds":1,"path":"deployments/web/scale","methods":["PATCH"]},{"code":409,"count":2,"path":"deployments/web/scale","methods":["PATCH"]}]}' >/dev/null
sleep 3
kubeemu compact '{}' >/dev/null
kubeemu drop-watches '{"mode":"eof"}' >/dev/null
sleep 3
kubeemu faults '{"fail":[{"code":500,"count":2,"path":"predictiveautoscalers/web/status"},{"code":429,"count":2,"retryAfterSeconds":1,"path":"deployments/web/scale","methods":["GET"]}]}' >/dev/null
kubeemu config '{"watchExpiredAs":"http"}' >/dev/null
kubeemu compact '{}' >/dev/null
kubeemu drop-watches '{"mode":"reset"}' >/dev/null
sleep 12
pending=$(kubeemu faults '{}')
case "$pending" in *'"pendingFailures": []'*) ;; *) die "not every injected failure was hit by the operator within 12 s: $pending" ;; esac
kubeemu reset-faults '{}' >/dev/null
# Recovery: a spec change must reach the operator through its (re-established) watch.
kc patch pas web --type merge -p '{"spec":{"minReplicas":30}}' >/dev/null
for ((i = 0; i < 50; i++)); do
  [ "$(replicas_of web)" -ge 30 ] && break
  sleep 0.2
done
[ "$(replicas_of web)" -ge 30 ] || die "minReplicas 30 not applied 10 s after the edit (replicas $(replicas_of web)): the watch did not recover"
sleep 4
stop_proc "$OPERATOR_PID" 15  # no decision in flight while the final state is read
gen1=$(generation_of web)
final=$(replicas_of web)
log "events: $(events_of PredictiveAutoscaler web | cut -d' ' -f1 | sort | uniq -c | tr '\n' ' ')"
# Each injected 409 is one conflict the operator logged (more may be real: the rollout model's
# status writes move the Deployment's resourceVersion too) and an Event.
conflicts=$(grep -c '"msg":"scale write conflicted, deciding again"' "$STACK_DIR/operator.log" || true)
[ "$conflicts" -ge 2 ] || die "2 injected 409s on the scale write, but $conflicts conflicts logged"
events=$(events_of PredictiveAutoscaler web)  # whole, then grep: no SIGPIPE under pipefail
grep -q '^ScaleConflict ' <<<"$events" || die "no ScaleConflict Event: $(head -5 <<<"$events")"
check scales "$STACK_DIR/operator.log" --generation-delta $((gen1 - gen0)) --final-replicas "$final"
pass "no lost or duplicated scale through watch drops, 410s, 503/500/429/409; recovered"
