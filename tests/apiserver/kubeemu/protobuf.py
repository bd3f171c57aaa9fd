"""Decoding of the few protobuf request bodies kubectl sends to this server.

kubectl's typed clients send built-in objects as application/vnd.kubernetes.protobuf.
Only `kubectl auth can-i` needs that here, so only SelfSubjectAccessReview,
SubjectAccessReview and SelfSubjectRulesReview are decoded (field numbers from
K8S:api/authorization/v1/generated.proto); answers are JSON, which kubectl
accepts (it sends `Accept: application/vnd.kubernetes.protobuf,application/json`).
Any other protobuf body gets 415.
"""
MAGIC = b"k8s\x00"

_RESOURCE_ATTRS = {1: "namespace", 2: "verb", 3: "group", 4: "version", 5: "resource",
                   6: "subresource", 7: "name"}
_NON_RESOURCE_ATTRS = {1: "path", 2: "verb"}
SCHEMAS = {
    "SelfSubjectAccessReview": {2: ("spec", {1: ("resourceAttributes", _RESOURCE_ATTRS),
                                             2: ("nonResourceAttributes",
                                                 _NON_RESOURCE_ATTRS)})},
    "SubjectAccessReview": {2: ("spec", {1: ("resourceAttributes", _RESOURCE_ATTRS),
                                         2: ("nonResourceAttributes", _NON_RESOURCE_ATTRS),
                                         3: "user", 4: ["groups"], 6: "uid"})},
    "SelfSubjectRulesReview": {2: ("spec", {1: "namespace"})},
}


class ProtobufError(ValueError):
    pass


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
            v, i = b[i:i + n], i + n
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ProtobufError(f"unsupported wire type {wt}")
        yield num, wt, v


def _decode(b, schema):
    out = {}
    for num, wt, v in fields(b):
        spec = schema.get(num)
        if spec is None:
            continue
        if isinstance(spec, str):
            out[spec] = v.decode() if wt == 2 else v
        elif isinstance(spec, list):
            out.setdefault(spec[0], []).append(v.decode())
        else:
            out[spec[0]] = _decode(v, spec[1])
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
    obj["apiVersion"], obj["kind"] = api_version, kind
    obj.setdefault("metadata", {})
    return obj
