// Quasi-Newton (BFGS) minimisation with finite-difference gradients.
//
// A transcription of the variable-metric method R's optim(method = "BFGS")
// uses (Nash's vmmin): ARIMA fits are compared against R, and following the
// same optimiser (same backtracking, same tolerances, same parameter scaling)
// is what makes our estimates land where R's do, including where R stops early.
#pragma once

#include <vector>

#include <Eigen/Dense>

#include "forecasting/nelder_mead.h"  // Objective

namespace foresight::forecasting {

struct BfgsOptions {
  int max_iterations = 100;             // optim's default maxit for BFGS
  double relative_tolerance = 1.490116119384765625e-8;  // sqrt(machine epsilon), optim's reltol
  double gradient_step = 1e-3;          // optim's ndeps, in scaled units
  // Typical magnitude of each parameter (optim's parscale); empty means all 1.
  std::vector<double> parscale;
};

struct BfgsResult {
  std::vector<double> x;
  double value;
  int iterations;
  bool converged;   // false when max_iterations was reached
  bool failed;      // the start or a finite-difference gradient was not finite
};

BfgsResult BfgsMinimize(const Objective& f, std::vector<double> start,
                        const BfgsOptions& options = {});

// Finite-difference Hessian at x (central differences of central-difference
// gradients, symmetrised), as optim(hessian = TRUE) computes it. Returns false
// when a value was not finite.
bool NumericHessian(const Objective& f, const std::vector<double>& x,
                    const BfgsOptions& options, Eigen::MatrixXd* hessian);

}  // namespace foresight::forecasting
