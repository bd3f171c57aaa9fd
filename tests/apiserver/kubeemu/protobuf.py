"""Decoding of the protobuf request bodies kubectl and client-go typed clients send.

kubectl's typed clients (and tools built on its factory, like Helm's release storage)
send built-in objects as application/vnd.kubernetes.protobuf. This reader knows the
messages of the simpler built-ins (field numbers from the generated.proto files in
K8S:api/...): Namespace, ConfigMap, Secret, ServiceAccount, Event, Lease, the RBAC
types, the authorization reviews and DeleteOptions. Workloads (Deployment, ...) are
not decoded: such a body gets 415. Answers are always JSON, which those clients
accept (they send `Accept: application/vnd.kubernetes.protobuf,application/json`).
Zero values are dropped, as the JSON `omitempty` forms would.
"""
import base64
import datetime

MAGIC = b"k8s\x00"


class ProtobufError(ValueError):
    pass


S, B, I, BYTES, TIME, MICRO = "s", "b", "i", "bytes", "time", "micro"


def rep(spec):
    return ("rep", spec)


def msg(schema):
    return ("msg", schema)


def mapof(value):
    return ("map", value)


OWNER_REF = {1: ("kind", S), 3: ("name", S), 4: ("uid", S), 5: ("apiVersion", S),
             6: ("controller", B), 7: ("blockOwnerDeletion", B)}
OBJECT_META = {1: ("name", S), 2: ("generateName", S), 3: ("namespace", S),
               5: ("uid", S), 6: ("resourceVersion", S), 7: ("generation", I),
               8: ("creationTimestamp", TIME), 9: ("deletionTimestamp", TIME),
               10: ("deletionGracePeriodSeconds", I), 11: ("labels", mapof(S)),
               12: ("annotations", mapof(S)), 13: ("ownerReferences", rep(msg(OWNER_REF))),
               14: ("finalizers", rep(S))}
META = {1: ("metadata", msg(OBJECT_META))}


def with_meta(fields_):
    return {**META, **fields_}


OBJECT_REF = {1: ("kind", S), 2: ("namespace", S), 3: ("name", S), 4: ("uid", S),
              5: ("apiVersion", S), 6: ("resourceVersion", S), 7: ("fieldPath", S)}
LABEL_SELECTOR = {1: ("matchLabels", mapof(S)),
                  2: ("matchExpressions", rep(msg({1: ("key", S), 2: ("operator", S),
                                                   3: ("values", rep(S))})))}
POLICY_RULE = {1: ("verbs", rep(S)), 2: ("apiGroups", rep(S)), 3: ("resources", rep(S)),
               4: ("resourceNames", rep(S)), 5: ("nonResourceURLs", rep(S))}
SUBJECT = {1: ("kind", S), 2: ("apiGroup", S), 3: ("name", S), 4: ("namespace", S)}
ROLE_REF = {1: ("apiGroup", S), 2: ("kind", S), 3: ("name", S)}
RESOURCE_ATTRS = {1: ("namespace", S), 2: ("verb", S), 3: ("group", S), 4: ("version", S),
                  5: ("resource", S), 6: ("subresource", S), 7: ("name", S)}
NON_RESOURCE_ATTRS = {1: ("path", S), 2: ("verb", S)}
BINDING = with_meta({2: ("subjects", rep(msg(SUBJECT))), 3: ("roleRef", msg(ROLE_REF))})

