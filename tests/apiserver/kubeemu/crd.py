"""CustomResourceDefinitions: validation of the CRD itself, the status the server
maintains (acceptedNames, storedVersions, NamesAccepted/Established), and the
ResourceTypes that serve its custom resources.
"""
import copy
import re

from . import schema as sch
from .errors import FieldError
from .meta import DNS1123_LABEL, now_rfc3339
from .resources import ResourceType

PRINTER_TYPES = {"integer", "number", "string", "boolean", "date"}


def apply_crd_defaults(crd):
    spec = crd.setdefault("spec", {})
    names = spec.setdefault("names", {})
    if names.get("kind"):
        names.setdefault("singular", names["kind"].lower())
        names.setdefault("listKind", names["kind"] + "List")
    spec.setdefault("conversion", {"strategy": "None"})


def validate_crd(crd, old=None):
    errs = []
    spec = crd.get("spec") or {}
    md = crd.get("metadata") or {}
    group = spec.get("group") or ""
    names = spec.get("names") or {}
    plural = names.get("plural") or ""
    if not group:
        errs.append(FieldError("Required", "spec.group", has_value=False))
    elif "." not in group:
        errs.append(FieldError("Invalid", "spec.group", group,
                               "should be a domain with at least one dot"))
    if not plural:
        errs.append(FieldError("Required", "spec.names.plural", has_value=False))
    elif not DNS1123_LABEL.match(plural):
        errs.append(FieldError("Invalid", "spec.names.plural", plural,
                               "a lowercase RFC 1123 label must consist of lower case "
                               "alphanumeric characters or '-', and must start and end with an "
                               "alphanumeric character"))
    if plural and group and md.get("name") != f"{plural}.{group}":
        errs.append(FieldError("Invalid", "metadata.name", md.get("name"),
                               'must be spec.names.plural+"."+spec.group'))
    if not names.get("kind"):
        errs.append(FieldError("Required", "spec.names.kind", has_value=False))
    elif not re.match(r"^[A-Za-z][A-Za-z0-9]*$", names["kind"]):
        errs.append(FieldError("Invalid", "spec.names.kind", names["kind"],
                               "must be a valid kind"))
    for i, sn in enumerate(names.get("shortNames") or []):
        if not DNS1123_LABEL.match(sn):
            errs.append(FieldError("Invalid", f"spec.names.shortNames[{i}]", sn,
                                   "a lowercase RFC 1123 label must consist of lower case "
                                   "alphanumeric characters or '-'"))
    if spec.get("preserveUnknownFields") is True:
        errs.append(FieldError("Invalid", "spec.preserveUnknownFields", True,
                               "cannot set to true, set x-kubernetes-preserve-unknown-fields to "
                               "true in spec.versions[*].schema instead"))
    if spec.get("scope") not in ("Namespaced", "Cluster"):
        errs.append(FieldError("NotSupported", "spec.scope", spec.get("scope", ""),
                               'supported values: "Cluster", "Namespaced"'))
    versions = spec.get("versions") or []
    if not versions:
        errs.append(FieldError("Invalid", "spec.versions", versions,
                               "must have exactly one version marked as storage version"))
    storage = [v for v in versions if isinstance(v, dict) and v.get("storage")]
    if versions and len(storage) != 1:
        errs.append(FieldError("Invalid", "spec.versions", None,
                               "must have exactly one version marked as storage version"))
        errs[-1].value_text = "[]apiextensions.CustomResourceDefinitionVersion{...}"
    if versions and not any(v.get("served") for v in versions if isinstance(v, dict)):
        errs.append(FieldError("Invalid", "spec.versions", None,
                               "must have at least one version marked as served"))
        errs[-1].value_text = "[]apiextensions.CustomResourceDefinitionVersion{...}"
    seen = set()
    for i, v in enumerate(versions):
        p = f"spec.versions[{i}]"
        if not isinstance(v, dict):
            errs.append(FieldError("Invalid", p, v, "must be an object"))
            continue
        if not v.get("name"):
            errs.append(FieldError("Required", f"{p}.name", has_value=False))
        elif v["name"] in seen:
            errs.append(FieldError("Invalid", f"{p}.name", v["name"], "must be unique"))
        elif not re.match(r"^v\d+((alpha|beta)\d+)?$", v["name"]) and not \
                DNS1123_LABEL.match(v["name"]):
            errs.append(FieldError("Invalid", f"{p}.name", v["name"],
                                   "must be a valid version"))
        seen.add(v.get("name"))
        for f in ("served", "storage"):
            if not isinstance(v.get(f), bool):
                errs.append(FieldError("Required", f"{p}.{f}", has_value=False))
        s = (v.get("schema") or {}).get("openAPIV3Schema")
        if s is None:
            errs.append(FieldError("Required", f"{p}.schema.openAPIV3Schema",
                                   detail="schemas are required", has_value=False))
        else:
            errs += sch.check_structural(s, f"{p}.schema.openAPIV3Schema")
            from . import cel
            errs += cel.check_schema_rules(s, f"{p}.schema.openAPIV3Schema")
        sub = v.get("subresources") or {}
        sc = sub.get("scale")
        if sc is not None:
            sp = sc.get("specReplicasPath") or ""
            if not sp:
                errs.append(FieldError("Required", f"{p}.subresources.scale.specReplicasPath",
                                       has_value=False))
            elif not sp.startswith(".spec."):
                errs.append(FieldError("Invalid", f"{p}.subresources.scale.specReplicasPath",
                                       sp, "should be a json path under .spec"))
            stp = sc.get("statusReplicasPath") or ""
            if not stp:
                errs.append(FieldError("Required", f"{p}.subresources.scale.statusReplicasPath",
                                       has_value=False))
            elif not stp.startswith(".status."):
                errs.append(FieldError("Invalid", f"{p}.subresources.scale.statusReplicasPath",
                                       stp, "should be a json path under .status"))
            lp = sc.get("labelSelectorPath")
            if lp and not (lp.startswith(".spec.") or lp.startswith(".status.")):
                errs.append(FieldError("Invalid", f"{p}.subresources.scale.labelSelectorPath",
                                       lp, "should be a json path under either .spec or .status"))
        for j, c in enumerate(v.get("additionalPrinterColumns") or []):
            cp = f"{p}.additionalPrinterColumns[{j}]"
            if not c.get("name"):
                errs.append(FieldError("Required", f"{cp}.name", has_value=False))
            if c.get("type") not in PRINTER_TYPES:
                errs.append(FieldError("NotSupported", f"{cp}.type", c.get("type", ""),
                                       'supported values: "boolean", "date", "integer", '
                                       '"number", "string"'))
            if not c.get("jsonPath"):
                errs.append(FieldError("Required", f"{cp}.JSONPath", has_value=False))
    if old is not None:
        os_ = old.get("spec") or {}
        if os_.get("scope") != spec.get("scope"):
            errs.append(FieldError("Invalid", "spec.scope", spec.get("scope"),
                                   "field is immutable"))
        if os_.get("group") != spec.get("group"):
            errs.append(FieldError("Invalid", "spec.group", spec.get("group"),
                                   "field is immutable"))
        stored = (old.get("status") or {}).get("storedVersions") or []
        vnames = {v.get("name") for v in versions if isinstance(v, dict)}
        for sv in stored:
            if sv not in vnames:
                errs.append(FieldError("Invalid", "status.storedVersions[0]", sv,
                                       "must appear in spec.versions"))
    return errs


