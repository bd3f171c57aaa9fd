#!/usr/bin/python3
"""Measures one operator run of bench/operator/run (called by measure.sh).

  sample.py --pid PID --decision-log LOG --autoscalers N --seconds S
            --prometheus-url URL --apiserver-log FILE

Samples the operator process (/proc/PID: CPU time, resident memory) once a second for S
seconds, then splits the run in two phases by its decision log:
  start-up  from the operator's start until every one of the N autoscalers has decided once
            (each first decision fetched the autoscaler's whole history from Prometheus
            and chose and fitted a model on it);
  steady    from 30 s after that to the end: decisions only (no refit comes within an
            hour of the first fit at the default refitInterval).
It prints `key value` lines: the phases' CPU seconds and wall seconds, the decisions in the
steady phase, resident memory at the end and at its peak, and the requests the operator
made of Prometheus (from Prometheus' own counters) and of the API server (its request log)
in the steady phase. Standard library only; run with /usr/bin/python3.
"""
import argparse
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                                'scripts', 'demo.d'))
from decisions import parse_ts, read_decisions  # noqa: E402

TICKS = os.sysconf('SC_CLK_TCK')
STEADY_AFTER_READY = 30.0  # seconds: let the queue drain the start-up's last reconciles


def cpu_seconds(pid):
    with open('/proc/%d/stat' % pid) as f:
        # The command name may hold spaces: the fields after it start past the last ')'.
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def started_at(pid):
    """The unix time the process started (its CPU time was 0 then)."""
    with open('/proc/%d/stat' % pid) as f:
        ticks_after_boot = int(f.read().rsplit(')', 1)[1].split()[19])
    with open('/proc/stat') as f:
        boot = next(int(line.split()[1]) for line in f if line.startswith('btime '))
    return boot + ticks_after_boot / TICKS


def memory_kib(pid):
    found = {}
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            key, _, value = line.partition(':')
            if key in ('VmRSS', 'VmHWM'):
                found[key] = int(value.split()[0])
    return found['VmRSS'], found['VmHWM']


def prometheus_queries(url):
    """Queries Prometheus has answered so far (instant and range), from its own counters."""
    with urllib.request.urlopen(url + '/metrics', timeout=5) as r:
        text = r.read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith('prometheus_http_requests_total{') and (
                'handler="/api/v1/query"' in line or 'handler="/api/v1/query_range"' in line):
            total += float(line.rsplit(' ', 1)[1])
    return total


def value_at(samples, t):
    """The sampled value at time t, interpolated linearly ((time, value) pairs, sorted)."""
    for (t0, v0), (t1, v1) in zip(samples, samples[1:]):
        if t0 <= t <= t1:
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0) if t1 > t0 else v1
    return samples[0][1] if t < samples[0][0] else samples[-1][1]


def api_requests(path, start, end):
    """Requests in the API server's log between two times, by method."""
    methods = {}
    with open(path, errors='replace') as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4 or not parts[0].endswith('Z'):
                continue
            try:
                t = parse_ts(parts[0])
            except ValueError:
                continue
            if start <= t < end:
                methods[parts[3]] = methods.get(parts[3], 0) + 1
    return methods


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--pid', type=int, required=True)
    p.add_argument('--decision-log', required=True)
    p.add_argument('--autoscalers', type=int, required=True)
    p.add_argument('--seconds', type=float, required=True)
    p.add_argument('--prometheus-url', required=True)
    p.add_argument('--apiserver-log', required=True)
    a = p.parse_args()

    start = time.time()
    launched = started_at(a.pid)
    cpu, queries = [(launched, 0.0)], []
    rss = hwm = 0
    while time.time() - start < a.seconds:
        now = time.time()
        try:
            cpu.append((now, cpu_seconds(a.pid)))
            rss, hwm = memory_kib(a.pid)
        except FileNotFoundError:
            sys.exit('sample.py: the operator (pid %d) exited during the run' % a.pid)
        queries.append((now, prometheus_queries(a.prometheus_url)))
        time.sleep(max(0.0, 1.0 - (time.time() - now)))
    end = cpu[-1][0]

    decisions = [d for d in read_decisions(a.decision_log) if d.get('t') is not None]
    first = {}
    for d in decisions:
        first.setdefault(d.get('autoscaler'), d['t'])
    if len(first) < a.autoscalers:
        sys.exit('sample.py: only %d of %d autoscalers decided within %.0f s' %
                 (len(first), a.autoscalers, a.seconds))
    ready = max(first.values())
    steady_start = ready + STEADY_AFTER_READY
    if steady_start > end - 60:
        sys.exit('sample.py: the start-up took %.0f s of %.0f: run longer (--minutes)' %
                 (ready - launched, a.seconds))
    steady = [d for d in decisions if steady_start <= d['t'] < end]
    requests = api_requests(a.apiserver_log, steady_start, end)

    print('autoscalers %d' % a.autoscalers)
    print('startup_seconds %.1f' % (ready - launched))
    print('startup_cpu_seconds %.2f' % value_at(cpu, ready))
    print('steady_seconds %.1f' % (end - steady_start))
    print('steady_cpu_seconds %.3f' % (cpu[-1][1] - value_at(cpu, steady_start)))
    print('steady_decisions %d' % len(steady))
    print('rss_end_kib %d' % rss)
    print('rss_peak_kib %d' % hwm)
    print('steady_prometheus_queries %.0f' %
          (queries[-1][1] - value_at(queries, steady_start)))
    print('steady_api_requests %d' % sum(requests.values()))
    print('steady_api_requests_by_method %s' %
          (','.join('%s=%d' % kv for kv in sorted(requests.items())) or '-'))


if __name__ == '__main__':
    main()
