// Port of R's stats/src/stl.f (subroutines stl, stlstp, stlss, stlfts, stlma,
// stlrwt) around the loess kernels of loess.cc. Index arithmetic follows the
// Fortran so that results agree with R to rounding.
#include "forecasting/stl.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "forecasting/loess.h"

namespace foresight::forecasting {
namespace {

// R's nextodd(): round, then bump even values up by one.
int NextOdd(double x) {
  int r = static_cast<int>(std::lround(x));
  return r % 2 == 0 ? r + 1 : r;
}

// Windows below 3 become 3 and even windows the next odd (stl.f).
int FixWindow(int w) {
  w = std::max(3, w);
  return w % 2 == 0 ? w + 1 : w;
}

// ave[j] = mean(x[j .. j+len-1]) for j = 0 .. n-len (stlma).
void MovingAverage(const double* x, int n, int len, double* ave) {
  const int newn = n - len + 1;
  const double flen = len;
  double v = 0.0;
  for (int i = 0; i < len; ++i) v += x[i];
  ave[0] = v / flen;
  for (int j = 1; j < newn; ++j) {
    v = v - x[j - 1] + x[len + j - 1];
    ave[j] = v / flen;
  }
}

// Low-pass filter of the n + 2 np cycle-subseries smooth (stlfts): moving
// averages of lengths np, np and 3, giving n values.
void LowPass(const double* x, int n_ext, int np, double* out, double* work) {
  MovingAverage(x, n_ext, np, out);
  MovingAverage(out, n_ext - np + 1, np, work);
  MovingAverage(work, n_ext - 2 * np + 2, 3, out);
}

struct Workspace {
  explicit Workspace(int n, int np)
      : w1(n + 2 * np), w2(n + 2 * np), w3(n + 2 * np), w4(n + 2 * np), w5(n + 2 * np) {}
  std::vector<double> w1, w2, w3, w4, w5;
};

// Cycle-subseries smoothing (stlss): each of the np subseries is smoothed by
// loess and extended one cycle back and one forward, into season[n + 2 np].
void SmoothSubseries(const double* y, int n, int np, int ns, int isdeg, int nsjump,
                     const double* rw, double* season, double* work1, double* work2,
                     double* work3, double* work4) {
  for (int j = 1; j <= np; ++j) {
    const int k = (n - j) / np + 1;
    for (int i = 1; i <= k; ++i) work1[i - 1] = y[(i - 1) * np + j - 1];
    const double* sub_rw = nullptr;
    if (rw != nullptr) {
      for (int i = 1; i <= k; ++i) work3[i - 1] = rw[(i - 1) * np + j - 1];
      sub_rw = work3;
    }
    loess::Smooth(work1, k, ns, isdeg, nsjump, sub_rw, work2 + 1, work4);
    const int nright = std::min(ns, k);
    if (!loess::Estimate(work1, k, ns, isdeg, 0.0, 1, nright, work4, sub_rw, &work2[0])) {
      work2[0] = work2[1];
    }
    const int nleft = std::max(1, k - ns + 1);
    if (!loess::Estimate(work1, k, ns, isdeg, static_cast<double>(k + 1), nleft, k, work4,
                         sub_rw, &work2[k + 1])) {
      work2[k + 1] = work2[k];
    }
    for (int m = 1; m <= k + 2; ++m) season[(m - 1) * np + j - 1] = work2[m - 1];
  }
}

// Partial sort of a[1..n] placing the order statistics ind[1..ni] (R's
// psort in stl.f, ported with its control flow). R calls it with the two
// middle ranks in descending order for even n, for which the routine does not
// guarantee both order statistics; porting it keeps the robustness weights,
// and so robust fits, identical to R's.
void Psort(double* a, int n, const int* ind, int ni) {
  // 1-based views, as the Fortran.
  auto A = [a](int idx) -> double& { return a[idx - 1]; };
  auto IND = [ind](int idx) { return ind[idx - 1]; };
  if (n < 2 || ni == 0) return;
  // R sizes these 16, enough for n < 2^16; 64 covers any int n (the
  // segment continued is the smaller one, so the depth is <= log2 n).
  int indu[64], indl[64], iu[64], il[64];
  int p, jl, ju, i, j, m, k, ij, l;
  double t, tt;
  jl = 1;
  ju = ni;
  indl[1] = 1;
  indu[1] = ni;
  i = 1;
  j = n;
  m = 1;
L161:
  if (i < j) goto L10;
L166:
  m = m - 1;
  if (m == 0) return;
  i = il[m];
  j = iu[m];
  jl = indl[m];
  ju = indu[m];
  if (!(jl <= ju)) goto L166;
L173:
  if (!(j - i > 10)) goto L174;
L10:
  k = i;
  ij = (i + j) / 2;
  t = A(ij);
  if (A(i) > t) {
    A(ij) = A(i);
    A(i) = t;
    t = A(ij);
  }
  l = j;
  if (A(j) < t) {
    A(ij) = A(j);
    A(j) = t;
    t = A(ij);
    if (A(i) > t) {
      A(ij) = A(i);
      A(i) = t;
      t = A(ij);
    }
  }
L181:
  l = l - 1;
  if (A(l) <= t) {
    tt = A(l);
  L186:
    k = k + 1;
    if (!(A(k) >= t)) goto L186;
    if (k > l) goto L183;
    A(l) = A(k);
    A(k) = tt;
  }
  goto L181;
L183:
  indl[m] = jl;
  indu[m] = ju;
  p = m;
  m = m + 1;
  if (l - i <= j - k) {
    il[p] = k;
    iu[p] = j;
    j = l;
  L193:
    if (jl > ju) goto L166;
    if (IND(ju) > j) {
      ju = ju - 1;
      goto L193;
    }
    indl[p] = ju + 1;
  } else {
    il[p] = i;
    iu[p] = l;
    i = k;
  L200:
    if (jl > ju) goto L166;
    if (IND(jl) < i) {
      jl = jl + 1;
      goto L200;
    }
    indu[p] = jl - 1;
  }
  goto L173;
L174:
  if (i != 1) {
    i = i - 1;
  L209:
    i = i + 1;
    if (i == j) goto L166;
    t = A(i + 1);
    if (A(i) > t) {
      k = i;
    L216:
      A(k + 1) = A(k);
      k = k - 1;
      if (!(t >= A(k))) goto L216;
      A(k + 1) = t;
    }
    goto L209;
  }
  goto L161;
}

// Bisquare robustness weights from |y - fit| scaled by 6 * median (stlrwt).
void RobustnessWeights(const std::vector<double>& y, const std::vector<double>& fit,
                       std::vector<double>& rw) {
  const int n = static_cast<int>(y.size());
  for (int i = 0; i < n; ++i) rw[i] = std::fabs(y[i] - fit[i]);
  const int mid[2] = {n / 2 + 1, n - (n / 2 + 1) + 1};  // 1-based, as stl.f
  Psort(rw.data(), n, mid, 2);
  const double cmad = 3.0 * (rw[mid[0] - 1] + rw[mid[1] - 1]);  // 6 * median
  const double c9 = 0.999 * cmad;
  const double c1 = 0.001 * cmad;
  for (int i = 0; i < n; ++i) {
    const double r = std::fabs(y[i] - fit[i]);
    if (r <= c1) {
      rw[i] = 1.0;
    } else if (r <= c9) {
      const double u = r / cmad;
      rw[i] = (1.0 - u * u) * (1.0 - u * u);  // (1 - (r/cmad)^2)^2
    } else {
      rw[i] = 0.0;
    }
  }
}

struct Params {
  int np, ns, nt, nl, isdeg, itdeg, ildeg, nsjump, ntjump, nljump, ni, no;
};

// One pass of the inner loop (stlstp), `ni` times.
void InnerLoop(const std::vector<double>& y, const Params& p, const double* rw,
               std::vector<double>& season, std::vector<double>& trend, Workspace& ws) {
  const int n = static_cast<int>(y.size());
  const int np = p.np;
  for (int iter = 0; iter < p.ni; ++iter) {
    // Detrend, then smooth each cycle-subseries: C = smooth(y - T), n + 2np long.
    for (int i = 0; i < n; ++i) ws.w1[i] = y[i] - trend[i];
    SmoothSubseries(ws.w1.data(), n, np, p.ns, p.isdeg, p.nsjump, rw, ws.w2.data(),
                    ws.w3.data(), ws.w4.data(), ws.w5.data(), season.data());
    // L = loess(low-pass(C)); S = C - L removes what leaked into the trend.
    LowPass(ws.w2.data(), n + 2 * np, np, ws.w3.data(), ws.w1.data());
    loess::Smooth(ws.w3.data(), n, p.nl, p.ildeg, p.nljump, nullptr, ws.w1.data(),
                  ws.w5.data());
    for (int i = 0; i < n; ++i) season[i] = ws.w2[np + i] - ws.w1[i];
    // T = loess(y - S).
    for (int i = 0; i < n; ++i) ws.w1[i] = y[i] - season[i];
    loess::Smooth(ws.w1.data(), n, p.nt, p.itdeg, p.ntjump, rw, trend.data(), ws.w3.data());
  }
}

}  // namespace

Result<StlDecomposition> Stl(const std::vector<double>& y, int period,
                             const StlOptions& options) {
  const int n = static_cast<int>(y.size());
  if (period < 2 || n <= 2 * period) {
    return Error{"stl: series is not periodic or has less than two periods (n=" +
                 std::to_string(n) + ", period=" + std::to_string(period) + ")"};
  }
  for (double v : y) {
    if (!std::isfinite(v)) return Error{"stl: non-finite value in series"};
  }
  const int l_degree = options.l_degree < 0 ? options.t_degree : options.l_degree;
  for (int d : {options.s_degree, options.t_degree, l_degree}) {
    if (d != 0 && d != 1) return Error{"stl: degrees must be 0 or 1"};
  }
  if (options.s_window < 0 || options.t_window < 0 || options.l_window < 0 ||
      options.s_jump < 0 || options.t_jump < 0 || options.l_jump < 0) {
    return Error{"stl: windows and jumps must be non-negative"};
  }
  if (!options.periodic && options.s_window == 0) return Error{"stl: s_window required"};

  // Defaults are evaluated in the order of R's lazy arguments: the periodic
  // case widens s.window first, and the trend window and jumps follow from it.
  int s_window = options.s_window;
  int s_degree = options.s_degree;
  if (options.periodic) {
    s_window = 10 * n + 1;
    s_degree = 0;
  }
  const int t_window =
      options.t_window > 0
          ? options.t_window
          : NextOdd(std::ceil(1.5 * period / (1.0 - 1.5 / static_cast<double>(s_window))));
  const int l_window = options.l_window > 0 ? options.l_window : NextOdd(period);
  auto jump = [](int given, int window) {
    return given > 0 ? given : static_cast<int>(std::ceil(window / 10.0));
  };
  Params p;
  p.np = std::max(2, period);
  p.ns = FixWindow(s_window);
  p.nt = FixWindow(t_window);
  p.nl = FixWindow(l_window);
  p.isdeg = s_degree;
  p.itdeg = options.t_degree;
  p.ildeg = l_degree;
  p.nsjump = jump(options.s_jump, s_window);
  p.ntjump = jump(options.t_jump, t_window);
  p.nljump = jump(options.l_jump, l_window);
  p.ni = options.inner >= 0 ? options.inner : (options.robust ? 1 : 2);
  p.no = options.outer >= 0 ? options.outer : (options.robust ? 15 : 0);

  StlDecomposition out;
  out.trend.assign(n, 0.0);
  out.weights.assign(n, 1.0);
  std::vector<double> season(n + 2 * p.np, 0.0);
  Workspace ws(n, p.np);
  const double* rw = nullptr;
  for (int k = 0;; ++k) {
    InnerLoop(y, p, rw, season, out.trend, ws);
    if (k + 1 > p.no) break;
    std::vector<double> fit(n);
    for (int i = 0; i < n; ++i) fit[i] = out.trend[i] + season[i];
    RobustnessWeights(y, fit, out.weights);
    rw = out.weights.data();
  }
  if (p.no <= 0) std::fill(out.weights.begin(), out.weights.end(), 1.0);

  season.resize(n);
  if (options.periodic) {
    // Make the seasonal exactly periodic: mean of each cycle position.
    std::vector<double> sum(period, 0.0);
    std::vector<int> count(period, 0);
    for (int i = 0; i < n; ++i) {
      sum[i % period] += season[i];
      ++count[i % period];
    }
    for (int i = 0; i < n; ++i) season[i] = sum[i % period] / count[i % period];
  }
  out.remainder.resize(n);
  for (int i = 0; i < n; ++i) out.remainder[i] = y[i] - season[i] - out.trend[i];
  out.seasonal = std::move(season);
  return out;
}

}  // namespace foresight::forecasting
