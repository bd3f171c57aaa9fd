// Unit tests of the checker's own pieces (node --test): the CEL subset evaluator, the
// apiserver-style admission of lib/schema.mjs and the CRD lint. Table-driven: each case says
// why its expected value is what it is.

import { test } from "node:test";
import assert from "node:assert/strict";
import { compile, CelError } from "./lib/cel.mjs";
import { admit } from "./lib/schema.mjs";
import { lintCrd } from "./lib/crd_lint.mjs";

test("CEL: expressions evaluate as in CEL", () => {
  const self = { a: 1, b: 2.5, s: "x", list: [1, 2, 3], o: { k: 1 } };
  const cases = [
    ["self.a <= self.b", true],                          // int and double compare
    ["self.a + 1 == 2", true],
    ["-self.a < 0 && !(self.a > 1)", true],              // unary minus and not
    ["has(self.o) && !has(self.missing)", true],         // has() tests presence only
    ["self.missing > 0 || true", true],                  // || absorbs an error on one side
    ["false && self.missing > 0", false],                // && too
    ["self.a == 1 ? 'one' : 'other'", "one"],
    ["size(self.list) == 3 && size(self.s) == 1", true],
    ["self.list.all(x, x > 0)", true],
    ["self.list.exists(x, x > 2)", true],
    ["double(int(self.b)) == self.b", false],           // 2.5 is not whole
    ["double(int(2.0)) == 2.0", true],
    ["self.s in ['x', 'y']", true],
    ["self.list[1] == 2", true],
    ["7 % 4 * 2 - 1", 5],                                // precedence: ((7 % 4) * 2) - 1
    ["1 < 2 == true", true],                             // relations are left-associative
  ];
  for (const [rule, want] of cases) assert.equal(compile(rule)(self), want, rule);
});

test("CEL: errors are CelErrors", () => {
  const errs = [
    ["self.missing > 0", "no such key"],                 // selecting an absent field
    ["self.a && true", "no such overload"],              // non-bool operand
    ["1 / 0", "division by zero"],
  ];
  for (const [rule, msg] of errs)
    assert.throws(() => compile(rule)({ a: 1 }), (e) => e instanceof CelError && e.message.includes(msg), rule);
  for (const rule of ["self.a.matches('x')", "duration('1s') > 0", "self.a ==", "oldSelf == self"])
    assert.throws(() => compile(rule)({ a: 1 }), CelError, rule); // unsupported or malformed
});

const schema = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      required: ["max"],
      "x-kubernetes-validations": [{ rule: "self.min <= self.max", message: "min above max" }],
      properties: {
        min: { type: "integer", default: 1, minimum: 1 },
        max: { type: "integer" },
        opts: { type: "object", default: {}, properties: { q: { type: "number", default: 0.5 } } },
        noDefault: { type: "object", properties: { x: { type: "string", default: "d" } } },
        conds: {
          type: "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"],
          items: { type: "object", properties: { type: { type: "string" } } },
        },
      },
    },
  },
};

test("admission: defaults are applied top-down", () => {
  const { errors, object } = admit(schema, { spec: { max: 3 } });
  assert.deepEqual(errors, []);
  assert.equal(object.spec.min, 1);                      // scalar default
  assert.equal(object.spec.opts.q, 0.5);                 // default: {} materialises nested defaults
  assert.equal(object.spec.noDefault, undefined);        // a parent without default stays absent
});

test("admission: messages follow the apiserver's", () => {
  const cases = [
    [{ spec: { max: 3, extra: 1 } }, ['unknown field "spec.extra"']],
    [{ spec: {} }, ["spec.max: Required value"]],
    [{ spec: { max: "3" } }, ['spec.max: Invalid value: "string": spec.max in body must be of type integer: "string"']],
    // The rule runs only when the OpenAPI checks pass, as in the apiserver.
    [{ spec: { max: 0, min: 0 } }, ["spec.min: Invalid value: 0: spec.min in body should be greater than or equal to 1"]],
    [{ spec: { max: 1, min: 2 } }, ['spec: Invalid value: "object": min above max']],
    [{ spec: { max: 1, conds: [{ type: "A" }, { type: "A" }] } }, ['spec.conds[1]: Duplicate value: {"type":"A"}']],
    [{ spec: { max: 1, min: null } }, []],                // null is dropped, then defaulted
  ];
  for (const [obj, want] of cases) assert.deepEqual(admit(schema, obj).errors, want, JSON.stringify(obj));
});

function crd(root, columns = []) {
  return {
    metadata: { name: "things.example.dev" },
    spec: {
      group: "example.dev",
      names: { plural: "things", kind: "Thing" },
      versions: [{ name: "v1", storage: true, schema: { openAPIV3Schema: root }, additionalPrinterColumns: columns }],
    },
  };
}

test("CRD lint: catches what the apiserver or our API rules refuse", () => {
  const ok = { type: "object", properties: { spec: { type: "object", description: "d",
    properties: { n: { type: "integer", description: "d", default: 1, minimum: 0 } } } } };
  assert.deepEqual(lintCrd(crd(ok, [{ name: "N", type: "integer", jsonPath: ".spec.n" }])), []);

  const cases = [
    [{ type: "object", properties: { spec: { description: "d" } } }, "spec: structural schema needs a type"],
    [{ type: "object", properties: { spec: { type: "object" } } }, "spec: no description"],
    [{ type: "object", properties: { spec: { type: "integer", description: "d", minimum: 2, default: 1 } } },
      "default of spec is invalid: spec: Invalid value: 1: spec in body should be greater than or equal to 2"],
    [{ type: "object", properties: { spec: { type: "object", description: "d",
      "x-kubernetes-validations": [{ rule: "self.x.startsWith('a')" }] } } }, "rule does not compile"],
    [{ type: "object", properties: { spec: { type: "array", description: "d",
      items: { type: "object", description: "d", "x-kubernetes-validations": [{ rule: "true" }] } } } },
      "spec: items carry CEL rules but the list has no maxItems"],
  ];
  for (const [root, want] of cases)
    assert.ok(lintCrd(crd(root)).some((e) => e.includes(want)), `${want}: got ${lintCrd(crd(root))}`);
  assert.ok(lintCrd(crd(ok, [{ name: "N", type: "string", jsonPath: ".spec.n" }]))
    .some((e) => e.includes("type string does not match field type integer")));
  assert.ok(lintCrd(crd(ok, [{ name: "X", type: "string", jsonPath: ".spec.x" }]))
    .some((e) => e.includes(".spec.x is not in the schema")));
});
