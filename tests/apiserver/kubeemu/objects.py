"""Per-type object pipelines shared by every write path (create, update, patch,
apply, subresources): the external (wire) form of a stored object, and the
preparation + validation of an incoming object (K8S:apiserver/pkg/registry/rest
BeforeCreate/BeforeUpdate and the type strategies)."""
import copy
import json

from . import crd as crdmod
from . import errors as E
from . import events as ev
from . import schema as sch
from .errors import FieldError
from .meta import (OBJECT_META_FIELDS, generate_name, new_uid, now_rfc3339,
                   validate_labels, validate_meta_update, validate_name)


def to_external(rt, stored, in_list=False):
    """The object as served on rt's endpoint (version, defaults on read)."""
    o = copy.deepcopy(stored)
    if rt.storage == "events" and rt.group == "events.k8s.io":
        o = ev.core_to_v1(o)
    if rt.crd is not None:
        o["apiVersion"] = rt.group_version
        sch.apply_defaults(o, crdmod.version_schema(rt.crd, rt.storage_version))
        if rt.version != rt.storage_version:
            sch.apply_defaults(o, crdmod.version_schema(rt.crd, rt.version))
    o["apiVersion"] = rt.group_version
    o["kind"] = rt.kind
    if in_list and rt.crd is None:
        # Built-in list items carry no TypeMeta on the wire (contract §2.1).
        o.pop("apiVersion", None)
        o.pop("kind", None)
        o = {"metadata": o.pop("metadata"), **o}
    else:
        o = {"apiVersion": o.pop("apiVersion"), "kind": o.pop("kind"), **o}
    return o


def to_storage(rt, obj):
    if rt.storage == "events" and rt.group == "events.k8s.io":
        return ev.v1_to_core(obj)
    if rt.crd is not None:
        obj = dict(obj)
        obj["apiVersion"] = f"{rt.group}/{rt.storage_version}"
    return obj


def check_type_meta(rt, body):
    """apiVersion/kind of the body must name the endpoint's type."""
    if not isinstance(body, dict):
        raise E.bad_request("the object provided is not a JSON object")
    av, kind = body.get("apiVersion"), body.get("kind")
    if rt.crd is not None or rt.create_only:
        if not kind:
            raise E.bad_request(f"Object 'Kind' is missing in '{_short(body)}'")
        if not av:
            raise E.bad_request(f"Object 'apiVersion' is missing in '{_short(body)}'")
    if av and av != rt.group_version:
        raise E.bad_request(f"the API version in the data ({av}) does not match the expected "
                            f"API version ({rt.group_version})")
    if kind and kind != rt.kind:
        raise E.bad_request(f"the kind in the data ({kind}) does not match the expected kind "
                            f"({rt.kind})")
    body["apiVersion"], body["kind"] = rt.group_version, rt.kind
    if not isinstance(body.get("metadata", {}), dict):
        raise E.bad_request("metadata must be an object")
    body.setdefault("metadata", {})
    from . import typecheck
    typecheck.check(rt, body)
    return body


def _short(body):
    s = json.dumps(body, separators=(",", ":"))
    return s if len(s) < 200 else s[:200] + "..."


WORKLOAD_KINDS = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")

# Known second-level fields of built-ins (Go struct fields of K8S:api/*/v1/types.go);
# deeper levels are not checked.
NESTED_FIELDS = {
    ("Deployment", "spec"): {"replicas", "selector", "template", "strategy", "minReadySeconds",
                             "revisionHistoryLimit", "paused", "progressDeadlineSeconds"},
    ("Deployment", "status"): {"observedGeneration", "replicas", "updatedReplicas",
                               "readyReplicas", "availableReplicas", "unavailableReplicas",
                               "terminatingReplicas", "conditions", "collisionCount"},
    ("StatefulSet", "spec"): {"replicas", "selector", "template", "volumeClaimTemplates",
                              "serviceName", "podManagementPolicy", "updateStrategy",
                              "revisionHistoryLimit", "minReadySeconds",
                              "persistentVolumeClaimRetentionPolicy", "ordinals"},
    ("StatefulSet", "status"): {"observedGeneration", "replicas", "readyReplicas",
                                "currentReplicas", "updatedReplicas", "currentRevision",
                                "updateRevision", "collisionCount", "conditions",
                                "availableReplicas"},
    ("ReplicationController", "spec"): {"replicas", "minReadySeconds", "selector", "template"},
    ("ReplicationController", "status"): {"replicas", "fullyLabeledReplicas", "readyReplicas",
                                          "availableReplicas", "observedGeneration",
                                          "conditions"},
    ("Lease", "spec"): {"holderIdentity", "leaseDurationSeconds", "acquireTime", "renewTime",
                        "leaseTransitions", "strategy", "preferredHolder"},
    ("Namespace", "spec"): {"finalizers"},
    ("Namespace", "status"): {"phase", "conditions"},
}


