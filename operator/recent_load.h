// The newest stretch of a metric's history as a load trace, for replaying it through the
// policies (risk tuning, policies/risk_tuner.h).
#pragma once

#include <chrono>
#include <optional>

#include "operator/metrics_source.h"
#include "policies/simulator.h"

namespace foresight::op {

// The newest `length` of `series` (a grid every `step`) as a LoadTrace: value i stands for
// [t_i, t_i + step). A missing point (NaN) holds the value before it. nullopt when the series
// covers less than `length`, or more than a tenth of the stretch is missing: a replay of
// guessed load would tune on the guesses.
std::optional<policies::LoadTrace> RecentLoad(const RangeSeries& series, std::chrono::seconds step,
                                              std::chrono::seconds length);

}  // namespace foresight::op
