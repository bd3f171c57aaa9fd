"""Fault injection, driven by tests through POST /_test/faults (see README.md).

A Faults object is consulted at the start of every Kubernetes API request; it can
fail the next N matching requests, add latency, or deny a verb on a resource.
Stateful actions (drop watches, compact history, restart) act on the store.
"""
import re
import threading

from . import errors as E
from .errors import ApiError

THROTTLE_TEXT = "Too many requests, please try again later.\n"
CODES = (409, 429, 500, 503, 504)

# /api/v1/[namespaces/NS/]RESOURCE/NAME[/SUB] or /apis/GROUP/VERSION/[namespaces/NS/]...
OBJECT_PATH = re.compile(r"^/(?:api/[^/]+|apis/(?P<group>[^/]+)/[^/]+)"
                         r"(?:/namespaces/[^/]+)?/(?P<resource>[^/]+)(?:/(?P<name>[^/]+))?")


def conflict_for(path, message=None):
    """The 409 kube-apiserver answers a write whose resourceVersion is stale (contract
    §4.3), for the object the path names; a subresource (/scale, /status) conflicts
    as its parent object, whose store raises the error."""
    m = OBJECT_PATH.match(path)
    group = (m.group("group") or "") if m else ""
    resource = m.group("resource") if m else ""
    name = (m.group("name") or "") if m else ""
    err = E.conflict(resource, group, name)
    if message:
        err.message = message
    return err


class Failure:
    def __init__(self, spec):
        self.code = int(spec.get("code", 500))
        if self.code not in CODES:
            raise ValueError("code must be one of " + ", ".join(map(str, CODES)))
        self.count = int(spec.get("count", 1))
        self.retry_after = spec.get("retryAfterSeconds")
        self.path = re.compile(spec["path"]) if spec.get("path") else None
        self.methods = {m.upper() for m in spec.get("methods") or []}
        self.message = spec.get("message")

    def matches(self, method, path):
        if self.methods and method not in self.methods:
            return False
        return self.path is None or bool(self.path.search(path))

    def error(self, path):
        """Returns the ApiError to raise, or (code, headers, body bytes) for the 429."""
        headers = {}
        if self.code == 429:
            ra = self.retry_after if self.retry_after is not None else 1
            return 429, {"Retry-After": str(ra),
                         "Content-Type": "text/plain; charset=utf-8"}, THROTTLE_TEXT.encode()
        details = None
        if self.retry_after is not None:
            details = {"retryAfterSeconds": int(self.retry_after)}
            headers["Retry-After"] = str(int(self.retry_after))
        if self.code == 409:
            err = conflict_for(path, self.message)
            if details:
                err.details = dict(err.details or {}, **details)
        elif self.code == 500:
            msg = self.message or "injected fault"
            details = dict(details or {}, causes=[{"message": msg}])
            err = ApiError(500, "InternalError", f"Internal error occurred: {msg}", details)
        elif self.code == 503:
            err = ApiError(503, "ServiceUnavailable",
                           self.message or "the server is currently unable to handle the request",
                           details)
        else:
            err = ApiError(504, "Timeout", self.message or
                           "Timeout: request did not complete within requested timeout - "
                           "context deadline exceeded", details)
        err.headers = headers
        return err


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.failures = []
        self.latency_seconds = 0.0
        self.latency_path = None
        self.denials = []  # {"verb","resource","group"}
        self.down_until = 0.0

    def configure(self, spec):
        with self.lock:
            for f in spec.get("fail") or []:
                self.failures.append(Failure(f))
            if "latencySeconds" in spec:
                self.latency_seconds = float(spec["latencySeconds"])
                self.latency_path = re.compile(spec["latencyPath"]) if spec.get(
                    "latencyPath") else None
            for d in spec.get("deny") or []:
                self.denials.append({"verb": d.get("verb", "*"), "resource": d["resource"],
                                     "group": d.get("group", "*")})

    def reset(self):
        with self.lock:
            self.failures.clear()
            self.latency_seconds = 0.0
            self.latency_path = None
            self.denials.clear()

    def take_failure(self, method, path):
        with self.lock:
            for f in self.failures:
                if f.matches(method, path):
                    f.count -= 1
                    if f.count <= 0:
                        self.failures.remove(f)
                    return f.error(path)
        return None

    def latency(self, path):
        with self.lock:
            if self.latency_path is not None and not self.latency_path.search(path):
                return 0.0
            return self.latency_seconds

    def denied(self, attrs):
        with self.lock:
            for d in self.denials:
                if d["verb"] in ("*", attrs.verb) and d["resource"] == attrs.full_resource and \
                        d["group"] in ("*", attrs.group):
                    return True
        return False

    def describe(self):
        with self.lock:
            return {"pendingFailures": [{"code": f.code, "count": f.count}
                                        for f in self.failures],
                    "latencySeconds": self.latency_seconds,
                    "deny": list(self.denials)}
