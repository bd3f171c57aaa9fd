#!/usr/bin/env bash
# e2e 8: the Helm chart's RBAC is exactly what the operator needs. The chart is rendered
# (helm, else the helm-template stand-in that tests/manifests/setup.sh builds) with default
# values or with tests/manifests/values-all-on.yaml, applied as admin to the test API server
# in strict RBAC mode, and `foresight operator` runs with the rendered container's flags as
# exactly the chart's ServiceAccount. Three autoscalers make it use every permission: web
# (a Deployment), worker (a StatefulSet; its Prometheus credentials come from the Secret the
# chart lets it read, when it does) and orphan (a missing target: its Warning Event repeats,
# so the Event is patched); with all-on values also jobs (a WorkerPool custom resource,
# workerpool-crd.yaml) and legacy (a core-group ReplicationController), each through its
# scale grant of rbac.extraScaleTargets (other_writer.py follow-status stands in for their
# controllers). Asserts: every target scaled (the WorkerPool and the ReplicationController
# by the ServiceAccount's PATCH of their /scale), statuses and conditions written,
# Events recorded, the Lease held (with leader election), no request refused (operator log
# and the API server's request log), every granted permission used by a call (nothing more
# is granted), and `kubectl auth can-i` as the ServiceAccount: yes for the operator's calls,
# no for the rest.
#   chart_rbac.sh default|all-on MANIFESTS_BUILD_DIR
# MANIFESTS_BUILD_DIR: where the manifests_setup fixture built the stand-in (helm.sh reads
# it as $out).
source "$(dirname "$0")/common.sh"
config="${1:?usage: chart_rbac.sh default|all-on MANIFESTS_BUILD_DIR}"
# shellcheck disable=SC2034  # read by helm.sh
out="${2:?usage: chart_rbac.sh default|all-on MANIFESTS_BUILD_DIR}"
# shellcheck source=tests/manifests/helm.sh
source "$FORESIGHT_HOME/tests/manifests/helm.sh"

release_ns=foresight-system
case "$config" in
  default)
    values=()
    watch_ns=""   # watchNamespace: every namespace
    secret=""     # rbac.secretAccess is off
    pool=""       # rbac.extraScaleTargets is empty: no custom resource to scale,
    rc=""         # and no ReplicationController
    ;;
  all-on)
    values=(-f "$FORESIGHT_HOME/tests/manifests/values-all-on.yaml")
    watch_ns=shop             # its watchNamespace
    secret=prometheus-reader  # its rbac.secretAccess.names
    pool="jobs"               # a WorkerPool, scaled through its rbac.extraScaleTargets grant
    rc="legacy"               # a ReplicationController, through the core-group grant there
    ;;
  *) die "unknown values '$config' (default or all-on)" ;;
esac
demo_ns="${watch_ns:-default}"   # where the workloads and autoscalers go

e2e_init
render="$STACK_DIR/rendered.yaml"
helm_template foresight "$FORESIGHT_HOME/charts/foresight" -n "$release_ns" --include-crds \
  "${values[@]}" >"$render" 2>"$STACK_DIR/render.err" ||
  die "rendering the chart failed: $(cat "$STACK_DIR/render.err")"

# shellcheck disable=SC2034  # read by start_apiserver
APISERVER_REQUEST_LOG=1   # who called what, with which answer: apiserver.err
start_apiserver --strict-rbac
start_loadgen "$(row_at_hour 12)" 900   # midday: 200 req/s, far above 3 replicas' 30
start_prometheus

# As `helm install --create-namespace` would, into a cluster that has the Prometheus
# Operator's ServiceMonitor CRD (a minimal stand-in: the test API server does not have it).
kc create namespace "$release_ns" >/dev/null
[ "$demo_ns" = default ] || kc create namespace "$demo_ns" >/dev/null
kc apply -f - >"$STACK_DIR/kubectl.log" 2>&1 <<'YAML' || die "ServiceMonitor CRD: $(cat "$STACK_DIR/kubectl.log")"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: servicemonitors.monitoring.coreos.com}
spec:
  group: monitoring.coreos.com
  scope: Namespaced
  names: {kind: ServiceMonitor, listKind: ServiceMonitorList, plural: servicemonitors, singular: servicemonitor}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
