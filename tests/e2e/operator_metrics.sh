#!/usr/bin/env bash
# e2e 7: a real Prometheus scrapes the operator's /metrics (job "foresight", every 1 s):
# the target is up, the operator's series arrive, and `promtool check metrics` passes on
# the exposition. /healthz and /readyz answer 200.
source "$(dirname "$0")/common.sh"
e2e_init
start_apiserver
start_loadgen "$(row_at_hour 12)" 900
mport=$(free_port)
start_prometheus "127.0.0.1:$mport"
apply_demo_manifests
start_operator operator --leader-elect=false --metrics-bind-address "127.0.0.1:$mport"
wait_http "http://127.0.0.1:$mport/healthz" 30 "the operator's /healthz" "$OPERATOR_PID"
wait_http "http://127.0.0.1:$mport/readyz" 30 "the operator's /readyz" "$OPERATOR_PID"
wait_decisions "$STACK_DIR/operator.log" 2 40
for ((i = 0; i < 75; i++)); do
  up=$(prom_query 'up{job="foresight"}')
  n=$(prom_query 'count({job="foresight",__name__=~"foresight_.+"})')
  [ "$up" = 1 ] && [ -n "$n" ] && break
  sleep 0.2
done
[ "$up" = 1 ] || die "Prometheus does not see the operator up (up=$up)"
[ -n "$n" ] || die "no foresight_* series scraped from the operator"
log "Prometheus scraped $n foresight_* series; up=1"
http_get "http://127.0.0.1:$mport/metrics" >"$STACK_DIR/metrics.txt" || die "GET /metrics failed"
if ! "$PROMTOOL_BIN" check metrics <"$STACK_DIR/metrics.txt" >"$STACK_DIR/promtool-check.txt" 2>&1; then
  die "promtool check metrics failed: $(cat "$STACK_DIR/promtool-check.txt")"
fi
pass "Prometheus scrapes the operator; promtool check metrics passes"
