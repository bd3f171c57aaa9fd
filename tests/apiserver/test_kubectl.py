"""A real client against the server: kubectl (the one on PATH) applies a CRD and a CR,
lists them with printer columns, watches, scales a Deployment, describes objects with
their Events, deletes, and answers `auth can-i` from the loaded RBAC.

Fails (never skips) when kubectl is missing."""
import json
import os
import shutil
import subprocess
import tempfile
import threading
import unittest

from kubeemu.server import kubeconfig_text
from support import FIXTURES, ServerTestCase, deployment

SA = "system:serviceaccount:pa-system:pa-operator"
KUBECTL_TIMEOUT_SECONDS = 30


class KubectlTest(ServerTestCase):
    strict_rbac = True
    server_args = ("--quiet", "--pod-startup-delay", "0.3",
                   "--rbac", os.path.join(FIXTURES, "rbac-chart.yaml"))

    @classmethod
    def setUpClass(cls):
        cls.kubectl = shutil.which("kubectl")
        if cls.kubectl is None:
            raise AssertionError("kubectl is not on PATH: install it (Debian package "
                                 "kubernetes-client, or run scripts/bootstrap) to run this test")
        super().setUpClass()
        cls.home = tempfile.mkdtemp(prefix="kubeemu-kubectl-")
        cls.env = dict(os.environ, KUBECONFIG=cls.server.kubeconfig, HOME=cls.home,
                       KUBECACHEDIR=os.path.join(cls.home, "cache"))

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(getattr(cls, "home", ""), ignore_errors=True)

    def run_kubectl(self, *args, check=True, stdin=None, env=None):
        p = subprocess.run([self.kubectl, *args], capture_output=True, text=True, input=stdin,
                           env=env or self.env, timeout=KUBECTL_TIMEOUT_SECONDS)
        if check and p.returncode != 0:
            self.fail(f"kubectl {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n"
                      f"{p.stderr}")
        return p

    def test_1_crd_and_cr_lifecycle(self):
        out = self.run_kubectl("apply", "-f", os.path.join(FIXTURES, "widget-crd.yaml")).stdout
        self.assertIn("customresourcedefinition.apiextensions.k8s.io/widgets.example.com created",
                      out)
        self.run_kubectl("wait", "--for=condition=Established", "--timeout=20s",
                         "crd/widgets.example.com")
        out = self.run_kubectl("apply", "-f", os.path.join(FIXTURES, "widget.yaml")).stdout
        self.assertIn("widget.example.com/gizmo created", out)
        # Re-applying is a no-op patch.
        out = self.run_kubectl("apply", "-f", os.path.join(FIXTURES, "widget.yaml")).stdout
        self.assertIn("widget.example.com/gizmo unchanged", out)

        # Printer columns come from the CRD (Table responses).
        lines = self.run_kubectl("get", "widgets").stdout.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "SIZE", "REPLICAS", "AGE"])
        self.assertEqual(lines[1].split()[:3], ["gizmo", "small", "2"])
        self.assertEqual(self.run_kubectl("get", "wd", "gizmo", "-o",
                                          "jsonpath={.spec.tuning.mode}").stdout, "auto")

        # Server-side validation reaches kubectl.
        bad = self.run_kubectl("apply", "-f", "-", check=False, stdin=json.dumps({
            "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "bad"},
            "spec": {"size": "huge"}}))
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn('Unsupported value: "huge"', bad.stderr)

        # kubectl get -w sees the changes.
        watch = subprocess.Popen([self.kubectl, "get", "widgets", "-w",
                                  "--output-watch-events"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=self.env)
        killer = threading.Timer(KUBECTL_TIMEOUT_SECONDS, watch.kill)  # bounds every read
        killer.start()
        try:
            rows = [watch.stdout.readline().split(), watch.stdout.readline().split()]
            self.assertEqual(rows[0], ["EVENT", "NAME", "SIZE", "REPLICAS", "AGE"])
            self.assertEqual(rows[1][:4], ["ADDED", "gizmo", "small", "2"])
            # The watch is running (initial list printed): now change the widget.
            self.run_kubectl("scale", "widget", "gizmo", "--replicas=5")
            self.run_kubectl("patch", "widget", "gizmo", "--type=merge",
                             "-p", '{"spec":{"size":"large"}}')
            want = [["MODIFIED", "gizmo", "small", "5"], ["MODIFIED", "gizmo", "large", "5"]]
            seen = []
            while seen != want:
                line = watch.stdout.readline()
                self.assertTrue(line, f"watch ended early; saw {seen}")
                seen.append(line.split()[:4])
        finally:
            killer.cancel()
            watch.terminate()
            watch.communicate(timeout=10)

        # kubectl describe shows the Events recorded for the object.
        uid = self.run_kubectl("get", "widget", "gizmo", "-o", "jsonpath={.metadata.uid}").stdout
        self.run_kubectl("create", "-f", "-", stdin=json.dumps({
            "apiVersion": "v1", "kind": "Event", "metadata": {"name": "gizmo.17f0a3c1d2e4b5a6"},
            "involvedObject": {"apiVersion": "example.com/v1", "kind": "Widget",
                               "namespace": "default", "name": "gizmo", "uid": uid},
            "reason": "ScaledUp", "message": "scaled widget gizmo from 2 to 5", "type": "Normal",
            "source": {"component": "pa-operator"}, "count": 1,
            "firstTimestamp": "2025-01-02T03:05:00Z", "lastTimestamp": "2025-01-02T03:05:00Z"}))
        out = self.run_kubectl("describe", "widget", "gizmo").stdout
        self.assertIn("Events:", out)
        self.assertRegex(out, r"Normal\s+ScaledUp\s+.*pa-operator\s+scaled widget gizmo from 2 "
                              r"to 5")

        out = self.run_kubectl("delete", "widget", "gizmo").stdout
        self.assertIn('widget.example.com "gizmo" deleted', out)
        gone = self.run_kubectl("get", "widget", "gizmo", check=False)
        self.assertNotEqual(gone.returncode, 0)
        self.assertIn('widgets.example.com "gizmo" not found', gone.stderr)

    def test_2_deployment_scale_and_describe(self):
        self.run_kubectl("apply", "-f", "-", stdin=json.dumps(deployment("web", replicas=1)))
        out = self.run_kubectl("scale", "deployment", "web", "--replicas=3").stdout
        self.assertIn("deployment.apps/web scaled", out)
        self.run_kubectl("wait", "--for=jsonpath={.status.readyReplicas}=3", "--timeout=20s",
                         "deployment/web")
        lines = self.run_kubectl("get", "deployment", "web").stdout.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
        self.assertEqual(lines[1].split()[:4], ["web", "3/3", "3", "3"])
        uid = self.run_kubectl("get", "deploy", "web", "-o", "jsonpath={.metadata.uid}").stdout
        self.run_kubectl("create", "-f", "-", stdin=json.dumps({
            "apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": {"name": "web.17f0a3c1d2e4b5a7"},
            "eventTime": "2025-01-02T03:05:00.123456Z",
            "reportingController": "example.com/pa-operator", "reportingInstance": "pa-1",
            "action": "Scale", "reason": "PredictedLoad", "note": "scaled to 3 ahead of load",
            "type": "Normal", "regarding": {"apiVersion": "apps/v1", "kind": "Deployment",
                                            "namespace": "default", "name": "web", "uid": uid}}))
        out = self.run_kubectl("describe", "deployment", "web").stdout
        self.assertIn("Replicas:               3 desired | 3 updated | 3 total | 3 available",
                      out)
        self.assertRegex(out, r"Normal\s+PredictedLoad\s+.*scaled to 3 ahead of load")
        self.run_kubectl("delete", "deployment", "web")

    def test_3_auth_can_i_matches_rbac(self):
        def can_i(*args, env=None):
            p = self.run_kubectl("auth", "can-i", *args, check=False, env=env)
            self.assertIn(p.stdout.strip(), ("yes", "no"), p.stderr)
            return p.stdout.strip()
        # (verb, resource[/name], namespace, expected); subresources go in --subresource,
        # since kubectl reads "deployments/scale" as the deployment named "scale".
        cases = [
            ("patch", "deployments --subresource=scale", "demo", "yes"),
            ("update", "deployments.apps --subresource=scale", "demo", "yes"),
            ("patch", "deployments", "demo", "no"),        # only /scale may be written
            ("patch", "deployments/scale", "demo", "no"),  # the deployment named "scale"
            ("watch", "widgets.example.com", "demo", "yes"),
            ("delete", "widgets.example.com", "demo", "no"),
            ("update", "widgets.example.com --subresource=status", "demo", "yes"),
            ("delete", "widgets.example.com --subresource=status", "demo", "no"),
            ("create", "events", "demo", "yes"),
            ("list", "configmaps", "demo", "no"),
            ("create", "leases.coordination.k8s.io", "pa-system", "yes"),
            ("create", "leases.coordination.k8s.io", "demo", "no"),   # Role is namespaced
            ("get", "leases.coordination.k8s.io/pa-operator-leader", "pa-system", "yes"),
            ("get", "leases.coordination.k8s.io/other", "pa-system", "no"),
        ]
        for verb, res, ns, want in cases:
            with self.subTest(verb=verb, res=res, ns=ns):
                self.assertEqual(can_i(verb, *res.split(), "-n", ns, f"--as={SA}"), want)
        self.assertEqual(can_i("create", "deployments"), "yes")  # the admin
        # The service account's own credentials give the same answers.
        kc = os.path.join(self.home, "sa-kubeconfig")
        cfg = self.server.config
        with open(kc, "w") as f:
            f.write(kubeconfig_text(cfg["server"], self.c.new_token(SA), cfg["ca_pem"],
                                    user="pa-operator"))
        env = dict(self.env, KUBECONFIG=kc)
        self.assertEqual(can_i("patch", "deployments", "--subresource=scale", "-n", "demo",
                               env=env), "yes")
        self.assertEqual(can_i("patch", "deployments", "-n", "demo", env=env), "no")
        denied = self.run_kubectl("get", "configmaps", "-n", "demo", check=False, env=env)
        self.assertIn('configmaps is forbidden: User "system:serviceaccount:pa-system:'
                      'pa-operator" cannot list resource "configmaps" in API group "" in the '
                      'namespace "demo"', denied.stderr)


    def test_4_typed_create_commands(self):
        # These kubectl commands send protobuf bodies (typed clients).
        self.run_kubectl("create", "namespace", "typed")
        self.run_kubectl("create", "configmap", "cfg", "-n", "typed", "--from-literal=a=b")
        self.run_kubectl("create", "secret", "generic", "pw", "-n", "typed",
                         "--from-literal=pw=x")
        self.run_kubectl("create", "serviceaccount", "bot", "-n", "typed")
        self.run_kubectl("create", "role", "cm-reader", "-n", "typed", "--verb=get,list",
                         "--resource=configmaps")
        self.run_kubectl("create", "rolebinding", "bot-reads", "-n", "typed",
                         "--role=cm-reader", "--serviceaccount=typed:bot")
        self.assertEqual(self.run_kubectl("get", "cm", "cfg", "-n", "typed", "-o",
                                          "jsonpath={.data.a}").stdout, "b")
        self.assertEqual(self.run_kubectl("get", "secret", "pw", "-n", "typed", "-o",
                                          "jsonpath={.data.pw}").stdout, "eA==")
        p = self.run_kubectl("auth", "can-i", "list", "configmaps", "-n", "typed",
                             "--as=system:serviceaccount:typed:bot", check=False)
        self.assertEqual(p.stdout.strip(), "yes")
        self.run_kubectl("delete", "namespace", "typed")
        self.assertNotEqual(self.run_kubectl("get", "ns", "typed", check=False).returncode, 0)


if __name__ == "__main__":
    unittest.main()