YAML
wait_crd_established servicemonitors.monitoring.coreos.com 20
if [ -n "$pool" ]; then
  kc apply -f "$E2E_DIR/workerpool-crd.yaml" >"$STACK_DIR/kubectl.log" 2>&1 ||
    die "WorkerPool CRD: $(cat "$STACK_DIR/kubectl.log")"
  wait_crd_established workerpools.queue.example.com 20
fi
# Everything the chart renders, CRD included, except a PodDisruptionBudget: the test API
# server does not serve policy/v1, and a PDB grants nothing and is never read by the operator.
"$PY" "$E2E_DIR/chart_rbac.py" drop-kinds "$render" PodDisruptionBudget \
  >"$STACK_DIR/apply.yaml" 2>"$STACK_DIR/left-out.txt" || die "cannot read the render $render"
kc apply -f "$STACK_DIR/apply.yaml" >"$STACK_DIR/kubectl.log" 2>&1 ||
  die "kubectl apply of the rendered chart failed: $(cat "$STACK_DIR/kubectl.log")"
wait_crd_established predictiveautoscalers.autoscaling.foresight.dev 20
log "applied the chart ($config values): $(grep -c . "$STACK_DIR/kubectl.log") objects"

# The operator's Deployment, as rendered: its ServiceAccount and its container's flags.
dep="$(kc get deployments -n "$release_ns" -l app.kubernetes.io/component=operator -o name)"
[ "$(wc -w <<<"$dep")" = 1 ] || die "want one operator Deployment in $release_ns, got '$dep'"
sa="$(kc get -n "$release_ns" "$dep" -o 'jsonpath={.spec.template.spec.serviceAccountName}')"
kc get serviceaccount -n "$release_ns" "$sa" >/dev/null 2>&1 || die "the chart's ServiceAccount $release_ns/$sa is missing"
sa_user="system:serviceaccount:$release_ns:$sa"
mapfile -t chart_args < <(kc get -n "$release_ns" "$dep" \
  -o 'jsonpath={range .spec.template.spec.containers[0].args[*]}{@}{"\n"}{end}')
[ "${#chart_args[@]}" -gt 0 ] || die "$dep has no container args"
flag() {  # NAME: the chart's value of --NAME ("" when it does not pass it)
  local a
  for a in "${chart_args[@]}"; do
    [[ "$a" == "--$1="* ]] && { echo "${a#--"$1"=}"; return 0; }
  done
  echo ""
}
[ "$(flag watch-namespace)" = "$watch_ns" ] ||
  die "the chart passes --watch-namespace='$(flag watch-namespace)', this test expects '$watch_ns'"

# A kubeconfig with a token of exactly that ServiceAccount (no group added by hand).
token="$(kubeemu token "$sa_user")" || die "no token for $sa_user"
sa_kubeconfig="$STACK_DIR/sa-kubeconfig"
cp "$KUBECONFIG_FILE" "$sa_kubeconfig"
KUBECONFIG="$sa_kubeconfig" "$KUBECTL_BIN" config set-credentials chart-sa --token="$token" >/dev/null
KUBECONFIG="$sa_kubeconfig" "$KUBECTL_BIN" config set-context --current --user=chart-sa >/dev/null
if KUBECONFIG="$sa_kubeconfig" "$KUBECTL_BIN" get deployments -n "$demo_ns" >/dev/null 2>&1; then
  die "the ServiceAccount may list Deployments: strict RBAC is off, or the kubeconfig is not the ServiceAccount's"
fi

# The workloads and autoscalers (as admin), in the watched namespace.
kc config set-context --current --namespace="$demo_ns" >/dev/null   # kc, pas_condition, events_of
prom_auth=""
if [ -n "$secret" ]; then
  # Prometheus ignores the bearer token; what counts is that the operator must read the Secret.
  kc create secret generic "$secret" --from-literal=token=e2e-token >/dev/null
  prom_auth="prometheus: {authSecretRef: {name: $secret, bearerTokenKey: token}}"
fi
sed "s/namespace: default$/namespace: $demo_ns/" "$DEMO_MANIFEST" >"$STACK_DIR/demo.yaml"
cat >>"$STACK_DIR/demo.yaml" <<YAML
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: worker
  namespace: $demo_ns
  annotations: {foresight.test/pod-startup-delay-seconds: "6"}
