#!/usr/bin/python3
"""Reads the operator's decision log (one JSON object per line on its stdout,
{"msg": "decision", ...}) for `foresight demo` and the end-to-end tests.

  decisions.py follow LOG [--duration S] [--loadgen-info FILE] [--pid PID]
      prints one readable line per decision as it is written, then a summary
      when the duration is over, the operator (PID) exits, or on Ctrl-C.
  decisions.py summary LOG [--loadgen-info FILE]
      prints the summary of a finished log.

`read_decisions(path)` is the parser the tests import.
Standard library only; run with /usr/bin/python3.
"""
import argparse
import datetime
import json
import os
import signal
import sys
import time


def parse_ts(text):
    """RFC 3339 with optional fraction ("2026-01-02T03:04:05.123456Z") -> unix seconds."""
    text = text.rstrip("Z")
    frac = 0.0
    if "." in text:
        text, f = text.split(".", 1)
        frac = float("0." + f)
    dt = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp() + frac


def parse_line(line):
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if obj.get("msg") != "decision":
        return None
    if "ts" in obj:
        try:
            obj["t"] = parse_ts(obj["ts"])
        except ValueError:
            obj["t"] = None
    return obj


def read_decisions(path):
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            d = parse_line(line)
            if d is not None:
                out.append(d)
    return out


class TraceClock:
    """Maps real time to the replayed trace's time (loadgen.json)."""

    def __init__(self, path):
        self.info = None
        if path and os.path.exists(path):
            with open(path) as f:
                self.info = json.load(f)

    def label(self, t):
        if not self.info or t is None:
            return ""
        i = self.info
        pos = i["startIndex"] + (t - i["anchor"]) / i["secondsPerPoint"]
        pos %= i["rows"]
        tt = i["traceStart"] + pos * i["traceStep"]
        return datetime.datetime.fromtimestamp(tt, datetime.timezone.utc).strftime("%a %H:%M")

    def compressed(self, seconds):
        """A real duration in trace time, e.g. 9 s -> '45m'."""
        if not self.info:
            return "%ds" % seconds
        m = seconds / self.info["secondsPerPoint"] * self.info["traceStep"] / 60.0
        return "%dh%02dm" % (m // 60, m % 60) if m >= 60 else "%dm" % round(m)


HEADER = "%-8s  %-9s  %10s  %-22s  %-9s  %s" % (
    "time", "trace", "load now", "forecast at lead time", "replicas", "reason")


def fmt(d, clock):
    t = d.get("t")
    when = time.strftime("%H:%M:%S", time.localtime(t)) if t else "?"
    load = d.get("observedLoad")
    load_s = "%8.1f/s" % load if isinstance(load, (int, float)) else "  no data "
    fc = d.get("forecast") or {}
    if "quantile" in fc:
        lead = fc.get("leadSeconds", 0)
        fc_s = "%7.1f/s q  (+%s)" % (fc["quantile"], clock.compressed(lead))
    else:
        fc_s = "none: " + str(fc.get("none", ""))[:16]
    cur, new = d.get("currentReplicas"), d.get("replicas")
    rep = "%3s → %-3s" % (cur, new) if cur != new else "%3s      " % cur
    reason = d.get("reason", "")
    if d.get("metricError"):
        reason += " (metric: %s)" % str(d["metricError"])[:50]
    return "%-8s  %-9s  %10s  %-22s  %-9s  %s" % (when, clock.label(t), load_s, fc_s, rep, reason)


def summary(decisions, clock):
    lines = ["", "== summary =="]
    if not decisions:
        lines.append("no decisions were logged (see the operator's log above)")
        return "\n".join(lines)
    reasons = {}
    for d in decisions:
        reasons[d.get("reason", "?")] = reasons.get(d.get("reason", "?"), 0) + 1
    scaled = [d for d in decisions if d.get("currentReplicas") != d.get("replicas")]
    ups = [d for d in scaled if d["replicas"] > d["currentReplicas"]]
    downs = [d for d in scaled if d["replicas"] < d["currentReplicas"]]
    ahead = [d for d in ups if d.get("reason") == "ScaleUpPredicted"]
    reps = [d.get("replicas") for d in decisions if isinstance(d.get("replicas"), int)]
    first, last = decisions[0].get("t"), decisions[-1].get("t")
    span = "%s → %s" % (clock.label(first), clock.label(last)) if clock.info else ""
    lines.append("decisions: %d over %.0f s %s" % (len(decisions), (last or 0) - (first or 0),
                                                    ("(trace " + span + ")") if span else ""))
    lines.append("scale-ups: %d (%d ahead of the load: ScaleUpPredicted), scale-downs: %d"
                 % (len(ups), len(ahead), len(downs)))
    if reps:
        lines.append("replicas: %d at the start, %d to %d, %d at the end"
                     % (decisions[0].get("currentReplicas", reps[0]), min(reps), max(reps), reps[-1]))
    lines.append("reasons: " + ", ".join("%s %d" % kv for kv in sorted(reasons.items(), key=lambda kv: -kv[1])))
    return "\n".join(lines)


def follow(path, duration, clock, pid):
    deadline = time.time() + duration if duration else None
    decisions = []
    stopped = {"flag": False}

    def stop(*_):
        stopped["flag"] = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(HEADER, flush=True)
    pos, buf = 0, ""
    while not stopped["flag"]:
        if os.path.exists(path):
            with open(path, errors="replace") as f:
                f.seek(pos)
                chunk = f.read()
                pos = f.tell()
            buf += chunk
            *complete, buf = buf.split("\n")
            for line in complete:
                d = parse_line(line)
                if d is not None:
                    decisions.append(d)
                    print(fmt(d, clock), flush=True)
        if deadline and time.time() >= deadline:
            break
        if pid and not pid_alive(pid):
            print("the operator exited", flush=True)
            break
        time.sleep(0.2)
    print(summary(decisions, clock), flush=True)
    return decisions


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["follow", "summary"])
    p.add_argument("log")
    p.add_argument("--duration", type=float, default=0)
    p.add_argument("--loadgen-info")
    p.add_argument("--pid", type=int, default=0)
    a = p.parse_args()
    clock = TraceClock(a.loadgen_info)
    if a.command == "follow":
        follow(a.log, a.duration, clock, a.pid)
    else:
        print(summary(read_decisions(a.log), clock))
    return 0


if __name__ == "__main__":
    sys.exit(main())
