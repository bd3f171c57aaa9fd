// `foresight operator`: run the controller against a cluster.
#include <csignal>
#include <memory>
#include <stop_token>
#include <thread>

#include "cli/commands.h"
#include "operator/operator_runner.h"

namespace foresight::cli {
namespace {

std::atomic<bool> g_signalled{false};
void OnSignal(int) { g_signalled = true; }

struct OperatorArgs {
  op::OperatorOptions options;
  std::string log_format = "json";
  std::string log_level = "info";
};

int RunOperatorCommand(const OperatorArgs& args) {
  op::LogLevel level = op::LogLevel::kInfo;
  op::ParseLogLevel(args.log_level, level);
  op::Logger log(args.log_format == "json", level);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  std::stop_source stop;
  // Signals only set a flag (async-signal-safe); this thread turns it into a stop request.
  std::jthread watcher([&](std::stop_token own) {
    while (!own.stop_requested() && !g_signalled)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop.request_stop();
  });
  int rc = op::RunOperator(args.options, log, stop.get_token());
  watcher.request_stop();
  return rc;
}

}  // namespace

void AddOperatorCommand(CLI::App& app) {
  auto args = std::make_shared<OperatorArgs>();
  op::OperatorOptions& o = args->options;
  CLI::App* cmd = app.add_subcommand(
      "operator",
      "Run the controller: watch PredictiveAutoscalers, forecast each one's load from Prometheus,\n"
      "and set its target's replicas ahead of the load. Stops cleanly on SIGTERM (releasing the\n"
      "leader lease). Decisions are logged one per line (README, section Reading its decisions).");
  cmd->add_option("--kubeconfig", o.kubeconfig,
                  "kubeconfig file (default: in-cluster configuration)");
  cmd->add_option("--prometheus-url", o.prometheus_url,
                  "Prometheus used when a PredictiveAutoscaler names none ('none': no default, "
                  "each must name its own)")
      ->capture_default_str();
  cmd->add_option("--metrics-bind-address", o.metrics_bind_address,
                  "Serve /metrics, /healthz, /readyz here")
      ->capture_default_str();
  cmd->add_flag("--leader-elect", o.leader_elect,
                "Elect a leader with a Lease so several replicas can run (default true; "
                "--leader-elect=false)");
  cmd->add_option("--leader-election-namespace", o.leader_election_namespace,
                  "Namespace of the Lease (default: $POD_NAMESPACE, else the kubeconfig's)");
  cmd->add_option("--leader-election-id", o.leader_election_id, "Name of the Lease")
      ->capture_default_str();
  cmd->add_option("--log-format", args->log_format, "json or text")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  cmd->add_option("--log-level", args->log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  cmd->add_option("--workers", o.workers, "Autoscalers reconciled in parallel")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--watch-namespace", o.watch_namespace, "Only this namespace (default: all)");
  cmd->callback([args] {
    int rc = RunOperatorCommand(*args);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace foresight::cli
