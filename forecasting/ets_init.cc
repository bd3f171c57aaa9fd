#include "forecasting/ets_init.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace foresight::forecasting {
namespace {

// Multiplicative seasonal indices are floored here (R: pmax(init.seas, 0.01)).
constexpr double kMinSeasonalIndex = 0.01;

struct Line {
  double intercept;  // value at t = 0
  double slope;
};

// Least-squares line through (t, v[t-1]) for t = 1..k (R: lsfit(1:k, v[1:k])).
Line FitLine(const std::vector<double>& v, int k) {
  double st = 0, sv = 0, stt = 0, stv = 0;
  for (int t = 1; t <= k; ++t) {
    st += t;
    sv += v[t - 1];
    stt += static_cast<double>(t) * t;
    stv += t * v[t - 1];
  }
  const double denom = k * stt - st * st;
  if (k < 2 || denom == 0.0) return {sv / k, 0.0};
  const double slope = (k * stv - st * sv) / denom;
  return {(sv - slope * st) / k, slope};
}

// Intercept and slope of y ~ 1 + t + cos(2 pi t / m) [+ sin(2 pi t / m)],
// t = 1..n (R: tslm(y ~ trend + fourier(y, 1))); the sine column vanishes
// when m = 2.
Line TrendWithFourier(const std::vector<double>& y, int m) {
  const int n = static_cast<int>(y.size());
  const int cols = m == 2 ? 3 : 4;
  Eigen::MatrixXd x(n, cols);
  Eigen::VectorXd v(n);
  for (int i = 0; i < n; ++i) {
    const double t = i + 1;
    x(i, 0) = 1.0;
    x(i, 1) = t;
    x(i, 2) = std::cos(2.0 * std::numbers::pi * t / m);
    if (cols == 4) x(i, 3) = std::sin(2.0 * std::numbers::pi * t / m);
    v(i) = y[i];
  }
  Eigen::VectorXd coef = x.colPivHouseholderQr().solve(v);
  return {coef(0), coef(1)};
}

}  // namespace

std::vector<double> ClassicalSeasonalFigure(const std::vector<double>& y, int m,
                                            bool multiplicative) {
  const int n = static_cast<int>(y.size());
  // Centred moving average of order m (2 x m when m is even).
  const int half = m / 2;
  std::vector<double> weights(2 * half + 1, 1.0 / m);
  if (m % 2 == 0) weights.front() = weights.back() = 0.5 / m;
  std::vector<double> sum(m, 0.0);
  std::vector<int> count(m, 0);
  double window = 0.0;
  for (int t = half; t + half < n; ++t) {
    window = 0.0;
    for (int j = -half; j <= half; ++j) window += weights[j + half] * y[t + j];
    const double detrended = multiplicative ? y[t] / window : y[t] - window;
    sum[t % m] += detrended;
    ++count[t % m];
  }
  std::vector<double> figure(m);
  for (int k = 0; k < m; ++k) figure[k] = count[k] > 0 ? sum[k] / count[k] : (multiplicative ? 1 : 0);
  const double mean = std::accumulate(figure.begin(), figure.end(), 0.0) / m;
  for (double& f : figure) f = multiplicative ? f / mean : f - mean;
  return figure;
}

EtsInitialState EtsHeuristicInitialState(const std::vector<double>& y, const EtsSpec& spec) {
  const int n = static_cast<int>(y.size());
  const bool seasonal = spec.season != EtsSeason::kNone;
  const bool mult_season = spec.season == EtsSeason::kMultiplicative;
  const int m = seasonal ? spec.period : 1;
  EtsInitialState init;
  std::vector<double> adjusted = y;  // seasonally adjusted series

  if (seasonal) {
    // seasonal_at[t] for t = 0..m-1 (only those are needed) and the adjusted series.
    std::vector<double> seasonal_at(m);
    if (n < 3 * m) {
      const Line line = TrendWithFourier(y, m);
      for (int t = 0; t < n; ++t) {
        const double trend = line.intercept + line.slope * (t + 1);
        const double s = mult_season ? y[t] / trend : y[t] - trend;
        if (t < m) seasonal_at[t] = s;
        adjusted[t] = mult_season ? y[t] / std::max(s, kMinSeasonalIndex) : y[t] - s;
      }
    } else {
      const std::vector<double> figure = ClassicalSeasonalFigure(y, m, mult_season);
      for (int t = 0; t < n; ++t) {
        const double s = figure[t % m];
        adjusted[t] = mult_season ? y[t] / std::max(s, kMinSeasonalIndex) : y[t] - s;
      }
      seasonal_at = figure;
    }
    // Phases 1..m-1 come from the heuristic; phase 0 closes the sum.
    init.season.assign(m, 0.0);
    double total = 0.0;
    for (int k = 1; k < m; ++k) {
      double s = seasonal_at[k];
      if (mult_season) s = std::max(s, kMinSeasonalIndex);
      init.season[k] = s;
      total += s;
    }
    if (mult_season && total > m) {
      // R: init.seas / sum(init.seas + 0.01)
      const double scale = total + kMinSeasonalIndex * (m - 1);
      total = 0.0;
      for (int k = 1; k < m; ++k) total += (init.season[k] /= scale);
    }
    init.season[0] = (mult_season ? m : 0.0) - total;
  }

  const int maxn = std::min(std::max(10, 2 * m), n);
  if (spec.trend == EtsTrend::kNone) {
    init.level = std::accumulate(adjusted.begin(), adjusted.begin() + maxn, 0.0) / maxn;
  } else {
    const Line line = FitLine(adjusted, maxn);
    init.level = line.intercept;
    init.trend = line.slope;
    if (std::abs(init.level + init.trend) < 1e-8) {
      init.level *= 1.001;
      init.trend *= 0.999;
    }
  }
  return init;
}

}  // namespace foresight::forecasting
