// Validates a custom resource against a CRD's openAPIV3Schema the way kube-apiserver does
// for a create with kubectl's default strict field validation:
//   unknown fields are errors → nulls dropped → defaults applied top-down → OpenAPI checks
//   (type, required, enum, pattern, lengths, bounds, item counts, list-map keys, formats)
//   → x-kubernetes-validations rules (evaluated by lib/cel.mjs), skipped when the OpenAPI
//   checks already failed, as the apiserver skips CEL after blocking errors.
// Messages follow the apiserver's field.Error wording so tests can expect the real text.

import { compile, CelError } from "./cel.mjs";

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const clone = (v) => (v === undefined ? v : structuredClone(v));
const join = (path, key) => (path ? `${path}.${key}` : key);

function jsonType(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const INT_RANGE = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] };

// Unknown fields, reported like kubectl's strict decoding (`unknown field "spec.x"`).
// The implicit apiVersion/kind/metadata of the root are never unknown.
export function unknownFields(schema, value, path = "", out = []) {
  if (schema["x-kubernetes-preserve-unknown-fields"]) return out;
  if (isObject(value) && schema.properties) {
    for (const [k, v] of Object.entries(value)) {
      const sub = schema.properties[k];
      if (sub) unknownFields(sub, v, join(path, k), out);
      else if (!(path === "" && ["apiVersion", "kind", "metadata"].includes(k)))
        out.push(`unknown field "${join(path, k)}"`);
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((v, i) => unknownFields(schema.items, v, `${path}[${i}]`, out));
  }
  return out;
}

// Drops null values of non-nullable fields, as the apiserver prunes them before defaulting.
function dropNulls(schema, value) {
  if (isObject(value) && schema.properties) {
    for (const [k, v] of Object.entries(value)) {
      const sub = schema.properties[k];
      if (v === null && sub && !sub.nullable) delete value[k];
      else if (sub) dropNulls(sub, v);
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((v) => dropNulls(schema.items, v));
  }
}

// Applies `default`s top-down: a missing property with a default gets a copy of it, then
// defaulting continues inside it (so `default: {}` materialises nested defaults).
export function applyDefaults(schema, value) {
  if (isObject(value) && schema.properties) {
    for (const [k, sub] of Object.entries(schema.properties)) {
      if (!(k in value) && sub.default !== undefined) value[k] = clone(sub.default);
      if (k in value) applyDefaults(sub, value[k]);
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((v) => applyDefaults(schema.items, v));
  }
  return value;
}

function checkNumber(schema, v, path, errors) {
  const { minimum, maximum } = schema;
  if (minimum !== undefined) {
    if (schema.exclusiveMinimum ? !(v > minimum) : !(v >= minimum))
      errors.push(`${path}: Invalid value: ${v}: ${path} in body should be greater than ` +
        `${schema.exclusiveMinimum ? "" : "or equal to "}${minimum}`);
  }
  if (maximum !== undefined) {
    if (schema.exclusiveMaximum ? !(v < maximum) : !(v <= maximum))
      errors.push(`${path}: Invalid value: ${v}: ${path} in body should be less than ` +
        `${schema.exclusiveMaximum ? "" : "or equal to "}${maximum}`);
  }
  const range = INT_RANGE[schema.format];
  if (schema.type === "integer" && range && (v < range[0] || v > range[1]))
    errors.push(`${path}: Invalid value: ${v}: ${path} in body must be of type ${schema.format}`);
}

function checkString(schema, v, path, errors) {
  const n = [...v].length;
  if (schema.minLength !== undefined && n < schema.minLength)
    errors.push(`${path}: Invalid value: "${v}": ${path} in body should be at least ${schema.minLength} chars long`);
  if (schema.maxLength !== undefined && n > schema.maxLength)
    errors.push(`${path}: Too long: may not be longer than ${schema.maxLength}`);
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(v))
    errors.push(`${path}: Invalid value: "${v}": ${path} in body should match '${schema.pattern}'`);
  if (schema.format === "date-time" && !RFC3339.test(v))
    errors.push(`${path}: Invalid value: "${v}": ${path} in body must be of type date-time: "${v}"`);
}

// OpenAPI checks. Returns nothing; appends apiserver-style messages to `errors`.
export function validateValue(schema, v, path, errors) {
  const t = schema.type;
  const actual = jsonType(v);
  const typeOk =
    !t || t === actual || (t === "number" && actual === "integer") ||
    (schema["x-kubernetes-int-or-string"] && (actual === "integer" || actual === "string"));
  if (!typeOk) {
    errors.push(`${path}: Invalid value: "${actual}": ${path} in body must be of type ${t}: "${actual}"`);
    return;
  }
  if (schema.enum && !schema.enum.some((e) => e === v)) {
    const shown = typeof v === "string" ? `"${v}"` : JSON.stringify(v);
    errors.push(`${path}: Unsupported value: ${shown}: supported values: ` +
      schema.enum.map((e) => JSON.stringify(e)).join(", "));
  }
  if (actual === "integer" || actual === "number") checkNumber(schema, v, path, errors);
  else if (actual === "string") checkString(schema, v, path, errors);
  else if (actual === "object") {
    for (const r of schema.required ?? []) if (!(r in v)) errors.push(`${join(path, r)}: Required value`);
    for (const [k, sub] of Object.entries(schema.properties ?? {}))
      if (k in v) validateValue(sub, v[k], join(path, k), errors);
  } else if (actual === "array") {
    if (schema.maxItems !== undefined && v.length > schema.maxItems)
      errors.push(`${path}: Too many: ${v.length}: must have at most ${schema.maxItems} items`);
    if (schema.minItems !== undefined && v.length < schema.minItems)
      errors.push(`${path}: Invalid value: ${v.length}: ${path} in body should have at least ${schema.minItems} items`);
    if (schema.items) v.forEach((item, i) => validateValue(schema.items, item, `${path}[${i}]`, errors));
    if (schema["x-kubernetes-list-type"] === "map") {
      const keys = schema["x-kubernetes-list-map-keys"] ?? [];
      const seen = new Set();
      v.forEach((item, i) => {
        const key = JSON.stringify(keys.map((k) => item?.[k]));
        if (seen.has(key)) {
          const shown = Object.fromEntries(keys.map((k) => [k, item?.[k]]));
          errors.push(`${path}[${i}]: Duplicate value: ${JSON.stringify(shown)}`);
        }
        seen.add(key);
      });
    }
  }
}

// Evaluates every x-kubernetes-validations rule that applies to `v`, depth first.
export function validateRules(schema, v, path, errors) {
  if (v === undefined) return;
  for (const { rule, message } of schema["x-kubernetes-validations"] ?? []) {
    const shown = isObject(v) ? "object" : Array.isArray(v) ? "array" : JSON.stringify(v);
    try {
      if (compile(rule)(v) !== true)
        errors.push(`${path}: Invalid value: "${shown}": ${message ?? `failed rule: ${rule}`}`);
    } catch (e) {
      if (!(e instanceof CelError)) throw e;
      errors.push(`${path}: Internal error: ${e.message} evaluating rule: ${rule}`);
    }
  }
  if (isObject(v))
    for (const [k, sub] of Object.entries(schema.properties ?? {})) validateRules(sub, v[k], join(path, k), errors);
  else if (Array.isArray(v) && schema.items)
    v.forEach((item, i) => validateRules(schema.items, item, `${path}[${i}]`, errors));
}

// Full admission of one object: returns {errors, object} with defaults applied to object.
export function admit(rootSchema, input) {
  const object = clone(input);
  const errors = unknownFields(rootSchema, object);
  dropNulls(rootSchema, object);
  applyDefaults(rootSchema, object);
  for (const part of ["spec", "status"]) {
    const sub = rootSchema.properties?.[part];
    if (sub && part in object) validateValue(sub, object[part], part, errors);
  }
  for (const r of rootSchema.required ?? []) if (!(r in object)) errors.push(`${r}: Required value`);
  if (errors.length === 0) {
    for (const part of ["spec", "status"]) {
      const sub = rootSchema.properties?.[part];
      if (sub) validateRules(sub, object[part], part, errors);
    }
  }
  return { errors, object };
}
