#!/usr/bin/python3
"""Checks that the C++ replay simulator (policies/simulator.h, via replay_cli) and the C++ HPA
baseline (policies/hpa_replay.h) reproduce the reference scorer score.py exactly.

On slices of the three shared traces around their flash crowds it
  1. generates oracle and HPA decisions with score.py and with replay_cli and requires the two
     decision files to be byte-identical;
  2. scores those decisions plus adversarial ones (fractional times, several rows in one second,
     half-integer counts, counts outside [1, 1000], rows before the trace start and after its
     end) with `score.py score --json` and `replay_cli score`, and requires every metric to be
     equal: integers exactly and floats bit for bit (17 significant digits round-trip).
Exit status 0 when everything matches. Needs Debian's /usr/bin/python3 with python3-numpy.
"""
import argparse
import filecmp
import json
import os
import random
import subprocess
import sys

# (trace file, capacity (score.py pick_capacity), rows in the slice, start-up delays to test)
SLICES = [
    ('worldcup98_may1998_1min.csv', '3.5', 1440, ['60', '90.5']),
    ('nasa_http_jul1995_1min.csv', '0.17', 1440, ['60']),
    ('twitter_mentions_amzn_2015_5min.csv', '0.039', 576, ['60', '200']),
]
KEYS = ['horizon_hours', 'minutes', 'under_provisioned_minutes', 'unserved_fraction',
        'replica_hours', 'ready_replica_hours', 'peak_requested', 'mean_utilisation', 'actions',
        'max_step', 'oracle_replica_hours', 'overprov_ratio']


def write_slice(src, dst, nrows):
    """The nrows samples centred on the trace's largest sample (all of them if nrows is 0)."""
    with open(src) as f:
        header = f.readline()
        rows = [line for line in f if line.strip()]
    nrows = nrows or len(rows)
    peak = max(range(len(rows)), key=lambda i: float(rows[i].split(',')[1]))
    lo = max(0, min(peak - nrows // 2, len(rows) - nrows))
    with open(dst, 'w') as f:
        f.write(header)
        f.writelines(rows[lo:lo + nrows])
    t0 = float(rows[lo].split(',')[0])
    step = float(rows[lo + 1].split(',')[0]) - t0
    return t0, step


def adversarial(path, t0, horizon, seed):
    """Decisions that exercise every rule of score.py's simulate()."""
    rnd = random.Random(seed)
    rows = [(t0 - 100, 3), (t0 - 10, 5.5)]          # the last row <= t0 is in force at t0
    t = t0
    while t < t0 + horizon:
        t += rnd.choice([0.25, 0.5, 1, 7.5, 15, 33.3, 60, 61, 240])
        r = rnd.choice([rnd.randint(1, 40), rnd.randint(1, 40) + 0.5, rnd.randint(-3, 0),
                        rnd.randint(990, 1200), rnd.randint(1, 400)])
        rows.append((t, r))
        if rnd.random() < 0.1:                       # a second row in the same second
            rows.append((t + 0.1, rnd.randint(1, 60)))
    rows.append((max(t, t0 + horizon) + 5, 7))       # after the end: ignored
    with open(path, 'w') as f:
        f.write('timestamp,replicas\n')
        for a, b in rows:
            f.write('%r,%r\n' % (a, b))


def late_start(path, t0):
    """All rows after t0: the first one is assumed in force from t0."""
    with open(path, 'w') as f:
        f.write('timestamp,replicas\n%r,4\n%r,9\n%r,2\n' % (t0 + 30, t0 + 3600.5, t0 + 7200))


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit('command failed (%d): %s\n%s' % (r.returncode, ' '.join(cmd), r.stderr))
    return r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', required=True)
    ap.add_argument('--score-py', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--full', action='store_true', help='whole traces instead of slices (slow)')
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    traces = os.path.dirname(a.score_py)
    py = [sys.executable, a.score_py]
    failures = 0
    compared = 0
    for name, cap, nrows, delays in SLICES:
        tr = os.path.join(a.work, name.replace('.csv', '.slice.csv'))
        t0, step = write_slice(os.path.join(traces, name), tr, 0 if a.full else nrows)
        horizon = (sum(1 for _ in open(tr)) - 1) * step
        for delay in delays:
            tag = '%s D=%s' % (name.split('_')[0], delay)
            common = ['--trace', tr, '--capacity', cap, '--delay', delay]
            files = {}
            for policy in ('oracle', 'hpa'):
                ref = os.path.join(a.work, '%s.%s.D%s.py.csv' % (name, policy, delay))
                mine = os.path.join(a.work, '%s.%s.D%s.cpp.csv' % (name, policy, delay))
                run(py + [policy] + common + ['--out', ref])
                run([a.cli, policy] + common + ['--out', mine])
                same = filecmp.cmp(ref, mine, shallow=False)
                n = sum(1 for _ in open(ref)) - 1
                print('%-28s %-6s decisions: %s (%d rows)' % (
                    tag, policy, 'identical' if same else 'DIFFER', n))
                failures += not same
                files[policy] = ref
            files['adversarial'] = os.path.join(a.work, '%s.adv.csv' % name)
            adversarial(files['adversarial'], t0, horizon, seed=nrows)
            files['late-start'] = os.path.join(a.work, '%s.late.csv' % name)
            late_start(files['late-start'], t0)
            for label, dec in files.items():
                ref = json.loads(run(py + ['score'] + common + ['--decisions', dec, '--json']))
                mine = {}
                for line in run([a.cli, 'score'] + common + ['--decisions', dec]).splitlines():
                    k, v = line.split()
                    mine[k] = float(v) if any(c in v for c in '.en') else int(v)
                bad = [k for k in KEYS if not (ref[k] == mine[k] or
                                               (ref[k] != ref[k] and mine[k] != mine[k]))]
                compared += len(KEYS)
                print('%-28s %-11s score: %s  (uprov_min=%d unserved=%.6g rh=%.6g actions=%d)' % (
                    tag, label, 'all %d metrics equal' % len(KEYS) if not bad else
                    'DIFFER in ' + ', '.join('%s py=%r cpp=%r' % (k, ref[k], mine[k]) for k in bad),
                    ref['under_provisioned_minutes'], ref['unserved_fraction'],
                    ref['replica_hours'], ref['actions']))
                failures += bool(bad)
    print('%d metric comparisons, %d failing cases' % (compared, failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
