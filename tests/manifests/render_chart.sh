#!/usr/bin/env bash
# Lints charts/foresight (strict) and renders it, CRDs included, for the default values and
# for values-all-on.yaml into BUILD_DIR/rendered-{default,all-on}.yaml (and a few variants), which validate.sh and
# contract.mjs then check. Also checks that the chart refuses bad settings with its message.
#   tests/manifests/render_chart.sh BUILD_DIR        (after setup.sh BUILD_DIR)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:?usage: render_chart.sh BUILD_DIR}
chart="$repo/charts/foresight"
. "$here/helm.sh"

pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "ok   - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/       /' <<<"$2" | head -30; }

# run NAME CMD...: passes when CMD exits 0.
run() {
  local name=$1 log; shift
  if log=$("$@" 2>&1); then ok "$name"; else bad "$name" "$log"; fi
}
# refuse NAME MESSAGE ARGS...: rendering with ARGS must fail and print MESSAGE.
refuse() {
  local name=$1 want=$2 log; shift 2
  if log=$(helm_template foresight "$chart" "$@" 2>&1); then bad "$name (rendered)" "$log"
  elif grep -qF -- "$want" <<<"$log"; then ok "$name"
  else bad "$name (wrong message, want: $want)" "$log"; fi
}

run "lint, default values" helm_lint "$chart"
run "lint, every option on" helm_lint "$chart" -f "$here/values-all-on.yaml"
# render NAME FILE ARGS...: renders release "foresight" with ARGS into FILE.
render() {
  local name=$1 file=$2 log; shift 2
  if log=$(helm_template foresight "$chart" "$@" 2>&1 >"$file"); then ok "$name"; else bad "$name" "$log"; fi
}
render "render, default values" "$out/rendered-default.yaml" -n foresight-system --include-crds
render "render, every option on" "$out/rendered-all-on.yaml" -n ops -f "$here/values-all-on.yaml" --include-crds
render "render, leader election forced on with one replica" "$out/rendered-leader-one.yaml" \
  -n foresight-system --set leaderElection.enabled=true
render "render, no default Prometheus" "$out/rendered-no-prometheus.yaml" \
  -n foresight-system --set prometheus.url=

refuse "refuses several replicas without leader election" \
  "leaderElection.enabled=false needs replicaCount 1" --set replicaCount=2,leaderElection.enabled=false
refuse "refuses an unknown leaderElection.enabled" \
  'leaderElection.enabled must be auto, true or false, not "sometimes"' --set leaderElection.enabled=sometimes
refuse "refuses an unknown log format" \
  'logging.format must be json or text, not "xml"' --set logging.format=xml
refuse "refuses an unknown log level" \
  'logging.level must be debug, info, warn or error, not "trace"' --set logging.level=trace
refuse "refuses an extra scale target without apiGroup" \
  'rbac.extraScaleTargets[0] needs apiGroup ("" for the core group) and resource' \
  --set 'rbac.extraScaleTargets[0].resource=workerpools'
refuse "refuses a PodDisruptionBudget that blocks every drain" \
  "podDisruptionBudget.minAvailable (1) must be below replicaCount (1)" --set podDisruptionBudget.enabled=true

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
