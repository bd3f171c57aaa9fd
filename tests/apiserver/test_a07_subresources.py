"""Appendix A.7 — /status and /scale: Deployment Scale shape with selector string,
writes through /scale, CRD scale path mapping, the rollout model."""
import unittest

from support import DEPLOYMENTS, WIDGETS, ServerTestCase, deployment, wait_for, widget


class SubresourceTest(ServerTestCase):
    install_widgets = True

    def setUp(self):
        self.ns = self.namespace("sub")
        self.dep = DEPLOYMENTS.format(ns=self.ns)
        self.wid = WIDGETS.format(ns=self.ns)

    def test_status_subresource_only_writes_status(self):
        w = self.c.post(self.wid, widget("s1", replicas=2))[1]
        w["status"] = {"phase": "Ready"}
        w["spec"]["replicas"] = 7                       # ignored on /status
        body = self.assertStatus(self.c.put(f"{self.wid}/s1/status", w), 200)
        self.assertEqual(body["status"], {"phase": "Ready"})
        self.assertEqual(body["spec"]["replicas"], 2)
        self.assertEqual(body["metadata"]["generation"], 1)
        stale = dict(w, status={"phase": "Old"})
        self.assertStatus(self.c.put(f"{self.wid}/s1/status", stale), 409, "Conflict")
        body = self.assertStatus(self.c.get(f"{self.wid}/s1/status"), 200)
        self.assertEqual(body["status"]["phase"], "Ready")
        # Status is validated against the schema and pruned.
        body = self.assertStatus(self.c.patch(f"{self.wid}/s1/status",
                                              {"status": {"replicas": "many"}}), 422, "Invalid")
        self.assertEqual(body["details"]["causes"][0]["field"], "status.replicas")

    def test_deployment_scale(self):
        d = deployment("web", replicas=3, labels={"app": "web", "tier": "fe"})
        created = self.c.post(self.dep, d)[1]
        scale = self.assertStatus(self.c.get(f"{self.dep}/web/scale"), 200)
        self.assertEqual(scale["kind"], "Scale")
        self.assertEqual(scale["apiVersion"], "autoscaling/v1")
        self.assertEqual(scale["spec"], {"replicas": 3})
        self.assertEqual(scale["status"]["selector"], "app=web,tier=fe")
        self.assertEqual(scale["metadata"]["uid"], created["metadata"]["uid"])
        put = {"kind": "Scale", "apiVersion": "autoscaling/v1",
               "metadata": {"name": "web", "namespace": self.ns,
                            "resourceVersion": scale["metadata"]["resourceVersion"]},
               "spec": {"replicas": 5}}
        cur = self.c.get(f"{self.dep}/web")[1]
        put["metadata"]["resourceVersion"] = cur["metadata"]["resourceVersion"]
        code, body, _ = self.c.put(f"{self.dep}/web/scale", put)
        if code == 409:  # the rollout simulator wrote status in between; retry once
            cur = self.c.get(f"{self.dep}/web")[1]
            put["metadata"]["resourceVersion"] = cur["metadata"]["resourceVersion"]
            code, body, _ = self.c.put(f"{self.dep}/web/scale", put)
        self.assertEqual(code, 200, body)
        self.assertEqual(body["spec"]["replicas"], 5)
        dep = self.c.get(f"{self.dep}/web")[1]
        self.assertEqual(dep["spec"]["replicas"], 5)
        self.assertEqual(dep["metadata"]["generation"], 2)
        body = self.assertStatus(self.c.patch(f"{self.dep}/web/scale", {"spec": {"replicas": 6}}),
                                 200)
        self.assertEqual(body["spec"]["replicas"], 6)
        put["metadata"]["resourceVersion"] = "1"
        self.assertStatus(self.c.put(f"{self.dep}/web/scale", put), 409, "Conflict")
        self.assertStatus(self.c.patch(f"{self.dep}/web/scale", {"spec": {"replicas": -1}}), 422,
                          "Invalid")
        body = self.assertStatus(self.c.get(f"{self.dep}/nope/scale"), 404, "NotFound",
                                 'deployments/scale.apps "nope" not found')
        self.assertEqual(body["details"]["kind"], "deployments/scale")

    def test_scale_patch_with_resource_version_is_a_precondition(self):
        # Contract §4.8/§5.2: a merge patch of /scale that names metadata.resourceVersion
        # is moved onto the parent's update: stale -> 409 Conflict as the parent,
        # current -> applied. The HPA and Foresight's operator write scale this way.
        self.c.post(self.dep, deployment("cas", replicas=2))
        # Let the rollout model settle, so that no status write moves the version below.
        wait_for(lambda: self.c.get(f"{self.dep}/cas")[1].get("status", {})
                 .get("readyReplicas") == 2)
        read = self.c.get(f"{self.dep}/cas/scale")[1]
        rv = read["metadata"]["resourceVersion"]
        self.assertEqual(rv, self.c.get(f"{self.dep}/cas")[1]["metadata"]["resourceVersion"])
        self.c.patch(f"{self.dep}/cas", {"metadata": {"labels": {"touched": "yes"}}})
        body = self.assertStatus(self.c.patch(f"{self.dep}/cas/scale", {
            "metadata": {"resourceVersion": rv}, "spec": {"replicas": 5}}), 409, "Conflict",
            'Operation cannot be fulfilled on deployments.apps "cas": the object has been '
            'modified; please apply your changes to the latest version and try again')
        self.assertEqual(body["details"], {"name": "cas", "group": "apps", "kind": "deployments"})
        self.assertEqual(self.c.get(f"{self.dep}/cas")[1]["spec"]["replicas"], 2)
        fresh = self.c.get(f"{self.dep}/cas/scale")[1]["metadata"]["resourceVersion"]
        body = self.assertStatus(self.c.patch(f"{self.dep}/cas/scale", {
            "metadata": {"resourceVersion": fresh}, "spec": {"replicas": 5}}), 200)
        self.assertEqual(body["spec"]["replicas"], 5)
        self.assertNotEqual(body["metadata"]["resourceVersion"], fresh)

    def test_cr_scale_patch_with_resource_version_is_a_precondition(self):
        self.c.post(self.wid, widget("cas", replicas=2))
        rv = self.c.get(f"{self.wid}/cas/scale")[1]["metadata"]["resourceVersion"]
        self.c.patch(f"{self.wid}/cas/status", {"status": {"replicas": 2}})
        self.assertStatus(self.c.patch(f"{self.wid}/cas/scale", {
            "metadata": {"resourceVersion": rv}, "spec": {"replicas": 3}}), 409, "Conflict",
            'Operation cannot be fulfilled on widgets.example.com "cas": the object has been '
            'modified; please apply your changes to the latest version and try again')
        self.assertEqual(self.c.get(f"{self.wid}/cas")[1]["spec"]["replicas"], 2)
        fresh = self.c.get(f"{self.wid}/cas/scale")[1]["metadata"]["resourceVersion"]
        self.assertStatus(self.c.patch(f"{self.wid}/cas/scale", {
            "metadata": {"resourceVersion": fresh}, "spec": {"replicas": 3}}), 200)
        self.assertEqual(self.c.get(f"{self.wid}/cas")[1]["spec"]["replicas"], 3)

    def test_rollout_follows_spec(self):
        d = deployment("roll", replicas=2)
        # A per-object start-up delay long enough to observe the not-yet-ready state.
        d["metadata"]["annotations"] = {"foresight.test/pod-startup-delay-seconds": "2"}
        self.c.post(self.dep, d)
        wait_for(lambda: self.c.get(f"{self.dep}/roll")[1].get("status", {})
                 .get("readyReplicas") == 2)
        self.c.patch(f"{self.dep}/roll/scale", {"spec": {"replicas": 4}})
        # status.replicas follows on the simulator's next tick (50 ms), ready pods only
        # after the start-up delay (2 s).
        st = wait_for(lambda: (lambda s: s if s.get("replicas") == 4 else None)(
            self.c.get(f"{self.dep}/roll")[1]["status"]))
        self.assertEqual(st.get("readyReplicas"), 2)
        wait_for(lambda: self.c.get(f"{self.dep}/roll")[1]["status"].get("readyReplicas") == 4)
        self.c.patch(f"{self.dep}/roll/scale", {"spec": {"replicas": 1}})
        wait_for(lambda: self.c.get(f"{self.dep}/roll")[1]["status"].get("readyReplicas") == 1)
        st = self.c.get(f"{self.dep}/roll")[1]["status"]
        self.assertEqual(st["observedGeneration"], 3)

    def test_deployment_owns_replica_sets(self):
        created = self.c.post(self.dep, deployment("owner", replicas=2))[1]
        rs_path = f"/apis/apps/v1/namespaces/{self.ns}/replicasets"
        items = wait_for(lambda: [rs for rs in self.c.get(rs_path)[1]["items"]
                                  if rs.get("status", {}).get("readyReplicas") == 2])
        rs = items[0]
        self.assertEqual(rs["metadata"]["ownerReferences"][0]["uid"],
                         created["metadata"]["uid"])
        self.assertTrue(rs["metadata"]["ownerReferences"][0]["controller"])
        h = rs["metadata"]["labels"]["pod-template-hash"]
        self.assertEqual(rs["metadata"]["name"], f"owner-{h}")
        self.assertEqual(rs["spec"]["selector"]["matchLabels"],
                         {"app": "owner", "pod-template-hash": h})
        self.c.patch(f"{self.dep}/owner", {"spec": {"template": {"metadata": {
            "annotations": {"restartedAt": "now"}}}}})
        # The new template gets its own ReplicaSet (revision 2) that takes over the
        # replicas; the old one is scaled to 0 and kept.
        new_rs = wait_for(lambda: [r for r in self.c.get(rs_path)[1]["items"]
                                   if r["metadata"]["name"] != rs["metadata"]["name"]
                                   and r.get("status", {}).get("readyReplicas") == 2])[0]
        self.assertEqual(new_rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
                         "2")
        old = wait_for(lambda: (lambda o: o if o["spec"]["replicas"] == 0 else None)(
            self.c.get(f"{rs_path}/{rs['metadata']['name']}")[1]))
        self.assertEqual(old["status"]["replicas"], 0)
        self.assertEqual(len(self.c.get(rs_path)[1]["items"]), 2)
        self.c.delete(f"{self.dep}/owner")
        wait_for(lambda: self.c.get(rs_path)[1]["items"] == [])

    def test_statefulset_rollout_and_scale(self):
        sts = deployment("db", replicas=1)
        sts["kind"] = "StatefulSet"
        sts["spec"]["serviceName"] = "db"
        base = f"/apis/apps/v1/namespaces/{self.ns}/statefulsets"
        self.assertStatus(self.c.post(base, sts), 201)
        self.assertStatus(self.c.patch(f"{base}/db/scale", {"spec": {"replicas": 3}}), 200)
        wait_for(lambda: self.c.get(f"{base}/db")[1]["status"].get("readyReplicas") == 3)

    def test_replication_controller_scale(self):
        # The core group's workload: under /api/v1, its selector a plain label map, which
        # defaults to the template's labels and becomes the Scale's selector string.
        rc = deployment("legacy", replicas=2, labels={"app": "legacy", "tier": "be"})
        rc["apiVersion"], rc["kind"] = "v1", "ReplicationController"
        del rc["spec"]["selector"]
        base = f"/api/v1/namespaces/{self.ns}/replicationcontrollers"
        created = self.assertStatus(self.c.post(base, rc), 201)
        self.assertEqual(created["spec"]["selector"], {"app": "legacy", "tier": "be"})
        scale = self.assertStatus(self.c.get(f"{base}/legacy/scale"), 200)
        self.assertEqual(scale["spec"], {"replicas": 2})
        self.assertEqual(scale["status"]["selector"], "app=legacy,tier=be")
        self.assertStatus(self.c.patch(f"{base}/legacy/scale", {"spec": {"replicas": 4}}), 200)
        after = self.c.get(f"{base}/legacy")[1]
        self.assertEqual(after["spec"]["replicas"], 4)
        self.assertEqual(after["metadata"]["generation"], 2)
        # A selector the template's labels do not match is refused, naming the field.
        bad = deployment("odd", labels={"app": "odd"})
        bad["apiVersion"], bad["kind"] = "v1", "ReplicationController"
        bad["spec"]["selector"] = {"app": "other"}
        body = self.assertStatus(self.c.post(base, bad), 422, "Invalid")
        self.assertEqual(body["details"]["causes"][0]["field"], "spec.template.metadata.labels")
        # Discovery lists it with its scale subresource, as the operator looks kinds up.
        names = {r["name"] for r in self.c.get("/api/v1")[1]["resources"]}
        self.assertTrue({"replicationcontrollers", "replicationcontrollers/scale"} <= names)

    def test_cr_scale(self):
        self.c.post(self.wid, widget("sc", replicas=2))
        self.c.patch(f"{self.wid}/sc/status", {"status": {"replicas": 1,
                                                          "selector": "app=sc"}})
        scale = self.assertStatus(self.c.get(f"{self.wid}/sc/scale"), 200)
        self.assertEqual(scale["spec"], {"replicas": 2})
        self.assertEqual(scale["status"], {"replicas": 1, "selector": "app=sc"})
        self.assertStatus(self.c.patch(f"{self.wid}/sc/scale", {"spec": {"replicas": 9}}), 200)
        self.assertEqual(self.c.get(f"{self.wid}/sc")[1]["spec"]["replicas"], 9)
        self.assertStatus(self.c.patch(f"{self.wid}/sc/scale", {"spec": {"replicas": 9}},
                                       "application/strategic-merge-patch+json"), 415)
        # A PUT of a CR's /scale needs the resourceVersion (no unconditional update).
        self.assertStatus(self.c.put(f"{self.wid}/sc/scale", {
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": {"name": "sc"},
            "spec": {"replicas": 3}}), 422, "Invalid")
        # Writing through /scale is validated against the CR schema (maximum 100).
        self.assertStatus(self.c.patch(f"{self.wid}/sc/scale", {"spec": {"replicas": 101}}), 422)


if __name__ == "__main__":
    unittest.main()