spec:
  replicas: 3
  serviceName: worker
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec: {containers: [{name: worker, image: nginxinc/nginx-unprivileged:1.27}]}
---
apiVersion: autoscaling.foresight.dev/v1alpha1
kind: PredictiveAutoscaler
metadata: {name: worker, namespace: $demo_ns}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: worker}
  minReplicas: 2
  maxReplicas: 40
  decisionInterval: 2s
  metric:
    query: sum(rate(http_requests_total{service="web"}[5s]))
    targetPerReplica: 10
    $prom_auth
  forecast: {model: snaive, history: 864s, resolution: 1s, seasonalPeriods: ["288s"], startupDelay: 6s, metricDelay: 3s}
---
apiVersion: autoscaling.foresight.dev/v1alpha1
kind: PredictiveAutoscaler
metadata: {name: orphan, namespace: $demo_ns}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: missing}
  minReplicas: 1
  maxReplicas: 10
  decisionInterval: 2s
  metric:
    query: sum(rate(http_requests_total{service="web"}[5s]))
    targetPerReplica: 10
YAML
# extra_target_autoscaler NAME API_VERSION KIND: the autoscaler of an rbac.extraScaleTargets
# target, named as the target.
extra_target_autoscaler() {
  cat <<YAML
---
apiVersion: autoscaling.foresight.dev/v1alpha1
kind: PredictiveAutoscaler
metadata: {name: $1, namespace: $demo_ns}
spec:
  scaleTargetRef: {apiVersion: $2, kind: $3, name: $1}
  minReplicas: 2
  maxReplicas: 40
  decisionInterval: 2s
  metric:
    query: sum(rate(http_requests_total{service="web"}[5s]))
    targetPerReplica: 10
  forecast: {model: snaive, history: 864s, resolution: 1s, seasonalPeriods: ["288s"], startupDelay: 6s, metricDelay: 3s}
YAML
}
if [ -n "$pool" ]; then
  cat >>"$STACK_DIR/demo.yaml" <<YAML
---
apiVersion: queue.example.com/v1
kind: WorkerPool
metadata: {name: $pool, namespace: $demo_ns}
spec: {replicas: 3, queue: web-requests}
YAML
  extra_target_autoscaler "$pool" queue.example.com/v1 WorkerPool >>"$STACK_DIR/demo.yaml"
fi
if [ -n "$rc" ]; then
  cat >>"$STACK_DIR/demo.yaml" <<YAML
---
apiVersion: v1
kind: ReplicationController
metadata: {name: $rc, namespace: $demo_ns}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: $rc}}
    spec: {containers: [{name: app, image: nginx:1.25}]}
YAML
  extra_target_autoscaler "$rc" v1 ReplicationController >>"$STACK_DIR/demo.yaml"
fi
kc apply -f "$STACK_DIR/demo.yaml" >"$STACK_DIR/kubectl.log" 2>&1 ||
  die "kubectl apply of the demo objects failed: $(cat "$STACK_DIR/kubectl.log")"
pool_path="/apis/queue.example.com/v1/namespaces/$demo_ns/workerpools/$pool"
if [ -n "$pool" ]; then  # as admin: the WorkerPool's controller, not the operator
  bg workerpool-controller "$PY" "$E2E_DIR/other_writer.py" --kubeconfig "$KUBECONFIG_FILE" \
    follow-status "$pool_path"
  POOL_CONTROLLER_PID=$BG_PID
fi
rc_path="/api/v1/namespaces/$demo_ns/replicationcontrollers/$rc"
if [ -n "$rc" ]; then  # the test API server runs no pods for it: this stands in
  bg rc-controller "$PY" "$E2E_DIR/other_writer.py" --kubeconfig "$KUBECONFIG_FILE" \
    follow-status "$rc_path"
  RC_CONTROLLER_PID=$BG_PID
fi
wait_load 30

# The operator with the chart's flags; only what must differ outside a cluster is changed.
args=()
for a in "${chart_args[@]}"; do
  case "$a" in
    --metrics-bind-address=*)  # the chart's :PORT is every interface, and the port may be taken
      OPERATOR_METRICS_PORT="$(free_port)"
      args+=("--metrics-bind-address=127.0.0.1:$OPERATOR_METRICS_PORT") ;;
    --prometheus-url=*) args+=("--prometheus-url=$PROM_URL") ;;  # not the in-cluster Service
    *) args+=("$a") ;;
  esac