SCHEMAS = {
    "Namespace": with_meta({2: ("spec", msg({1: ("finalizers", rep(S))})),
                               3: ("status", msg({1: ("phase", S)}))}),
    "ConfigMap": with_meta({2: ("data", mapof(S)), 3: ("binaryData", mapof(BYTES)),
                               4: ("immutable", B)}),
    "Secret": with_meta({2: ("data", mapof(BYTES)), 3: ("type", S),
                            4: ("stringData", mapof(S)), 5: ("immutable", B)}),
    "ServiceAccount": with_meta({2: ("secrets", rep(msg(OBJECT_REF))),
                                    3: ("imagePullSecrets", rep(msg({1: ("name", S)}))),
                                    4: ("automountServiceAccountToken", B)}),
    "Event": with_meta({2: ("involvedObject", msg(OBJECT_REF)), 3: ("reason", S),
                           4: ("message", S), 5: ("source", msg({1: ("component", S),
                                                                 2: ("host", S)})),
                           6: ("firstTimestamp", TIME), 7: ("lastTimestamp", TIME),
                           8: ("count", I), 9: ("type", S), 10: ("eventTime", MICRO),
                           11: ("series", msg({1: ("count", I),
                                               2: ("lastObservedTime", MICRO)})),
                           12: ("action", S), 13: ("related", msg(OBJECT_REF)),
                           14: ("reportingComponent", S), 15: ("reportingInstance", S)}),
    "Lease": with_meta({2: ("spec", msg({1: ("holderIdentity", S),
                                            2: ("leaseDurationSeconds", I),
                                            3: ("acquireTime", MICRO), 4: ("renewTime", MICRO),
                                            5: ("leaseTransitions", I)}))}),
    "Role": with_meta({2: ("rules", rep(msg(POLICY_RULE)))}),
    "ClusterRole": with_meta({2: ("rules", rep(msg(POLICY_RULE))),
                                 3: ("aggregationRule", msg({1: ("clusterRoleSelectors",
                                                                 rep(msg(LABEL_SELECTOR)))}))}),
    "RoleBinding": BINDING,
    "ClusterRoleBinding": BINDING,
    "SelfSubjectAccessReview": with_meta({2: ("spec", msg({
        1: ("resourceAttributes", msg(RESOURCE_ATTRS)),
        2: ("nonResourceAttributes", msg(NON_RESOURCE_ATTRS))}))}),
    "SubjectAccessReview": with_meta({2: ("spec", msg({
        1: ("resourceAttributes", msg(RESOURCE_ATTRS)),
        2: ("nonResourceAttributes", msg(NON_RESOURCE_ATTRS)),
        3: ("user", S), 4: ("groups", rep(S)), 6: ("uid", S)}))}),
    "SelfSubjectRulesReview": with_meta({2: ("spec", msg({1: ("namespace", S)}))}),
    "DeleteOptions": {1: ("gracePeriodSeconds", I),
                      2: ("preconditions", msg({1: ("uid", S), 2: ("resourceVersion", S)})),
                      3: ("orphanDependents", B), 4: ("propagationPolicy", S),
                      5: ("dryRun", rep(S))},
}


def _varint(b, i):
    shift = result = 0
    while True:
        if i >= len(b):
            raise ProtobufError("truncated varint")
        c = b[i]
        i += 1
        result |= (c & 0x7F) << shift
        if not c & 0x80:
            return result, i
        shift += 7


def fields(b):
    """Yields (field number, wire type, value) of one message."""
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(b, i)
        elif wt == 2:
            n, i = _varint(b, i)
            if i + n > len(b):
                raise ProtobufError("truncated field")
            v, i = b[i:i + n], i + n
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ProtobufError(f"unsupported wire type {wt}")
        yield num, wt, v


def _time(b, micro):
    secs = nanos = 0
    for num, _, v in fields(b):
        if num == 1:
            secs = v if v < 2**63 else v - 2**64
        elif num == 2:
            nanos = v
    if secs == 0 and nanos == 0:
        return None
    t = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
    if micro:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{nanos // 1000:06d}Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _scalar(spec, wt, v):
    if spec == S:
        return v.decode()
    if spec == BYTES:
        return base64.b64encode(v).decode()
    if spec == B:
        return bool(v)
    if spec == I:
        return v if v < 2**63 else v - 2**64
    if spec in (TIME, MICRO):
        return _time(v, spec == MICRO)
    if isinstance(spec, tuple) and spec[0] == "msg":
        return _decode(v, spec[1])
    raise ProtobufError(f"bad schema {spec!r}")


def _decode(b, schema):
    out = {}
    for num, wt, v in fields(b):
        if num not in schema:
            continue
        name, spec = schema[num]
        if isinstance(spec, tuple) and spec[0] == "rep":
            out.setdefault(name, []).append(_scalar(spec[1], wt, v))
        elif isinstance(spec, tuple) and spec[0] == "map":
            key = val = None
            for n2, wt2, v2 in fields(v):
                if n2 == 1:
                    key = v2.decode()
                elif n2 == 2:
                    val = _scalar(spec[1], wt2, v2)
            out.setdefault(name, {})[key] = val if val is not None else (
                "" if spec[1] in (S, BYTES) else None)
        else:
            val = _scalar(spec, wt, v)
            if val not in (None, "", 0, False, {}) or isinstance(spec, tuple):
                out[name] = val
    return out


def decode(body):
    """Returns the JSON form of a supported object, else raises ProtobufError."""
    if not body.startswith(MAGIC):
        raise ProtobufError("missing protobuf envelope")
    api_version = kind = ""
    raw = b""
    for num, _, v in fields(body[len(MAGIC):]):
        if num == 1:
            for n2, _, v2 in fields(v):
                if n2 == 1:
                    api_version = v2.decode()
                elif n2 == 2:
                    kind = v2.decode()
        elif num == 2:
            raw = v
    if kind not in SCHEMAS:
        raise ProtobufError(f"protobuf is not supported for {kind or 'this kind'}")
    obj = _decode(raw, SCHEMAS[kind])
    if kind != "DeleteOptions":
        obj.setdefault("metadata", {})
    return {"apiVersion": api_version, "kind": kind, **obj}


def supported(kind):
    return kind in SCHEMAS
