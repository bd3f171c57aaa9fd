#!/usr/bin/env node
// Manifest checker.
//   node check.mjs valid   --crd CRD.yaml [--crd ...] FILE...   every document must be valid
//   node check.mjs invalid --crd CRD.yaml FILE...               every file must be rejected with
//                                                               exactly its "# expect: " messages
//   node check.mjs default --crd CRD.yaml FILE                  prints the file's custom resources
//                                                               with the CRD's defaults applied
// A document is checked by its kind: custom resources of a --crd against that CRD's schema
// (lib/schema.mjs), CustomResourceDefinitions against the official schema and lib/crd_lint.mjs,
// everything else against the official Kubernetes schemas (lib/kube_models.mjs). A kind
// that none of these knows is an error.

import { readFileSync } from "node:fs";
import { parseAllDocuments, stringify } from "yaml";
import { admit } from "./lib/schema.mjs";
import { lintCrd } from "./lib/crd_lint.mjs";
import { validateBuiltin } from "./lib/kube_models.mjs";

// YAML 1.1, as kubectl and Helm read it (sigs.k8s.io/yaml): unquoted Off, on, yes, no are
// booleans there, and the checks must see what the apiserver will get.
function readDocs(file) {
  const text = readFileSync(file, "utf8");
  const docs = [];
  for (const d of parseAllDocuments(text, { version: "1.1" })) {
    if (d.errors.length) throw new Error(`${file}: YAML error: ${d.errors[0].message}`);
    const value = d.toJS({ maxAliasCount: -1 });
    if (value !== null && value !== undefined) docs.push(value);
  }
  return { text, docs };
}

function loadCrds(files) {
  const crds = new Map(); // "group/Kind" -> {crd, schemas: {version: schema}}
  for (const f of files) {
    for (const crd of readDocs(f).docs) {
      if (crd.kind !== "CustomResourceDefinition") continue;
      const schemas = Object.fromEntries(crd.spec.versions.map((v) => [v.name, v.schema.openAPIV3Schema]));
      crds.set(`${crd.spec.group}/${crd.spec.names.kind}`, { crd, schemas });
    }
  }
  return crds;
}

async function check(doc, crds) {
  if (typeof doc !== "object" || !doc.apiVersion || !doc.kind) return ["document has no apiVersion or kind"];
  if (!doc.metadata?.name) return ["metadata.name: Required value"];
  const slash = doc.apiVersion.lastIndexOf("/");
  const group = doc.apiVersion.slice(0, Math.max(slash, 0));
  const custom = crds.get(`${group}/${doc.kind}`);
  if (custom) {
    const schema = custom.schemas[doc.apiVersion.slice(slash + 1)];
    if (!schema) return [`${doc.apiVersion} is not a version of ${doc.kind}`];
    return admit(schema, doc).errors;
  }
  const errors = await validateBuiltin(doc);
  if (errors === null) return [`unknown kind ${doc.apiVersion}/${doc.kind}`];
  if (doc.kind === "CustomResourceDefinition") errors.push(...lintCrd(doc));
  return errors;
}

function describe(doc) {
  return `${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
}

async function main(argv) {
  const [mode, ...rest] = argv;
  const crdFiles = [], files = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--crd") crdFiles.push(rest[++i]);
    else files.push(rest[i]);
  }
  if (!["valid", "invalid", "default"].includes(mode) || files.length === 0) {
    console.error("usage: check.mjs valid|invalid|default --crd CRD.yaml FILE...");
    return 2;
  }
  const crds = loadCrds(crdFiles);
  let passed = 0, failed = 0;
  const report = (ok, what, errors = []) => {
    if (ok) passed++; else failed++;
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    for (const e of errors) console.log(`       ${e}`);
  };

  for (const file of files) {
    const { text, docs } = readDocs(file);
    if (mode === "default") {
      for (const doc of docs) {
        const custom = crds.get(`${doc.apiVersion.split("/")[0]}/${doc.kind}`);
        if (!custom) continue;
        const { errors, object } = admit(custom.schemas[doc.apiVersion.split("/")[1]], doc);
        if (errors.length) { console.error(errors.join("\n")); return 1; }
        process.stdout.write(`---\n${stringify(object, { lineWidth: 0 })}`);
      }
      continue;
    }
    if (mode === "valid") {
      if (docs.length === 0) report(false, `${file}: no documents`);
      for (const [i, doc] of docs.entries()) {
        const errors = await check(doc, crds);
        report(errors.length === 0, `${file} #${i + 1} ${describe(doc)}`, errors);
      }
      continue;
    }
    // invalid: the file's "# expect: MESSAGE" lines are exactly the errors its documents give.
    const expected = [...text.matchAll(/^# expect: (.*)$/gm)].map((m) => m[1]).sort();
    const got = [];
    for (const doc of docs) got.push(...(await check(doc, crds)));
    got.sort();
    const same = expected.length > 0 && JSON.stringify(expected) === JSON.stringify(got);
    report(same, `${file} rejected as expected`,
      same ? [] : [...expected.map((e) => `want: ${e}`), ...(got.length ? got.map((e) => `got:  ${e}`) : ["got:  (accepted)"])]);
  }
  if (mode !== "default") console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
