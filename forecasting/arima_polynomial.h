// Polynomial algebra of (seasonal) ARIMA models: expanding the multiplicative
// seasonal polynomials, the stationarity-enforcing reparameterisation, root
// checks and differencing. Pure functions on plain vectors.
//
// Sign conventions follow R's arima(): the AR polynomial is
// 1 - phi_1 B - ... - phi_p B^p and the MA polynomial 1 + theta_1 B + ... .
#pragma once

#include <string>
#include <vector>

namespace foresight::forecasting {

// Orders of ARIMA(p,d,q)(P,D,Q)[period]. period <= 1 means non-seasonal
// (then P, D and Q must be 0).
struct ArimaOrder {
  int p = 0, d = 0, q = 0;
  int P = 0, D = 0, Q = 0;
  int period = 1;

  int NumArma() const { return p + q + P + Q; }
  int ArDegree() const { return p + P * period; }   // of the expanded AR polynomial
  int MaDegree() const { return q + Q * period; }
  int NumDifferences() const { return d + D * period; }  // observations lost to differencing
  bool operator==(const ArimaOrder&) const = default;
};

// The expanded polynomials: phi has ArDegree() entries, theta MaDegree().
struct ArmaPolynomials {
  std::vector<double> phi;
  std::vector<double> theta;
};

// Expands (1 - sum ar B^i)(1 - sum sar B^(i*s)) and (1 + sum ma B^i)(1 + sum sma B^(i*s)).
// arma holds p AR, q MA, P seasonal AR, Q seasonal MA coefficients in that
// order (R's coefficient layout). REQUIRES: arma has >= order.NumArma() entries.
ArmaPolynomials ExpandArma(const ArimaOrder& order, const double* arma);

// Maps unconstrained reals to the coefficients of a stationary AR(p): tanh to
// partial autocorrelations in (-1, 1), then Durbin-Levinson (R's partrans).
void PacfToAr(int p, const double* raw, double* ar);
// Inverse of PacfToAr. REQUIRES: ar is stationary.
void ArToPacf(int p, const double* ar, double* raw);

// Applies PacfToAr to the AR and seasonal AR blocks of an R-layout ARMA
// coefficient vector (ARIMA_transPars with trans = TRUE); MA blocks pass through.
std::vector<double> UntransformArma(const ArimaOrder& order, const std::vector<double>& params);
// Inverse of UntransformArma. REQUIRES: both AR blocks stationary.
std::vector<double> TransformArma(const ArimaOrder& order, const std::vector<double>& arma);

// Smallest modulus of the roots of 1 + c_1 z + ... + c_k z^k (trailing zeros
// ignored); +infinity for a constant polynomial.
double MinRootModulus(const std::vector<double>& c);

// All roots of 1 - ar_1 z - ... - ar_p z^p lie outside the unit circle.
bool IsStationary(const std::vector<double>& ar);
// All roots of 1 + ma_1 z + ... + ma_q z^q lie outside the unit circle.
bool IsInvertible(const std::vector<double>& ma);

// Reflects MA roots inside the unit circle to their reciprocals, which leaves
// the autocorrelations unchanged (R's maInvert).
std::vector<double> InvertMa(const std::vector<double>& ma);

// (1 - B)^d (1 - B^period)^D written as u_t = sum_j delta_j u_{t-j} + w_t:
// returns delta (R's Delta), of length d + D * period.
std::vector<double> DifferencingCoefficients(int d, int D, int period);

// w_t = (1 - B)^d (1 - B^period)^D x_t, of length x.size() - d - D * period
// (empty when too short).
std::vector<double> Difference(const std::vector<double>& x, int d, int D, int period);

}  // namespace foresight::forecasting
