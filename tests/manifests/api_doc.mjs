#!/usr/bin/env node
// docs/api.md must document every field of the CRD: each spec and status leaf field appears
// in it as `path` (scaleUp/scaleDown written <dir>, list items as []). The items of
// status.conditions are the standard metav1.Condition, documented as a whole.
//   node api_doc.mjs CRD.yaml docs/api.md

import { readFileSync } from "node:fs";
import { parse } from "yaml";

const [crdFile, docFile] = process.argv.slice(2);
const crd = parse(readFileSync(crdFile, "utf8"), { version: "1.1" });
const doc = readFileSync(docFile, "utf8");

// Leaf field paths: scalars, lists of scalars, and conditions[] as one field.
function paths(schema, path, out) {
  const scalarList = schema.items && !schema.items.properties;
  if (path === "conditions[]" || scalarList || (!schema.properties && !schema.items)) {
    out.push(path);
    return out;
  }
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    const key = k === "scaleUp" || k === "scaleDown" ? "<dir>" : k;
    paths(sub, path ? `${path}.${key}` : key, out);
  }
  if (schema.items) paths(schema.items, `${path}[]`, out);
  return out;
}

let passed = 0, failed = 0;
for (const version of crd.spec.versions) {
  const root = version.schema.openAPIV3Schema.properties;
  for (const part of ["spec", "status"]) {
    const missing = [...new Set(paths(root[part], "", []))].filter((p) => !doc.includes(`\`${p}\``));
    if (missing.length === 0) { passed++; console.log(`ok   every ${part} field of ${version.name} is in ${docFile}`); }
    else { failed++; console.log(`FAIL ${part} fields missing from ${docFile}:\n       ${missing.join("\n       ")}`); }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
