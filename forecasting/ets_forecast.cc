#include "forecasting/ets_forecast.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace foresight::forecasting {
namespace {

EtsState FinalState(const EtsFitRecord& fit, std::vector<double>& season) {
  season = fit.final_season;
  const int m = fit.spec.season == EtsSeason::kNone ? 1 : fit.spec.period;
  return {fit.final_level, fit.final_trend, season.empty() ? nullptr : season.data(), fit.n % m};
}

bool IsLinearSeason(const EtsSpec& spec) { return spec.season != EtsSeason::kMultiplicative; }

}  // namespace

std::vector<double> EtsPointForecasts(const EtsFitRecord& fit, int horizon) {
  const EtsSpec& spec = fit.spec;
  const int m = spec.season == EtsSeason::kNone ? 1 : spec.period;
  std::vector<double> mean(horizon);
  double phi_sum = 0.0;  // phi + phi^2 + ... + phi^h
  double phi_power = 1.0;
  for (int h = 1; h <= horizon; ++h) {
    phi_power *= fit.params.phi;
    phi_sum += phi_power;
    double f = fit.final_level;
    if (spec.trend != EtsTrend::kNone) f += phi_sum * fit.final_trend;  // l + phi_h b
    if (spec.season != EtsSeason::kNone) {
      const double s = fit.final_season[(fit.n + h - 1) % m];  // s[n+h-m*ceil(h/m)]
      f = spec.season == EtsSeason::kAdditive ? f + s : f * s;
    }
    mean[h - 1] = f;
  }
  return mean;
}

std::vector<double> EtsAnalyticVariances(const EtsFitRecord& fit, int horizon) {
  const EtsSpec& spec = fit.spec;
  if (!IsLinearSeason(spec)) return {};
  const int m = spec.season == EtsSeason::kNone ? 1 : spec.period;
  const EtsParams& p = fit.params;
  const double sigma2 = fit.sigma2;
  // c[j] for j = 1..horizon-1, the weight of the innovation j steps back.
  std::vector<double> c(horizon, 0.0);
  double phi_sum = 0.0, phi_power = 1.0;
  for (int j = 1; j < horizon; ++j) {
    phi_power *= p.phi;
    phi_sum += phi_power;
    c[j] = p.alpha;
    if (spec.trend != EtsTrend::kNone) c[j] += p.beta * phi_sum;
    if (spec.season != EtsSeason::kNone && j % m == 0) c[j] += p.gamma;
  }
  std::vector<double> var(horizon);
  if (spec.error == EtsError::kAdditive) {
    double cumulative = 0.0;
    for (int h = 1; h <= horizon; ++h) {
      if (h > 1) cumulative += c[h - 1] * c[h - 1];
      var[h - 1] = sigma2 * (1.0 + cumulative);  // v[h] = sigma2 (1 + sum_{j<h} c_j^2)
    }
    return var;
  }
  const std::vector<double> mu = EtsPointForecasts(fit, horizon);
  std::vector<double> theta(horizon);
  for (int h = 1; h <= horizon; ++h) {
    double t = mu[h - 1] * mu[h - 1];
    for (int j = 1; j < h; ++j) t += sigma2 * c[j] * c[j] * theta[h - j - 1];
    theta[h - 1] = t;  // theta[h] = mu[h]^2 + sigma2 sum_{j<h} c_j^2 theta[h-j]
    var[h - 1] = (1.0 + sigma2) * t - mu[h - 1] * mu[h - 1];
  }
  return var;
}

std::vector<std::vector<double>> EtsSimulatePaths(const EtsFitRecord& fit, int horizon, int paths,
                                                  unsigned long long seed) {
  const EtsSpec& spec = fit.spec;
  const bool mult_error = spec.error == EtsError::kMultiplicative;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> innovation(0.0, std::sqrt(fit.sigma2));
  std::vector<std::vector<double>> draws(horizon, std::vector<double>(paths));
  std::vector<double> season;
  for (int path = 0; path < paths; ++path) {
    EtsState state = FinalState(fit, season);
    for (int h = 0; h < horizon; ++h) {
      double f = state.level + fit.params.phi * state.trend;
      if (spec.season == EtsSeason::kAdditive) f += season[state.phase];
      if (spec.season == EtsSeason::kMultiplicative) f *= season[state.phase];
      double e = innovation(rng);
      // y = yhat + e, or yhat (1 + e) with e >= -1 so that y stays >= 0 (as R).
      const double y = mult_error ? f * (1.0 + std::max(-1.0, e)) : f + e;
      draws[h][path] = y;
      RunEtsPass(spec, fit.params, &y, 1, state, nullptr, nullptr);
    }
  }
  return draws;
}

PredictiveDistribution EtsPredict(const EtsFitRecord& fit, int horizon) {
  if (horizon < 1) return PredictiveDistribution::Normal({}, {});
  std::vector<double> mean = EtsPointForecasts(fit, horizon);
  std::vector<double> var = EtsAnalyticVariances(fit, horizon);
  if (!var.empty()) {
    std::vector<double> sd(horizon);
    for (int h = 0; h < horizon; ++h) sd[h] = std::sqrt(std::max(var[h], 0.0));
    return PredictiveDistribution::Normal(std::move(mean), std::move(sd));
  }
  return PredictiveDistribution::FromSamples(
      std::move(mean), EtsSimulatePaths(fit, horizon, kEtsSimulationPaths, kEtsSimulationSeed));
}

}  // namespace foresight::forecasting
