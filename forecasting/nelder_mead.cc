#include "forecasting/nelder_mead.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace foresight::forecasting {
namespace {

constexpr double kReflect = 1.0;
constexpr double kExpand = 2.0;
constexpr double kContract = 0.5;
constexpr double kShrink = 0.5;

double Evaluate(const Objective& f, const std::vector<double>& x) {
  double v = f(x);
  return std::isfinite(v) ? v : std::numeric_limits<double>::infinity();
}

}  // namespace

NelderMeadResult NelderMeadMinimize(const Objective& f, std::vector<double> start,
                                    const NelderMeadOptions& options) {
  const size_t n = start.size();
  if (n == 0) return {start, Evaluate(f, start), 0, true};

  std::vector<std::vector<double>> simplex(n + 1, start);
  for (size_t i = 0; i < n; ++i) {
    double step = options.initial_step * std::max(std::abs(start[i]), 0.1);
    simplex[i + 1][i] += step;
  }
  std::vector<double> values(n + 1);
  for (size_t i = 0; i <= n; ++i) values[i] = Evaluate(f, simplex[i]);

  std::vector<size_t> order(n + 1);
  std::vector<double> centroid(n), trial(n), trial2(n);
  auto point_along = [&](double coef, const std::vector<double>& worst, std::vector<double>& out) {
    for (size_t j = 0; j < n; ++j) out[j] = centroid[j] + coef * (worst[j] - centroid[j]);
  };

  int iter = 0;
  bool converged = false;
  for (; iter < options.max_iterations; ++iter) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return values[a] < values[b]; });
    const size_t best = order.front(), worst = order.back(), second_worst = order[n - 1];

    double spread = std::abs(values[worst] - values[best]);
    if (std::isfinite(values[worst]) &&
        spread <=
            options.relative_tolerance * (std::abs(values[best]) + options.relative_tolerance)) {
      converged = true;
      break;
    }

    std::fill(centroid.begin(), centroid.end(), 0.0);
    for (size_t i = 0; i <= n; ++i) {
      if (i == worst) continue;
      for (size_t j = 0; j < n; ++j) centroid[j] += simplex[i][j] / static_cast<double>(n);
    }

    point_along(-kReflect, simplex[worst], trial);
    double reflected = Evaluate(f, trial);
    if (reflected < values[best]) {
      point_along(-kExpand, simplex[worst], trial2);
      double expanded = Evaluate(f, trial2);
      if (expanded < reflected) {
        simplex[worst] = trial2;
        values[worst] = expanded;
      } else {
        simplex[worst] = trial;
        values[worst] = reflected;
      }
      continue;
    }
    if (reflected < values[second_worst]) {
      simplex[worst] = trial;
      values[worst] = reflected;
      continue;
    }
    // Contract towards the better of the worst point and its reflection.
    bool outside = reflected < values[worst];
    point_along(outside ? -kContract : kContract, simplex[worst], trial2);
    double contracted = Evaluate(f, trial2);
    if (contracted < std::min(reflected, values[worst])) {
      simplex[worst] = trial2;
      values[worst] = contracted;
      continue;
    }
    for (size_t i = 0; i <= n; ++i) {
      if (i == best) continue;
      for (size_t j = 0; j < n; ++j)
        simplex[i][j] = simplex[best][j] + kShrink * (simplex[i][j] - simplex[best][j]);
      values[i] = Evaluate(f, simplex[i]);
    }
  }
  size_t best =
      static_cast<size_t>(std::min_element(values.begin(), values.end()) - values.begin());
  return {simplex[best], values[best], iter, converged};
}

}  // namespace foresight::forecasting
