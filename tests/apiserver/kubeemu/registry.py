"""Which resource types are served: the built-ins plus one entry per served
version of every established CRD."""
import re
import threading

from .crd import is_established, resource_types_for
from .resources import builtin_types

GROUP_ORDER = ["", "apps", "events.k8s.io", "authorization.k8s.io", "coordination.k8s.io",
               "rbac.authorization.k8s.io", "apiextensions.k8s.io"]


def version_priority(v):
    """Kubernetes version ordering: GA > beta > alpha, higher numbers first."""
    m = re.match(r"^v(\d+)(?:(alpha|beta)(\d+))?$", v)
    if not m:
        return (3, 0, 0, v)
    major, stage, minor = int(m.group(1)), m.group(2), int(m.group(3) or 0)
    rank = {None: 0, "beta": 1, "alpha": 2}[stage]
    return (rank, -major, -minor, v)


class Registry:
    def __init__(self):
        self.lock = threading.RLock()
        self.builtins = builtin_types()
        self.crd_types = {}  # CRD name -> [ResourceType]

    def set_crd(self, crd):
        with self.lock:
            name = crd["metadata"]["name"]
            if is_established(crd):
                self.crd_types[name] = resource_types_for(crd)
            else:
                self.crd_types.pop(name, None)

    def remove_crd(self, name):
        with self.lock:
            self.crd_types.pop(name, None)

    def all(self):
        with self.lock:
            out = list(self.builtins)
            for name in sorted(self.crd_types):
                out += self.crd_types[name]
            return out

    def lookup(self, group, version, plural):
        for rt in self.all():
            if rt.group == group and rt.version == version and rt.plural == plural:
                return rt
        return None

    def lookup_storage(self, storage):
        for rt in self.all():
            if rt.storage == storage:
                return rt
        return None

    def groups(self):
        """[(group, [versions in preference order])], core group ("") first."""
        seen = {}
        for rt in self.all():
            seen.setdefault(rt.group, set()).add(rt.version)
        order = [g for g in GROUP_ORDER if g in seen] + sorted(
            g for g in seen if g not in GROUP_ORDER)
        return [(g, sorted(seen[g], key=version_priority)) for g in order]

    def types_in(self, group, version):
        return [rt for rt in self.all() if rt.group == group and rt.version == version]
