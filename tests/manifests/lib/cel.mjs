// A tiny evaluator for the subset of CEL that our CRD's x-kubernetes-validations use, so the
// tests evaluate the rule strings exactly as they stand in the CRD rather than a copy of them.
//
// Supported: null, bool, int and double literals, single- and double-quoted strings, list
// literals, field selection, has(a.b), size(x), int(x), double(x), the list macros
// x.all(v, p) and x.exists(v, p), unary ! and -, * / % + -, < <= > >= == != in, && || and ?:.
// && and || are commutative over errors as in CEL (false && error is false).
// Not supported: type checking (int and double are both JavaScript numbers), maps, bytes,
// durations, timestamps, string functions, oldSelf. An unsupported construct is a parse error,
// so a rule that uses one fails the CRD check instead of being silently skipped.

class CelError extends Error {}

const TOKEN = new RegExp(
  [
    /\s+/.source,
    /(\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)/.source, // 1 double
    /(\d+)/.source, // 2 int
    /"((?:[^"\\]|\\.)*)"/.source, // 3 double-quoted string
    /'((?:[^'\\]|\\.)*)'/.source, // 4 single-quoted string
    /([A-Za-z_][A-Za-z0-9_]*)/.source, // 5 identifier
    /(&&|\|\||==|!=|<=|>=|[<>!?:.,()[\]+\-*/%])/.source, // 6 operator
  ].join("|"),
  "y",
);

function tokenize(src) {
  const out = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new CelError(`unexpected character at ${at}: ${src.slice(at, at + 10)}`);
    if (m[1] !== undefined) out.push({ k: "num", v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ k: "num", v: Number(m[2]) });
    else if (m[3] !== undefined || m[4] !== undefined)
      out.push({ k: "str", v: (m[3] ?? m[4]).replace(/\\(.)/g, "$1") });
    else if (m[5] !== undefined) out.push({ k: "id", v: m[5] });
    else if (m[6] !== undefined) out.push({ k: "op", v: m[6] });
  }
  out.push({ k: "end" });
  return out;
}

// Recursive descent following CEL's grammar: Expr = Or ["?" Or ":" Expr].
function parse(src) {
  const t = tokenize(src);
  let i = 0;
  const peek = (v) => t[i].k === "op" && t[i].v === v;
  const eat = (v) => {
    if (!peek(v)) throw new CelError(`expected '${v}' in: ${src}`);
    i++;
  };
  const binary = (next, ops) => () => {
    let left = next();
    while (t[i].k === "op" && ops.includes(t[i].v)) {
      const op = t[i++].v;
      left = { n: "bin", op, l: left, r: next() };
    }
    return left;
  };
  const expr = () => {
    const c = or();
    if (!peek("?")) return c;
    i++;
    const a = or();
    eat(":");
    return { n: "cond", c, a, b: expr() };
  };
  const unary = () => {
    if (peek("!")) { i++; return { n: "not", x: unary() }; }
    if (peek("-")) { i++; return { n: "neg", x: unary() }; }
    return member();
  };
  const args = () => {
    const list = [];
    eat("(");
    if (!peek(")")) {
      list.push(expr());
      while (peek(",")) { i++; list.push(expr()); }
    }
    eat(")");
    return list;
  };
  const member = () => {
    let x = primary();
    for (;;) {
      if (peek(".")) {
        i++;
        if (t[i].k !== "id") throw new CelError(`expected field name in: ${src}`);
        const name = t[i++].v;
        if (peek("(")) {
          const a = args();
          if (!["all", "exists"].includes(name)) throw new CelError(`unsupported method ${name}`);
          if (a.length !== 2 || a[0].n !== "id") throw new CelError(`${name} needs (var, predicate)`);
          x = { n: "macro", name, target: x, v: a[0].name, p: a[1] };
        } else {
          x = { n: "sel", x, name };
        }
      } else if (peek("[")) {
        i++;
        const idx = expr();
        eat("]");
        x = { n: "index", x, idx };
      } else {
        return x;
      }
    }
  };
  const primary = () => {
    const tok = t[i++];
    if (tok.k === "num" || tok.k === "str") return { n: "lit", v: tok.v };
    if (tok.k === "op" && tok.v === "(") { const x = expr(); eat(")"); return x; }
    if (tok.k === "op" && tok.v === "[") {
      const items = [];
      if (!peek("]")) {
        items.push(expr());
        while (peek(",")) { i++; items.push(expr()); }
      }
      eat("]");
      return { n: "list", items };
    }
    if (tok.k === "id") {
      if (tok.v === "true" || tok.v === "false") return { n: "lit", v: tok.v === "true" };
      if (tok.v === "null") return { n: "lit", v: null };
      if (peek("(")) {
        const a = args();
        if (tok.v === "has") {
          if (a.length !== 1 || a[0].n !== "sel") throw new CelError("has() needs a field selection");
          return { n: "has", x: a[0].x, name: a[0].name };
        }
        if (!["size", "int", "double"].includes(tok.v)) throw new CelError(`unsupported function ${tok.v}`);
        if (a.length !== 1) throw new CelError(`${tok.v}() takes one argument`);
        return { n: "call", f: tok.v, x: a[0] };
      }
      return { n: "id", name: tok.v };
    }
    throw new CelError(`unexpected token in: ${src}`);
  };
  const mul = binary(unary, ["*", "/", "%"]);
  const add = binary(mul, ["+", "-"]);
  const rel = () => {
    let left = add();
    while ((t[i].k === "op" && ["<", "<=", ">", ">=", "==", "!="].includes(t[i].v)) ||
           (t[i].k === "id" && t[i].v === "in")) {
      const op = t[i++].v;
      left = { n: "bin", op, l: left, r: add() };
    }
    return left;
  };
  const and = binary(rel, ["&&"]);
  const or = binary(and, ["||"]);
  const ast = expr();
  if (t[i].k !== "end") throw new CelError(`trailing input in: ${src}`);
  return ast;
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function equal(a, b) {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, k) => equal(x, b[k]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => equal(a[k], b[k]));
  }
  return a === b;
}

