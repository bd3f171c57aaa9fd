"""In-memory object store: resourceVersion counter, bounded event history, watchers.

Thread-safety: every public method takes `lock` (an RLock). Handlers that do a
read-modify-write hold `lock` across the read and the commit, so a stale
resourceVersion is always detected. Stored objects are never mutated in place;
readers get deep copies, except the read-only peek()/peek_all() of internal loops
(the rollout model) that would otherwise copy the whole store on every tick.

History: every commit is recorded as (rv, storage, type, object, previous object).
A watch or exact list at resourceVersion N is possible while N >= floor, where
floor is the newest RV whose successors are all still retained. compact()
moves floor to the current RV (the fault hook that forces 410 Expired).
"""
import collections
import copy
import json
import os
import queue
import tempfile
import threading


class HistoryEvent:
    __slots__ = ("rv", "storage", "type", "obj", "prev")

    def __init__(self, rv, storage, etype, obj, prev):
        self.rv, self.storage, self.type, self.obj, self.prev = rv, storage, etype, obj, prev


class Watcher:
    """One watch stream. The store pushes (type, object) pairs into `events`;
    the HTTP handler drains it. close() pushes a sentinel."""

    CLOSED = object()

    def __init__(self, storage, namespace, predicate):
        self.storage = storage
        self.namespace = namespace
        self.predicate = predicate
        self.events = queue.Queue()
        self.drop_mode = None

    def matches(self, obj):
        if obj is None:
            return False
        if self.namespace is not None and obj["metadata"].get("namespace") != self.namespace:
            return False
        return self.predicate(obj)

    def offer(self, ev):
        was = self.matches(ev.prev) if ev.type != "ADDED" else False
        now = self.matches(ev.obj) if ev.type != "DELETED" else False
        if ev.type == "DELETED":
            if self.matches(ev.obj) or was:
                self.events.put(("DELETED", ev.obj))
        elif was and now:
            self.events.put(("MODIFIED", ev.obj))
        elif now:
            self.events.put(("ADDED", ev.obj))
        elif was:
            # The object stopped matching the selector: kube-apiserver's cache
            # sends DELETED to this watcher.
            self.events.put(("DELETED", ev.obj))

    def close(self, mode="eof"):
        self.drop_mode = mode
        self.events.put((None, Watcher.CLOSED))


class Store:
    def __init__(self, max_history=10000):
        self.lock = threading.RLock()
        self.rv = 0
        self.floor = 0
        self.objects = collections.defaultdict(dict)  # storage -> {(ns, name): obj}
        self.history = collections.deque()
        self.max_history = max_history
        self.watchers = set()
        self.listeners = []  # fn(HistoryEvent) called under lock after each commit

    # ---- reads -------------------------------------------------------------
    def get(self, storage, ns, name):
        with self.lock:
            o = self.objects[storage].get((ns or "", name))
            return copy.deepcopy(o)

    def peek(self, storage, ns, name):
        """The stored object itself, not a copy: the caller must hold `lock` while
        it uses it and must never mutate it (commit() stores a fresh copy, so an
        object once stored never changes). For hot internal loops, where a deep
        copy per object read costs more than the work itself."""
        return self.objects[storage].get((ns or "", name))

    def peek_all(self, storage):
        """The stored objects themselves, sorted by namespace/name, under the same
        rules as peek()."""
        return [o for _, o in sorted(self.objects[storage].items())]

    def list(self, storage, ns=None):
        """Returns (items sorted by namespace/name, current rv)."""
        with self.lock:
            items = [copy.deepcopy(o) for (n, _), o in sorted(self.objects[storage].items())
                     if ns is None or n == ns]
            return items, self.rv

    def list_at(self, storage, ns, rv):
        """Items as they were at resourceVersion rv; None if rv is older than floor."""
        with self.lock:
            if rv < self.floor:
                return None
            state = dict(self.objects[storage])
            for ev in reversed(self.history):
                if ev.rv <= rv:
                    break
                if ev.storage != storage:
                    continue
                key = (ev.obj["metadata"].get("namespace", ""), ev.obj["metadata"]["name"])
                if ev.prev is None:
                    state.pop(key, None)
                else:
                    state[key] = ev.prev
            return [copy.deepcopy(o) for (n, _), o in sorted(state.items())
                    if ns is None or n == ns]

    def storages(self):
        with self.lock:
            return list(self.objects)

    # ---- writes ------------------------------------------------------------
    def commit(self, storage, etype, obj, prev):
        """Stores obj (or removes it for DELETED) with a new resourceVersion.
        Returns a deep copy of the stored object. Caller holds no invariants
        other than having checked preconditions under `lock`."""
        with self.lock:
            self.rv += 1
            obj = copy.deepcopy(obj)
            obj["metadata"]["resourceVersion"] = str(self.rv)
            key = (obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
            if etype == "DELETED":
                self.objects[storage].pop(key, None)
            else:
                self.objects[storage][key] = obj
            ev = HistoryEvent(self.rv, storage, etype, obj, prev)
            self.history.append(ev)
            while len(self.history) > self.max_history:
                self.floor = self.history.popleft().rv
            for w in list(self.watchers):
                if w.storage == storage:
                    w.offer(ev)
            for fn in self.listeners:
                fn(ev)
            return copy.deepcopy(obj)

    # ---- watch -------------------------------------------------------------
    def watch(self, storage, ns, predicate, since_rv):
        """Registers a watcher. since_rv None: synthetic ADDED for current objects.
        Returns the watcher, or None if since_rv is older than the retained history."""
        with self.lock:
            w = Watcher(storage, ns, predicate)
            if since_rv is None:
                for (_, _), o in sorted(self.objects[storage].items()):
                    if w.matches(o):
                        w.events.put(("ADDED", o))
            else:
                if since_rv < self.floor:
                    return None
                for ev in self.history:
                    if ev.rv > since_rv and ev.storage == storage:
                        w.offer(ev)
            self.watchers.add(w)
            return w

    def unwatch(self, w):
        with self.lock:
            self.watchers.discard(w)

    def drop_watches(self, mode="eof", storage=None):
        with self.lock:
            ws = [w for w in self.watchers if storage is None or w.storage == storage]
            self.watchers.difference_update(ws)
        for w in ws:
            w.close(mode)
        return len(ws)

    def compact(self):
        with self.lock:
            self.history.clear()
            self.floor = self.rv
            return self.rv

    def wipe(self):
        """Forgets every object (restart with state lost). RV keeps increasing so
        clients holding old RVs get 410, as after an etcd restore."""
        with self.lock:
            self.objects.clear()
            self.compact()

    # ---- snapshot ----------------------------------------------------------
    def snapshot(self, path, extra=None):
        with self.lock:
            data = {"resourceVersion": self.rv,
                    "objects": [{"storage": s, "object": o}
                                for s, objs in sorted(self.objects.items())
                                for _, o in sorted(objs.items())],
                    "extra": extra or {}}
        d = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".snapshot-")
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(tmp, path)

    def load(self, path):
        with open(path) as f:
            data = json.load(f)
        with self.lock:
            self.objects.clear()
            self.history.clear()
            for e in data["objects"]:
                o = e["object"]
                self.objects[e["storage"]][(o["metadata"].get("namespace", ""),
                                            o["metadata"]["name"])] = o
            self.rv = int(data["resourceVersion"])
            self.floor = self.rv
        return data.get("extra", {})