done
args+=("--kubeconfig=$sa_kubeconfig")  # in a pod: the mounted ServiceAccount token
log "operator flags: ${args[*]}"
# POD_NAMESPACE and POD_NAME as the chart's downward API sets them. The request log from
# here on is the operator's (the check above made a refused call as the ServiceAccount).
log_before_operator="$(wc -l <"$STACK_DIR/apiserver.err")"
bg operator env POD_NAMESPACE="$release_ns" POD_NAME="${dep#*/}-e2e" "$FORESIGHT_BIN" operator "${args[@]}"
OPERATOR_PID=$BG_PID
wait_http "http://127.0.0.1:$OPERATOR_METRICS_PORT/readyz" 30 "the operator's /readyz" "$OPERATOR_PID"

decisions() {  # AUTOSCALER: decisions in the operator's log, in the chart's --log-format
  if [ "$(flag log-format)" = json ]; then
    check count "$STACK_DIR/operator.log" --autoscaler "$1"
  else
    grep -c "^[^ ]* decision $1 load=" "$STACK_DIR/operator.log" || true
  fi
}
orphan_event_count() {  # the count of the orphan's TargetNotFound Event (0 when none)
  kc get events --field-selector involvedObject.name=orphan \
    -o 'jsonpath={range .items[?(@.reason=="TargetNotFound")]}{.count}{"\n"}{end}' 2>/dev/null |
    sort -n | tail -n 1 | grep . || echo 0
}
pool_replicas() {  # the WorkerPool's spec.replicas ("" without one)
  [ -z "$pool" ] || kc get workerpool "$pool" -o 'jsonpath={.spec.replicas}'
}
pool_scaled() {  # whether the WorkerPool has more than its 3 replicas (true without one)
  [ -z "$pool" ] || { [ "$(decisions "$demo_ns/$pool")" -ge 3 ] && [ "$(pool_replicas)" -gt 3 ]; }
}
rc_replicas() {  # the ReplicationController's spec.replicas ("" without one)
  [ -z "$rc" ] || kc get replicationcontroller "$rc" -o 'jsonpath={.spec.replicas}'
}
rc_scaled() {  # whether the ReplicationController has more than its 3 replicas (true without one)
  [ -z "$rc" ] || { [ "$(decisions "$demo_ns/$rc")" -ge 3 ] && [ "$(rc_replicas)" -gt 3 ]; }
}
refused() {  # the first calls of the operator that the API server refused, or nothing
  tail -n "+$((log_before_operator + 1))" "$STACK_DIR/apiserver.err" |
    grep -E "^[^ ]+ [^ ]+ $sa_user [A-Z]+ [^ ]+ (401|403) " | head -n 3 || true
}
deadline=$((SECONDS + 90))
while [ "$SECONDS" -lt "$deadline" ]; do
  r="$(refused)"
  [ -z "$r" ] || die "the API server refused calls of the operator (the chart lacks a grant): $r"
  [ "$(decisions "$demo_ns/web")" -ge 3 ] && [ "$(decisions "$demo_ns/worker")" -ge 3 ] &&
    [ "$(orphan_event_count)" -ge 2 ] && [ "$(replicas_of web)" -gt 3 ] &&
    [ "$(kc get statefulset worker -o 'jsonpath={.spec.replicas}')" -gt 3 ] && pool_scaled &&
    rc_scaled && break
  kill -0 "$OPERATOR_PID" 2>/dev/null || die "the operator exited"
  [ -z "$pool" ] || kill -0 "$POOL_CONTROLLER_PID" 2>/dev/null ||
    die "the WorkerPool's controller stand-in exited: $(tail -n 5 "$STACK_DIR/workerpool-controller.err")"
  [ -z "$rc" ] || kill -0 "$RC_CONTROLLER_PID" 2>/dev/null ||
    die "the ReplicationController's controller stand-in exited: $(tail -n 5 "$STACK_DIR/rc-controller.err")"
  sleep 0.5
done
web_replicas="$(replicas_of web)"
worker_replicas="$(kc get statefulset worker -o 'jsonpath={.spec.replicas}')"
log "after $(decisions "$demo_ns/web") decisions: web $web_replicas replicas, worker $worker_replicas${pool:+, WorkerPool $pool $(pool_replicas)}${rc:+, ReplicationController $rc $(rc_replicas)}; orphan's Event count $(orphan_event_count)"
[ "$web_replicas" -gt 3 ] || die "the Deployment web was not scaled up (replicas $web_replicas)"
[ "$worker_replicas" -gt 3 ] || die "the StatefulSet worker was not scaled up (replicas $worker_replicas)"
[ "$(orphan_event_count)" -ge 2 ] ||
  die "the orphan's TargetNotFound Event was not repeated (count '$(orphan_event_count)'): $(events_of PredictiveAutoscaler orphan)"
