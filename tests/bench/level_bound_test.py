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


class InSampleTest(unittest.TestCase):
    # Band 0 alternates 1 and 3 replicas of load, band 1 holds 5.
    LOAD = np.array([1.0, 3.0, 1.0, 3.0, 5.0, 5.0, 5.0, 5.0])
    BAND = np.array([0, 0, 0, 0, 1, 1, 1, 1])

    def test_no_minute_under_provisioned_covers_every_band_peak(self):
        # 3 replicas in band 0, 5 in band 1: 32 replica-minutes.
        self.assertAlmostEqual(level_bound.in_sample_replica_hours(self.LOAD, self.BAND, 0), 32 / 60)

    def test_a_budget_is_spent_where_a_replica_buys_the_least(self):
        # 1 replica in band 0 leaves its two 3-replica minutes under: 4 + 20 replica-minutes.
        self.assertAlmostEqual(level_bound.in_sample_replica_hours(self.LOAD, self.BAND, 2), 24 / 60)

    def test_a_budget_between_two_allocations_mixes_them(self):
        self.assertAlmostEqual(level_bound.in_sample_replica_hours(self.LOAD, self.BAND, 1), 28 / 60)

    def test_a_fractional_load_needs_the_next_whole_replica(self):
        load = np.full(10, 2.5)
        band = np.zeros(10, dtype=int)
        self.assertAlmostEqual(level_bound.in_sample_replica_hours(load, band, 0), 30 / 60)
        # Given up anyway, a minute is cheapest at one replica: 5 minutes at 3, 5 at 1.
        self.assertAlmostEqual(level_bound.in_sample_replica_hours(load, band, 5), 20 / 60)

    def test_points_above_the_chord_of_their_neighbours_are_not_on_the_hull(self):
        points = [(0, 10.0), (5, 9.0), (5, 5.0), (10, 2.0), (12, 1.9), (20, 1.0)]
        # (5, 9) is dearer than (5, 5) at the same budget.
        self.assertAlmostEqual(level_bound.on_lower_hull(points, 5), 5.0)
        self.assertAlmostEqual(level_bound.on_lower_hull(points, 2.5), 7.5)
        # (12, 1.9) lies above the chord from (10, 2) to (20, 1): mixing those two is cheaper.
        self.assertAlmostEqual(level_bound.on_lower_hull(points, 12), 1.8)


class CrossFittedTest(unittest.TestCase):
    def test_each_day_is_sized_by_the_spread_of_the_other_days(self):
        # One band; the even day holds 2 replicas of load, the odd day 4.
        load = np.repeat([2.0, 4.0], level_bound.MINUTES_PER_DAY)
        band = np.zeros(len(load), dtype=int)
        # In sample: 2 replicas all along leave the odd day's 1440 minutes under, 96 h.
        self.assertAlmostEqual(level_bound.in_sample_replica_hours(load, band, 1440), 96.0)
        # Cross-fitted, the even day keeps 4 (from the odd day's load) and the odd day 2
        # (from the even day's): the same 1440 minutes under, for 144 h.
        self.assertAlmostEqual(level_bound.cross_fitted_replica_hours(load, band, 1440), 144.0)

    def test_a_budget_no_allocation_reaches_is_refused(self):
        load = np.repeat([2.0, 4.0], level_bound.MINUTES_PER_DAY)
        band = np.zeros(len(load), dtype=int)
        with self.assertRaises(SystemExit):
            level_bound.cross_fitted_replica_hours(load, band, 0)


class LevelTest(unittest.TestCase):
    def test_the_level_leaves_the_minute_itself_out(self):
        level = level_bound.level_around(np.array([0.0, 0.0, 6.0, 0.0, 0.0]), 1)
        np.testing.assert_allclose(level, [0.0, 3.0, 0.0, 3.0, 0.0])


class WhatThePolicyCouldHaveSeenTest(unittest.TestCase):
    def test_the_newest_load_seen_is_two_minutes_old(self):
        seen = level_bound.newest_seen(np.array([5.0, 6.0, 7.0, 8.0]))
        np.testing.assert_allclose(seen, [5.0, 5.0, 5.0, 6.0])

    def test_the_recent_spread_is_over_the_minutes_seen_relative_to_the_level(self):
        load = np.tile([1.0, 3.0], 20)
        level = np.full(len(load), 2.0)
        spread = level_bound.recent_spread(load, level)
        # Minute 17 saw minutes 1..15: eight 3s and seven 1s.
        mean = (8 * 3.0 + 7 * 1.0) / 15
        expected = np.sqrt((8 * 9.0 + 7 * 1.0) / 15 - mean * mean) / 2.0
        self.assertAlmostEqual(spread[17], expected)
        # Minute 0 saw only minute 0 (standing in for the minutes before the trace).
        self.assertAlmostEqual(spread[0], 0.0)

    def test_each_level_band_is_split_by_the_feature_within_it(self):
        band = np.array([0, 0, 0, 0, 1, 1, 1, 1])
        feature = np.array([1.0, 2.0, 3.0, 4.0, 40.0, 30.0, 20.0, 10.0])
        np.testing.assert_array_equal(level_bound.split_bands(band, feature, 2),
                                      [0, 0, 1, 1, 3, 3, 2, 2])

    def test_hours_of_the_day_split_the_band_in_equal_blocks(self):
        times = np.array([0, 6 * 3600 - 60, 6 * 3600, 86400 + 18 * 3600])
        band = np.array([0, 0, 1, 1])
        np.testing.assert_array_equal(level_bound.hour_of_day_bands(band, times, 4), [0, 0, 5, 7])


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
