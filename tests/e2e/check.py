#!/usr/bin/python3
"""Assertions of the end-to-end tests over the operator's decision log
(scripts/demo.d/decisions.py parses it), the load generator's timeline
(`unix_time load` per second) and loadgen.json. Each subcommand prints what it
measured and exits 1 with `FAIL: ...` when the property does not hold."""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "scripts", "demo.d"))
from decisions import read_decisions  # noqa: E402


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def load_timeline(path):
    out = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                out.append((float(parts[0]), float(parts[1])))
    return out


def scaled(d):
    return d.get("currentReplicas") != d.get("replicas")


def brief(d):
    return "%.1f %s load=%s replicas %s->%s %s" % (
        d.get("t") or 0, d.get("autoscaler"), d.get("observedLoad"), d.get("currentReplicas"),
        d.get("replicas"), d.get("reason"))


def decisions_of(path, autoscaler):
    ds = read_decisions(path)
    if autoscaler:
        ds = [d for d in ds if d.get("autoscaler") == autoscaler]
    return ds


def cmd_count(a):
    ds = decisions_of(a.log, a.autoscaler)
    if a.scaled:
        ds = [d for d in ds if d.get("scaled")]
    print(len(ds))


def cmd_ahead(a):
    """The operator raises replicas before the morning ramp's load exceeds the capacity."""
    info = json.load(open(a.loadgen_info))
    ds = decisions_of(a.log, "default/web")
    tl = load_timeline(a.timeline)
    t_ramp = info["anchor"] + (a.ramp_row - info["startIndex"]) * info["secondsPerPoint"]
    before = [d for d in ds if d["t"] <= t_ramp - a.settle]
    if not before:
        fail("no decision before the ramp (ramp at %.1f, first decision %s): the operator came up "
             "too late for the test's timeline" % (t_ramp, brief(ds[0]) if ds else "none"))
    night = before[-1]
    r0 = night["replicas"]
    cap = r0 * a.target
    exceed = [t for t, v in tl if t >= night["t"] and v > cap]
    if not exceed:
        fail("the load never exceeded the night capacity %d x %g" % (r0, a.target))
    t_exceed = exceed[0]
    ups = [d for d in ds if d["t"] > night["t"] and d["replicas"] > r0]
    print("night: %s; ramp starts %.1f; load exceeds %d x %g = %g at %.1f"
          % (brief(night), t_ramp, r0, a.target, cap, t_exceed))
    if not ups:
        fail("no scale-up above %d replicas during the ramp" % r0)
    first = ups[0]
    print("first scale-up: %s, %.1f s before the load exceeded the capacity"
          % (brief(first), t_exceed - first["t"]))
    for d in ds:
        if night["t"] <= d["t"] <= t_exceed + 15:
            print("  " + brief(d))
    if first["reason"] != "ScaleUpPredicted":
        fail("the first scale-up of the ramp was %s, not ScaleUpPredicted" % first["reason"])
    if first["t"] >= t_exceed:
        fail("the first scale-up (%.1f) came %.1f s after the load exceeded the capacity (%.1f)"
             % (first["t"], first["t"] - t_exceed, t_exceed))
    # Under-provisioned seconds over the ramp: replicas set at t serve from t + startup delay.
    sets = [(d["t"], d["replicas"]) for d in ds]
    under = total = 0
    for t, v in tl:
        if t_ramp <= t <= t_ramp + a.ramp_seconds:
            ready = [r for ts, r in sets if ts + a.startup <= t]
            if ready:
                total += 1
                under += v > ready[-1] * a.target
    print("ramp: load above the ready capacity in %d of %d seconds" % (under, total))
    top = max(d["replicas"] for d in ds)
    # Within the dead band (tolerance) of the peak load, as the HPA's rule allows.
    need = math.ceil(max(v for _, v in tl) / (a.target * (1 + a.tolerance)))
    if top < need:
        fail("replicas peaked at %d, below the %d the peak load needs (within tolerance)"
             % (top, need))
    print("peak replicas %d (the peak load needs %d within tolerance)" % (top, need))


def cmd_reactive(a):
    """After a spike starts at --since, the live load drives a scale-up and replicas reach
    --min-replicas within --within seconds."""
    ds = [d for d in decisions_of(a.log, "default/web") if d["t"] >= a.since]
    for d in ds[:20]:
        print("  " + brief(d))
    ups = [d for d in ds if scaled(d) and d["replicas"] > d["currentReplicas"]]
    if not ups:
        fail("no scale-up after the spike started")
    # Driven by the reactive path: its proposal is above the forecast's. The reason may be a
    # limit that bounded it (RateLimited), and once the forecast's level correction has seen
    # the spike the predictive proposal may lead the later steps (ScaleUpPredicted), so the
    # reason's name is not what proves it: the proposals are.
    def proposal(d, stage):
        return max([p.get("replicas", 0) for p in d.get("proposals", []) if p.get("stage") == stage]
                   or [0])
    first = ups[0]
    if proposal(first, "reactive") <= proposal(first, "predictive"):
        fail("the first scale-up after the spike (%s) was not driven by the live load: reactive "
             "proposal %d, predictive %d" % (brief(first), proposal(first, "reactive"),
                                             proposal(first, "predictive")))
    if first["t"] > a.since + a.within:
        fail("the first scale-up came %.1f s after the spike (limit %g s)" % (first["t"] - a.since, a.within))
    reached = [d for d in ds if d["replicas"] >= a.min_replicas]
    if not reached or reached[0]["t"] > a.since + a.within:
        fail("replicas did not reach %d within %g s of the spike (max %d)"
             % (a.min_replicas, a.within, max(d["replicas"] for d in ds)))
    print("spike followed: %d replicas %.1f s after it began, first scale-up %.1f s after"
          % (reached[0]["replicas"], reached[0]["t"] - a.since, ups[0]["t"] - a.since))