tail -n "+$((log_before_operator + 1))" "$STACK_DIR/apiserver.err" >"$STACK_DIR/requests-so-far.log"
patched_by_sa() {  # OBJECT_PATH: by the ServiceAccount, through /scale, a patch accepted
  grep -qE "^[^ ]+ [^ ]+ $sa_user PATCH $1/scale(\?[^ ]*)? 200 " "$STACK_DIR/requests-so-far.log" ||
    die "no PATCH of $1/scale by $sa_user answered 200 in the API server's request log"
}
if [ -n "$pool" ]; then
  [ "$(pool_replicas)" -gt 3 ] || die "the WorkerPool $pool was not scaled up (replicas '$(pool_replicas)')"
  patched_by_sa "$pool_path"
fi
if [ -n "$rc" ]; then
  [ "$(rc_replicas)" -gt 3 ] || die "the ReplicationController $rc was not scaled up (replicas '$(rc_replicas)')"
  patched_by_sa "$rc_path"
fi

# Status, conditions and Events, written as the ServiceAccount.
for pa in web worker ${pool:+"$pool"} ${rc:+"$rc"}; do
  wait_condition "$pa" Ready True 10
  wait_condition "$pa" AbleToScale True 10
  st="$(kc get pas "$pa" -o 'jsonpath={.status.currentReplicas} {.status.desiredReplicas} {.status.lastDecision.reason}')"
  [ "$(wc -w <<<"$st")" = 3 ] || die "PredictiveAutoscaler $pa: incomplete status '$st'"
  ev="$(events_of PredictiveAutoscaler "$pa")"
  grep -q '^ScaledUp ' <<<"$ev" || die "no ScaledUp Event on $pa: $ev"
done
case "$(pas_condition orphan Ready)" in "False TargetNotFound "*) ;; *) die "orphan: Ready '$(pas_condition orphan Ready)'" ;; esac

# The Lease, where the chart turns leader election on; none otherwise.
if [ "$(flag leader-elect)" = true ]; then
  lease_ns="$(flag leader-election-namespace)"
  lease="$(flag leader-election-id)"
  holder="$(kc get lease -n "$lease_ns" "$lease" -o 'jsonpath={.spec.holderIdentity}' 2>/dev/null)"
  [ -n "$holder" ] || die "Lease $lease_ns/$lease has no holder"
  grep -q "became leader" "$STACK_DIR/operator.log" || die "the operator never logged 'became leader'"
  log "Lease $lease_ns/$lease held by $holder"
else
  [ -z "$(kc get leases -A -o name)" ] || die "leases exist without leader election: $(kc get leases -A -o name)"
fi

stop_proc "$OPERATOR_PID" 15
grep -qi forbidden "$STACK_DIR/operator.log" &&
  die "the operator was refused: $(grep -i -m 3 forbidden "$STACK_DIR/operator.log")"
# A watch is logged when it ends: end those the operator left, wait for their lines.
kubeemu drop-watches '{"mode":"eof"}' >/dev/null
for ((i = 0; i < 50; i++)); do
  grep -q " $sa_user GET [^ ]*watch=" "$STACK_DIR/apiserver.err" && break
  sleep 0.1
done
# The operator's part of the log (any refusal fails below), before kubectl's
# SelfSubjectRulesReviews add their own.
tail -n "+$((log_before_operator + 1))" "$STACK_DIR/apiserver.err" >"$STACK_DIR/operator-requests.log"

# What RBAC grants the ServiceAccount where the operator works, against what it called.
for ns in "$demo_ns" "$release_ns"; do
  echo "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\",\"spec\":{\"namespace\":\"$ns\"}}" |
    kc create --validate=false -f - --as="$sa_user" -o json >"$STACK_DIR/rules-$ns.json" ||
    die "SelfSubjectRulesReview in $ns failed"
done
"$PY" "$E2E_DIR/chart_rbac.py" exact "$STACK_DIR/operator-requests.log" --user "$sa_user" \
  --rules "$STACK_DIR/rules-$demo_ns.json" --rules "$STACK_DIR/rules-$release_ns.json" ||
  die "the chart's RBAC is not exactly the operator's calls"

