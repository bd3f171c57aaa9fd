// Seasonality measures and detection, for the engine's `auto` mode.
//
// Seasonal strength follows R forecast's seas.heuristic() (the nsdiffs()
// heuristic, Wang, Smith & Hyndman 2006):
//   F_s = max(0, 1 - var(remainder) / var(seasonal + remainder))
// from an MSTL decomposition; a period is "seasonal" when F_s > 0.64.
//
// Detection (DetectSeasonalPeriods) in three steps:
//   1. candidates: local peaks of the autocorrelation function of the linearly
//      detrended series (computed by FFT) at lags 2..max_period with at least
//      two full cycles in the data, above the 95% white-noise bound
//      1.96/sqrt(n), a minimum autocorrelation and a minimum prominence over
//      the preceding half period; the strongest few are kept;
//   2. each candidate is made exact: within 3% of a multiple of an accepted
//      period it snaps to that multiple (10089 becomes 7 x 1440), within 1%
//      of a preferred period (options) it snaps to it; otherwise it becomes
//      the lag within 3% with the largest folding strength (the share of
//      variance explained by the mean cycle profile after removing a
//      moving-average trend), because autocorrelation peaks of non-sinusoidal
//      cycles sit a little off the period (1426 for the NASA trace's 1440);
//   3. candidates are tested shortest first: one is accepted when its seasonal
//      strength, measured by MSTL together with the periods already accepted,
//      exceeds the threshold. A harmonic (48 when 24 is accepted) is thereby
//      rejected unless it adds a pattern of its own, e.g. a weekly cycle on top
//      of a daily one (168 = 7 x 24).
// A non-negative series (counts, rates) is tested on its square root, which
// makes Poisson-like noise about constant: otherwise one busy day's noise
// hides a daily cycle that the other days show (seasonality.cc, StrengthGiven).
// The strength test runs on block means of g consecutive values, with g the
// largest divisor of the periods' gcd leaving at least
// kMinAggregatedPeriod (24) steps per cycle: at 1-minute resolution Poisson
// noise hides a daily cycle (F_s ~ 0.55 on the NASA trace) that hourly means
// show clearly (F_s ~ 0.72), and the test gets 60 times cheaper.
//
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <vector>

namespace foresight::forecasting {

// Strength threshold of R's nsdiffs() seasonal heuristic.
inline constexpr double kSeasonalStrengthThreshold = 0.64;
// Detection measures strength on block means with at least this many blocks
// per cycle (hourly means for a daily cycle at 1-minute resolution).
inline constexpr int kMinAggregatedPeriod = 24;

// R's seas.heuristic(ts(y, frequency = period)): strength from mstl() of a
// plain ts (one STL pass, s.window = 11). 0 when the period has fewer than
// two full cycles or the series is constant; never NaN.
double SeasonalStrength(const std::vector<double>& y, int period);

struct PeriodStrength {
  int period;
  double strength;
};

// R's seas.heuristic(msts(y, seasonal.periods = periods)): one strength per
// period kept by MSTL (ascending; periods with fewer than two cycles dropped).
std::vector<PeriodStrength> SeasonalStrengths(const std::vector<double>& y,
                                              const std::vector<int>& periods);

// Sample autocorrelations r[0..max_lag] (r[0] = 1) as R's acf(): the mean is
// removed and every lag is divided by the lag-0 sum. All zeros (and r[0] = 0)
// for a constant series. O(n log n).
std::vector<double> Autocorrelation(const std::vector<double>& y, int max_lag);

struct SeasonalityOptions {
  double min_strength = kSeasonalStrengthThreshold;
  // Candidate ACF peaks: r(m) >= max(min_acf, 1.96 / sqrt(n)) and
  // r(m) - min(r over [m/2, m]) >= min_prominence.
  double min_acf = 0.1;
  double min_prominence = 0.1;
  // At most this many candidates (highest autocorrelation first) are tested.
  int max_candidates = 8;
  // At most this many periods are returned.
  int max_periods = 3;
  // Known likely periods (e.g. CommonPeriods(interval)): a candidate within
  // 1% of one is taken to be it.
  std::vector<int> preferred_periods;
};

// Periods (ascending) of the seasonal cycles found in y, none for white noise
// or a constant series. Periods range over 2..candidate_max_period and need
// at least two full cycles (period < n / 2, as MSTL). REQUIRES: finite y.
std::vector<int> DetectSeasonalPeriods(const std::vector<double>& y, int candidate_max_period,
                                       const SeasonalityOptions& options = {});

// The usual operational cycles for a sampling interval: hourly, daily and
// weekly cycles expressed in samples, where the interval divides them
// (60 s: 60, 1440, 10080; 300 s: 12, 288, 2016; 3600 s: 24, 168; one day: 7).
// Periods shorter than 4 samples are left out (an hourly cycle at 15-minute
// resolution is 4 samples: kept; at 30 minutes, 2: left out).
std::vector<int> CommonPeriods(std::chrono::seconds sampling_interval);

// Prior-based detection: tests exactly CommonPeriods(sampling_interval) with
// step 3 above (no ACF search), so it decides only between the hourly, daily
// and weekly cycles, each needing at least two full cycles in y and strength
// above options.min_strength given the shorter periods already accepted.
std::vector<int> DetectCommonPeriods(const std::vector<double>& y,
                                     std::chrono::seconds sampling_interval,
                                     const SeasonalityOptions& options = {});

}  // namespace foresight::forecasting
