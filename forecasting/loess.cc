#include "forecasting/loess.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace foresight::forecasting::loess {

namespace {

// Tricube neighbourhood weights of stlest into weights[j - 1] for j in
// nleft..nright (times robustness when given); returns their sum.
double NeighbourhoodWeights(int n, int len, double xs, int nleft, int nright, double* weights,
                            const double* robustness, double* h_out) {
  // h: distance to the farther end of the neighbourhood, widened when the
  // window is longer than the series.
  double h = std::max(xs - static_cast<double>(nleft), static_cast<double>(nright) - xs);
  if (len > n) h += static_cast<double>((len - n) / 2);
  const double h9 = 0.999 * h;
  const double h1 = 0.001 * h;
  double a = 0.0;
  for (int j = nleft; j <= nright; ++j) {
    double& w = weights[j - 1];
    w = 0.0;
    const double r = std::fabs(static_cast<double>(j) - xs);
    if (r <= h9) {
      if (r <= h1) {
        w = 1.0;
      } else {
        const double u = r / h;
        const double t = 1.0 - u * u * u;
        w = t * t * t;  // tricube: (1 - (r/h)^3)^3
      }
      if (robustness != nullptr) w *= robustness[j - 1];
      a += w;
    }
  }
  *h_out = h;
  return a;
}

// The rest of stlest given the normalised weights wn[j - nleft] (sum 1).
// The loops fuse passes of stl.f without changing the operations done on
// each element, so results stay bit-identical to R's.
double FitNormalized(const double* y, int n, int degree, double h, double xs, int nleft,
                     int nright, const double* wn) {
  const double range = static_cast<double>(n) - 1.0;
  double sum = 0.0;
  if (h > 0.0 && degree > 0) {
    // Local linear fit written as re-weighting: w[j] *= 1 + b (j - mean).
    double a = 0.0;
    for (int j = nleft; j <= nright; ++j) a += wn[j - nleft] * static_cast<double>(j);
    double b = xs - a;
    double c = 0.0;
    for (int j = nleft; j <= nright; ++j) {
      const double d = static_cast<double>(j) - a;
      c += wn[j - nleft] * (d * d);  // w * (j - a)**2
    }
    if (std::sqrt(c) > 0.001 * range) {
      b /= c;
      for (int j = nleft; j <= nright; ++j) {
        sum += wn[j - nleft] * (b * (static_cast<double>(j) - a) + 1.0) * y[j - 1];
      }
      return sum;
    }
  }
  for (int j = nleft; j <= nright; ++j) sum += wn[j - nleft] * y[j - 1];
  return sum;
}

}  // namespace

bool Estimate(const double* y, int n, int len, int degree, double xs, int nleft,
              int nright, double* weights, const double* robustness, double* ys) {
  double h = 0.0;
  const double a = NeighbourhoodWeights(n, len, xs, nleft, nright, weights, robustness, &h);
  if (a <= 0.0) return false;
  for (int j = nleft; j <= nright; ++j) weights[j - 1] /= a;
  *ys = FitNormalized(y, n, degree, h, xs, nleft, nright, weights + (nleft - 1));
  return true;
}

void Smooth(const double* y, int n, int len, int degree, int jump,
            const double* robustness, double* ys, double* scratch) {
  // 1-based views, as in stl.f.
  auto out = [ys](int i) -> double& { return ys[i - 1]; };
  auto yy = [y](int i) { return y[i - 1]; };
  if (n < 2) {
    ys[0] = y[0];
    return;
  }
  const int newnj = std::min(jump, n - 1);
  int nleft = 1;
  int nright = n;
  // Without robustness weights every interior neighbourhood (centred, len
  // points) has the same normalised weights, bit for bit: compute them once.
  const int half = (len - 1) / 2;
  std::vector<double> interior;
  double interior_h = 0.0;
  auto fit_at = [&](int i) {
    if (robustness == nullptr && len < n && nleft == i - half && nright == i + half) {
      if (interior.empty()) {
        const double a = NeighbourhoodWeights(n, len, static_cast<double>(i), nleft, nright,
                                              scratch, nullptr, &interior_h);
        interior.resize(len);
        for (int j = nleft; j <= nright; ++j) interior[j - nleft] = scratch[j - 1] / a;
      }
      out(i) = FitNormalized(y, n, degree, interior_h, static_cast<double>(i), nleft, nright,
                             interior.data());
      return;
    }
    if (!Estimate(y, n, len, degree, static_cast<double>(i), nleft, nright, scratch,
                  robustness, &out(i))) {
      out(i) = yy(i);
    }
  };
  if (len >= n) {
    nleft = 1;
    nright = n;
    for (int i = 1; i <= n; i += newnj) fit_at(i);
  } else if (newnj == 1) {
    const int nsh = (len + 1) / 2;
    nleft = 1;
    nright = len;
    for (int i = 1; i <= n; ++i) {
      if (i > nsh && nright != n) {
        ++nleft;
        ++nright;
      }
      fit_at(i);
    }
  } else {
    const int nsh = (len + 1) / 2;
    for (int i = 1; i <= n; i += newnj) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      fit_at(i);
    }
  }
  if (newnj != 1) {
    // Linear interpolation between the evaluated points.
    for (int i = 1; i <= n - newnj; i += newnj) {
      const double delta = (out(i + newnj) - out(i)) / static_cast<double>(newnj);
      for (int j = i + 1; j <= i + newnj - 1; ++j) {
        out(j) = out(i) + delta * static_cast<double>(j - i);
      }
    }
    const int k = ((n - 1) / newnj) * newnj + 1;
    if (k != n) {
      // The last point is fitted with the last neighbourhood used above.
      fit_at(n);
      if (k != n - 1) {
        const double delta = (out(n) - out(k)) / static_cast<double>(n - k);
        for (int j = k + 1; j <= n - 1; ++j) {
          out(j) = out(k) + delta * static_cast<double>(j - k);
        }
      }
    }
  }
}

}  // namespace foresight::forecasting::loess
