#!/usr/bin/env bash
# e2e 0: `foresight demo --duration 12` (the README's first command, shortened) runs end to
# end: decisions printed with a live load, a summary, exit 0, and nothing left behind (its
# temp dir is gone, its processes stopped).
set -euo pipefail
E2E_DIR="$(cd "$(dirname "$0")" && pwd)"
export FORESIGHT_HOME="${FORESIGHT_HOME:-$(cd "$E2E_DIR/../.." && pwd)}"
BIN="${FORESIGHT_BIN:-$FORESIGHT_HOME/build/foresight}"
out="$(mktemp)"
t0=$(date +%s)
TMPDIR="$(mktemp -d)"
export TMPDIR
trap 'rm -f "$out"; rm -rf "$TMPDIR"' EXIT
if ! timeout 120 "$BIN" demo --duration 12 >"$out" 2>&1; then
  cat "$out"
  echo "FAIL: foresight demo exited with an error"
  exit 1
fi
grep -q '^== summary ==' "$out" || { cat "$out"; echo "FAIL: no summary"; exit 1; }
n=$(grep -cE '^[0-9:]{8} .*[0-9.]+/s ' "$out" || true)
[ "$n" -ge 3 ] || { cat "$out"; echo "FAIL: only $n decision lines with a live load"; exit 1; }
left=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 | wc -l)
[ "$left" = 0 ] || { echo "FAIL: the demo left $(ls "$TMPDIR") behind"; exit 1; }
tail -n 6 "$out"
echo "PASS: foresight demo ran, printed $n decisions and a summary, cleaned up ($(($(date +%s) - t0)) s)"
