"""authorization.k8s.io/v1 reviews: SelfSubjectAccessReview (kubectl auth can-i),
SubjectAccessReview and SelfSubjectRulesReview (kubectl auth can-i --list)."""
from . import errors as E
from . import objects as ob
from .errors import FieldError
from .rbac import Attributes, make_user
from .wire import Response


class ReviewHandlers:
    """Mixin of Api: answers access reviews from the authorizer."""

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


