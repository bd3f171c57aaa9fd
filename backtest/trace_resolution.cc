#include "backtest/trace_resolution.h"

namespace foresight::backtest {

std::string ResolutionFromTrace(const nlohmann::json& spec_json, const policies::LoadTrace& trace,
                                op::AutoscalerSpec& spec) {
  const auto forecast = spec_json.find("forecast");
  if (forecast != spec_json.end() && forecast->is_object() && forecast->contains("resolution")) {
    return "";
  }
  const std::chrono::seconds step{trace.step_seconds};
  if (step <= spec.forecast.resolution) return "";
  spec.forecast.resolution = step;
  return "forecast.resolution " + std::to_string(step.count()) +
         "s, the trace's step (the config does not set it; a finer step would repeat each value)";
}

}  // namespace foresight::backtest
