// The replay pod model and the autoscaling metrics of the reference scorer
// (shared/data/traces/score.py), reproduced exactly: same integer rules, same floating-point
// operations and the same summation order (numpy's pairwise sums), so that a backtest scored
// here gives the figures score.py gives.
//
// Model (score.py's header): a 1-second grid over [t0, t0 + n*step); load step-held inside
// each trace sample; a requested count takes effect at the first whole second >= its time,
// clamped to [1, 1000]; the count in force at t0 starts READY; added pods become ready exactly
// D seconds after the request; removals are immediate and follow the ReplicaSet ranking
// (not-ready pods newest first, then the most recently ready).
//
// Pure: no I/O, no clock. Thread-safety: plain values; PodSet is not internally synchronized.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

namespace foresight::policies {

// score.py's bounds on requested counts.
constexpr int32_t kSimMinReplicas = 1;
constexpr int32_t kSimMaxReplicas = 1000;

// A request-rate trace: values[i] is the mean load over [t0 + i*step, t0 + (i+1)*step).
struct LoadTrace {
  double t0 = 0;  // unix seconds
  int32_t step_seconds = 60;
  std::vector<double> values;
  int64_t horizon_seconds() const { return static_cast<int64_t>(values.size()) * step_seconds; }
  // The step-held load at second s of the grid, s in [0, horizon).
  double LoadAtSecond(int64_t s) const { return values[static_cast<size_t>(s / step_seconds)]; }
};

// One row of a decisions file: the count requested from `time` (unix seconds) to the next row.
struct RequestRow {
  double time = 0;
  double replicas = 0;
};

// The pods of one Deployment on the integer-second grid (score.py's Pods).
class PodSet {
 public:
  explicit PodSet(int32_t initial_ready);

  // Promotes the starting pods whose ready time is <= s.
  void Advance(int64_t s);
  // Applies a request of r pods at second s. REQUIRES: Advance(s) was called.
  void SetRequested(int64_t s, int32_t r, int64_t delay_seconds);

  int32_t total() const { return static_cast<int32_t>(ready_.size() + pending_.size()); }
  int32_t ready() const { return static_cast<int32_t>(ready_.size()); }
  int32_t starting() const { return static_cast<int32_t>(pending_.size()); }
  // The currently ready pods that were already ready at second s.
  int32_t ReadySince(int64_t s) const;
  // Ready times of the starting pods, ascending.
  const std::deque<int64_t>& pending() const { return pending_; }

 private:
  std::vector<int64_t> ready_;   // ascending times the ready pods became ready
  std::deque<int64_t> pending_;  // ascending ready times of starting pods (creation order)
};

// Fills ready[s, end) with the ready count the pods will have at each second if nothing is
// requested before `end` (pending pods are promoted at their ready times).
void FillReady(const PodSet& pods, int64_t s, int64_t end, std::span<int32_t> ready);

// The bounds requested counts are clamped to: score.py's by default.
struct ReplicaBounds {
  int32_t min = kSimMinReplicas;
  int32_t max = kSimMaxReplicas;
};

struct Replay {
  std::vector<int32_t> requested;  // per second: requested (existing) pods
  std::vector<int32_t> ready;      // per second: ready pods
  int64_t actions = 0;             // changes of the requested count (after clamping)
  int32_t max_step = 0;            // largest |change| in one action
  int64_t clamped = 0;             // rows whose count was outside the bounds
};

// score.py simulate(). REQUIRES: rows non-empty and sorted by time; delay_seconds >= 0;
// 1 <= bounds.min <= bounds.max.
Replay Simulate(const LoadTrace& trace, std::span<const RequestRow> rows, int64_t delay_seconds,
                ReplicaBounds bounds = {});

struct Metrics {
  double horizon_hours = 0;
  int64_t minutes = 0;
  int64_t under_provisioned_minutes = 0;  // 60-s blocks with some load > ready * C
  double unserved_fraction = 0;           // sum(max(0, load - ready*C)) / sum(load)
  double replica_hours = 0;               // requested pods (starting ones cost too)
  double ready_replica_hours = 0;
  int32_t peak_requested = 0;
  double mean_utilisation = 0;  // sum(min(load, cap)) / sum(cap)
  int64_t actions = 0;
  int32_t max_step = 0;
  double oracle_replica_hours = 0;
  double overprov_ratio = 0;  // replica_hours / oracle_replica_hours (NaN if 0)
};

// score.py metrics() on a replay (actions, max_step copied; oracle fields left 0).
Metrics ComputeMetrics(const LoadTrace& trace, const Replay& replay, double capacity);

// score.py score(): simulate, metrics, and the oracle's replica-hours for the overprov ratio.
Metrics Score(const LoadTrace& trace, std::span<const RequestRow> rows, double capacity,
              int64_t delay_seconds);

// The perfect-foresight oracle (score.py oracle_policy): every `interval` seconds request
// max{need(s) : t_k <= s < t_k + interval + D}, need(s) = clamp(ceil(load(s)/C)); rows only
// where the count changes. `literal` gives R_k = need(t_k + D) instead (kept for comparison).
std::vector<RequestRow> OraclePolicy(const LoadTrace& trace, double capacity, int64_t delay_seconds,
                                     int64_t interval_seconds = 60, bool literal = false);
double OracleReplicaHours(const LoadTrace& trace, double capacity, int64_t delay_seconds);

// numpy's float64 add.reduce: pairwise summation (8 accumulators, blocks of 128) over
// buffers of 8192 elements added in order to 0.0. Exposed for tests.
double NumpySum(std::span<const double> values);

}  // namespace foresight::policies