def unknown_fields(rt, obj):
    """Fields the server would drop (pruning for CRs; top-level, metadata and some
    second-level fields for built-ins). Removes them from obj and returns their paths."""
    pruned = []
    if rt.crd is not None:
        sch.prune(obj, crdmod.version_schema(rt.crd, rt.version), "", pruned, root=True)
        return pruned
    for k in list(obj.get("metadata") or {}):
        if k not in OBJECT_META_FIELDS:
            pruned.append("metadata." + k)
            del obj["metadata"][k]
    if rt.top_fields is not None:
        for k in list(obj):
            if k not in rt.top_fields:
                pruned.append(k)
                del obj[k]
    for (kind, field), known in NESTED_FIELDS.items():
        if kind == rt.kind and isinstance(obj.get(field), dict):
            for k in list(obj[field]):
                if k not in known:
                    pruned.append(f"{field}.{k}")
                    del obj[field][k]
    return pruned


def drop_empty_metadata(obj):
    """ObjectMeta's maps and lists are omitempty: an empty one is not stored."""
    md = obj.get("metadata") or {}
    for k in ("labels", "annotations", "finalizers", "ownerReferences"):
        if k in md and not md[k]:
            del md[k]


def validate_object(rt, obj, old):
    """Type validation (schema for CRs, strategy for built-ins); returns FieldErrors."""
    errs = []
    md = obj["metadata"]
    if old is None and rt.plural != "namespaces":
        errs += validate_name(md.get("name"))
    errs += validate_labels(md)
    for i, f in enumerate(md.get("finalizers") or []):
        if not isinstance(f, str) or "/" not in f and f not in ("kubernetes", "orphan",
                                                                 "foregroundDeletion"):
            errs.append(FieldError("Invalid", f"metadata.finalizers[{i}]", f,
                                   "name is neither a standard finalizer name nor is it fully "
                                   "qualified"))
    if rt.crd is not None:
        schema = crdmod.version_schema(rt.crd, rt.version)
        body = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
        errs += sch.validate(body, schema, "")
        if not errs:
            # CEL runs only when the OpenAPI validation passed (strategy.go hasBlockingErr).
            from . import cel
            errs += cel.validate(obj, old, schema)
    elif rt.validate:
        errs += rt.validate(obj, old)
    return errs


def prepare_create(rt, obj, namespace, field_validation):
    """Fills system metadata and runs the create strategy; returns (obj, warnings)."""
    md = obj["metadata"]
    if rt.namespaced:
        if md.get("namespace") and md["namespace"] != namespace:
            raise E.bad_request("the namespace of the provided object does not match the "
                                "namespace sent on the request")
        md["namespace"] = namespace
    else:
        md.pop("namespace", None)
    if md.get("resourceVersion"):
        raise E.internal("resourceVersion should not be set on objects to be created")
    if not md.get("name") and md.get("generateName"):
        md["name"] = generate_name(md["generateName"])
    warnings = _prune(rt, obj, field_validation)
    drop_empty_metadata(obj)
    if rt.has_status() and rt.plural != "namespaces":
        obj.pop("status", None)
        if rt.crd is None and rt.kind in WORKLOAD_KINDS:
            obj["status"] = {}
    if rt.crd is not None:
        sch.apply_defaults(obj, crdmod.version_schema(rt.crd, rt.version))
    if rt.kind in WORKLOAD_KINDS:
        _default_workload(obj)
    if rt.kind == "Secret":
        _secret_string_data(obj)
    if rt.plural == "namespaces":
        obj["spec"] = {"finalizers": ["kubernetes"]}
        obj["status"] = {"phase": "Active"}
        md.setdefault("labels", {})["kubernetes.io/metadata.name"] = md.get("name", "")
    if rt.plural == "customresourcedefinitions":
        crdmod.apply_crd_defaults(obj)
        obj.pop("status", None)
    md["uid"] = new_uid()
    md["creationTimestamp"] = now_rfc3339()
    for f in ("deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"):
        md.pop(f, None)
    if rt.generation is not None:
        md["generation"] = 1
    else:
        md.pop("generation", None)
    return obj, warnings


def _prune(rt, obj, field_validation):
    pruned = unknown_fields(rt, obj)
    if pruned and field_validation == "Strict":
        text = ", ".join(f'unknown field "{p}"' for p in pruned)
        raise E.bad_request(f"strict decoding error: {text}")
    if field_validation == "Ignore":
        return []
    return [f'unknown field "{p}"' for p in pruned]


