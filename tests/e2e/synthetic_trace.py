#!/usr/bin/python3
"""Writes a synthetic, predictable daily-shaped load for the end-to-end tests: 4 days of
5-minute rows (CSV timestamp,value in requests/s), the same day each time with 2% noise:
30/s at night, a morning ramp 08:00-10:00 to 200/s, a plateau, an evening fall 18:00-20:00.
Played by scripts/demo.d/loadgen.py at 1 row per second (1 s = 5 minutes), with --scale 1.
Row 864 + 12*h is hour h of the 4th day (the first 3 days are the backfilled history)."""
import random
import sys

LOW, HIGH = 30.0, 200.0


def smoothstep(x):
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def load(hour):
    if hour < 8:
        return LOW
    if hour < 10:
        return LOW + (HIGH - LOW) * smoothstep((hour - 8) / 2)
    if hour < 18:
        return HIGH
    if hour < 20:
        return HIGH - (HIGH - LOW) * smoothstep((hour - 18) / 2)
    return LOW


def main():
    out = sys.argv[1]
    rng = random.Random(7)
    t0 = 1704067200  # Monday 1 January 2024 00:00 UTC
    with open(out, "w") as f:
        f.write("timestamp,value\n")
        for i in range(4 * 288):
            hour = (i % 288) / 12.0
            f.write("%d,%.3f\n" % (t0 + 300 * i, load(hour) * (1 + 0.02 * rng.uniform(-1, 1))))


if __name__ == "__main__":
    main()
