"""A simple rollout model for Deployments and StatefulSets.

No Pods exist; each workload tracks the times at which its (virtual) pods become
ready. When spec.replicas grows, new pods become ready after the pod start-up
delay (server-wide, or per object with the annotation below); when it shrinks,
not-yet-ready pods go first. status.replicas follows spec.replicas on the next tick,
readyReplicas/availableReplicas follow as pods become ready. Status writes are
normal commits (new resourceVersion, MODIFIED to watchers, no generation bump).
"""
import copy
import hashlib
import json
import threading
import time

from .meta import new_uid, now_rfc3339

DELAY_ANNOTATION = "foresight.test/pod-startup-delay-seconds"
WORKLOADS = ("apps/deployments", "apps/statefulsets")
TICK_SECONDS = 0.05


class Rollout:
    def __init__(self, store, delay_seconds, clock=time.monotonic):
        self.store = store
        self.delay_seconds = float(delay_seconds)
        self.clock = clock
        self.pods = {}  # (storage, ns, name) -> [ready_at]
        self.deleted = []  # Deployments deleted since the last tick
        self.desired = {}  # (ns, name) -> ((uid, resourceVersion), hash, ReplicaSet spec)
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.thread = None
        store.listeners.append(self._on_commit)

    def start(self):
        self.resync()
        self.thread = threading.Thread(target=self._run, name="rollout", daemon=True)
        self.thread.start()

    def stop(self):
        self.stop_event.set()
        if self.thread:
            self.thread.join(timeout=2)

    def resync(self):
        """Rebuilds pod state from stored objects (start-up, restart): pods already
        counted ready stay ready, the rest start now."""
        with self.store.lock, self.lock:
            self.pods.clear()
            now = self.clock()
            for storage in WORKLOADS:
                for obj in self.store.list(storage)[0]:
                    want = _replicas(obj)
                    ready = min(want, (obj.get("status") or {}).get("readyReplicas") or 0)
                    delay = self._delay(obj)
                    self.pods[_key(storage, obj)] = [now] * ready + [now + delay] * (want - ready)

    def _delay(self, obj):
        ann = (obj["metadata"].get("annotations") or {}).get(DELAY_ANNOTATION)
        try:
            return float(ann) if ann is not None else self.delay_seconds
        except ValueError:
            return self.delay_seconds

    def _on_commit(self, ev):
        if ev.storage not in WORKLOADS:
            return
        key = _key(ev.storage, ev.obj)
        with self.lock:
            if ev.type == "DELETED":
                self.pods.pop(key, None)
                if ev.storage == "apps/deployments":
                    self.desired.pop(key[1:], None)
                    self.deleted.append(ev.obj)
                return
            pods = self.pods.setdefault(key, [])
            want = _replicas(ev.obj)
            now = self.clock()
            if want > len(pods):
                pods.extend([now + self._delay(ev.obj)] * (want - len(pods)))
            elif want < len(pods):
                pods.sort()  # ready (earliest) first; drop the newest
                del pods[want:]

    def _run(self):
        while not self.stop_event.wait(TICK_SECONDS):
            try:
                self.tick()
            except Exception as ex:  # never let the simulator die silently
                import sys
                print(f"rollout: {ex!r}", file=sys.stderr)

    def tick(self):
        """One step of the model for every workload. It runs every TICK_SECONDS under
        the store lock, so it reads stored objects without copying them (store.peek)
        and finds each Deployment's ReplicaSets in one index built per tick: a scan
        of all ReplicaSets per Deployment made a tick O(N^2) deep copies (seconds at
        a few hundred Deployments, during which every request waited)."""
        now = self.clock()
        with self.store.lock:
            with self.lock:
                keys = list(self.pods.items())
                deleted, self.deleted = self.deleted, []
            for dep in deleted:  # the garbage collector's part: owned ReplicaSets go too
                self._delete_owned(dep)
            owned_index = self._replica_sets_by_owner()
            for (storage, ns, name), pods in keys:
                cur = self.store.peek(storage, ns, name)
                if cur is None:
                    continue
                status = _status(storage, cur, pods, now)
                if status != (cur.get("status") or {}):
                    new = copy.deepcopy(cur)
                    new["status"] = status
                    self.store.commit(storage, "MODIFIED", new, cur)
                if storage == "apps/deployments":
                    self._sync_replica_sets(cur, status, owned_index)

    def _replica_sets_by_owner(self):
        """(namespace, owner uid) -> keys of the ReplicaSets that name that owner, in
        namespace/name order. Keys, not objects: a ReplicaSet changed earlier in the
        tick is read again from the store when it is used."""
        index = {}
        for rs in self.store.peek_all(RS):
            md = rs["metadata"]
            ns = md.get("namespace", "")
            uids = {r.get("uid") for r in md.get("ownerReferences") or []}
            for uid in uids:
                index.setdefault((ns, uid), []).append(md["name"])
        return index

    def _sync_replica_sets(self, dep, status, owned_index):
        """Keeps one ReplicaSet per pod template, owned by the Deployment (what
        `kubectl describe deployment` and Helm's --wait look at): the current one
        mirrors the Deployment's replicas, older ones are scaled to 0."""
        md = dep["metadata"]
        ns, uid = md.get("namespace", ""), md.get("uid")
        h, want = self._desired_replica_set(dep)
        name = f"{md['name']}-{h}"
        owned = [rs for rs in (self.store.peek(RS, ns, n)
                               for n in owned_index.get((ns, uid), ()))
                 if rs is not None]
        for rs in owned:
            if rs["metadata"]["name"] != name and (rs["spec"].get("replicas") or rs.get(
                    "status", {}).get("replicas")):
                new = copy.deepcopy(rs)
                new["spec"]["replicas"] = 0
                new["status"] = {"replicas": 0, "observedGeneration":
                                 rs["metadata"].get("generation", 1)}
                self.store.commit(RS, "MODIFIED", new, rs)
        cur = next((rs for rs in owned if rs["metadata"]["name"] == name), None)
        rs_status = {"replicas": status.get("replicas", 0),
                     "fullyLabeledReplicas": status.get("replicas", 0),
                     "readyReplicas": status.get("readyReplicas", 0),
                     "availableReplicas": status.get("availableReplicas", 0)}
        rs_status = {k: v for k, v in rs_status.items() if v}
        if cur is None:
            rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                  "metadata": {"name": name, "namespace": ns, "uid": new_uid(),
                               "creationTimestamp": now_rfc3339(), "generation": 1,
                               "labels": dict(want["template"]["metadata"]["labels"]),
                               "annotations": {
                                   "deployment.kubernetes.io/revision": str(len(owned) + 1)},
                               "ownerReferences": [{
                                   "apiVersion": "apps/v1", "kind": "Deployment",
                                   "name": md["name"], "uid": uid, "controller": True,
                                   "blockOwnerDeletion": True}]},
                  "spec": want, "status": dict(rs_status, observedGeneration=1)}
            self.store.commit(RS, "ADDED", rs, None)
            owned_index.setdefault((ns, uid), []).append(name)
            return
        gen = cur["metadata"].get("generation", 1)
        if cur["spec"] != want:
            gen += 1
        rs_status["observedGeneration"] = gen
        if cur["spec"] != want or cur.get("status") != rs_status:
            new = copy.deepcopy(cur)
            new["spec"] = want
            new["status"] = rs_status
            new["metadata"]["generation"] = gen
            self.store.commit(RS, "MODIFIED", new, cur)

    def _desired_replica_set(self, dep):
        """(pod-template-hash, spec of the current ReplicaSet) for the Deployment,
        remembered per stored version of it: the JSON encoding and copies are most of
        a steady tick. The spec returned is shared: commit() copies it, nothing else
        may change it."""
        md = dep["metadata"]
        key = (md.get("namespace", ""), md["name"])
        version = (md.get("uid"), md.get("resourceVersion"))
        known = self.desired.get(key)
        if known is None or known[0] != version:
            spec = dep.get("spec") or {}
            h = template_hash(spec.get("template") or {})
            template = copy.deepcopy(spec.get("template") or {})
            template.setdefault("metadata", {}).setdefault("labels", {})["pod-template-hash"] = h
            selector = copy.deepcopy(spec.get("selector") or {})
            selector.setdefault("matchLabels", {})["pod-template-hash"] = h
            want = {"replicas": _replicas(dep), "selector": selector, "template": template}
            known = (version, h, want)
            self.desired[key] = known
        return known[1], known[2]

    def _delete_owned(self, dep):
        uid = dep["metadata"].get("uid")
        for rs in self.store.peek_all(RS):
            if rs["metadata"].get("namespace", "") != dep["metadata"].get("namespace", ""):
                continue
            if any(r.get("uid") == uid for r in rs["metadata"].get("ownerReferences") or []):
                self.store.commit(RS, "DELETED", rs, rs)