def _secret_string_data(obj):
    """stringData is write-only: merged into data (base64) and dropped (core/v1 Secret)."""
    import base64
    sd = obj.pop("stringData", None) or {}
    if sd:
        data = obj.setdefault("data", {}) or {}
        for k, v in sd.items():
            data[k] = base64.b64encode(str(v).encode()).decode()
        obj["data"] = data
    obj.setdefault("type", "Opaque")


def _default_workload(obj):
    spec = obj.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    if obj["kind"] == "Deployment":
        spec.setdefault("strategy", {"type": "RollingUpdate", "rollingUpdate": {
            "maxUnavailable": "25%", "maxSurge": "25%"}})
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
    if obj["kind"] == "ReplicationController":
        # SetDefaults_ReplicationController: selector and labels from the template's labels.
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels")
        if labels:
            if not spec.get("selector"):
                spec["selector"] = dict(labels)
            if not obj["metadata"].get("labels"):
                obj["metadata"]["labels"] = dict(labels)
    if obj["kind"] == "StatefulSet":
        spec.setdefault("podManagementPolicy", "OrderedReady")
        spec.setdefault("updateStrategy", {"type": "RollingUpdate",
                                           "rollingUpdate": {"partition": 0}})
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("persistentVolumeClaimRetentionPolicy",
                        {"whenDeleted": "Retain", "whenScaled": "Retain"})


def prepare_update(rt, new, cur, field_validation, subresource=""):
    """BeforeUpdate + the type's PrepareForUpdate. cur is the stored (internal) object,
    new the incoming external object. Returns (obj, warnings)."""
    nm, om = new["metadata"], cur["metadata"]
    if not nm.get("uid"):
        nm["uid"] = om.get("uid")
    nm["creationTimestamp"] = om.get("creationTimestamp")
    if rt.namespaced and not nm.get("namespace"):
        nm["namespace"] = om.get("namespace")
    if not rt.namespaced:
        nm.pop("namespace", None)
    if om.get("deletionTimestamp"):
        nm["deletionTimestamp"] = om["deletionTimestamp"]
        nm["deletionGracePeriodSeconds"] = om.get("deletionGracePeriodSeconds")
    if om.get("generation") is not None:
        nm["generation"] = om["generation"]
    for f in ("managedFields", "selfLink"):
        nm.pop(f, None)
    ext_cur = to_external(rt, cur)
    if subresource == "status":
        # Only status is taken from the body (status_strategy.go).
        obj = copy.deepcopy(ext_cur)
        if "status" in new:
            obj["status"] = new["status"]
        else:
            obj.pop("status", None)
        obj["metadata"]["resourceVersion"] = nm.get("resourceVersion")
        warnings = _prune(rt, obj, field_validation)
        return obj, warnings
    warnings = _prune(rt, new, field_validation)
    drop_empty_metadata(new)
    if rt.has_status() and subresource == "":
        if "status" in ext_cur:
            new["status"] = ext_cur["status"]
        else:
            new.pop("status", None)
    if rt.crd is not None:
        sch.apply_defaults(new, crdmod.version_schema(rt.crd, rt.version))
    if rt.kind in WORKLOAD_KINDS:
        _default_workload(new)
    if rt.kind == "Secret":
        _secret_string_data(new)
    if rt.plural == "namespaces":
        new["spec"] = ext_cur.get("spec", {})
        new.setdefault("status", ext_cur.get("status"))
        nm.setdefault("labels", {})["kubernetes.io/metadata.name"] = nm.get("name", "")
    if rt.plural == "customresourcedefinitions":
        crdmod.apply_crd_defaults(new)
    return new, warnings


def bump_generation(rt, new, cur_external):
    """metadata.generation rules (contract §4.5)."""
    if rt.generation is None or cur_external is None:
        return
    gen = cur_external["metadata"].get("generation") or 1
    changed = False
    if rt.generation == "nonmeta":
        a = {k: v for k, v in new.items() if k not in ("metadata", "apiVersion", "kind")}
        b = {k: v for k, v in cur_external.items() if k not in ("metadata", "apiVersion", "kind")}
        if rt.has_status():
            a.pop("status", None)
            b.pop("status", None)
        changed = a != b
    else:
        changed = new.get("spec") != cur_external.get("spec")
        if rt.generation == "spec+annotations":
            changed = changed or (new["metadata"].get("annotations") or {}) != (
                cur_external["metadata"].get("annotations") or {})
    new["metadata"]["generation"] = gen + 1 if changed else gen


def validate_update(rt, new, cur_external):
    return validate_meta_update(cur_external, new) + validate_object(rt, new, cur_external)


def same_object(a, b):
    def strip(o):
        o = copy.deepcopy(o)
        o["metadata"].pop("resourceVersion", None)
        o["metadata"].pop("managedFields", None)
        return o
    return strip(a) == strip(b)
