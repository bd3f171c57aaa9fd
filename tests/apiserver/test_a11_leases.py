"""Appendix A.11 — Leases: compare-and-swap on resourceVersion, 422 for RV-less
update of an existing lease, create-on-update, MicroTime round trip."""
import unittest

from support import ServerTestCase

LEASES = "/apis/coordination.k8s.io/v1/namespaces/default/leases"


def lease(name, holder, rv=None, **spec):
    md = {"name": name}
    if rv:
        md["resourceVersion"] = rv
    spec = dict({"holderIdentity": holder, "leaseDurationSeconds": 15,
                 "acquireTime": "2025-01-02T03:04:05.123456Z",
                 "renewTime": "2025-01-02T03:09:41.000312Z", "leaseTransitions": 0}, **spec)
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": md,
            "spec": spec}


class LeaseTest(ServerTestCase):
    def test_leader_election_sequence(self):
        self.assertStatus(self.c.get(f"{LEASES}/leader"), 404, "NotFound")
        created = self.assertStatus(self.c.post(LEASES, lease("leader", "a")), 201)
        self.assertNotIn("generation", created["metadata"])  # leases track no generation
        # MicroTime strings round-trip unchanged.
        self.assertEqual(created["spec"]["acquireTime"], "2025-01-02T03:04:05.123456Z")
        self.assertEqual(created["spec"]["renewTime"], "2025-01-02T03:09:41.000312Z")
        rv = created["metadata"]["resourceVersion"]
        # Two candidates race with the same RV: one wins, the other gets 409.
        win = self.c.put(f"{LEASES}/leader", lease("leader", "a", rv,
                                                   renewTime="2025-01-02T03:09:43.000001Z"))
        lose = self.c.put(f"{LEASES}/leader", lease("leader", "b", rv, leaseTransitions=1))
        self.assertEqual(win[0], 200)
        self.assertStatus(lose, 409, "Conflict",
                          'Operation cannot be fulfilled on leases.coordination.k8s.io "leader": '
                          'the object has been modified; please apply your changes to the '
                          'latest version and try again')
        self.assertEqual(self.c.get(f"{LEASES}/leader")[1]["spec"]["renewTime"],
                         "2025-01-02T03:09:43.000001Z")

    def test_update_without_rv_is_422(self):
        self.c.post(LEASES, lease("norv", "a"))
        body = self.assertStatus(self.c.put(f"{LEASES}/norv", lease("norv", "b")), 422, "Invalid")
        self.assertEqual(body["message"], 'Lease.coordination.k8s.io "norv" is invalid: '
                                          'metadata.resourceVersion: Invalid value: 0x0: must be '
                                          'specified for an update')

    def test_put_creates_missing_lease(self):
        body = self.assertStatus(self.c.put(f"{LEASES}/fresh", lease("fresh", "a")), 201)
        self.assertEqual(body["spec"]["holderIdentity"], "a")

    def test_validation(self):
        self.assertStatus(self.c.post(LEASES, lease("bad", "a", leaseDurationSeconds=0)), 422,
                          "Invalid")
        self.assertStatus(self.c.post(LEASES, lease("bad", "a", renewTime="yesterday")), 422)
        self.assertStatus(self.c.post(LEASES, lease("bad", "a", leaseDurationSeconds="15")), 400,
                          "BadRequest")

    def test_release(self):
        cur = self.c.post(LEASES, lease("rel", "a"))[1]
        cur["spec"].update(holderIdentity="", leaseDurationSeconds=1)
        body = self.assertStatus(self.c.put(f"{LEASES}/rel", cur), 200)
        self.assertEqual(body["spec"]["holderIdentity"], "")


if __name__ == "__main__":
    unittest.main()
