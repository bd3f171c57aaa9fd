"""Appendix A.12 — Events: core/v1 and events.k8s.io/v1 share storage, strategic
merge patch of count/series, the field selectors kubectl describe uses, strict
events.k8s.io validation."""
import unittest
import urllib.parse

from support import ServerTestCase

CORE = "/api/v1/namespaces/{ns}/events"
V1 = "/apis/events.k8s.io/v1/namespaces/{ns}/events"
SMP = "application/strategic-merge-patch+json"


def core_event(name, obj_name="web-pa", uid="u-1", reason="ScaledUp", kind="Widget"):
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name},
            "involvedObject": {"apiVersion": "example.com/v1", "kind": kind,
                               "namespace": "evns", "name": obj_name, "uid": uid},
            "reason": reason, "message": "scaled from 3 to 5", "type": "Normal",
            "source": {"component": "pa-operator"}, "count": 1,
            "firstTimestamp": "2025-01-02T03:05:00Z", "lastTimestamp": "2025-01-02T03:05:00Z"}


def v1_event(name, **over):
    e = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": name},
         "eventTime": "2025-01-02T03:05:00.123456Z",
         "reportingController": "example.com/pa-operator", "reportingInstance": "pa-1",
         "action": "Scale", "reason": "ScaledUp", "note": "scaled", "type": "Normal",
         "regarding": {"apiVersion": "example.com/v1", "kind": "Widget", "namespace": "evns",
                       "name": "web-pa", "uid": "u-1"}}
    e.update(over)
    return e


class EventTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.c.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                          "metadata": {"name": "evns"}})

    def test_shared_storage(self):
        self.assertStatus(self.c.post(V1.format(ns="evns"), v1_event("shared.1")), 201)
        core = self.assertStatus(self.c.get(CORE.format(ns="evns") + "/shared.1"), 200)
        self.assertEqual(core["involvedObject"]["name"], "web-pa")
        self.assertEqual(core["message"], "scaled")
        self.assertEqual(core["reportingComponent"], "example.com/pa-operator")
        self.c.post(CORE.format(ns="evns"), core_event("shared.2"))
        v1 = self.assertStatus(self.c.get(V1.format(ns="evns") + "/shared.2"), 200)
        self.assertEqual((v1["apiVersion"], v1["regarding"]["name"], v1["note"],
                          v1["deprecatedCount"]),
                         ("events.k8s.io/v1", "web-pa", "scaled from 3 to 5", 1))

    def test_strategic_merge_patch_count(self):
        self.c.post(CORE.format(ns="evns"), core_event("smp.1"))
        body = self.assertStatus(self.c.patch(CORE.format(ns="evns") + "/smp.1", {
            "count": 2, "lastTimestamp": "2025-01-02T03:06:00Z", "message": "again"}, SMP), 200)
        self.assertEqual((body["count"], body["message"]), (2, "again"))
        self.c.post(V1.format(ns="evns"), v1_event("smp.2"))
        body = self.assertStatus(self.c.patch(V1.format(ns="evns") + "/smp.2", {
            "series": {"count": 2, "lastObservedTime": "2025-01-02T03:06:00.000001Z"}}, SMP), 200)
        self.assertEqual(body["series"]["count"], 2)

    def test_core_patch_of_v1_event(self):
        # An event written through events.k8s.io can be updated through the core API
        # (legacy update validation), e.g. by a client-go recorder bumping count.
        self.c.post(V1.format(ns="evns"), v1_event("mixed.1"))
        body = self.assertStatus(self.c.patch(CORE.format(ns="evns") + "/mixed.1",
                                              {"count": 2, "message": "again"}, SMP), 200)
        self.assertEqual((body["count"], body["message"]), (2, "again"))

    def test_describe_field_selectors(self):
        self.c.post(CORE.format(ns="evns"), core_event("sel.1", obj_name="target", uid="t-1"))
        self.c.post(CORE.format(ns="evns"), core_event("sel.2", obj_name="target", uid="t-2"))
        self.c.post(CORE.format(ns="evns"), core_event("sel.3", obj_name="target", uid="t-1",
                                                       kind="Deployment"))
        # Term order is not fixed (built from a Go map): both orders must work.
        for sel in ("involvedObject.kind=Widget,involvedObject.name=target,"
                    "involvedObject.namespace=evns,involvedObject.uid=t-1",
                    "involvedObject.uid=t-1,involvedObject.namespace=evns,"
                    "involvedObject.name=target,involvedObject.kind=Widget"):
            body = self.assertStatus(self.c.get(CORE.format(ns="evns") + "?" + urllib.parse.
                                                urlencode({"fieldSelector": sel,
                                                           "limit": 500})), 200)
            self.assertEqual([e["metadata"]["name"] for e in body["items"]], ["sel.1"])
        for sel, want in (("reason=ScaledUp,involvedObject.name=target", 3),
                          ("type=Warning", 0), ("source=pa-operator,involvedObject.uid=t-2", 1)):
            body = self.c.get(CORE.format(ns="evns") + "?" + urllib.parse.urlencode(
                {"fieldSelector": sel}))[1]
            self.assertEqual(len(body["items"]), want, sel)

    def test_strict_v1_validation(self):
        cases = {
            "eventTime": (dict(eventTime=None), "eventTime: Required value"),
            "type": (dict(type="Info"), 'type: Unsupported value: "Info"'),
            "reportingController": (dict(reportingController=""),
                                    "reportingController: Required value"),
            "action": (dict(action="x" * 129), "action: Invalid value"),
            "deprecated": (dict(deprecatedCount=3), "deprecatedCount: Invalid value"),
            "series": (dict(series={"count": 1}), "series.count: Invalid value: 1"),
        }
        for why, (over, text) in cases.items():
            with self.subTest(why=why):
                e = v1_event("bad", **over)
                e = {k: v for k, v in e.items() if v is not None}
                body = self.assertStatus(self.c.post(V1.format(ns="evns"), e), 422, "Invalid")
                self.assertIn(text, body["message"])

    def test_wrong_json_types_are_400(self):
        e = core_event("types.1")
        e["count"] = "2"
        body = self.assertStatus(self.c.post(CORE.format(ns="evns"), e), 400, "BadRequest")
        self.assertEqual(body["message"], 'Event in version "v1" cannot be handled as a Event: '
                                          'json: cannot unmarshal string into Go struct field '
                                          'Event.count of type int32')
        self.c.post(CORE.format(ns="evns"), core_event("types.2"))
        self.assertStatus(self.c.patch(CORE.format(ns="evns") + "/types.2",
                                       {"count": "3"}, SMP), 400, "BadRequest")

    def test_v1_update_only_series(self):
        created = self.c.post(V1.format(ns="evns"), v1_event("imm.1"))[1]
        created["note"] = "changed"
        self.assertStatus(self.c.put(V1.format(ns="evns") + "/imm.1", created), 422, "Invalid")

    def test_core_event_rules(self):
        self.assertStatus(self.c.put(CORE.format(ns="evns") + "/cou.1", core_event("cou.1")),
                          201)  # create on update
        e = core_event("ns.1")
        e["involvedObject"]["namespace"] = "other"
        self.assertStatus(self.c.post(CORE.format(ns="evns"), e), 422, "Invalid")
        e = core_event("rv.1")
        e["metadata"]["resourceVersion"] = "3"
        self.assertStatus(self.c.post(CORE.format(ns="evns"), e), 500)


if __name__ == "__main__":
    unittest.main()
