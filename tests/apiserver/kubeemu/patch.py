"""PATCH bodies: RFC 6902 JSON patch, RFC 7386 merge patch, and the subset of
Kubernetes strategic merge patch our clients send (list merge keys for built-in
types, `$patch`, `$setElementOrder/`, `$retainKeys`, `$deleteFromPrimitiveList/`).

Each function returns a new document; PatchError means 422 (patch could not be
applied), MalformedPatch means 400 (body is not a patch).
"""
import copy
import json


class PatchError(Exception):
    pass


class MalformedPatch(Exception):
    pass


MAX_JSON_PATCH_OPS = 10000


# ---- RFC 7386 -----------------------------------------------------------------------------

def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


# ---- RFC 6902 -----------------------------------------------------------------------------

def _pointer(path):
    if path == "":
        return []
    if not path.startswith("/"):
        raise MalformedPatch(f"invalid JSON pointer {path!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _resolve(doc, parts, path):
    cur = doc
    for p in parts:
        if isinstance(cur, dict):
            if p not in cur:
                raise PatchError(f"doc is missing path: \"{path}\": missing value")
            cur = cur[p]
        elif isinstance(cur, list):
            try:
                i = int(p)
            except ValueError:
                raise PatchError(f"invalid array index {p!r} in \"{path}\"")
            if i < 0 or i >= len(cur):
                raise PatchError(f"doc is missing path: \"{path}\": missing value")
            cur = cur[i]
        else:
            raise PatchError(f"doc is missing path: \"{path}\": missing value")
    return cur


def _add(doc, parts, value, path):
    if not parts:
        return value
    parent = _resolve(doc, parts[:-1], path)
    last = parts[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        else:
            try:
                i = int(last)
            except ValueError:
                raise PatchError(f"invalid array index {last!r}")
            if i < 0 or i > len(parent):
                raise PatchError(f"add operation does not apply: doc is missing path: "
                                 f"\"{path}\": missing value")
            parent.insert(i, value)
    else:
        raise PatchError(f"add operation does not apply: doc is missing path: \"{path}\": "
                         "missing value")
    return doc


def _remove(doc, parts, path):
    if not parts:
        raise PatchError("unable to remove the root")
    parent = _resolve(doc, parts[:-1], path)
    last = parts[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(f"remove operation does not apply: doc is missing path: "
                             f"\"{path}\": missing value")
        return doc, parent.pop(last)
    if isinstance(parent, list):
        try:
            i = int(last)
        except ValueError:
            raise PatchError(f"invalid array index {last!r}")
        if i < 0 or i >= len(parent):
            raise PatchError(f"remove operation does not apply: doc is missing path: "
                             f"\"{path}\": missing value")
        return doc, parent.pop(i)
    raise PatchError(f"remove operation does not apply: doc is missing path: \"{path}\"")


def json_patch(doc, ops):
    if not isinstance(ops, list):
        raise MalformedPatch("json: cannot unmarshal object into Go value of type "
                             "jsonpatch.Patch")
    if len(ops) > MAX_JSON_PATCH_OPS:
        raise MalformedPatch(f"the allowed maximum operations in a JSON patch is "
                             f"{MAX_JSON_PATCH_OPS}, got {len(ops)}")
    doc = copy.deepcopy(doc)
    for op in ops:
        if not isinstance(op, dict) or "op" not in op:
            raise MalformedPatch("invalid JSON patch operation")
        kind = op["op"]
        if "path" not in op:
            raise MalformedPatch(f"operation missing path: {json.dumps(op)}")
        path = op["path"]
        parts = _pointer(path)
        if kind == "add":
            if "value" not in op:
                raise MalformedPatch("add operation missing value")
            doc = _add(doc, parts, copy.deepcopy(op["value"]), path)
        elif kind == "remove":
            doc, _ = _remove(doc, parts, path)
        elif kind == "replace":
            if "value" not in op:
                raise MalformedPatch("replace operation missing value")
            _resolve(doc, parts, path)
            if parts:
                doc, _ = _remove(doc, parts, path)
            doc = _add(doc, parts, copy.deepcopy(op["value"]), path)
        elif kind == "move":
            frm = _pointer(op.get("from", ""))
            doc, v = _remove(doc, frm, op.get("from"))
            doc = _add(doc, parts, v, path)
        elif kind == "copy":
            v = copy.deepcopy(_resolve(doc, _pointer(op.get("from", "")), op.get("from")))
            doc = _add(doc, parts, v, path)
        elif kind == "test":
            have = _resolve(doc, parts, path)
            if have != op.get("value"):
                raise PatchError(f"testing value {path} failed: test failed")
        else:
            raise MalformedPatch(f"Unexpected kind: {kind}")
    return doc


# ---- strategic merge patch ----------------------------------------------------------------

# patchMergeKey per list field name for the built-in types we serve (from the Go
# struct tags in K8S:api/core/v1/types.go, apps/v1/types.go, meta/v1/types.go).
MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name",
    "env": "name", "ports": "containerPort", "volumes": "name", "volumeMounts": "mountPath",
    "volumeDevices": "devicePath", "imagePullSecrets": "name", "conditions": "type",
    "ownerReferences": "uid", "hostAliases": "ip", "topologySpreadConstraints": "topologyKey",
    "tolerations": None, "secrets": "name",
}
PRIMITIVE_MERGE_LISTS = {"finalizers"}


def strategic_merge_patch(target, patch):
    if not isinstance(patch, dict):
        raise MalformedPatch("strategic merge patch must be a JSON object")
    return _smp_map(copy.deepcopy(target) if isinstance(target, dict) else {}, patch, "")


def _smp_map(out, patch, field):
    directive = patch.get("$patch")
    if directive == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if directive == "delete":
        return None
    if directive not in (None, "merge"):
        raise PatchError(f"Unknown patch type: {directive}")
    retain = patch.get("$retainKeys")
    for k, v in patch.items():
        if k in ("$patch", "$retainKeys"):
            continue
        if k.startswith("$setElementOrder/"):
            continue
        if k.startswith("$deleteFromPrimitiveList/"):
            name = k.split("/", 1)[1]
            if isinstance(out.get(name), list):
                out[name] = [x for x in out[name] if x not in (v or [])]
            continue
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict):
            merged = _smp_map(out[k] if isinstance(out.get(k), dict) else {}, v, k)
            if merged is None:
                out.pop(k, None)
            else:
                out[k] = merged
        elif isinstance(v, list) and isinstance(out.get(k), list):
            out[k] = _smp_list(out[k], v, k)
        elif isinstance(v, list):
            out[k] = [x for x in (_strip(x) for x in v) if x is not None]
        else:
            out[k] = copy.deepcopy(v)
    if isinstance(retain, list):
        for k in list(out):
            if k not in retain:
                del out[k]
    for k, v in patch.items():
        if k.startswith("$setElementOrder/"):
            name = k.split("/", 1)[1]
            if isinstance(out.get(name), list):
                out[name] = _order(out[name], v, MERGE_KEYS.get(name))
    return out


def _strip(x):
    if isinstance(x, dict):
        if x.get("$patch") == "delete":
            return None
        return {k: _strip(v) for k, v in x.items() if not k.startswith("$")}
    return x


def _smp_list(cur, patch, field):
    key = MERGE_KEYS.get(field)
    if field in PRIMITIVE_MERGE_LISTS:
        out = list(cur)
        for x in patch:
            if x not in out:
                out.append(x)
        return out
    if not key:
        if any(isinstance(x, dict) and x.get("$patch") == "replace" for x in patch):
            return [_strip(x) for x in patch if not (isinstance(x, dict) and "$patch" in x)]
        return [x for x in (_strip(x) for x in patch) if x is not None]
    out = copy.deepcopy(cur)
    for item in patch:
        if not isinstance(item, dict):
            raise PatchError(f"unable to merge list {field}: element is not a map")
        if item.get("$patch") == "replace":
            return [_strip(x) for x in patch if x.get("$patch") != "replace"]
        if key not in item:
            raise PatchError(f"map: {json.dumps(item)} does not contain declared merge key: "
                             f"{key}")
        idx = next((i for i, x in enumerate(out) if isinstance(x, dict)
                    and x.get(key) == item[key]), None)
        if item.get("$patch") == "delete":
            if idx is not None:
                out.pop(idx)
            continue
        if idx is None:
            out.append(_strip(item))
        else:
            out[idx] = _smp_map(out[idx], item, field)
    return out


def _order(items, order, key):
    if not key:
        return items
    pos = {}
    for i, o in enumerate(order or []):
        if isinstance(o, dict) and key in o:
            pos[o[key]] = i
    return sorted(items, key=lambda x: pos.get(x.get(key) if isinstance(x, dict) else None,
                                               len(pos)))
