#!/usr/bin/env bash
# `foresight backtest` end to end on a generated 6-hour trace: the minimal manifest of issue 3
# (examples/minimal.yaml, the one the README applies) runs with every other field at its
# default; --sweep-risk prints one row per value (and is refused without marginal sizing, the
# default); a trace coarser than 1m sets the forecast resolution the config leaves unset;
# --oracle-level replaces the forecaster (and a bad duration is refused, naming the flag);
# configs kubectl or the operator would refuse are refused with exit status 2 and the field, as
# are traces in milliseconds, delay flags the spec would refuse and outputs that cannot be written.
set -euo pipefail
BIN="$1"
minimal="$(cd "$(dirname "$0")/../.." && pwd)/examples/minimal.yaml"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

awk 'BEGIN { print "timestamp,value"; srand(7);
  for (i = 0; i < 360; ++i) printf "%d,%.4f\n", 1700000000 + 60 * i, 20 + 8 * sin(i / 30) + 3 * rand() }' \
  >"$dir/trace.csv"
# with_forecast NAME SETTINGS: the minimal manifest plus a forecast section.
with_forecast() {
  sed "s/    targetPerReplica: 3.5/    targetPerReplica: 3.5\n  forecast: {$2}/" "$minimal" >"$dir/$1.yaml"
  grep -q "forecast: {$2}" "$dir/$1.yaml" || fail "could not derive $1.yaml from $minimal"
}
with_forecast quick "history: 2h, refitInterval: 30m"
with_forecast quantile "sizing: Quantile, history: 2h, refitInterval: 30m"

"$BIN" backtest --trace "$dir/trace.csv" --config "$minimal" --no-progress >"$dir/out" ||
  { cat "$dir/out"; fail "the minimal manifest did not run"; }
grep -q '^foresight / hpa: under-provisioned minutes' "$dir/out" || { cat "$dir/out"; fail "no comparison"; }

"$BIN" backtest --trace "$dir/trace.csv" --config "$dir/quick.yaml" --no-progress \
  --sweep-risk 0.05,0.2 >"$dir/out" || { cat "$dir/out"; fail "--sweep-risk did not run"; }
grep -q '^marginalRisk sweep' "$dir/out" || { cat "$dir/out"; fail "no sweep table"; }
grep -qE '^0\.05 +[0-9]+ ' "$dir/out" && grep -qE '^0\.2 +[0-9]+ ' "$dir/out" ||
  { cat "$dir/out"; fail "the sweep lacks a row per value"; }

if "$BIN" backtest --trace "$dir/trace.csv" --config "$dir/quantile.yaml" --no-progress \
  --sweep-risk 0.1 >"$dir/out" 2>&1; then
  fail "a sweep without marginal sizing was accepted"
fi
grep -q 'sizing: Marginal' "$dir/out" || { cat "$dir/out"; fail "the refusal does not say what to set"; }

awk 'BEGIN { print "timestamp,value"; srand(3);
  for (i = 0; i < 72; ++i) printf "%d,%.4f\n", 1700000000 + 300 * i, 20 + 8 * sin(i / 6) + 3 * rand() }' \
  >"$dir/trace5m.csv"
with_forecast quick5m "history: 5h, refitInterval: 30m"
"$BIN" backtest --trace "$dir/trace5m.csv" --config "$dir/quick5m.yaml" --no-progress >"$dir/out" ||
  { cat "$dir/out"; fail "the 5-minute trace did not run"; }
grep -q "^forecast.resolution 300s, the trace's step" "$dir/out" ||
  { cat "$dir/out"; fail "a 5-minute trace did not set the unset resolution"; }
