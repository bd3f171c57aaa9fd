#!/usr/bin/env bash
# e2e 11: bench/operator/measure.sh, the operator-cost benchmark's measurement, works end to
# end at a small scale (3 autoscalers, 2 minutes): every autoscaler fits its 7 days of
# history and decides, the steady phase has decisions at the 30 s default interval, and
# the figures bench/operator/run tabulates are all there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(bash "$here/../../bench/operator/measure.sh" 3 2)" || { echo "FAIL: measure.sh failed"; exit 1; }
echo "$out"
value() { awk -v k="$1" '$1 == k { print $2 }' <<<"$out"; }
for key in startup_seconds startup_cpu_seconds steady_seconds steady_cpu_seconds steady_decisions \
  rss_end_kib rss_peak_kib steady_prometheus_queries steady_api_requests; do
  [ -n "$(value "$key")" ] || { echo "FAIL: no $key in the output"; exit 1; }
done
# 3 autoscalers deciding every 30 s over a steady phase of at least 60 s: 6 or more.
awk -v d="$(value steady_decisions)" -v s="$(value steady_seconds)" 'BEGIN {
  want = int(3 * s / 30) - 3
  if (d < want) { printf "FAIL: %d decisions in %.0f s of 3 autoscalers, want >= %d\n", d, s, want; exit 1 }
}'
[ "$(value steady_api_requests)" -gt 0 ] || { echo "FAIL: no API requests counted"; exit 1; }
awk -v q="$(value steady_prometheus_queries)" 'BEGIN { if (q <= 0) { print "FAIL: no Prometheus queries counted"; exit 1 } }'
echo "PASS: the operator-cost measurement runs and reports every figure"
