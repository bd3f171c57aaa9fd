#include "backtest/report_html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

#include "backtest/summary_table.h"

namespace foresight::backtest {
namespace {

constexpr int kWidth = 1100;
constexpr int kHeight = 260;
constexpr int kMargin = 50;
constexpr size_t kMaxPoints = 1500;  // per line: the page stays light on month-long traces

struct Series {
  std::string name;
  std::string color;
  std::vector<std::pair<double, double>> points;  // (unix seconds, value)
  bool step = false;
};

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Keeps at most kMaxPoints per series by taking each bucket's maximum, so
// short peaks (the moments that matter for capacity) stay visible.
std::vector<std::pair<double, double>> Downsample(
    const std::vector<std::pair<double, double>>& in) {
  if (in.size() <= kMaxPoints) return in;
  std::vector<std::pair<double, double>> out;
  const size_t bucket = (in.size() + kMaxPoints - 1) / kMaxPoints;
  for (size_t i = 0; i < in.size(); i += bucket) {
    auto best = in[i];
    for (size_t j = i; j < std::min(in.size(), i + bucket); ++j)
      best.second = std::max(best.second, in[j].second);
    out.push_back(best);
  }
  return out;
}

// Vertical position of value v on a chart whose y axis runs from 0 to ymax.
double ChartY(double v, double ymax) { return kHeight - 30 - v / ymax * (kHeight - 60); }

// A chart's heading, frame, y-axis unit and five y ticks from 0 to ymax; the caller draws the
// rest and closes the </svg>.
void OpenChart(std::ostream& out, const std::string& title, const std::string& y_unit, double ymax,
               const char* tick_format) {
  out << "<h2>" << Escape(title) << "</h2>\n<svg width='" << kWidth << "' height='" << kHeight
      << "' xmlns='http://www.w3.org/2000/svg' font-family='sans-serif' font-size='11'>\n"
      << "<rect x='" << kMargin << "' y='30' width='" << kWidth - 2 * kMargin << "' height='"
      << kHeight - 60 << "' fill='none' stroke='#ccc'/>\n"
      << "<text x='" << kMargin << "' y='20'>" << Escape(y_unit) << "</text>\n";
  char buf[64];
  for (int i = 0; i <= 4; ++i) {
    const double v = ymax * i / 4;
    std::snprintf(buf, sizeof buf, tick_format, v);
    out << "<text x='" << kMargin - 4 << "' y='" << ChartY(v, ymax) + 4 << "' text-anchor='end'>"
        << buf << "</text>\n";
  }
}

void Chart(std::ostream& out, const std::string& title, const std::string& unit, double t0,
           double t1, std::vector<Series> series) {
  double ymax = 0;
  for (Series& s : series) {
    s.points = Downsample(s.points);
    for (const auto& p : s.points) ymax = std::max(ymax, p.second);
  }
  ymax = ymax > 0 ? ymax * 1.05 : 1.0;
  auto x = [&](double t) {
    return kMargin + (t - t0) / std::max(1.0, t1 - t0) * (kWidth - 2 * kMargin);
  };
  auto y = [&](double v) { return ChartY(v, ymax); };
  OpenChart(out, title, unit, ymax, "%.3g");
  char buf[64];
  for (int i = 0; i <= 6; ++i) {
    double t = t0 + (t1 - t0) * i / 6;
    std::snprintf(buf, sizeof buf, "+%.1f h", (t - t0) / 3600);
    out << "<text x='" << x(t) << "' y='" << kHeight - 12 << "' text-anchor='middle'>" << buf
        << "</text>\n";
  }
  int legend_x = kMargin + 120;
  for (const Series& s : series) {
    out << "<polyline fill='none' stroke='" << s.color << "' stroke-width='1.2' points='";
    for (size_t i = 0; i < s.points.size(); ++i) {
      if (s.step && i > 0) out << x(s.points[i].first) << ',' << y(s.points[i - 1].second) << ' ';
      out << x(s.points[i].first) << ',' << y(s.points[i].second) << ' ';
    }
    out << "'/>\n<rect x='" << legend_x << "' y='12' width='12' height='4' fill='" << s.color
        << "'/><text x='" << legend_x + 16 << "' y='18'>" << Escape(s.name) << "</text>\n";
    legend_x += 30 + 7 * static_cast<int>(s.name.size());
  }
  out << "</svg>\n";
}

// Ready capacity (ready pods x capacity) per minute under a decision sequence.
std::vector<std::pair<double, double>> ReadyCapacity(const policies::LoadTrace& trace,
                                                     const PolicyOutcome& o, double capacity,
                                                     int64_t delay) {
  policies::Replay replay = policies::Simulate(trace, o.decisions, delay);
  std::vector<std::pair<double, double>> points;
  for (size_t s = 0; s < replay.ready.size(); s += 60) {
    points.emplace_back(trace.t0 + static_cast<double>(s), replay.ready[s] * capacity);
  }
  return points;
}

// The marginalRisk sweep as curves, one per scale-down window swept: replica-hours across,
// under-provisioned minutes up, one labelled dot per risk (and window, if several), the HPA
// as a red dot. The cheaper and safer, the nearer the origin.
void TradeoffChart(std::ostream& out, const BacktestResult& r) {
  struct Dot {
    double hours, minutes;
    std::string label;
    const char* color;
  };
  static const char* const kCurveColors[] = {"#1a7f37", "#bf8700", "#0969da"};
  const bool several_windows =
      r.sweep.front().scale_down_window != r.sweep.back().scale_down_window;
  std::vector<Dot> dots;  // the sweep in order, then the HPA
  std::vector<size_t> curve_ends;  // one past each window's last dot
  for (size_t i = 0; i < r.sweep.size(); ++i) {
    const SweepPoint& p = r.sweep[i];
    if (i > 0 && p.scale_down_window != r.sweep[i - 1].scale_down_window) {
      curve_ends.push_back(i);
    }
    char label[32];
    std::snprintf(label, sizeof label, "%g", p.marginal_risk);
    std::string text = label;
    if (several_windows) text += "/" + std::to_string(p.scale_down_window.count()) + "s";
    dots.push_back({p.metrics.replica_hours, double(p.metrics.under_provisioned_minutes), text,
                    kCurveColors[curve_ends.size() % std::size(kCurveColors)]});
  }
  curve_ends.push_back(r.sweep.size());
  if (r.hpa) {
    dots.push_back({r.hpa->metrics.replica_hours, double(r.hpa->metrics.under_provisioned_minutes),
                    "HPA", "#cf222e"});
  }
  double xmin = INFINITY, xmax = 0, ymax = 0;
  for (const Dot& d : dots) {
    xmin = std::min(xmin, d.hours);
    xmax = std::max(xmax, d.hours);
    ymax = std::max(ymax, d.minutes);
  }
  const double xspan = std::max(1e-9, xmax - xmin) * 1.1;
  xmin -= xspan * 0.05;
  ymax = ymax > 0 ? ymax * 1.1 : 1.0;
  auto x = [&](double v) { return kMargin + (v - xmin) / xspan * (kWidth - 2 * kMargin); };
  auto y = [&](double v) { return ChartY(v, ymax); };
  OpenChart(out, "Trade-off: marginalRisk sweep (--sweep-risk)", "under-provisioned minutes", ymax,
            "%.0f");
  out << "<text x='" << kWidth - kMargin
      << "' y='20' text-anchor='end'>replica-hours (across)</text>\n";
  char buf[64];
  for (int i = 0; i <= 4; ++i) {
    const double hours = xmin + xspan * i / 4;
    std::snprintf(buf, sizeof buf, "%.0f", hours);
    out << "<text x='" << x(hours) << "' y='" << kHeight - 12 << "' text-anchor='middle'>" << buf
        << "</text>\n";
  }
  size_t begin = 0;
  for (size_t end : curve_ends) {
    out << "<polyline fill='none' stroke='" << dots[begin].color << "' points='";
    for (size_t i = begin; i < end; ++i)
      out << x(dots[i].hours) << ',' << y(dots[i].minutes) << ' ';
    out << "'/>\n";
    begin = end;
  }
  for (const Dot& d : dots) {
    out << "<circle cx='" << x(d.hours) << "' cy='" << y(d.minutes) << "' r='3' fill='" << d.color
        << "'/><text x='" << x(d.hours) + 5 << "' y='" << y(d.minutes) - 5 << "'>"
        << Escape(d.label) << "</text>\n";
  }
  out << "</svg>\n";
}

}  // namespace

void WriteHtmlReport(std::ostream& out, const std::string& title, const policies::LoadTrace& trace,
                     const BacktestResult& r) {
  const double t0 = trace.t0, t1 = trace.t0 + static_cast<double>(trace.horizon_seconds());
  std::vector<std::pair<double, double>> load;
  for (size_t i = 0; i < trace.values.size(); ++i) {
    load.emplace_back(t0 + static_cast<double>(i) * trace.step_seconds, trace.values[i]);
  }
  out << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>" << Escape(title)
      << "</title>\n<style>body{font-family:sans-serif;margin:24px;max-width:1150px}"
         "pre{background:#f6f6f6;padding:12px}</style></head><body>\n<h1>"
      << Escape(title) << "</h1>\n<pre>" << Escape(SummaryTable(r)) << "</pre>\n";

  std::vector<Series> capacity{{"load", "#444", load, true}};
  if (r.foresight) {
    capacity.push_back({"foresight ready capacity", "#1a7f37",
                        ReadyCapacity(trace, *r.foresight, r.capacity, r.startup_delay_seconds),
                        true});
  }
  if (r.hpa) {
    capacity.push_back({"hpa ready capacity", "#cf222e",
                        ReadyCapacity(trace, *r.hpa, r.capacity, r.startup_delay_seconds), true});
  }
  Chart(out, "Load and ready capacity", "requests/s", t0, t1, capacity);

  if (!r.forecasts.empty()) {
    Series mean{"forecast (made lead time earlier)", "#0969da", {}, false};
    Series upper{"upper 80% bound", "#8cb4e8", {}, false};
    Series lower{"lower 80% bound", "#8cb4e8", {}, false};
    for (const ForecastTrace& f : r.forecasts) {
      mean.points.emplace_back(f.at_lead.time, f.at_lead.mean);
      upper.points.emplace_back(f.at_lead.time, f.at_lead.upper);
      lower.points.emplace_back(f.at_lead.time, f.at_lead.lower);
    }
    Chart(out, "Forecast at the lead time against the load that came", "requests/s", t0, t1,
          {{"load", "#444", load, true}, upper, mean, lower});
  }

  std::vector<Series> replicas;
  auto decision_points = [&](const PolicyOutcome& o) {
    std::vector<std::pair<double, double>> pts;
    for (const policies::RequestRow& row : o.decisions) pts.emplace_back(row.time, row.replicas);
    if (!pts.empty()) pts.emplace_back(t1, pts.back().second);
    return pts;
  };
  if (r.foresight)
    replicas.push_back({"foresight requested", "#1a7f37", decision_points(*r.foresight), true});
  if (r.hpa) replicas.push_back({"hpa requested", "#cf222e", decision_points(*r.hpa), true});
  Chart(out, "Replicas requested", "replicas", t0, t1, replicas);
  if (!r.risk_choices.empty()) {
    // Each choice holds until the next (forecast.riskTuning); before the first, marginalRisk.
    std::vector<std::pair<double, double>> risk;
    for (const auto& c : r.risk_choices) risk.emplace_back(c.time, c.choice.risk);
    risk.emplace_back(t1, risk.back().second);
    Chart(out, "marginalRisk chosen by risk tuning", "marginalRisk", t0, t1,
          {{"marginalRisk in force", "#8250df", risk, true}});
    if (r.scale_down_window_tuned) {
      // Only when the config leaves behavior.scaleDown.stabilizationWindowSeconds unset.
      std::vector<std::pair<double, double>> window;
      for (const auto& c : r.risk_choices) {
        window.emplace_back(c.time, static_cast<double>(c.choice.scale_down_window.count()));
      }
      window.emplace_back(t1, window.back().second);
      Chart(out, "Scale-down stabilization window chosen by risk tuning", "seconds", t0, t1,
            {{"window in force", "#bf8700", window, true}});
    }
  }
  if (!r.sweep.empty()) TradeoffChart(out, r);
  out << "<p>Pod model: a scale-up is ready after the start-up delay, a scale-down takes effect at "
         "once "
         "(as shared/data/traces/score.py defines it). Charts show each bucket's "
         "maximum.</p>\n</body></html>\n";
}

}  // namespace foresight::backtest
