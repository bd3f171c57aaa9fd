"""Field ownership for server-side apply (metadata.managedFields).

A simplified structured-merge-diff: fields are leaf paths through maps; lists and
scalars are leaves (lists are owned as a whole: no per-item ownership by merge key).
Update operations (POST/PUT/PATCH) take ownership of the fields whose value they set
or changed; Apply operations own exactly the fields of their configuration, conflict
(409) with other managers that own a field the configuration changes unless
force=true, and remove fields they applied before but no longer apply when nobody
else owns them. Status written through /status is tracked with subresource "status".
"""
import copy

from .errors import ApiError
from .meta import now_rfc3339

SKIP_TOP = ("apiVersion", "kind")


def paths_of(obj, skip_status=False):
    """{path tuple: value} of the fields of obj that ownership is tracked for."""
    out = {}
    for k, v in obj.items():
        if k in SKIP_TOP or (skip_status and k == "status"):
            continue
        if k == "metadata":
            for mk in ("labels", "annotations"):
                for lk, lv in ((v or {}).get(mk) or {}).items():
                    out[("metadata", mk, lk)] = lv
            if (v or {}).get("finalizers"):
                out[("metadata", "finalizers")] = v["finalizers"]
            continue
        _leaves(v, (k,), out)
    return out


def _leaves(v, prefix, out):
    if isinstance(v, dict) and v:
        for k, x in v.items():
            _leaves(x, prefix + (k,), out)
    else:
        out[prefix] = v


def to_fields_v1(paths):
    root = {}
    for p in sorted(paths):
        cur = root
        for k in p:
            cur = cur.setdefault(f"f:{k}", {})
    return root


def from_fields_v1(fv1, prefix=()):
    out = set()
    for k, v in (fv1 or {}).items():
        if not k.startswith("f:"):
            continue
        p = prefix + (k[2:],)
        if v:
            out |= from_fields_v1(v, p)
        else:
            out.add(p)
    return out


def manager_of(req):
    fm = req.query.get("fieldManager")
    if fm:
        return fm
    ua = req.header("User-Agent") or "unknown"
    return ua.split("/")[0][:128]


def _entries(obj):
    return copy.deepcopy(obj.get("metadata", {}).get("managedFields") or [])


def set_entry(entries, manager, operation, api_version, paths, subresource):
    entries[:] = [e for e in entries if not (
        e["manager"] == manager and e["operation"] == operation and
        e.get("subresource", "") == subresource)]
    if paths:
        e = {"manager": manager, "operation": operation, "apiVersion": api_version,
             "time": now_rfc3339(), "fieldsType": "FieldsV1", "fieldsV1": to_fields_v1(paths)}
        if subresource:
            e["subresource"] = subresource
        entries.append(e)


def _drop_from_others(entries, paths, manager, operation, subresource):
    for e in entries:
        if e["manager"] == manager and e["operation"] == operation:
            continue
        if e.get("subresource", "") != subresource:
            continue
        owned = from_fields_v1(e["fieldsV1"])
        left = {p for p in owned if not any(_overlap(p, q) for q in paths)}
        e["fieldsV1"] = to_fields_v1(left)
    entries[:] = [e for e in entries if e["fieldsV1"]]


def _overlap(a, b):
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def record_update(new, old, manager, api_version, subresource, skip_status):
    """Ownership after a non-apply write of new over old (old None on create)."""
    entries = _entries(old) if old is not None else []
    np_ = paths_of(new, skip_status and subresource != "status")
    op_ = paths_of(old, skip_status and subresource != "status") if old is not None else {}
    if subresource == "status":
        np_ = {p: v for p, v in np_.items() if p[0] == "status"}
        op_ = {p: v for p, v in op_.items() if p[0] == "status"}
    changed = {p for p, v in np_.items() if p not in op_ or op_[p] != v}
    removed = {p for p in op_ if p not in np_}
    _drop_from_others(entries, changed | removed, None, None, subresource)
    mine = next((from_fields_v1(e["fieldsV1"]) for e in entries if e["manager"] == manager
                 and e["operation"] == "Update" and e.get("subresource", "") == subresource),
                set())
    mine = {p for p in mine if p not in removed} | changed
    set_entry(entries, manager, "Update", api_version, mine, subresource)
    new["metadata"]["managedFields"] = entries


def apply(live, config, manager, api_version, force, subresource, skip_status):
    """Returns the object after applying config over live (None: create), raising the
    409 FieldManagerConflict when another manager owns a field config changes."""
    cfg = paths_of(config, skip_status and subresource != "status")
    if subresource == "status":
        cfg = {p: v for p, v in cfg.items() if p[0] == "status"}
    entries = _entries(live) if live is not None else []
    cur = paths_of(live, False) if live is not None else {}
    conflicts = []
    for e in entries:
        if e["manager"] == manager and e["operation"] == "Apply":
            continue
        if e.get("subresource", "") != subresource:
            continue
        for p in sorted(from_fields_v1(e["fieldsV1"])):
            for q, v in cfg.items():
                if _overlap(p, q) and cur.get(q) != v:
                    conflicts.append((e["manager"], e["apiVersion"], q))
                    break
    if conflicts and not force:
        raise apply_conflict(conflicts)
    previous = next((from_fields_v1(e["fieldsV1"]) for e in entries if e["manager"] == manager
                     and e["operation"] == "Apply" and e.get("subresource", "") == subresource),
                    set())
    others = set()
    for e in entries:
        if not (e["manager"] == manager and e["operation"] == "Apply"):
            others |= from_fields_v1(e["fieldsV1"])
    from .patch import merge_patch
    result = merge_patch(live or {}, config)
    for p in previous:
        if p not in cfg and not any(_overlap(p, o) for o in others):
            _delete_path(result, p)
    if force:
        _drop_from_others(entries, set(cfg), manager, "Apply", subresource)
    set_entry(entries, manager, "Apply", api_version, set(cfg), subresource)
    result.setdefault("metadata", {})["managedFields"] = entries
    return result


def _delete_path(obj, path):
    cur = obj
    for k in path[:-1]:
        cur = cur.get(k) if isinstance(cur, dict) else None
        if cur is None:
            return
    if isinstance(cur, dict):
        cur.pop(path[-1], None)


def _dotted(path):
    return "." + ".".join(path)


def apply_conflict(conflicts):
    n = len(conflicts)
    causes = [{"reason": "FieldManagerConflict",
               "message": f'conflict with "{m}" using {av}', "field": _dotted(p)}
              for m, av, p in conflicts]
    if n == 1:
        m, av, p = conflicts[0]
        msg = f'Apply failed with 1 conflict: conflict with "{m}" using {av}: {_dotted(p)}'
    else:
        by = {}
        for m, av, p in conflicts:
            by.setdefault((m, av), []).append(_dotted(p))
        parts = []
        for (m, av), ps in by.items():
            parts.append(f'conflicts with "{m}" using {av}:\n' +
                         "\n".join(f"- {p}" for p in ps))
        msg = f"Apply failed with {n} conflicts: " + "\n".join(parts)
    return ApiError(409, "Conflict", msg, {"causes": causes})


def same_owners(a, b):
    """True if both objects have the same managers owning the same fields."""
    def key(o):
        return sorted((e["manager"], e["operation"], e.get("subresource", ""),
                       repr(e["fieldsV1"])) for e in o["metadata"].get("managedFields") or [])
    return key(a) == key(b)
