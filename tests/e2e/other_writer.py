#!/usr/bin/python3
"""Writers other than the operator, acting on its target during an end-to-end test.

  other_writer.py --kubeconfig FILE follow-status PATH
      stands in for a custom resource's own controller: keeps status.replicas equal to
      spec.replicas (and status.selector set) on the object at PATH, as a workload
      controller reports the pods it runs.
  other_writer.py --kubeconfig FILE relabel PATH [--interval S]
      changes a label of the object at PATH every S seconds (its resourceVersion moves,
      its spec and generation do not), as any other client writing the object would.

Both run until killed. Standard library plus tests/apiserver's client; /usr/bin/python3.
"""
import argparse
import itertools
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "apiserver"))
from kubeemu.client import Client  # noqa: E402

POLL_SECONDS = 0.25


def follow_status(c, path):
    code, obj, _ = c.get(path)
    if code == 200:
        want = (obj.get("spec") or {}).get("replicas")
        status = obj.get("status") or {}
        if want is not None and status.get("replicas") != want:
            selector = "app=" + obj["metadata"]["name"]
            c.patch(path + "/status", {"status": {"replicas": want, "selector": selector}})
    return POLL_SECONDS


def relabel(c, path, interval, n):
    c.patch(path, {"metadata": {"labels": {"foresight.test/touched": str(n)}}})
    return interval


def run(step):
    """Repeats step() (which returns the pause before the next) until killed; a failed
    connection (the API server restarting) is retried like any controller would."""
    while True:
        try:
            pause = step()
        except OSError as e:
            print("other_writer: %s" % e, file=sys.stderr)
            pause = POLL_SECONDS
        time.sleep(pause)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--kubeconfig", required=True)
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("follow-status")
    f.add_argument("path")
    r = sub.add_parser("relabel")
    r.add_argument("path")
    r.add_argument("--interval", type=float, default=0.2)
    a = p.parse_args()
    c = Client.from_kubeconfig(a.kubeconfig)
    if a.cmd == "follow-status":
        run(lambda: follow_status(c, a.path))
    else:
        count = itertools.count(1)
        run(lambda: relabel(c, a.path, a.interval, next(count)))


if __name__ == "__main__":
    sys.exit(main())
