"""Object metadata helpers: timestamps, uids, names, ObjectMeta field checks."""
import datetime
import random
import re
import string
import uuid

from .errors import FieldError

DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

# Fields of ObjectMeta (K8S:apimachinery/pkg/apis/meta/v1/types.go); anything else under
# metadata is pruned (CRs) or dropped (built-ins).
OBJECT_META_FIELDS = {
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
    "annotations", "ownerReferences", "finalizers", "managedFields",
}


def now_rfc3339(clock=None):
    t = datetime.datetime.now(datetime.timezone.utc) if clock is None else clock()
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(s):
    """Parses metav1.Time and MicroTime strings (fractions of any length)."""
    s = s.replace("Z", "+00:00")
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)$", s)
    if m:
        s = f"{m.group(1)}.{(m.group(2) + '000000')[:6]}{m.group(3)}"
    t = datetime.datetime.fromisoformat(s)
    if t.tzinfo is None:
        raise ValueError(f"time without zone: {s}")
    return t


def new_uid():
    return str(uuid.uuid4())


def generate_name(prefix):
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    return prefix + "".join(random.choice(alphabet) for _ in range(5))


def human_duration(seconds):
    """kubectl-style short age (K8S:apimachinery/pkg/util/duration.HumanDuration)."""
    s = int(seconds)
    if s < 0:
        s = 0
    if s < 120:
        return f"{s}s"
    m = s // 60
    if m < 10:
        return f"{m}m{s % 60}s" if s % 60 else f"{m}m"
    if m < 180:
        return f"{m}m"
    h = s // 3600
    if h < 8:
        return f"{h}h{m % 60}m" if m % 60 else f"{h}h"
    if h < 48:
        return f"{h}h"
    d = h // 24
    if h < 24 * 8:
        return f"{d}d{h % 24}h" if h % 24 else f"{d}d"
    return f"{d}d"


def age(obj):
    ts = obj.get("metadata", {}).get("creationTimestamp")
    if not ts:
        return "<unknown>"
    now = datetime.datetime.now(datetime.timezone.utc)
    return human_duration((now - parse_rfc3339(ts)).total_seconds())


def validate_name(name, path="metadata.name", label=False):
    errs = []
    rx, maxlen = (DNS1123_LABEL, 63) if label else (DNS1123_SUBDOMAIN, 253)
    if not name:
        errs.append(FieldError("Required", path, detail="name or generateName is required",
                               has_value=False))
    elif len(name) > maxlen or not rx.match(name):
        what = "RFC 1123 label" if label else "RFC 1123 subdomain"
        errs.append(FieldError(
            "Invalid", path, name,
            f"a lowercase {what} must consist of lower case alphanumeric characters, '-'"
            + ("" if label else " or '.'") + ", and must start and end with an alphanumeric "
            "character"))
    return errs


def validate_labels(meta):
    from .selector import _LABEL_KEY_RE, _LABEL_VALUE_RE
    errs = []
    for k, v in (meta.get("labels") or {}).items():
        if not _LABEL_KEY_RE.match(k):
            errs.append(FieldError("Invalid", "metadata.labels", k,
                                   "name part must consist of alphanumeric characters, '-', '_' "
                                   "or '.', and must start and end with an alphanumeric character"))
        if not isinstance(v, str) or len(v) > 63 or not _LABEL_VALUE_RE.match(v):
            errs.append(FieldError("Invalid", "metadata.labels", v,
                                   "a valid label must be an empty string or consist of "
                                   "alphanumeric characters, '-', '_' or '.', and must start and "
                                   "end with an alphanumeric character"))
    for k, v in (meta.get("annotations") or {}).items():
        if not isinstance(v, str):
            errs.append(FieldError("TypeInvalid", f"metadata.annotations.{k}", v,
                                   "must be a string"))
    return errs


def validate_meta_update(old, new):
    """ValidateObjectMetaUpdate: immutable fields and the finalizer rule."""
    errs = []
    om, nm = old["metadata"], new["metadata"]
    for f in ("uid", "creationTimestamp", "name", "namespace"):
        if om.get(f) != nm.get(f):
            errs.append(FieldError("Invalid", f"metadata.{f}", nm.get(f),
                                   "field is immutable"))
    for f in ("deletionTimestamp", "deletionGracePeriodSeconds"):
        if om.get(f) != nm.get(f):
            errs.append(FieldError("Invalid", f"metadata.{f}", nm.get(f),
                                   "field is immutable; may only be changed via deletion"))
    if om.get("deletionTimestamp"):
        added = [f for f in (nm.get("finalizers") or []) if f not in (om.get("finalizers") or [])]
        if added:
            go = "[]string{" + ", ".join(f'"{f}"' for f in added) + "}"
            errs.append(FieldError("Forbidden", "metadata.finalizers",
                                   detail=f"no new finalizers can be added if the object is "
                                          f"being deleted, found new finalizers {go}",
                                   has_value=False))
    if (nm.get("generation") or 0) < (om.get("generation") or 0):
        errs.append(FieldError("Invalid", "metadata.generation", nm.get("generation"),
                               "must not be decremented"))
    return errs


def random_token(n=40):
    return "".join(random.SystemRandom().choice(string.ascii_letters + string.digits)
                   for _ in range(n))
