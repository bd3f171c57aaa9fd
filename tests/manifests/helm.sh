# Sourced by the chart tests: helm_template and helm_lint run the real helm when it is on the
# PATH, else the stand-in that setup.sh built into $out/helm-template.
#   helm_template RELEASE CHART [ARGS...]     (ARGS: -n NS, -f FILE, --set K=V, --include-crds)
#   helm_lint CHART [ARGS...]                 (always --strict)
helm_template() {
  local release=$1 chart=$2; shift 2
  if command -v helm >/dev/null; then helm template "$release" "$chart" "$@"
  else "$out/helm-template" "$release" "$chart" "$@"; fi
}
helm_lint() {
  local chart=$1; shift
  if command -v helm >/dev/null; then helm lint --strict "$chart" "$@"
  else "$out/helm-template" "$chart" "$@" --lint --strict; fi
}