def cmd_outage(a):
    """No scale-down while the metric is unavailable; decisions resume with a load after."""
    ds = decisions_of(a.log, "default/web")
    during = [d for d in ds if a.start <= d["t"] <= a.end]
    for d in during:
        print("  outage: " + brief(d) + " metricError=%s" % str(d.get("metricError", ""))[:60])
    if not during:
        fail("no decision was logged during the outage")
    down = [d for d in during if d["replicas"] < d["currentReplicas"]]
    if down:
        fail("scaled down without a metric: %s" % brief(down[0]))
    blind = [d for d in during if d.get("observedLoad") is None]
    if not blind:
        fail("every decision during the outage had a load: Prometheus was not really gone")
    after = [d for d in ds if d["t"] > a.end and d.get("observedLoad") is not None]
    if not after:
        fail("no decision with a live load after Prometheus came back")
    print("recovered: %s (%.1f s after the restart)" % (brief(after[0]), after[0]["t"] - a.end))
    if a.expect_scale_down:
        downs = [d for d in after if d["replicas"] < d["currentReplicas"]]
        if not downs:
            fail("no scale-down after the metric came back although the load fell")
        print("scale-down after recovery: %s" % brief(downs[0]))


def cmd_scales(a):
    """Every scale the logs report is one change of the target's spec (generation)."""
    ds = []
    for log in a.logs:
        ds += decisions_of(log, a.autoscaler)
    ds.sort(key=lambda d: d["t"])
    n = sum(1 for d in ds if d.get("scaled"))
    print("scaled decisions: %d, generation delta: %d" % (n, a.generation_delta))
    if n != a.generation_delta:
        fail("%d scaled decisions but the target's spec changed %d times (lost or duplicated "
             "scale)" % (n, a.generation_delta))
    if n and a.final_replicas is not None:
        last = [d for d in ds if d.get("scaled")][-1]
        if last["replicas"] != a.final_replicas:
            fail("the last scale set %d replicas but the target has %d"
                 % (last["replicas"], a.final_replicas))
    if a.target:
        other = [d for d in ds if d.get("target") != a.target]
        if other:
            fail("a decision of %s was about %r, not %r" % (a.autoscaler, other[0].get("target"),
                                                            a.target))


def cmd_leader(a):
    """Only one operator decides at a time; the survivor takes over after the kill."""
    old = decisions_of(a.killed_log, None)
    new = decisions_of(a.survivor_log, None)
    if not old:
        fail("the killed operator made no decision: it was not the leader")
    late = [d for d in old if d["t"] > a.kill_time + 0.5]
    if late:
        fail("the killed operator decided after it was killed: %s" % brief(late[0]))
    early = [d for d in new if d["t"] < a.kill_time]
    if early:
        fail("both operators decided before the kill (two leaders): %s" % brief(early[0]))
    if not new:
        fail("the surviving operator made no decision after the leader was killed")
    takeover = new[0]["t"] - a.kill_time
    print("leader's last decision %.1f s before the kill; survivor's first %.1f s after "
          "(lease %g s)" % (a.kill_time - old[-1]["t"], takeover, a.lease))
    if takeover > a.lease + a.slack:
        fail("takeover took %.1f s, more than the lease duration %g s + %g s" %
             (takeover, a.lease, a.slack))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("count")
    c.add_argument("log")
    c.add_argument("--autoscaler")
    c.add_argument("--scaled", action="store_true", help="only decisions that scaled")
    c = sub.add_parser("ahead")
    c.add_argument("log")
    c.add_argument("timeline")
    c.add_argument("loadgen_info")
    c.add_argument("--ramp-row", type=int, required=True)
    c.add_argument("--ramp-seconds", type=float, default=24)
    c.add_argument("--target", type=float, default=10)
    c.add_argument("--startup", type=float, default=6)
    c.add_argument("--tolerance", type=float, default=0.0)  # the CRD default
    c.add_argument("--settle", type=float, default=12)
    c = sub.add_parser("reactive")
    c.add_argument("log")
    c.add_argument("--since", type=float, required=True)
    c.add_argument("--min-replicas", type=int, required=True)
    c.add_argument("--within", type=float, default=20)
    c = sub.add_parser("outage")
    c.add_argument("log")
    c.add_argument("--start", type=float, required=True)
    c.add_argument("--end", type=float, required=True)
    c.add_argument("--expect-scale-down", action="store_true")
    c = sub.add_parser("scales")
    c.add_argument("logs", nargs="+")
    c.add_argument("--generation-delta", type=int, required=True)
    c.add_argument("--final-replicas", type=int)
    c.add_argument("--autoscaler", default="default/web")
    c.add_argument("--target", help='every decision names this target, e.g. "WorkerPool jobs"')
    c = sub.add_parser("leader")
    c.add_argument("killed_log")
    c.add_argument("survivor_log")
    c.add_argument("--kill-time", type=float, required=True)
    c.add_argument("--lease", type=float, required=True)
    c.add_argument("--slack", type=float, default=6)
    a = p.parse_args()
    globals()["cmd_" + a.cmd](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
