"""Appendix A.5 — delete: Success Status (details.kind = plural) or the object with
deletionTimestamp when finalizers exist; DELETED once finalizers are cleared;
no new finalizers during deletion; preconditions."""
import unittest

from support import WIDGETS, ServerTestCase, widget

FIN = "example.com/cleanup"


class DeleteTest(ServerTestCase):
    install_widgets = True

    def setUp(self):
        self.ns = self.namespace("delete")
        self.wid = WIDGETS.format(ns=self.ns)

    def test_delete_returns_success_status(self):
        created = self.c.post(self.wid, widget("d1"))[1]
        body = self.assertStatus(self.c.delete(f"{self.wid}/d1"), 200)
        self.assertEqual(body, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                "status": "Success",
                                "details": {"name": "d1", "group": "example.com",
                                            "kind": "widgets",
                                            "uid": created["metadata"]["uid"]}})
        self.assertStatus(self.c.get(f"{self.wid}/d1"), 404)
        self.assertStatus(self.c.delete(f"{self.wid}/d1"), 404, "NotFound")

    def test_finalizers_delay_deletion(self):
        w = widget("d2")
        w["metadata"]["finalizers"] = [FIN]
        created = self.c.post(self.wid, w)[1]
        rv = created["metadata"]["resourceVersion"]
        with self.c.watch(f"{self.wid}?watch=true&resourceVersion={rv}&timeoutSeconds=5") as wt:
            body = self.assertStatus(self.c.delete(f"{self.wid}/d2"), 200)
            self.assertEqual(body["kind"], "Widget")
            self.assertIn("deletionTimestamp", body["metadata"])
            self.assertEqual(body["metadata"]["deletionGracePeriodSeconds"], 0)
            ev = wt.next()
            self.assertEqual(ev["type"], "MODIFIED")
            # Adding a finalizer while deleting is forbidden.
            body["metadata"]["finalizers"] = [FIN, "example.com/another"]
            err = self.assertStatus(self.c.put(f"{self.wid}/d2", body), 422, "Invalid")
            self.assertIn('metadata.finalizers: Forbidden: no new finalizers can be added if the '
                          'object is being deleted, found new finalizers []string{'
                          '"example.com/another"}', err["message"])
            # Removing the last finalizer completes the deletion.
            self.assertStatus(self.c.patch(f"{self.wid}/d2", {"metadata": {"finalizers": None}}),
                              200)
            ev = wt.next()
            self.assertEqual(ev["type"], "DELETED")
        self.assertStatus(self.c.get(f"{self.wid}/d2"), 404)

    def test_preconditions(self):
        created = self.c.post(self.wid, widget("d3"))[1]
        body = self.assertStatus(self.c.delete(f"{self.wid}/d3", {
            "kind": "DeleteOptions", "apiVersion": "v1",
            "preconditions": {"resourceVersion": "1"}}), 409, "Conflict")
        self.assertIn("Precondition failed", body["message"])
        self.assertStatus(self.c.delete(f"{self.wid}/d3", {
            "preconditions": {"uid": created["metadata"]["uid"]}}), 200)

    def test_delete_collection(self):
        for n in ("c1", "c2"):
            self.c.post(self.wid, widget(n))
        body = self.assertStatus(self.c.delete(self.wid), 200)
        self.assertEqual(body["kind"], "WidgetList")
        self.assertEqual(self.c.get(self.wid)[1]["items"], [])

    def test_namespace_delete_removes_content(self):
        ns = self.namespace("gone")
        self.c.post(WIDGETS.format(ns=ns), widget("inside"))
        body = self.assertStatus(self.c.delete(f"/api/v1/namespaces/{ns}"), 200)
        self.assertEqual(body["status"]["phase"], "Terminating")
        self.assertStatus(self.c.get(f"{WIDGETS.format(ns=ns)}/inside"), 404)


if __name__ == "__main__":
    unittest.main()
