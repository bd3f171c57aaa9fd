"""Appendix A.3 — watch: headers flushed before the first event, {type, object} lines,
synthetic ADDED for RV unset/"0", resume from RV=N, DELETED with last state,
bookmarks only when asked, 410 ERROR event for compacted RVs, timeoutSeconds,
selectors (including objects leaving the selection)."""
import time
import unittest

from support import ServerTestCase

CM = "/api/v1/namespaces/{ns}/configmaps"


def cm(name, labels=None, data=None):
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "labels": labels or {}}, "data": data or {}}


class WatchTest(ServerTestCase):
    def setUp(self):
        self.ns = self.namespace("watch")
        self.base = CM.format(ns=self.ns)

    def test_headers_flushed_before_any_event(self):
        rv = self.c.get(self.base)[1]["metadata"]["resourceVersion"]
        start = time.monotonic()
        with self.c.watch(f"{self.base}?watch=true&resourceVersion={rv}&timeoutSeconds=5") as w:
            # getresponse() returned, so the status line and headers arrived while no
            # event exists yet.
            self.assertLess(time.monotonic() - start, 2)
            self.assertEqual(w.status, 200)
            self.assertEqual(w.headers["Content-Type"], "application/json")
            self.assertEqual(w.headers["Transfer-Encoding"], "chunked")

    def test_synthetic_added_then_changes(self):
        self.c.post(self.base, cm("one"))
        for rv in ("", "0"):
            with self.subTest(rv=rv), self.c.watch(
                    f"{self.base}?watch=1&resourceVersion={rv}&timeoutSeconds=5") as w:
                ev = w.next()
                self.assertEqual(ev["type"], "ADDED")
                self.assertEqual(ev["object"]["kind"], "ConfigMap")
                self.assertEqual(ev["object"]["apiVersion"], "v1")
                self.assertEqual(ev["object"]["metadata"]["name"], "one")

    def test_resume_from_resource_version(self):
        code, created, _ = self.c.post(self.base, cm("r1"))
        rv = created["metadata"]["resourceVersion"]
        self.c.post(self.base, cm("r2"))
        self.c.patch(f"{self.base}/r1", {"data": {"x": "1"}})
        code, body, _ = self.c.delete(f"{self.base}/r2")
        with self.c.watch(f"{self.base}?watch=true&resourceVersion={rv}&timeoutSeconds=5") as w:
            got = [(e["type"], e["object"]["metadata"]["name"]) for e in
                   (w.next(), w.next(), w.next())]
        # No synthetic ADDED for r1 (created at rv): only what happened after rv.
        self.assertEqual(got, [("ADDED", "r2"), ("MODIFIED", "r1"), ("DELETED", "r2")])

    def test_deleted_carries_last_state(self):
        code, created, _ = self.c.post(self.base, cm("gone", data={"k": "v"}))
        rv = created["metadata"]["resourceVersion"]
        with self.c.watch(f"{self.base}?watch=true&resourceVersion={rv}&timeoutSeconds=5") as w:
            self.c.delete(f"{self.base}/gone")
            ev = w.next()
        self.assertEqual(ev["type"], "DELETED")
        self.assertEqual(ev["object"]["data"], {"k": "v"})
        self.assertGreater(int(ev["object"]["metadata"]["resourceVersion"]), int(rv))

    def test_bookmarks_only_when_requested(self):
        self.c.configure(bookmarkIntervalSeconds=0.3)
        try:
            rv = self.c.get(self.base)[1]["metadata"]["resourceVersion"]
            with self.c.watch(f"{self.base}?watch=true&resourceVersion={rv}&timeoutSeconds=1") as w:
                self.assertEqual(list(w), [])
            with self.c.watch(f"{self.base}?watch=true&resourceVersion={rv}"
                              f"&allowWatchBookmarks=true&timeoutSeconds=1") as w:
                events = list(w)
            self.assertTrue(events)
            for ev in events:
                self.assertEqual(ev["type"], "BOOKMARK")
                self.assertEqual(ev["object"]["kind"], "ConfigMap")
                self.assertEqual(set(ev["object"]["metadata"]), {"resourceVersion",
                                                                 "creationTimestamp"})
        finally:
            self.c.configure(bookmarkIntervalSeconds=60)

    def test_expired_resource_version_is_error_event(self):
        code, created, _ = self.c.post(self.base, cm("old"))
        rv = created["metadata"]["resourceVersion"]
        self.c.patch(f"{self.base}/old", {"data": {"a": "b"}})
        self.c.compact()
        with self.c.watch(f"{self.base}?watch=true&resourceVersion={rv}") as w:
            self.assertEqual(w.status, 200)
            ev = w.next()
            self.assertIsNone(w.next())  # the stream ends after the ERROR
        self.assertEqual(ev["type"], "ERROR")
        st = ev["object"]
        self.assertEqual((st["kind"], st["code"], st["reason"]), ("Status", 410, "Expired"))
        self.assertTrue(st["message"].startswith(f"too old resource version: {rv} ("))

    def test_timeout_seconds_closes_cleanly(self):
        start = time.monotonic()
        with self.c.watch(f"{self.base}?watch=true&timeoutSeconds=1") as w:
            self.assertEqual(list(w), [])
        self.assertTrue(0.9 <= time.monotonic() - start < 4)

    def test_selectors_respected(self):
        rv = self.c.get(self.base)[1]["metadata"]["resourceVersion"]
        with self.c.watch(f"{self.base}?watch=true&resourceVersion={rv}&labelSelector=app%3Dweb"
                          f"&timeoutSeconds=5") as w:
            self.c.post(self.base, cm("other", {"app": "db"}))
            self.c.post(self.base, cm("web", {"app": "web"}))
            self.c.patch(f"{self.base}/web", {"metadata": {"labels": {"app": "api"}}})
            first, second = w.next(), w.next()
        self.assertEqual((first["type"], first["object"]["metadata"]["name"]), ("ADDED", "web"))
        # Leaving the selection looks like a deletion to this watcher.
        self.assertEqual((second["type"], second["object"]["metadata"]["name"]),
                         ("DELETED", "web"))
        with self.c.watch(f"{self.base}?watch=true&fieldSelector=metadata.name%3Dother"
                          f"&timeoutSeconds=1") as w:
            self.assertEqual([e["object"]["metadata"]["name"] for e in w], ["other"])

    def test_watch_list_is_rejected(self):
        self.assertStatus(self.c.get(f"{self.base}?watch=true&sendInitialEvents=true"
                                     f"&resourceVersionMatch=NotOlderThan&resourceVersion="),
                          422, "Invalid")

    def test_namespace_isolation(self):
        other = self.namespace("watch-other")
        with self.c.watch(f"{self.base}?watch=true&timeoutSeconds=1") as w:
            self.c.post(CM.format(ns=other), cm("elsewhere"))
            self.assertEqual(list(w), [])


if __name__ == "__main__":
    unittest.main()
