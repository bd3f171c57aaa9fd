"""JSON type checks for built-in objects: kube-apiserver decodes built-ins into Go
structs, so a value of the wrong JSON type is a 400 decode error, e.g.
`Event in version "v1" cannot be handled as a Event: json: cannot unmarshal string
into Go struct field Event.count of type int32`. Only the fields our clients write
are listed; others are not type-checked.
"""
from . import errors as E

STRING, INT32, INT64, BOOL, OBJECT, STRMAP, STRLIST = (
    "string", "int32", "int64", "bool", "object", "map[string]string", "[]string")

META = {"metadata.name": STRING, "metadata.generateName": STRING,
        "metadata.namespace": STRING, "metadata.resourceVersion": STRING,
        "metadata.uid": STRING, "metadata.generation": INT64, "metadata.labels": STRMAP,
        "metadata.annotations": STRMAP, "metadata.finalizers": STRLIST}
OBJECT_REF = {f"{k}": STRING for k in ("kind", "namespace", "name", "uid", "apiVersion",
                                       "resourceVersion", "fieldPath")}


def _ref(prefix):
    return {f"{prefix}.{k}": t for k, t in OBJECT_REF.items()}


WORKLOAD = {"spec.replicas": INT32, "spec.paused": BOOL, "spec.minReadySeconds": INT32,
            "spec.revisionHistoryLimit": INT32, "spec.progressDeadlineSeconds": INT32,
            "spec.selector": OBJECT, "spec.template": OBJECT, "spec.serviceName": STRING}
FIELDS = {
    ("", "Event"): {"count": INT32, "reason": STRING, "message": STRING, "type": STRING,
                    "action": STRING, "reportingComponent": STRING,
                    "reportingInstance": STRING, "firstTimestamp": STRING,
                    "lastTimestamp": STRING, "eventTime": STRING, "source": OBJECT,
                    "source.component": STRING, "source.host": STRING, "series": OBJECT,
                    "series.count": INT32, "series.lastObservedTime": STRING,
                    "involvedObject": OBJECT, **_ref("involvedObject"), **_ref("related")},
    ("events.k8s.io", "Event"): {"eventTime": STRING, "reportingController": STRING,
                                 "reportingInstance": STRING, "action": STRING,
                                 "reason": STRING, "note": STRING, "type": STRING,
                                 "deprecatedCount": INT32, "series": OBJECT,
                                 "series.count": INT32, "series.lastObservedTime": STRING,
                                 "regarding": OBJECT, **_ref("regarding"), **_ref("related")},
    ("coordination.k8s.io", "Lease"): {"spec": OBJECT, "spec.holderIdentity": STRING,
                                       "spec.leaseDurationSeconds": INT32,
                                       "spec.leaseTransitions": INT32,
                                       "spec.acquireTime": STRING, "spec.renewTime": STRING},
    ("apps", "Deployment"): WORKLOAD,
    ("apps", "StatefulSet"): WORKLOAD,
    ("", "ReplicationController"): {"spec.replicas": INT32, "spec.minReadySeconds": INT32,
                                    "spec.selector": STRMAP, "spec.template": OBJECT},
    ("", "ConfigMap"): {"data": STRMAP, "immutable": BOOL},
    ("", "Secret"): {"data": STRMAP, "stringData": STRMAP, "type": STRING, "immutable": BOOL},
}


def _json_type(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _ok(v, t):
    if v is None:
        return True  # null decodes to the zero value
    if t == STRING:
        return isinstance(v, str)
    if t in (INT32, INT64):
        return isinstance(v, int) and not isinstance(v, bool) or (
            isinstance(v, float) and v.is_integer())
    if t == BOOL:
        return isinstance(v, bool)
    if t == OBJECT:
        return isinstance(v, dict)
    if t == STRMAP:
        return isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
    if t == STRLIST:
        return isinstance(v, list) and all(isinstance(x, str) for x in v)
    return True


def _get(obj, path):
    cur = obj
    for p in path.split("."):
        if not isinstance(cur, dict) or p not in cur:
            return None, False
        cur = cur[p]
    return cur, True


def check(rt, obj):
    """Raises a 400 like the Go JSON decoder for a wrong JSON type."""
    if rt.crd is not None:
        return
    fields = dict(META, **FIELDS.get((rt.group, rt.kind), {}))
    for path, t in fields.items():
        v, present = _get(obj, path)
        if present and not _ok(v, t):
            jt = _json_type(v)
            if t in (STRMAP, STRLIST) and isinstance(v, (dict, list)):
                jt = "number" if any(isinstance(x, (int, float)) for x in (
                    v.values() if isinstance(v, dict) else v)) else "object"
            raise E.bad_request(
                f'{rt.kind} in version "{rt.version}" cannot be handled as a {rt.kind}: json: '
                f"cannot unmarshal {jt} into Go struct field {rt.kind}.{path} of type {t}")
