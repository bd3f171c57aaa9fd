#!/usr/bin/env bash
# cpprest defines a macro `U` that breaks Eigen and GoogleTest, and its
# headers are heavy: only the two operator files that implement the HTTP
# seams may include it, and no header of ours ever may.
set -euo pipefail
cd "$(dirname "$0")/../.."
allowed='^operator/(http_client_cpprest|metrics_server)\.cc$'
status=0
while IFS= read -r file; do
  if [[ ! $file =~ $allowed ]]; then
    echo "cpprest included from $file (only operator/http_client_cpprest.cc and operator/metrics_server.cc may)"
    status=1
  fi
done < <(grep -rlE '^\s*#\s*include\s*<(cpprest|pplx)/' operator/ | sort)
while IFS= read -r file; do
  echo "cpprest included from header $file"
  status=1
done < <(grep -rlE '^\s*#\s*include\s*<(cpprest|pplx)/' --include='*.h' . 2>/dev/null | grep -v '^./build' || true)
exit $status
