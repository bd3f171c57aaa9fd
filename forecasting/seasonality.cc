#include "forecasting/seasonality.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numeric>
#include <unsupported/Eigen/FFT>

#include "forecasting/mstl.h"

namespace foresight::forecasting {
namespace {

// Default MSTL seasonal window for the single period of a plain ts (R: 11).
constexpr int kDefaultSWindow = 11;
// A candidate within this relative distance of a preferred period snaps to it.
constexpr double kSnapTolerance = 0.01;
// Autocorrelation peaks are refined over lags within this relative distance,
// and snap to a multiple of an accepted period within it.
constexpr double kRefineTolerance = 0.03;

double Variance(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  if (x.size() < 2) return 0.0;
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return ss / (n - 1.0);
}

// var(R + S) below this fraction of the series' mean square is rounding
// (a constant series decomposes into ~1e-16 seasonal and remainder).
constexpr double kNegligibleVariance = 1e-20;

// 1 - var(R) / var(R + S) clipped to [0, 1]; 0 when var(R + S) is negligible.
double Strength(const std::vector<double>& y, const std::vector<double>& remainder,
                const std::vector<double>& seasonal) {
  std::vector<double> sum(remainder.size());
  for (size_t i = 0; i < sum.size(); ++i) sum[i] = remainder[i] + seasonal[i];
  const double total = Variance(sum);
  double mean_square = 0.0;
  for (double v : y) mean_square += v * v / static_cast<double>(y.size());
  if (!(total > kNegligibleVariance * mean_square)) return 0.0;
  const double s = 1.0 - Variance(remainder) / total;
  return std::isfinite(s) ? std::clamp(s, 0.0, 1.0) : 0.0;
}

std::vector<PeriodStrength> StrengthsOf(const std::vector<double>& y,
                                        const std::vector<int>& periods, int iterate) {
  MstlOptions options;
  options.iterate = iterate;
  if (periods.size() == 1) options.s_windows = {kDefaultSWindow};
  Result<MstlDecomposition> fit = Mstl(y, periods, options);
  std::vector<PeriodStrength> out;
  if (!fit.ok()) return out;
  for (size_t i = 0; i < fit->periods.size(); ++i) {
    out.push_back({fit->periods[i], Strength(y, fit->remainder, fit->seasonals[i])});
  }
  return out;
}

// Residuals of the least-squares line through (t, y[t]).
std::vector<double> Detrend(const std::vector<double>& y) {
  const int n = static_cast<int>(y.size());
  const double t_mean = (n - 1) / 2.0;
  const double y_mean = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sty = 0.0, stt = 0.0;
  for (int t = 0; t < n; ++t) {
    sty += (t - t_mean) * (y[t] - y_mean);
    stt += (t - t_mean) * (t - t_mean);
  }
  const double slope = stt > 0.0 ? sty / stt : 0.0;
  std::vector<double> out(n);
  for (int t = 0; t < n; ++t) out[t] = y[t] - y_mean - slope * (t - t_mean);
  return out;
}

// Block means of g consecutive values, blocks aligned on the end of y (the
// most recent data is kept whole).
std::vector<double> BlockMeans(const std::vector<double>& y, int g) {
  if (g <= 1) return y;
  const size_t blocks = y.size() / g;
  const size_t skip = y.size() - blocks * g;
  std::vector<double> out(blocks);
  for (size_t b = 0; b < blocks; ++b) {
    double s = 0.0;
    for (int i = 0; i < g; ++i) s += y[skip + b * g + i];
    out[b] = s / g;
  }
  return out;
}

bool NonNegative(const std::vector<double>& y) {
  return std::all_of(y.begin(), y.end(), [](double v) { return v >= 0.0; });
}

std::vector<double> SquareRoots(std::vector<double> y) {
  for (double& v : y) v = std::sqrt(v);
  return y;
}

// Strength of `period` measured by MSTL with the accepted (shorter) periods,
// on block means as described in the header.
double StrengthGiven(const std::vector<double>& y, const std::vector<int>& accepted,
                     int period) {
  std::vector<int> periods = accepted;
  periods.push_back(period);
  int common = 0;
  for (int p : periods) common = std::gcd(common, p);
  const int shortest = *std::min_element(periods.begin(), periods.end());
  int g = 1;
  for (int d = 1; d <= common; ++d) {
    if (common % d == 0 && shortest / d >= kMinAggregatedPeriod) g = d;
  }
  // Counts (request rates) are tested on their square root. Their noise grows
  // with the level, so one day with twice the usual traffic fills var(R) and
  // hides a daily cycle that every other day shows: of the hourly refits of a
  // week's history, no daily season in 114 of 614 (NASA trace), 169 of 625
  // (World Cup), 371 of 1272 (AMZN at 5 minutes); 1, 1 and 65 on the root,
  // which makes the variance of Poisson-like counts about constant.
  std::vector<double> x = BlockMeans(NonNegative(y) ? SquareRoots(y) : y, g);
  for (int& p : periods) p /= g;
  for (const PeriodStrength& ps : StrengthsOf(x, periods, /*iterate=*/2)) {
    if (ps.period == period / g) return ps.strength;
  }
  return 0.0;  // dropped: fewer than two cycles
}

// Classical-decomposition seasonal strength of period m, the folding
// statistic: with r = y - (centred moving average of length m), the share of
// var(r) explained by the mean profile of r over the m cycle positions. O(n).
double FoldingStrength(const std::vector<double>& y, int m) {
  const int n = static_cast<int>(y.size());
  const int half = m / 2;
  if (m < 2 || n < 2 * m) return 0.0;
  // r[t] = y[t] - mean(y[t - half .. t - half + m - 1]) for t in [half, end);
  // the window is centred on t (half a step late for even m).
  const int end = n - (m - half) + 1;
  std::vector<double> r(end - half);
  double window = 0.0;
  for (int i = 0; i < m; ++i) window += y[i];
  for (int t = half; t < end; ++t) {
    if (t > half) window += y[t - half + m - 1] - y[t - half - 1];
    r[t - half] = y[t] - window / m;
  }
  // Profile: mean of r at each cycle position (position of r[0] is half % m).
  std::vector<double> profile_sum(m, 0.0);
  std::vector<int> profile_count(m, 0);
  double mean = 0.0;
  for (size_t i = 0, pos = half % m; i < r.size(); ++i, pos = pos + 1 == static_cast<size_t>(m) ? 0 : pos + 1) {
    profile_sum[pos] += r[i];
    ++profile_count[pos];
    mean += r[i];
  }
  mean /= static_cast<double>(r.size());
  for (int j = 0; j < m; ++j) {
    if (profile_count[j] > 0) profile_sum[j] /= profile_count[j];
  }
  double total = 0.0, within = 0.0;
  for (size_t i = 0, pos = half % m; i < r.size(); ++i, pos = pos + 1 == static_cast<size_t>(m) ? 0 : pos + 1) {
    total += (r[i] - mean) * (r[i] - mean);
    within += (r[i] - profile_sum[pos]) * (r[i] - profile_sum[pos]);
  }
  return total > 0.0 ? 1.0 - within / total : 0.0;
}

// The lag near `lag` (within kRefineTolerance) with the largest folding
// strength: autocorrelation peaks of non-sinusoidal cycles sit a little off
// the period (1426 for the NASA trace's daily 1440).
int RefineByFolding(const std::vector<double>& y, int lag) {
  const int radius = std::max(2, static_cast<int>(std::lround(kRefineTolerance * lag)));
  int best = lag;
  double best_strength = -1.0;
  for (int m = std::max(2, lag - radius); m <= lag + radius; ++m) {
    if (2 * static_cast<long>(m) >= static_cast<long>(y.size())) break;
    const double s = FoldingStrength(y, m);
    if (s > best_strength) {
      best_strength = s;
      best = m;
    }
  }
  return best;
}

// The first of `periods` within relative distance `tolerance` of m, or 0.
int Snap(int m, const std::vector<int>& periods, double tolerance) {
  for (int p : periods) {
    if (std::fabs(static_cast<double>(m - p)) <= tolerance * m) return p;
  }
  return 0;
}

// Step 3 of the header: greedy acceptance, shortest candidate first.
std::vector<int> AcceptByStrength(const std::vector<double>& y, std::vector<int> candidates,
                                  const SeasonalityOptions& options) {
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<int> accepted;
  for (int m : candidates) {
    if (static_cast<int>(accepted.size()) >= options.max_periods) break;
    if (m < 2 || 2 * static_cast<long>(m) >= static_cast<long>(y.size())) continue;
    if (std::find(accepted.begin(), accepted.end(), m) != accepted.end()) continue;
    if (StrengthGiven(y, accepted, m) > options.min_strength) accepted.push_back(m);
  }
  return accepted;
}

bool IsConstant(const std::vector<double>& y) {
  return std::all_of(y.begin(), y.end(), [&](double v) { return v == y.front(); });
}

}  // namespace

double SeasonalStrength(const std::vector<double>& y, int period) {
  std::vector<PeriodStrength> s = StrengthsOf(y, {period}, /*iterate=*/1);
  return s.empty() ? 0.0 : s.front().strength;
}

std::vector<PeriodStrength> SeasonalStrengths(const std::vector<double>& y,
                                              const std::vector<int>& periods) {
  return StrengthsOf(y, periods, /*iterate=*/2);
}

std::vector<double> Autocorrelation(const std::vector<double>& y, int max_lag) {
  const int n = static_cast<int>(y.size());
  max_lag = std::clamp(max_lag, 0, std::max(0, n - 1));
  std::vector<double> r(max_lag + 1, 0.0);
  if (n == 0) return r;
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / n;
  // Zero-padded to a power of two >= 2n: the circular correlation then equals
  // the linear one at every lag.
  size_t size = 1;
  while (size < 2 * static_cast<size_t>(n)) size <<= 1;
  std::vector<std::complex<double>> x(size, 0.0), f;
  for (int t = 0; t < n; ++t) x[t] = y[t] - mean;
  Eigen::FFT<double> fft;
  fft.fwd(f, x);
  for (auto& c : f) c = std::norm(c);
  fft.inv(x, f);
  const double c0 = x[0].real();
  if (!(c0 > 0.0)) return r;
  for (int k = 0; k <= max_lag; ++k) r[k] = x[k].real() / c0;
  return r;
}

std::vector<int> DetectSeasonalPeriods(const std::vector<double>& y, int candidate_max_period,
                                       const SeasonalityOptions& options) {
  const int n = static_cast<int>(y.size());
  // Two full cycles: 2 m < n.
  const int max_lag = std::min(candidate_max_period, (n - 1) / 2);
  if (max_lag < 2 || IsConstant(y)) return {};
  const std::vector<double> r = Autocorrelation(Detrend(y), max_lag);
  if (!(r[0] > 0.0)) return {};

  // Step 1: local ACF peaks.
  const double floor = std::max(options.min_acf, 1.96 / std::sqrt(static_cast<double>(n)));
  struct Candidate {
    int lag;
    double acf;
  };
  std::vector<Candidate> peaks;
  for (int m = 2; m <= max_lag; ++m) {
    if (r[m] < floor) continue;
    const int w = std::max(1, m / 20);
    bool is_peak = true;
    for (int j = std::max(1, m - w); j <= std::min(max_lag, m + w) && is_peak; ++j) {
      // Ties go to the smaller lag so a flat top yields one candidate.
      is_peak = j == m || r[j] < r[m] || (r[j] == r[m] && j > m);
    }
    if (!is_peak) continue;
    double trough = r[m];
    for (int j = m / 2; j < m; ++j) trough = std::min(trough, r[j]);
    if (r[m] - trough < options.min_prominence) continue;
    peaks.push_back({m, r[m]});
  }
  std::sort(peaks.begin(), peaks.end(),
            [](const Candidate& a, const Candidate& b) { return a.acf > b.acf; });
  if (static_cast<int>(peaks.size()) > options.max_candidates) {
    peaks.resize(options.max_candidates);
  }
  std::sort(peaks.begin(), peaks.end(),
            [](const Candidate& a, const Candidate& b) { return a.lag < b.lag; });

  // Steps 2 and 3, shortest candidate first.
  std::vector<int> accepted;
  for (const Candidate& c : peaks) {
    if (static_cast<int>(accepted.size()) >= options.max_periods) break;
    std::vector<int> multiples;
    for (int p : accepted) {
      const int k = static_cast<int>(std::lround(static_cast<double>(c.lag) / p));
      if (k >= 2) multiples.push_back(k * p);
    }
    int m = Snap(c.lag, multiples, kRefineTolerance);
    if (m == 0) m = Snap(c.lag, options.preferred_periods, kSnapTolerance);
    if (m == 0) {
      m = RefineByFolding(y, c.lag);
      const int preferred = Snap(m, options.preferred_periods, kSnapTolerance);
      if (preferred != 0) m = preferred;
    }
    if (2 * static_cast<long>(m) >= n) continue;
    if (std::find(accepted.begin(), accepted.end(), m) != accepted.end()) continue;
    if (StrengthGiven(y, accepted, m) > options.min_strength) {
      accepted.push_back(m);
      std::sort(accepted.begin(), accepted.end());
    }
  }
  return accepted;
}

std::vector<int> CommonPeriods(std::chrono::seconds sampling_interval) {
  using std::chrono::seconds;
  const long step = sampling_interval.count();
  std::vector<int> out;
  if (step <= 0) return out;
  for (seconds cycle : {seconds(3600), seconds(86400), seconds(7 * 86400)}) {
    if (cycle.count() % step == 0 && cycle.count() / step >= 4) {
      out.push_back(static_cast<int>(cycle.count() / step));
    }
  }
  return out;
}

std::vector<int> DetectCommonPeriods(const std::vector<double>& y,
                                     std::chrono::seconds sampling_interval,
                                     const SeasonalityOptions& options) {
  if (y.empty() || IsConstant(y)) return {};
  return AcceptByStrength(y, CommonPeriods(sampling_interval), options);
}

}  // namespace foresight::forecasting
