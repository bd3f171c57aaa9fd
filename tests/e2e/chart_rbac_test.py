#!/usr/bin/python3
"""Unit tests of chart_rbac.py's pure parts: a request's RBAC attributes, a rules review's
grants, and when a grant counts as used. Run: /usr/bin/python3 -m unittest chart_rbac_test"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chart_rbac import Request, granted, request_attributes, used_by  # noqa: E402


class RequestAttributesTest(unittest.TestCase):
    # (method, path, expected Request or None); the verbs are contract §11.1's.
    CASES = [
        # An informer across all namespaces: a list, then a watch (the query says which).
        ("GET", "/apis/autoscaling.foresight.dev/v1alpha1/predictiveautoscalers?limit=500",
         Request("list", "autoscaling.foresight.dev", "predictiveautoscalers", "", "")),
        ("GET", "/apis/autoscaling.foresight.dev/v1alpha1/namespaces/shop/predictiveautoscalers"
                "?watch=true&resourceVersion=12",
         Request("watch", "autoscaling.foresight.dev", "predictiveautoscalers", "shop", "")),
        ("GET", "/apis/apps/v1/namespaces/default/deployments?watch=1",
         Request("watch", "apps", "deployments", "default", "")),
        # A subresource is "resource/subresource", named by the object.
        ("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale",
         Request("patch", "apps", "deployments/scale", "default", "web")),
        ("GET", "/apis/apps/v1/namespaces/default/statefulsets/worker/scale",
         Request("get", "apps", "statefulsets/scale", "default", "worker")),
        ("PUT", "/apis/coordination.k8s.io/v1/namespaces/ops/leases/lead",
         Request("update", "coordination.k8s.io", "leases", "ops", "lead")),
        # The core group is "".
        ("POST", "/api/v1/namespaces/default/events",
         Request("create", "", "events", "default", "")),
        ("DELETE", "/api/v1/namespaces/default/pods",
         Request("deletecollection", "", "pods", "default", "")),
        ("DELETE", "/api/v1/namespaces/default/pods/p",
         Request("delete", "", "pods", "default", "p")),
        # A namespace object itself is cluster-scoped, named by the namespace.
        ("GET", "/api/v1/namespaces/shop", Request("get", "", "namespaces", "", "shop")),
        # Discovery and health are non-resource paths every user may read.
        ("GET", "/apis/apps/v1", None),
        ("GET", "/api/v1", None),
        ("GET", "/apis", None),
        ("GET", "/version?timeout=32s", None),
        ("GET", "/healthz", None),
    ]

    def test_cases(self):
        for method, path, want in self.CASES:
            with self.subTest(method=method, path=path):
                self.assertEqual(request_attributes(method, path), want)


class GrantsTest(unittest.TestCase):
    def test_expands_rules_and_drops_the_basic_user_reviews(self):
        review = {"status": {"resourceRules": [
            {"apiGroups": ["apps"], "resources": ["deployments/scale", "statefulsets/scale"],
             "verbs": ["get", "patch"]},
            {"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["a", "b"],
             "verbs": ["get"]},
            {"apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews"],
             "verbs": ["create"]},
        ]}}
        self.assertEqual(granted(review), {
            ("apps", "deployments/scale", "get", ""), ("apps", "deployments/scale", "patch", ""),
            ("apps", "statefulsets/scale", "get", ""), ("apps", "statefulsets/scale", "patch", ""),
            ("", "secrets", "get", "a"), ("", "secrets", "get", "b"),
        })

    def test_used_by(self):
        calls = [Request("get", "", "secrets", "shop", "a"),
                 Request("patch", "apps", "deployments/scale", "shop", "web")]
        self.assertTrue(used_by(("", "secrets", "get", "a"), calls))
        self.assertTrue(used_by(("", "secrets", "get", ""), calls))  # unrestricted: any name
        self.assertFalse(used_by(("", "secrets", "get", "b"), calls))  # that name never read
        self.assertFalse(used_by(("", "secrets", "list", ""), calls))
        self.assertFalse(used_by(("apps", "deployments", "patch", ""), calls))  # not /scale
        # A wildcard grants more than any call needs: never counted as used.
        self.assertFalse(used_by(("apps", "*", "patch", ""), calls))
        self.assertFalse(used_by(("apps", "deployments/scale", "*", ""), calls))


if __name__ == "__main__":
    unittest.main()
