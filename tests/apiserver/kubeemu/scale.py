"""The autoscaling/v1 Scale subresource for Deployments, StatefulSets, ReplicaSets,
ReplicationControllers and CRs.

Built-ins: K8S:pkg/registry/apps/deployment/storage/storage.go (scaleFromDeployment);
K8S:pkg/registry/core/replicationcontroller/storage/storage.go (scaleFromRC: the selector is
labels.SelectorFromSet of the RC's plain label map).
CRs: the CRD's specReplicasPath/statusReplicasPath/labelSelectorPath.
"""
from .errors import FieldError


def selector_string(sel):
    """metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key."""
    if not sel:
        return ""
    reqs = []
    for k, v in (sel.get("matchLabels") or {}).items():
        reqs.append((k, f"{k}={v}"))
    for e in sel.get("matchExpressions") or []:
        k, op, vals = e.get("key"), e.get("operator"), sorted(e.get("values") or [])
        if op == "In":
            reqs.append((k, f"{k} in ({','.join(vals)})"))
        elif op == "NotIn":
            reqs.append((k, f"{k} notin ({','.join(vals)})"))
        elif op == "Exists":
            reqs.append((k, k))
        elif op == "DoesNotExist":
            reqs.append((k, f"!{k}"))
    reqs.sort(key=lambda r: r[0])
    return ",".join(r[1] for r in reqs)


def get_path(obj, path):
    cur = obj
    for p in path.lstrip(".").split("."):
        if not isinstance(cur, dict) or p not in cur:
            return None
        cur = cur[p]
    return cur


def set_path(obj, path, value):
    parts = path.lstrip(".").split(".")
    cur = obj
    for p in parts[:-1]:
        if not isinstance(cur.get(p), dict):
            cur[p] = {}
        cur = cur[p]
    cur[parts[-1]] = value


def scale_of(rt, obj):
    """Returns the Scale object for obj, or None if spec replicas is absent (CRs)."""
    spec_path, status_path, sel_path = rt.scale_paths
    md = obj["metadata"]
    replicas = get_path(obj, spec_path)
    if rt.crd is not None and replicas is None:
        return None
    if rt.crd is None:
        selector = (obj.get("spec") or {}).get("selector")
        if rt.kind == "ReplicationController":
            selector = {"matchLabels": selector or {}}
        selector = selector_string(selector)
        replicas = 1 if replicas is None else replicas
    else:
        selector = get_path(obj, sel_path) if sel_path else ""
        selector = selector if isinstance(selector, str) else ""
    status_replicas = get_path(obj, status_path) or 0
    meta = {"name": md["name"], "uid": md.get("uid"),
            "resourceVersion": md.get("resourceVersion"),
            "creationTimestamp": md.get("creationTimestamp")}
    if rt.namespaced:
        meta = {"name": md["name"], "namespace": md.get("namespace"), **{
            k: v for k, v in meta.items() if k != "name"}}
    return {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": meta,
            "spec": {"replicas": replicas},
            "status": {"replicas": status_replicas, "selector": selector}}


def validate_scale(scale):
    errs = []
    r = (scale.get("spec") or {}).get("replicas")
    if r is None:
        r = 0
    if not isinstance(r, int) or isinstance(r, bool):
        errs.append(FieldError("Invalid", "spec.replicas", r, "must be an integer"))
    elif r < 0:
        errs.append(FieldError("Invalid", "spec.replicas", r,
                               "must be greater than or equal to 0"))
    return errs
