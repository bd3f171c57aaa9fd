"""Discovery documents: /version, /api, /apis, /apis/{g}, /api/v1, /apis/{g}/{v}
(legacy, §1.2-1.3 of the contract) and aggregated apidiscovery.k8s.io/v2 (§1.4)."""
import base64
import hashlib

AGGREGATED_CT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

VERSION = {
    "major": "1", "minor": "32", "gitVersion": "v1.32.0-kubeemu",
    "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
    "buildDate": "2024-12-11T17:59:15Z", "goVersion": "go1.23.4", "compiler": "gc",
    "platform": "linux/amd64",
}


def _hash(rt):
    h = hashlib.sha256(f"{rt.group}/{rt.version}/{rt.kind}".encode()).digest()[:8]
    return base64.b64encode(h).decode()


def api_versions(server_address):
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                            "serverAddress": server_address}]}


def _gv(group, v):
    return {"groupVersion": f"{group}/{v}", "version": v}


def api_group(group, versions):
    return {"kind": "APIGroup", "apiVersion": "v1", "name": group,
            "versions": [_gv(group, v) for v in versions],
            "preferredVersion": _gv(group, versions[0])}


def api_group_list(registry):
    groups = [api_group(g, vs) for g, vs in registry.groups() if g]
    for g in groups:
        del g["kind"], g["apiVersion"]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def resource_list(registry, group, version):
    res = []
    for rt in registry.types_in(group, version):
        e = {"name": rt.plural, "singularName": rt.singular, "namespaced": rt.namespaced,
             "kind": rt.kind, "verbs": list(rt.verbs)}
        if rt.short_names:
            e["shortNames"] = list(rt.short_names)
        if rt.categories:
            e["categories"] = list(rt.categories)
        if not rt.create_only:
            e["storageVersionHash"] = _hash(rt)
        res.append(e)
        for sub in sorted(rt.subresources):
            s = {"name": f"{rt.plural}/{sub}", "singularName": "", "namespaced": rt.namespaced,
                 "kind": rt.kind, "verbs": ["get", "patch", "update"]}
            if sub == "scale":
                s.update({"group": "autoscaling", "version": "v1", "kind": "Scale"})
            res.append(s)
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
            "resources": res}


def _aggregated_resource(rt):
    r = {"resource": rt.plural,
         "responseKind": {"group": "", "version": "", "kind": rt.kind},
         "scope": "Namespaced" if rt.namespaced else "Cluster",
         "singularResource": rt.singular, "verbs": list(rt.verbs)}
    if rt.short_names:
        r["shortNames"] = list(rt.short_names)
    if rt.categories:
        r["categories"] = list(rt.categories)
    subs = []
    for sub in sorted(rt.subresources):
        kind = ({"group": "autoscaling", "version": "v1", "kind": "Scale"} if sub == "scale"
                else {"group": "", "version": "", "kind": rt.kind})
        subs.append({"subresource": sub, "responseKind": kind,
                     "verbs": ["get", "patch", "update"]})
    if subs:
        r["subresources"] = subs
    return r


def aggregated(registry, legacy):
    items = []
    for g, versions in registry.groups():
        if legacy != (g == ""):
            continue
        md = {"creationTimestamp": None}
        if g:
            md["name"] = g
        items.append({"metadata": md, "versions": [
            {"version": v, "freshness": "Current",
             "resources": [_aggregated_resource(rt) for rt in registry.types_in(g, v)]}
            for v in versions]})
    return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2",
            "metadata": {}, "items": items}


def wants_aggregated(accept):
    """True if the Accept header asks for APIGroupDiscoveryList v2 (before plain JSON)."""
    for part in (accept or "").split(","):
        params = [p.strip() for p in part.split(";")]
        kv = dict(p.split("=", 1) for p in params[1:] if "=" in p)
        if params[0] == "application/json" and kv.get("g") == "apidiscovery.k8s.io" and \
                kv.get("v") == "v2" and kv.get("as") == "APIGroupDiscoveryList":
            return True
        if params[0] in ("application/json", "*/*") and not kv:
            return False
    return False
