"""Transport-independent request processing: routing, authentication,
authorization, and the REST verbs for every served resource type.

Api.handle(Request) returns a Response; watches return a Response whose
`watch` is a WatchStream that the HTTP layer drains (http.py).
"""
import base64
import copy
import json
import random
import time
import urllib.parse

from . import crd as crdmod
from . import discovery
from . import errors as E
from . import objects as ob
from . import patch as P
from . import scale as sc
from . import tables
from .errors import ApiError, FieldError
from .meta import now_rfc3339
from .rbac import Attributes, forbidden_message, make_user, service_account_groups
from .selector import field_matcher, parse_field_selector, parse_label_selector

BUILTIN_PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json",
                       "application/strategic-merge-patch+json", "application/apply-patch+yaml"]
CR_PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json",
                  "application/apply-patch+yaml"]
BODY_TYPES = ["application/json", "application/yaml"]
TOO_LARGE_RV_WAIT_SECONDS = 3.0
WATCH_DEFAULT_TIMEOUT = (1800, 3600)


class Request:
    def __init__(self, method, target, headers, body=b""):
        self.method = method.upper()
        u = urllib.parse.urlsplit(target)
        self.path = urllib.parse.unquote(u.path)
        self.raw_query = u.query
        self.query = {}
        for k, v in urllib.parse.parse_qsl(u.query, keep_blank_values=True):
            self.query[k] = v
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.impersonate_groups = [v for k, v in getattr(headers, "_multi", []) if
                                   k.lower() == "impersonate-group"]
        self.body = body
        self.user = None

    def header(self, name, default=""):
        return self.headers.get(name.lower(), default)


class Response:
    def __init__(self, code=200, body=None, headers=None, content_type="application/json",
                 watch=None, raw=None):
        self.code = code
        self.body = body
        self.headers = headers or {}
        self.content_type = content_type
        self.watch = watch
        self.raw = raw


class WatchStream:
    """What the HTTP layer needs to serve a watch."""

    def __init__(self, api, rt, watcher, timeout, bookmarks, table_version, include_object,
                 initial_error=None):
        self.api, self.rt, self.watcher = api, rt, watcher
        self.timeout = timeout
        self.bookmarks = bookmarks
        self.table_version = table_version
        self.include_object = include_object
        self.initial_error = initial_error
        self.first = True
        self.partial_version = None

    def encode(self, etype, obj):
        if etype == "ERROR":
            return {"type": "ERROR", "object": obj}
        if etype == "BOOKMARK":
            o = {"kind": self.rt.kind, "apiVersion": self.rt.group_version,
                 "metadata": {"resourceVersion": obj, "creationTimestamp": None}}
            if self.rt.crd is not None:
                del o["metadata"]["creationTimestamp"]
            return {"type": "BOOKMARK", "object": o}
        ext = ob.to_external(self.rt, obj)
        if self.partial_version:
            return {"type": etype, "object": tables.partial_metadata(ext, self.partial_version)}
        if self.table_version:
            ext = tables.table(self.rt, [ext], None, self.table_version, self.include_object,
                               headers=self.first)
            self.first = False
        return {"type": etype, "object": ext}

    def close(self):
        if self.watcher is not None:
            self.api.store.unwatch(self.watcher)


def _status_success(rt, name, uid):
    d = {"name": name, "kind": rt.plural}
    if rt.group:
        d["group"] = rt.group
    d["uid"] = uid
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
            "details": {k: d[k] for k in ("name", "group", "kind", "uid") if k in d}}


def _media(ct):
    return (ct or "").split(";")[0].strip().lower()


