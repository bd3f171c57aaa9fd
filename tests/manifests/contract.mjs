#!/usr/bin/env node
// Checks the chart's renders (render_chart.sh) against what the operator is written to:
//   - RBAC grants exactly the operator's API calls (docs/api.md, "Permissions"), nothing more:
//     the ClusterRole, its binding (cluster-wide, or in watchNamespace only), and the
//     leader-election Role in the release namespace with get/update pinned to the Lease;
//   - the container passes only the operator's documented flags, in --flag=value form;
//   - the pod runs non-root with a read-only root filesystem, no capabilities, RuntimeDefault
//     seccomp, resources, and /healthz and /readyz probes on the metrics port.
//   node contract.mjs BUILD_DIR

import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const out = process.argv[2];
if (!out) { console.error("usage: contract.mjs BUILD_DIR"); process.exit(2); }

const load = (name) =>
  parseAllDocuments(readFileSync(`${out}/${name}`, "utf8"), { version: "1.1" }).map((d) => d.toJS()).filter(Boolean);

// One permission per (group, resource, verb, name): the unit RBAC grants in.
const grants = (rules) =>
  rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.flatMap((v) =>
    (r.resourceNames ?? ["*"]).map((n) => `${g || "core"} ${res} ${v} ${n}`))))).sort();

const OPERATOR_GRANTS = [
  "autoscaling.foresight.dev predictiveautoscalers list *",
  "autoscaling.foresight.dev predictiveautoscalers watch *",
  "autoscaling.foresight.dev predictiveautoscalers/status patch *",
  "apps deployments/scale get *",
  "apps deployments/scale patch *",
  "apps statefulsets/scale get *",
  "apps statefulsets/scale patch *",
  "core events create *",
  "core events patch *",
].sort();
const leaseGrants = (lease) => [
  "coordination.k8s.io leases create *",
  `coordination.k8s.io leases get ${lease}`,
  `coordination.k8s.io leases update ${lease}`,
].sort();

const FLAGS = ["kubeconfig", "prometheus-url", "metrics-bind-address", "leader-elect",
  "leader-election-namespace", "leader-election-id", "log-format", "log-level", "workers",
  "watch-namespace"];

