#!/usr/bin/python3
"""Load generator for `foresight demo` and the end-to-end tests.

Replays a request-rate trace (CSV `timestamp,value`, one row per trace step) as a
Prometheus counter `http_requests_total{service="web"}` whose rate follows the
trace, time-compressed: each trace row plays for --seconds-per-point real seconds
(default 1: with the shipped 5-minute trace, 1 real second = 5 trace minutes, so
a trace day passes in 288 s). Between rows the rate is interpolated linearly.

Trace row --start-index plays at the real time --anchor (default: now). Rows before
it are the history: with --backfill-out FILE the generator writes the same counter
for the --history seconds before it started (one sample per --backfill-step
seconds) as OpenMetrics for `promtool tsdb create-blocks-from openmetrics`, with
the `job` and `instance` labels the live scrape will get, so history and live tail
are one series and line up exactly (both come from the same integral).

HTTP (127.0.0.1 only):
  GET  /metrics  the counter (text format), plus the load now as a gauge
  GET  /load     {"time": t, "load": requests/s now, "traceTime": unix s in the trace}
  POST /spike    {"factor": 5, "seconds": 20}: multiply the load for a while (from now)
  POST /stop     {}: exit
Once listening it writes its port to --port-file. Standard library only.
"""
import argparse
import csv
import json
import math
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Trace:
    def __init__(self, path, scale, seconds_per_point, start_index, anchor):
        self.times, self.values = [], []
        with open(path) as f:
            for row in csv.reader(f):
                if not row or row[0].startswith("#") or row[0] == "timestamp":
                    continue
                self.times.append(int(row[0]))
                self.values.append(float(row[1]) * scale)
        if len(self.values) < 2:
            raise SystemExit("loadgen: the trace needs at least 2 rows: %s" % path)
        self.n = len(self.values)
        self.spp = float(seconds_per_point)
        self.start = start_index % self.n
        self.anchor = anchor
        self.trace_step = self.times[1] - self.times[0]
        # cum[i]: integral (requests) of the rate from row 0 to row i, one real
        # second per row scaled by spp, trapezoids; the last segment wraps to row 0.
        self.cum = [0.0]
        for i in range(self.n):
            a, b = self.values[i], self.values[(i + 1) % self.n]
            self.cum.append(self.cum[-1] + 0.5 * (a + b) * self.spp)
        self.lap = self.cum[-1]
        self.spikes = []  # (start, end, factor), real times
        self.lock = threading.Lock()

    def _pos(self, t):
        """Trace position (fractional row, may be negative or beyond n) at real time t."""
        return self.start + (t - self.anchor) / self.spp

    def base_rate(self, t):
        p = self._pos(t)
        i = math.floor(p)
        f = p - i
        a, b = self.values[i % self.n], self.values[(i + 1) % self.n]
        return a + (b - a) * f

    def _base_integral_to(self, t):
        """Integral of the base rate from trace row 0 (lap 0) to real time t."""
        p = self._pos(t)
        laps = math.floor(p / self.n)
        q = p - laps * self.n
        i = min(int(q), self.n - 1)
        f = q - i
        a, b = self.values[i], self.values[(i + 1) % self.n]
        part = (a * f + 0.5 * (b - a) * f * f) * self.spp
        return laps * self.lap + self.cum[i] + part

    def base_integral(self, t0, t1):
        return self._base_integral_to(t1) - self._base_integral_to(t0)

    def rate(self, t):
        r = self.base_rate(t)
        with self.lock:
            for s, e, k in self.spikes:
                if s <= t < e:
                    r *= k
        return r

    def counter(self, t, origin):
        """Requests served from real time `origin` to t (spikes included)."""
        c = self.base_integral(origin, t)
        with self.lock:
            for s, e, k in self.spikes:
                lo, hi = max(s, origin), min(e, t)
                if hi > lo:
                    c += (k - 1.0) * self.base_integral(lo, hi)
        return c

    def trace_time(self, t):
        p = self._pos(t)
        return self.times[0] + p * self.trace_step


