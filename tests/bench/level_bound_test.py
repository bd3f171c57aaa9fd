#!/usr/bin/python3
"""Unit tests of bench/traces/level_bound.py on loads whose bound is known by hand.
Run: /usr/bin/python3 -m unittest level_bound_test (from this folder)."""
import os
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                                'bench', 'traces'))
import level_bound  # noqa: E402


class LeastReplicaHoursTest(unittest.TestCase):
    # Band 0 alternates 1 and 3 replicas of load, band 1 holds 5.
    LOAD = np.array([1.0, 3.0, 1.0, 3.0, 5.0, 5.0, 5.0, 5.0])
    BAND = np.array([0, 0, 0, 0, 1, 1, 1, 1])

    def test_no_minute_under_provisioned_covers_every_band_peak(self):
        # 3 replicas in band 0, 5 in band 1: 32 replica-minutes.
        self.assertAlmostEqual(level_bound.least_replica_hours(self.LOAD, self.BAND, 0), 32 / 60)

    def test_a_budget_is_spent_where_a_replica_buys_the_least(self):
        # 1 replica in band 0 leaves its two 3-replica minutes under: 4 + 20 replica-minutes.
        self.assertAlmostEqual(level_bound.least_replica_hours(self.LOAD, self.BAND, 2), 24 / 60)

    def test_a_budget_between_two_allocations_mixes_them(self):
        self.assertAlmostEqual(level_bound.least_replica_hours(self.LOAD, self.BAND, 1), 28 / 60)

    def test_a_fractional_load_needs_the_next_whole_replica(self):
        load = np.full(10, 2.5)
        band = np.zeros(10, dtype=int)
        self.assertAlmostEqual(level_bound.least_replica_hours(load, band, 0), 30 / 60)
        # Given up anyway, a minute is cheapest at one replica: 5 minutes at 3, 5 at 1.
        self.assertAlmostEqual(level_bound.least_replica_hours(load, band, 5), 20 / 60)

    def test_points_above_the_chord_of_their_neighbours_are_not_on_the_hull(self):
        points = [(0, 10.0), (5, 9.0), (5, 5.0), (10, 2.0), (12, 1.9), (20, 1.0)]
        # (5, 9) is dearer than (5, 5) at the same budget.
        self.assertAlmostEqual(level_bound.on_lower_hull(points, 5), 5.0)
        self.assertAlmostEqual(level_bound.on_lower_hull(points, 2.5), 7.5)
        # (12, 1.9) lies above the chord from (10, 2) to (20, 1): mixing those two is cheaper.
        self.assertAlmostEqual(level_bound.on_lower_hull(points, 12), 1.8)


class LevelTest(unittest.TestCase):
    def test_the_level_leaves_the_minute_itself_out(self):
        level = level_bound.level_around(np.array([0.0, 0.0, 6.0, 0.0, 0.0]), 1)
        np.testing.assert_allclose(level, [0.0, 3.0, 0.0, 3.0, 0.0])

    def test_the_newest_load_is_the_one_two_minutes_before(self):
        load = np.array([0.1, 0.2, 9.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
        level = np.zeros(len(load))
        bands = level_bound.with_newest_load(load, level, np.zeros(len(load), dtype=int))
        # Minute 4 is the one whose newest load is the spike of minute 2.
        self.assertEqual(bands[4], bands.max())
        self.assertLess(bands[2], bands.max())
        self.assertLess(bands[3], bands.max())


class ReadTraceTest(unittest.TestCase):
    def test_samples_longer_than_a_minute_are_refused(self):
        with tempfile.NamedTemporaryFile('w', suffix='.csv') as f:
            f.write('timestamp,value\n0,1\n300,2\n600,3\n')
            f.flush()
            with self.assertRaises(SystemExit) as raised:
                level_bound.read_trace(f.name)
            self.assertIn('1-minute traces', str(raised.exception))


if __name__ == '__main__':
    unittest.main()
