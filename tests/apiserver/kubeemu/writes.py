"""POST, PUT, PATCH, DELETE and the status/scale subresources (contract §4, §5):
optimistic concurrency, create/update strategies, patch types, finalizers."""
import copy
import json

from . import crd as crdmod
from . import errors as E
from . import objects as ob
from . import patch as P
from . import scale as sc
from . import ssa
from .errors import ApiError, FieldError
from .meta import now_rfc3339
from .rbac import Attributes
from .wire import Response, media, parse_body, status_success

BUILTIN_PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json",
                       "application/strategic-merge-patch+json", "application/apply-patch+yaml"]
CR_PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json",
                  "application/apply-patch+yaml"]


class WriteHandlers:
    """Mixin of Api: the write verbs."""

    # ---- create ----------------------------------------------------------------------
    def do_create(self, req, rt, namespace, name, body=None):
        if body is None:
            body = self._decode(req, rt)
            body = ob.check_type_meta(rt, body)
        obj = body
        fv = self._field_validation(req)
        with self.store.lock:
            self._ensure_namespace(rt, namespace)
            obj, warnings = ob.prepare_create(rt, obj, namespace, fv)
            errs = ob.validate_object(rt, obj, None)
            if rt.plural == "customresourcedefinitions":
                errs += crdmod.validate_crd(obj)
            if errs:
                raise E.invalid(rt.kind, rt.group, obj["metadata"].get("name", ""), errs)
            oname = obj["metadata"]["name"]
            if self.store.get(rt.storage, namespace if rt.namespaced else "", oname):
                raise E.already_exists(rt.plural, rt.group, oname)
            if rt.plural == "customresourcedefinitions":
                others, _ = self.store.list(rt.storage)
                obj["status"] = crdmod.compute_status(obj, None, others)
            self._record_create(req, rt, obj)
            if self._dry_run(req):
                out = ob.to_external(rt, ob.to_storage(rt, obj))
                out["metadata"].pop("resourceVersion", None)
                return Response(201, out, headers=self._warn_headers(warnings))
            stored = self.store.commit(rt.storage, "ADDED", ob.to_storage(rt, obj), None)
            if rt.plural == "customresourcedefinitions":
                self.registry.set_crd(stored)
        return Response(201, ob.to_external(rt, stored), headers=self._warn_headers(warnings))

    def _record_create(self, req, rt, obj):
        manager = ssa.manager_of(req)
        config = getattr(req, "ssa_config", None)
        if config is not None:
            entries = []
            ssa.set_entry(entries, manager, "Apply", rt.group_version,
                          set(ssa.paths_of(config, rt.has_status())), "")
            obj["metadata"]["managedFields"] = entries
        else:
            ssa.record_update(obj, None, manager, rt.group_version, "", rt.has_status())

    # ---- update ----------------------------------------------------------------------
    def do_update(self, req, rt, namespace, name, body=None, subresource=""):
        if body is None:
            body = self._decode(req, rt)
            body = ob.check_type_meta(rt, body)
        if body["metadata"].get("name") not in (None, name):
            raise E.bad_request(f"the name of the object ({body['metadata'].get('name')}) does "
                                f"not match the name on the URL ({name})")
        body["metadata"]["name"] = name
        if rt.namespaced and body["metadata"].get("namespace") not in (None, "", namespace):
            raise E.bad_request("the namespace of the provided object does not match the "
                                "namespace sent on the request")
        with self.store.lock:
            cur = self.store.get(rt.storage, namespace, name)
            if cur is None:
                if rt.create_on_update and not subresource:
                    self.authorize(req, Attributes("create", rt.group, rt.plural, "", name,
                                                   namespace))
                    body["metadata"].pop("resourceVersion", None)
                    return self.do_create(req, rt, namespace, "", body)
                raise E.not_found(rt.plural, rt.group, name)
            return self._update_locked(req, rt, namespace, name, body, cur, subresource)

    def _update_locked(self, req, rt, namespace, name, body, cur, subresource,
                       precondition_only=False):
        rv = body["metadata"].get("resourceVersion")
        if not rv:
            if not rt.unconditional_update and not precondition_only:
                err = FieldError("Invalid", "metadata.resourceVersion", None,
                                 "must be specified for an update")
                err.value_text = "0x0"
                raise E.invalid(rt.kind, rt.group, name, [err])
        elif rv != cur["metadata"]["resourceVersion"]:
            raise E.conflict(rt.plural, rt.group, name)
        fv = self._field_validation(req)
        cur_ext = ob.to_external(rt, cur)
        new, warnings = ob.prepare_update(rt, body, cur, fv, subresource)
        ob.bump_generation(rt, new, cur_ext)
        errs = ob.validate_update(rt, new, cur_ext)
        if rt.plural == "customresourcedefinitions":
            errs += crdmod.validate_crd(new, cur_ext)
        if errs:
            raise E.invalid(rt.kind, rt.group, name, errs)
        if rt.plural == "customresourcedefinitions":
            others, _ = self.store.list(rt.storage)
            new["status"] = crdmod.compute_status(new, cur_ext, others)
        new["metadata"]["resourceVersion"] = cur["metadata"]["resourceVersion"]
        if getattr(req, "ssa_entries", None) is not None:
            new["metadata"]["managedFields"] = req.ssa_entries
        elif not rt.create_only:
            ssa.record_update(new, cur_ext, ssa.manager_of(req), rt.group_version,
                              subresource, rt.has_status())
        headers = self._warn_headers(warnings)
        if ob.same_object(new, cur_ext) and ssa.same_owners(new, cur_ext):
            return Response(200, cur_ext, headers=headers)
        if self._dry_run(req):
            return Response(200, new, headers=headers)
        md = new["metadata"]
        if md.get("deletionTimestamp") and not md.get("finalizers"):
            stored = self.store.commit(rt.storage, "DELETED", ob.to_storage(rt, new), cur)
            self._after_delete(rt, stored)
        else:
            stored = self.store.commit(rt.storage, "MODIFIED", ob.to_storage(rt, new), cur)
            if rt.plural == "customresourcedefinitions":
                self.registry.set_crd(stored)
        return Response(200, ob.to_external(rt, stored), headers=headers)

    # ---- patch -----------------------------------------------------------------------
    def do_patch(self, req, rt, namespace, name, subresource=""):
        ct = media(req.header("Content-Type"))
        allowed = CR_PATCH_TYPES if rt.crd is not None else BUILTIN_PATCH_TYPES
        if ct not in allowed:
            raise E.unsupported_media(allowed)
        is_apply = ct == "application/apply-patch+yaml"
        errs = []
        if is_apply and not req.query.get("fieldManager"):
            errs.append(FieldError("Required", "fieldManager",
                                   detail="is required for apply patch", has_value=False))
        if not is_apply and req.query.get("force") not in (None, ""):
            errs.append(FieldError("Forbidden", "force",
                                   detail="may not be specified for non-apply patch",
                                   has_value=False))
        if errs:
            raise E.invalid("PatchOptions", "meta.k8s.io", "", errs)
        try:
            doc = parse_body(req.body, "application/yaml" if is_apply else "application/json")
        except ApiError:
            raise
        with self.store.lock:
            cur = self.store.get(rt.storage, namespace, name)
            if cur is None:
                if is_apply and not subresource:
                    self.authorize(req, Attributes("create", rt.group, rt.plural, "", name,
                                                   namespace))
                    body = ob.check_type_meta(rt, copy.deepcopy(doc))
                    if body["metadata"].get("name") not in (None, name):
                        raise E.bad_request("the name of the object does not match the name on "
                                            "the URL")
                    body["metadata"]["name"] = name
                    if body["metadata"].get("managedFields"):
                        raise E.bad_request("metadata.managedFields must be nil")
                    req.ssa_config = copy.deepcopy(doc)
                    return self.do_create(req, rt, namespace, "", body)
                raise E.not_found(f"{rt.plural}/{subresource}" if subresource == "scale"
                                  else rt.plural, rt.group, name)
            cur_ext = ob.to_external(rt, cur)
            if subresource == "scale":
                base = sc.scale_of(rt, cur_ext)
                if base is None:
                    raise E.not_found(f"{rt.plural}/scale", rt.group, name)
            else:
                base = cur_ext
            patched = self._apply_patch(ct, base, doc, rt, name)
            if is_apply and subresource != "scale":
                patched = ssa.apply(base, doc, ssa.manager_of(req), rt.group_version,
                                    req.query.get("force") in ("true", "1"), subresource,
                                    rt.has_status())
                req.ssa_entries = patched["metadata"]["managedFields"]
            if subresource == "scale":
                return self._write_scale(req, rt, namespace, name, patched, cur)
            if not isinstance(patched, dict) or not isinstance(patched.get("metadata"), dict):
                raise E.bad_request("patched object is not a valid object")
            patched = ob.check_type_meta(rt, patched)
            if patched["metadata"].get("name") != name:
                raise E.bad_request(f"the name of the object ({patched['metadata'].get('name')})"
                                    f" does not match the name on the URL ({name})")
            resp = self._update_locked(req, rt, namespace, name, patched, cur, subresource,
                                       precondition_only=True)
            return resp

    def _apply_patch(self, ct, base, doc, rt, name):
        try:
            if ct == "application/json-patch+json":
                return P.json_patch(base, doc)
            if ct == "application/merge-patch+json":
                if not isinstance(doc, dict):
                    raise P.MalformedPatch("merge patch must be a JSON object")
                return P.merge_patch(base, doc)
            if ct == "application/strategic-merge-patch+json":
                return P.strategic_merge_patch(base, doc)
            if not isinstance(doc, dict):
                raise P.MalformedPatch("apply patch must be an object")
            if doc.get("metadata", {}).get("managedFields"):
                raise E.bad_request("metadata.managedFields must be nil")
            if doc.get("kind") != rt.kind or doc.get("apiVersion") != rt.group_version:
                raise E.bad_request(f"invalid object type: {doc.get('apiVersion')}, Kind="
                                    f"{doc.get('kind')}")
            return P.merge_patch(base, doc)
        except P.MalformedPatch as ex:
            raise E.bad_request(str(ex))
        except P.PatchError as ex:
            raise ApiError(422, "Invalid", str(ex),
                           {"name": name, "group": rt.group, "kind": rt.kind})

    # ---- delete ----------------------------------------------------------------------
    def do_delete(self, req, rt, namespace, name):
        opts = {}
        if req.body and req.body.strip():
            try:
                if media(req.header("Content-Type")) == "application/vnd.kubernetes.protobuf":
                    from . import protobuf
                    opts = protobuf.decode(req.body)
                else:
                    opts = json.loads(req.body)
            except ValueError as ex:
                raise E.bad_request(f"DeleteOptions: {ex}")
        pre = (opts or {}).get("preconditions") or {}
        policy = (opts or {}).get("propagationPolicy") or req.query.get("propagationPolicy")
        if policy not in (None, "", "Orphan", "Background", "Foreground"):
            raise E.invalid("DeleteOptions", "meta.k8s.io", "", [FieldError(
                "NotSupported", "propagationPolicy", policy,
                'supported values: "Foreground", "Background", "Orphan", "nil"')])
        if (opts or {}).get("dryRun") not in (None, [], ["All"]):
            raise E.invalid("DeleteOptions", "meta.k8s.io", "", [FieldError(
                "NotSupported", "dryRun", opts["dryRun"], 'supported values: "All"')])
        if (opts or {}).get("dryRun") == ["All"]:
            req.query["dryRun"] = "All"
        with self.store.lock:
            cur = self._get_stored(rt, namespace, name)
            md = cur["metadata"]
            if pre.get("uid") and pre["uid"] != md.get("uid"):
                raise E.conflict(rt.plural, rt.group, name,
                                 f"Precondition failed: UID in precondition: {pre['uid']}, UID in "
                                 f"object meta: {md.get('uid')}")
            if pre.get("resourceVersion") and pre["resourceVersion"] != md["resourceVersion"]:
                raise E.conflict(rt.plural, rt.group, name,
                                 f"Precondition failed: ResourceVersion in precondition: "
                                 f"{pre['resourceVersion']}, ResourceVersion in object meta: "
                                 f"{md['resourceVersion']}")
            if self._dry_run(req):
                return Response(200, status_success(rt, name, md.get("uid")))
            return self._delete_locked(rt, cur)

    def _delete_locked(self, rt, cur):
        md = cur["metadata"]
        name = md["name"]
        if rt.plural == "namespaces":
            for other in self.registry.all():
                if other.namespaced:
                    for o in self.store.list(other.storage, name)[0]:
                        self.store.commit(other.storage, "DELETED", o, o)
        if md.get("finalizers") and rt.plural != "namespaces":
            if md.get("deletionTimestamp"):
                return Response(200, ob.to_external(rt, cur))
            new = copy.deepcopy(cur)
            new["metadata"]["deletionTimestamp"] = now_rfc3339()
            new["metadata"]["deletionGracePeriodSeconds"] = 0
            stored = self.store.commit(rt.storage, "MODIFIED", new, cur)
            return Response(200, ob.to_external(rt, stored))
        stored = self.store.commit(rt.storage, "DELETED", cur, cur)
        self._after_delete(rt, stored)
        if rt.plural == "namespaces":
            stored["metadata"]["deletionTimestamp"] = now_rfc3339()
            stored["status"] = {"phase": "Terminating"}
            return Response(200, ob.to_external(rt, stored))
        return Response(200, status_success(rt, name, md.get("uid")))

    def _after_delete(self, rt, stored):
        if rt.plural == "customresourcedefinitions":
            spec = stored["spec"]
            storage = f"{spec['group']}/{spec['names']['plural']}"
            for o in self.store.list(storage)[0]:
                self.store.commit(storage, "DELETED", o, o)
            self.registry.remove_crd(stored["metadata"]["name"])
            self.store.drop_watches("eof", storage)  # the resource is gone: end its watches

    def do_deletecollection(self, req, rt, namespace, name):
        pred = self._selectors(req, rt)
        with self.store.lock:
            items, _ = self.store.list(rt.storage, namespace if rt.namespaced and namespace
                                       else None)
            out = []
            for o in items:
                if pred(o):
                    if not self._dry_run(req):
                        self._delete_locked(rt, o)
                    out.append(ob.to_external(rt, o, in_list=True))
        return Response(200, {"kind": rt.list_kind, "apiVersion": rt.group_version,
                              "metadata": {"resourceVersion": str(self.store.rv)},
                              "items": out})

    # ---- subresources ----------------------------------------------------------------
    def subresource(self, req, rt, namespace, name, sub, verb):
        if verb not in ("get", "update", "patch"):
            raise E.method_not_allowed(verb, f"{rt.plural}/{sub}")
        if sub == "status":
            if verb == "get":
                return self.do_get(req, rt, namespace, name)
            if verb == "update":
                return self.do_update(req, rt, namespace, name, subresource="status")
            return self.do_patch(req, rt, namespace, name, subresource="status")
        # scale
        if verb == "patch":
            return self.do_patch(req, rt, namespace, name, subresource="scale")
        with self.store.lock:
            cur = self.store.get(rt.storage, namespace, name)
            if cur is None:
                raise E.not_found(f"{rt.plural}/scale", rt.group, name)
            cur_ext = ob.to_external(rt, cur)
            scale = sc.scale_of(rt, cur_ext)
            if scale is None:
                raise E.not_found(f"{rt.plural}/scale", rt.group, name)
            if verb == "get":
                return Response(200, scale)
            body = self._decode(req, rt)
            if body.get("kind") not in (None, "Scale") or body.get("apiVersion") not in (
                    None, "autoscaling/v1"):
                raise E.bad_request(f"the API version in the data ({body.get('apiVersion')}) "
                                    "does not match the expected API version (autoscaling/v1)")
            if (body.get("metadata") or {}).get("name") not in (None, name):
                raise E.bad_request("the name of the object does not match the name on the URL")
            return self._write_scale(req, rt, namespace, name, body, cur)

    def _write_scale(self, req, rt, namespace, name, scale, cur):
        errs = sc.validate_scale(scale)
        if errs:
            raise E.invalid("Scale", "autoscaling", name, errs)
        md = scale.get("metadata") or {}
        if md.get("uid") and md["uid"] != cur["metadata"].get("uid"):
            raise E.conflict(rt.plural, rt.group, name,
                             f"Precondition failed: UID in precondition: {md['uid']}, UID in "
                             f"object meta: {cur['metadata'].get('uid')}")
        cur_ext = ob.to_external(rt, cur)
        new = copy.deepcopy(cur_ext)
        replicas = (scale.get("spec") or {}).get("replicas", 0)
        sc.set_path(new, rt.scale_paths[0], replicas)
        new["metadata"]["resourceVersion"] = md.get("resourceVersion") or ""
        # A PUT of /scale without resourceVersion is unconditional only where the parent
        # type allows it (Deployments yes, custom resources no); PATCH always carries the
        # current resourceVersion.
        resp = self._update_locked(req, rt, namespace, name, new, cur, "")
        if resp.code >= 300:
            return resp
        return Response(200, sc.scale_of(rt, resp.body), headers=resp.headers)

