// STL: Seasonal-Trend decomposition by Loess (Cleveland, Cleveland, McRae &
// Terpenning, J. Official Statistics 6(1), 1990), reproducing R's stats::stl()
// including its defaults and the jump/interpolation shortcut that makes long
// periods cheap (a loess is evaluated every ceil(window/10) points and
// interpolated linearly in between).
//
// y = seasonal + trend + remainder. Pure functions; thread-safe.
#pragma once

#include <vector>

#include "forecasting/result.h"

namespace foresight::forecasting {

struct StlOptions {
  // Seasonal loess window (odd, >= 7 recommended); ignored when periodic.
  // R's stl() has no default; 11 is mstl()'s window for its first period.
  int s_window = 11;
  // s.window = "periodic": the seasonal is the mean of each cycle position.
  bool periodic = false;
  int s_degree = 0;  // 0 or 1
  // Trend window; 0 means R's default nextodd(ceil(1.5 period / (1 - 1.5 / s_window))).
  int t_window = 0;
  int t_degree = 1;  // 0 or 1
  // Low-pass window; 0 means R's default nextodd(period).
  int l_window = 0;
  int l_degree = -1;  // -1 means t_degree
  // Loess evaluation strides; 0 means R's default ceil(window / 10).
  int s_jump = 0;
  int t_jump = 0;
  int l_jump = 0;
  // Robustness: R's robust = TRUE means inner = 1, outer = 15.
  bool robust = false;
  int inner = -1;  // -1: robust ? 1 : 2
  int outer = -1;  // -1: robust ? 15 : 0
};

struct StlDecomposition {
  std::vector<double> seasonal;
  std::vector<double> trend;
  std::vector<double> remainder;
  std::vector<double> weights;  // final robustness weights (all 1 when not robust)
};

// Decomposes y with seasonal period `period`.
// Errors: period < 2, y.size() <= 2 * period (as R), degrees outside {0, 1},
// windows or jumps negative, non-finite values in y.
Result<StlDecomposition> Stl(const std::vector<double>& y, int period,
                             const StlOptions& options = {});

}  // namespace foresight::forecasting
