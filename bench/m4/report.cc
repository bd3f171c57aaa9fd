#include "bench/m4/report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

namespace foresight::bench::m4 {
namespace {

// The targets.
constexpr double kMinSpeedup = 20.0;
constexpr double kMaxFullRunSeconds = 30.0;

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// Three significant digits: R's tens of seconds and our milliseconds alike.
std::string Seconds(double s) {
  if (s < 0) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", s);
  return buf;
}

std::string YesNo(bool ok) { return ok ? "met" : "NOT met"; }

// Per-series times to compare: CPU seconds when both sides recorded them
// (fair on a loaded machine, where wall time grows with the load), else wall.
struct TimePair {
  double ours;
  double theirs;
  const char* basis;
};
TimePair Times(const Summary& ours, const Summary& theirs) {
  if (ours.mean_cpu_seconds > 0 && theirs.mean_cpu_seconds > 0) {
    return {ours.mean_cpu_seconds, theirs.mean_cpu_seconds, "CPU"};
  }
  return {ours.mean_wall_seconds, theirs.mean_wall_seconds, "wall"};
}

}  // namespace

std::string FormatTable(const std::vector<TableRow>& rows) {
  std::ostringstream out;
  out << "| method | series | sMAPE | MASE | OWA | wall s/series | CPU s/series | failed |\n"
      << "|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (const TableRow& r : rows) {
    const Summary& s = r.summary;
    out << "| " << r.method << " | " << r.set << " | " << Fixed(s.totals.smape, 3) << " | "
        << Fixed(s.totals.mase, 3) << " | " << Fixed(s.owa, 3) << " | "
        << Seconds(s.mean_wall_seconds) << " | " << Seconds(s.mean_cpu_seconds) << " | "
        << s.failures << " |\n";
  }
  return out.str();
}

std::string FormatComparisons(const std::vector<Comparison>& comparisons) {
  std::ostringstream out;
  out << "| ours | vs | MASE ratio | OWA ratio | time ratio | speed-up | time basis |\n"
      << "|---|---|---:|---:|---:|---:|---|\n";
  for (const Comparison& c : comparisons) {
    const Summary& a = c.ours_summary;
    const Summary& b = c.theirs_summary;
    const TimePair t = Times(a, b);
    const double time_ratio = t.ours / t.theirs;
    out << "| " << c.ours << " | " << c.theirs << " | " << Fixed(a.totals.mase / b.totals.mase, 3)
        << " | " << Fixed(a.owa / b.owa, 3) << " | " << Seconds(time_ratio) << " | "
        << Fixed(1.0 / time_ratio, 1) << "x | " << t.basis << " |\n";
  }
  return out.str();
}

std::string FormatTargets(const TargetInputs& in) {
  std::ostringstream out;
  if (!in.have_auto) return "- `auto` was not among --models: targets not checked\n";
  if (in.have_arima) {
    const Summary& a = in.auto_subset;
    const Summary& r = in.arima_subset;
    const TimePair t = Times(a, r);
    const double speedup = t.theirs / t.ours;
    out << "- MASE <= R auto.arima's (" << Fixed(a.totals.mase, 3) << " vs "
        << Fixed(r.totals.mase, 3) << "): " << YesNo(a.totals.mase <= r.totals.mase) << "\n"
        << "- OWA <= R auto.arima's (" << Fixed(a.owa, 3) << " vs " << Fixed(r.owa, 3)
        << "): " << YesNo(a.owa <= r.owa) << "\n"
        << "- >= " << Fixed(kMinSpeedup, 0) << "x faster per series than auto.arima ("
        << Fixed(speedup, 1) << "x, " << t.basis << " time): " << YesNo(speedup >= kMinSpeedup)
        << "\n";
  } else {
    out << "- accuracy and speed against R auto.arima: no cached R forecasts, not checked\n";
  }
  if (in.full_run_wall_seconds >= 0) {
    out << "- all " << in.full_run_series << " series in < " << Fixed(kMaxFullRunSeconds, 0)
        << " s wall (" << Fixed(in.full_run_wall_seconds, 2)
        << " s): " << YesNo(in.full_run_wall_seconds < kMaxFullRunSeconds) << "\n";
  } else {
    out << "- full-set wall time: not run (--subset)\n";
  }
  return out.str();
}

std::string FormatModelTally(const MethodOutcomes& outcomes, const std::vector<size_t>& indices,
                             int top) {
  std::map<std::string, int> counts;
  for (size_t i : indices) ++counts[outcomes[i].model.empty() ? "?" : outcomes[i].model];
  std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::ostringstream out;
  for (int k = 0; k < static_cast<int>(sorted.size()) && k < top; ++k) {
    out << (k ? ", " : "") << sorted[k].first << " x " << sorted[k].second;
  }
  if (static_cast<int>(sorted.size()) > top) {
    out << ", ... (" << sorted.size() << " distinct)";
  }
  return out.str();
}

}  // namespace foresight::bench::m4
