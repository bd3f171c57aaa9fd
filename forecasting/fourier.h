// Fourier terms for seasonal regressors, as R forecast's fourier():
// for each harmonic k = 1..K of a period m, the columns
//   S_k(t) = sin(2 pi k t / m),  C_k(t) = cos(2 pi k t / m)
// at times t = offset + 1, ..., offset + n (R's times are 1-based). The sine
// column of k = m / 2 (identically zero) is omitted, and with several periods
// harmonics with the same frequency (e.g. k = 7 of 168 and k = 1 of 24) appear
// once. In-sample terms use offset 0; the terms for a horizon h after n
// observations use FourierTerms(h, period, K, n).
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "forecasting/result.h"

namespace foresight::forecasting {

// Columns in R's order S1, C1, S2, C2, ... REQUIRES: n >= 0, period > 0,
// 0 <= K <= period / 2 (violations return an empty matrix with n rows).
Eigen::MatrixXd FourierTerms(int n, double period, int K, long offset = 0);

// Several periods, columns per period in the order given, duplicates removed.
// Errors: sizes differ, or some 2 K > period.
Result<Eigen::MatrixXd> FourierTerms(int n, const std::vector<double>& periods,
                                     const std::vector<int>& K, long offset = 0);

}  // namespace foresight::forecasting
