#!/usr/bin/env bash
# e2e 2: a spike no forecast can see. At night (flat 30 req/s, history without spikes) the
# load generator multiplies the load by 5 for 30 s; replicas must follow it (the
# reactive proposal leads) up to at least 90% of the spike's need within 20 s.
source "$(dirname "$0")/common.sh"
e2e_init
e2e_stack 0
start_operator operator --leader-elect=false
wait_decisions "$STACK_DIR/operator.log" 4 40
spike_at=$(date +%s.%N)
http_post "$LOADGEN_URL/spike" '{"factor": 5, "seconds": 30}' >/dev/null
sleep 22
check reactive "$STACK_DIR/operator.log" --since "$spike_at" --min-replicas 14 --within 20
pass "replicas followed an unforecastable spike"
