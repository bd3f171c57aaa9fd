"""Authentication (bearer tokens, impersonation) and RBAC authorization.

Authorization follows K8S:plugin/pkg/auth/authorizer/rbac: ClusterRoleBindings grant
their ClusterRole everywhere, RoleBindings grant a Role or ClusterRole in their
namespace; rules match on apiGroups, resources ("res/sub", "*", "*/sub"), verbs and
resourceNames; aggregated ClusterRoles collect rules by label selector.
Built-in grants emulated without objects: system:masters may do everything, and
every authenticated user may use discovery/health paths and create
SelfSubjectAccessReviews/SelfSubjectRulesReviews (system:discovery,
system:public-info-viewer, system:basic-user).
"""
import fnmatch

from .selector import parse_label_selector
from .scale import selector_string

PUBLIC_PATHS = ["/version", "/version/", "/healthz", "/livez", "/readyz", "/api", "/api/*",
                "/apis", "/apis/*", "/openapi/*", "/openapi"]


class User:
    def __init__(self, name, groups=(), uid=""):
        self.name = name
        self.groups = list(groups)
        self.uid = uid

    def is_admin(self):
        return "system:masters" in self.groups

    def __repr__(self):
        return f"User({self.name!r}, {self.groups!r})"


def service_account_groups(name):
    parts = name.split(":")
    if len(parts) == 4 and parts[:2] == ["system", "serviceaccount"]:
        return ["system:serviceaccounts", f"system:serviceaccounts:{parts[2]}"]
    return []


def make_user(name, groups=None, uid=""):
    gs = list(groups) if groups else service_account_groups(name)
    if name != "system:anonymous" and "system:authenticated" not in gs:
        gs.append("system:authenticated")
    return User(name, gs, uid)


class Attributes:
    """The request attributes RBAC decides on (K8S:apiserver/pkg/authorization/authorizer)."""

    def __init__(self, verb, group="", resource="", subresource="", name="", namespace="",
                 path=None, version=""):
        self.verb = verb
        self.group = group
        self.version = version
        self.resource = resource
        self.subresource = subresource
        self.name = name
        self.namespace = namespace
        self.path = path  # non-resource request when set

    @property
    def full_resource(self):
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource


def forbidden_message(user, a):
    if a.path is not None:
        return f'User "{user.name}" cannot {a.verb} path "{a.path}"'
    if a.namespace:
        return (f'User "{user.name}" cannot {a.verb} resource "{a.full_resource}" in API group '
                f'"{a.group}" in the namespace "{a.namespace}"')
    return (f'User "{user.name}" cannot {a.verb} resource "{a.full_resource}" in API group '
            f'"{a.group}" at the cluster scope')


class Authorizer:
    """decide(user, attrs) -> (allowed: bool, reason: str)."""

    def __init__(self, store, strict):
        self.store = store
        self.strict = strict

    def decide(self, user, a):
        if user.is_admin():
            return True, ""
        if a.path is not None and "system:authenticated" in user.groups and any(
                fnmatch.fnmatchcase(a.path, p) for p in PUBLIC_PATHS) and a.verb == "get":
            return True, ""
        if (a.path is None and a.group == "authorization.k8s.io" and a.verb == "create"
                and a.resource in ("selfsubjectaccessreviews", "selfsubjectrulesreviews")
                and "system:authenticated" in user.groups):
            return True, ""
        if not self.strict:
            return "system:authenticated" in user.groups, ""
        errors = []
        for rule in self._rules_for(user, a.namespace, errors):
            if _rule_allows(rule, a):
                return True, ""
        reason = ""
        if errors:
            reason = "RBAC: " + (errors[0] if len(errors) == 1 else
                                 "[" + ", ".join(errors) + "]")
        return False, reason

    def rules_for(self, user, namespace):
        return self._rules_for(user, namespace, [])

    def _rules_for(self, user, namespace, errors):
        st = self.store
        rules = []
        crbs, _ = st.list("rbac.authorization.k8s.io/clusterrolebindings")
        for b in crbs:
            if _subject_matches(b, user, None):
                rules += self._role_rules(b.get("roleRef") or {}, None, errors)
        if namespace:
            rbs, _ = st.list("rbac.authorization.k8s.io/rolebindings", namespace)
            for b in rbs:
                if _subject_matches(b, user, namespace):
                    rules += self._role_rules(b.get("roleRef") or {}, namespace, errors)
        return rules

    def _role_rules(self, ref, namespace, errors):
        kind, name = ref.get("kind"), ref.get("name", "")
        if kind == "ClusterRole":
            cr = self.store.get("rbac.authorization.k8s.io/clusterroles", "", name)
            if cr is None:
                errors.append(f'clusterrole.rbac.authorization.k8s.io "{name}" not found')
                return []
            return self._cluster_role_rules(cr)
        if kind == "Role" and namespace:
            r = self.store.get("rbac.authorization.k8s.io/roles", namespace, name)
            if r is None:
                errors.append(f'role.rbac.authorization.k8s.io "{name}" not found')
                return []
            return list(r.get("rules") or [])
        return []

    def _cluster_role_rules(self, cr):
        rules = list(cr.get("rules") or [])
        agg = cr.get("aggregationRule")
        if agg:
            all_crs, _ = self.store.list("rbac.authorization.k8s.io/clusterroles")
            for sel in agg.get("clusterRoleSelectors") or []:
                pred = parse_label_selector(selector_string(sel))
                for other in all_crs:
                    if other["metadata"]["name"] != cr["metadata"]["name"] and \
                            pred(other["metadata"].get("labels") or {}):
                        rules += list(other.get("rules") or [])
        return rules


def _subject_matches(binding, user, namespace):
    for s in binding.get("subjects") or []:
        kind = s.get("kind")
        if kind == "User" and s.get("name") == user.name:
            return True
        if kind == "Group" and s.get("name") in user.groups:
            return True
        if kind == "ServiceAccount":
            ns = s.get("namespace") or namespace or ""
            if user.name == f"system:serviceaccount:{ns}:{s.get('name')}":
                return True
    return False


def _rule_allows(rule, a):
    verbs = rule.get("verbs") or []
    if "*" not in verbs and a.verb not in verbs:
        return False
    if a.path is not None:
        for u in rule.get("nonResourceURLs") or []:
            if u == "*" or u == a.path or (u.endswith("*") and a.path.startswith(u[:-1])):
                return True
        return False
    groups = rule.get("apiGroups") or []
    if "*" not in groups and a.group not in groups:
        return False
    resources = rule.get("resources") or []
    full = a.full_resource
    ok = False
    for r in resources:
        if r == "*" or r == full:
            ok = True
        elif a.subresource and r == f"*/{a.subresource}":
            ok = True
    if not ok:
        return False
    names = rule.get("resourceNames") or []
    if names and a.name not in names:
        return False
    return True
