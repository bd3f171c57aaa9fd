#!/usr/bin/env bash
# `foresight backtest` end to end on a generated 6-hour trace: the minimal manifest of issue 3
# (examples/minimal.yaml, the one the README applies) runs with every other field at its
# default; --sweep-risk prints one row per value (and is refused without marginal sizing);
# --oracle-level replaces the forecaster (and a bad duration is refused, naming the flag).
set -euo pipefail
BIN="$1"
minimal="$(cd "$(dirname "$0")/../.." && pwd)/examples/minimal.yaml"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

awk 'BEGIN { print "timestamp,value"; srand(7);
  for (i = 0; i < 360; ++i) printf "%d,%.4f\n", 1700000000 + 60 * i, 20 + 8 * sin(i / 30) + 3 * rand() }' \
  >"$dir/trace.csv"
sed 's/    targetPerReplica: 3.5/    targetPerReplica: 3.5\n  forecast: {sizing: Marginal, history: 2h, refitInterval: 30m}/' \
  "$minimal" >"$dir/marginal.yaml"
grep -q 'sizing: Marginal' "$dir/marginal.yaml" || fail "could not derive a Marginal config from $minimal"

"$BIN" backtest --trace "$dir/trace.csv" --config "$minimal" --no-progress >"$dir/out" ||
  { cat "$dir/out"; fail "the minimal manifest did not run"; }
grep -q '^foresight / hpa: under-provisioned minutes' "$dir/out" || { cat "$dir/out"; fail "no comparison"; }

"$BIN" backtest --trace "$dir/trace.csv" --config "$dir/marginal.yaml" --no-progress \
  --sweep-risk 0.05,0.2 >"$dir/out" || { cat "$dir/out"; fail "--sweep-risk did not run"; }
grep -q '^marginalRisk sweep' "$dir/out" || { cat "$dir/out"; fail "no sweep table"; }
grep -qE '^0\.05 +[0-9]+ ' "$dir/out" && grep -qE '^0\.2 +[0-9]+ ' "$dir/out" ||
  { cat "$dir/out"; fail "the sweep lacks a row per value"; }

if "$BIN" backtest --trace "$dir/trace.csv" --config "$minimal" --no-progress \
  --sweep-risk 0.1 >"$dir/out" 2>&1; then
  fail "a sweep without marginal sizing was accepted"
fi
grep -q 'sizing: Marginal' "$dir/out" || { cat "$dir/out"; fail "the refusal does not say what to set"; }

"$BIN" backtest --trace "$dir/trace.csv" --config "$dir/marginal.yaml" --no-progress \
  --oracle-level 10m >"$dir/out" || { cat "$dir/out"; fail "--oracle-level did not run"; }
grep -q 'level oracle.*+-600 s' "$dir/out" || { cat "$dir/out"; fail "no level oracle line"; }

if "$BIN" backtest --trace "$dir/trace.csv" --config "$dir/marginal.yaml" --no-progress \
  --oracle-level soon >"$dir/out" 2>&1; then
  fail "--oracle-level soon was accepted"
fi
grep -q -- "--oracle-level 'soon' is not a duration" "$dir/out" || { cat "$dir/out"; fail "unclear error"; }
echo "PASS: backtest CLI: minimal manifest, sweep, level oracle and their errors"
