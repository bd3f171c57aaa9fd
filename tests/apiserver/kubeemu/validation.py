"""Validation of built-in types: the subset of K8S:pkg/apis/*/validation that our
clients can trip over. Each function takes (obj, old_or_None) and returns FieldErrors."""
import re

from .errors import FieldError
from .meta import DNS1123_LABEL, validate_name

_QUALIFIED = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                        r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_CM_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def _int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def validate_namespace(obj, old):
    return validate_name(obj["metadata"].get("name"), label=True) if old is None else []


def _validate_data_keys(obj, field):
    errs = []
    for k in (obj.get(field) or {}):
        if len(k) > 253 or not _CM_KEY.match(k):
            errs.append(FieldError("Invalid", f"{field}[{k}]", k,
                                   "a valid config key must consist of alphanumeric characters, "
                                   "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
                                   "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"))
    return errs


def validate_configmap(obj, old):
    errs = _validate_data_keys(obj, "data") + _validate_data_keys(obj, "binaryData")
    for k, val in (obj.get("data") or {}).items():
        if not isinstance(val, str):
            errs.append(FieldError("TypeInvalid", f"data[{k}]", val, "must be a string"))
    if old is not None and old.get("immutable") and (
            old.get("data") != obj.get("data") or old.get("binaryData") != obj.get("binaryData")):
        errs.append(FieldError("Forbidden", "data",
                               detail="field is immutable when `immutable` is set",
                               has_value=False))
    return errs


def validate_secret(obj, old):
    return _validate_data_keys(obj, "data")


def _validate_pod_template(spec, path):
    errs = []
    tmpl = spec.get("template")
    if not isinstance(tmpl, dict):
        return [FieldError("Required", f"{path}.template", has_value=False)]
    containers = (tmpl.get("spec") or {}).get("containers")
    if not containers:
        errs.append(FieldError("Required", f"{path}.template.spec.containers", has_value=False))
    else:
        for i, c in enumerate(containers):
            if not c.get("name"):
                errs.append(FieldError("Required", f"{path}.template.spec.containers[{i}].name",
                                       has_value=False))
            elif not DNS1123_LABEL.match(c["name"]):
                errs.append(FieldError("Invalid", f"{path}.template.spec.containers[{i}].name",
                                       c["name"], "a lowercase RFC 1123 label must consist of "
                                       "lower case alphanumeric characters or '-'"))
            if not c.get("image"):
                errs.append(FieldError("Required", f"{path}.template.spec.containers[{i}].image",
                                       has_value=False))
    return errs


def _validate_replicas(spec):
    r = spec.get("replicas")
    if r is not None and (not _int(r) or r < 0):
        return [FieldError("Invalid", "spec.replicas", r, "must be greater than or equal to 0")]
    return []


def _validate_workload(obj, old):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return [FieldError("Required", "spec", has_value=False)]
    errs = _validate_replicas(spec)
    sel = spec.get("selector")
    if not isinstance(sel, dict) or not (sel.get("matchLabels") or sel.get("matchExpressions")):
        errs.append(FieldError("Required", "spec.selector", has_value=False))
        errs.append(FieldError("Invalid", "spec.selector", sel or {},
                               "empty selector is invalid for deployment"))
    else:
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        from .scale import selector_string
        from .selector import parse_label_selector
        if not parse_label_selector(selector_string(sel))(labels):
            go = "map[string]string{" + ", ".join(f'"{k}":"{v}"' for k, v in
                                                 sorted(labels.items())) + "}"
            errs.append(FieldError("Invalid", "spec.template.metadata.labels", None,
                                   "`selector` does not match template `labels`"))
            errs[-1].value_text = go
        if old is not None and (old.get("spec") or {}).get("selector") != sel:
            errs.append(FieldError("Invalid", "spec.selector", None,
                                   "field is immutable"))
    errs += _validate_pod_template(spec, "spec")
    return errs


validate_deployment = _validate_workload
validate_statefulset = _validate_workload


