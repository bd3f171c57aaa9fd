#include "bench/operator/decisions_on_trace.h"

#include <time.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string_view>

#include "bench/operator/heap_in_use.h"
#include "operator/autoscaler_controller.h"
#include "operator/testing/fake_autoscaler_api.h"
#include "operator/testing/fake_clock.h"
#include "operator/testing/fake_event_recorder.h"
#include "operator/testing/fake_metrics_source.h"

namespace foresight::bench {
namespace {

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int64_t HeapSince(size_t baseline) {
  return static_cast<int64_t>(HeapInUse()) - static_cast<int64_t>(baseline);
}

}  // namespace

DecisionRun RunDecisions(const nlohmann::json& autoscaler, const policies::LoadTrace& trace,
                         op::Timestamp start, const DecisionRunOptions& options) {
  op::testing::FakeClock clock(start);
  op::testing::FakeMetricsSource prometheus;
  prometheus.value = [&trace](op::Timestamp t) -> std::optional<double> {
    const double seconds = std::chrono::duration<double>(t.time_since_epoch()).count();
    // The step [t0 + i*step, t0 + (i+1)*step) has ended at t for i < (t - t0) / step.
    const double ended = std::floor((seconds - trace.t0) / trace.step_seconds);
    if (ended < 1 || ended > static_cast<double>(trace.values.size())) return std::nullopt;
    return trace.values[static_cast<size_t>(ended) - 1];
  };
  op::testing::FakeAutoscalerApi api;
  op::testing::FakeEventRecorder events;
  op::ControllerDeps deps;
  deps.api = &api;
  deps.events = &events;
  deps.clock = &clock;
  deps.metrics_for = [&prometheus](const std::string&,
                                   const op::AutoscalerSpec&) -> op::Result<op::MetricsSource*> {
    return &prometheus;
  };
  const nlohmann::json& meta = autoscaler["metadata"];
  const std::string key = meta.value("namespace", "") + "/" + meta.value("name", "");

  DecisionRun run;
  std::string last_fitted_at;
  const size_t baseline = HeapInUse();
  const double cpu_before = ProcessCpuSeconds();
  auto controller = std::make_unique<op::AutoscalerController>(deps);
  const op::Timestamp end = start + options.duration;
  bool early_taken = false;
  while (clock.Now() < end) {
    const op::ReconcileOutcome out = controller->Reconcile(key, autoscaler);
    if (!out.error.ok() || !out.requeue_after) {
      // The fakes never fail: this is a broken run, not a measurement.
      run.stopped = "decision " + std::to_string(run.decisions + 1) + " returned " +
                    (out.error.ok() ? "no next decision" : out.error.ToString());
      break;
    }
    ++run.decisions;
    if (api.scale->status_replicas != api.scale->spec_replicas) {
      api.scale->status_replicas = api.scale->spec_replicas;  // every pod ready at once
    }
    const nlohmann::json& forecast = api.status_on_server.value("forecast", nlohmann::json());
    if (forecast.contains("fittedAt") && forecast["fittedAt"] != last_fitted_at) {
      last_fitted_at = forecast["fittedAt"].get<std::string>();
      ++run.fits;
    }
    for (const std::string& e : events.events) {
      constexpr std::string_view kTuned = "Normal RiskTuned: ";
      if (e.starts_with(kTuned)) run.risk_tuned.push_back(e.substr(kTuned.size()));
    }
    // What the fakes record of each call is the test's, not the operator's, memory.
    api.actions.clear();
    api.statuses.clear();
    events.events.clear();
    prometheus.ClearRecorded();
    clock.Advance(*out.requeue_after);
    if (!early_taken && clock.Now() >= start + options.early) {
      run.held_early = HeapSince(baseline);
      early_taken = true;
    }
  }
  run.held_end = HeapSince(baseline);
  const size_t with_controller = HeapInUse();
  controller.reset();
  run.freed_with_controller =
      static_cast<int64_t>(with_controller) - static_cast<int64_t>(HeapInUse());
  run.cpu_seconds = ProcessCpuSeconds() - cpu_before;
  return run;
}

}  // namespace foresight::bench