# At the trace's step the history is checked again: 2h of 5-minute steps is 24 points.
rc=0
"$BIN" backtest --trace "$dir/trace5m.csv" --config "$dir/quick.yaml" --no-progress >"$dir/out" 2>&1 || rc=$?
[ "$rc" = 2 ] && grep -q 'does not fit the trace, whose step (300s)' "$dir/out" &&
  grep -q 'spec.forecast.history ("2h")' "$dir/out" ||
  { cat "$dir/out"; fail "2h of history at the trace's 5-minute step was not refused (exit $rc)"; }
with_forecast fine "history: 2h, refitInterval: 30m, resolution: 1m"
"$BIN" backtest --trace "$dir/trace5m.csv" --config "$dir/fine.yaml" --no-progress >"$dir/out" ||
  { cat "$dir/out"; fail "the 5-minute trace at 1m did not run"; }
if grep -q "^forecast.resolution" "$dir/out"; then cat "$dir/out"; fail "a set resolution was replaced"; fi

"$BIN" backtest --trace "$dir/trace.csv" --config "$dir/quick.yaml" --no-progress \
  --oracle-level 10m >"$dir/out" || { cat "$dir/out"; fail "--oracle-level did not run"; }
grep -q 'level oracle.*+-600 s' "$dir/out" || { cat "$dir/out"; fail "no level oracle line"; }

if "$BIN" backtest --trace "$dir/trace.csv" --config "$dir/quick.yaml" --no-progress \
  --oracle-level soon >"$dir/out" 2>&1; then
  fail "--oracle-level soon was accepted"
fi
grep -q -- "--oracle-level 'soon' is not a duration" "$dir/out" || { cat "$dir/out"; fail "unclear error"; }
if "$BIN" backtest --trace "$dir/trace.csv" --config "$dir/quick.yaml" --no-progress \
  --oracle-level 1000000d >"$dir/out" 2>&1; then
  fail "--oracle-level 1000000d was accepted"
fi
grep -q -- "--oracle-level '1000000d' is longer than the 100 years" "$dir/out" ||
  { cat "$dir/out"; fail "a duration over the cap was not named as such"; }

# refused NAME EXPECTED: the config in $dir/NAME.yaml fails with status 2, saying EXPECTED.
refused() {
  local rc=0
  "$BIN" backtest --trace "$dir/trace.csv" --config "$dir/$1.yaml" --no-progress >"$dir/out" 2>&1 || rc=$?
  [ "$rc" = 2 ] || { cat "$dir/out"; fail "$1: exit status $rc, not 2"; }
  grep -qF -- "$2" "$dir/out" || { cat "$dir/out"; fail "$1: no '$2'"; }
}
printf -- '- a\n- b\n' >"$dir/list.yaml"
refused list 'a document is not a Kubernetes object'
printf 'hello\n' >"$dir/scalar.yaml"
refused scalar 'a document is not a Kubernetes object'
printf 'kind: 5\n' >"$dir/kind5.yaml"
refused kind5 'no document of kind PredictiveAutoscaler'
sed 's#autoscaling.foresight.dev/v1alpha1#autoscaling.foresight.dev/v1beta9#' "$minimal" >"$dir/version.yaml"
refused version 'apiVersion must be autoscaling.foresight.dev/v1alpha1, got "autoscaling.foresight.dev/v1beta9"'
sed 's/  minReplicas: 1/  minReplica: 5/' "$minimal" >"$dir/typo.yaml"
refused typo 'unknown field spec.minReplica (did you mean minReplicas?)'
sed 's/    targetPerReplica: 3.5/    targetPerReplica: 3.5\n    targetPerReplica: 0.001/' "$minimal" >"$dir/dup.yaml"
refused dup 'duplicate key "targetPerReplica"'
with_forecast huge "history: 3650d, resolution: 1s"
refused huge 'spec.forecast.history ("3650d") at spec.forecast.resolution ("1s") is 315360000 points'

