#!/usr/bin/env node
// charts/foresight/values.schema.json, which real Helm enforces (the helm-template stand-in
// does not): the chart's values.yaml, and values-all-on.yaml merged over it as Helm merges,
// must pass; each bad override below must fail at the named place.
//   node values_schema.mjs

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import Ajv from "ajv";

const here = fileURLToPath(new URL(".", import.meta.url));
const chart = `${here}../../charts/foresight`;
const read = (f) => parse(readFileSync(f, "utf8"), { version: "1.1" });
const validate = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(`${chart}/values.schema.json`, "utf8")));

// Helm's coalescing: maps merge key by key, anything else replaces, null deletes.
function merge(base, over) {
  const out = structuredClone(base);
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (v && typeof v === "object" && !Array.isArray(v) && out[k] && typeof out[k] === "object" && !Array.isArray(out[k]))
      out[k] = merge(out[k], v);
    else out[k] = structuredClone(v);
  }
  return out;
}

const defaults = read(`${chart}/values.yaml`);
const good = [
  ["values.yaml", {}],
  ["values-all-on.yaml", read(`${here}values-all-on.yaml`)],
  ["leader election forced on (--set)", { leaderElection: { enabled: true } }],
  ["no default Prometheus", { prometheus: { url: "" } }],
  ["percentage minAvailable", { podDisruptionBudget: { minAvailable: "50%" } }],
];
const bad = [
  ["misspelt top-level key", { replicas: 2 }, "must NOT have additional properties"],
  ["unknown log format", { logging: { format: "xml" } }, "/logging/format"],
  ["unknown log level", { logging: { level: "trace" } }, "/logging/level"],
  ["leaderElection.enabled not auto/true/false", { leaderElection: { enabled: "sometimes" } }, "/leaderElection/enabled"],
  ["zero replicas", { replicaCount: 0 }, "/replicaCount"],
  ["zero workers", { workers: 0 }, "/workers"],
  ["more workers than the operator takes (64)", { workers: 65 }, "/workers"],
  ["Prometheus URL without scheme", { prometheus: { url: "prometheus:9090" } }, "/prometheus/url"],
  ["watchNamespace not a namespace name", { watchNamespace: "Shop_1" }, "/watchNamespace"],
  ["metrics port out of range", { metrics: { port: 70000 } }, "/metrics/port"],
  ["misspelt ServiceMonitor key", { metrics: { serviceMonitor: { enable: true } } }, "/metrics/serviceMonitor"],
  ["extra scale target without apiGroup", { rbac: { extraScaleTargets: [{ resource: "workerpools" }] } },
    "/rbac/extraScaleTargets/0 must have required property 'apiGroup'"],
  ["extra scale target named with /scale", { rbac: { extraScaleTargets: [{ apiGroup: "queue.example.com", resource: "workerpools/scale" }] } },
    "/rbac/extraScaleTargets/0/resource"],
];

let passed = 0, failed = 0;
const report = (ok, name, detail) => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `\n       ${detail}`}`);
};
const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
for (const [name, over] of good)
  report(validate(merge(defaults, over)), `accepts ${name}`, errors().join("; "));
for (const [name, over, where] of bad) {
  const ok = !validate(merge(defaults, over)) && errors().some((e) => e.includes(where));
  report(ok, `rejects ${name}`, errors().join("; ") || "accepted");
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
