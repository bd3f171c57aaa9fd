#!/usr/bin/env bash
# Runs one group of manifest checks (all offline, after setup.sh):
#   validate.sh valid BUILD_DIR     crds/, examples/, valid/ and the chart renders of render_chart.sh:
#                                   every document valid against the Kubernetes schemas or ours
#   validate.sh invalid             invalid/*.yaml each rejected with exactly its "# expect:" lines
#   validate.sh defaults            examples/minimal.yaml with the CRD's defaults applied equals
#                                   golden/minimal-defaulted.yaml
#   validate.sh contract BUILD_DIR  RBAC, operator flags and pod security of the renders
#   validate.sh crd-copy            the chart's CRD is byte-for-byte crds/predictiveautoscaler.yaml
#   validate.sh api-doc             docs/api.md names every spec and status field of the CRD
#   validate.sh values-schema       the chart's values.schema.json accepts its values, refuses bad ones
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
crd="$repo/crds/predictiveautoscaler.yaml"
cd "$repo"

case "${1:-}" in
  valid)
    out=${2:?usage: validate.sh valid BUILD_DIR}
    exec node "$here/check.mjs" valid --crd "$crd" crds/*.yaml examples/*.yaml tests/manifests/valid/*.yaml \
      "$out/rendered-default.yaml" "$out/rendered-all-on.yaml" "$out/rendered-leader-one.yaml" ;;
  invalid)
    exec node "$here/check.mjs" invalid --crd "$crd" tests/manifests/invalid/*.yaml ;;
  defaults)
    if diff -u tests/manifests/golden/minimal-defaulted.yaml \
         <(node "$here/check.mjs" default --crd "$crd" examples/minimal.yaml); then
      echo "ok   examples/minimal.yaml defaults to golden/minimal-defaulted.yaml"
      echo "1 passed, 0 failed"
    else
      echo "FAIL defaults changed: review, then regenerate golden/minimal-defaulted.yaml with"
      echo "     node tests/manifests/check.mjs default --crd crds/predictiveautoscaler.yaml examples/minimal.yaml"
      echo "0 passed, 1 failed"; exit 1
    fi ;;
  contract)
    out=${2:?usage: validate.sh contract BUILD_DIR}
    exec node "$here/contract.mjs" "$out" ;;
  crd-copy)
    if cmp -s "$crd" charts/foresight/crds/predictiveautoscaler.yaml; then
      echo "ok   charts/foresight/crds/predictiveautoscaler.yaml is identical to crds/predictiveautoscaler.yaml"
      echo "1 passed, 0 failed"
    else
      diff -u "$crd" charts/foresight/crds/predictiveautoscaler.yaml | head -40 || true
      echo "FAIL the chart's CRD differs: cp crds/predictiveautoscaler.yaml charts/foresight/crds/"
      echo "0 passed, 1 failed"; exit 1
    fi ;;
  api-doc)
    exec node "$here/api_doc.mjs" "$crd" docs/api.md ;;
  values-schema)
    exec node "$here/values_schema.mjs" ;;
  *)
    sed -n '2,11p' "$here/validate.sh" >&2; exit 2 ;;
esac
