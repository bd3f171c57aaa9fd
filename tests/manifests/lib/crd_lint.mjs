// Checks on a CRD that the official CustomResourceDefinition schema cannot express but the
// apiserver (or our own API rules) enforce:
//   - the structural-schema rules (a type on every node, no forbidden keywords),
//   - every default is valid against its own node's schema (the apiserver rejects the CRD
//     otherwise) and every CEL rule compiles in lib/cel.mjs,
//   - every field has a description (so `kubectl explain` teaches the API),
//   - a list whose items carry CEL rules has maxItems (the apiserver's CEL cost budget),
//   - every printer column's jsonPath names a schema field of a matching type,
//   - metadata.name is <plural>.<group> and exactly one version is the storage version.

import { compile } from "./cel.mjs";
import { applyDefaults, validateValue, validateRules } from "./schema.mjs";

const FORBIDDEN = ["definitions", "dependencies", "deprecated", "discriminator", "id",
  "patternProperties", "readOnly", "writeOnly", "xml", "$ref", "allOf", "anyOf", "oneOf", "not"];
const COLUMN_TYPES = { integer: ["integer"], number: ["number", "integer"], string: ["string"],
  boolean: ["boolean"], date: ["string"] };

function walk(schema, path, errors, { isRoot = false } = {}) {
  const free = schema["x-kubernetes-preserve-unknown-fields"] || schema["x-kubernetes-int-or-string"];
  if (!schema.type && !free) errors.push(`${path}: structural schema needs a type`);
  for (const k of FORBIDDEN) if (k in schema) errors.push(`${path}: forbidden keyword ${k}`);
  if (schema.uniqueItems === true) errors.push(`${path}: uniqueItems must not be true`);
  if (schema.additionalProperties !== undefined && schema.properties)
    errors.push(`${path}: additionalProperties together with properties`);
  if (!isRoot && !schema.description && path !== "metadata")
    errors.push(`${path}: no description`);
  for (const { rule } of schema["x-kubernetes-validations"] ?? []) {
    try { compile(rule); } catch (e) { errors.push(`${path}: rule does not compile: ${rule}: ${e.message}`); }
  }
  if (schema.default !== undefined) {
    const value = applyDefaults(schema, structuredClone(schema.default));
    const errs = [];
    validateValue(schema, value, path, errs);
    if (errs.length === 0) validateRules(schema, value, path, errs);
    for (const e of errs) errors.push(`default of ${path} is invalid: ${e}`);
  }
  for (const [k, sub] of Object.entries(schema.properties ?? {}))
    walk(sub, isRoot ? k : `${path}.${k}`, errors);
  if (schema.items) {
    if (schema.items["x-kubernetes-validations"] && schema.maxItems === undefined)
      errors.push(`${path}: items carry CEL rules but the list has no maxItems`);
    walk(schema.items, `${path}[*]`, errors);
  }
}

function schemaAt(schema, jsonPath) {
  let node = schema;
  for (const part of jsonPath.replace(/^\./, "").split(".")) {
    if (part === "metadata") return { type: "object", properties: { creationTimestamp: { type: "string" } } };
    node = node?.properties?.[part];
    if (!node) return undefined;
  }
  return node;
}

export function lintCrd(crd) {
  const errors = [];
  const { group, names, versions = [] } = crd.spec ?? {};
  if (crd.metadata?.name !== `${names?.plural}.${group}`)
    errors.push(`metadata.name must be ${names?.plural}.${group}`);
  if (versions.filter((v) => v.storage).length !== 1) errors.push("exactly one version must have storage: true");
  for (const v of versions) {
    const root = v.schema?.openAPIV3Schema;
    if (!root) { errors.push(`version ${v.name}: no openAPIV3Schema`); continue; }
    walk(root, "", errors, { isRoot: true });
    for (const col of v.additionalPrinterColumns ?? []) {
      const node = col.jsonPath.startsWith(".metadata.") ? { type: "string" } : schemaAt(root, col.jsonPath);
      if (!node) errors.push(`printer column ${col.name}: ${col.jsonPath} is not in the schema`);
      else if (!(COLUMN_TYPES[col.type] ?? []).includes(node.type))
        errors.push(`printer column ${col.name}: type ${col.type} does not match field type ${node.type}`);
    }
  }
  return errors;
}
