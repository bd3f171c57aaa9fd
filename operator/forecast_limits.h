// Limits on what a spec may ask the forecasting to hold in memory. Each is a
// spec error when exceeded (operator/autoscaler_spec.cc), never an allocation
// that fails at run time: the operator runs with a 512Mi memory limit and
// serves every autoscaler of the cluster.
#pragma once

namespace foresight::op {

// Fewer history points than this and the rolling forecaster never forecasts
// (a cold start that would never end).
inline constexpr long kMinHistoryPoints = 60;

// Tunable: history points fetched, stored and fitted, history / resolution.
// 100,000 points (about 69 days at 1m) are 2.4 MB of timestamps and values in
// the cache and an auto fit of a few seconds; the default is 10,080 (7d at 1m).
inline constexpr long kMaxHistoryPoints = 100'000;

// Tunable: steps forecast at each refit, (refitInterval + leadTime) / resolution.
// ETS draws 2,000 simulated paths over them: 4,320 steps (3d at 1m, or the default
// 1h refit at 1s with a lead time up to 12m) are 69 MB while a fit runs; the default
// is 64 (1h + 90s at 1m).
inline constexpr long kMaxForecastSteps = 4'320;

// Tunable: forecast points risk tuning keeps, riskTuning.window / decisionInterval
// decisions times the points up to the lead time of each, 24 bytes a point plus
// 16 a decision (policies/recorded_forecasts.h): 2,000,000 points are about 60 MB;
// the default is 17,280 (48h / 30s x 3).
inline constexpr long kMaxRecordedForecastPoints = 2'000'000;

// The longest duration the spec reads (100 years): longer is a typo, and
// bounding it keeps every sum and product of durations within 64 bits.
inline constexpr long long kMaxDurationSeconds = 100LL * 365 * 86400;

}  // namespace foresight::op
