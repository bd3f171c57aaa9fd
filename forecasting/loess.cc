#include "forecasting/loess.h"

#include <algorithm>
#include <cmath>

namespace foresight::forecasting::loess {

bool Estimate(const double* y, int n, int len, int degree, double xs, int nleft,
              int nright, double* weights, const double* robustness, double* ys) {
  // 1-based views, as in stl.f.
  auto w = [weights](int j) -> double& { return weights[j - 1]; };
  auto yy = [y](int j) { return y[j - 1]; };
  const double range = static_cast<double>(n) - 1.0;
  // h: distance to the farther end of the neighbourhood, widened when the
  // window is longer than the series.
  double h = std::max(xs - static_cast<double>(nleft), static_cast<double>(nright) - xs);
  if (len > n) h += static_cast<double>((len - n) / 2);
  const double h9 = 0.999 * h;
  const double h1 = 0.001 * h;
  double a = 0.0;
  for (int j = nleft; j <= nright; ++j) {
    w(j) = 0.0;
    const double r = std::fabs(static_cast<double>(j) - xs);
    if (r <= h9) {
      if (r <= h1) {
        w(j) = 1.0;
      } else {
        const double u = r / h;
        const double t = 1.0 - u * u * u;
        w(j) = t * t * t;  // tricube: (1 - (r/h)^3)^3
      }
      if (robustness != nullptr) w(j) *= robustness[j - 1];
      a += w(j);
    }
  }
  if (a <= 0.0) return false;
  // The loops below fuse passes of stl.f without changing the operations done
  // on each element, so results stay bit-identical to R's.
  if (h > 0.0 && degree > 0) {
    // Local linear fit written as re-weighting: w[j] *= 1 + b (j - mean).
    const double total = a;
    a = 0.0;
    for (int j = nleft; j <= nright; ++j) {
      w(j) /= total;
      a += w(j) * static_cast<double>(j);
    }
    double b = xs - a;
    double c = 0.0;
    for (int j = nleft; j <= nright; ++j) {
      const double d = static_cast<double>(j) - a;
      c += w(j) * (d * d);  // w * (j - a)**2
    }
    double sum = 0.0;
    if (std::sqrt(c) > 0.001 * range) {
      b /= c;
      for (int j = nleft; j <= nright; ++j) {
        sum += w(j) * (b * (static_cast<double>(j) - a) + 1.0) * yy(j);
      }
    } else {
      for (int j = nleft; j <= nright; ++j) sum += w(j) * yy(j);
    }
    *ys = sum;
    return true;
  }
  double sum = 0.0;
  for (int j = nleft; j <= nright; ++j) sum += (w(j) / a) * yy(j);
  *ys = sum;
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
  auto fit_at = [&](int i) {
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