def condition(ctype, status, reason, message):
    return {"type": ctype, "status": status, "lastTransitionTime": now_rfc3339(),
            "reason": reason, "message": message}


def compute_status(crd, old, others):
    """Status maintained by the naming and establishing controllers."""
    spec = crd["spec"]
    names = copy.deepcopy(spec["names"])
    conflict = None
    for o in others:
        if o["metadata"]["name"] == crd["metadata"]["name"]:
            continue
        if o["spec"]["group"] != spec["group"]:
            continue
        on = (o.get("status") or {}).get("acceptedNames") or {}
        if on.get("plural") == names.get("plural"):
            conflict = ("PluralConflict", f'"{names["plural"]}" is already in use')
        elif on.get("kind") == names.get("kind"):
            conflict = ("KindConflict", f'"{names["kind"]}" is already in use')
        elif set(on.get("shortNames") or []) & set(names.get("shortNames") or []):
            conflict = ("ShortNamesConflict", "short names already in use")
    old_status = (old or {}).get("status") or {}
    prev = {c["type"]: c for c in old_status.get("conditions") or []}
    stored = list(old_status.get("storedVersions") or [])
    storage = next(v["name"] for v in spec["versions"] if v.get("storage"))
    if storage not in stored:
        stored.append(storage)

    def keep(c):
        p = prev.get(c["type"])
        if p and p["status"] == c["status"]:
            c["lastTransitionTime"] = p["lastTransitionTime"]
        return c

    if conflict:
        conds = [keep(condition("NamesAccepted", "False", conflict[0], conflict[1])),
                 keep(condition("Established", "False", "NotAccepted", "not all names are "
                                                                       "accepted"))]
        accepted = old_status.get("acceptedNames") or {"plural": "", "kind": ""}
    else:
        conds = [keep(condition("NamesAccepted", "True", "NoConflicts", "no conflicts found")),
                 keep(condition("Established", "True", "InitialNamesAccepted",
                                "the initial names have been accepted"))]
        accepted = names
    return {"conditions": conds, "acceptedNames": accepted, "storedVersions": stored}


def is_established(crd):
    return any(c["type"] == "Established" and c["status"] == "True"
               for c in (crd.get("status") or {}).get("conditions") or [])


def resource_types_for(crd):
    """One ResourceType per served version."""
    spec = crd["spec"]
    names = spec["names"]
    out = []
    for v in spec["versions"]:
        if not v.get("served"):
            continue
        subs = v.get("subresources") or {}
        sublist = []
        if "status" in subs:
            sublist.append("status")
        scale_paths = None
        if "scale" in subs:
            sublist.append("scale")
            sc = subs["scale"]
            scale_paths = (sc["specReplicasPath"], sc["statusReplicasPath"],
                           sc.get("labelSelectorPath"))
        rt = ResourceType(spec["group"], v["name"], names["plural"], names["kind"],
                          namespaced=spec["scope"] == "Namespaced",
                          singular=names.get("singular") or names["kind"].lower(),
                          short_names=names.get("shortNames"),
                          categories=names.get("categories"), subresources=sublist,
                          storage=f"{spec['group']}/{names['plural']}",
                          unconditional_update=False, create_on_update=False,
                          generation="nonmeta", list_kind=names.get("listKind"),
                          scale_paths=scale_paths)
        rt.crd = crd
        rt.version_info = v
        rt.storage_version = next(x["name"] for x in spec["versions"] if x.get("storage"))
        out.append(rt)
    return out


def version_schema(crd, version):
    for v in crd["spec"]["versions"]:
        if v["name"] == version:
            return (v.get("schema") or {}).get("openAPIV3Schema") or {}
    return {}
