"""A subset of CEL for CRD x-kubernetes-validations rules
(K8S:apiextensions-apiserver/pkg/apiserver/schema/cel/validation.go).

Supported: literals (int, double, string, bool, null, lists, maps), self/oldSelf,
field selection, indexing, `has()`, `size()`, arithmetic, comparisons, `in`,
&&, ||, !, ?:, string methods (startsWith, endsWith, contains, matches, size,
lowerAscii, upperAscii), list macros (all, exists, exists_one, map, filter),
int(), double(), string(), type checks are not supported. A rule that uses
anything else fails CRD creation with a 422 (so tests never rely on an unchecked
rule). Messages: `message`, `messageExpression`, or `failed rule: <rule>`.
"""
import re

from .errors import FieldError

_TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+\.\d+(?:[eE][-+]?\d+)?|\d+[uU]?)|
    (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|
    (?P<op>&&|\|\||==|!=|<=|>=|[-+*/%<>!?:.,()\[\]{}])|
    (?P<id>[A-Za-z_][A-Za-z0-9_]*))""", re.X)


class CelError(Exception):
    pass


class _Missing(Exception):
    pass


def tokenize(src):
    pos, out = 0, []
    while pos < len(src):
        if src[pos:].strip() == "":
            break
        m = _TOKEN.match(src, pos)
        if not m:
            raise CelError(f"Syntax error: unexpected character at {pos}: {src[pos:pos + 10]!r}")
        pos = m.end()
        kind = m.lastgroup
        text = m.group(kind)
        out.append((kind, text))
    out.append(("eof", ""))
    return out


class Parser:
    def __init__(self, src):
        self.toks = tokenize(src)
        self.i = 0

    def peek(self):
        return self.toks[self.i]

    def take(self, text=None):
        t = self.toks[self.i]
        if text is not None and t[1] != text:
            raise CelError(f"Syntax error: expected {text!r}, found {t[1]!r}")
        self.i += 1
        return t

    def parse(self):
        e = self.expr()
        if self.peek()[0] != "eof":
            raise CelError(f"Syntax error: unexpected {self.peek()[1]!r}")
        return e

    def expr(self):
        c = self.binary(0)
        if self.peek()[1] == "?":
            self.take()
            a = self.expr()
            self.take(":")
            b = self.expr()
            return ("cond", c, a, b)
        return c

    LEVELS = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">=", "in"], ["+", "-"],
              ["*", "/", "%"]]

    def binary(self, level):
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek()[1] in self.LEVELS[level] and self.peek()[0] in ("op", "id"):
            op = self.take()[1]
            right = self.binary(level + 1)
            left = ("bin", op, left, right)
        return left

    def unary(self):
        if self.peek()[1] in ("!", "-") and self.peek()[0] == "op":
            op = self.take()[1]
            return ("un", op, self.unary())
        return self.postfix(self.primary())

    def args(self):
        self.take("(")
        out = []
        while self.peek()[1] != ")":
            out.append(self.expr())
            if self.peek()[1] == ",":
                self.take()
        self.take(")")
        return out

    def postfix(self, e):
        while True:
            t = self.peek()[1]
            if t == ".":
                self.take()
                name = self.take()[1]
                if self.peek()[1] == "(":
                    e = ("method", name, e, self.args())
                else:
                    e = ("field", e, name)
            elif t == "[":
                self.take()
                idx = self.expr()
                self.take("]")
                e = ("index", e, idx)
            else:
                return e

    def primary(self):
        kind, text = self.take()
        if kind == "num":
            if "." in text or "e" in text or "E" in text:
                return ("lit", float(text))
            return ("lit", int(text.rstrip("uU")))
        if kind == "str":
            body = text[1:-1]
            return ("lit", bytes(body, "utf-8").decode("unicode_escape"))
        if kind == "id":
            if text in ("true", "false"):
                return ("lit", text == "true")
            if text == "null":
                return ("lit", None)
            if self.peek()[1] == "(":
                return ("call", text, self.args())
            return ("var", text)
        if text == "(":
            e = self.expr()
            self.take(")")
            return e
        if text == "[":
            items = []
            while self.peek()[1] != "]":
                items.append(self.expr())
                if self.peek()[1] == ",":
                    self.take()
            self.take("]")
            return ("list", items)
        if text == "{":
            items = []
            while self.peek()[1] != "}":
                k = self.expr()
                self.take(":")
                items.append((k, self.expr()))
                if self.peek()[1] == ",":
                    self.take()
            self.take("}")
            return ("map", items)
        raise CelError(f"Syntax error: unexpected {text!r}")


MACROS = {"all", "exists", "exists_one", "map", "filter"}
METHODS = {"startsWith", "endsWith", "contains", "matches", "size", "lowerAscii", "upperAscii"}
FUNCS = {"has", "size", "int", "double", "string"}


def check(ast):
    """Raises CelError for constructs outside the supported subset."""
    k = ast[0]
    if k == "call":
        if ast[1] not in FUNCS:
            raise CelError(f"undeclared reference to '{ast[1]}'")
        if ast[1] == "has" and (len(ast[2]) != 1 or ast[2][0][0] != "field"):
            raise CelError("invalid argument to has() macro")
        for a in ast[2]:
            check(a)
    elif k == "method":
        if ast[1] not in METHODS | MACROS:
            raise CelError(f"undeclared reference to '{ast[1]}'")
        check(ast[2])
        if ast[1] in MACROS:
            if len(ast[3]) != 2 or ast[3][0][0] != "var":
                raise CelError(f"invalid arguments to {ast[1]}() macro")
            check(ast[3][1])
        else:
            for a in ast[3]:
                check(a)
    elif k == "var":
        pass
    elif k in ("bin",):
        check(ast[2])
        check(ast[3])
    elif k == "un":
        check(ast[2])
    elif k == "cond":
        for a in ast[1:]:
            check(a)
    elif k == "field":
        check(ast[1])
    elif k == "index":
        check(ast[1])
        check(ast[2])
    elif k == "list":
        for a in ast[1]:
            check(a)
    elif k == "map":
        for a, b in ast[1]:
            check(a)
            check(b)


def uses_old_self(ast):
    if isinstance(ast, tuple):
        if ast == ("var", "oldSelf"):
            return True
        return any(uses_old_self(x) for x in ast[1:])
    if isinstance(ast, list):
        return any(uses_old_self(x) for x in ast)
    return False


def evaluate(ast, env):
    k = ast[0]
    if k == "lit":
        return ast[1]
    if k == "var":
        if ast[1] not in env:
            raise CelError(f"undeclared reference to '{ast[1]}'")
        return env[ast[1]]
    if k == "field":
        obj = evaluate(ast[1], env)
        if not isinstance(obj, dict) or ast[2] not in obj:
            raise _Missing(f"no such key: {ast[2]}")
        return obj[ast[2]]
    if k == "index":
        obj, idx = evaluate(ast[1], env), evaluate(ast[2], env)
        try:
            return obj[idx]
        except (KeyError, IndexError, TypeError):
            raise _Missing(f"no such key: {idx}")
    if k == "list":
        return [evaluate(a, env) for a in ast[1]]
    if k == "map":
        return {evaluate(a, env): evaluate(b, env) for a, b in ast[1]}
    if k == "un":
        v = evaluate(ast[2], env)
        return (not v) if ast[1] == "!" else -v
    if k == "cond":
        return evaluate(ast[2] if evaluate(ast[1], env) else ast[3], env)
    if k == "bin":
        op = ast[1]
        if op == "&&":
            return bool(evaluate(ast[2], env)) and bool(evaluate(ast[3], env))
        if op == "||":
            return bool(evaluate(ast[2], env)) or bool(evaluate(ast[3], env))
        a, b = evaluate(ast[2], env), evaluate(ast[3], env)
        if op == "in":
            return a in b
        if op in ("==", "!="):
            return (a == b) == (op == "==")
        if op in ("<", "<=", ">", ">="):
            if type(a) is bool or type(b) is bool or (isinstance(a, str) != isinstance(b, str)):
                raise CelError(f"no such overload: {op}")
            return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            if b == 0:
                raise CelError("division by zero")
            return a // b if isinstance(a, int) and isinstance(b, int) else a / b
        if op == "%":
            return a % b
    if k == "call":
        name, args = ast[1], ast[2]
        if name == "has":
            f = args[0]
            try:
                obj = evaluate(f[1], env)
            except _Missing:
                return False
            return isinstance(obj, dict) and f[2] in obj
        v = evaluate(args[0], env)
        if name == "size":
            return len(v)
        if name == "int":
            return int(v)
        if name == "double":
            return float(v)
        if name == "string":
            return v if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)
    if k == "method":
        name, target, args = ast[1], evaluate(ast[2], env), ast[3]
        if name in MACROS:
            var, body = args[0][1], args[1]
            items = list(target.keys()) if isinstance(target, dict) else target
            results = [evaluate(body, dict(env, **{var: x})) for x in items]
            if name == "all":
                return all(results)
            if name == "exists":
                return any(results)
            if name == "exists_one":
                return sum(1 for r in results if r) == 1
            if name == "map":
                return results
            return [x for x, r in zip(items, results) if r]
        vals = [evaluate(a, env) for a in args]
        if name == "size":
            return len(target)
        if name == "startsWith":
            return target.startswith(vals[0])
        if name == "endsWith":
            return target.endswith(vals[0])
        if name == "contains":
            return vals[0] in target
        if name == "matches":
            return re.search(vals[0], target) is not None
        if name == "lowerAscii":
            return target.lower()
        if name == "upperAscii":
            return target.upper()
    raise CelError(f"unsupported expression {k}")


def compile_rule(rule):
    ast = Parser(rule).parse()
    check(ast)
    return ast


def check_schema_rules(schema, path):
    """FieldErrors for rules this subset cannot compile (on CRD create/update)."""
    errs = []

    def walk(s, p):
        if not isinstance(s, dict):
            return
        for i, r in enumerate(s.get("x-kubernetes-validations") or []):
            for key in ("rule", "messageExpression"):
                if r.get(key):
                    try:
                        compile_rule(r[key])
                    except CelError as ex:
                        errs.append(FieldError("Invalid", f"{p}.x-kubernetes-validations[{i}]."
                                                          f"{key}", r[key],
                                               f"compilation failed: ERROR: {ex}"))
        for name, sub in (s.get("properties") or {}).items():
            walk(sub, f"{p}.properties[{name}]")
        if isinstance(s.get("additionalProperties"), dict):
            walk(s["additionalProperties"], f"{p}.additionalProperties")
        if isinstance(s.get("items"), dict):
            walk(s["items"], f"{p}.items")
    walk(schema, path)
    return errs


def validate(obj, old, schema):
    """Evaluates every rule against obj (old for transition rules); returns FieldErrors."""
    errs = []
    body = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
    old_body = None if old is None else {k: v for k, v in old.items()
                                         if k not in ("apiVersion", "kind", "metadata")}
    _walk(body, old_body, schema, "", errs, old is not None)
    return errs


_REASONS = {"FieldValueInvalid": "Invalid", "FieldValueForbidden": "Forbidden",
            "FieldValueRequired": "Required", "FieldValueDuplicate": "Duplicate"}


def _walk(v, old, s, path, errs, has_old):
    if not isinstance(s, dict) or v is None:
        return
    for r in s.get("x-kubernetes-validations") or []:
        ast = compile_rule(r["rule"])
        transition = uses_old_self(ast)
        if transition and (old is None and not r.get("optionalOldSelf")):
            continue
        env = {"self": v}
        if transition:
            env["oldSelf"] = old
        try:
            ok = evaluate(ast, env)
            err_detail = None
        except (_Missing, CelError, TypeError, ValueError) as ex:
            ok, err_detail = False, f"{ex} evaluating rule: {r['rule']}"
        if ok is True:
            continue
        if err_detail is not None:
            msg = err_detail
        elif r.get("messageExpression"):
            try:
                msg = str(evaluate(compile_rule(r["messageExpression"]), env))
            except (CelError, _Missing):
                msg = r.get("message") or f"failed rule: {r['rule']}"
        else:
            msg = r.get("message") or f"failed rule: {r['rule']}"
        field = path + (r.get("fieldPath") or "") if r.get("fieldPath") else path
        field = field.lstrip(".")
        kind = _REASONS.get(r.get("reason") or "FieldValueInvalid", "Invalid")
        if kind in ("Invalid", "Duplicate"):
            e = FieldError(kind, field, None, msg)
            e.value_text = f'"{s.get("type") or "object"}"'
        else:
            e = FieldError(kind, field, detail=msg, has_value=False)
        errs.append(e)
    if isinstance(v, dict):
        props = s.get("properties") or {}
        ap = s.get("additionalProperties")
        for k, x in v.items():
            sub = props.get(k) if k in props else (ap if isinstance(ap, dict) else None)
            if sub is not None:
                ox = old.get(k) if isinstance(old, dict) else None
                _walk(x, ox, sub, f"{path}.{k}" if path else k, errs, has_old)
    elif isinstance(v, list) and isinstance(s.get("items"), dict):
        for i, x in enumerate(v):
            _walk(x, None, s["items"], f"{path}[{i}]", errs, has_old)
