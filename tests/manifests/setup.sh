#!/usr/bin/env bash
# Test fixture: installs the checker's npm packages (package-lock.json, into node_modules/
# here) and, when no real helm is on the PATH, builds the helm-template stand-in from
# ../shared/tools/helm-template into BUILD_DIR. Both steps are skipped when already done.
#   tests/manifests/setup.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:?usage: setup.sh BUILD_DIR}
mkdir -p "$out"

command -v node >/dev/null || { echo "setup: node is not installed" >&2; exit 1; }
if [ ! -d "$here/node_modules/kubernetes-models" ] ||
   [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in $here"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

if command -v helm >/dev/null; then
  echo "setup: using $(command -v helm)"
  exit 0
fi
src="$repo/../shared/tools/helm-template"
bin="$out/helm-template"
[ -f "$src/build.sh" ] || { echo "setup: no helm on PATH and no $src" >&2; exit 1; }
if [ ! -x "$bin" ] || [ "$src/main.go" -nt "$bin" ]; then
  echo "setup: building the helm-template stand-in into $bin"
  sh "$src/build.sh" "$bin"
fi
echo "setup: using $bin"
