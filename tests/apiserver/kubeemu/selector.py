"""Label and field selectors (K8S:apimachinery/pkg/labels/selector.go, fields/selector.go).

parse_label_selector / parse_field_selector return a predicate or raise ValueError
with a message; callers turn that into a 400 BadRequest.
"""
import re

_TOKEN_RE = re.compile(r"\s*(\(|\)|,|!=|==|=|!|>|<|[^\s(),!=<>]+)")
_LABEL_KEY_RE = re.compile(
    r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
    r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
_LABEL_VALUE_RE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def _tokens(text):
    pos, out = 0, []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise ValueError(f"unable to parse requirement: invalid character at {pos}")
        out.append(m.group(1))
        pos = m.end()
    return out


def _check_key(k):
    if not _LABEL_KEY_RE.match(k) or len(k.split("/")[-1]) > 63:
        raise ValueError(f'unable to parse requirement: values[0][{k}]: Invalid value: "{k}": '
                         "name part must consist of alphanumeric characters, '-', '_' or '.', "
                         "and must start and end with an alphanumeric character")


def _check_value(v):
    if len(v) > 63 or not _LABEL_VALUE_RE.match(v):
        raise ValueError(f'unable to parse requirement: values[0]: Invalid value: "{v}": a valid '
                         "label must be an empty string or consist of alphanumeric characters, "
                         "'-', '_' or '.', and must start and end with an alphanumeric character")


def parse_label_selector(text):
    """Returns predicate(labels: dict) -> bool."""
    text = text or ""
    toks = _tokens(text)
    reqs = []
    i = 0
    ops = {"=", "==", "!=", "in", "notin", ">", "<"}

    def peek(k=0):
        return toks[i + k] if i + k < len(toks) else None

    while i < len(toks):
        neg = False
        if peek() == "!":
            neg = True
            i += 1
        key = peek()
        if key is None or key in ops or key in ("(", ")", ","):
            raise ValueError(f"found '{key}', expected: identifier")
        _check_key(key)
        i += 1
        if neg:
            reqs.append(("!", key, None))
        elif peek() is None or peek() == ",":
            reqs.append(("exists", key, None))
        else:
            op = peek()
            if op not in ops:
                raise ValueError(f"found '{op}', expected: in, notin, =, ==, !=, gt, lt")
            i += 1
            if op in ("in", "notin"):
                if peek() != "(":
                    raise ValueError(f"found '{peek()}', expected: '('")
                i += 1
                vals = []
                while True:
                    t = peek()
                    if t is None:
                        raise ValueError("found '', expected: ')'")
                    if t == ")":
                        if vals == [] or (toks[i - 1] == ","):
                            vals.append("")
                        i += 1
                        break
                    if t == ",":
                        if toks[i - 1] in ("(", ","):
                            vals.append("")
                        i += 1
                        continue
                    _check_value(t)
                    vals.append(t)
                    i += 1
                reqs.append((op, key, set(vals)))
            else:
                v = peek()
                if v is None or v in (",", ")", "("):
                    v = ""
                else:
                    i += 1
                if op in (">", "<"):
                    if not re.fullmatch(r"-?\d+", v):
                        raise ValueError("unable to parse requirement: for 'Gt', 'Lt' operators, "
                                         "the value must be an integer")
                    v = int(v)
                else:
                    _check_value(v)
                reqs.append((op, key, v))
        if peek() is not None:
            if peek() != ",":
                raise ValueError(f"found '{peek()}', expected: ',' or 'end of string'")
            i += 1
            if peek() is None:
                raise ValueError("found '', expected: identifier after ','")

    def match(labels):
        labels = labels or {}
        for op, k, v in reqs:
            has = k in labels
            val = labels.get(k)
            if op == "exists" and not has:
                return False
            if op == "!" and has:
                return False
            if op in ("=", "==") and (not has or val != v):
                return False
            if op == "!=" and has and val == v:
                return False
            if op == "in" and (not has or val not in v):
                return False
            if op == "notin" and has and val in v:
                return False
            if op in (">", "<"):
                if not has or not re.fullmatch(r"-?\d+", val or ""):
                    return False
                if op == ">" and not int(val) > v:
                    return False
                if op == "<" and not int(val) < v:
                    return False
        return True

    match.empty = not reqs
    return match


def _split_unescaped(s, sep):
    out, cur, i = [], "", 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur += c + s[i + 1]
            i += 2
            continue
        if c == sep:
            out.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    out.append(cur)
    return out


def _unescape(v):
    out, i = "", 0
    while i < len(v):
        if v[i] == "\\":
            if i + 1 >= len(v) or v[i + 1] not in "\\,=":
                raise ValueError(f"invalid field selector: invalid escape sequence in {v!r}")
            out += v[i + 1]
            i += 2
        else:
            out += v[i]
            i += 1
    return out


def parse_field_selector(text):
    """Returns a list of (field, op, value); op is '=' or '!='."""
    reqs = []
    if not text:
        return reqs
    for term in _split_unescaped(text, ","):
        if term == "":
            continue
        m = None
        for op in ("!=", "==", "="):
            idx = _find_unescaped(term, op)
            if idx >= 0:
                m = (term[:idx], "!=" if op == "!=" else "=", term[idx + len(op):])
                break
        if m is None:
            raise ValueError(f"invalid selector: '{text}'; can't understand '{term}'")
        reqs.append((m[0].strip(), m[1], _unescape(m[2])))
    return reqs


def _find_unescaped(term, op):
    i = 0
    while i < len(term):
        if term[i] == "\\":
            i += 2
            continue
        if term.startswith(op, i):
            # '!=' must not be mistaken for '='
            if op == "=" and i > 0 and term[i - 1] == "!":
                return -1
            return i
        i += 1
    return -1


def field_matcher(reqs, field_fn):
    """field_fn(obj) -> dict of field -> string value."""
    def match(obj):
        fields = field_fn(obj)
        for f, op, v in reqs:
            have = fields.get(f, "")
            if op == "=" and have != v:
                return False
            if op == "!=" and have == v:
                return False
        return True
    return match
