"""Shared fixtures for the kubeemu tests: one server per TestCase class."""
import os
import sys
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from kubeemu import yamlsub  # noqa: E402
from kubeemu.client import ServerProcess  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures")
WIDGETS = "/apis/example.com/v1/namespaces/{ns}/widgets"
DEPLOYMENTS = "/apis/apps/v1/namespaces/{ns}/deployments"


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return yamlsub.load_all(f.read())


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def deployment(name, replicas=1, labels=None):
    labels = labels or {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "labels": dict(labels)},
            "spec": {"replicas": replicas, "selector": {"matchLabels": dict(labels)},
                     "template": {"metadata": {"labels": dict(labels)},
                                  "spec": {"containers": [{"name": "app",
                                                           "image": "nginx:1.25"}]}}}}


def widget(name, **spec):
    spec.setdefault("size", "small")
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": name},
            "spec": spec}


class ServerTestCase(unittest.TestCase):
    strict_rbac = False
    server_args = ("--pod-startup-delay", "0.3", "--quiet")
    install_widgets = False

    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess(strict_rbac=cls.strict_rbac, args=cls.server_args)
        cls.server.start()
        cls.c = cls.server.client()
        if cls.install_widgets:
            cls.install_widget_crd()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.__exit__(None, None, None)
        assert code == 0, f"server exit code {code}"

    @classmethod
    def install_widget_crd(cls):
        crd = fixture("widget-crd.yaml")[0]
        code, body, _ = cls.c.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                   crd)
        assert code == 201, body
        wait_for(lambda: cls.c.get("/apis/example.com/v1")[0] == 200)

    def namespace(self, prefix="ns"):
        name = unique(prefix)
        code, body, _ = self.c.post("/api/v1/namespaces", {
            "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        self.assertEqual(code, 201, body)
        return name

    def assertStatus(self, resp, code, reason=None, message=None):
        got, body, _ = resp
        self.assertEqual(got, code, body)
        if code >= 300 and code != 429:
            self.assertEqual(body["kind"], "Status", body)
            self.assertEqual(body["apiVersion"], "v1")
            self.assertEqual(body["status"], "Failure")
            self.assertEqual(body["code"], code)
            if reason:
                self.assertEqual(body["reason"], reason, body)
            if message:
                self.assertEqual(body["message"], message)
        return body


def wait_for(pred, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(interval)
    raise AssertionError("condition not met in time")
