#!/usr/bin/python3
"""How few replica-hours an autoscaler that knew the load's level exactly could spend.

Usage: level_bound.py --trace T.csv --capacity C --budget-minutes N
                      [--hpa-replica-hours H] [--window 900]
                      [--split-by newest|recent-spread|hour-of-day --split-bands K]

For a trace of 1-minute samples, in issue 3's pod model (pods ready 60 s after they are
requested, scale-downs at once): a minute is under-provisioned when its load exceeds the
ready replicas at some second of it. Let A_m be the replicas ready as minute m starts.
They were all requested by the start of minute m-1 and all exist, ready or starting,
throughout minute m-1. So minute m is under-provisioned whenever its load exceeds A_m,
and the replica-hours are at least the sum of A_m over the minutes, one minute each.

Suppose a policy knew, for every minute, the exact mean load of the minutes within
+-window seconds of it (the future included, the minute itself left out), and how the
load spreads around each level (its frequencies in 40 quantile bands of the level). This
prints the least sum of A_m such a policy reaches with at most N under-provisioned
minutes, twice:
  in sample     the spread counted on the very minutes it is scored on: a lower bound for
                a policy that knows only the level band, and optimistic (finer bands
                would fit the noise of the trace itself);
  cross-fitted  the spread counted on the other days (odd days for even ones and back):
                what such a policy could actually reach.
With --split-by the policy also knows something it could have seen in time, and the spread
is counted separately in K bands of it within each level band: the newest load visible
(minute m-2's), the relative spread of the 15 minutes up to it, or the hour of the day
(K equal blocks of the day, UTC). Information the in-sample figure gains but the
cross-fitted one does not is fitted noise.
The optimum is found with a Lagrange multiplier (each band keeps the count c minimising
c + P(load > c) / lambda); budgets between two multipliers are interpolated along the
lower convex hull, which mixing the two allocations attains.

Needs numpy only: run it with Debian's /usr/bin/python3 (scripts/bootstrap installs
python3-numpy). bench/traces/run calls it with the HPA's figures; see README.md there.
"""
import argparse
import csv
import math

import numpy as np

LEVEL_BANDS = 40
MINUTES_PER_DAY = 1440


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
    return np.asarray(times), np.asarray(values)


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


# Minute m's decision was taken by the start of minute m-1 on a metric 30 s old, so the
# newest whole minute it saw is m-2.
SEEN_LAG = 2
SPREAD_MINUTES = 15


def newest_seen(load):
    """Each minute's load SEEN_LAG minutes before it (the first minutes take the first's)."""
    return np.concatenate((np.full(SEEN_LAG, load[0]), load[:-SEEN_LAG]))


def recent_spread(load, level):
    """The standard deviation of the SPREAD_MINUTES minutes up to the newest one seen, over
    the level (shorter at the start of the trace)."""
    seen = newest_seen(load)
    sums = np.concatenate(([0.0], np.cumsum(seen)))
    squares = np.concatenate(([0.0], np.cumsum(seen * seen)))
    end = np.arange(1, len(load) + 1)
    start = np.maximum(0, end - SPREAD_MINUTES)
    n = end - start
    mean = (sums[end] - sums[start]) / n
    variance = np.maximum(0.0, (squares[end] - squares[start]) / n - mean * mean)
    return np.sqrt(variance) / np.maximum(level, 1e-9)


def split_bands(band, feature, bands):
    """Band b split into `bands` quantile bands of feature within it: b * bands + k."""
    split = np.zeros_like(band)
    for b in np.unique(band):
        inside = band == b
        split[inside] = quantile_bands(feature[inside], bands)
    return band * bands + split


def hour_of_day_bands(band, times, bands):
    """Band b split into `bands` equal blocks of the (UTC) day."""
    return band * bands + (times.astype(np.int64) % 86400) * bands // 86400


