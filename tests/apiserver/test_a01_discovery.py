"""Appendix A.1 — discovery documents, CRDs appearing/disappearing, aggregated form."""
import unittest

from support import ServerTestCase, fixture

AGG_ACCEPT = ("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
              "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
              "application/json")


class DiscoveryTest(ServerTestCase):
    def test_version(self):
        body = self.assertStatus(self.c.get("/version?timeout=32s"), 200)
        self.assertEqual(set(body), {"major", "minor", "gitVersion", "gitCommit", "gitTreeState",
                                     "buildDate", "goVersion", "compiler", "platform"})
        self.assertEqual((body["major"], body["minor"]), ("1", "32"))

    def test_legacy_roots(self):
        api = self.assertStatus(self.c.get("/api"), 200)
        self.assertEqual(api["kind"], "APIVersions")
        self.assertEqual(api["versions"], ["v1"])
        apis = self.assertStatus(self.c.get("/apis"), 200)
        self.assertEqual(apis["kind"], "APIGroupList")
        names = [g["name"] for g in apis["groups"]]
        for g in ("apps", "coordination.k8s.io", "events.k8s.io", "apiextensions.k8s.io",
                  "rbac.authorization.k8s.io", "authorization.k8s.io"):
            self.assertIn(g, names)
        apps = self.assertStatus(self.c.get("/apis/apps"), 200)
        self.assertEqual(apps, {"kind": "APIGroup", "apiVersion": "v1", "name": "apps",
                                "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
                                "preferredVersion": {"groupVersion": "apps/v1",
                                                     "version": "v1"}})

    def _resources(self, path):
        body = self.assertStatus(self.c.get(path), 200)
        self.assertEqual(body["kind"], "APIResourceList")
        return {r["name"]: r for r in body["resources"]}

    def test_apps_v1_resource_list(self):
        res = self._resources("/apis/apps/v1")
        d = res["deployments"]
        self.assertEqual(d["singularName"], "deployment")
        self.assertTrue(d["namespaced"])
        self.assertEqual(d["kind"], "Deployment")
        self.assertEqual(sorted(d["verbs"]), ["create", "delete", "deletecollection", "get",
                                              "list", "patch", "update", "watch"])
        self.assertEqual(d["shortNames"], ["deploy"])
        self.assertEqual(res["deployments/scale"]["group"], "autoscaling")
        self.assertEqual(res["deployments/scale"]["version"], "v1")
        self.assertEqual(res["deployments/scale"]["kind"], "Scale")
        self.assertEqual(res["deployments/scale"]["singularName"], "")
        self.assertEqual(res["deployments/status"]["kind"], "Deployment")
        self.assertIn("statefulsets/scale", res)

    def test_core_and_other_groups(self):
        core = self._resources("/api/v1")
        self.assertFalse(core["namespaces"]["namespaced"])
        self.assertIn("watch", core["configmaps"]["verbs"])
        self.assertEqual(core["events"]["shortNames"], ["ev"])
        leases = self._resources("/apis/coordination.k8s.io/v1")["leases"]
        self.assertEqual(leases["kind"], "Lease")
        self.assertIn("watch", leases["verbs"])
        self.assertIn("events", self._resources("/apis/events.k8s.io/v1"))

    def test_unknown_group_version_is_404_status(self):
        self.assertStatus(self.c.get("/apis/nope.example.com/v1"), 404, "NotFound")
        self.assertStatus(self.c.get("/apis/apps/v1/nothings"), 404, "NotFound")

    def test_crd_appears_and_disappears(self):
        crd = fixture("widget-crd.yaml")[0]
        crd["metadata"]["name"] = "gadgets.disco.example.com"
        crd["spec"]["group"] = "disco.example.com"
        crd["spec"]["names"].update(plural="gadgets", singular="gadget", kind="Gadget",
                                    shortNames=["gd"])
        self.assertStatus(self.c.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                      crd), 201)
        res = self._resources("/apis/disco.example.com/v1")
        g = res["gadgets"]
        self.assertEqual((g["kind"], g["singularName"], g["shortNames"], g["categories"]),
                         ("Gadget", "gadget", ["gd"], ["all"]))
        self.assertIn("watch", g["verbs"])
        self.assertEqual(res["gadgets/scale"]["group"], "autoscaling")
        self.assertEqual(res["gadgets/status"]["verbs"], ["get", "patch", "update"])
        groups = [x["name"] for x in self.c.get("/apis")[1]["groups"]]
        self.assertIn("disco.example.com", groups)
        self.assertStatus(self.c.delete(
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.disco.example.com"),
            200)
        self.assertStatus(self.c.get("/apis/disco.example.com/v1"), 404)
        self.assertStatus(self.c.get("/apis/disco.example.com/v1/namespaces/default/gadgets"),
                          404)
        groups = [x["name"] for x in self.c.get("/apis")[1]["groups"]]
        self.assertNotIn("disco.example.com", groups)

    def test_aggregated_discovery_content_type(self):
        code, body, headers = self.c.get("/apis", headers={"Accept": AGG_ACCEPT})
        self.assertEqual(code, 200)
        self.assertEqual(headers["Content-Type"],
                         "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        self.assertEqual(body["kind"], "APIGroupDiscoveryList")
        apps = next(i for i in body["items"] if i["metadata"]["name"] == "apps")
        dep = next(r for r in apps["versions"][0]["resources"] if r["resource"] == "deployments")
        self.assertEqual(dep["scope"], "Namespaced")
        scale = next(s for s in dep["subresources"] if s["subresource"] == "scale")
        self.assertEqual(scale["responseKind"], {"group": "autoscaling", "version": "v1",
                                                 "kind": "Scale"})
        code, body, headers = self.c.get("/api", headers={"Accept": AGG_ACCEPT})
        self.assertEqual(body["items"][0]["versions"][0]["version"], "v1")
        # Plain JSON Accept gets the legacy document.
        code, body, headers = self.c.get("/api", headers={"Accept": "application/json"})
        self.assertEqual(body["kind"], "APIVersions")

    def test_protobuf_only_accept_is_406(self):
        self.assertStatus(self.c.get("/api/v1/namespaces", headers={
            "Accept": "application/vnd.kubernetes.protobuf"}), 406, "NotAcceptable")


if __name__ == "__main__":
    unittest.main()
