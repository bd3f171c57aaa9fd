#include "forecasting/ets_refine.h"

#include <Eigen/Dense>
#include <cmath>

namespace foresight::forecasting {

EtsInitialState GaussNewtonInitialStates(const std::vector<double>& y, const EtsSpec& spec,
                                         const EtsParams& params, const EtsInitialState& initial,
                                         double step_fraction) {
  const bool mult_error = spec.error == EtsError::kMultiplicative;
  const bool has_trend = spec.trend != EtsTrend::kNone;
  const bool seasonal = spec.season != EtsSeason::kNone;
  const bool mult_season = spec.season == EtsSeason::kMultiplicative;
  const int m = seasonal ? spec.period : 1;
  const int n = static_cast<int>(y.size());
  // Directions: level, [trend], [phase j for j = 1..m-1, with -1 on phase 0].
  const int first_season = 1 + has_trend;
  const int k = first_season + (seasonal ? m - 1 : 0);
  const double alpha = params.alpha, beta = params.beta, gamma = params.gamma, phi = params.phi;

  double level = initial.level, trend = initial.trend;
  std::vector<double> season = initial.season;
  Eigen::VectorXd dl = Eigen::VectorXd::Zero(k), db = Eigen::VectorXd::Zero(k);
  Eigen::MatrixXd ds = Eigen::MatrixXd::Zero(k, seasonal ? m : 0);  // column per phase
  dl(0) = 1.0;
  if (has_trend) db(1) = 1.0;
  for (int j = 1; seasonal && j < m; ++j) {
    ds(first_season + j - 1, j) = 1.0;
    ds(first_season + j - 1, 0) = -1.0;  // phase 0 = constant - sum of the others
  }
  Eigen::MatrixXd jtj = Eigen::MatrixXd::Zero(k, k);
  Eigen::VectorXd jte = Eigen::VectorXd::Zero(k);
  Eigen::VectorXd dq(k), dyhat(k), dp(k), de(k), new_dl(k);

  int phase = 0;
  for (int t = 0; t < n; ++t) {
    const double q = level + phi * trend;  // q = l + phi b
    dq = dl + phi * db;
    double s = 0.0, yhat = q;
    dyhat = dq;
    if (seasonal) {
      s = season[phase];
      if (mult_season) {
        yhat = q * s;                      // yhat = q s
        dyhat = s * dq + q * ds.col(phase);
      } else {
        yhat = q + s;                      // yhat = q + s
        dyhat = dq + ds.col(phase);
      }
    }
    double e;
    if (mult_error) {
      e = (y[t] - yhat) / yhat;            // e = y/yhat - 1, de = -y/yhat^2 dyhat
      de = (-y[t] / (yhat * yhat)) * dyhat;
    } else {
      e = y[t] - yhat;                     // de = -dyhat
      de = -dyhat;
    }
    if (!std::isfinite(e)) return initial;
    jtj.selfadjointView<Eigen::Lower>().rankUpdate(de);
    jte += e * de;

    double p = y[t];
    dp.setZero();
    if (seasonal) {
      if (mult_season) {
        p = y[t] / s;                      // p = y/s, dp = -y/s^2 ds
        dp = (-y[t] / (s * s)) * ds.col(phase);
      } else {
        p = y[t] - s;                      // p = y - s, dp = -ds
        dp = -ds.col(phase);
      }
    }
    const double new_level = (1 - alpha) * q + alpha * p;  // l' = (1-alpha) q + alpha p
    new_dl.noalias() = (1 - alpha) * dq + alpha * dp;
    if (has_trend) {
      // b' = (1-beta) phi b + beta (p - l)
      trend = (1 - beta) * phi * trend + beta * (p - level);
      db = (1 - beta) * phi * db + beta * (dp - dl);
    }
    if (seasonal) {
      if (mult_season) {
        // s' = s + gamma (y/q - s): ds' = (1-gamma) ds - gamma y/q^2 dq
        season[phase] = s + gamma * (y[t] / q - s);
        ds.col(phase) = (1 - gamma) * ds.col(phase) - (gamma * y[t] / (q * q)) * dq;
      } else {
        // s' = s + gamma (y - q - s): ds' = (1-gamma) ds - gamma dq
        season[phase] = s + gamma * (y[t] - q - s);
        ds.col(phase) = (1 - gamma) * ds.col(phase) - gamma * dq;
      }
    }
    level = new_level;
    dl.swap(new_dl);
    if (++phase == m) phase = 0;
  }
  // Minimise sum (e + J delta)^2: (J'J) delta = -J'e.
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(jtj.selfadjointView<Eigen::Lower>());
  if (ldlt.info() != Eigen::Success) return initial;
  const Eigen::VectorXd delta = -step_fraction * ldlt.solve(jte);
  if (!delta.allFinite()) return initial;

  EtsInitialState out = initial;
  out.level += delta(0);
  if (has_trend) out.trend += delta(1);
  for (int j = 1; seasonal && j < m; ++j) {
    out.season[j] += delta(first_season + j - 1);
    out.season[0] -= delta(first_season + j - 1);
  }
  return out;
}

}  // namespace foresight::forecasting
