# shellcheck shell=bash
# Shared orchestration for `scripts/demo` and the end-to-end tests (tests/e2e/).
# Source it from bash; it defines functions only (no side effects until called).
#
#   stack_init                   temp dir, trap that stops everything on exit/INT/TERM
#   start_apiserver [ARGS...]    the test API server (scripts/test-apiserver), KUBECONFIG set;
#                                with APISERVER_REQUEST_LOG=1 it logs each request to apiserver.err
#   start_loadgen START_INDEX HISTORY_S [ARGS...]   trace replay + its backfill file
#   start_prometheus [EXTRA_TARGET...]   Debian's prometheus, backfilled, scraping the loadgen
#   stop_prometheus / restart_prometheus  (same port, same storage)
#   apply_demo_manifests [FILE]  CRD, then the Deployment + PredictiveAutoscaler (examples/demo/)
#   start_operator NAME [ARGS...]   build/foresight operator, stdout → $STACK_DIR/NAME.log
#   stop_proc PID                SIGTERM, bounded wait, SIGKILL
#   stack_cleanup                what the trap runs
#
# Time compression (see examples/demo/README.md): the trace has one row per 5 minutes and
# the loadgen plays one row per real second, so 1 real second = 5 trace minutes and a trace
# day (288 rows) passes in 288 s. Every duration in examples/demo/demo.yaml is compressed
# the same way. Everything listens on 127.0.0.1 only; every wait is bounded.

FORESIGHT_HOME="${FORESIGHT_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
FORESIGHT_BIN="${FORESIGHT_BIN:-$FORESIGHT_HOME/build/foresight}"
PY=/usr/bin/python3
PROMETHEUS_BIN="${PROMETHEUS_BIN:-/usr/bin/prometheus}"
PROMTOOL_BIN="${PROMTOOL_BIN:-/usr/bin/promtool}"
KUBECTL_BIN="${KUBECTL_BIN:-$(command -v kubectl || echo /usr/bin/kubectl)}"
DEMO_TRACE="${DEMO_TRACE:-$FORESIGHT_HOME/examples/demo/nasa-http-5min.csv}"
DEMO_MANIFEST="${DEMO_MANIFEST:-$FORESIGHT_HOME/examples/demo/demo.yaml}"
DEMO_SCALE="${DEMO_SCALE:-100}"   # trace values (req/s of 1995) x 100

# shellcheck disable=SC2034  # set here, read by the callers
STACK_PIDS=()
STACK_DIR=""

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

stack_init() {
  STACK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/foresight-demo.XXXXXX")"
  trap 'stack_cleanup' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  for tool in "$PY" "$PROMETHEUS_BIN" "$PROMTOOL_BIN" "$KUBECTL_BIN" openssl; do
    command -v "$tool" >/dev/null || die "$tool is missing: run scripts/bootstrap --no-build"
  done
  [ -x "$FORESIGHT_BIN" ] || die "$FORESIGHT_BIN is missing: run scripts/bootstrap (it builds)"
}

stop_proc() {  # PID [seconds]
  local pid="$1" wait_s="${2:-10}" i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  return 0
}

