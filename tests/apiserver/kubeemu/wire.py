"""Wire-level pieces shared by the handlers: the Request and Response the HTTP
layer exchanges with Api, body decoding, media types, the Success Status."""
import json
import urllib.parse

from . import errors as E

BODY_TYPES = ["application/json", "application/yaml"]


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


def status_success(rt, name, uid):
    """The Status a completed DELETE returns; details.kind is the resource (store.go)."""
    d = {"name": name, "kind": rt.plural}
    if rt.group:
        d["group"] = rt.group
    d["uid"] = uid
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
            "details": {k: d[k] for k in ("name", "group", "kind", "uid") if k in d}}


def media(ct):
    """The media type of a Content-Type, without parameters (`; charset=...`)."""
    return (ct or "").split(";")[0].strip().lower()


def parse_body(raw, ct):
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