# can_i yes|no ARGS...: `kubectl auth can-i ARGS` as the ServiceAccount answers that.
can_i() {
  local want="$1" got
  shift
  got="$(kc auth can-i "$@" --as="$sa_user" 2>/dev/null || true)"
  [ "${got%% *}" = "$want" ] || die "kubectl auth can-i $* --as=$sa_user: '$got', want $want"
}
pa=predictiveautoscalers.autoscaling.foresight.dev
if [ "$demo_ns" = default ]; then
  can_i yes list "$pa" -A
  can_i yes watch "$pa" -A
else
  can_i yes list "$pa" -n "$demo_ns"
  can_i yes watch "$pa" -n "$demo_ns"
  can_i no list "$pa" -A                              # granted in the watched namespace only
  can_i no patch deployments.apps --subresource=scale -n default
fi
can_i yes patch "$pa" --subresource=status -n "$demo_ns"
for kind in deployments statefulsets; do
  can_i yes get "$kind.apps" --subresource=scale -n "$demo_ns"
  can_i yes patch "$kind.apps" --subresource=scale -n "$demo_ns"
done
if [ -n "$pool" ]; then  # rbac.extraScaleTargets: the scale subresource only
  can_i yes get workerpools.queue.example.com --subresource=scale -n "$demo_ns"
  can_i yes patch workerpools.queue.example.com --subresource=scale -n "$demo_ns"
  can_i no update workerpools.queue.example.com --subresource=scale -n "$demo_ns"
  can_i no get workerpools.queue.example.com -n "$demo_ns"
  can_i no patch workerpools.queue.example.com -n "$demo_ns"
  can_i no patch workerpools.queue.example.com --subresource=status -n "$demo_ns"
  can_i no patch workerpools.queue.example.com --subresource=scale -n default
fi
if [ -n "$rc" ]; then  # the core group's entry there, likewise
  can_i yes get replicationcontrollers --subresource=scale -n "$demo_ns"
  can_i yes patch replicationcontrollers --subresource=scale -n "$demo_ns"
  can_i no get replicationcontrollers -n "$demo_ns"
  can_i no patch replicationcontrollers -n "$demo_ns"
fi
can_i no get replicasets.apps --subresource=scale -n "$demo_ns"   # scalable, but not named
can_i no patch replicasets.apps --subresource=scale -n "$demo_ns"
can_i yes create events -n "$demo_ns"
can_i yes patch events -n "$demo_ns"
# Never: write with PUT, read autoscalers one by one, touch workloads other than through
# /scale, pods, specs, or Secrets unless opted in.
can_i no update "$pa" --subresource=status -n "$demo_ns"
can_i no update deployments.apps --subresource=scale -n "$demo_ns"
can_i no get "$pa" -n "$demo_ns"
can_i no delete deployments.apps -n "$demo_ns"
can_i no update deployments.apps -n "$demo_ns"
can_i no get deployments.apps -n "$demo_ns"
can_i no create pods -n "$demo_ns"
can_i no delete pods -n "$demo_ns"
can_i no update "$pa" -n "$demo_ns"
can_i no delete "$pa" -n "$demo_ns"
can_i no create customresourcedefinitions.apiextensions.k8s.io
can_i no create rolebindings.rbac.authorization.k8s.io -n "$demo_ns"
can_i no list secrets -n "$demo_ns"
if [ -n "$secret" ]; then
  can_i yes get "secrets/$secret" -n "$demo_ns"
  can_i no get secrets/another -n "$demo_ns"
  can_i no get "secrets/$secret" -n "$release_ns"
else
  can_i no get secrets -n "$demo_ns"
  can_i no get "secrets/prometheus-reader" -n "$demo_ns"
fi
if [ "$(flag leader-elect)" = true ]; then
  can_i yes create leases.coordination.k8s.io -n "$lease_ns"
  can_i yes get "leases.coordination.k8s.io/$lease" -n "$lease_ns"
  can_i yes update "leases.coordination.k8s.io/$lease" -n "$lease_ns"
  can_i no update leases.coordination.k8s.io/another -n "$lease_ns"
  can_i no create leases.coordination.k8s.io -n "$demo_ns"
else
  can_i no create leases.coordination.k8s.io -n "$release_ns"
fi
pass "the chart ($config values) grants exactly what the operator used: it scaled a Deployment, a StatefulSet${pool:+, a WorkerPool}${rc:+ and a ReplicationController (rbac.extraScaleTargets)}, wrote statuses and Events, nothing refused"
