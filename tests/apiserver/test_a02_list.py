"""Appendix A.2 — list: XList kind, list RV, empty items, label and field selectors,
400 for bad selectors, paging with one RV and 410 for expired continue tokens."""
import gzip
import json
import unittest
import urllib.parse

from support import ServerTestCase

CM = "/api/v1/namespaces/{ns}/configmaps"


def q(**params):
    return "?" + urllib.parse.urlencode(params)


class ListTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ns = "list-ns"
        cls.c.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                          "metadata": {"name": cls.ns}})
        labels = {"a": {"env": "prod", "tier": "fe"}, "b": {"env": "qa", "tier": "fe"},
                  "c": {"env": "prod"}, "d": {"tier": "be", "n": "5"}, "e": {}}
        for name, lab in labels.items():
            code, body, _ = cls.c.post(CM.format(ns=cls.ns), {
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": name, "labels": lab}, "data": {"k": name}})
            assert code == 201, body

    def names(self, query=""):
        body = self.assertStatus(self.c.get(CM.format(ns=self.ns) + query), 200)
        return [i["metadata"]["name"] for i in body["items"]]

    def test_list_shape(self):
        body = self.assertStatus(self.c.get(CM.format(ns=self.ns)), 200)
        self.assertEqual(body["kind"], "ConfigMapList")
        self.assertEqual(body["apiVersion"], "v1")
        self.assertTrue(body["metadata"]["resourceVersion"].isdigit())
        item = body["items"][0]
        # Built-in list items carry no TypeMeta, like kube-apiserver.
        self.assertNotIn("kind", item)
        self.assertNotIn("apiVersion", item)
        self.assertIn("uid", item["metadata"])

    def test_partial_object_metadata(self):
        accept = ("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
                  "application/json")
        body = self.assertStatus(self.c.get(CM.format(ns=self.ns),
                                            headers={"Accept": accept}), 200)
        self.assertEqual((body["kind"], body["apiVersion"]),
                         ("PartialObjectMetadataList", "meta.k8s.io/v1"))
        self.assertEqual(set(body["items"][0]), {"kind", "apiVersion", "metadata"})
        body = self.assertStatus(self.c.get(CM.format(ns=self.ns) + "/a", headers={
            "Accept": "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"}), 200)
        self.assertEqual(body["kind"], "PartialObjectMetadata")
        self.assertNotIn("data", body)

    def test_empty_list_has_items_array(self):
        body = self.assertStatus(self.c.get("/apis/apps/v1/namespaces/list-ns/deployments"), 200)
        self.assertEqual(body["items"], [])
        self.assertEqual(body["kind"], "DeploymentList")

    def test_cluster_wide_list_of_namespaced_type(self):
        body = self.assertStatus(self.c.get("/api/v1/configmaps" + q(labelSelector="env")), 200)
        self.assertEqual(sorted(i["metadata"]["name"] for i in body["items"]), ["a", "b", "c"])

    def test_label_selectors(self):
        cases = [  # (selector, expected names) — comments say why
            ("env=prod", ["a", "c"]),
            ("env==prod", ["a", "c"]),
            ("env!=prod", ["b", "d", "e"]),          # != also matches objects without env
            ("env in (prod,qa)", ["a", "b", "c"]),
            ("env notin (prod)", ["b", "d", "e"]),   # notin also matches objects without env
            ("tier", ["a", "b", "d"]),               # exists
            ("!tier", ["c", "e"]),                   # does not exist
            ("env=prod,tier=fe", ["a"]),             # comma is AND
            ("n>4", ["d"]), ("n<5", []),
            (" env = prod , tier ", ["a"]),           # whitespace around tokens
        ]
        for sel, want in cases:
            with self.subTest(sel=sel):
                self.assertEqual(self.names(q(labelSelector=sel)), want)

    def test_bad_label_selectors_are_400(self):
        for sel in ("env in prod", "=x", "env in (a", "a,,b", "a b", "n>x"):
            with self.subTest(sel=sel):
                self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(labelSelector=sel)), 400,
                                  "BadRequest")

    def test_field_selectors(self):
        self.assertEqual(self.names(q(fieldSelector="metadata.name=b")), ["b"])
        self.assertEqual(self.names(q(fieldSelector="metadata.name!=b,metadata.name!=a")),
                         ["c", "d", "e"])
        self.assertEqual(self.names(q(fieldSelector=f"metadata.namespace={self.ns}")),
                         ["a", "b", "c", "d", "e"])
        self.assertEqual(self.names(q(fieldSelector="metadata.namespace==other")), [])

    def test_unknown_field_selector_is_400(self):
        body = self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(fieldSelector="data.k=a")),
                                 400, "BadRequest")
        self.assertIn("data.k", body["message"])
        self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(fieldSelector="metadata.name")),
                          400, "BadRequest")

    def test_paging_keeps_resource_version(self):
        first = self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(limit=2)), 200)
        rv = first["metadata"]["resourceVersion"]
        self.assertEqual(len(first["items"]), 2)
        self.assertEqual(first["metadata"]["remainingItemCount"], 3)
        # A change after the first page must not show up in later pages.
        self.assertStatus(self.c.post(CM.format(ns=self.ns), {
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "zz-late"}}), 201)
        names = [i["metadata"]["name"] for i in first["items"]]
        token = first["metadata"]["continue"]
        while token:
            page = self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(limit=2,
                                                                          **{"continue": token})),
                                     200)
            self.assertEqual(page["metadata"]["resourceVersion"], rv)
            names += [i["metadata"]["name"] for i in page["items"]]
            token = page["metadata"].get("continue")
        self.assertEqual(names, ["a", "b", "c", "d", "e"])
        self.c.delete(CM.format(ns=self.ns) + "/zz-late")

    def test_expired_continue_token_is_410(self):
        first = self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(limit=1)), 200)
        # Compaction forgets every revision before the current one; a write after the
        # first page makes the token's revision older than that.
        self.c.patch(CM.format(ns=self.ns) + "/e", {"data": {"k": "changed"}})
        self.c.compact()
        self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(
            limit=1, **{"continue": first["metadata"]["continue"]})), 410, "Expired")

    def test_continue_with_resource_version_is_400(self):
        first = self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(limit=1)), 200)
        self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(
            limit=1, resourceVersion="5", **{"continue": first["metadata"]["continue"]})), 400)

    def test_resource_version_match_validation(self):
        body = self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(
            resourceVersionMatch="NotOlderThan")), 422, "Invalid")
        self.assertEqual(body["details"]["kind"], "ListOptions")
        self.assertIn("resourceVersionMatch is forbidden unless resourceVersion is provided",
                      body["message"])
        self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(
            resourceVersion="0", resourceVersionMatch="Exact")), 422, "Invalid")

    def test_exact_list_at_old_resource_version(self):
        rv = self.c.get(CM.format(ns=self.ns))[1]["metadata"]["resourceVersion"]
        self.assertStatus(self.c.post(CM.format(ns=self.ns), {
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "exact-new"}}), 201)
        body = self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(
            resourceVersion=rv, resourceVersionMatch="Exact")), 200)
        self.assertNotIn("exact-new", [i["metadata"]["name"] for i in body["items"]])
        self.assertEqual(body["metadata"]["resourceVersion"], rv)
        self.c.delete(CM.format(ns=self.ns) + "/exact-new")

    def test_gzip_only_when_asked_and_large(self):
        self.c.post(CM.format(ns=self.ns), {"apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": {"name": "big"},
                                            "data": {"blob": "x" * (200 * 1024)}})
        self.addCleanup(self.c.delete, CM.format(ns=self.ns) + "/big")
        code, body, headers = self.c.get(CM.format(ns=self.ns) + "/big", raw=True,
                                         headers={"Accept-Encoding": "gzip"})
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertEqual(json.loads(gzip.decompress(body))["metadata"]["name"], "big")
        code, body, headers = self.c.get(CM.format(ns=self.ns) + "/big", raw=True)
        self.assertIsNone(headers["Content-Encoding"])
        code, body, headers = self.c.get(CM.format(ns=self.ns) + "/a", raw=True,
                                         headers={"Accept-Encoding": "gzip"})
        self.assertIsNone(headers["Content-Encoding"])  # small: never compressed

    def test_too_large_resource_version_is_504(self):
        body = self.assertStatus(self.c.get(CM.format(ns=self.ns) + q(resourceVersion="999999")),
                                 504, "Timeout")
        self.assertEqual(body["details"]["causes"][0]["reason"], "ResourceVersionTooLarge")


if __name__ == "__main__":
    unittest.main()
