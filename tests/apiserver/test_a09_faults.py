"""Appendix A.9 — errors are Status objects (except the plain-text 429); fault
injection: 429/500/503/504 with Retry-After, latency, dropped watches, history
compaction, restart with state kept or lost, snapshot across processes."""
import os
import shutil
import tempfile
import time
import unittest

from kubeemu.client import ServerProcess
from support import ServerTestCase, deployment

CM = "/api/v1/namespaces/default/configmaps"


class FaultTest(ServerTestCase):
    def tearDown(self):
        self.c.reset_faults()

    def test_throttle_429_is_plain_text(self):
        self.c.faults(fail=[{"code": 429, "count": 1, "retryAfterSeconds": 2}])
        code, body, headers = self.c.request("GET", CM, raw=True)
        self.assertEqual(code, 429)
        self.assertEqual(headers["Retry-After"], "2")
        self.assertTrue(headers["Content-Type"].startswith("text/plain"))
        self.assertEqual(body, b"Too many requests, please try again later.\n")
        self.assertEqual(self.c.get(CM)[0], 200)  # only the next request failed

    def test_server_errors_are_status(self):
        cases = [(500, "InternalError"), (503, "ServiceUnavailable"), (504, "Timeout")]
        for code, reason in cases:
            with self.subTest(code=code):
                self.c.faults(fail=[{"code": code, "count": 2, "retryAfterSeconds": 1}])
                for _ in range(2):
                    got, body, headers = self.c.get(CM)
                    self.assertEqual(got, code)
                    self.assertEqual((body["kind"], body["reason"], body["code"]),
                                     ("Status", reason, code))
                    self.assertEqual(headers["Retry-After"], "1")
                    self.assertEqual(body["details"]["retryAfterSeconds"], 1)
                self.assertEqual(self.c.get(CM)[0], 200)

    def test_conflict_409_is_the_optimistic_lock_status(self):
        # The injected 409 is the exact Status kube-apiserver answers a stale
        # resourceVersion with (contract §4.3), for the object the path names; a write
        # through /scale conflicts as its Deployment. The write itself does not happen.
        dep = "/apis/apps/v1/namespaces/default/deployments"
        self.assertStatus(self.c.post(dep, deployment("conflicted", replicas=2)), 201)
        self.c.faults(fail=[{"code": 409, "count": 1, "path": "deployments/conflicted/scale$",
                             "methods": ["PATCH"]}])
        self.assertEqual(self.c.get(f"{dep}/conflicted/scale")[0], 200)  # GET is not matched
        code, body, _ = self.c.patch(f"{dep}/conflicted/scale", {"spec": {"replicas": 5}})
        self.assertEqual(code, 409)
        self.assertEqual(body, {
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": 'Operation cannot be fulfilled on deployments.apps "conflicted": the '
                       'object has been modified; please apply your changes to the latest '
                       'version and try again',
            "reason": "Conflict",
            "details": {"name": "conflicted", "group": "apps", "kind": "deployments"},
            "code": 409})
        self.assertEqual(self.c.get(f"{dep}/conflicted")[1]["spec"]["replicas"], 2)
        self.assertEqual(self.c.faults()["pendingFailures"], [])
        body = self.assertStatus(self.c.patch(f"{dep}/conflicted/scale",
                                              {"spec": {"replicas": 5}}), 200)
        self.assertEqual(body["spec"]["replicas"], 5)

    def test_unknown_fault_code_is_refused(self):
        with self.assertRaises(Exception) as caught:
            self.c.faults(fail=[{"code": 418}])
        self.assertIn("409, 429, 500, 503, 504", str(caught.exception))

    def test_failures_filtered_by_path_and_method(self):
        self.c.faults(fail=[{"code": 503, "count": 1, "path": "/leases", "methods": ["PUT"]}])
        self.assertEqual(self.c.get(CM)[0], 200)
        self.assertEqual(self.c.get("/apis/coordination.k8s.io/v1/namespaces/default/leases")[0],
                         200)
        code, _, _ = self.c.put("/apis/coordination.k8s.io/v1/namespaces/default/leases/x", {
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "x"}})
        self.assertEqual(code, 503)

    def test_latency(self):
        self.c.faults(latencySeconds=0.4)
        start = time.monotonic()
        self.c.get(CM)
        self.assertGreaterEqual(time.monotonic() - start, 0.4)

    def test_drop_watches(self):
        for mode in ("eof", "reset"):
            with self.subTest(mode=mode), self.c.watch(f"{CM}?watch=true&timeoutSeconds=30") as w:
                while not self.c.drop_watches(mode)["dropped"]:  # until the watch is open
                    time.sleep(0.05)
                start = time.monotonic()
                try:
                    events = list(w)
                    clean_end = True
                except Exception:  # cut stream: IncompleteRead, ConnectionResetError, ...
                    events, clean_end = [], False
                if mode == "eof":
                    self.assertTrue(clean_end)
                    self.assertTrue(all(e["type"] == "ADDED" for e in events))
                # "reset" cuts the TCP connection; whether the client sees an error or an
                # early end depends on timing, but the stream must end at once.
                self.assertLess(time.monotonic() - start, 5)

    def test_compact_forces_410_on_watch_and_list(self):
        code, created, _ = self.c.post(CM, {"apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": {"generateName": "cmp-"}})
        rv = created["metadata"]["resourceVersion"]
        self.c.patch(f"{CM}/{created['metadata']['name']}", {"data": {"a": "b"}})
        self.c.compact()
        with self.c.watch(f"{CM}?watch=true&resourceVersion={rv}") as w:
            self.assertEqual(w.next()["object"]["code"], 410)
        self.assertStatus(self.c.get(f"{CM}?resourceVersion={rv}&resourceVersionMatch=Exact"),
                          410, "Expired")

    def test_expired_watch_as_http_410(self):
        code, created, _ = self.c.post(CM, {"apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": {"generateName": "h410-"}})
        rv = created["metadata"]["resourceVersion"]
        self.c.patch(f"{CM}/{created['metadata']['name']}", {"data": {"a": "b"}})
        self.c.compact()
        self.c.configure(watchExpiredAs="http")
        try:
            self.assertStatus(self.c.get(f"{CM}?watch=true&resourceVersion={rv}"), 410,
                              "Expired")
        finally:
            self.c.configure(watchExpiredAs="event")

    def test_errors_outside_api_are_status(self):
        self.assertStatus(self.c.get("/apis/apps/v1/namespaces/default/nothing"), 404,
                          "NotFound")
        self.assertStatus(self.c.request("POST", "/apis/apps/v1/namespaces/default/deployments/x",
                                         {}), 405, "MethodNotAllowed")