RS = "apps/replicasets"
_HASH_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def template_hash(template):
    """A stable pod-template-hash (kube uses fnv32a + SafeEncodeString; any stable,
    label-safe value is fine here)."""
    digest = hashlib.sha256(json.dumps(template, sort_keys=True).encode()).digest()
    return "".join(_HASH_ALPHABET[b % len(_HASH_ALPHABET)] for b in digest[:10])


def _key(storage, obj):
    return (storage, obj["metadata"].get("namespace", ""), obj["metadata"]["name"])


def _replicas(obj):
    r = (obj.get("spec") or {}).get("replicas")
    return 1 if r is None else int(r)


def _cond(old, ctype, status, reason, message):
    prev = next((c for c in old if c.get("type") == ctype), None)
    t = now_rfc3339()
    if prev and prev.get("status") == status:
        return dict(prev, reason=reason, message=message)
    return {"type": ctype, "status": status, "lastUpdateTime": t, "lastTransitionTime": t,
            "reason": reason, "message": message}


def _status(storage, obj, pods, now):
    want = _replicas(obj)
    ready = sum(1 for t in pods if t <= now)
    old = obj.get("status") or {}
    st = {"observedGeneration": obj["metadata"].get("generation", 1)}
    if want:
        st["replicas"] = want
        st["updatedReplicas"] = want
    if ready:
        st["readyReplicas"] = ready
        st["availableReplicas"] = ready
    name = obj["metadata"]["name"]
    if storage == "apps/deployments":
        if want - ready:
            st["unavailableReplicas"] = want - ready
        oc = old.get("conditions") or []
        max_unavailable = want // 4
        avail = ready >= want - max_unavailable
        st["conditions"] = [
            _cond(oc, "Available", "True" if avail else "False",
                  "MinimumReplicasAvailable" if avail else "MinimumReplicasUnavailable",
                  "Deployment has minimum availability." if avail else
                  "Deployment does not have minimum availability."),
            _cond(oc, "Progressing", "True",
                  "NewReplicaSetAvailable" if ready == want else "ReplicaSetUpdated",
                  f'ReplicaSet "{name}-emulated" has successfully progressed.'
                  if ready == want else f'ReplicaSet "{name}-emulated" is progressing.'),
        ]
    else:
        st["replicas"] = want
        st["currentReplicas"] = want
        st["currentRevision"] = f"{name}-emulated"
        st["updateRevision"] = f"{name}-emulated"
        st["collisionCount"] = 0
        st["availableReplicas"] = ready
        if not want:
            st.pop("updatedReplicas", None)
    return st
