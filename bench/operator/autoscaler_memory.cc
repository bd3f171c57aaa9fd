// autoscaler_memory: the heap one PredictiveAutoscaler holds in the operator once risk
// tuning's record is full, which bench/operator/run's runs of minutes never reach (the
// record fills over riskTuning.window, 48 h by default).
//
// For each trace of bench/traces, with its config there (the minimal manifest), runs the
// operator's controller for one autoscaler through --hours of decisions on a fake clock
// (decisions_on_trace.h) twice: with the manifest as it is (risk tuning on) and with
// spec.forecast.riskTuning.enabled false; the difference is risk tuning's record. Prints what
// was run, on which data, and the figures. Details: bench/operator/README.md.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "backtest/trace_csv.h"
#include "backtest/trace_resolution.h"
#include "bench/operator/decisions_on_trace.h"
#include "bench/operator/heap_in_use.h"
#include "operator/autoscaler_spec.h"
#include "operator/duration.h"
#include "operator/kube_time.h"
#include "operator/manifest_yaml.h"
#include "policies/risk_tuner.h"

namespace foresight::bench {
namespace {

using nlohmann::json;

// bench/traces' traces: the file in the shared traces folder; the config is
// bench/traces/configs/NAME.yaml.
struct TraceFile {
  std::string name, file;
};
const std::vector<TraceFile> kTraces = {{"nasa", "nasa_http_jul1995_1min.csv"},
                                        {"worldcup", "worldcup98_may1998_1min.csv"},
                                        {"amzn", "twitter_mentions_amzn_2015_5min.csv"}};

// One trace's autoscaler, ready to run.
struct Bench {
  std::string name;
  json manifest;  // the PredictiveAutoscaler object, metadata included
  op::AutoscalerSpec spec;
  policies::LoadTrace trace;
  std::string note;  // when the resolution was taken from the trace
  std::string error;
};

Bench LoadBench(const TraceFile& t, const std::string& traces_dir) {
  Bench b;
  b.name = t.name;
  const std::string trace_path = traces_dir + "/" + t.file;
  std::ifstream trace_file(trace_path);
  if (!trace_file) {
    b.error = "cannot read " + trace_path + " (set --traces to the folder holding " + t.file + ")";
    return b;
  }
  backtest::TraceCsvResult trace = backtest::ReadTraceCsv(trace_file);
  if (!trace.error.empty()) {
    b.error = trace_path + ": " + trace.error;
    return b;
  }
  b.trace = std::move(trace.trace);
  const std::string config =
      std::string(FORESIGHT_SOURCE_DIR) + "/bench/traces/configs/" + t.name + ".yaml";
  auto docs = op::ReadYamlFile(config);
  if (!docs.ok()) {
    b.error = docs.error();
    return b;
  }
  for (const json& d : *docs) {
    if (d.is_object() && d.value("kind", "") == "PredictiveAutoscaler") b.manifest = d;
  }
  if (b.manifest.is_null()) {
    b.error = config + ": no document of kind PredictiveAutoscaler";
    return b;
  }
  op::ParsedSpec parsed = op::ParseAutoscalerSpec(b.manifest.value("spec", json()));
  if (!parsed.errors.empty()) {
    b.error = config + ": " + parsed.ErrorSummary();
    return b;
  }
  // As `foresight backtest`: a trace coarser than the resolution the manifest leaves unset is
  // forecast at the trace's step.
  b.note = backtest::ResolutionFromTrace(b.manifest["spec"], b.trace, parsed.spec);
  if (!b.note.empty()) {
    b.manifest["spec"]["forecast"]["resolution"] =
        std::to_string(parsed.spec.forecast.resolution.count()) + "s";
  }
  b.spec = parsed.spec;
  if (!policies::TunesRisk(b.spec.policy)) {
    b.error = config +
              ": risk tuning is off in this manifest (it needs forecast.sizing Marginal and "
              "forecast.riskTuning.enabled true), so there is no record to measure";
    return b;
  }
  b.manifest["metadata"]["uid"] = "autoscaler-memory-" + t.name;
  b.manifest["metadata"]["generation"] = 1;
  return b;
}

// The decisions start once the trace holds a whole history before them.
op::Timestamp FirstDecision(const Bench& b) {
  return op::Timestamp(std::chrono::seconds(std::llround(b.trace.t0))) + b.spec.forecast.history;
}

std::string MiB(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

std::string Row(const std::string& name, const std::string& tuning, const DecisionRun& r) {
  char cpu[32];
  std::snprintf(cpu, sizeof cpu, "%.1f", r.cpu_seconds);
  return "| " + name + " | " + tuning + " | " + std::to_string(r.decisions) + " | " +
         std::to_string(r.fits) + " | " + MiB(r.held_early) + " | " + MiB(r.held_end) + " | " +
         MiB(r.freed_with_controller) + " | " + cpu + " |";
}

int Run(int argc, char** argv) {
  std::string traces_dir = std::string(FORESIGHT_SHARED_DIR) + "/data/traces";
  double hours = 50;
  std::vector<std::string> names;
  CLI::App app{
      "The heap one PredictiveAutoscaler holds in the operator once risk tuning's record is\n"
      "full: for each trace of bench/traces with its config there, the controller runs one\n"
      "autoscaler through --hours of decisions on a fake clock, with risk tuning on and off\n"
      "(bench/operator/README.md)."};
  app.add_option("--traces", traces_dir, "folder with the traces")->capture_default_str();
  app.add_option("--hours", hours, "hours of decisions after the manifest's history")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("names", names, "traces to run: nasa, worldcup, amzn (default: all three)")
      ->check(CLI::IsMember({"nasa", "worldcup", "amzn"}));
  CLI11_PARSE(app, argc, argv);
  if (names.empty()) {
    for (const TraceFile& t : kTraces) names.push_back(t.name);
  }

  std::vector<Bench> benches;
  DecisionRunOptions options;
  options.duration = std::chrono::seconds(std::llround(hours * 3600));
  for (const std::string& name : names) {
    for (const TraceFile& t : kTraces) {
      if (t.name != name) continue;
      Bench b = LoadBench(t, traces_dir);
      if (b.error.empty()) {
        const auto trace_end = op::Timestamp(std::chrono::seconds(std::llround(b.trace.t0))) +
                               std::chrono::seconds(b.trace.horizon_seconds());
        if (FirstDecision(b) + options.duration > trace_end) {
          b.error = "--hours " + std::to_string(hours) + ": trace " + name +
                    " ends before that many hours after its first " +
                    op::FormatDuration(b.spec.forecast.history) +
                    " (the manifest's history); choose fewer hours";
        }
      }
      if (!b.error.empty()) {
        std::cerr << "autoscaler_memory: " << b.error << "\n";
        return 2;
      }
      benches.push_back(std::move(b));
    }
  }

  // What the process sets up once (static tables, the first use of a library) is not the
  // autoscaler's: a short run first, not reported.
  {
    DecisionRunOptions warm_up;
    warm_up.duration = std::chrono::hours(1);
    RunDecisions(benches.front().manifest, benches.front().trace, FirstDecision(benches.front()),
                 warm_up);
  }
  struct Measured {
    DecisionRun on, off;
  };
  std::vector<Measured> measured;
  for (const Bench& b : benches) {
    json off = b.manifest;
    off["spec"]["forecast"]["riskTuning"]["enabled"] = false;
    Measured m{RunDecisions(b.manifest, b.trace, FirstDecision(b), options),
               RunDecisions(off, b.trace, FirstDecision(b), options)};
    for (const DecisionRun* r : {&m.on, &m.off}) {
      if (!r->stopped.empty()) {
        std::cerr << "autoscaler_memory: the " << b.name << " run stopped early: " << r->stopped
                  << "\n";
        return 1;
      }
    }
    measured.push_back(std::move(m));
  }

  const std::string early = op::FormatDuration(options.early);
  const std::string duration = op::FormatDuration(options.duration);
  std::cout << "One autoscaler at a time in the operator's controller, " << duration
            << " of decisions on a fake clock (fake API server and Prometheus, operator/testing),\n"
            << "every reconcile asking for the next at the interval it returns; the metric at t is "
               "the trace's load of the last step ended by t\n"
            << "manifests: bench/traces/configs/NAME.yaml; traces: " << traces_dir << "\n"
            << "heap: glibc mallinfo2() uordblks + hblkhd (bytes in allocated chunks, every arena "
               "and mmapped block; glibc's per-thread cache off),\n"
            << "beyond what was held before the controller was built\n\n";
  for (size_t i = 0; i < benches.size(); ++i) {
    const Bench& b = benches[i];
    const policies::RiskTuning& tuning = b.spec.policy.forecast.risk_tuning;
    std::cout << b.name << ": decisions from " << op::FormatKubeTime(FirstDecision(b)) << " to "
              << op::FormatKubeTime(FirstDecision(b) + options.duration) << " (decisionInterval "
              << op::FormatDuration(b.spec.decision_interval) << ", history "
              << op::FormatDuration(b.spec.forecast.history) << " at "
              << op::FormatDuration(b.spec.forecast.resolution) << ", refit every "
              << op::FormatDuration(b.spec.forecast.refit_interval) << ", riskTuning window "
              << op::FormatDuration(tuning.window) << " every "
              << op::FormatDuration(tuning.interval) << ")\n";
    if (!b.note.empty()) std::cout << "  " << b.note << "\n";
  }
  std::cout << "\n| trace | riskTuning | decisions | fits | heap held after " << early
            << ", MiB | after " << duration
            << ", MiB | freed with the controller at the end, MiB | CPU s |\n"
            << "|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (size_t i = 0; i < benches.size(); ++i) {
    std::cout << Row(benches[i].name, "on", measured[i].on) << "\n"
              << Row(benches[i].name, "off", measured[i].off) << "\n";
  }
  std::cout << "\n";
  for (size_t i = 0; i < benches.size(); ++i) {
    const Bench& b = benches[i];
    const Measured& m = measured[i];
    const policies::RiskTuning& tuning = b.spec.policy.forecast.risk_tuning;
    const std::chrono::seconds recorded_over = std::min(tuning.window, options.duration);
    const int64_t forecasts = recorded_over / b.spec.decision_interval + 1;
    const int64_t record = m.on.freed_with_controller - m.off.freed_with_controller;
    std::cout << b.name << ": risk tuning's record (freed with the controller, on minus off) "
              << MiB(record) << " MiB for " << forecasts << " forecasts ("
              << op::FormatDuration(recorded_over) << " / "
              << op::FormatDuration(b.spec.decision_interval) << " + 1), about "
              << record / forecasts << " bytes each; growth from " << early << " to " << duration
              << ": " << MiB(m.on.held_end - m.on.held_early) << " MiB with risk tuning, "
              << MiB(m.off.held_end - m.off.held_early) << " MiB without\n";
    for (const std::string& e : m.on.risk_tuned) std::cout << "  risk tuning chose: " << e << "\n";
    if (options.duration < tuning.window) {
      std::cout << "  (the run is shorter than the riskTuning window: the record is not full)\n";
    }
  }
  return 0;
}

}  // namespace
}  // namespace foresight::bench

int main(int argc, char** argv) {
  foresight::bench::RunAgainWithoutThreadCache(argv);
  return foresight::bench::Run(argc, argv);
}