class RestartTest(ServerTestCase):
    def test_restart_keeping_state(self):
        self.c.post(CM, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kept"}})
        rv = self.c.get(CM)[1]["metadata"]["resourceVersion"]
        with self.c.watch(f"{CM}?watch=true&resourceVersion={rv}&timeoutSeconds=30") as w:
            self.c.restart(keep_state=True)
            try:
                list(w)
            except Exception:
                pass  # the connection is cut, as when a real server restarts
        self.assertEqual(self.c.get(f"{CM}/kept")[0], 200)
        # History did not survive: resuming from the old RV (if anything changed) is 410.
        self.c.patch(f"{CM}/kept", {"data": {"x": "y"}})
        self.c.compact()
        with self.c.watch(f"{CM}?watch=true&resourceVersion={rv}") as w:
            self.assertEqual(w.next()["type"], "ERROR")

    def test_restart_losing_state_and_downtime(self):
        self.c.post(CM, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "lost"}})
        self.c.restart(keep_state=False, down_seconds=2)
        with self.assertRaises(Exception):
            self.c.get(CM)
        time.sleep(2.1)
        self.assertEqual(self.c.get(f"{CM}/lost")[0], 404)
        self.assertEqual(self.c.get("/api/v1/namespaces/default")[0], 200)


class SnapshotTest(ServerTestCase):
    def test_state_file_survives_process_restart(self):
        d = tempfile.mkdtemp(prefix="kubeemu-state-")
        self.addCleanup(shutil.rmtree, d, True)
        state = os.path.join(d, "state.json")
        with ServerProcess(state=state, args=("--quiet",)) as srv:
            c = srv.client()
            c.post(CM, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "snap"}})
            token = c.new_token("system:serviceaccount:default:sa")
            rv = c.get(CM)[1]["metadata"]["resourceVersion"]
        self.assertTrue(os.path.exists(state))
        with ServerProcess(state=state, args=("--quiet",)) as srv:
            c = srv.client()
            self.assertEqual(c.get(f"{CM}/snap")[0], 200)
            self.assertEqual(c.with_token(token).get("/version")[0], 200)
            self.assertGreaterEqual(int(c.get(CM)[1]["metadata"]["resourceVersion"]), int(rv))

    def test_sigterm_stops_cleanly(self):
        srv = ServerProcess(args=("--quiet",)).start()
        self.addCleanup(srv.__exit__, None, None, None)
        c = srv.client()
        w = c.watch(f"{CM}?watch=true")  # an open watch must not block shutdown
        start = time.monotonic()
        self.assertEqual(srv.stop(), 0)
        self.assertLess(time.monotonic() - start, 5)
        w.close()


if __name__ == "__main__":
    unittest.main()
