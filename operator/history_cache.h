// HistoryCache: per-autoscaler metric history kept in memory. The first
// Refresh() of a key fetches the whole history length from a MetricsSource in
// windows of at most kMaxPointsPerWindow points; later refreshes fetch only the
// new tail (plus the trailing steps that were still missing, which a late
// scrape may since have filled) and drop points older than the history
// length. Nothing is persisted: after a restart the first Refresh() rebuilds
// from the source.
// Thread-safety: all methods may be called from several threads. Refreshes of
// one key are serialised; different keys fetch in parallel.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "operator/clock.h"
#include "operator/metrics_source.h"

namespace foresight::op {

struct HistorySpec {
  std::string query;
  std::chrono::milliseconds step{60'000};
  std::chrono::milliseconds length{std::chrono::hours(24 * 7)};
  bool operator==(const HistorySpec&) const = default;
};

// Tunable: Prometheus' per-query point limit (11,000).
inline constexpr long kMaxPointsPerWindow = 11'000;
// Tunable: at most this many trailing missing steps are fetched again.
inline constexpr long kMaxTailRefetchSteps = 10;

// Runs `q` as consecutive range queries of at most `max_points` points and
// stitches them on q's grid. A window without data (kNotFound) is a gap; the
// whole range without data is kNotFound. Any other error fails the call.
Result<RangeSeries> QueryRangeWindowed(MetricsSource& source, const RangeQuery& q,
                                       long max_points = kMaxPointsPerWindow);

class HistoryCache {
 public:
  // REQUIRES: source and clock outlive the cache.
  HistoryCache(MetricsSource& source, Clock& clock) : source_(source), clock_(clock) {}

  // Brings `key`'s history up to the last whole step before now and returns
  // it: floor(length / step) points ending there, gaps as NaN. A changed spec
  // refetches everything. On error the cached history is left as it was.
  // REQUIRES: spec.step > 0, spec.length >= spec.step.
  Result<RangeSeries> Refresh(const std::string& key, const HistorySpec& spec);

  void Forget(const std::string& key);
  // Keys with a cached history.
  size_t size() const;

 private:
  struct Entry {
    std::mutex mu;
    std::atomic<bool> valid{false};  // written under mu; false until a fetch succeeded
    HistorySpec spec;    // guarded by mu
    RangeSeries series;  // guarded by mu
  };

  // constant after construction
  MetricsSource& source_;
  Clock& clock_;

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;  // guarded by mu_
};

}  // namespace foresight::op
