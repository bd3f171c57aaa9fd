"""The resource types the server knows: built-ins here, CRs added by crd.py.

A ResourceType carries what discovery, storage and the handlers need: names,
scope, verbs, subresources, and the per-type strategy (K8S:pkg/registry/*/strategy.go):
whether PUT without resourceVersion is allowed, whether PUT may create, how
metadata.generation moves, which fields are selectable, and table columns.
"""
from .meta import age

ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
SUB_VERBS = ["get", "patch", "update"]


class ResourceType:
    def __init__(self, group, version, plural, kind, namespaced=True, singular=None,
                 short_names=None, categories=None, verbs=None, subresources=(),
                 storage=None, unconditional_update=True, create_on_update=False,
                 generation="spec", fields=None, columns=None, top_fields=None,
                 validate=None, list_kind=None, scale_paths=None, create_only=False):
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.list_kind = list_kind or kind + "List"
        self.namespaced = namespaced
        self.singular = singular if singular is not None else kind.lower()
        self.short_names = short_names or []
        self.categories = categories or []
        self.verbs = verbs or list(ALL_VERBS)
        self.subresources = list(subresources)
        self.storage = storage or (f"{group}/{plural}" if group else plural)
        self.unconditional_update = unconditional_update
        self.create_on_update = create_on_update
        # generation: None (not tracked), "spec" (spec changes), "spec+annotations"
        # (Deployment), "nonmeta" (CRs: everything outside metadata, and status too
        # when there is no status subresource)
        self.generation = generation
        self.fields = fields or {}          # selectable field -> fn(obj) -> str
        self.columns = columns              # [(name, type, fn)] or None for default
        self.top_fields = top_fields        # allowed top-level keys (None: unchecked)
        self.validate = validate            # fn(obj, old) -> [FieldError]
        # Scale subresource: (specReplicasPath, statusReplicasPath, labelSelectorPath|None)
        self.scale_paths = scale_paths
        self.crd = None                     # CRD object for custom resources
        self.version_info = None            # CRD version entry for custom resources
        self.create_only = create_only      # virtual review types (SelfSubjectAccessReview)

    @property
    def group_version(self):
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def api_version(self):
        return self.group_version

    def path_prefix(self):
        return f"/apis/{self.group}/{self.version}" if self.group else "/api/v1"

    def has_status(self):
        return "status" in self.subresources

    def selectable(self, obj):
        md = obj.get("metadata", {})
        out = {"metadata.name": md.get("name", "")}
        if self.namespaced:
            out["metadata.namespace"] = md.get("namespace", "")
        for f, fn in self.fields.items():
            v = fn(obj)
            out[f] = "" if v is None else str(v)
        return out

    def field_names(self):
        names = ["metadata.name"] + (["metadata.namespace"] if self.namespaced else [])
        return names + list(self.fields)

    def __repr__(self):
        return f"<ResourceType {self.group_version} {self.plural}>"


def _get(obj, *path):
    for p in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(p)
    return obj


def _last_seen(ev):
    ts = ev.get("lastTimestamp") or ev.get("eventTime") or ev["metadata"].get(
        "creationTimestamp")
    try:
        return age({"metadata": {"creationTimestamp": ts}}) if ts else "<unknown>"
    except ValueError:
        return "<unknown>"


def _ready(obj):
    st = obj.get("status") or {}
    return f"{st.get('readyReplicas', 0) or 0}/{_get(obj, 'spec', 'replicas') or 0}"


META_TOP = {"apiVersion", "kind", "metadata"}


