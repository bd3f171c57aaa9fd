"""Appendix A.10 — bearer tokens, 401 Status, strict RBAC from a rendered chart with
the exact 403 text, impersonation, access reviews, TLS with the generated CA."""
import os
import ssl
import unittest

from kubeemu.client import Client
from support import FIXTURES, ServerTestCase, deployment, widget

SA = "system:serviceaccount:pa-system:pa-operator"
LEASES = "/apis/coordination.k8s.io/v1/namespaces/pa-system/leases"


class AuthTest(ServerTestCase):
    strict_rbac = True
    server_args = ("--quiet", "--rbac", os.path.join(FIXTURES, "rbac-chart.yaml"))
    install_widgets = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.op = cls.c.with_token(cls.c.new_token(SA))
        cls.c.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                          "metadata": {"name": "demo"}})
        cls.c.post("/apis/apps/v1/namespaces/demo/deployments", deployment("web"))
        cls.c.post("/apis/example.com/v1/namespaces/demo/widgets", widget("w"))

    def test_unauthenticated_is_401(self):
        for token in (None, "wrong"):
            with self.subTest(token=token):
                body = self.assertStatus(self.c.with_token(token).get("/api/v1/namespaces"),
                                         401, "Unauthorized")
                self.assertEqual(body, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                        "status": "Failure", "message": "Unauthorized",
                                        "reason": "Unauthorized", "code": 401})

    def test_token_rotation(self):
        old = self.c.new_token(SA)
        client = self.c.with_token(old)
        self.assertEqual(client.get("/version")[0], 200)
        self.c.revoke_token(old)                      # the projected token rotated
        self.assertStatus(client.get("/version"), 401, "Unauthorized")
        fresh = self.c.with_token(self.c.new_token(SA))
        self.assertEqual(fresh.get("/apis/apps/v1/namespaces/demo/deployments")[0], 200)

    def test_chart_rbac_is_sufficient(self):
        op = self.op
        ok = [
            op.get("/apis/example.com/v1/widgets"),
            op.get("/apis/example.com/v1/namespaces/demo/widgets/w"),
            op.patch("/apis/example.com/v1/namespaces/demo/widgets/w/status",
                     {"status": {"phase": "Ready"}}),
            op.get("/apis/apps/v1/namespaces/demo/deployments"),
            op.get("/apis/apps/v1/namespaces/demo/deployments/web/scale"),
            op.patch("/apis/apps/v1/namespaces/demo/deployments/web/scale",
                     {"spec": {"replicas": 2}}),
            op.post("/api/v1/namespaces/demo/events", {
                "apiVersion": "v1", "kind": "Event", "metadata": {"generateName": "w."},
                "involvedObject": {"kind": "Widget", "namespace": "demo", "name": "w"},
                "reason": "Test", "message": "m", "type": "Normal"}),
            op.post(LEASES, {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                             "metadata": {"name": "pa-operator-leader"}}),
            op.get(f"{LEASES}/pa-operator-leader"),
            op.get("/version"), op.get("/apis"),
        ]
        for code, body, _ in ok:
            self.assertLess(code, 300, body)
        with op.watch("/apis/example.com/v1/widgets?watch=true&timeoutSeconds=1") as w:
            self.assertEqual(w.status, 200)

    def test_chart_rbac_is_minimal(self):
        op = self.op
        cases = [
            (op.patch("/apis/apps/v1/namespaces/demo/deployments/web", {"spec": {"replicas": 3}}),
             'deployments.apps "web" is forbidden: User "system:serviceaccount:pa-system:'
             'pa-operator" cannot patch resource "deployments" in API group "apps" in the '
             'namespace "demo"'),
            (op.delete("/apis/example.com/v1/namespaces/demo/widgets/w"),
             'widgets.example.com "w" is forbidden: User "system:serviceaccount:pa-system:'
             'pa-operator" cannot delete resource "widgets" in API group "example.com" in the '
             'namespace "demo"'),
            (op.get("/api/v1/namespaces/demo/configmaps"),
             'configmaps is forbidden: User "system:serviceaccount:pa-system:pa-operator" '
             'cannot list resource "configmaps" in API group "" in the namespace "demo"'),
            (op.get("/api/v1/namespaces"),
             'namespaces is forbidden: User "system:serviceaccount:pa-system:pa-operator" '
             'cannot list resource "namespaces" in API group "" at the cluster scope'),
            (op.get(f"{LEASES}/someone-else"),
             'leases.coordination.k8s.io "someone-else" is forbidden: User "system:'
             'serviceaccount:pa-system:pa-operator" cannot get resource "leases" in API group '
             '"coordination.k8s.io" in the namespace "pa-system"'),
            (op.post("/apis/coordination.k8s.io/v1/namespaces/demo/leases", {
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": {"name": "pa-operator-leader"}}),
             'leases.coordination.k8s.io is forbidden: User "system:serviceaccount:pa-system:'
             'pa-operator" cannot create resource "leases" in API group "coordination.k8s.io" '
             'in the namespace "demo"'),
        ]
        for resp, message in cases:
            with self.subTest(message=message[:40]):
                self.assertStatus(resp, 403, "Forbidden", message)
        body = self.assertStatus(op.put("/apis/apps/v1/namespaces/demo/deployments/web/status",
                                        deployment("web")), 403)
        self.assertIn('cannot update resource "deployments/status"', body["message"])
        self.assertEqual(body["details"], {"name": "web", "group": "apps",
                                           "kind": "deployments"})

    def test_resource_names_and_single_object_lists(self):
        # The lease Role pins get to one name: a list is forbidden unless it asks for
        # exactly that name through fieldSelector=metadata.name=<name>.
        self.c.post("/apis/rbac.authorization.k8s.io/v1/namespaces/pa-system/roles", {
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": "watch-one-lease"},
            "rules": [{"apiGroups": ["coordination.k8s.io"], "resources": ["leases"],
                       "resourceNames": ["pa-operator-leader"], "verbs": ["list", "watch"]}]})
        self.c.post("/apis/rbac.authorization.k8s.io/v1/namespaces/pa-system/rolebindings", {
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "watch-one-lease"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                        "name": "watch-one-lease"},
            "subjects": [{"kind": "ServiceAccount", "name": "pa-operator",
                          "namespace": "pa-system"}]})
        self.assertStatus(self.op.get(LEASES), 403, "Forbidden")
        self.assertEqual(self.op.get(LEASES + "?fieldSelector=metadata.name%3D"
                                              "pa-operator-leader")[0], 200)
        self.assertStatus(self.op.get(LEASES + "?fieldSelector=metadata.name%3Dother"), 403)

    def test_missing_role_is_reported(self):
        self.c.post("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": {"name": "dangling"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                        "name": "does-not-exist"},
            "subjects": [{"kind": "User", "name": "dangler"}]})
        dangler = self.c.with_token(self.c.new_token("dangler"))
        body = self.assertStatus(dangler.get("/api/v1/pods"), 403)
        self.assertTrue(body["message"].endswith(
            ': RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found'))

    def test_access_reviews_and_impersonation(self):
        review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                  "spec": {"resourceAttributes": {"namespace": "demo", "verb": "patch",
                                                  "group": "apps", "resource": "deployments",
                                                  "subresource": "scale"}}}
        body = self.assertStatus(self.op.post(
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review), 201)
        self.assertTrue(body["status"]["allowed"])
        review["spec"]["resourceAttributes"]["subresource"] = ""
        body = self.op.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review)[1]
        self.assertFalse(body["status"]["allowed"])
        code, body, _ = self.c.get("/apis/apps/v1/namespaces/demo/deployments",
                                   headers={"Impersonate-User": SA})
        self.assertEqual(code, 200)
        code, body, _ = self.c.get("/api/v1/namespaces", headers={"Impersonate-User": SA})
        self.assertEqual(code, 403)
        code, body, _ = self.op.get("/api/v1/namespaces",
                                    headers={"Impersonate-User": "kubeemu-admin"})
        self.assertEqual(code, 403)

    def test_deny_hook(self):
        try:
            self.c.faults(deny=[{"verb": "patch", "resource": "deployments/scale",
                                 "group": "apps"}])
            body = self.assertStatus(self.op.patch(
                "/apis/apps/v1/namespaces/demo/deployments/web/scale", {"spec": {"replicas": 1}}),
                403, "Forbidden")
            self.assertIn("denied by test fault injection", body["message"])
        finally:
            self.c.reset_faults()

    def test_plain_http_and_ipv6_on_request(self):
        from kubeemu.client import ServerProcess
        for args in (("--insecure-http",), ()):
            with ServerProcess(args=("--quiet",) + args, host="::1") as srv:
                want = "http://[::1]:" if args else "https://[::1]:"
                self.assertTrue(srv.config["server"].startswith(want), srv.config["server"])
                self.assertEqual(srv.client().get("/version")[0], 200)

    def test_tls_and_kubeconfig(self):
        cfg = self.server.config
        self.assertTrue(cfg["server"].startswith("https://127.0.0.1:"))
        self.assertTrue(cfg["ca_pem"].startswith(b"-----BEGIN CERTIFICATE-----"))
        # Without the generated CA the certificate is not trusted.
        bare = Client(cfg["server"], cfg["token"], None)
        with self.assertRaises(ssl.SSLError):
            bare.get("/version")
        # localhost is in the certificate too.
        local = Client(cfg["server"].replace("127.0.0.1", "localhost"), cfg["token"],
                       cfg["ca_pem"])
        self.assertEqual(local.get("/version")[0], 200)


if __name__ == "__main__":
    unittest.main()
