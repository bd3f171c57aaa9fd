"""GET, LIST and WATCH (contract §2, §3): resourceVersion semantics, selectors,
paging with continue tokens, Tables, PartialObjectMetadata, watch streams."""
import base64
import json
import random

from . import errors as E
from . import objects as ob
from . import tables
from .errors import FieldError
from .selector import field_matcher, parse_field_selector, parse_label_selector
from .wire import Response

WATCH_DEFAULT_TIMEOUT = (1800, 3600)  # kube-apiserver: [minRequestTimeout, 2x]


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



class ReadHandlers:
    """Mixin of Api: the read verbs."""

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
                raise E.expired("The resourceVersion for the provided list is too old.")
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



def _okey(o):
    return f"{o['metadata'].get('namespace', '')}/{o['metadata']['name']}"
