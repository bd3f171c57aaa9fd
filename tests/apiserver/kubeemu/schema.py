"""CRD OpenAPI v3 schemas: structural checks, pruning, defaulting, validation.

Follows WEB:tasks/extend-kubernetes/custom-resources/custom-resource-definitions.md
and the error texts of kube-openapi's validator as converted by apiextensions
(K8S:apiextensions-apiserver/pkg/apiserver/validation/validation.go). Order on
write: prune -> default -> validate; on read: default (not written back).
"""
import copy
import json
import re

from .errors import FieldError
from .meta import OBJECT_META_FIELDS

FORBIDDEN_KEYWORDS = ["definitions", "dependencies", "deprecated", "discriminator", "id",
                      "patternProperties", "readOnly", "writeOnly", "xml", "$ref"]
JUNCTORS = ["allOf", "anyOf", "oneOf", "not"]
KNOWN_KEYWORDS = set(FORBIDDEN_KEYWORDS) | set(JUNCTORS) | {
    "type", "format", "title", "description", "default", "maximum", "exclusiveMaximum",
    "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "multipleOf", "enum", "maxProperties", "minProperties", "required", "items",
    "properties", "additionalProperties", "nullable", "example", "externalDocs",
    "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys", "x-kubernetes-list-type",
    "x-kubernetes-map-type", "x-kubernetes-validations"}
TYPES = {"object", "array", "string", "integer", "number", "boolean"}


# ---- structural schema checks (on CRD create/update) ------------------------------------

def check_structural(schema, path):
    """Returns FieldErrors for a non-structural or otherwise invalid schema."""
    errs = []
    if not isinstance(schema, dict):
        return [FieldError("Required", path, has_value=False)]
    if schema.get("type") not in (None, "") and schema.get("type") != "object":
        errs.append(FieldError("Invalid", f"{path}.type", schema.get("type"),
                               "must be object at the root"))
    _check_node(schema, path, errs, root=True, in_junctor=False)
    props = schema.get("properties") or {}
    if "metadata" in props:
        md = props["metadata"]
        extra = set((md.get("properties") or {})) - {"name", "generateName"}
        if extra or set(md) - {"type", "properties", "description"}:
            errs.append(FieldError("Forbidden", f"{path}.properties[metadata]",
                                   detail="must not specify anything other than name and "
                                          "generateName, but metadata is implicitly specified",
                                   has_value=False))
    return errs


