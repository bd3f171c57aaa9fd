// The forecast resolution of a backtest whose config leaves spec.forecast.resolution unset.
//
// A trace sampled every 5 minutes holds each value for 5 minutes. Replayed at the default 1m
// resolution the forecaster's history repeats every value five times, and the models fit that
// staircase instead of the load (on the AMZN trace: MASE 2.1 at 1m against 1.15 at 5m). A real
// metric at that step shows the same staircase, and the fix there is the same: set
// forecast.resolution to the metric's step. So when the config is silent, the trace's step
// stands for it.
//
// Pure: plain values in and out.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "operator/autoscaler_spec.h"
#include "policies/simulator.h"

namespace foresight::backtest {

// Sets spec.forecast.resolution to the trace's step when `spec_json` (the manifest's `spec`)
// has no forecast.resolution and the step is coarser than the resolution parsed. Returns a
// one-line note saying so for the user, or "" when nothing changed.
std::string ResolutionFromTrace(const nlohmann::json& spec_json, const policies::LoadTrace& trace,
                                op::AutoscalerSpec& spec);

}  // namespace foresight::backtest
