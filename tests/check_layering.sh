#!/usr/bin/env bash
# Fails when a library includes something outside what its layer may use:
#   forecasting/ : the standard library and Eigen
#   policies/    : the standard library
# (The operator may use anything.) CMake links enforce the same direction; this
# catches a header-only include that linking would not notice.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
check() {
  local dir=$1 allowed=$2
  while IFS= read -r line; do
    echo "layering: $line  (only $allowed may be included from $dir/)"
    status=1
  done < <(grep -HnE '^\s*#\s*include\s*[<"]' "$dir"/*.h "$dir"/*.cc 2>/dev/null |
           grep -vE "#\s*include\s*(<[a-z_0-9]+>|<[a-z]+/[a-z_0-9]+>|\"$dir/|$allowed)" || true)
}
check forecasting '<Eigen/|<unsupported/Eigen/'
check policies '"policies/'
exit $status
