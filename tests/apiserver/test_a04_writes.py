"""Appendix A.4 — writes: 201 with system fields, AlreadyExists, optimistic
concurrency, RV-less PUT rules, NotFound format, 422 causes, generation rules,
status ignored on the main endpoint."""
import time
import unittest

from support import DEPLOYMENTS, WIDGETS, ServerTestCase, deployment, wait_for, widget


class WriteTest(ServerTestCase):
    install_widgets = True

    def setUp(self):
        self.ns = self.namespace("writes")
        self.dep = DEPLOYMENTS.format(ns=self.ns)
        self.wid = WIDGETS.format(ns=self.ns)

    def test_create_sets_system_fields(self):
        body = self.assertStatus(self.c.post(self.dep, deployment("web")), 201)
        md = body["metadata"]
        self.assertRegex(md["uid"], r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                    r"[0-9a-f]{12}$")
        self.assertTrue(md["resourceVersion"].isdigit())
        self.assertRegex(md["creationTimestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(md["generation"], 1)
        self.assertEqual(md["namespace"], self.ns)
        self.assertEqual((body["kind"], body["apiVersion"]), ("Deployment", "apps/v1"))

    def test_generate_name(self):
        d = deployment("x")
        del d["metadata"]["name"]
        d["metadata"]["generateName"] = "web-"
        body = self.assertStatus(self.c.post(self.dep, d), 201)
        self.assertRegex(body["metadata"]["name"], r"^web-[a-z0-9]{5}$")

    def test_already_exists(self):
        self.c.post(self.wid, widget("w1"))
        self.assertStatus(self.c.post(self.wid, widget("w1")), 409, "AlreadyExists",
                          'widgets.example.com "w1" already exists')

    def test_create_with_resource_version_rejected(self):
        w = widget("w-rv")
        w["metadata"]["resourceVersion"] = "5"
        self.assertStatus(self.c.post(self.wid, w), 500, "InternalError")

    def test_create_namespace_mismatch_and_missing(self):
        w = widget("w-ns")
        w["metadata"]["namespace"] = "elsewhere"
        self.assertStatus(self.c.post(self.wid, w), 400, "BadRequest")
        self.assertStatus(self.c.post(WIDGETS.format(ns="no-such-ns"), widget("x")), 404,
                          "NotFound", 'namespaces "no-such-ns" not found')

    def test_put_conflict_on_stale_rv(self):
        self.c.post(self.dep, deployment("web", replicas=0))
        created = self.settled(f"{self.dep}/web")
        fresh = dict(created, spec=dict(created["spec"], replicas=0, paused=True))
        self.assertStatus(self.c.put(f"{self.dep}/web", fresh), 200)
        stale = dict(created, spec=dict(created["spec"], replicas=0, paused=False))
        body = self.assertStatus(self.c.put(f"{self.dep}/web", stale), 409, "Conflict")
        self.assertEqual(body["message"],
                         'Operation cannot be fulfilled on deployments.apps "web": the object '
                         'has been modified; please apply your changes to the latest version '
                         'and try again')
        self.assertEqual(body["details"], {"name": "web", "group": "apps",
                                           "kind": "deployments"})

    def settled(self, path):
        """The object once the rollout simulator has stopped writing its status."""
        def stable():
            a = self.c.get(path)[1]
            time.sleep(0.2)
            b = self.c.get(path)[1]
            return b if a["metadata"]["resourceVersion"] == b["metadata"]["resourceVersion"] \
                else None
        return wait_for(stable)

    def test_put_without_rv(self):
        # Deployments allow unconditional update...
        created = self.c.post(self.dep, deployment("web"))[1]
        del created["metadata"]["resourceVersion"]
        created["spec"]["replicas"] = 2
        self.assertStatus(self.c.put(f"{self.dep}/web", created), 200)
        # ...custom resources do not.
        w = self.c.post(self.wid, widget("w2"))[1]
        del w["metadata"]["resourceVersion"]
        body = self.assertStatus(self.c.put(f"{self.wid}/w2", w), 422, "Invalid")
        self.assertEqual(body["message"], 'Widget.example.com "w2" is invalid: '
                                          'metadata.resourceVersion: Invalid value: 0x0: must be '
                                          'specified for an update')

    def test_put_missing_and_name_mismatch(self):
        self.assertStatus(self.c.put(f"{self.dep}/nope", deployment("nope")), 404, "NotFound")
        self.c.post(self.dep, deployment("web"))
        self.assertStatus(self.c.put(f"{self.dep}/web", deployment("other")), 400, "BadRequest")

    def test_not_found_format(self):
        body = self.assertStatus(self.c.get(f"{self.dep}/nope"), 404, "NotFound",
                                 'deployments.apps "nope" not found')
        self.assertEqual(body["details"], {"name": "nope", "group": "apps",
                                           "kind": "deployments"})
        body = self.assertStatus(self.c.get(f"/api/v1/namespaces/{self.ns}/configmaps/x"), 404,
                                 "NotFound", 'configmaps "x" not found')

    def test_invalid_with_causes(self):
        body = self.assertStatus(self.c.post(self.wid, {
            "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "bad"},
            "spec": {"size": "huge", "replicas": 101, "minReplicas": 0}}), 422, "Invalid")
        self.assertEqual(body["details"]["kind"], "Widget")
        self.assertEqual(body["details"]["group"], "example.com")
        causes = {c["field"]: c for c in body["details"]["causes"]}
        self.assertEqual(causes["spec.size"]["reason"], "FieldValueNotSupported")
        self.assertEqual(causes["spec.size"]["message"],
                         'Unsupported value: "huge": supported values: "small", "medium", "large"')
        self.assertEqual(causes["spec.replicas"]["message"],
                         "Invalid value: 101: spec.replicas in body should be less than or equal "
                         "to 100")
        self.assertEqual(causes["spec.minReplicas"]["message"],
                         "Invalid value: 0: spec.minReplicas in body should be greater than or "
                         "equal to 1")
        self.assertTrue(body["message"].startswith('Widget.example.com "bad" is invalid: ['))
        body = self.assertStatus(self.c.post(self.wid, {
            "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "bad"},
            "spec": {}}), 422, "Invalid")
        self.assertEqual(body["message"], 'Widget.example.com "bad" is invalid: spec.size: '
                                          'Required value')
        self.assertEqual(body["details"]["causes"], [{"reason": "FieldValueRequired",
                                                      "message": "Required value",
                                                      "field": "spec.size"}])

    def test_builtin_validation(self):
        d = deployment("web")
        d["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
        body = self.assertStatus(self.c.post(self.dep, d), 422, "Invalid")
        self.assertIn("`selector` does not match template `labels`", body["message"])
        d = deployment("web", replicas=-1)
        self.assertStatus(self.c.post(self.dep, d), 422, "Invalid")

    def test_cr_generation_rules(self):
        w = self.c.post(self.wid, widget("gen"))[1]
        self.assertEqual(w["metadata"]["generation"], 1)
        w["metadata"]["labels"] = {"x": "y"}            # metadata only: no bump
        w = self.assertStatus(self.c.put(f"{self.wid}/gen", w), 200)
        self.assertEqual(w["metadata"]["generation"], 1)
        w["spec"]["replicas"] = 5                        # spec change: bump
        w = self.assertStatus(self.c.put(f"{self.wid}/gen", w), 200)
        self.assertEqual(w["metadata"]["generation"], 2)
        same_rv = w["metadata"]["resourceVersion"]
        w = self.assertStatus(self.c.put(f"{self.wid}/gen", w), 200)  # no-op write
        self.assertEqual(w["metadata"]["generation"], 2)
        self.assertEqual(w["metadata"]["resourceVersion"], same_rv)
        w = self.c.patch(f"{self.wid}/gen/status", {"status": {"phase": "Ready"}})[1]
        self.assertEqual(w["metadata"]["generation"], 2)  # status: no bump
        w["metadata"]["generation"] = 1                    # clients cannot set it
        w = self.assertStatus(self.c.put(f"{self.wid}/gen", w), 200)
        self.assertEqual(w["metadata"]["generation"], 2)

    def test_deployment_generation_rules(self):
        d = self.c.post(self.dep, deployment("gen"))[1]
        d = self.c.patch(f"{self.dep}/gen", {"metadata": {"labels": {"a": "b"}}})[1]
        self.assertEqual(d["metadata"]["generation"], 1)   # labels: no bump
        d = self.c.patch(f"{self.dep}/gen", {"metadata": {"annotations": {"a": "b"}}})[1]
        self.assertEqual(d["metadata"]["generation"], 2)   # annotations bump Deployments
        d = self.c.patch(f"{self.dep}/gen", {"spec": {"replicas": 3}})[1]
        self.assertEqual(d["metadata"]["generation"], 3)

    def test_status_ignored_on_main_endpoint(self):
        w = widget("st")
        w["status"] = {"phase": "Injected"}
        created = self.assertStatus(self.c.post(self.wid, w), 201)
        self.assertNotIn("status", created)
        created["status"] = {"phase": "Again"}
        updated = self.assertStatus(self.c.put(f"{self.wid}/st", created), 200)
        self.assertNotIn("status", updated)
        d = deployment("st")
        d["status"] = {"replicas": 42}
        created = self.c.post(self.dep, d)[1]
        self.assertNotEqual(created.get("status", {}).get("replicas"), 42)

    def test_immutable_metadata(self):
        w = self.c.post(self.wid, widget("imm"))[1]
        w["metadata"]["uid"] = "00000000-0000-4000-8000-000000000000"
        body = self.assertStatus(self.c.put(f"{self.wid}/imm", w), 422, "Invalid")
        self.assertIn("metadata.uid", body["message"])

    def test_strict_field_validation(self):
        w = widget("strict")
        w["spec"]["unknownField"] = 1
        body = self.assertStatus(self.c.post(self.wid + "?fieldValidation=Strict", w), 400,
                                 "BadRequest")
        self.assertIn('unknown field "spec.unknownField"', body["message"])
        code, body, headers = self.c.post(self.wid, w)   # default Warn: pruned + warning
        self.assertEqual(code, 201)
        self.assertNotIn("unknownField", body["spec"])
        self.assertIn("spec.unknownField", headers.get("Warning", ""))

    def test_builtin_unknown_nested_fields(self):
        d = deployment("typo")
        d["spec"]["replica"] = 3
        body = self.assertStatus(self.c.post(self.dep + "?fieldValidation=Strict", d), 400)
        self.assertIn('unknown field "spec.replica"', body["message"])
        code, body, headers = self.c.post(self.dep, d)
        self.assertEqual(code, 201)
        self.assertNotIn("replica", body["spec"])
        self.assertIn("spec.replica", headers.get("Warning", ""))

    def test_empty_metadata_maps_are_omitted(self):
        w = widget("empty")
        w["metadata"]["annotations"] = {}
        w["metadata"]["labels"] = {}
        body = self.assertStatus(self.c.post(self.wid, w), 201)
        self.assertNotIn("annotations", body["metadata"])
        self.assertNotIn("labels", body["metadata"])

    def test_dry_run(self):
        body = self.assertStatus(self.c.post(self.wid + "?dryRun=All", widget("dry")), 201)
        self.assertNotIn("resourceVersion", body["metadata"])
        self.assertStatus(self.c.get(f"{self.wid}/dry"), 404)
        self.assertStatus(self.c.post(self.wid + "?dryRun=Some", widget("dry")), 422)

    def test_wrong_content_type_is_415(self):
        self.assertStatus(self.c.post(self.wid, b"size: small",
                                      headers={"Content-Type": "text/plain"}), 415,
                          "UnsupportedMediaType")

    def test_kind_mismatch_is_400(self):
        w = widget("k")
        w["kind"] = "Gadget"
        self.assertStatus(self.c.post(self.wid, w), 400, "BadRequest")
        del w["kind"]
        self.assertStatus(self.c.post(self.wid, w), 400, "BadRequest")


if __name__ == "__main__":
    unittest.main()
