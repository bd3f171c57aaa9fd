# shellcheck shell=bash
# Shared by the end-to-end tests: the demo's orchestration (scripts/demo.d/lib.sh) plus
# a synthetic daily trace and the assertions of tests/e2e/check.py. Each test is a bash
# script that stops everything it started (lib.sh's trap) and fails with FAIL: ... .
set -euo pipefail
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FORESIGHT_HOME="${FORESIGHT_HOME:-$(cd "$E2E_DIR/../.." && pwd)}"
# shellcheck source=scripts/demo.d/lib.sh
source "$FORESIGHT_HOME/scripts/demo.d/lib.sh"

# Row of the synthetic trace that plays at hour H of its 4th day (3 days of history before).
row_at_hour() { "$PY" -c "print(864 + round(12 * $1))"; }

e2e_init() {
  STACK_SHOW_LOGS_ON_FAILURE=1
  stack_init
  "$FORESIGHT_BIN" operator --help >/dev/null 2>&1 ||
    die "$FORESIGHT_BIN has no 'operator' subcommand (merge main / rebuild)"
  DEMO_TRACE="$STACK_DIR/synthetic.csv"
  DEMO_SCALE=1
  "$PY" "$E2E_DIR/synthetic_trace.py" "$DEMO_TRACE"
  E2E_T0=$(date +%s)
}

# e2e_stack START_HOUR [EXTRA_PROMETHEUS_TARGET...]: API server, loadgen (synthetic trace,
# START_HOUR of day 4 playing now, 3 days of history), Prometheus, manifests.
e2e_stack() {
  local hour="$1"
  shift
  start_apiserver
  start_loadgen "$(row_at_hour "$hour")" 900
  start_prometheus "$@"
  apply_demo_manifests
  wait_load 30
}

check() { "$PY" "$E2E_DIR/check.py" "$@"; }

# wait_decisions LOG N SECONDS [AUTOSCALER]: until LOG has N decisions (with a live load).
wait_decisions() {
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    [ "$(check count "$1" ${4:+--autoscaler "$4"})" -ge "$2" ] && return 0
    sleep 0.2
  done
  die "fewer than $2 decisions in $(basename "$1") after $3 s (operator stderr: $(tail -n 5 "${1%.log}.err" 2>/dev/null))"
}

# pas_condition NAME TYPE: "Status Reason Message" of a condition of a PredictiveAutoscaler.
pas_condition() {
  kc get pas "$1" -o "jsonpath={.status.conditions[?(@.type==\"$2\")].status} {.status.conditions[?(@.type==\"$2\")].reason} {.status.conditions[?(@.type==\"$2\")].message}" 2>/dev/null
}

# wait_condition NAME TYPE STATUS SECONDS
wait_condition() {
  local i c
  for ((i = 0; i < $4 * 2; i++)); do
    c="$(pas_condition "$1" "$2")"
    [ "${c%% *}" = "$3" ] && return 0
    sleep 0.5
  done
  die "PredictiveAutoscaler $1: condition $2 is not $3 after $4 s (now: '${c:-absent}')"
}

# events_of KIND NAME: "reason message" lines of the Events about an object.
events_of() {
  kc get events --field-selector "involvedObject.kind=$1,involvedObject.name=$2" \
    -o 'jsonpath={range .items[*]}{.reason} {.message}{"\n"}{end}' 2>/dev/null
}

generation_of() { kc get deployment "$1" -o 'jsonpath={.metadata.generation}'; }

pass() {
  echo "PASS: $* ($(($(date +%s) - E2E_T0)) s)"
}

# sleep_until_hour H: until the synthetic trace's hour H (of day 4) plays, bounded by 300 s.
sleep_until_hour() {
  local s
  s=$("$PY" -c "
import json, time
i = json.load(open('$STACK_DIR/loadgen.json'))
print(max(0.0, min(300.0, i['anchor'] + ($(row_at_hour "$1") - i['startIndex']) * i['secondsPerPoint'] - time.time())))")
  sleep "$s"
}
