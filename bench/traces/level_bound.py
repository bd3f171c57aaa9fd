#!/usr/bin/python3
"""The fewest replica-hours any autoscaler that knew the load's level could have spent.

Usage: level_bound.py --trace T.csv --capacity C --budget-minutes N
                      [--hpa-replica-hours H] [--window 900]

For a trace of 1-minute samples, in issue 3's pod model (pods ready 60 s after they are
requested, scale-downs at once, the metric 30 s behind): a minute is under-provisioned
when its load exceeds the ready replicas at some second of it. Let A_m be the replicas
ready as minute m starts. They were all requested by the start of minute m-1, by
decisions that had seen the load of minute m-2 at the newest, and they all exist, ready
or starting, throughout minute m-1. So minute m is under-provisioned whenever its load
exceeds A_m, and the replica-hours are at least the sum of A_m over the minutes, one
minute each.

Suppose a policy knew, for every minute, the exact mean load of the minutes within
+-window seconds of it (the future included, the minute itself left out) and, with
hindsight, how the load spreads around each level over the whole trace (its frequencies
per level band). This prints the least sum of A_m such a policy can reach with at most N
under-provisioned minutes, and the same for a policy that also knew the load of minute
m-2, the newest one a real decision has seen in time. Both are lower bounds on their replica-hours. The optimum is found with a
Lagrange multiplier (each band keeps the count c minimising c + P(load > c) / lambda);
budgets between two multipliers are interpolated along the lower convex hull, which
mixing the two allocations attains.

Needs numpy only: run it with Debian's /usr/bin/python3 (scripts/bootstrap installs
python3-numpy). bench/traces/run calls it with the HPA's figures; see README.md there.
"""
import argparse
import csv
import math

import numpy as np

LEVEL_BANDS = 40     # quantile bands of the level: fine enough that the bound is optimistic
NEWEST_BANDS = 6     # quantile bands of minute m-2's distance from the level


def read_trace(path):
    times, values = [], []
    with open(path) as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            if row:
                times.append(float(row[0]))
                values.append(float(row[1]))
    step = int(round(times[1] - times[0]))
    if step != 60:
        # With longer samples a decision sees a sample's load while it still lasts, and
        # the argument above no longer holds.
        raise SystemExit('%s: samples are %d s apart; the bound is for 1-minute traces' % (path, step))
    return np.asarray(values)


def level_around(load, half_width):
    """Mean of the samples within +-half_width of each sample, the sample itself left out."""
    kernel = np.ones(2 * half_width + 1)
    kernel[half_width] = 0.0
    sums = np.convolve(load, kernel, 'same')
    counts = np.convolve(np.ones(len(load)), kernel, 'same')
    return sums / counts


def quantile_bands(x, bands):
    edges = np.quantile(x, np.linspace(0.0, 1.0, bands + 1))[1:-1]
    return np.searchsorted(edges, x, side='right')


def with_newest_load(load, level, level_band):
    """Level bands split by the band of the load 2 minutes before, its distance from its level."""
    newest = np.concatenate([[0.0, 0.0], (load - level)[:-2]])
    return level_band * NEWEST_BANDS + quantile_bands(newest, NEWEST_BANDS)


def least_replica_hours(load, band, budget_minutes):
    """The sum of A_m / 60 at the budget, on the lower convex hull over the multipliers."""
    bands = band.max() + 1
    counts = np.arange(int(math.ceil(load.max())) + 2)
    # share[b, c]: the fraction of band b's minutes with load above c replicas
    share = np.zeros((bands, len(counts)))
    for b in range(bands):
        x = load[band == b]
        share[b] = (x[:, None] > counts[None, :] + 1e-9).mean(axis=0)
    sizes = np.bincount(band, minlength=bands)
    points = []
    for lam in np.geomspace(1e-5, 1e3, 600):
        cost = counts[None, :] + share / lam
        cost[:, 0] = np.inf  # minReplicas 1
        kept = cost.argmin(axis=1)
        under = (share[np.arange(bands), kept] * sizes).sum()
        points.append((under, (kept * sizes).sum() / 60.0))
    return on_lower_hull(points, budget_minutes)


def on_lower_hull(points, budget_minutes):
    """The cost at the budget on the lower convex hull of (under-provisioned, cost) points."""
    cheapest = {}
    for under, cost in points:
        cheapest[under] = min(cost, cheapest.get(under, math.inf))
    hull = []
    for point in sorted(cheapest.items()):
        # Drop the last vertex while it lies on or above the chord to the new point.
        while len(hull) >= 2 and ((hull[-1][0] - hull[-2][0]) * (point[1] - hull[-2][1]) -
                                  (hull[-1][1] - hull[-2][1]) * (point[0] - hull[-2][0])) <= 0:
            hull.pop()
        hull.append(point)
    under = [p[0] for p in hull]
    if not under[0] <= budget_minutes <= under[-1]:
        raise SystemExit('budget %g minutes is outside %g..%g' % (budget_minutes, under[0], under[-1]))
    return np.interp(budget_minutes, under, [p[1] for p in hull])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--trace', required=True, help='timestamp,value CSV, 1-minute samples')
    parser.add_argument('--capacity', type=float, required=True, help='load per replica')
    parser.add_argument('--budget-minutes', type=float, required=True,
                        help="under-provisioned minutes allowed (issue 3: 0.25 x the HPA's)")
    parser.add_argument('--hpa-replica-hours', type=float, help='also print ratios to this')
    parser.add_argument('--window', type=int, default=900, help='level half-width, seconds')
    args = parser.parse_args()

    load = read_trace(args.trace) / args.capacity  # in replicas
    level = level_around(load, max(1, round(args.window / 60)))
    level_band = quantile_bands(level, LEVEL_BANDS)
    both_bands = with_newest_load(load, level, level_band)
    for name, band in (('level', level_band), ('level and the load 2 minutes before', both_bands)):
        hours = least_replica_hours(load, band, args.budget_minutes)
        line = '%s: %.1f replica-hours' % (name, hours)
        if args.hpa_replica_hours:
            line += ', %.3f x HPA' % (hours / args.hpa_replica_hours)
        print(line)


if __name__ == '__main__':
    main()