function evaluate(node, env) {
  const ev = (x) => evaluate(x, env);
  switch (node.n) {
    case "lit": return node.v;
    case "list": return node.items.map(ev);
    case "id":
      if (!(node.name in env)) throw new CelError(`undeclared reference to '${node.name}'`);
      return env[node.name];
    case "sel": {
      const o = ev(node.x);
      if (!isObject(o) || !(node.name in o)) throw new CelError(`no such key: ${node.name}`);
      return o[node.name];
    }
    case "index": {
      const o = ev(node.x), k = ev(node.idx);
      if (Array.isArray(o) ? !(k >= 0 && k < o.length) : !(isObject(o) && k in o))
        throw new CelError(`index out of range: ${k}`);
      return o[k];
    }
    case "has": {
      const o = ev(node.x);
      if (!isObject(o)) throw new CelError(`has() on a non-object`);
      return node.name in o;
    }
    case "call": {
      const v = ev(node.x);
      if (node.f === "size") {
        if (typeof v === "string") return [...v].length;
        if (Array.isArray(v)) return v.length;
        if (isObject(v)) return Object.keys(v).length;
        throw new CelError("no such overload: size");
      }
      if (typeof v !== "number") throw new CelError(`no such overload: ${node.f}`);
      return node.f === "int" ? Math.trunc(v) : v;
    }
    case "macro": {
      const list = ev(node.target);
      if (!Array.isArray(list)) throw new CelError(`${node.name}() on a non-list`);
      const test = (item) => {
        const r = evaluate(node.p, { ...env, [node.v]: item });
        if (typeof r !== "boolean") throw new CelError("predicate is not a bool");
        return r;
      };
      return node.name === "all" ? list.every(test) : list.some(test);
    }
    case "not": {
      const v = ev(node.x);
      if (typeof v !== "boolean") throw new CelError("no such overload: !");
      return !v;
    }
    case "neg": {
      const v = ev(node.x);
      if (typeof v !== "number") throw new CelError("no such overload: -");
      return -v;
    }
    case "cond": {
      const c = ev(node.c);
      if (typeof c !== "boolean") throw new CelError("condition is not a bool");
      return c ? ev(node.a) : ev(node.b);
    }
    case "bin": return binaryOp(node, env);
  }
  throw new CelError(`internal: unknown node ${node.n}`);
}

function binaryOp(node, env) {
  const { op } = node;
  if (op === "&&" || op === "||") {
    // CEL's logical operators absorb an error when the other side decides the result.
    const short = op === "||";
    let lv, le, rv, re;
    try { lv = evaluate(node.l, env); } catch (e) { le = e; }
    if (lv === short) return short;
    try { rv = evaluate(node.r, env); } catch (e) { re = e; }
    if (rv === short) return short;
    if (le) throw le;
    if (re) throw re;
    if (typeof lv !== "boolean" || typeof rv !== "boolean") throw new CelError(`no such overload: ${op}`);
    return !short;
  }
  const l = evaluate(node.l, env), r = evaluate(node.r, env);
  switch (op) {
    case "==": return equal(l, r);
    case "!=": return !equal(l, r);
    case "in":
      if (!Array.isArray(r)) throw new CelError("no such overload: in");
      return r.some((x) => equal(x, l));
  }
  const bothNumbers = typeof l === "number" && typeof r === "number";
  const bothStrings = typeof l === "string" && typeof r === "string";
  if (["<", "<=", ">", ">="].includes(op)) {
    if (!bothNumbers && !bothStrings) throw new CelError(`no such overload: ${op}`);
    return op === "<" ? l < r : op === "<=" ? l <= r : op === ">" ? l > r : l >= r;
  }
  if (op === "+" && bothStrings) return l + r;
  if (op === "+" && Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
  if (!bothNumbers) throw new CelError(`no such overload: ${op}`);
  switch (op) {
    case "+": return l + r;
    case "-": return l - r;
    case "*": return l * r;
    case "/":
      if (r === 0) throw new CelError("division by zero");
      return l / r;
    case "%":
      if (r === 0) throw new CelError("modulus by zero");
      return l % r;
  }
  throw new CelError(`unsupported operator ${op}`);
}

// Compiles a rule; returns a function of `self` that returns true, false, or throws CelError.
export function compile(rule) {
  const ast = parse(rule);
  return (self) => evaluate(ast, { self });
}

export { CelError };
