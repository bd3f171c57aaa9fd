// MetricsSource: the operator's one seam for reading workload metrics. The
// Prometheus client implements it; tests use testing/fake_metrics_source.h.
//
// Every answer is exactly one clean series or an error: a query that matches
// several series, none, or yields a non-number is an error whose message names
// the query and what was wrong, never a silent zero.
// Error codes: kInvalidArgument (the query is wrong: several series, bad
// syntax), kNotFound (no data), kBadResponse (not the API's shape),
// kUnavailable / kDeadlineExceeded (transport).
// Thread-safety: implementations may be called from several threads.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "operator/clock.h"
#include "operator/status.h"

namespace foresight::op {

struct InstantValue {
  Timestamp timestamp;
  double value = 0;  // always finite
  // The source's warnings with the answer (Prometheus' `warnings`: e.g. a partial answer
  // from a federated or remote-read setup, whose sum may read low), for the decision log.
  std::vector<std::string> warnings;
};

struct RangeQuery {
  std::string query;
  Timestamp start;
  Timestamp end;  // inclusive
  std::chrono::milliseconds step{60'000};
};

// Values on the regular grid start, start+step, ..., <= end. A step the source
// had no sample for (or whose sample was NaN or +-Inf) is NaN: gaps are kept
// so the forecasting engine can repair them.
struct RangeSeries {
  std::vector<Timestamp> timestamps;
  std::vector<double> values;

  size_t size() const { return values.size(); }
  size_t CountMissing() const;
};

// The grid of `q`: (end - start) / step + 1 points, every value NaN.
RangeSeries EmptyGrid(const RangeQuery& q);

class MetricsSource {
 public:
  virtual ~MetricsSource() = default;
  // The value of `query` at `at` (the source's "now" when unset).
  virtual Result<InstantValue> QueryInstant(const std::string& query,
                                            std::optional<Timestamp> at) = 0;
  // REQUIRES: q.step > 0, q.start <= q.end.
  virtual Result<RangeSeries> QueryRange(const RangeQuery& q) = 0;
};

}  // namespace foresight::op
