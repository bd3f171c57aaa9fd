#!/usr/bin/env bash
# e2e 1: a predictable daily load (synthetic, 1 s = 5 min). The live tail starts at 05:00 of
# the 4th day, 3 days of the same shape backfilled; the morning ramp (08:00-10:00, 30 -> 200
# req/s) plays 36-60 s in. The operator must raise replicas BEFORE the load exceeds the
# night's capacity, with reason ScaleUpPredicted, and reach the peak's replica count.
source "$(dirname "$0")/common.sh"
e2e_init
e2e_stack 5
start_operator operator --leader-elect=false
wait_decisions "$STACK_DIR/operator.log" 1 30
sleep_until_hour 10.6   # the whole ramp (to 10:00) and the pods' start-up after it
check ahead "$STACK_DIR/operator.log" "$STACK_DIR/load-timeline.txt" "$STACK_DIR/loadgen.json" \
  --ramp-row "$(row_at_hour 8)" --ramp-seconds 24 --target 10 --startup 6
pass "replicas were raised ahead of the morning ramp"
