// UnreachableHold: a MetricsSource that stops asking a Prometheus it could not reach, for a
// while. A hung or unreachable Prometheus costs each query its whole timeout (twice, with
// the retry); without a hold, every decision of every autoscaler reading from it would keep
// a worker that long, and autoscalers on a healthy Prometheus would wait behind them. After
// a transport failure (kUnavailable, kDeadlineExceeded) queries fail at once, with the
// failure's message, for kUnreachableHold; then one query goes through to find out whether
// it is back. Any other error (a bad query, no data) is the query's own and holds nothing.
// Thread-safety: as the wrapped source.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "operator/clock.h"
#include "operator/metrics_source.h"

namespace foresight::op {

// Tunable: how long a source that failed in transport is not asked again (one decision
// interval at the default 30s).
inline constexpr std::chrono::seconds kUnreachableHold{30};

class UnreachableHold final : public MetricsSource {
 public:
  UnreachableHold(MetricsSource& source, Clock& clock) : source_(source), clock_(clock) {}

  Result<InstantValue> QueryInstant(const std::string& query, std::optional<Timestamp> at) override;
  Result<RangeSeries> QueryRange(const RangeQuery& q) override;

 private:
  // The error to answer with while held; nullopt when the query may go through (then, if
  // the hold just ended, this caller is the one probe: the others stay held meanwhile).
  std::optional<Status> Held();
  // Starts or ends the hold from a query's outcome.
  void Observe(const Status& outcome);

  MetricsSource& source_;
  Clock& clock_;
  std::mutex mu_;
  std::optional<Timestamp> held_until_;  // guarded by mu_
  Status last_failure_;                  // guarded by mu_
  Timestamp failed_at_;                  // guarded by mu_
};

}  // namespace foresight::op