def overloaded_shares(load, band, bands, counts):
    """[b, c]: the fraction of band b's minutes with load above c replicas (0 if empty)."""
    share = np.zeros((bands, len(counts)))
    sizes = np.bincount(band, minlength=bands)
    for b in np.flatnonzero(sizes):  # tied quantiles can leave a band empty
        x = load[band == b]
        share[b] = (x[:, None] > counts[None, :] + 1e-9).mean(axis=0)
    return share, sizes


def allocations(share):
    """Replicas kept per band, for each multiplier of a grid wide enough for any budget."""
    counts = np.arange(share.shape[1])
    for lam in np.geomspace(1e-5, 1e3, 600):
        cost = counts[None, :] + share / lam
        cost[:, 0] = np.inf  # minReplicas 1
        yield cost.argmin(axis=1)


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


def counts_for(load):
    return np.arange(int(math.ceil(load.max())) + 2)


def in_sample_replica_hours(load, band, budget_minutes):
    """The least sum of A_m / 60 at the budget, the spread counted on all the minutes."""
    bands = band.max() + 1
    share, sizes = overloaded_shares(load, band, bands, counts_for(load))
    points = []
    for kept in allocations(share):
        points.append(((share[np.arange(bands), kept] * sizes).sum(), (kept * sizes).sum() / 60.0))
    return on_lower_hull(points, budget_minutes)


def cross_fitted_replica_hours(load, band, budget_minutes):
    """The same with each day's minutes allocated by the spread counted on the days of the
    other parity, odd for even and back (a band those days lack takes the whole trace's)."""
    bands = band.max() + 1
    counts = counts_for(load)
    parity = (np.arange(len(load)) // MINUTES_PER_DAY) % 2
    whole, _ = overloaded_shares(load, band, bands, counts)
    fits = []
    for fitted_on in (1, 0):
        share, sizes = overloaded_shares(load[parity == fitted_on], band[parity == fitted_on],
                                         bands, counts)
        share[sizes == 0] = whole[sizes == 0]
        fits.append(list(allocations(share)))
    points = []
    for kept_even, kept_odd in zip(*fits):
        replicas = np.where(parity == 0, kept_even[band], kept_odd[band])
        points.append(((load > replicas + 1e-9).sum(), replicas.sum() / 60.0))
    return on_lower_hull(points, budget_minutes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--trace', required=True, help='timestamp,value CSV, 1-minute samples')
    parser.add_argument('--capacity', type=float, required=True, help='load per replica')
    parser.add_argument('--budget-minutes', type=float, required=True,
                        help="under-provisioned minutes allowed (issue 3: 0.25 x the HPA's)")
    parser.add_argument('--hpa-replica-hours', type=float, help='also print ratios to this')
    parser.add_argument('--window', type=int, default=900, help='level half-width, seconds')
    parser.add_argument('--split-by', choices=('newest', 'recent-spread', 'hour-of-day'),
                        help='also tell the policy this, in --split-bands bands per level band')
    parser.add_argument('--split-bands', type=int, default=4)
    args = parser.parse_args()

    times, load = read_trace(args.trace)
    load = load / args.capacity  # in replicas
    level = level_around(load, max(1, round(args.window / 60)))
    band = quantile_bands(level, LEVEL_BANDS)
    if args.split_by == 'newest':
        band = split_bands(band, newest_seen(load), args.split_bands)
    elif args.split_by == 'recent-spread':
        band = split_bands(band, recent_spread(load, level), args.split_bands)
    elif args.split_by == 'hour-of-day':
        band = hour_of_day_bands(band, times, args.split_bands)
    for name, least in (('in sample', in_sample_replica_hours),
                        ('cross-fitted', cross_fitted_replica_hours)):
        hours = least(load, band, args.budget_minutes)
        line = '%s: %.1f replica-hours' % (name, hours)
        if args.hpa_replica_hours:
            line += ', %.3f x HPA' % (hours / args.hpa_replica_hours)
        print(line)


if __name__ == '__main__':
    main()
