"""Transport-independent request processing: routing, authentication,
authorization, the non-resource paths and the helpers the verb handlers share.

Api.handle(Request) returns a Response; watches return a Response whose `watch` is
a WatchStream that the HTTP layer drains (httpserver.py). The verbs live in
reads.py, writes.py and reviews.py (mixins of Api).
"""
import time

from . import discovery
from . import errors as E
from .errors import ApiError, FieldError
from .rbac import Attributes, forbidden_message, make_user, service_account_groups
from .reads import ReadHandlers, WatchStream  # noqa: F401  (WatchStream re-exported)
from .reviews import ReviewHandlers
from .selector import parse_field_selector
from .wire import BODY_TYPES, Request, Response, media, parse_body  # noqa: F401
from .writes import WriteHandlers

__all__ = ["Api", "Request", "Response", "WatchStream"]

TOO_LARGE_RV_WAIT_SECONDS = 3.0


class Api(ReadHandlers, WriteHandlers, ReviewHandlers):
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
        ct = media(req.header("Content-Type"))
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
        return parse_body(req.body, ct)

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