def validate_replication_controller(obj, old):
    """ValidateReplicationControllerSpec: the selector is a plain label map (mutable, unlike
    a Deployment's), required, and must match the template's labels."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return [FieldError("Required", "spec", has_value=False)]
    errs = _validate_replicas(spec)
    sel = spec.get("selector")
    if not isinstance(sel, dict) or not sel:
        errs.append(FieldError("Required", "spec.selector", has_value=False))
    else:
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if any(labels.get(k) != v for k, v in sel.items()):
            errs.append(FieldError("Invalid", "spec.template.metadata.labels", labels,
                                   "`selector` does not match template `labels`"))
    return errs + _validate_pod_template(spec, "spec")


def validate_lease(obj, old):
    errs = []
    spec = obj.get("spec") or {}
    d = spec.get("leaseDurationSeconds")
    if d is not None and (not _int(d) or d <= 0):
        errs.append(FieldError("Invalid", "spec.leaseDurationSeconds", d,
                               "must be greater than 0"))
    t = spec.get("leaseTransitions")
    if t is not None and (not _int(t) or t < 0):
        errs.append(FieldError("Invalid", "spec.leaseTransitions", t,
                               "must be greater than or equal to 0"))
    for f in ("acquireTime", "renewTime"):
        val = spec.get(f)
        if val is not None and not _is_time(val):
            errs.append(FieldError("Invalid", f"spec.{f}", val, "must be an RFC3339 time"))
    return errs


_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")


def _is_time(v):
    return isinstance(v, str) and bool(_TIME.match(v))


def validate_core_event(obj, old):
    """legacyValidateEvent (K8S:pkg/apis/core/validation/events.go)."""
    errs = []
    ns = obj["metadata"].get("namespace", "")
    io = obj.get("involvedObject") or {}
    if obj.get("eventTime") and old is None:
        # A core event with eventTime set is validated like an events.k8s.io one on
        # create; updates through the core API get the legacy checks only.
        return validate_events_v1(to_events_v1_view(obj), None)
    # event.namespace must match involvedObject.namespace; an event about a
    # cluster-scoped object lives in "" or "default".
    if io.get("namespace") and io.get("namespace") != ns or (
            not io.get("namespace") and ns not in ("", "default")):
        errs.append(FieldError("Invalid", "involvedObject.namespace", io.get("namespace", ""),
                               "does not match event.namespace"))
    if obj.get("type") not in (None, "", "Normal", "Warning"):
        errs.append(FieldError("NotSupported", "type", obj.get("type"),
                               'supported values: "Normal", "Warning"'))
    for f in ("firstTimestamp", "lastTimestamp"):
        if obj.get(f) is not None and not _is_time(obj[f]):
            errs.append(FieldError("Invalid", f, obj[f], "must be an RFC3339 time"))
    return errs


def to_events_v1_view(core):
    """Maps a stored core/v1 Event to field names of events.k8s.io/v1 for validation."""
    from .events import core_to_v1
    return core_to_v1(core)


def validate_events_v1(obj, old):
    """ValidateEventCreate / ValidateEventUpdate for events.k8s.io/v1 (strict)."""
    errs = []
    if old is not None:
        # Only series may change on update.
        o = {k: v for k, v in old.items() if k not in ("metadata", "series")}
        n = {k: v for k, v in obj.items() if k not in ("metadata", "series")}
        for k in sorted(set(o) | set(n)):
            if o.get(k) != n.get(k) and k not in ("kind", "apiVersion"):
                errs.append(FieldError("Invalid", k, n.get(k), "field is immutable"))
        return errs
    if not obj.get("eventTime"):
        errs.append(FieldError("Required", "eventTime", has_value=False))
    elif not _is_time(obj["eventTime"]):
        errs.append(FieldError("Invalid", "eventTime", obj["eventTime"], "must be a MicroTime"))
    if obj.get("type") not in ("Normal", "Warning"):
        errs.append(FieldError("NotSupported", "type", obj.get("type", ""),
                               'supported values: "Normal", "Warning"'))
    rc = obj.get("reportingController")
    if not rc:
        errs.append(FieldError("Required", "reportingController", has_value=False))
    elif not _QUALIFIED.match(rc) or len(rc.split("/")[-1]) > 63:
        errs.append(FieldError("Invalid", "reportingController", rc,
                               "name part must consist of alphanumeric characters, '-', '_' or "
                               "'.', and must start and end with an alphanumeric character"))
    for f, limit in (("reportingInstance", 128), ("action", 128), ("reason", 128)):
        val = obj.get(f)
        if not val:
            errs.append(FieldError("Required", f, has_value=False))
        elif len(val) > limit:
            errs.append(FieldError("Invalid", f, val, f"can have at most {limit} characters"))
    if len(obj.get("note") or "") > 1024:
        errs.append(FieldError("Invalid", "note", obj.get("note"),
                               "can have at most 1024 characters"))
    for f in ("deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp",
              "deprecatedCount"):
        if obj.get(f):
            errs.append(FieldError("Invalid", f, None, "needs to be unset"))
            errs[-1].has_value = False
    s = obj.get("series")
    if s is not None:
        if not _int(s.get("count")) or s.get("count") < 2:
            errs.append(FieldError("Invalid", "series.count", s.get("count"),
                                   "should be at least 2"))
        if not s.get("lastObservedTime"):
            errs.append(FieldError("Required", "series.lastObservedTime", has_value=False))
    return errs


def validate_rbac(obj, old):
    errs = []
    kind = obj.get("kind")
    if kind in ("Role", "ClusterRole"):
        for i, r in enumerate(obj.get("rules") or []):
            if not r.get("verbs"):
                errs.append(FieldError("Required", f"rules[{i}].verbs", has_value=False))
            if not r.get("nonResourceURLs") and not r.get("resources"):
                errs.append(FieldError("Required", f"rules[{i}].resources", has_value=False))
            if r.get("resources") and r.get("apiGroups") is None:
                errs.append(FieldError("Required", f"rules[{i}].apiGroups", has_value=False))
    else:
        ref = obj.get("roleRef") or {}
        if not ref.get("name"):
            errs.append(FieldError("Required", "roleRef.name", has_value=False))
        if ref.get("kind") not in ("Role", "ClusterRole"):
            errs.append(FieldError("NotSupported", "roleRef.kind", ref.get("kind", ""),
                                   'supported values: "Role", "ClusterRole"'))
        if kind == "ClusterRoleBinding" and ref.get("kind") == "Role":
            errs.append(FieldError("NotSupported", "roleRef.kind", "Role",
                                   'supported values: "ClusterRole"'))
        if old is not None and old.get("roleRef") != obj.get("roleRef"):
            errs.append(FieldError("Invalid", "roleRef", None,
                                   "cannot change roleRef"))
        for i, s in enumerate(obj.get("subjects") or []):
            if s.get("kind") not in ("ServiceAccount", "User", "Group"):
                errs.append(FieldError("NotSupported", f"subjects[{i}].kind", s.get("kind", ""),
                                       'supported values: "ServiceAccount", "User", "Group"'))
            if not s.get("name"):
                errs.append(FieldError("Required", f"subjects[{i}].name", has_value=False))
            if s.get("kind") == "ServiceAccount" and not s.get("namespace") and \
                    kind == "ClusterRoleBinding":
                errs.append(FieldError("Required", f"subjects[{i}].namespace", has_value=False))
    return errs