def builtin_types():
    from . import validation as v
    event_fields = {
        "involvedObject.kind": lambda o: _get(o, "involvedObject", "kind"),
        "involvedObject.namespace": lambda o: _get(o, "involvedObject", "namespace"),
        "involvedObject.name": lambda o: _get(o, "involvedObject", "name"),
        "involvedObject.uid": lambda o: _get(o, "involvedObject", "uid"),
        "involvedObject.apiVersion": lambda o: _get(o, "involvedObject", "apiVersion"),
        "involvedObject.resourceVersion": lambda o: _get(o, "involvedObject", "resourceVersion"),
        "involvedObject.fieldPath": lambda o: _get(o, "involvedObject", "fieldPath"),
        "reason": lambda o: o.get("reason"),
        "reportingComponent": lambda o: o.get("reportingComponent"),
        "source": lambda o: _get(o, "source", "component") or o.get("reportingComponent"),
        "type": lambda o: o.get("type"),
    }
    event_cols = [
        ("Last Seen", "string", _last_seen),
        ("Type", "string", lambda o: o.get("type", "")),
        ("Reason", "string", lambda o: o.get("reason", "")),
        ("Object", "string", lambda o: f"{(_get(o, 'involvedObject', 'kind') or '').lower()}/"
                                       f"{_get(o, 'involvedObject', 'name') or ''}"),
        ("Message", "string", lambda o: o.get("message", "")),
    ]
    workload_cols = [
        ("Ready", "string", _ready),
        ("Up-to-date", "integer", lambda o: _get(o, "status", "updatedReplicas") or 0),
        ("Available", "integer", lambda o: _get(o, "status", "availableReplicas") or 0),
        ("Age", "string", age),
    ]
    sts_cols = [("Ready", "string", _ready), ("Age", "string", age)]
    rc_cols = [("Desired", "integer", lambda o: _get(o, "spec", "replicas") or 0),
               ("Current", "integer", lambda o: _get(o, "status", "replicas") or 0),
               ("Ready", "integer", lambda o: _get(o, "status", "readyReplicas") or 0),
               ("Age", "string", age)]
    age_col = [("Age", "string", age)]
    t = [
        ResourceType("", "v1", "namespaces", "Namespace", namespaced=False, short_names=["ns"],
                     verbs=["create", "delete", "get", "list", "patch", "update", "watch"],
                     subresources=["status"], generation=None,
                     fields={"status.phase": lambda o: _get(o, "status", "phase")},
                     columns=[("Status", "string", lambda o: _get(o, "status", "phase") or ""),
                              ("Age", "string", age)],
                     top_fields=META_TOP | {"spec", "status"}, validate=v.validate_namespace),
        ResourceType("", "v1", "configmaps", "ConfigMap", short_names=["cm"], generation=None,
                     columns=[("Data", "integer", lambda o: len(o.get("data") or {})
                               + len(o.get("binaryData") or {})), ("Age", "string", age)],
                     top_fields=META_TOP | {"data", "binaryData", "immutable"},
                     validate=v.validate_configmap),
        ResourceType("", "v1", "secrets", "Secret", generation=None,
                     fields={"type": lambda o: o.get("type", "Opaque")},
                     columns=[("Type", "string", lambda o: o.get("type", "Opaque")),
                              ("Data", "integer", lambda o: len(o.get("data") or {})),
                              ("Age", "string", age)],
                     top_fields=META_TOP | {"data", "stringData", "type", "immutable"},
                     validate=v.validate_secret),
        ResourceType("", "v1", "serviceaccounts", "ServiceAccount", short_names=["sa"],
                     generation=None, columns=age_col,
                     top_fields=META_TOP | {"secrets", "imagePullSecrets",
                                            "automountServiceAccountToken"}),
        ResourceType("", "v1", "services", "Service", short_names=["svc"], categories=["all"],
                     subresources=["status"], generation=None,
                     columns=[("Type", "string", lambda o: _get(o, "spec", "type") or "ClusterIP"),
                              ("Age", "string", age)],
                     top_fields=META_TOP | {"spec", "status"}),
        ResourceType("", "v1", "pods", "Pod", short_names=["po"], categories=["all"],
                     subresources=["status"], generation=None,
                     fields={"status.phase": lambda o: _get(o, "status", "phase"),
                             "spec.nodeName": lambda o: _get(o, "spec", "nodeName")},
                     columns=[("Status", "string", lambda o: _get(o, "status", "phase") or ""),
                              ("Age", "string", age)],
                     top_fields=META_TOP | {"spec", "status"}),
        ResourceType("", "v1", "events", "Event", short_names=["ev"], storage="events",
                     generation=None, create_on_update=True, fields=event_fields,
                     columns=event_cols, validate=v.validate_core_event,
                     top_fields=META_TOP | {
                         "involvedObject", "reason", "message", "source", "firstTimestamp",
                         "lastTimestamp", "count", "type", "eventTime", "series", "action",
                         "related", "reportingComponent", "reportingInstance"}),
        ResourceType("events.k8s.io", "v1", "events", "Event", short_names=["ev"],
                     storage="events", generation=None, create_on_update=True,
                     fields=event_fields, columns=event_cols, validate=v.validate_events_v1,
                     top_fields=META_TOP | {
                         "eventTime", "series", "reportingController", "reportingInstance",
                         "action", "reason", "regarding", "related", "note", "type",
                         "deprecatedSource", "deprecatedFirstTimestamp",
                         "deprecatedLastTimestamp", "deprecatedCount"}),
        ResourceType("apps", "v1", "deployments", "Deployment", short_names=["deploy"],
                     categories=["all"], subresources=["scale", "status"],
                     generation="spec+annotations", columns=workload_cols,
                     scale_paths=(".spec.replicas", ".status.replicas", None),
                     top_fields=META_TOP | {"spec", "status"}, validate=v.validate_deployment),
        ResourceType("apps", "v1", "statefulsets", "StatefulSet", short_names=["sts"],
                     categories=["all"], subresources=["scale", "status"], columns=sts_cols,
                     scale_paths=(".spec.replicas", ".status.replicas", None),
                     top_fields=META_TOP | {"spec", "status"}, validate=v.validate_statefulset),
        ResourceType("apps", "v1", "replicasets", "ReplicaSet", short_names=["rs"],
                     categories=["all"], subresources=["scale", "status"], columns=sts_cols,
                     scale_paths=(".spec.replicas", ".status.replicas", None),
                     top_fields=META_TOP | {"spec", "status"}),
        # The core group's workload: its selector is a plain label map, not a LabelSelector.
        ResourceType("", "v1", "replicationcontrollers", "ReplicationController",
                     short_names=["rc"], categories=["all"], subresources=["scale", "status"],
                     columns=rc_cols, scale_paths=(".spec.replicas", ".status.replicas", None),
                     top_fields=META_TOP | {"spec", "status"},
                     validate=v.validate_replication_controller),
        ResourceType("coordination.k8s.io", "v1", "leases", "Lease", generation=None,
                     unconditional_update=False, create_on_update=True,
                     columns=[("Holder", "string", lambda o: _get(o, "spec", "holderIdentity")
                               or ""), ("Age", "string", age)],
                     top_fields=META_TOP | {"spec"}, validate=v.validate_lease),
        ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                     "CustomResourceDefinition", namespaced=False, short_names=["crd", "crds"],
                     categories=["api-extensions"], subresources=["status"],
                     columns=[("Created At", "date",
                               lambda o: o["metadata"].get("creationTimestamp"))],
                     top_fields=META_TOP | {"spec", "status"}),
    ]
    for plural, kind, ns in (("clusterroles", "ClusterRole", False),
                             ("clusterrolebindings", "ClusterRoleBinding", False),
                             ("roles", "Role", True), ("rolebindings", "RoleBinding", True)):
        t.append(ResourceType(
            "rbac.authorization.k8s.io", "v1", plural, kind, namespaced=ns, generation=None,
            columns=[("Created At", "date", lambda o: o["metadata"].get("creationTimestamp"))],
            top_fields=META_TOP | ({"rules", "aggregationRule"} if "Role" == kind[-4:]
                                   else {"subjects", "roleRef"}),
            validate=v.validate_rbac))
    for plural, kind, ns in (("selfsubjectaccessreviews", "SelfSubjectAccessReview", False),
                             ("subjectaccessreviews", "SubjectAccessReview", False),
                             ("selfsubjectrulesreviews", "SelfSubjectRulesReview", False)):
        t.append(ResourceType("authorization.k8s.io", "v1", plural, kind, namespaced=ns,
                              verbs=["create"], generation=None, create_only=True,
                              top_fields=META_TOP | {"spec", "status"}))
    return t