class Api:
    def __init__(self, store, registry, authorizer, faults, tokens, server_address="",
                 rollout=None):
        self.store = store
        self.registry = registry
        self.authorizer = authorizer
        self.faults = faults
        self.tokens = tokens  # token -> User
        self.server_address = server_address
        self.rollout = rollout
        # How a watch from a compacted resourceVersion fails: "event" (a 200 stream with
        # one ERROR event, as kube-apiserver's watch cache does) or "http" (a plain 410
        # response, as other paths/servers do). Clients must handle both (contract §3.6).
        self.expired_watch_mode = "event"

    # ---- entry point ---------------------------------------------------------------
    def handle(self, req):
        try:
            delay = self.faults.latency(req.path)
            if delay:
                time.sleep(delay)
            injected = self.faults.take_failure(req.method, req.path)
            if injected is not None:
                if isinstance(injected, ApiError):
                    raise injected
                code, headers, raw = injected
                return Response(code, headers=headers, raw=raw,
                                content_type=headers.pop("Content-Type"))
            req.user = self.authenticate(req)
            self._check_accept(req)
            return self.route(req)
        except ApiError as err:
            return Response(err.code, err.status(), headers=dict(err.headers))
        except Exception as ex:  # a server bug: answer 500 and log it, never hang up
            import traceback
            traceback.print_exc()
            err = E.internal(f"kubeemu: {ex!r}")
            return Response(err.code, err.status())

    def authenticate(self, req):
        auth = req.header("Authorization")
        if not auth.startswith("Bearer "):
            raise E.unauthorized()
        user = self.tokens.get(auth[len("Bearer "):].strip())
        if user is None:
            raise E.unauthorized()
        imp = req.header("Impersonate-User")
        if imp or req.impersonate_groups:
            if not imp:
                raise E.bad_request("requested [{Group  %s  }] without impersonating a user"
                                    % ",".join(req.impersonate_groups))
            parts = imp.split(":")
            if len(parts) == 4 and parts[:2] == ["system", "serviceaccount"]:
                a = Attributes("impersonate", "", "serviceaccounts", name=parts[3],
                               namespace=parts[2])
            else:
                a = Attributes("impersonate", "", "users", name=imp)
            ok, _ = self.authorizer.decide(user, a)
            for g in req.impersonate_groups:
                ok = ok and self.authorizer.decide(user, Attributes("impersonate", "", "groups",
                                                                    name=g))[0]
            if not ok:
                res = "serviceaccounts" if a.resource == "serviceaccounts" else "users"
                raise ApiError(403, "Forbidden",
                               f'{res} "{a.name}" is forbidden: User "{user.name}" cannot '
                               f'impersonate resource "{res}" in API group "" '
                               + (f'in the namespace "{a.namespace}"' if a.namespace else
                                  "at the cluster scope"),
                               {"name": a.name, "kind": res})
            groups = req.impersonate_groups or service_account_groups(imp)
            user = make_user(imp, groups)
        return user

    def _check_accept(self, req):
        accept = req.header("Accept")
        if not accept:
            return
        for part in accept.split(","):
            params = [p.strip() for p in part.split(";")]
            mt = params[0].lower()
            kv = dict(p.split("=", 1) for p in params[1:] if "=" in p)
            if mt in ("*/*", "application/*"):
                return
            if mt == "application/json":
                if "as" not in kv or kv.get("as") in ("Table", "APIGroupDiscoveryList",
                                                      "PartialObjectMetadata",
                                                      "PartialObjectMetadataList"):
                    return
        raise E.not_acceptable(["application/json", "application/yaml",
                                "application/vnd.kubernetes.protobuf"])

    def authorize(self, req, attrs):
        allowed, reason = self.authorizer.decide(req.user, attrs)
        if allowed and self.faults.denied(attrs):  # applies to the admin too
            allowed, reason = False, "denied by test fault injection"
        if not allowed:
            msg = forbidden_message(req.user, attrs)
            if reason:
                msg += ": " + reason
            if attrs.path is not None:
                raise ApiError(403, "Forbidden", f"forbidden: {msg}", {})
            raise E.forbidden(attrs.resource, attrs.group, attrs.name, msg)

    # ---- routing ---------------------------------------------------------------------
    def route(self, req):
        path = req.path.rstrip("/") or "/"
        segs = [s for s in path.split("/") if s]
        if not segs or segs[0] not in ("api", "apis") or (segs[0] == "api" and len(segs) > 1
                                                          and segs[1] != "v1"):
            return self.non_resource(req, path)
        if segs[0] == "api":
            group, rest = "", segs[1:]
            if not rest:
                return self.non_resource(req, path)
            version, rest = rest[0], rest[1:]
        else:
            if len(segs) < 3:
                return self.non_resource(req, path)
            group, version, rest = segs[1], segs[2], segs[3:]
        if not rest:
            return self.non_resource(req, path)
        namespace = ""
        if rest[0] == "namespaces" and len(rest) >= 3 and not (
                group == "" and len(rest) == 3 and rest[2] in ("status", "finalize")):
            namespace, rest = rest[1], rest[2:]
        plural = rest[0]
        name = rest[1] if len(rest) > 1 else ""
        sub = rest[2] if len(rest) > 2 else ""
        if len(rest) > 3:
            raise E.not_found_path()
        rt = self.registry.lookup(group, version, plural)
        if rt is None:
            raise E.not_found_path()
        if namespace and not rt.namespaced:
            raise E.not_found_path()
        if sub and sub not in rt.subresources:
            raise E.not_found_path()
        verb = self._verb(req, name)
        attr_name = name
        if verb in ("list", "watch"):
            # A list/watch narrowed to one name is authorized with that name, so
            # resourceNames rules can allow it (contract §11.1).
            try:
                reqs = parse_field_selector(req.query.get("fieldSelector", ""))
            except ValueError:
                reqs = []
            names = [v for f, op, v in reqs if f == "metadata.name" and op == "="]
            if len(names) == 1:
                attr_name = names[0]
        attrs = Attributes(verb, group, plural, sub, attr_name, namespace, version=version)
        self.authorize(req, attrs)
        if rt.create_only:
            if req.method != "POST" or name:
                raise E.method_not_allowed(verb, plural)
            return self.review(req, rt)
        if verb not in rt.verbs and not sub:
            raise E.method_not_allowed(verb, plural)
        if verb in ("list", "watch", "create", "deletecollection") and rt.namespaced is False \
                and namespace:
            raise E.not_found_path()
        self._validate_write_options(req)
        if sub:
            resp = self.subresource(req, rt, namespace, name, sub, verb)
        else:
            resp = getattr(self, "do_" + verb)(req, rt, namespace, name)
        info = rt.version_info or {}
        if info.get("deprecated"):
            text = info.get("deprecationWarning") or (
                f"{rt.group_version} {rt.kind} is deprecated")
            resp.headers.setdefault("Warning", [])
            if isinstance(resp.headers["Warning"], str):
                resp.headers["Warning"] = [resp.headers["Warning"]]
            resp.headers["Warning"].append(f'299 - "{text}"')
        return resp

    @staticmethod
    def _verb(req, name):
        m = req.method
        if m in ("GET", "HEAD"):
            if not name:
                return "watch" if req.query.get("watch") in ("true", "1") else "list"
            return "get"
        if m == "POST":
            if name:
                raise E.method_not_allowed("create", "")
            return "create"
        if m == "PUT":
            return "update"
        if m == "PATCH":
            return "patch"
        if m == "DELETE":
            return "delete" if name else "deletecollection"
        raise ApiError(405, "MethodNotAllowed", f"{m} is not supported")

    def _validate_write_options(self, req):
        dr = req.query.get("dryRun")
        if dr is not None and dr not in ("All", ""):
            raise E.invalid("CreateOptions", "meta.k8s.io", "", [
                FieldError("NotSupported", "dryRun", [dr], 'supported values: "All"')])
        fv = req.query.get("fieldValidation")
        if fv is not None and fv not in ("Ignore", "Warn", "Strict", ""):
            raise E.bad_request(f'invalid fieldValidation directive: {fv}')
        fm = req.query.get("fieldManager")
        if fm is not None and (len(fm) > 128 or not fm.isprintable()):
            raise E.invalid("PatchOptions", "meta.k8s.io", "", [
                FieldError("Invalid", "fieldManager", fm,
                           "must be no more than 128 characters")])

    # ---- non-resource paths ------------------------------------------------------------
    def non_resource(self, req, path):
        self.authorize(req, Attributes("get" if req.method in ("GET", "HEAD") else
                                       req.method.lower(), path=path))
        if req.method not in ("GET", "HEAD"):
            raise ApiError(405, "MethodNotAllowed", f"{req.method} is not supported")
        segs = [s for s in path.split("/") if s]
        if path == "/version":
            return Response(200, discovery.VERSION)
        if path in ("/healthz", "/livez", "/readyz"):
            return Response(200, raw=b"ok", content_type="text/plain; charset=utf-8")
        if path == "/api":
            if discovery.wants_aggregated(req.header("Accept")):
                return Response(200, discovery.aggregated(self.registry, True),
                                content_type=discovery.AGGREGATED_CT)
            return Response(200, discovery.api_versions(self.server_address))
        if path == "/apis":
            if discovery.wants_aggregated(req.header("Accept")):
                return Response(200, discovery.aggregated(self.registry, False),
                                content_type=discovery.AGGREGATED_CT)
            return Response(200, discovery.api_group_list(self.registry))
        if path == "/api/v1":
            return Response(200, discovery.resource_list(self.registry, "", "v1"))
        groups = dict(self.registry.groups())
        if segs[0] == "apis" and len(segs) == 2 and segs[1] in groups and segs[1]:
            return Response(200, discovery.api_group(segs[1], groups[segs[1]]))
        if segs[0] == "apis" and len(segs) == 3 and segs[2] in groups.get(segs[1], []):
            return Response(200, discovery.resource_list(self.registry, segs[1], segs[2]))
        if path.startswith("/openapi"):
            from . import openapi
            return openapi.serve(self.registry, path, req)
        raise E.not_found_path()

    # ---- helpers -----------------------------------------------------------------------
    def _decode(self, req, rt, patch=False):
        ct = _media(req.header("Content-Type"))
        if ct == "application/vnd.kubernetes.protobuf" and rt.crd is None:
            from . import protobuf
            if not protobuf.supported(rt.kind):
                raise E.unsupported_media(BODY_TYPES)
            try:
                return protobuf.decode(req.body)
            except protobuf.ProtobufError as ex:
                raise E.bad_request(f"protobuf: {ex}")
        if ct not in BODY_TYPES:
            types = BODY_TYPES + ([] if rt.crd is not None else
                                  ["application/vnd.kubernetes.protobuf"])
            raise E.unsupported_media(types)
        return _parse_body(req.body, ct)

    def _ensure_namespace(self, rt, namespace):
        if not rt.namespaced:
            return
        ns = self.store.get("namespaces", "", namespace)
        if ns is None:
            raise E.not_found("namespaces", "", namespace)
        if ns["metadata"].get("deletionTimestamp"):
            raise ApiError(403, "Forbidden", f"{rt.plural} \"\" is forbidden: unable to create "
                           f"new content in namespace {namespace} because it is being "
                           f"terminated", {"kind": rt.plural})

    def _get_stored(self, rt, namespace, name, resource=None):
        cur = self.store.get(rt.storage, namespace, name)
        if cur is None:
            raise E.not_found(resource or rt.plural, rt.group, name)
        return cur

    @staticmethod
    def _dry_run(req):
        return req.query.get("dryRun") == "All"

    def _field_validation(self, req):
        return req.query.get("fieldValidation") or "Warn"

    def _warn_headers(self, warnings):
        if not warnings:
            return {}
        return {"Warning": [f'299 - "{w}"' for w in warnings]}

    def _check_rv_param(self, req):
        rv = req.query.get("resourceVersion")
        if rv in (None, "", "0"):
            return
        try:
            n = int(rv)
        except ValueError:
            raise E.bad_request(f'invalid resource version "{rv}"')
        deadline = time.monotonic() + TOO_LARGE_RV_WAIT_SECONDS
        while self.store.rv < n and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.store.rv < n:
            raise E.too_large_rv(n, self.store.rv)

    # ---- read ------------------------------------------------------------------------
    def do_get(self, req, rt, namespace, name):
        self._check_rv_param(req)
        cur = self._get_stored(rt, namespace, name)
        ext = ob.to_external(rt, cur)
        tv = tables.wants_table(req.header("Accept"))
        if tv:
            return Response(200, tables.table(rt, [ext], None, tv,
                                              req.query.get("includeObject", "Metadata")))
        pv = tables.wants_partial(req.header("Accept"), list_=False)
        if pv:
            return Response(200, tables.partial_metadata(ext, pv))
        return Response(200, ext)

    def _selectors(self, req, rt):
        try:
            lsel = parse_label_selector(req.query.get("labelSelector", ""))
        except ValueError as ex:
            raise E.bad_request(str(ex))
        try:
            freqs = parse_field_selector(req.query.get("fieldSelector", ""))
        except ValueError as ex:
            raise E.bad_request(str(ex))
        known = rt.field_names()
        for f, _, _ in freqs:
            if f not in known:
                if rt.crd is not None:
                    only = ", ".join(f'"{k}"' for k in known)
                    raise E.bad_request(f'"{f}" is not a known field selector: only {only}')
                raise E.bad_request(f'field label not supported: {f}')
        fmatch = field_matcher(freqs, rt.selectable)

        def pred(obj):
            return lsel(obj["metadata"].get("labels")) and fmatch(obj)
        pred.filtered = bool(req.query.get("labelSelector") or freqs)
        return pred

    def _list_options_errors(self, req, watch):
        q = req.query
        errs = []
        rvm = q.get("resourceVersionMatch", "")
        rv = q.get("resourceVersion", "")
        if q.get("sendInitialEvents") not in (None, ""):
            if not watch:
                errs.append(FieldError("Forbidden", "sendInitialEvents",
                                       detail="sendInitialEvents is forbidden for list",
                                       has_value=False))
            else:
                errs.append(FieldError("Forbidden", "sendInitialEvents",
                                       detail="sendInitialEvents is forbidden for watch unless "
                                              "the WatchList feature gate is enabled",
                                       has_value=False))
        if rvm:
            if watch and q.get("sendInitialEvents") in (None, ""):
                errs.append(FieldError("Forbidden", "resourceVersionMatch",
                                       detail="resourceVersionMatch is forbidden for watch "
                                              "unless sendInitialEvents is provided",
                                       has_value=False))
            if not rv:
                errs.append(FieldError("Forbidden", "resourceVersionMatch",
                                       detail="resourceVersionMatch is forbidden unless "
                                              "resourceVersion is provided", has_value=False))
            if q.get("continue"):
                errs.append(FieldError("Forbidden", "resourceVersionMatch",
                                       detail="resourceVersionMatch is forbidden when continue "
                                              "is provided", has_value=False))
            if rvm not in ("Exact", "NotOlderThan"):
                errs.append(FieldError("NotSupported", "resourceVersionMatch", rvm,
                                       'supported values: "Exact", "NotOlderThan", ""'))
            if rvm == "Exact" and rv == "0":
                errs.append(FieldError("Forbidden", "resourceVersionMatch",
                                       detail='resourceVersionMatch "exact" is forbidden for '
                                              'resourceVersion "0"', has_value=False))
        if errs:
            raise E.invalid("ListOptions", "meta.k8s.io", "", errs)
        for k in ("limit", "timeoutSeconds"):
            if q.get(k) not in (None, ""):
                try:
                    if int(q[k]) < 0:
                        raise ValueError
                except ValueError:
                    raise E.bad_request(f'invalid {k}: "{q[k]}"')

    def do_list(self, req, rt, namespace, name):
        self._list_options_errors(req, watch=False)
        pred = self._selectors(req, rt)
        q = req.query
        rv, rvm = q.get("resourceVersion", ""), q.get("resourceVersionMatch", "")
        limit = int(q.get("limit") or 0)
        cont = q.get("continue", "")
        ns = namespace if rt.namespaced and namespace else None
        start_after = None
        if cont:
            if rv not in ("", "0"):
                raise E.bad_request("specifying resource version is not allowed when using "
                                    "continue")
            try:
                tok = json.loads(base64.urlsafe_b64decode(cont.encode()).decode())
                list_rv, start_after = int(tok["rv"]), tok["start"]
            except Exception:
                raise E.bad_request("continue key is not valid: illegal base64 data")
            items = self.store.list_at(rt.storage, ns, list_rv)
            if items is None:
                raise E.expired("The provided continue parameter is too old to display a "
                                "consistent list result. You can start a new list without the "
                                "continue parameter.")
        elif rv not in ("", "0") and (rvm == "Exact" or (limit and rvm == "")):
            list_rv = int(rv) if rv.isdigit() else -1
            if list_rv < 0:
                raise E.bad_request(f'invalid resource version "{rv}"')
            if list_rv > self.store.rv:
                self._check_rv_param(req)
            items = self.store.list_at(rt.storage, ns, list_rv)
            if items is None:
                raise E.expired(f"The resourceVersion for the provided list is too old.")
        else:
            self._check_rv_param(req)
            items, list_rv = self.store.list(rt.storage, ns)
        items = [o for o in items if pred(o)]
        if start_after is not None:
            items = [o for o in items if _okey(o) > start_after]
        meta = {"resourceVersion": str(list_rv)}
        if limit and len(items) > limit:
            rest = len(items) - limit
            items = items[:limit]
            tok = {"rv": list_rv, "start": _okey(items[-1])}
            meta["continue"] = base64.urlsafe_b64encode(json.dumps(tok).encode()).decode()
            if not pred.filtered:
                meta["remainingItemCount"] = rest
        tv = tables.wants_table(req.header("Accept"))
        if tv:
            exts = [ob.to_external(rt, o) for o in items]
            t = tables.table(rt, exts, str(list_rv), tv, q.get("includeObject", "Metadata"))
            t["metadata"] = meta
            return Response(200, t)
        pv = tables.wants_partial(req.header("Accept"), list_=True)
        if pv:
            return Response(200, {"kind": "PartialObjectMetadataList",
                                  "apiVersion": f"meta.k8s.io/{pv}", "metadata": meta,
                                  "items": [tables.partial_metadata(ob.to_external(rt, o), pv)
                                            for o in items]})
        return Response(200, {"kind": rt.list_kind, "apiVersion": rt.group_version,
                              "metadata": meta,
                              "items": [ob.to_external(rt, o, in_list=True) for o in items]})

    def do_watch(self, req, rt, namespace, name):
        self._list_options_errors(req, watch=True)
        pred = self._selectors(req, rt)
        q = req.query
        rv = q.get("resourceVersion", "")
        timeout = q.get("timeoutSeconds")
        # Without timeoutSeconds kube-apiserver picks [minRequestTimeout, 2x] (1800 s).
        timeout = float(timeout) if timeout not in (None, "") else random.uniform(
            *WATCH_DEFAULT_TIMEOUT)
        since = None
        if rv not in ("", "0"):
            try:
                since = int(rv)
            except ValueError:
                raise E.bad_request(f'invalid resource version "{rv}"')
            if since > self.store.rv:
                self._check_rv_param(req)
        ns = namespace if rt.namespaced and namespace else None
        watcher = self.store.watch(rt.storage, ns, pred, since)
        tv = tables.wants_table(req.header("Accept"))
        pv = tables.wants_partial(req.header("Accept"), list_=False) or \
            tables.wants_partial(req.header("Accept"), list_=True)
        bookmarks = q.get("allowWatchBookmarks") in ("true", "1")
        initial_error = None
        if watcher is None:
            err = E.expired(f"too old resource version: {since} ({self.store.floor})")
            if self.expired_watch_mode == "http":
                raise err
            initial_error = err.status()
        ws = WatchStream(self, rt, watcher, timeout, bookmarks, tv,
                         q.get("includeObject", "Object"), initial_error)
        ws.partial_version = pv
        return Response(200, watch=ws)

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
            if self._dry_run(req):
                out = ob.to_external(rt, ob.to_storage(rt, obj))
                out["metadata"].pop("resourceVersion", None)
                return Response(201, out, headers=self._warn_headers(warnings))
            stored = self.store.commit(rt.storage, "ADDED", ob.to_storage(rt, obj), None)
            if rt.plural == "customresourcedefinitions":
                self.registry.set_crd(stored)
        return Response(201, ob.to_external(rt, stored), headers=self._warn_headers(warnings))

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
        headers = self._warn_headers(warnings)
        if ob.same_object(new, cur_ext):
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
        ct = _media(req.header("Content-Type"))
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
            doc = _parse_body(req.body, "application/yaml" if is_apply else "application/json")
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
                if _media(req.header("Content-Type")) == "application/vnd.kubernetes.protobuf":
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
                return Response(200, _status_success(rt, name, md.get("uid")))
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
        return Response(200, _status_success(rt, name, md.get("uid")))

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

    # ---- authorization reviews -------------------------------------------------------
    def review(self, req, rt):
        body = ob.check_type_meta(rt, self._decode(req, rt))
        spec = body.get("spec") or {}
        if rt.plural == "subjectaccessreviews":
            user = make_user(spec.get("user", ""), spec.get("groups"))
        else:
            user = req.user
        if rt.plural == "selfsubjectrulesreviews":
            ns = spec.get("namespace", "")
            rules = self.authorizer.rules_for(user, ns) if not user.is_admin() else [
                {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]
            rr = [{"verbs": r.get("verbs", []), "apiGroups": r.get("apiGroups", []),
                   "resources": r.get("resources", []),
                   **({"resourceNames": r["resourceNames"]} if r.get("resourceNames") else {})}
                  for r in rules if r.get("resources")]
            nr = [{"verbs": r.get("verbs", []), "nonResourceURLs": r["nonResourceURLs"]}
                  for r in rules if r.get("nonResourceURLs")]
            nr.append({"verbs": ["get"], "nonResourceURLs": ["/api", "/api/*", "/apis",
                                                             "/apis/*", "/healthz", "/livez",
                                                             "/openapi", "/openapi/*",
                                                             "/readyz", "/version",
                                                             "/version/"]})
            rr.append({"verbs": ["create"], "apiGroups": ["authorization.k8s.io"],
                       "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]})
            body["status"] = {"resourceRules": rr, "nonResourceRules": nr, "incomplete": False}
        else:
            ra, nra = spec.get("resourceAttributes"), spec.get("nonResourceAttributes")
            if ra is not None:
                a = Attributes(ra.get("verb", ""), ra.get("group", ""), ra.get("resource", ""),
                               ra.get("subresource", ""), ra.get("name", ""),
                               ra.get("namespace", ""))
            elif nra is not None:
                a = Attributes(nra.get("verb", ""), path=nra.get("path", ""))
            else:
                raise E.invalid(rt.kind, rt.group, "", [FieldError(
                    "Invalid", "spec.resourceAttributes", None,
                    "exactly one of nonResourceAttributes or resourceAttributes must be "
                    "specified")])
            allowed, reason = self.authorizer.decide(user, a)
            if allowed and self.faults.denied(a):
                allowed, reason = False, "denied by test fault injection"
            body["status"] = {"allowed": allowed}
            if reason:
                body["status"]["reason"] = reason
        body["metadata"] = {"creationTimestamp": None}
        return Response(201, body)


def _okey(o):
    return f"{o['metadata'].get('namespace', '')}/{o['metadata']['name']}"


def _parse_body(raw, ct):
    text = raw.decode("utf-8") if raw else ""
    if not text.strip():
        raise E.bad_request("Object 'Kind' is missing in ''")
    try:
        return json.loads(text)
    except ValueError as ex:
        if ct == "application/yaml":
            from . import yamlsub
            try:
                return yamlsub.load(text)
            except ValueError as yex:
                raise E.bad_request(f"error converting YAML to JSON: {yex}")
        raise E.bad_request(f"couldn't get version/kind; json parse error: {ex}")
