#!/usr/bin/env bash
# e2e 9: real 409 Conflicts on the scale write. The operator's scale PATCH carries the
# resourceVersion of the Scale it read (as the HPA's update does), so a write by someone else
# in between is never overwritten. To make that race certain, not lucky: the test API server
# delays every request to the Deployment's /scale by 1.5 s while another client relabels the
# Deployment every 0.2 s (its resourceVersion moves, its spec and generation do not), and the
# autoscaler's minReplicas is raised so that the operator must scale. Nothing is injected:
# every 409 is the server's optimistic-concurrency check. The operator logs each conflict
# (not an error), records a ScaleConflict Event, reads again and decides again; once the
# other writer stops, the scale goes through. No scale is lost or duplicated: the
# Deployment's spec changed (generation) exactly once per scale the operator logged.
source "$(dirname "$0")/common.sh"
e2e_init
e2e_stack 3   # night: a flat load, so the minReplicas edit is what makes it scale
gen0=$(generation_of web)
start_operator operator --leader-elect=false
wait_decisions "$STACK_DIR/operator.log" 2 40
conflicts() { grep -c '"msg":"scale write conflicted, deciding again"' "$STACK_DIR/operator.log" || true; }
kubeemu faults '{"latencySeconds":1.5,"latencyPath":"deployments/web/scale$"}' >/dev/null
bg relabel "$PY" "$E2E_DIR/other_writer.py" --kubeconfig "$KUBECONFIG_FILE" \
  relabel /apis/apps/v1/namespaces/default/deployments/web --interval 0.2
RELABEL_PID=$BG_PID
before=$(replicas_of web)
want=$((before + 8))
kc patch pas web --type merge -p "{\"spec\":{\"minReplicas\":$want}}" >/dev/null
for ((i = 0; i < 100; i++)); do
  [ "$(conflicts)" -ge 2 ] && break
  sleep 0.2
done
[ "$(conflicts)" -ge 2 ] || die "fewer than 2 conflicting scale writes in 20 s of racing writes (replicas $(replicas_of web), want $want)"
stop_proc "$RELABEL_PID" 5
for ((i = 0; i < 75; i++)); do
  [ "$(replicas_of web)" -ge "$want" ] && break
  sleep 0.2
done
[ "$(replicas_of web)" -ge "$want" ] || die "minReplicas $want not applied 15 s after the other writer stopped (replicas $(replicas_of web))"
kubeemu reset-faults '{}' >/dev/null
sleep 3
stop_proc "$OPERATOR_PID" 15  # no decision in flight while the final state is read
gen1=$(generation_of web)
final=$(replicas_of web)
events=$(events_of PredictiveAutoscaler web)  # whole, then grep: no SIGPIPE under pipefail
log "conflicts: $(conflicts); events: $(cut -d' ' -f1 <<<"$events" | sort | uniq -c | tr '\n' ' ')"
grep -q '^ScaleConflict Deployment web changed after its scale was read' <<<"$events" ||
  die "no ScaleConflict Event: $(head -5 <<<"$events")"
if grep -q '"msg":"reconcile failed' "$STACK_DIR/operator.log"; then
  die "a conflict was handled as a failed reconcile: $(grep '"msg":"reconcile failed' "$STACK_DIR/operator.log" | head -3)"
fi
check scales "$STACK_DIR/operator.log" --generation-delta $((gen1 - gen0)) --final-replicas "$final"
pass "$(conflicts) real 409s on the scale write: re-read, decided again, no lost or duplicated scale"
