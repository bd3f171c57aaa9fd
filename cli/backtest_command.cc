// `foresight backtest`: what Foresight would have done on a recorded trace,
// next to the HPA and the perfect-foresight oracle.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "backtest/backtest.h"
#include "backtest/report_html.h"
#include "backtest/summary_table.h"
#include "backtest/trace_csv.h"
#include "backtest/trace_resolution.h"
#include "cli/commands.h"
#include "cli/input_file.h"
#include "cli/output_file.h"
#include "operator/manifest_yaml.h"
#include "operator/unknown_fields.h"

namespace foresight::cli {
namespace {

struct BacktestArgs {
  std::string trace, config, decisions, report;
  std::string startup_delay, metric_delay, oracle_level;
  std::vector<double> sweep_risk;
  std::string policy = "both";
  bool progress = true;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
};

// A one-line progress bar on standard error, redrawn at most 200 times.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}
  void Update(double fraction) {
    if (!enabled_) return;
    int step = static_cast<int>(fraction * 200);
    if (step == last_) return;
    last_ = step;
    int filled = step * 40 / 200;
    std::fprintf(stderr, "\r[%s%s] %5.1f%%", std::string(filled, '#').c_str(),
                 std::string(40 - filled, '.').c_str(), fraction * 100);
    if (step >= 200) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  int last_ = -1;
};

int Fail(const std::string& message) {
  std::cerr << "foresight backtest: " << message << "\n";
  return 2;
}

// The manifest's apiVersion: the one version this build reads.
std::vector<policies::FieldError> ManifestHeaderErrors(const nlohmann::json& manifest) {
  constexpr const char* kApiVersion = "autoscaling.foresight.dev/v1alpha1";
  std::vector<policies::FieldError> errors;
  const nlohmann::json& version =
      manifest.contains("apiVersion") ? manifest["apiVersion"] : nlohmann::json();
  if (version != kApiVersion) {
    errors.push_back({"apiVersion", std::string("apiVersion must be ") + kApiVersion + ", got " +
                                        version.dump() +
                                        ": this foresight reads only that version"});
  }
  return errors;
}

// Why the outputs cannot be written, or "": checked before the replay, which takes minutes on
// a month of load. Neither may overwrite the other or an input.
std::string OutputErrors(const BacktestArgs& args) {
  const std::pair<const char*, const std::string*> outputs[] = {{"--decisions", &args.decisions},
                                                                {"--report", &args.report}};
  const std::pair<const char*, const std::string*> others[] = {
      {"--trace", &args.trace}, {"--config", &args.config}, {"--decisions", &args.decisions}};
  for (const auto& [flag, path] : outputs) {
    if (path->empty()) continue;
    for (const auto& [other_flag, other] : others) {
      if (other != path && !other->empty() && SameFile(*path, *other)) {
        return std::string(flag) + " " + *path + " is also the " + other_flag +
               " file: give each its own path";
      }
    }
    if (const std::string why = CheckOutputFile(*path); !why.empty()) {
      return std::string("cannot write ") + flag + " " + *path + ": " + why;
    }
  }
  return "";
}

int RunBacktestCommand(const BacktestArgs& args) {
  if (const std::string why = OutputErrors(args); !why.empty()) return Fail(why);
  std::ifstream trace_file;
  if (const std::string why = OpenInputFile(args.trace, trace_file); !why.empty()) {
    return Fail("cannot read --trace " + args.trace + ": " + why);
  }
  backtest::TraceCsvResult trace = backtest::ReadTraceCsv(trace_file);
  if (!trace.error.empty()) return Fail(args.trace + ": " + trace.error);

  std::ifstream config_file;
  if (const std::string why = OpenInputFile(args.config, config_file); !why.empty()) {
    return Fail("cannot read --config " + args.config + ": " + why);
  }
  std::stringstream config_text;
  config_text << config_file.rdbuf();
  auto docs = op::ParseYamlDocuments(config_text.str());
  if (!docs.ok()) return Fail(args.config + ": " + docs.error());
  const nlohmann::json* manifest = nullptr;
  for (const nlohmann::json& d : *docs) {
    // Other documents (the Deployment, a Service) may sit in the same file; each must be a
    // mapping to be a Kubernetes object at all.
    if (!d.is_object()) {
      return Fail(args.config +
                  ": a document is not a Kubernetes object (a mapping with "
                  "apiVersion, kind, metadata, spec), got " +
                  d.dump());
    }
    const nlohmann::json& kind = d.contains("kind") ? d["kind"] : nlohmann::json();
    if (kind == "PredictiveAutoscaler") {
      manifest = &d;
      break;
    }
  }
  if (!manifest) return Fail(args.config + ": no document of kind PredictiveAutoscaler");
  std::vector<policies::FieldError> header = ManifestHeaderErrors(*manifest);
  nlohmann::json spec = manifest->contains("spec") ? (*manifest)["spec"] : nlohmann::json();
  // The delays given as flags are written into the spec, so that they are checked as the
  // fields they stand for (a whole number of seconds, a forecast of at most 4320 steps).
  std::string overrides;
  for (const auto& [flag, text, field] :
       {std::tuple{"--startup-delay", args.startup_delay, "startupDelay"},
        std::tuple{"--metric-delay", args.metric_delay, "metricDelay"}}) {
    if (text.empty()) continue;
    if (!op::ParseDuration(text)) {
      return Fail(std::string(flag) + " '" + text + "' is not a duration such as 60s or 2m");
    }
    // A spec or forecast that is not a mapping is reported as the config's error below.
    if (!spec.is_object() || (spec.contains("forecast") && !spec["forecast"].is_object())) break;
    spec["forecast"][field] = text;
    // spec.forecast.leadTime stands for startupDelay + metricDelay: a start-up delay asked
    // for on the command line replaces it in turn.
    if (std::string(field) == "startupDelay") spec["forecast"].erase("leadTime");
    overrides += std::string(overrides.empty() ? " with " : " ") + flag + " " + text;
  }
  op::ParsedSpec parsed = op::ParseAutoscalerSpec(spec);
  // kubectl's strict field validation refuses fields the CRD does not have; the API server
  // would prune them, so the operator never sees them. A file read here gets the same check.
  std::set<std::string> known = parsed.fields_read;
  known.insert({"apiVersion", "kind", "metadata", "spec", "status"});
  if (!args.startup_delay.empty()) known.insert("spec.forecast.leadTime");  // replaced above
  std::vector<policies::FieldError> errors = op::UnknownFields(*manifest, "", known);
  errors.insert(errors.begin(), header.begin(), header.end());
  errors.insert(errors.end(), parsed.errors.begin(), parsed.errors.end());
  if (!errors.empty()) {
    std::cerr << "foresight backtest: " << args.config << overrides
              << " is not a valid PredictiveAutoscaler:\n";
    for (const auto& e : errors) std::cerr << "  " << e.message << "\n";
    return 2;
  }

  const std::string resolution_note = backtest::ResolutionFromTrace(spec, trace.trace, parsed.spec);
  if (!resolution_note.empty()) {
    // The history's size and the seasons are checked in steps of the resolution: check them
    // again at the trace's step.
    nlohmann::json at_step = spec;
    at_step["forecast"]["resolution"] =
        std::to_string(parsed.spec.forecast.resolution.count()) + "s";
    const op::ParsedSpec again = op::ParseAutoscalerSpec(at_step);
    if (!again.errors.empty()) {
      std::cerr << "foresight backtest: " << args.config << " does not fit the trace, whose step ("
                << parsed.spec.forecast.resolution.count()
                << "s) becomes spec.forecast.resolution when the config leaves it unset:\n";
      for (const auto& e : again.errors) std::cerr << "  " << e.message << "\n";
      std::cerr << "  (or set spec.forecast.resolution to the trace's step and adjust the rest)\n";
      return 2;
    }
  }

  backtest::BacktestOptions options;
  if (!args.oracle_level.empty()) {
    bool too_long = false;
    auto d = op::ParseDurationChecked(args.oracle_level, too_long);
    if (too_long) {
      return Fail("--oracle-level '" + args.oracle_level +
                  "' is longer than the 100 years a duration may be");
    }
    if (!d || d->count() < 0) {
      return Fail("--oracle-level '" + args.oracle_level + "' is not a duration such as 15m or 0s");
    }
    options.oracle_level = std::chrono::duration_cast<std::chrono::seconds>(*d);
  }
  options.sweep_marginal_risk = args.sweep_risk;
  options.run_foresight = args.policy != "hpa";
  options.run_hpa = args.policy != "foresight";
  options.threads = args.threads;
  ProgressBar bar(args.progress);
  options.progress = [&](double f) { bar.Update(f); };

  auto result = backtest::RunBacktest(trace.trace, parsed.spec, options);
  if (!result.ok()) return Fail(result.error());
  std::cout << "trace " << args.trace << " (" << trace.trace.values.size() << " samples of "
            << trace.trace.step_seconds << " s), config " << args.config << "\n";
  if (!resolution_note.empty()) std::cout << resolution_note << "\n";
  std::cout << backtest::SummaryTable(*result);

  if (!args.decisions.empty()) {
    const backtest::PolicyOutcome& o = result->foresight ? *result->foresight : *result->hpa;
    std::string csv = "timestamp,replicas\n";
    char line[64];
    for (const policies::RequestRow& row : o.decisions) {
      std::snprintf(line, sizeof line, "%.3f,%.0f\n", row.time, row.replicas);
      csv += line;
    }
    if (const std::string why = WriteOutputFile(args.decisions, csv); !why.empty()) {
      return Fail("cannot write --decisions " + args.decisions + ": " + why);
    }
  }
  if (!args.report.empty()) {
    std::ostringstream html;
    backtest::WriteHtmlReport(html, "Foresight backtest: " + args.trace, trace.trace, *result);
    if (const std::string why = WriteOutputFile(args.report, html.str()); !why.empty()) {
      return Fail("cannot write --report " + args.report + ": " + why);
    }
  }
  return 0;
}

}  // namespace

void AddBacktestCommand(CLI::App& app) {
  auto args = std::make_shared<BacktestArgs>();
  CLI::App* cmd = app.add_subcommand(
      "backtest",
      "Replay a load trace through Foresight's forecasting and policies (the operator's own code,\n"
      "risk tuning included) and through the Kubernetes HPA, and compare under-provisioning and\n"
      "cost.\n"
      "Pod model: scale-ups are ready after the start-up delay, scale-downs take effect at once.");
  cmd->footer(
      "Exit status: 0 when done; 2 for a bad trace, config or flag, or an output that cannot be\n"
      "written (checked before the replay; no partial --decisions or --report file is left);\n"
      "70 for an internal error.");
  cmd->add_option("--trace", args->trace,
                  "CSV with header timestamp,value (unix seconds, load per second), equally\n"
                  "spaced, at most a day apart")
      ->required();
  cmd->add_option("--config", args->config,
                  "PredictiveAutoscaler manifest (YAML), as applied with kubectl; if it sets no\n"
                  "forecast.resolution and the trace is coarser than 1m, the trace's step is used")
      ->required();
  cmd->add_option("--startup-delay", args->startup_delay,
                  "Pod start-up delay, overrides spec.forecast.startupDelay and leadTime (e.g.\n"
                  "60s); checked as that field is");
  cmd->add_option("--metric-delay", args->metric_delay,
                  "Metric delay, overrides spec.forecast.metricDelay (e.g. 30s); checked as that\n"
                  "field is");
  cmd->add_option("--policy", args->policy,
                  "Which to replay: foresight, hpa or both (default both)")
      ->check(CLI::IsMember({"foresight", "hpa", "both"}));
  cmd->add_option(
      "--decisions", args->decisions,
      "Write timestamp,replicas (replicas requested from that time on; Foresight's unless "
      "--policy hpa)");
  cmd->add_option("--report", args->report, "Write a self-contained HTML report with plots");
  cmd->add_option("--threads", args->threads,
                  "Threads fitting the forecasting models, ahead of the replay (default: one per "
                  "CPU, here " +
                      std::to_string(args->threads) + "); the results are the same for any count")
      ->check(CLI::Range(1u, 256u));
  cmd->add_option("--sweep-risk", args->sweep_risk,
                  "Also replay at each of these fixed forecast.marginalRisk values (comma-\n"
                  "separated, e.g. 0.05,0.1,0.2; no risk tuning) on the same forecasts, and print\n"
                  "under-provisioning and replica-hours for each against the HPA (needs\n"
                  "forecast.sizing: Marginal); with the config's scale-down window, or, if it\n"
                  "leaves that to risk tuning, at each window the tuner chooses from (300s, 60s)")
      ->delimiter(',');
  cmd->add_option("--oracle-level", args->oracle_level,
                  "Replace the forecaster by the trace's own future load averaged over +-DURATION\n"
                  "around each point, with the spread of the load around that average (e.g. 15m;\n"
                  "0s: the exact load): what a perfect forecast of the level would save");
  cmd->add_flag("!--no-progress", args->progress, "Do not draw the progress bar");
  cmd->callback([args] {
    int rc = RunBacktestCommand(*args);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace foresight::cli