# Hostile input: each refused with status 2 and what to do, before the replay, writing nothing.
# fails NAME EXPECTED ARGS...: the backtest with ARGS exits 2 and says EXPECTED.
fails() {
  local name="$1" expected="$2" rc=0
  shift 2
  "$BIN" backtest --no-progress "$@" >"$dir/out" 2>&1 || rc=$?
  [ "$rc" = 2 ] || { cat "$dir/out"; fail "$name: exit status $rc, not 2"; }
  grep -qF -- "$expected" "$dir/out" || { cat "$dir/out"; fail "$name: no '$expected'"; }
}
# Milliseconds were read as seconds: a config with its resolution set replayed 1000x too long.
awk -F, 'NR == 1 { print; next } { printf "%d000,%s\n", $1, $2 }' "$dir/trace.csv" >"$dir/ms.csv"
fails milliseconds 'line 2: timestamp 1700000000000 is not in unix seconds (it looks like milliseconds)' \
  --trace "$dir/ms.csv" --config "$dir/fine.yaml"
# The delay flags are checked as the fields they set: 100000h ran for ever, 500ms became 0s.
fails huge-delay "$dir/quick.yaml with --startup-delay 100000h is not a valid PredictiveAutoscaler" \
  --trace "$dir/trace.csv" --config "$dir/quick.yaml" --startup-delay 100000h
grep -qF 'plus the lead time' "$dir/out" || { cat "$dir/out"; fail "huge-delay: not why"; }
fails subsecond-delay 'spec.forecast.metricDelay must be a whole number of seconds, got "500ms"' \
  --trace "$dir/trace.csv" --config "$dir/quick.yaml" --metric-delay 500ms
# Outputs: the report used to overwrite the decisions, and a missing directory failed only
# after the replay (leaving the decisions written) and without the reason.
fails same-output "--report $dir/both is also the --decisions file" \
  --trace "$dir/trace.csv" --config "$dir/quick.yaml" --decisions "$dir/both" --report "$dir/both"
fails output-is-input "--decisions $dir/trace.csv is also the --trace file" \
  --trace "$dir/trace.csv" --config "$dir/quick.yaml" --decisions "$dir/trace.csv"
fails missing-dir "cannot write --report $dir/nodir/r.html: directory $dir/nodir does not exist" \
  --trace "$dir/trace.csv" --config "$dir/quick.yaml" --decisions "$dir/d.csv" --report "$dir/nodir/r.html"
[ ! -e "$dir/both" ] && [ ! -e "$dir/d.csv" ] || fail "a refused run wrote an output"
if [ -w /dev/full ]; then
  fails disk-full 'cannot write --report /dev/full: No space left on device' \
    --trace "$dir/trace.csv" --config "$dir/quick.yaml" --report /dev/full
fi
# The config as the trace: why it cannot be read (a directory was "no document of kind ...").
fails config-dir "cannot read --config $dir: is a directory, not a file" \
  --trace "$dir/trace.csv" --config "$dir"
fails config-missing "cannot read --config $dir/none.yaml: No such file or directory" \
  --trace "$dir/trace.csv" --config "$dir/none.yaml"
# Flags CLI11 refuses exit 2 like any other bad input (not 105).
fails bad-policy '--policy: Foresight not in {foresight,hpa,both}' \
  --trace "$dir/trace.csv" --config "$dir/quick.yaml" --policy Foresight
fails no-threads '--threads: Value 0 not in range 1 to 256' \
  --trace "$dir/trace.csv" --config "$dir/quick.yaml" --threads 0
"$BIN" backtest --trace "$dir/trace.csv" --config "$dir/quick.yaml" --no-progress \
  --decisions "$dir/d.csv" --report "$dir/r.html" >"$dir/out" || { cat "$dir/out"; fail "outputs not written"; }
head -1 "$dir/d.csv" | grep -qx 'timestamp,replicas' && tail -1 "$dir/r.html" | grep -q '</html>' ||
  fail "an output is incomplete"

echo "PASS: backtest CLI: minimal manifest, sweep, trace resolution, level oracle and their errors, bad configs, traces, flags and outputs refused"
