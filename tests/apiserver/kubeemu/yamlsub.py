"""A YAML subset parser, enough for Kubernetes manifests as `helm template` and
kubectl write them: block mappings and sequences, flow [..] and {..}, quoted and
plain scalars, `|`/`>` block scalars, comments and `---` document separators.
No anchors, aliases, tags or multi-line plain scalars (ValueError if met)."""
import json
import re

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def load_all(text):
    docs, cur = [], []
    for line in text.splitlines():
        if re.match(r"^---(\s|$)", line) or line.rstrip() == "...":
            docs.append("\n".join(cur))
            cur = []
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                cur.append(rest)
        else:
            cur.append(line)
    docs.append("\n".join(cur))
    out = []
    for d in docs:
        v = load(d)
        if v is not None:
            out.append(v)
    return out


def load(text):
    s = text.strip()
    if s.startswith("{") or s.startswith("["):
        try:
            return json.loads(s)
        except ValueError:
            pass
    lines = []
    for raw in text.splitlines():
        if "\t" in raw[:len(raw) - len(raw.lstrip())]:
            raise ValueError("tabs are not allowed for indentation")
        lines.append(raw.rstrip())
    p = _Parser(lines)
    p.skip_blank()
    if p.i >= len(lines):
        return None
    v = p.block(p.indent_of(p.i))
    p.skip_blank()
    if p.i < len(lines):
        raise ValueError(f"line {p.i + 1}: unexpected content {lines[p.i]!r}")
    return v


def _strip_comment(s):
    out, q = [], None
    for i, c in enumerate(s):
        if q:
            if c == q:
                q = None
            out.append(c)
            continue
        if c in "\"'" and (i == 0 or s[i - 1] in " \t:[{,-"):
            q = c
        elif c == "#" and (i == 0 or s[i - 1] in " \t"):
            break
        out.append(c)
    return "".join(out).rstrip()


class _Parser:
    def __init__(self, lines):
        self.lines = lines
        self.i = 0

    def indent_of(self, i):
        line = self.lines[i]
        return len(line) - len(line.lstrip(" "))

    def content(self, i):
        return _strip_comment(self.lines[i])

    def skip_blank(self):
        while self.i < len(self.lines) and not self.content(self.i).strip():
            self.i += 1

    def block(self, indent):
        self.skip_blank()
        text = self.content(self.i).strip()
        if text.startswith("- ") or text == "-":
            return self.sequence(indent)
        if _key_split(text) is not None:
            return self.mapping(indent)
        self.i += 1
        return scalar(text)

    def sequence(self, indent):
        out = []
        while True:
            self.skip_blank()
            if self.i >= len(self.lines) or self.indent_of(self.i) != indent:
                break
            text = self.content(self.i).strip()
            if not (text.startswith("- ") or text == "-"):
                break
            rest = text[1:].strip()
            if not rest:
                self.i += 1
                self.skip_blank()
                out.append(self.block(self.indent_of(self.i)) if self.i < len(self.lines)
                           and self.indent_of(self.i) > indent else None)
                continue
            # Treat "- rest" as a nested block starting at the column of rest.
            col = indent + (len(text) - len(rest))
            self.lines[self.i] = " " * col + rest
            out.append(self.block(col))
        return out

    def mapping(self, indent):
        out = {}
        while True:
            self.skip_blank()
            if self.i >= len(self.lines) or self.indent_of(self.i) != indent:
                break
            text = self.content(self.i).strip()
            kv = _key_split(text)
            if kv is None:
                break
            key, rest = kv
            self.i += 1
            if rest in ("|", "|-", "|+", ">", ">-", ">+"):
                out[key] = self.block_scalar(indent, rest)
            elif rest:
                out[key] = scalar(rest)
            else:
                self.skip_blank()
                if self.i < len(self.lines) and (self.indent_of(self.i) > indent or (
                        self.indent_of(self.i) == indent and
                        self.content(self.i).strip().startswith("-"))):
                    out[key] = self.block(self.indent_of(self.i))
                else:
                    out[key] = None
        return out

    def block_scalar(self, indent, style):
        lines = []
        block_indent = None
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            if raw.strip() == "":
                lines.append("")
                self.i += 1
                continue
            ind = len(raw) - len(raw.lstrip(" "))
            if ind <= indent:
                break
            if block_indent is None:
                block_indent = ind
            lines.append(raw[block_indent:])
            self.i += 1
        while lines and lines[-1] == "" and not style.endswith("+"):
            lines.pop()
        if style.startswith("|"):
            text = "\n".join(lines)
        else:
            text = " ".join(x for x in lines)
        if not style.endswith("-"):
            text += "\n"
        return text


def _key_split(text):
    if text.startswith(("'", '"')):
        q = text[0]
        end = text.find(q, 1)
        if end > 0 and text[end + 1:end + 2] == ":" and text[end + 2:end + 3] in ("", " "):
            return scalar(text[:end + 1]), text[end + 2:].strip()
        return None
    m = re.match(r"^([^\s\[\]{},#&*!|>'\"%@`][^:]*?|[^\s:]*):(\s+(.*)|$)", text)
    if not m or text.startswith("- "):
        return None
    return m.group(1).strip(), (m.group(3) or "").strip()


def scalar(text):
    t = text.strip()
    if t.startswith("[") or t.startswith("{"):
        v, pos = _flow(t, 0)
        if t[pos:].strip():
            raise ValueError(f"unexpected text after flow collection: {t[pos:]!r}")
        return v
    if t.startswith('"'):
        return json.loads(t)
    if t.startswith("'"):
        if not t.endswith("'") or len(t) < 2:
            raise ValueError(f"unterminated string {t!r}")
        return t[1:-1].replace("''", "'")
    if t.startswith(("&", "*", "!")):
        raise ValueError(f"YAML anchors, aliases and tags are not supported: {t!r}")
    if t in ("", "~", "null", "Null", "NULL"):
        return None
    if t in ("true", "True", "TRUE"):
        return True
    if t in ("false", "False", "FALSE"):
        return False
    if _INT.match(t):
        return int(t)
    if _FLOAT.match(t) and any(c.isdigit() for c in t):
        return float(t)
    return t


def _flow(s, pos):
    while s[pos] == " ":
        pos += 1
    if s[pos] == "[":
        out, pos = [], pos + 1
        while True:
            while s[pos] in " ,":
                pos += 1
            if s[pos] == "]":
                return out, pos + 1
            v, pos = _flow(s, pos)
            out.append(v)
    if s[pos] == "{":
        out, pos = {}, pos + 1
        while True:
            while s[pos] in " ,":
                pos += 1
            if s[pos] == "}":
                return out, pos + 1
            k, pos = _flow_scalar(s, pos, key=True)
            while s[pos] == " ":
                pos += 1
            if s[pos] != ":":
                raise ValueError("expected ':' in flow mapping")
            v, pos = _flow(s, pos + 1)
            out[k] = v
    return _flow_scalar(s, pos)


def _flow_scalar(s, pos, key=False):
    while s[pos] == " ":
        pos += 1
    if s[pos] in "\"'":
        q = s[pos]
        end = pos + 1
        while True:
            end = s.index(q, end)
            if q == '"' and s[end - 1] == "\\":
                end += 1
                continue
            if q == "'" and s[end + 1:end + 2] == "'":
                end += 2
                continue
            break
        return scalar(s[pos:end + 1]), end + 1
    stop = ":,]}" if key else ",]}"
    end = pos
    while end < len(s) and s[end] not in stop:
        end += 1
    return scalar(s[pos:end]), end
