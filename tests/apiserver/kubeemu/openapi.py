"""Minimal OpenAPI v3 documents.

kubectl (apply/create/replace with the default --validate=strict) decides from
/openapi/v3 whether the server supports the `fieldValidation` query parameter for a
GVK: it looks for a PATCH operation tagged with x-kubernetes-group-version-kind
that lists the parameter (kubectl resource.QueryParamVerifierV3). If so it sends
fieldValidation=Strict and does no client-side schema validation, which is what
this server wants: validation happens here. No component schemas are served, so
`kubectl explain` does not work (documented in README.md). /openapi/v2 is 404.
"""
import hashlib
import json

from . import errors as E
from .wire import Response

_PARAMS = [{"name": n, "in": "query", "schema": {"type": "string", "uniqueItems": True}}
           for n in ("dryRun", "fieldManager", "fieldValidation", "force")]


def _gv_key(group, version):
    return f"apis/{group}/{version}" if group else f"api/{version}"


def _gv_doc(registry, group, version):
    paths = {}
    for rt in registry.types_in(group, version):
        if rt.create_only:
            continue
        gvk = {"group": rt.group, "version": rt.version, "kind": rt.kind}
        base = "/" + _gv_key(group, version)
        if rt.namespaced:
            item = f"{base}/namespaces/{{namespace}}/{rt.plural}/{{name}}"
        else:
            item = f"{base}/{rt.plural}/{{name}}"
        types = ["application/json-patch+json", "application/merge-patch+json",
                 "application/apply-patch+yaml"]
        op = {"operationId": f"patch{rt.kind}", "x-kubernetes-action": "patch",
              "x-kubernetes-group-version-kind": gvk, "parameters": _PARAMS,
              "requestBody": {"content": {t: {"schema": {"type": "object"}} for t in types},
                              "required": True},
              "responses": {"200": {"description": "OK"}}}
        paths[item] = {"patch": op}
        for sub in rt.subresources:
            sgvk = gvk if sub == "status" else {"group": "autoscaling", "version": "v1",
                                                "kind": "Scale"}
            paths[f"{item}/{sub}"] = {"patch": dict(op, **{"x-kubernetes-group-version-kind":
                                                           sgvk})}
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.32.0"},
            "paths": paths, "components": {"schemas": {}}}


def serve(registry, path, req):
    if path == "/openapi/v3":
        out = {"paths": {}}
        for group, versions in registry.groups():
            for v in versions:
                doc = json.dumps(_gv_doc(registry, group, v), sort_keys=True).encode()
                h = hashlib.sha512(doc).hexdigest()[:64].upper()
                out["paths"][_gv_key(group, v)] = {
                    "serverRelativeURL": f"/openapi/v3/{_gv_key(group, v)}?hash={h}"}
        return Response(200, out)
    if path.startswith("/openapi/v3/"):
        rest = path[len("/openapi/v3/"):].split("/")
        if rest[0] == "api" and len(rest) == 2:
            group, version = "", rest[1]
        elif rest[0] == "apis" and len(rest) == 3:
            group, version = rest[1], rest[2]
        else:
            raise E.not_found_path()
        if version not in dict(registry.groups()).get(group, []):
            raise E.not_found_path()
        return Response(200, _gv_doc(registry, group, version))
    raise E.not_found_path()
