#!/usr/bin/env bash
# e2e 5: two operators with leader election (Lease default/foresight-e2e). Only the leader
# decides; SIGKILL it (no release) during the morning ramp: the other takes over within the
# Lease's duration (+ retry period and one decision), no decision overlaps, and every scale
# logged by either is exactly one change of the Deployment's spec.
source "$(dirname "$0")/common.sh"
e2e_init
e2e_stack 7.5
gen0=$(generation_of web)
le=(--leader-elect=true --leader-election-namespace default --leader-election-id foresight-e2e)
start_operator op-a "${le[@]}"
pid_a=$OPERATOR_PID
start_operator op-b "${le[@]}"
pid_b=$OPERATOR_PID
for ((i = 0; i < 200; i++)); do
  na=$(check count "$STACK_DIR/op-a.log"); nb=$(check count "$STACK_DIR/op-b.log")
  [ $((na + nb)) -ge 3 ] && break
  sleep 0.2
done
[ $((na + nb)) -ge 3 ] || die "no leader made decisions within 40 s"
if [ "$na" -gt 0 ]; then leader=a; else leader=b; fi
holder=$(kc get lease -n default foresight-e2e -o 'jsonpath={.spec.holderIdentity}')
lease=$(kc get lease -n default foresight-e2e -o 'jsonpath={.spec.leaseDurationSeconds}')
[ -n "$holder" ] && [ -n "$lease" ] || die "Lease default/foresight-e2e has no holder/duration"
log "leader op-$leader (lease holder $holder, duration ${lease}s)"
if [ "$leader" = a ]; then kpid=$pid_a; klog=op-a; slog=op-b; else kpid=$pid_b; klog=op-b; slog=op-a; fi
[ "$(check count "$STACK_DIR/$slog.log")" = 0 ] || die "both operators made decisions"
kill_time=$(date +%s.%N)
kill -KILL "$kpid"
for ((i = 0; i < (lease + 15) * 5; i++)); do
  [ "$(check count "$STACK_DIR/$slog.log")" -ge 2 ] && break
  sleep 0.2
done
new_holder=$(kc get lease -n default foresight-e2e -o 'jsonpath={.spec.holderIdentity}')
log "lease holder now $new_holder"
[ "$new_holder" != "$holder" ] || die "the lease is still held by the killed operator ($holder)"
sleep 3
stop_proc "$pid_a" 15; stop_proc "$pid_b" 15  # no decision in flight while the state is read
gen1=$(generation_of web)
final=$(replicas_of web)
check leader "$STACK_DIR/$klog.log" "$STACK_DIR/$slog.log" --kill-time "$kill_time" --lease "$lease" --slack 6
check scales "$STACK_DIR/op-a.log" "$STACK_DIR/op-b.log" --generation-delta $((gen1 - gen0)) --final-replicas "$final"
pass "the standby took over within the lease duration; no double scaling"
