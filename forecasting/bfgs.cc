#include "forecasting/bfgs.h"

#include <cmath>
#include <limits>

namespace foresight::forecasting {
namespace {

constexpr double kStepReduction = 0.2;   // vmmin's stepredn
constexpr double kAcceptTolerance = 1e-4;  // vmmin's acctol (Armijo constant)
constexpr double kRelativeTest = 10.0;   // vmmin's reltest: "did the step move x at all"

// The objective seen in scaled coordinates x / parscale, as optim does.
class Scaled {
 public:
  Scaled(const Objective& f, const std::vector<double>& parscale) : f_(f), scale_(parscale) {}
  double operator()(const std::vector<double>& z) const {
    for (size_t i = 0; i < z.size(); ++i) buffer_[i] = z[i] * scale_[i];
    return f_(buffer_);
  }
  void Resize(size_t n) const { buffer_.resize(n); }

 private:
  const Objective& f_;
  const std::vector<double>& scale_;
  mutable std::vector<double> buffer_;
};

// Central differences; false when any value is not finite (optim stops with
// "non-finite finite-difference value" there, and so do we).
bool Gradient(const Scaled& f, std::vector<double> z, double step, std::vector<double>* g) {
  for (size_t i = 0; i < z.size(); ++i) {
    const double zi = z[i];
    z[i] = zi + step;
    const double up = f(z);
    z[i] = zi - step;
    const double down = f(z);
    z[i] = zi;
    (*g)[i] = (up - down) / (2 * step);
    if (!std::isfinite((*g)[i])) return false;
  }
  return true;
}

std::vector<double> Scales(const BfgsOptions& options, size_t n) {
  std::vector<double> s = options.parscale;
  if (s.size() != n) s.assign(n, 1.0);
  return s;
}

}  // namespace

BfgsResult BfgsMinimize(const Objective& f, std::vector<double> start,
                        const BfgsOptions& options) {
  const int n = static_cast<int>(start.size());
  const std::vector<double> scale = Scales(options, n);
  Scaled fs(f, scale);
  fs.Resize(n);
  std::vector<double> b(n);
  for (int i = 0; i < n; ++i) b[i] = start[i] / scale[i];
  auto unscale = [&](const std::vector<double>& z) {
    std::vector<double> x(n);
    for (int i = 0; i < n; ++i) x[i] = z[i] * scale[i];
    return x;
  };

  double fmin = fs(b);
  if (!std::isfinite(fmin)) return {start, fmin, 0, false, true};
  if (n == 0) return {start, fmin, 0, true, false};

  std::vector<double> g(n), t(n), X(n), c(n);
  Eigen::MatrixXd B = Eigen::MatrixXd::Identity(n, n);  // inverse Hessian approximation
  if (!Gradient(fs, b, options.gradient_step, &g)) return {start, fmin, 0, false, true};
  int iter = 1, gradcount = 1, ilast = gradcount, count = 0;
  double fval = fmin;
  do {
    if (ilast == gradcount) B.setIdentity();
    for (int i = 0; i < n; ++i) { X[i] = b[i]; c[i] = g[i]; }
    // t = -B g: the search direction.
    double gradproj = 0;
    for (int i = 0; i < n; ++i) {
      double s = 0;
      for (int j = 0; j < n; ++j) s -= B(i, j) * g[j];
      t[i] = s;
      gradproj += s * g[i];
    }
    if (gradproj < 0) {
      double steplength = 1.0;
      bool accpoint = false;
      do {
        count = 0;
        for (int i = 0; i < n; ++i) {
          b[i] = X[i] + steplength * t[i];
          if (kRelativeTest + X[i] == kRelativeTest + b[i]) ++count;
        }
        if (count < n) {
          fval = fs(b);
          accpoint = std::isfinite(fval) && fval <= fmin + gradproj * steplength * kAcceptTolerance;
          if (!accpoint) steplength *= kStepReduction;
        }
      } while (!(count == n || accpoint));
      const bool enough = std::abs(fval - fmin) >
                          options.relative_tolerance * (std::abs(fmin) + options.relative_tolerance);
      if (!enough) {
        count = n;
        fmin = fval;
      }
      if (count < n) {
        fmin = fval;
        if (!Gradient(fs, b, options.gradient_step, &g)) return {unscale(b), fmin, iter, false, true};
        ++gradcount;
        ++iter;
        double d1 = 0;
        for (int i = 0; i < n; ++i) {
          t[i] *= steplength;
          c[i] = g[i] - c[i];
          d1 += t[i] * c[i];
        }
        if (d1 > 0) {
          // BFGS update of the inverse Hessian approximation.
          double d2 = 0;
          for (int i = 0; i < n; ++i) {
            double s = 0;
            for (int j = 0; j < n; ++j) s += B(i, j) * c[j];
            X[i] = s;
            d2 += s * c[i];
          }
          d2 = 1 + d2 / d1;
          for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
              B(i, j) += (d2 * t[i] * t[j] - X[i] * t[j] - t[i] * X[j]) / d1;
        } else {
          ilast = gradcount;  // not positive definite any more: restart from steepest descent
        }
      } else if (ilast < gradcount) {
        count = 0;
        ilast = gradcount;
      }
    } else {
      count = 0;
      if (ilast == gradcount) count = n; else ilast = gradcount;
    }
    if (iter >= options.max_iterations) break;
    if (gradcount - ilast > 2 * n) ilast = gradcount;
  } while (count != n || ilast != gradcount);
  // vmmin leaves b at the last trial point; the accepted point is X when the
  // final line search failed to move.
  if (count == n && fmin != fval) b = X;
  return {unscale(b), fmin, iter, iter < options.max_iterations, false};
}

bool NumericHessian(const Objective& f, const std::vector<double>& x,
                    const BfgsOptions& options, Eigen::MatrixXd* hessian) {
  const int n = static_cast<int>(x.size());
  const std::vector<double> scale = Scales(options, n);
  Scaled fs(f, scale);
  fs.Resize(n);
  std::vector<double> z(n), up(n), down(n);
  for (int i = 0; i < n; ++i) z[i] = x[i] / scale[i];
  const double eps = options.gradient_step;
  hessian->resize(n, n);
  for (int i = 0; i < n; ++i) {
    const double zi = z[i];
    z[i] = zi + eps;
    if (!Gradient(fs, z, eps, &up)) return false;
    z[i] = zi - eps;
    if (!Gradient(fs, z, eps, &down)) return false;
    z[i] = zi;
    for (int j = 0; j < n; ++j)
      (*hessian)(i, j) = (up[j] - down[j]) / (2 * eps * scale[i] * scale[j]);
  }
  *hessian = 0.5 * (*hessian + hessian->transpose()).eval();
  return true;
}

}  // namespace foresight::forecasting
