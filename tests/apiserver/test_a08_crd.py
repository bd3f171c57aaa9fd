"""Appendix A.8 — CRDs: structural-schema checks, pruning, preserve-unknown-fields,
defaults on write and read, OpenAPI + CEL validation texts, NamesAccepted/Established,
storedVersions, served/storage flags, printer columns in Table responses."""
import copy
import unittest

from support import WIDGETS, ServerTestCase, fixture, wait_for, widget

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


def gadget_crd(group="g.example.com", schema=None, **version):
    v = {"name": "v1", "served": True, "storage": True,
         "schema": {"openAPIV3Schema": schema or {
             "type": "object", "properties": {"spec": {"type": "object", "properties": {
                 "a": {"type": "string"}}}}}}}
    v.update(version)
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"gadgets.{group}"},
            "spec": {"group": group, "scope": "Namespaced",
                     "names": {"plural": "gadgets", "kind": "Gadget"}, "versions": [v]}}


class CrdTest(ServerTestCase):
    install_widgets = True

    def setUp(self):
        self.ns = self.namespace("crd")
        self.wid = WIDGETS.format(ns=self.ns)

    def test_crd_status_conditions(self):
        crd = self.assertStatus(self.c.get(f"{CRDS}/widgets.example.com"), 200)
        conds = {c["type"]: c for c in crd["status"]["conditions"]}
        self.assertEqual((conds["NamesAccepted"]["status"], conds["NamesAccepted"]["reason"],
                          conds["NamesAccepted"]["message"]),
                         ("True", "NoConflicts", "no conflicts found"))
        self.assertEqual((conds["Established"]["status"], conds["Established"]["reason"],
                          conds["Established"]["message"]),
                         ("True", "InitialNamesAccepted", "the initial names have been accepted"))
        self.assertEqual(crd["status"]["storedVersions"], ["v1"])
        self.assertEqual(crd["status"]["acceptedNames"]["kind"], "Widget")
        self.assertEqual(crd["spec"]["names"]["listKind"], "WidgetList")

    def test_non_structural_schemas_rejected(self):
        cases = {
            "missing type": {"type": "object", "properties": {"spec": {"properties": {}}}},
            "uniqueItems": {"type": "object", "properties": {"l": {
                "type": "array", "items": {"type": "string"}, "uniqueItems": True}}},
            "additionalProperties false": {"type": "object", "additionalProperties": False},
            "properties + additionalProperties": {"type": "object", "properties": {
                "a": {"type": "string"}}, "additionalProperties": {"type": "string"}},
            "$ref": {"type": "object", "properties": {"a": {"$ref": "#/x"}}},
            "type in allOf": {"type": "object", "properties": {"a": {
                "type": "string", "allOf": [{"type": "string"}]}}},
            "metadata restricted": {"type": "object", "properties": {"metadata": {
                "type": "object", "properties": {"labels": {"type": "object"}}}}},
            "invalid default": {"type": "object", "properties": {"a": {
                "type": "integer", "default": "x"}}},
            "unsupported CEL": {"type": "object", "x-kubernetes-validations": [
                {"rule": "self.frobnicate()"}]},
        }
        for why, schema in cases.items():
            with self.subTest(why=why):
                body = self.assertStatus(self.c.post(CRDS, gadget_crd(schema=schema)), 422,
                                         "Invalid")
                self.assertEqual(body["details"]["kind"], "CustomResourceDefinition")
                self.assertTrue(body["details"]["causes"])

    def test_crd_spec_validation(self):
        crd = gadget_crd()
        crd["metadata"]["name"] = "wrong.g.example.com"
        body = self.assertStatus(self.c.post(CRDS, crd), 422, "Invalid")
        self.assertIn('metadata.name: Invalid value: "wrong.g.example.com": must be '
                      'spec.names.plural+"."+spec.group', body["message"])
        crd = gadget_crd()
        crd["spec"]["preserveUnknownFields"] = True
        self.assertStatus(self.c.post(CRDS, crd), 422, "Invalid")
        crd = gadget_crd(storage=False)
        self.assertStatus(self.c.post(CRDS, crd), 422, "Invalid")
        crd = gadget_crd()
        del crd["spec"]["versions"][0]["schema"]
        body = self.assertStatus(self.c.post(CRDS, crd), 422, "Invalid")
        self.assertIn("schemas are required", body["message"])

    def test_pruning_and_preserve_unknown(self):
        w = widget("p", extra={"anything": {"deep": [1, 2]}})
        w["spec"]["unknown"] = "dropped"
        w["topLevel"] = "dropped"
        w["metadata"]["bogus"] = "dropped"
        body = self.assertStatus(self.c.post(self.wid, w), 201)
        self.assertNotIn("unknown", body["spec"])
        self.assertNotIn("topLevel", body)
        self.assertNotIn("bogus", body["metadata"])
        self.assertEqual(body["spec"]["extra"], {"anything": {"deep": [1, 2]}})
        stored = self.c.get(f"{self.wid}/p")[1]
        self.assertNotIn("unknown", stored["spec"])

    def test_defaults_on_write(self):
        body = self.assertStatus(self.c.post(self.wid, widget("d")), 201)
        # replicas/minReplicas/maxReplicas defaulted; tuning defaulted to {} and then its
        # nested default applied (top-down, parent first).
        self.assertEqual(body["spec"]["replicas"], 1)
        self.assertEqual(body["spec"]["minReplicas"], 1)
        self.assertEqual(body["spec"]["maxReplicas"], 10)
        self.assertEqual(body["spec"]["tuning"], {"mode": "auto"})

    def test_defaults_on_read(self):
        crd = fixture("widget-crd.yaml")[0]
        crd["metadata"]["name"] = "gizmos.read.example.com"
        crd["spec"]["group"] = "read.example.com"
        crd["spec"]["names"] = {"plural": "gizmos", "kind": "Gizmo"}
        self.assertStatus(self.c.post(CRDS, crd), 201)
        base = f"/apis/read.example.com/v1/namespaces/{self.ns}/gizmos"
        g = {"apiVersion": "read.example.com/v1", "kind": "Gizmo", "metadata": {"name": "old"},
             "spec": {"size": "small"}}
        self.assertStatus(self.c.post(base, g), 201)
        cur = self.c.get(f"{CRDS}/gizmos.read.example.com")[1]
        props = cur["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]
        props["spec"]["properties"]["color"] = {"type": "string", "default": "blue"}
        self.assertStatus(self.c.put(f"{CRDS}/gizmos.read.example.com", cur), 200)
        # The stored object was written before the default existed; reads apply it.
        self.assertEqual(self.c.get(f"{base}/old")[1]["spec"]["color"], "blue")
        listed = self.c.get(base)[1]["items"][0]
        self.assertEqual(listed["spec"]["color"], "blue")
        self.assertEqual(listed["kind"], "Gizmo")  # CR list items keep TypeMeta
        self.c.delete(f"{CRDS}/gizmos.read.example.com")

    def test_openapi_error_texts(self):
        cases = [
            ({"size": "small", "name": "UPPER"}, "spec.name",
             "Invalid value: \"UPPER\": spec.name in body should match '^[a-z]+$'"),
            ({"size": "small", "name": "abcdefghijklmnopqrstuvwxyz"}, "spec.name",
             "Too long: may not be longer than 20"),
            ({"size": "small", "replicas": "two"}, "spec.replicas",
             'Invalid value: "string": spec.replicas in body must be of type integer: "string"'),
            ({"size": 3}, "spec.size",
             'Invalid value: "integer": spec.size in body must be of type string: "integer"'),
        ]
        for spec, field, message in cases:
            with self.subTest(field=field, spec=spec):
                w = widget("e")
                w["spec"] = spec
                body = self.assertStatus(self.c.post(self.wid, w), 422, "Invalid")
                cause = next(c for c in body["details"]["causes"] if c["field"] == field)
                self.assertEqual(cause["message"], message)

    def test_cel_rule(self):
        body = self.assertStatus(self.c.post(self.wid, widget("cel", minReplicas=5,
                                                              maxReplicas=2)), 422, "Invalid")
        self.assertEqual(body["message"], 'Widget.example.com "cel" is invalid: spec: Invalid '
                                          'value: "object": minReplicas must be <= maxReplicas')
        self.assertEqual(body["details"]["causes"], [{
            "reason": "FieldValueInvalid", "field": "spec",
            "message": 'Invalid value: "object": minReplicas must be <= maxReplicas'}])
        # CEL is skipped while OpenAPI errors exist.
        body = self.assertStatus(self.c.post(self.wid, widget("cel", size="huge", minReplicas=5,
                                                              maxReplicas=2)), 422)
        self.assertEqual([c["field"] for c in body["details"]["causes"]], ["spec.size"])

    def test_cel_transition_rule(self):
        schema = {"type": "object", "properties": {"spec": {
            "type": "object", "properties": {"mode": {
                "type": "string", "x-kubernetes-validations": [
                    {"rule": "self == oldSelf", "message": "mode is immutable"}]}}}}}
        self.assertStatus(self.c.post(CRDS, gadget_crd("t.example.com", schema)), 201)
        base = f"/apis/t.example.com/v1/namespaces/{self.ns}/gadgets"
        g = {"apiVersion": "t.example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
             "spec": {"mode": "a"}}
        self.assertStatus(self.c.post(base, g), 201)
        body = self.assertStatus(self.c.patch(f"{base}/g", {"spec": {"mode": "b"}}), 422)
        self.assertIn("spec.mode: Invalid value: \"string\": mode is immutable", body["message"])
        self.c.delete(f"{CRDS}/gadgets.t.example.com")

    def test_names_conflict(self):
        crd = gadget_crd("example.com")
        crd["metadata"]["name"] = "gadgets.example.com"
        crd["spec"]["names"]["kind"] = "Widget"
        body = self.assertStatus(self.c.post(CRDS, crd), 201)
        conds = {c["type"]: c for c in body["status"]["conditions"]}
        self.assertEqual(conds["NamesAccepted"]["status"], "False")
        self.assertEqual(conds["NamesAccepted"]["reason"], "KindConflict")
        self.assertEqual(conds["Established"]["status"], "False")
        self.assertStatus(self.c.get(f"/apis/example.com/v1/namespaces/{self.ns}/gadgets"), 404)
        self.c.delete(f"{CRDS}/gadgets.example.com")

    def test_versions_served_and_storage(self):
        crd = gadget_crd("v.example.com")
        v1 = crd["spec"]["versions"][0]
        v2 = copy.deepcopy(v1)
        v2.update(name="v2beta1", storage=False, served=True, deprecated=True,
                  deprecationWarning="v2beta1 gadgets are going away")
        v3 = copy.deepcopy(v1)
        v3.update(name="v3", storage=False, served=False)
        crd["spec"]["versions"] = [v1, v2, v3]
        self.assertStatus(self.c.post(CRDS, crd), 201)
        group = self.c.get("/apis/v.example.com")[1]
        self.assertEqual(group["preferredVersion"]["version"], "v1")
        self.assertEqual([v["version"] for v in group["versions"]], ["v1", "v2beta1"])
        base = f"/apis/v.example.com/v2beta1/namespaces/{self.ns}/gadgets"
        g = {"apiVersion": "v.example.com/v2beta1", "kind": "Gadget",
             "metadata": {"name": "x"}, "spec": {"a": "b"}}
        code, _, headers = self.c.post(base, g)
        self.assertEqual(code, 201)
        self.assertEqual(headers["Warning"], '299 - "v2beta1 gadgets are going away"')
        # Conversion None: the same object is served by every served version.
        got = self.c.get(f"/apis/v.example.com/v1/namespaces/{self.ns}/gadgets/x")[1]
        self.assertEqual(got["apiVersion"], "v.example.com/v1")
        self.assertStatus(self.c.get(f"/apis/v.example.com/v3/namespaces/{self.ns}/gadgets"), 404)
        self.c.delete(f"{CRDS}/gadgets.v.example.com")

    def test_printer_columns_in_table(self):
        self.c.post(self.wid, widget("t", size="large", replicas=4))
        code, body, _ = self.c.get(self.wid, headers={"Accept": TABLE})
        self.assertEqual(code, 200)
        self.assertEqual((body["kind"], body["apiVersion"]), ("Table", "meta.k8s.io/v1"))
        self.assertEqual([c["name"] for c in body["columnDefinitions"]],
                         ["Name", "Size", "Replicas", "Age"])
        row = next(r for r in body["rows"] if r["cells"][0] == "t")
        self.assertEqual(row["cells"][1:3], ["large", 4])
        self.assertEqual(row["object"]["kind"], "PartialObjectMetadata")

    def test_crd_delete_removes_crs(self):
        self.assertStatus(self.c.post(CRDS, gadget_crd("del.example.com")), 201)
        base = f"/apis/del.example.com/v1/namespaces/{self.ns}/gadgets"
        self.assertStatus(self.c.post(base, {"apiVersion": "del.example.com/v1",
                                             "kind": "Gadget", "metadata": {"name": "x"}}), 201)
        with self.c.watch(f"{base}?watch=true&timeoutSeconds=10") as w:
            self.assertEqual(w.next()["type"], "ADDED")
            self.assertStatus(self.c.delete(f"{CRDS}/gadgets.del.example.com"), 200)
            self.assertEqual(w.next()["type"], "DELETED")
            self.assertIsNone(w.next())  # the watch ends with the resource
        self.assertStatus(self.c.get(base), 404)
        self.assertStatus(self.c.post(CRDS, gadget_crd("del.example.com")), 201)
        wait_for(lambda: self.c.get(base)[0] == 200)
        self.assertEqual(self.c.get(base)[1]["items"], [])
        self.c.delete(f"{CRDS}/gadgets.del.example.com")


if __name__ == "__main__":
    unittest.main()
