// Nelder-Mead simplex minimisation, derivative-free.
//
// Constraints are expressed by the objective returning +infinity (or NaN) for
// inadmissible points; the simplex then contracts away from them. This is how
// R's ets() and our ETS and Theta fitters handle admissibility.
#pragma once

#include <functional>
#include <vector>

namespace foresight::forecasting {

struct NelderMeadOptions {
  int max_iterations = 2000;
  double relative_tolerance = 1e-8;  // stop when the simplex's values agree this closely
  double initial_step = 0.1;         // relative size of the starting simplex
};

struct NelderMeadResult {
  std::vector<double> x;
  double value;
  int iterations;
  bool converged;
};

using Objective = std::function<double(const std::vector<double>&)>;

NelderMeadResult NelderMeadMinimize(const Objective& f, std::vector<double> start,
                                    const NelderMeadOptions& options = {});

}  // namespace foresight::forecasting
