#!/usr/bin/env bash
# `foresight forecast` end to end on a small series: a spreadsheet's export (byte order mark,
# CRLF) is read; bad input, flags and outputs are refused with exit status 2 and the fix, without
# a crash and without leaving a partial output; a series that cannot be forecast exits 1.
set -euo pipefail
BIN="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

awk 'BEGIN { print "series,t,value"; for (i = 0; i < 120; ++i) printf "a,%d,%.3f\n", i, 10 + 5 * sin(i / 4) }' \
  >"$dir/in.csv"
"$BIN" forecast --input "$dir/in.csv" --horizon 3 --model naive --output "$dir/out.csv" 2>"$dir/err" ||
  { cat "$dir/err"; fail "a plain series was not forecast"; }
[ "$(wc -l <"$dir/out.csv")" = 4 ] || { cat "$dir/out.csv"; fail "not a header and 3 steps"; }

{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$dir/in.csv"; } >"$dir/excel.csv"
"$BIN" forecast --input "$dir/excel.csv" --horizon 3 --model naive >"$dir/out" 2>"$dir/err" ||
  { cat "$dir/err"; fail "Excel's CSV UTF-8 (byte order mark, CRLF) was not read"; }

# fails NAME STATUS EXPECTED ARGS...: the forecast with ARGS exits STATUS and says EXPECTED.
fails() {
  local name="$1" status="$2" expected="$3" rc=0
  shift 3
  "$BIN" forecast "$@" >"$dir/out" 2>&1 || rc=$?
  [ "$rc" = "$status" ] || { cat "$dir/out"; fail "$name: exit status $rc, not $status"; }
  grep -qF -- "$expected" "$dir/out" || { cat "$dir/out"; fail "$name: no '$expected'"; }
}
# t in milliseconds: the 60000-step was taken for seconds and the daily cycle went unseen.
printf 'series,t,value\na,1700000000000,1\na,1700000060000,2\n' >"$dir/ms.csv"
fails milliseconds 2 'line 2: t 1700000000000 is neither a step number nor unix seconds (it looks like milliseconds)' \
  --input "$dir/ms.csv" --horizon 3
# t at both ends of long long crashed the reader (segmentation fault).
printf 'series,t,value\na,-9223372036854775807,1\na,9223372036854775807,2\n' >"$dir/overflow.csv"
fails overflow 2 'neither a step number nor unix seconds' --input "$dir/overflow.csv" --horizon 3
# Outputs: the reason, before the forecasts; a full disk is an error, not a silent success.
fails missing-dir 2 "cannot write --output $dir/nodir/f.csv: directory $dir/nodir does not exist" \
  --input "$dir/in.csv" --horizon 3 --output "$dir/nodir/f.csv"
cp "$dir/in.csv" "$dir/keep.csv"
fails output-is-input 2 "--output $dir/keep.csv is also the --input file" \
  --input "$dir/keep.csv" --horizon 3 --output "$dir/keep.csv"
cmp -s "$dir/in.csv" "$dir/keep.csv" || fail "the input was overwritten"
if [ -w /dev/full ]; then
  fails disk-full 2 'cannot write --output /dev/full: No space left on device' \
    --input "$dir/in.csv" --horizon 3 --model naive --output /dev/full
fi
# Flags: exit 2 with a readable range (not CLI11's 105 and "0 to 1.79769e+308").
fails zero-horizon 2 '--horizon: Value 0 not in range 1 to 1000000' --input "$dir/in.csv" --horizon 0
fails huge-horizon 2 '--horizon: Value 2000000000 not in range 1 to 1000000' \
  --input "$dir/in.csv" --horizon 2000000000
fails no-threads 2 '--threads: Value 0 not in range 1 to 256' --input "$dir/in.csv" --horizon 3 --threads 0
fails bad-level 2 'levels must be in (0, 100)' --input "$dir/in.csv" --horizon 3 --level 100
# A repeated level gave two lo80,hi80 pairs of columns.
fails repeated-level 2 'level 80 is given twice: give each level once' \
  --input "$dir/in.csv" --horizon 3 --level 80,80
# A series with no value: the others are written, the status is 1.
{ cat "$dir/in.csv"; printf 'b,0,\nb,1,\n'; } >"$dir/partial.csv"
fails partial 1 "series 'b': history has no finite value" \
  --input "$dir/partial.csv" --horizon 3 --model naive --output "$dir/partial.out"
grep -q '^a,3,' "$dir/partial.out" || fail "the series that could be forecast was not written"
echo "PASS: forecast CLI: exported CSV read; bad input, flags and outputs refused with status 2"