def backfill(trace, path, origin, end, step, job, instance):
    labels = 'job="%s",instance="%s",service="web"' % (job, instance)
    with open(path, "w") as f:
        f.write("# HELP http_requests Requests served (replayed trace).\n")
        f.write("# TYPE http_requests counter\n")
        t = origin
        while t <= end:
            f.write("http_requests_total{%s} %.6f %.3f\n" % (labels, trace.counter(t, origin), t))
            t += step
        f.write("# EOF\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--trace", required=True)
    p.add_argument("--scale", type=float, default=100.0, help="multiplier on the trace's values")
    p.add_argument("--seconds-per-point", type=float, default=1.0)
    p.add_argument("--start-index", type=int, default=0)
    p.add_argument("--anchor", type=float, default=None, help="real unix time of --start-index")
    p.add_argument("--listen", default="127.0.0.1:0")
    p.add_argument("--port-file")
    p.add_argument("--backfill-out")
    p.add_argument("--history", type=float, default=900.0, help="seconds of backfilled history")
    p.add_argument("--backfill-step", type=float, default=1.0)
    p.add_argument("--job", default="demo")
    p.add_argument("--timeline", help="append 'unix_time load' once a second")
    a = p.parse_args()

    started = time.time()
    anchor = a.anchor if a.anchor is not None else started
    trace = Trace(a.trace, a.scale, a.seconds_per_point, a.start_index, anchor)
    # The counter counts from the start of the backfilled history.
    origin = math.floor(started - a.history)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, code, body, ctype="application/json"):
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            now = time.time()
            if self.path.startswith("/metrics"):
                body = ("# HELP http_requests_total Requests served (replayed trace).\n"
                        "# TYPE http_requests_total counter\n"
                        'http_requests_total{service="web"} %.6f\n'
                        "# HELP demo_load_requests_per_second The load the generator plays now.\n"
                        "# TYPE demo_load_requests_per_second gauge\n"
                        'demo_load_requests_per_second{service="web"} %.6f\n'
                        % (trace.counter(now, origin), trace.rate(now)))
                self._send(200, body, "text/plain; version=0.0.4")
            elif self.path.startswith("/load"):
                self._send(200, json.dumps({"time": now, "load": trace.rate(now),
                                            "traceTime": trace.trace_time(now)}))
            else:
                self._send(404, '{"error": "not found"}')

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(n) or b"{}")
            except ValueError:
                return self._send(400, '{"error": "bad json"}')
            now = time.time()
            if self.path == "/spike":
                s = (now, now + float(body.get("seconds", 20)), float(body.get("factor", 5)))
                with trace.lock:
                    trace.spikes.append(s)
                self._send(200, json.dumps({"start": s[0], "end": s[1], "factor": s[2]}))
            elif self.path == "/stop":
                self._send(200, "{}")
                threading.Thread(target=server.shutdown, daemon=True).start()
            else:
                self._send(404, '{"error": "not found"}')

    host, port = a.listen.rsplit(":", 1)
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit("loadgen: listen on 127.0.0.1 only")
    server = ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if a.backfill_out:
        tmp = a.backfill_out + ".tmp"
        backfill(trace, tmp, origin, math.floor(started) - 1, a.backfill_step, a.job,
                 "127.0.0.1:%d" % port)
        os.replace(tmp, a.backfill_out)
    if a.port_file:
        info = {"anchor": anchor, "startIndex": trace.start, "secondsPerPoint": trace.spp,
                "traceStart": trace.times[0], "traceStep": trace.trace_step, "scale": a.scale,
                "rows": trace.n}
        with open(os.path.join(os.path.dirname(os.path.abspath(a.port_file)), "loadgen.json"), "w") as f:
            json.dump(info, f)
        with open(a.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.replace(a.port_file + ".tmp", a.port_file)

    def timeline():
        with open(a.timeline, "a") as f:
            while True:
                now = time.time()
                f.write("%.3f %.4f\n" % (now, trace.rate(now)))
                f.flush()
                time.sleep(1.0 - (time.time() % 1.0))

    if a.timeline:
        threading.Thread(target=timeline, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