def _check_node(s, path, errs, root=False, in_junctor=False):
    if not isinstance(s, dict):
        errs.append(FieldError("Invalid", path, s, "must be an object"))
        return
    for k in s:
        if k in FORBIDDEN_KEYWORDS:
            errs.append(FieldError("Forbidden", f"{path}.{k}",
                                   detail=f"{k} is not supported", has_value=False))
        elif k not in KNOWN_KEYWORDS:
            errs.append(FieldError("Forbidden", f"{path}.{k}",
                                   detail=f"unknown field {k!r}", has_value=False))
    t = s.get("type")
    special = s.get("x-kubernetes-int-or-string") or s.get("x-kubernetes-preserve-unknown-fields")
    if not in_junctor:
        if t in (None, "") and not special:
            errs.append(FieldError("Required", f"{path}.type",
                                   detail="must not be empty for specified object fields"
                                   if not root else "must not be empty at the root",
                                   has_value=False))
        elif t not in (None, "") and t not in TYPES:
            errs.append(FieldError("NotSupported", f"{path}.type", t,
                                   'supported values: "array", "boolean", "integer", "number", '
                                   '"object", "string"'))
    else:
        for k in ("description", "type", "default", "additionalProperties", "nullable"):
            if k in s:
                errs.append(FieldError("Forbidden", f"{path}.{k}",
                                       detail="must not be used inside of logical junctors",
                                       has_value=False))
    if s.get("uniqueItems") is True:
        errs.append(FieldError("Forbidden", f"{path}.uniqueItems",
                               detail="uniqueItems cannot be set to true since the runtime "
                                      "complexity becomes quadratic", has_value=False))
    ap = s.get("additionalProperties")
    if ap is False:
        errs.append(FieldError("Forbidden", f"{path}.additionalProperties",
                               detail="additionalProperties cannot be set to false",
                               has_value=False))
    if ap not in (None, False) and "properties" in s:
        errs.append(FieldError("Forbidden", f"{path}.additionalProperties",
                               detail="additionalProperties and properties are mutual exclusive",
                               has_value=False))
    if t == "array" and "items" not in s and not in_junctor:
        errs.append(FieldError("Required", f"{path}.items",
                               detail="must be specified", has_value=False))
    if t not in (None, "object") and "properties" in s:
        errs.append(FieldError("Forbidden", f"{path}.properties",
                               detail="must not be specified for non-object types",
                               has_value=False))
    for name, sub in (s.get("properties") or {}).items():
        _check_node(sub, f"{path}.properties[{name}]", errs, in_junctor=in_junctor)
    if isinstance(ap, dict):
        _check_node(ap, f"{path}.additionalProperties", errs, in_junctor=in_junctor)
    if "items" in s:
        if isinstance(s["items"], list):
            errs.append(FieldError("Forbidden", f"{path}.items",
                                   detail="items must be a schema object and not an array",
                                   has_value=False))
        else:
            _check_node(s["items"], f"{path}.items", errs, in_junctor=in_junctor)
    for j in JUNCTORS:
        if j in s:
            subs = [s[j]] if j == "not" else s[j]
            for i, sub in enumerate(subs):
                _check_node(sub, f"{path}.{j}[{i}]" if j != "not" else f"{path}.not", errs,
                            in_junctor=True)
    if "default" in s and not in_junctor:
        d = copy.deepcopy(s["default"])
        sub_errs = validate(d, s, path + ".default", root_name="")
        for e in sub_errs:
            errs.append(FieldError("Invalid", f"{path}.default", s["default"], str(e)))
        pruned = []
        prune(d, s, "", pruned)
        if pruned:
            errs.append(FieldError("Invalid", f"{path}.default", s["default"],
                                   "must not have unknown fields"))
    if "pattern" in s:
        try:
            re.compile(s["pattern"])
        except re.error as ex:
            errs.append(FieldError("Invalid", f"{path}.pattern", s["pattern"],
                                   f"must be a valid regular expression: {ex}"))


# ---- pruning ---------------------------------------------------------------------------

