#include "backtest/summary_table.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <vector>

namespace foresight::backtest {
namespace {

std::string Format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string Row(const std::string& label, const std::vector<std::string>& cells) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%-28s", label.c_str());
  std::string line = buf;
  for (const std::string& c : cells) {
    std::snprintf(buf, sizeof buf, "%16s", c.c_str());
    line += buf;
  }
  return line + "\n";
}

}  // namespace

std::string SummaryTable(const BacktestResult& r) {
  std::vector<std::string> header;
  std::vector<const PolicyOutcome*> outcomes;
  if (r.foresight) {
    header.push_back("foresight");
    outcomes.push_back(&*r.foresight);
  }
  if (r.hpa) {
    header.push_back("hpa");
    outcomes.push_back(&*r.hpa);
  }
  header.push_back("oracle");
  auto metric_row = [&](const std::string& label, auto get, const char* fmt,
                        const std::string& oracle) {
    std::vector<std::string> cells;
    for (const PolicyOutcome* o : outcomes) cells.push_back(Format(fmt, get(o->metrics)));
    cells.push_back(oracle);
    return Row(label, cells);
  };
  const policies::Metrics& any = outcomes.empty() ? policies::Metrics{} : outcomes.front()->metrics;
  std::string out;
  out += "capacity " + Format("%g", r.capacity) + " load/replica, start-up delay " +
         std::to_string(r.startup_delay_seconds) + " s, metric delay " +
         std::to_string(r.metric_delay_seconds) + " s, lead time " +
         Format("%g", r.lead_time_seconds) + " s, " + Format("%.1f", any.horizon_hours) +
         " h replayed\n\n";
  out += Row("", header);
  out += metric_row(
      "under-provisioned minutes",
      [](const policies::Metrics& m) { return double(m.under_provisioned_minutes); }, "%.0f", "0");
  out += metric_row(
      "unserved load fraction", [](const policies::Metrics& m) { return m.unserved_fraction; },
      "%.5f", "0");
  out += metric_row(
      "replica-hours", [](const policies::Metrics& m) { return m.replica_hours; }, "%.1f",
      Format("%.1f", any.oracle_replica_hours));
  out += metric_row(
      "replica-hours / oracle", [](const policies::Metrics& m) { return m.overprov_ratio; }, "%.3f",
      "1.000");
  out += metric_row(
      "scaling actions", [](const policies::Metrics& m) { return double(m.actions); }, "%.0f", "-");
  out += metric_row(
      "peak replicas", [](const policies::Metrics& m) { return double(m.peak_requested); }, "%.0f",
      "-");
  if (r.foresight && r.hpa) {
    const policies::Metrics& f = r.foresight->metrics;
    const policies::Metrics& h = r.hpa->metrics;
    out += "\nforesight / hpa: under-provisioned minutes " +
           (h.under_provisioned_minutes > 0
                ? Format("%.3f",
                         double(f.under_provisioned_minutes) / double(h.under_provisioned_minutes))
                : std::string("n/a (hpa has none)")) +
           ", replica-hours " + Format("%.3f", f.replica_hours / h.replica_hours) + "\n";
  }
  if (r.oracle_level) {
    out += "\nforecast: the level oracle (--oracle-level): the trace's own load averaged over +-" +
           std::to_string(r.oracle_level->count()) + " s around each point, spread " +
           Format("%.4g", r.oracle_spread) + " (" + Format("%.2f", r.oracle_spread / r.capacity) +
           " replicas)\n";
  } else if (r.foresight) {
    out += "\nforecast at the lead time: " + std::to_string(r.accuracy.scored) +
           " forecasts scored, MAPE " + Format("%.1f%%", 100 * r.accuracy.mape) + ", MASE " +
           Format("%.3f", r.accuracy.mase) + " (vs. the load-stays-as-now forecast)\n";
    out += "models fitted " + std::to_string(r.fits) + " times:";
    for (const std::string& m : r.models) out += " " + m;
    out += "\n";
  }
  if (r.foresight) {
    out += "decisions by reason:";
    for (const auto& [reason, count] : r.reasons)
      out += " " + std::string(policies::ReasonName(reason)) + "=" + std::to_string(count);
    out += "\n";
  }
  if (r.foresight) out += RiskTuningLine(r);
  if (!r.sweep.empty()) out += SweepTable(r);
  return out;
}

std::string RiskTuningLine(const BacktestResult& r) {
  if (r.risk_choices.empty()) return "";
  std::vector<double> risks;
  std::map<int64_t, int, std::greater<>> windows;  // scale-down window -> times chosen
  int met = 0;
  for (const auto& c : r.risk_choices) {
    risks.push_back(c.choice.risk);
    ++windows[c.choice.scale_down_window.count()];
    met += c.choice.met ? 1 : 0;
  }
  std::sort(risks.begin(), risks.end());
  const std::string times = risks.size() == 1 ? "once" : std::to_string(risks.size()) + " times";
  std::string chosen_windows;
  if (r.scale_down_window_tuned) {
    for (const auto& [seconds, count] : windows) {
      chosen_windows += (chosen_windows.empty() ? "; scale-down window " : ", ") +
                        std::to_string(seconds) + "s " + std::to_string(count) + "x";
    }
  }
  return "marginalRisk tuned " + times + " (" + std::to_string(met) + " met the goal): from " +
         Format("%g", risks.front()) + " to " + Format("%g", risks.back()) + ", median " +
         Format("%g", risks[risks.size() / 2]) + chosen_windows +
         "; last: " + r.risk_choices.back().choice.message + "\n";
}

std::string SweepTable(const BacktestResult& r) {
  std::string out =
      "\nmarginalRisk sweep (the same forecasts, replayed at each value; x hpa = ratio to the "
      "HPA):\n";
  out += Row("marginalRisk",
             {"under-prov. min", "x hpa", "replica-hours", "x hpa", "actions", "scale-down win."});
  for (const SweepPoint& p : r.sweep) {
    const policies::Metrics& m = p.metrics;
    std::string under_ratio = "-", hours_ratio = "-";
    if (r.hpa && r.hpa->metrics.under_provisioned_minutes > 0) {
      under_ratio = Format("%.3f", double(m.under_provisioned_minutes) /
                                       double(r.hpa->metrics.under_provisioned_minutes));
    }
    if (r.hpa && r.hpa->metrics.replica_hours > 0) {
      hours_ratio = Format("%.3f", m.replica_hours / r.hpa->metrics.replica_hours);
    }
    out += Row(Format("%g", p.marginal_risk),
               {Format("%.0f", double(m.under_provisioned_minutes)), under_ratio,
                Format("%.1f", m.replica_hours), hours_ratio, Format("%.0f", double(m.actions)),
                std::to_string(p.scale_down_window.count()) + "s"});
  }
  return out;
}

}  // namespace foresight::backtest
