"""Kubernetes Status errors (K8S:apimachinery/pkg/api/errors/errors.go).

Every failure inside the server is raised as ApiError and written out as a
`Status` object; the only non-Status error is the throttling 429 (plain text).
"""


class ApiError(Exception):
    """An error that is answered with a Status body and an HTTP code."""

    def __init__(self, code, reason, message, details=None, headers=None):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.headers = headers or {}

    def status(self):
        body = {"kind": "Status", "apiVersion": "v1", "metadata": {},
                "status": "Failure", "message": self.message, "reason": self.reason}
        if self.details:
            body["details"] = self.details
        body["code"] = self.code
        return body


def qualified(resource, group):
    """`deployments.apps`, or just `pods` for the core group."""
    return f"{resource}.{group}" if group else resource


def _details(name, group, kind, **extra):
    d = {}
    if name:
        d["name"] = name
    if group:
        d["group"] = group
    if kind:
        d["kind"] = kind
    d.update(extra)
    return d


def not_found(resource, group, name):
    return ApiError(404, "NotFound", f'{qualified(resource, group)} "{name}" not found',
                    _details(name, group, resource))


def not_found_path():
    return ApiError(404, "NotFound", "the server could not find the requested resource",
                    {})


def already_exists(resource, group, name):
    return ApiError(409, "AlreadyExists",
                    f'{qualified(resource, group)} "{name}" already exists',
                    _details(name, group, resource))


OPTIMISTIC_LOCK_MSG = ("the object has been modified; please apply your changes to the "
                       "latest version and try again")


def conflict(resource, group, name, why=OPTIMISTIC_LOCK_MSG):
    return ApiError(409, "Conflict",
                    f'Operation cannot be fulfilled on {qualified(resource, group)} '
                    f'"{name}": {why}',
                    _details(name, group, resource))


def bad_request(message):
    return ApiError(400, "BadRequest", message)


class FieldError:
    """One field error (K8S:apimachinery/pkg/util/validation/field/errors.go)."""

    def __init__(self, kind, field, value=None, detail="", has_value=True):
        self.kind = kind  # Required, Invalid, NotSupported, Forbidden, TooLong, TypeInvalid, ...
        self.field = field
        self.value = value
        self.detail = detail
        self.has_value = has_value

    REASONS = {
        "Required": ("FieldValueRequired", "Required value"),
        "Invalid": ("FieldValueInvalid", "Invalid value"),
        "NotSupported": ("FieldValueNotSupported", "Unsupported value"),
        "Forbidden": ("FieldValueForbidden", "Forbidden"),
        "TooLong": ("FieldValueTooLong", "Too long"),
        "TooMany": ("FieldValueTooMany", "Too many"),
        "TypeInvalid": ("FieldValueTypeInvalid", "Invalid value"),
        "Duplicate": ("FieldValueDuplicate", "Duplicate value"),
        "NotFound": ("FieldValueNotFound", "Not found"),
    }

    def body(self):
        reason, head = self.REASONS[self.kind]
        if self.kind in ("Invalid", "NotSupported", "TypeInvalid", "Duplicate", "NotFound") \
                and self.has_value:
            shown = getattr(self, "value_text", None) or go_value(self.value)
            s = f"{head}: {shown}"
        else:
            s = head
        if self.detail:
            s += ": " + self.detail
        return reason, s

    def cause(self):
        reason, msg = self.body()
        return {"reason": reason, "message": msg, "field": self.field}

    def __str__(self):
        return f"{self.field}: {self.body()[1]}"


def go_value(v):
    """Formats a value like field.Error does (%#v-ish for scalars, quoted strings)."""
    import json
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if v is None:
        return "null"
    if isinstance(v, dict):
        return '"object"'
    if isinstance(v, list):
        return '"array"'
    return json.dumps(v)


def invalid(kind, group, name, errors):
    """422 Invalid: `<Kind>.<group> "<name>" is invalid: ...` with causes."""
    errs = list(errors)
    text = str(errs[0]) if len(errs) == 1 else "[" + ", ".join(str(e) for e in errs) + "]"
    gk = f"{kind}.{group}" if group else kind
    return ApiError(422, "Invalid", f'{gk} "{name}" is invalid: {text}',
                    _details(name, group, kind, causes=[e.cause() for e in errs]))


def unsupported_media(accepted):
    return ApiError(415, "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types "
                    "include: " + ", ".join(accepted))


def not_acceptable(accepted):
    return ApiError(406, "NotAcceptable",
                    "only the following media types are accepted: " + ", ".join(accepted))


def method_not_allowed(action, resource):
    return ApiError(405, "MethodNotAllowed",
                    f'{action} is not supported on resources of kind "{resource}"')


def forbidden(resource, group, name, reason_text):
    qr = qualified(resource, group)
    prefix = f'{qr} "{name}" is forbidden: ' if name else f"{qr} is forbidden: "
    return ApiError(403, "Forbidden", prefix + reason_text,
                    _details(name, group, resource))


def unauthorized():
    return ApiError(401, "Unauthorized", "Unauthorized")


def expired(message):
    return ApiError(410, "Expired", message)


def internal(message):
    return ApiError(500, "InternalError", f"Internal error occurred: {message}",
                    {"causes": [{"message": message}]})


def too_large_rv(requested, current):
    return ApiError(504, "Timeout",
                    f"Too large resource version: {requested}, current: {current}",
                    {"causes": [{"reason": "ResourceVersionTooLarge",
                                 "message": "Too large resource version"}],
                     "retryAfterSeconds": 1},
                    headers={"Retry-After": "1"})