let passed = 0, failed = 0;
function expect(name, cond, detail = "") {
  if (cond) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail ? `\n       ${detail}` : ""}`); }
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Checks one render. `want` says what the values should have produced.
function checkRender(file, want) {
  const docs = load(file);
  const of = (kind) => docs.filter((d) => d.kind === kind);
  const tag = `[${file}]`;

  // RBAC ------------------------------------------------------------------------------------
  const clusterRoles = of("ClusterRole");
  const operatorRole = clusterRoles.find((r) => !r.metadata.name.endsWith("-secret-reader"));
  // rbac.extraScaleTargets: get and patch (what the operator sends) on each RESOURCE/scale.
  const extraGrants = (want.extraScaleTargets ?? []).flatMap(([g, res]) =>
    ["get", "patch"].map((v) => `${g || "core"} ${res}/scale ${v} *`));
  const wantGrants = [...OPERATOR_GRANTS, ...extraGrants].sort();
  expect(`${tag} operator ClusterRole grants exactly the operator's calls${extraGrants.length ? ", extra scale targets included" : ""}`,
    operatorRole && same(grants(operatorRole.rules), wantGrants),
    operatorRole ? JSON.stringify(grants(operatorRole.rules)) : "no ClusterRole");

  const secretRole = clusterRoles.find((r) => r.metadata.name.endsWith("-secret-reader"));
  const wantSecret = want.secretNames ? want.secretNames.map((n) => `core secrets get ${n}`).sort() : null;
  expect(`${tag} Secret access ${want.secretNames ? "granted to the named Secrets only" : "not granted"}`,
    wantSecret ? secretRole && same(grants(secretRole.rules), wantSecret) : !secretRole);
  expect(`${tag} no other ClusterRoles`, clusterRoles.length === 1 + (want.secretNames ? 1 : 0));

  const sa = of("ServiceAccount")[0];
  const bindsToSa = (b) => b.subjects.length === 1 && b.subjects[0].kind === "ServiceAccount" &&
    b.subjects[0].name === sa?.metadata.name && b.subjects[0].namespace === want.namespace;
  const bindingKind = want.watchNamespace ? "RoleBinding" : "ClusterRoleBinding";
  const opBinding = of(bindingKind).find((b) => b.roleRef.kind === "ClusterRole" && b.roleRef.name === operatorRole?.metadata.name);
  expect(`${tag} operator ClusterRole bound by a ${bindingKind}${want.watchNamespace ? ` in ${want.watchNamespace}` : ""} to the ServiceAccount`,
    opBinding && bindsToSa(opBinding) && (opBinding.metadata.namespace ?? "") === (want.watchNamespace ?? ""));
  if (want.watchNamespace)
    expect(`${tag} no ClusterRoleBinding when one namespace is watched`, of("ClusterRoleBinding").length === 0);

  const roles = of("Role");
  if (want.lease) {
    const role = roles[0];
    expect(`${tag} leader-election Role in ${want.namespace} grants create, and get/update on lease ${want.lease} only`,
      roles.length === 1 && role.metadata.namespace === want.namespace && same(grants(role.rules), leaseGrants(want.lease)),
      JSON.stringify(role && grants(role.rules)));
    const rb = of("RoleBinding").find((b) => b.roleRef.kind === "Role");
    expect(`${tag} leader-election Role bound to the ServiceAccount`,
      rb && rb.roleRef.name === role?.metadata.name && rb.metadata.namespace === want.namespace && bindsToSa(rb));
  } else {
    expect(`${tag} no Role without leader election`, roles.length === 0);
  }

  // Operator container ----------------------------------------------------------------------
  const dep = of("Deployment")[0];
  const pod = dep?.spec.template.spec;
  const c = pod?.containers?.[0];
  expect(`${tag} one Deployment with one container`, of("Deployment").length === 1 && pod.containers.length === 1);
  expect(`${tag} the image's entrypoint is kept (no command)`, c && c.command === undefined);
  const args = c?.args ?? [];
  const bad = args.filter((a) => !FLAGS.some((f) => a.startsWith(`--${f}=`)));
  expect(`${tag} only the operator's flags, as --flag=value`, bad.length === 0, `unknown: ${bad.join(" ")}`);
  const flag = (f) => args.find((a) => a.startsWith(`--${f}=`))?.slice(f.length + 3);
  expect(`${tag} no flag given twice`, new Set(args.map((a) => a.split("=")[0])).size === args.length);
  expect(`${tag} --leader-elect=${want.lease ? "true" : "false"}`, flag("leader-elect") === String(Boolean(want.lease)));
  if (want.lease)
    expect(`${tag} lease --leader-election-id=${want.lease} in --leader-election-namespace=${want.namespace}`,
      flag("leader-election-id") === want.lease && flag("leader-election-namespace") === want.namespace);
  // Always passed: left out, the binary's own default would apply.
  expect(`${tag} --prometheus-url=${want.prometheus}`, flag("prometheus-url") === want.prometheus);
  expect(`${tag} --watch-namespace ${want.watchNamespace ?? "absent"}`, flag("watch-namespace") === want.watchNamespace);
  const port = c?.ports?.find((p) => p.name === "metrics")?.containerPort;
  expect(`${tag} --metrics-bind-address=:${port} matches the metrics port`, flag("metrics-bind-address") === `:${port}`);
  expect(`${tag} POD_NAMESPACE from the downward API`,
    c?.env?.some((e) => e.name === "POD_NAMESPACE" && e.valueFrom?.fieldRef?.fieldPath === "metadata.namespace"));
  expect(`${tag} liveness /healthz and readiness /readyz on the metrics port`,
    c?.livenessProbe?.httpGet?.path === "/healthz" && c?.readinessProbe?.httpGet?.path === "/readyz" &&
    c.livenessProbe.httpGet.port === "metrics" && c.readinessProbe.httpGet.port === "metrics");
  expect(`${tag} ${want.lease ? "RollingUpdate" : "Recreate"} strategy`,
    want.lease ? dep.spec.strategy?.type !== "Recreate" : dep.spec.strategy?.type === "Recreate");

  // Pod security -----------------------------------------------------------------------------
  const sc = c?.securityContext ?? {};
  expect(`${tag} non-root, read-only root filesystem, no privilege escalation, drop ALL, seccomp RuntimeDefault`,
    pod.securityContext?.runAsNonRoot === true && pod.securityContext?.runAsUser > 0 &&
    pod.securityContext?.seccompProfile?.type === "RuntimeDefault" &&
    sc.readOnlyRootFilesystem === true && sc.allowPrivilegeEscalation === false &&
    same(sc.capabilities?.drop, ["ALL"]) && !sc.capabilities?.add && !sc.privileged);
  expect(`${tag} resource requests and a memory limit`,
    c?.resources?.requests?.cpu && c?.resources?.requests?.memory && c?.resources?.limits?.memory);

  // Service, optional objects ----------------------------------------------------------------
  const svc = of("Service")[0];
  expect(`${tag} metrics Service targets the metrics port of the operator pods`,
    svc && svc.spec.ports.some((p) => p.targetPort === "metrics") &&
    Object.entries(svc.spec.selector).every(([k, v]) => dep.spec.template.metadata.labels[k] === v));
  expect(`${tag} ServiceMonitor ${want.extras ? "present" : "absent"}`, of("ServiceMonitor").length === (want.extras ? 1 : 0));
  expect(`${tag} PodDisruptionBudget ${want.extras ? "present" : "absent"}`, of("PodDisruptionBudget").length === (want.extras ? 1 : 0));
  expect(`${tag} the CRD is included`, of("CustomResourceDefinition").length === (want.crd ? 1 : 0));
  const namespaced = docs.filter((d) => !["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"].includes(d.kind));
  expect(`${tag} every namespaced object names its namespace`, namespaced.every((d) => d.metadata.namespace));
}

const DEFAULT_PROMETHEUS = "http://prometheus-operated.monitoring.svc:9090";
checkRender("rendered-default.yaml", { namespace: "foresight-system", lease: null, crd: true, prometheus: DEFAULT_PROMETHEUS });
checkRender("rendered-leader-one.yaml", { namespace: "foresight-system", lease: "foresight-operator", prometheus: DEFAULT_PROMETHEUS });
checkRender("rendered-no-prometheus.yaml", { namespace: "foresight-system", lease: null, prometheus: "none" });
checkRender("rendered-all-on.yaml", {
  namespace: "ops", lease: "foresight-shop-leader", watchNamespace: "shop",
  secretNames: ["prometheus-reader"], extras: true, crd: true, prometheus: "https://prometheus.monitoring.svc:9091",
  extraScaleTargets: [["queue.example.com", "workerpools"], ["", "replicationcontrollers"]],
});
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
