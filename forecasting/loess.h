// The loess smoothers of STL (Cleveland, Cleveland, McRae & Terpenning 1990),
// a line-by-line port of R's stats/src/stl.f (stlest, stless).
//
// Positions are the integers 1..n (as in the Fortran); arrays are 0-based
// pointers so that the kernels allocate nothing. Only degrees 0 and 1 are
// supported, as in R's stl().
#pragma once

namespace foresight::forecasting::loess {

// Tricube-weighted local polynomial (degree 0 or 1) of y[nleft..nright]
// (1-based, inclusive) evaluated at position xs, with window length `len`.
// `weights` is scratch of size >= n; `robustness` (size n) multiplies the
// neighbourhood weights when non-null. Returns false, leaving *ys untouched,
// when every weight is zero.
bool Estimate(const double* y, int n, int len, int degree, double xs, int nleft,
              int nright, double* weights, const double* robustness, double* ys);

// Smooths y (size n) into ys (size n) with a loess of window `len`, evaluated
// every `jump` points and linearly interpolated in between (R's s/t/l.jump).
// `scratch` has size >= n. REQUIRES: n >= 1, len >= 3 odd, jump >= 1.
void Smooth(const double* y, int n, int len, int degree, int jump,
            const double* robustness, double* ys, double* scratch);

}  // namespace foresight::forecasting::loess