stack_cleanup() {
  local rc=$? i
  set +e
  trap - EXIT INT TERM
  for ((i = ${#STACK_PIDS[@]} - 1; i >= 0; i--)); do
    stop_proc "${STACK_PIDS[i]}" 10
  done
  STACK_PIDS=()
  if [ -n "$STACK_DIR" ] && [ -d "$STACK_DIR" ]; then
    if [ "$rc" -ne 0 ] && [ -n "${STACK_SHOW_LOGS_ON_FAILURE:-}" ]; then
      local f
      for f in "$STACK_DIR"/*.log "$STACK_DIR"/*.err; do
        [ -f "$f" ] || continue
        echo "----- $(basename "$f") (last 40 lines) -----" >&2
        tail -n 40 "$f" >&2
      done
    fi
    if [ -n "${STACK_KEEP_DIR:-}" ]; then
      echo "logs kept in $STACK_DIR" >&2
    else
      rm -rf "$STACK_DIR"
    fi
  fi
  exit "$rc"
}

# bg NAME CMD...: starts CMD in the background (own stdout/stderr files), records its pid in
# STACK_PIDS and in the variable BG_PID.
bg() {
  local name="$1"
  shift
  "$@" >"$STACK_DIR/$name.log" 2>"$STACK_DIR/$name.err" </dev/null &
  BG_PID=$!
  STACK_PIDS+=("$BG_PID")
}

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_file() {  # FILE SECONDS WHAT [PID]
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    [ -s "$1" ] && return 0
    if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then
      die "$3 exited early: $(tail -n 20 "$STACK_DIR"/*.err 2>/dev/null)"
    fi
    sleep 0.1
  done
  die "$3 did not come up within $2 s"
}

http_get() {  # URL [timeout]: body on stdout, non-zero on failure
  "$PY" - "$1" "${2:-3}" <<'EOF'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2])) as r:
        sys.stdout.write(r.read().decode())
except Exception as e:
    sys.stderr.write("%s: %s\n" % (sys.argv[1], e)); sys.exit(1)
EOF
}

http_post() {  # URL JSON
  "$PY" - "$1" "$2" <<'EOF'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST",
                             headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=5) as r:
    sys.stdout.write(r.read().decode())
EOF
}

wait_http() {  # URL SECONDS WHAT [PID]
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    http_get "$1" 2 >/dev/null 2>&1 && return 0
    if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then
      die "$3 exited early"
    fi
    sleep 0.2
  done
  die "$3 did not answer $1 within $2 s"
}

kc() { KUBECONFIG="$KUBECONFIG_FILE" "$KUBECTL_BIN" --request-timeout=10s "$@"; }

# The API server's test control plane (/_test/...), through kubeemu's client CLI.
kubeemu() {
  PYTHONPATH="$FORESIGHT_HOME/tests/apiserver" "$PY" -m kubeemu.client --kubeconfig "$KUBECONFIG_FILE" "$@"
}

# start_apiserver [ARGS...]: quiet, unless APISERVER_REQUEST_LOG is set: then every request
# is logged to $STACK_DIR/apiserver.err ("<time> <client> <user> <method> <path> <code> <ms>").
start_apiserver() {
  KUBECONFIG_FILE="$STACK_DIR/kubeconfig"
  local port quiet=(--quiet)
  [ -z "${APISERVER_REQUEST_LOG:-}" ] || quiet=()
  port="$(free_port)"
  bg apiserver "$FORESIGHT_HOME/scripts/test-apiserver" --listen "127.0.0.1:$port" \
    --kubeconfig "$KUBECONFIG_FILE" "${quiet[@]}" "$@"
  APISERVER_PID=$BG_PID
  wait_file "$KUBECONFIG_FILE" 30 "the test API server" "$APISERVER_PID"
  export KUBECONFIG="$KUBECONFIG_FILE"
}

start_loadgen() {  # START_INDEX HISTORY_SECONDS [ARGS...]
  local start="$1" history="$2"
  shift 2
  bg loadgen "$PY" "$FORESIGHT_HOME/scripts/demo.d/loadgen.py" --trace "$DEMO_TRACE" \
    --scale "$DEMO_SCALE" --start-index "$start" --history "$history" \
    --port-file "$STACK_DIR/loadgen.port" --backfill-out "$STACK_DIR/backfill.om" \
    --timeline "$STACK_DIR/load-timeline.txt" --job demo "$@"
  LOADGEN_PID=$BG_PID
  wait_file "$STACK_DIR/loadgen.port" 20 "the load generator" "$LOADGEN_PID"
  LOADGEN_PORT="$(cat "$STACK_DIR/loadgen.port")"
  LOADGEN_URL="http://127.0.0.1:$LOADGEN_PORT"
}

# start_prometheus [EXTRA_TARGET...]: backfills the loadgen's history (once), then starts
# Prometheus scraping the loadgen (job "demo") and the extra targets (job "foresight") every 1 s.
start_prometheus() {
  PROM_DATA="$STACK_DIR/prometheus-data"
  if [ ! -d "$PROM_DATA" ]; then
    mkdir -p "$PROM_DATA"
    if [ -s "$STACK_DIR/backfill.om" ]; then
      "$PROMTOOL_BIN" tsdb create-blocks-from openmetrics "$STACK_DIR/backfill.om" "$PROM_DATA" \
        >"$STACK_DIR/promtool.log" 2>&1 || die "promtool backfill failed: $(tail -n 20 "$STACK_DIR/promtool.log")"
    fi
  fi
  PROM_PORT="${PROM_PORT:-$(free_port)}"
  PROM_URL="http://127.0.0.1:$PROM_PORT"
  {
    printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n'
    printf 'scrape_configs:\n- job_name: demo\n  static_configs:\n  - targets: [%s]\n' "'127.0.0.1:$LOADGEN_PORT'"
    if [ $# -gt 0 ]; then
      local t list=""
      for t in "$@"; do list+="${list:+, }'$t'"; done
      printf -- '- job_name: foresight\n  static_configs:\n  - targets: [%s]\n' "$list"
    fi
  } >"$STACK_DIR/prometheus.yml"
  PROM_TARGETS=("$@")
  bg prometheus "$PROMETHEUS_BIN" --config.file="$STACK_DIR/prometheus.yml" \
    --storage.tsdb.path="$PROM_DATA" --web.listen-address="127.0.0.1:$PROM_PORT" \
    --query.lookback-delta=30s --log.level=warn
  PROM_PID=$BG_PID
  wait_http "$PROM_URL/-/ready" 60 "prometheus" "$PROM_PID"
}

# wait_load SECONDS: until Prometheus answers the demo's query with a value now and 4 s ago
# (live scrapes after the backfilled history, past the operator's metric delay), so the
# operator does not start blind.
wait_load() {
  local i v=""
  for ((i = 0; i < $1 * 4; i++)); do
    v="$(prom_query 'sum(rate(http_requests_total{service="web"}[5s]))' 4 2>/dev/null || true)"
    [ -n "$v" ] && [ -n "$(prom_query 'sum(rate(http_requests_total{service="web"}[5s]))' 2>/dev/null || true)" ] &&
      return 0
    sleep 0.25
  done
  die "Prometheus has no value for the load query after $1 s"
}

stop_prometheus() { stop_proc "$PROM_PID" 15; }
restart_prometheus() { start_prometheus "${PROM_TARGETS[@]}"; }

# prom_query EXPR [SECONDS_AGO]: the instant value of a one-series PromQL expression
# ("" when none), now or SECONDS_AGO before now.
prom_query() {
  "$PY" - "$PROM_URL" "$1" "${2:-0}" <<'EOF'
import json, sys, time, urllib.parse, urllib.request
q = {"query": sys.argv[2], "time": "%.3f" % (time.time() - float(sys.argv[3]))}
url = sys.argv[1] + "/api/v1/query?" + urllib.parse.urlencode(q)
with urllib.request.urlopen(url, timeout=5) as r:
    res = json.load(r)["data"]["result"]
print(res[0]["value"][1] if res else "")
EOF
}

wait_crd_established() {  # NAME SECONDS
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    [ "$(kc get crd "$1" -o 'jsonpath={.status.conditions[?(@.type=="Established")].status}' 2>/dev/null)" = True ] && return 0
    sleep 0.2
  done
  die "CRD $1 not established within $2 s"
}

apply_demo_manifests() {  # [MANIFEST]
  kc apply -f "$FORESIGHT_HOME/crds/predictiveautoscaler.yaml" >"$STACK_DIR/kubectl.log" 2>&1 ||
    die "kubectl apply of the CRD failed: $(cat "$STACK_DIR/kubectl.log")"
  wait_crd_established predictiveautoscalers.autoscaling.foresight.dev 20
  kc apply -f "${1:-$DEMO_MANIFEST}" >>"$STACK_DIR/kubectl.log" 2>&1 ||
    die "kubectl apply of ${1:-$DEMO_MANIFEST} failed: $(cat "$STACK_DIR/kubectl.log")"
}

# start_operator NAME [ARGS...]: the decision log (stdout) goes to $STACK_DIR/NAME.log.
# Unless ARGS name one, the metrics/health endpoint gets a free 127.0.0.1 port
# ($OPERATOR_METRICS_PORT; the operator's default :8080 is neither loopback nor free).
start_operator() {
  local name="$1" metrics=()
  shift
  case " $* " in
    *" --metrics-bind-address"*) ;;
    *)
      OPERATOR_METRICS_PORT="$(free_port)"
      metrics=(--metrics-bind-address "127.0.0.1:$OPERATOR_METRICS_PORT")
      ;;
  esac
  bg "$name" "$FORESIGHT_BIN" operator --kubeconfig "$KUBECONFIG_FILE" --prometheus-url "$PROM_URL" \
    --log-format json "${metrics[@]}" "$@"
  OPERATOR_PID=$BG_PID
}

replicas_of() {  # DEPLOYMENT
  kc get deployment "$1" -o 'jsonpath={.spec.replicas}'
}
