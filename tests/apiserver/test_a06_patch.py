"""Appendix A.6 — patch: JSON patch, merge patch, strategic merge patch (built-ins
only; CRs get the exact 415), server-side apply rules."""
import unittest

from support import DEPLOYMENTS, WIDGETS, ServerTestCase, deployment, widget

JSON_PATCH = "application/json-patch+json"
MERGE = "application/merge-patch+json"
SMP = "application/strategic-merge-patch+json"
APPLY = "application/apply-patch+yaml"


def named(replicas):
    """The applied configuration of the ownership test: replicas plus spec.name."""
    w = widget("own", replicas=replicas)
    w["spec"]["name"] = "abc"
    return w


class PatchTest(ServerTestCase):
    install_widgets = True

    def setUp(self):
        self.ns = self.namespace("patch")
        self.dep = DEPLOYMENTS.format(ns=self.ns)
        self.wid = WIDGETS.format(ns=self.ns)

    def test_json_patch(self):
        self.c.post(self.wid, widget("j", replicas=2))
        body = self.assertStatus(self.c.patch(f"{self.wid}/j", [
            {"op": "test", "path": "/spec/replicas", "value": 2},
            {"op": "replace", "path": "/spec/replicas", "value": 3},
            {"op": "add", "path": "/metadata/labels", "value": {"a": "b"}}], JSON_PATCH), 200)
        self.assertEqual(body["spec"]["replicas"], 3)
        self.assertEqual(body["metadata"]["labels"], {"a": "b"})
        self.assertStatus(self.c.patch(f"{self.wid}/j", [
            {"op": "test", "path": "/spec/replicas", "value": 99}], JSON_PATCH), 422)
        self.assertStatus(self.c.patch(f"{self.wid}/j", {"not": "a list"}, JSON_PATCH), 400)

    def test_merge_patch(self):
        self.c.post(self.wid, widget("m", replicas=2, extra={"a": 1, "b": 2}))
        body = self.assertStatus(self.c.patch(f"{self.wid}/m", {
            "spec": {"replicas": 4, "extra": {"a": None, "c": 3}}}, MERGE), 200)
        self.assertEqual(body["spec"]["replicas"], 4)
        self.assertEqual(body["spec"]["extra"], {"b": 2, "c": 3})

    def test_patch_validation_applies(self):
        self.c.post(self.wid, widget("v"))
        self.assertStatus(self.c.patch(f"{self.wid}/v", {"spec": {"replicas": 1000}}), 422,
                          "Invalid")

    def test_patch_missing_is_404(self):
        self.assertStatus(self.c.patch(f"{self.wid}/missing", {"spec": {}}), 404, "NotFound")

    def test_patch_rv_precondition(self):
        self.c.post(self.wid, widget("p"))
        self.assertStatus(self.c.patch(f"{self.wid}/p", {
            "metadata": {"resourceVersion": "1"}, "spec": {"replicas": 2}}), 409, "Conflict")

    def test_strategic_merge_patch_on_builtin(self):
        d = deployment("web")
        d["spec"]["template"]["spec"]["containers"].append({"name": "side", "image": "busybox"})
        self.c.post(self.dep, d)
        body = self.assertStatus(self.c.patch(f"{self.dep}/web", {"spec": {"template": {"spec": {
            "containers": [{"name": "app", "image": "nginx:1.27"}]}}}}, SMP), 200)
        containers = body["spec"]["template"]["spec"]["containers"]
        # Merged by name: the side-car survives, app's image changes.
        self.assertEqual([(c["name"], c["image"]) for c in containers],
                         [("app", "nginx:1.27"), ("side", "busybox")])
        body = self.assertStatus(self.c.patch(f"{self.dep}/web", {"spec": {"template": {"spec": {
            "containers": [{"name": "side", "$patch": "delete"}]}}}}, SMP), 200)
        self.assertEqual([c["name"] for c in body["spec"]["template"]["spec"]["containers"]],
                         ["app"])

    def test_strategic_merge_patch_on_cr_is_415(self):
        self.c.post(self.wid, widget("s"))
        self.assertStatus(self.c.patch(f"{self.wid}/s", {"spec": {"replicas": 2}}, SMP), 415,
                          "UnsupportedMediaType",
                          "the body of the request was in an unknown format - accepted media "
                          "types include: application/json-patch+json, "
                          "application/merge-patch+json, application/apply-patch+yaml")

    def test_apply(self):
        w = widget("a", replicas=3)
        body = self.assertStatus(self.c.patch(f"{self.wid}/a", w, APPLY), 422, "Invalid")
        self.assertIn("fieldManager: Required value: is required for apply patch",
                      body["message"])
        created = self.assertStatus(self.c.patch(f"{self.wid}/a?fieldManager=test", w, APPLY),
                                    201)
        self.assertEqual(created["spec"]["replicas"], 3)
        w["spec"]["replicas"] = 4
        body = self.assertStatus(self.c.patch(f"{self.wid}/a?fieldManager=test&force=true", w,
                                              APPLY), 200)
        self.assertEqual(body["spec"]["replicas"], 4)
        body = self.assertStatus(self.c.patch(f"{self.wid}/a?force=true", {"spec": {}}, MERGE),
                                 422, "Invalid")
        self.assertIn("force: Forbidden: may not be specified for non-apply patch",
                      body["message"])
        # YAML bodies are accepted for apply.
        yaml = (b"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\n"
                b"spec:\n  size: large\n")
        body = self.assertStatus(self.c.request("PATCH", f"{self.wid}/a?fieldManager=test", yaml,
                                                headers={"Content-Type": APPLY}), 200)
        self.assertEqual(body["spec"]["size"], "large")

    def test_apply_conflicts_and_ownership(self):
        # "ops" creates the widget by apply; "ctl" changes replicas with a merge patch and
        # so takes that field over.
        self.assertStatus(self.c.patch(f"{self.wid}/own?fieldManager=ops",
                                       named(2), APPLY), 201)
        body = self.assertStatus(self.c.patch(f"{self.wid}/own?fieldManager=ctl",
                                              {"spec": {"replicas": 3}}), 200)
        managers = {(e["manager"], e["operation"]) for e in body["metadata"]["managedFields"]}
        self.assertEqual(managers, {("ops", "Apply"), ("ctl", "Update")})
        # Re-applying a different replicas value now conflicts with "ctl".
        body = self.assertStatus(self.c.patch(f"{self.wid}/own?fieldManager=ops",
                                              named(4), APPLY),
                                 409, "Conflict",
                                 'Apply failed with 1 conflict: conflict with "ctl" using '
                                 'example.com/v1: .spec.replicas')
        self.assertEqual(body["details"]["causes"], [{
            "reason": "FieldManagerConflict", "message": 'conflict with "ctl" using '
                                                        'example.com/v1',
            "field": ".spec.replicas"}])
        # Applying the same value is not a conflict; force takes the field back.
        self.assertStatus(self.c.patch(f"{self.wid}/own?fieldManager=ops",
                                       named(3), APPLY), 200)
        body = self.assertStatus(self.c.patch(f"{self.wid}/own?fieldManager=ops&force=true",
                                              named(4), APPLY), 200)
        self.assertEqual(body["spec"]["replicas"], 4)
        # A field dropped from the applied configuration is removed when nobody else
        # owns it.
        body = self.assertStatus(self.c.patch(f"{self.wid}/own?fieldManager=ops",
                                              widget("own", replicas=4), APPLY), 200)
        self.assertNotIn("name", body["spec"])

    def test_unknown_patch_type_is_415(self):
        self.c.post(self.dep, deployment("u"))
        body = self.assertStatus(self.c.patch(f"{self.dep}/u", {}, "application/json"), 415)
        self.assertIn("application/strategic-merge-patch+json", body["message"])


if __name__ == "__main__":
    unittest.main()