def prune(obj, schema, path, pruned, root=False):
    """Removes fields unknown to the schema from obj (in place); appends their paths."""
    if not isinstance(schema, dict):
        return
    if isinstance(obj, dict):
        props = schema.get("properties")
        ap = schema.get("additionalProperties")
        preserve = schema.get("x-kubernetes-preserve-unknown-fields")
        embedded = schema.get("x-kubernetes-embedded-resource")
        if root or embedded:
            for k in ("apiVersion", "kind"):
                pass
            if isinstance(obj.get("metadata"), dict):
                for k in list(obj["metadata"]):
                    if k not in OBJECT_META_FIELDS:
                        pruned.append(_join(path, "metadata." + k))
                        del obj["metadata"][k]
        for k in list(obj):
            if (root or embedded) and k in ("apiVersion", "kind", "metadata"):
                continue
            sub = None
            if props is not None and k in props:
                sub = props[k]
            elif isinstance(ap, dict):
                sub = ap
            elif ap is True or preserve:
                sub = {"x-kubernetes-preserve-unknown-fields": True} if preserve else None
                if sub is None:
                    continue
            else:
                pruned.append(_join(path, k))
                del obj[k]
                continue
            prune(obj[k], sub, _join(path, k), pruned)
    elif isinstance(obj, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for i, v in enumerate(obj):
                prune(v, items, f"{path}[{i}]", pruned)


def _join(path, k):
    return f"{path}.{k}" if path else k


# ---- defaulting --------------------------------------------------------------------------

def apply_defaults(obj, schema):
    """Top-down defaulting (in place): a nested default applies only if its parent exists."""
    if not isinstance(schema, dict):
        return
    if isinstance(obj, dict):
        props = schema.get("properties") or {}
        for k, sub in props.items():
            if not isinstance(sub, dict):
                continue
            if k in obj and obj[k] is None and not sub.get("nullable") and "default" in sub:
                obj[k] = copy.deepcopy(sub["default"])
            elif k not in obj and "default" in sub:
                obj[k] = copy.deepcopy(sub["default"])
            if k in obj:
                apply_defaults(obj[k], sub)
        ap = schema.get("additionalProperties")
        if isinstance(ap, dict):
            for k in obj:
                if k not in props:
                    apply_defaults(obj[k], ap)
    elif isinstance(obj, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for v in obj:
                apply_defaults(v, items)


# ---- validation --------------------------------------------------------------------------

def _type_name(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _type_ok(v, t):
    if t == "object":
        return isinstance(v, dict)
    if t == "array":
        return isinstance(v, list)
    if t == "string":
        return isinstance(v, str)
    if t == "boolean":
        return isinstance(v, bool)
    if t == "integer":
        return (isinstance(v, int) and not isinstance(v, bool)) or (
            isinstance(v, float) and v.is_integer())
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return True


def _num(v):
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def validate(obj, schema, path, root_name=None):
    """Returns [FieldError]. path is the dotted field path (`spec.replicas`)."""
    errs = []
    _validate(obj, schema, path, errs)
    return errs


def _validate(v, s, path, errs):
    if not isinstance(s, dict):
        return
    name = path or "body"
    t = s.get("type")
    if v is None:
        if s.get("nullable"):
            return
        if t:
            e = FieldError("TypeInvalid", path, None,
                           f'{name} in body must be of type {t}: "null"')
            e.value_text = '"null"'
            errs.append(e)
        return
    if s.get("x-kubernetes-int-or-string"):
        if not (isinstance(v, str) or _type_ok(v, "integer")):
            e = FieldError("TypeInvalid", path, v,
                           f'{name} in body must be of type integer,string: "{_type_name(v)}"')
            e.value_text = json.dumps(_type_name(v))
            errs.append(e)
            return
    elif t and not _type_ok(v, t):
        e = FieldError("TypeInvalid", path, v,
                       f'{name} in body must be of type {t}: "{_type_name(v)}"')
        e.value_text = json.dumps(_type_name(v))
        errs.append(e)
        return
    if "enum" in s and v not in s["enum"]:
        supported = ", ".join(json.dumps(x) for x in s["enum"])
        errs.append(FieldError("NotSupported", path, v, f"supported values: {supported}"))
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if "maximum" in s:
            mx = s["maximum"]
            if s.get("exclusiveMaximum") and v >= mx:
                errs.append(FieldError("Invalid", path, v,
                                       f"{name} in body should be less than {_num(mx)}"))
            elif not s.get("exclusiveMaximum") and v > mx:
                errs.append(FieldError("Invalid", path, v, f"{name} in body should be less than "
                                                           f"or equal to {_num(mx)}"))
        if "minimum" in s:
            mn = s["minimum"]
            if s.get("exclusiveMinimum") and v <= mn:
                errs.append(FieldError("Invalid", path, v,
                                       f"{name} in body should be greater than {_num(mn)}"))
            elif not s.get("exclusiveMinimum") and v < mn:
                errs.append(FieldError("Invalid", path, v, f"{name} in body should be greater "
                                                           f"than or equal to {_num(mn)}"))
        if "multipleOf" in s and s["multipleOf"] and (v / s["multipleOf"]) % 1 != 0:
            errs.append(FieldError("Invalid", path, v,
                                   f"{name} in body should be a multiple of "
                                   f"{_num(s['multipleOf'])}"))
        if s.get("format") == "int32" and _type_ok(v, "integer") and not (
                -2**31 <= v < 2**31):
            errs.append(FieldError("Invalid", path, v,
                                   f"{name} in body should be a valid int32"))
    if isinstance(v, str):
        if "maxLength" in s and len(v) > s["maxLength"]:
            errs.append(FieldError("TooLong", path, v,
                                   f"may not be longer than {s['maxLength']}", has_value=False))
        if "minLength" in s and len(v) < s["minLength"]:
            errs.append(FieldError("Invalid", path, v, f"{name} in body should be at least "
                                                       f"{s['minLength']} chars long"))
        if "pattern" in s and not re.search(s["pattern"], v):
            errs.append(FieldError("Invalid", path, v,
                                   f"{name} in body should match '{s['pattern']}'"))
        if s.get("format") == "date-time" and not re.match(
                r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", v):
            errs.append(FieldError("Invalid", path, v,
                                   f"{name} in body must be of type date-time: {json.dumps(v)}"))
    if isinstance(v, list):
        if "maxItems" in s and len(v) > s["maxItems"]:
            e = FieldError("TooMany", path, len(v), f"must have at most {s['maxItems']} items")
            e.value_text = str(len(v))
            errs.append(e)
        if "minItems" in s and len(v) < s["minItems"]:
            errs.append(FieldError("Invalid", path, v,
                                   f"{name} in body should have at least {s['minItems']} items"))
        lt = s.get("x-kubernetes-list-type")
        if lt == "set":
            seen = []
            for i, x in enumerate(v):
                if x in seen:
                    errs.append(FieldError("Duplicate", f"{path}[{i}]", x))
                seen.append(x)
        if lt == "map":
            keys = s.get("x-kubernetes-list-map-keys") or []
            seen = []
            for i, x in enumerate(v):
                k = tuple((x or {}).get(kk) for kk in keys) if isinstance(x, dict) else None
                if k in seen:
                    errs.append(FieldError("Duplicate", f"{path}[{i}]", dict(zip(keys, k))))
                seen.append(k)
        items = s.get("items")
        if isinstance(items, dict):
            for i, x in enumerate(v):
                _validate(x, items, f"{path}[{i}]", errs)
    if isinstance(v, dict):
        for r in s.get("required") or []:
            if r not in v:
                errs.append(FieldError("Required", _join(path, r), has_value=False))
        if "maxProperties" in s and len(v) > s["maxProperties"]:
            e = FieldError("TooMany", path, len(v),
                           f"must have at most {s['maxProperties']} items")
            e.value_text = str(len(v))
            errs.append(e)
        if "minProperties" in s and len(v) < s["minProperties"]:
            errs.append(FieldError("Invalid", path, v, f"{name} in body should have at least "
                                                       f"{s['minProperties']} properties"))
        props = s.get("properties") or {}
        ap = s.get("additionalProperties")
        for k, x in v.items():
            if k in props:
                _validate(x, props[k], _join(path, k), errs)
            elif isinstance(ap, dict):
                _validate(x, ap, _join(path, k), errs)
    for j in ("allOf", "anyOf", "oneOf"):
        if j in s:
            results = [validate(v, sub, path) for sub in s[j]]
            if j == "allOf":
                for r in results:
                    errs.extend(r)
            elif j == "anyOf" and all(results):
                errs.append(FieldError("Invalid", path, v,
                                       f"{name} in body must validate at least one schema (anyOf)"))
            elif j == "oneOf" and sum(1 for r in results if not r) != 1:
                errs.append(FieldError("Invalid", path, v,
                                       f"{name} in body must validate one and only one schema "
                                       f"(oneOf)"))
    if "not" in s and not validate(v, s["not"], path):
        errs.append(FieldError("Invalid", path, v,
                               f"{name} in body must not validate the schema (not)"))
