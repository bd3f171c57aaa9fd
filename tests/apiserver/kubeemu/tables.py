"""meta.k8s.io/v1 Table responses (contract §2.6, §6.7) so kubectl prints columns."""
import json
import re

NAME_COL = {"name": "Name", "type": "string", "format": "name",
            "description": "Name must be unique within a namespace. Is required when creating "
                           "resources, although some resources may allow a client to request "
                           "the generation of an appropriate name automatically.",
            "priority": 0}


def wants_table(accept):
    for part in (accept or "").split(","):
        params = [p.strip() for p in part.split(";")]
        kv = dict(p.split("=", 1) for p in params[1:] if "=" in p)
        if params[0] == "application/json" and kv.get("as") == "Table" and \
                kv.get("g") == "meta.k8s.io" and kv.get("v") in ("v1", "v1beta1"):
            return kv.get("v")
        if params[0] in ("application/json", "*/*", "application/*") and not kv:
            return None
    return None


def wants_partial(accept, list_):
    """The meta.k8s.io version if the Accept header asks for PartialObjectMetadata[List]
    (metadata-only clients) before plain JSON."""
    want = "PartialObjectMetadataList" if list_ else "PartialObjectMetadata"
    for part in (accept or "").split(","):
        params = [p.strip() for p in part.split(";")]
        kv = dict(p.split("=", 1) for p in params[1:] if "=" in p)
        if params[0] == "application/json" and kv.get("as") == want and \
                kv.get("g") == "meta.k8s.io" and kv.get("v") in ("v1", "v1beta1"):
            return kv.get("v")
        if params[0] in ("application/json", "*/*", "application/*") and not kv:
            return None
    return None


_TOKEN = re.compile(r"\.([A-Za-z0-9_\-]+)|\[(\d+)\]|\[\?\(@\.([A-Za-z0-9_.\-]+)\s*==\s*"
                    r"['\"]([^'\"]*)['\"]\)\]|\[\*\]")


def jsonpath(obj, path):
    """Subset of kubectl JSONPath: .a.b, [0], [*], [?(@.k=="v")]; {} braces optional."""
    path = path.strip()
    if path.startswith("{") and path.endswith("}"):
        path = path[1:-1]
    cur = [obj]
    pos = 0
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if not m:
            return None
        pos = m.end()
        nxt = []
        for c in cur:
            if m.group(1) is not None:
                if isinstance(c, dict) and m.group(1) in c:
                    nxt.append(c[m.group(1)])
            elif m.group(2) is not None:
                i = int(m.group(2))
                if isinstance(c, list) and i < len(c):
                    nxt.append(c[i])
            elif m.group(3) is not None:
                if isinstance(c, list):
                    for x in c:
                        v = x
                        for p in m.group(3).split("."):
                            v = v.get(p) if isinstance(v, dict) else None
                        if v is not None and str(v) == m.group(4):
                            nxt.append(x)
            else:
                if isinstance(c, list):
                    nxt.extend(c)
        cur = nxt
    if not cur:
        return None
    return cur[0] if len(cur) == 1 else cur


def _typed(value, ctype):
    """Values that don't match the declared column type are omitted (None)."""
    if value is None:
        return None
    if ctype == "integer":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if ctype == "number":
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if ctype == "boolean":
        return value if isinstance(value, bool) else None
    if ctype == "date":
        # The CR table convertor prints dates as ages (tableconvertor.go).
        try:
            from .meta import age
            return age({"metadata": {"creationTimestamp": str(value)}})
        except ValueError:
            return "<unknown>"
    if ctype == "string":
        if isinstance(value, (dict, list)):
            return json.dumps(value, separators=(",", ":"))
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    return value


def columns_for(rt):
    """[(definition, fn(obj) -> cell)]"""
    cols = [(NAME_COL, lambda o: o["metadata"]["name"])]
    if rt.crd is not None:
        pcs = rt.version_info.get("additionalPrinterColumns")
        if pcs is None:
            pcs = [{"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]
        for c in pcs:
            d = {"name": c["name"], "type": c["type"], "format": c.get("format", ""),
                 "description": c.get("description", ""), "priority": c.get("priority", 0)}
            cols.append((d, (lambda c: lambda o: _typed(jsonpath(o, c["jsonPath"]),
                                                        c["type"]))(c)))
        return cols
    for name, ctype, fn in (rt.columns or [("Created At", "date",
                                             lambda o: o["metadata"].get("creationTimestamp"))]):
        d = {"name": name, "type": ctype, "format": "", "description": "", "priority": 0}
        cols.append((d, fn))
    if rt.kind == "Event":
        # The event printer shows the name only with -o wide (priority 1), last.
        name_col, fn = cols.pop(0)
        cols.append((dict(name_col, priority=1), fn))
    return cols


def partial_metadata(obj, table_version):
    return {"kind": "PartialObjectMetadata", "apiVersion": f"meta.k8s.io/{table_version}",
            "metadata": obj["metadata"]}


def table(rt, objs, rv, table_version="v1", include_object="Metadata", headers=True):
    cols = columns_for(rt)
    rows = []
    for o in objs:
        row = {"cells": [fn(o) for _, fn in cols]}
        if include_object == "Object":
            row["object"] = o
        elif include_object != "None":
            row["object"] = partial_metadata(o, table_version)
        rows.append(row)
    t = {"kind": "Table", "apiVersion": f"meta.k8s.io/{table_version}",
         "metadata": {"resourceVersion": rv} if rv else {},
         "columnDefinitions": [d for d, _ in cols] if headers else [],
         "rows": rows}
    return t
