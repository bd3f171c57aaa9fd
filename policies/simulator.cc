#include "policies/simulator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace foresight::policies {
namespace {

// score.py's EPS: shortfalls below EPS * max(1, C) are rounding noise, not unserved load.
constexpr double kEps = 1e-9;
// Initial pods became ready "long ago" (score.py: -10**12).
constexpr int64_t kLongAgo = -1'000'000'000'000;
// numpy: ufunc buffer size and pairwise-summation block.
constexpr size_t kNumpyBuffer = 8192;
constexpr size_t kPairwiseBlock = 128;

// Python's round() to an integer: half to even.
double RoundHalfEven(double r) {
  const double f = std::floor(r);
  const double diff = r - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return std::fmod(f, 2.0) == 0 ? f : f + 1;
}

// numpy pairwise_sum_DOUBLE (numpy/core/src/umath/loops_utils.h.src).
double PairwiseSum(const double* a, size_t n) {
  if (n < 8) {
    double res = 0.;
    for (size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= kPairwiseBlock) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return PairwiseSum(a, n2) + PairwiseSum(a + n2, n - n2);
}

std::vector<int32_t> NeedPerSecond(const LoadTrace& trace, double capacity) {
  std::vector<int32_t> need;
  need.reserve(static_cast<size_t>(trace.horizon_seconds()));
  for (double v : trace.values) {
    // need = clip(ceil(load / C - 1e-9), 1, 1000)
    const double n = std::clamp(std::ceil(v / capacity - kEps), double{kSimMinReplicas},
                                double{kSimMaxReplicas});
    need.insert(need.end(), static_cast<size_t>(trace.step_seconds), static_cast<int32_t>(n));
  }
  return need;
}

}  // namespace

double NumpySum(std::span<const double> values) {
  double res = 0.0;
  for (size_t i = 0; i < values.size(); i += kNumpyBuffer) {
    res += PairwiseSum(values.data() + i, std::min(kNumpyBuffer, values.size() - i));
  }
  return res;
}

PodSet::PodSet(int32_t initial_ready) : ready_(static_cast<size_t>(initial_ready), kLongAgo) {}

void PodSet::Advance(int64_t s) {
  while (!pending_.empty() && pending_.front() <= s) {
    ready_.push_back(pending_.front());
    pending_.pop_front();
  }
}

void PodSet::SetRequested(int64_t s, int32_t r, int64_t delay_seconds) {
  const int32_t cur = total();
  if (r > cur) {
    for (int32_t i = 0; i < r - cur; ++i) pending_.push_back(s + delay_seconds);
  } else if (r < cur) {
    int32_t k = cur - r;
    while (k > 0 && !pending_.empty()) {  // not-ready pods first, newest first
      pending_.pop_back();
      --k;
    }
    ready_.resize(ready_.size() - static_cast<size_t>(k));  // then the most recently ready
  }
}

int32_t PodSet::ReadySince(int64_t s) const {
  return static_cast<int32_t>(std::upper_bound(ready_.begin(), ready_.end(), s) - ready_.begin());
}

void FillReady(const PodSet& pods, int64_t s, int64_t end, std::span<int32_t> ready) {
  // ready[i] = ready now + starting pods with ready time <= i
  int32_t count = pods.ready();
  auto next = pods.pending().begin();
  for (int64_t i = s; i < end; ++i) {
    while (next != pods.pending().end() && *next <= i) {
      ++count;
      ++next;
    }
    ready[static_cast<size_t>(i)] = count;
  }
}

Replay Simulate(const LoadTrace& trace, std::span<const RequestRow> rows, int64_t delay_seconds,
                ReplicaBounds bounds) {
  const int64_t horizon = trace.horizon_seconds();
  Replay out;
  // The row in force at t0: the last with time <= t0, or the first if all are later.
  size_t init = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].time <= trace.t0) init = i;
  }
  struct Event {
    int64_t s;
    int32_t r;
  };
  std::vector<Event> events;
  for (size_t i = init; i < rows.size(); ++i) {
    const int64_t s =
        i == init ? 0 : static_cast<int64_t>(std::ceil(rows[i].time - trace.t0 - kEps));
    if (s >= horizon) break;
    const double rounded = RoundHalfEven(rows[i].replicas);
    const double clamped = std::min(std::max(rounded, static_cast<double>(bounds.min)),
                                    static_cast<double>(bounds.max));
    if (clamped != rounded) ++out.clamped;
    events.push_back({std::max<int64_t>(s, 0), static_cast<int32_t>(clamped)});
  }
  out.requested.assign(static_cast<size_t>(horizon), 0);
  out.ready.assign(static_cast<size_t>(horizon), 0);
  if (events.empty()) return out;  // REQUIRES violated; nothing to replay
  PodSet pods(events[0].r);
  // Several requests in the same second: the last one wins.
  std::vector<Event> collapsed;
  for (size_t i = 1; i < events.size(); ++i) {
    if (!collapsed.empty() && collapsed.back().s == events[i].s) {
      collapsed.back() = events[i];
    } else {
      collapsed.push_back(events[i]);
    }
  }
  for (size_t k = 0; k <= collapsed.size(); ++k) {
    const Event e = k == 0 ? Event{0, events[0].r} : collapsed[k - 1];
    const int64_t next = k < collapsed.size() ? collapsed[k].s : horizon;
    if (e.s > 0) {
      pods.Advance(e.s);
      if (e.r != pods.total()) {
        ++out.actions;
        out.max_step = std::max(out.max_step, std::abs(e.r - pods.total()));
      }
      pods.SetRequested(e.s, e.r, delay_seconds);
    }
    for (int64_t i = e.s; i < next; ++i) out.requested[static_cast<size_t>(i)] = e.r;
    FillReady(pods, e.s, next, out.ready);
  }
  return out;
}

Metrics ComputeMetrics(const LoadTrace& trace, const Replay& replay, double capacity) {
  const int64_t horizon = trace.horizon_seconds();
  const auto n = static_cast<size_t>(horizon);
  std::vector<double> load(n), cap(n), shortfall(n), served(n);
  const double noise = kEps * std::max(1.0, capacity);
  for (size_t s = 0; s < n; ++s) {
    load[s] = trace.LoadAtSecond(static_cast<int64_t>(s));
    cap[s] = static_cast<double>(replay.ready[s]) * capacity;
    const double sh = std::max(0.0, load[s] - cap[s]);
    shortfall[s] = sh < noise ? 0.0 : sh;
    served[s] = std::min(load[s], cap[s]);
  }
  Metrics m;
  m.horizon_hours = static_cast<double>(horizon) / 3600.0;
  m.minutes = (horizon + 59) / 60;
  // A minute is under-provisioned when any of its seconds has a (non-negative) shortfall > 0.
  for (int64_t b = 0; b < m.minutes; ++b) {
    const size_t lo = static_cast<size_t>(b * 60), hi = std::min(n, lo + 60);
    if (std::any_of(shortfall.begin() + lo, shortfall.begin() + hi, [](double x) { return x > 0; }))
      ++m.under_provisioned_minutes;
  }
  const double total_load = NumpySum(load);
  m.unserved_fraction = total_load > 0 ? NumpySum(shortfall) / total_load : 0.0;
  int64_t requested_sum = 0, ready_sum = 0;
  for (size_t s = 0; s < n; ++s) {
    requested_sum += replay.requested[s];
    ready_sum += replay.ready[s];
    m.peak_requested = std::max(m.peak_requested, replay.requested[s]);
  }
  m.replica_hours = static_cast<double>(requested_sum) / 3600.0;
  m.ready_replica_hours = static_cast<double>(ready_sum) / 3600.0;
  const double cap_sum = NumpySum(cap);
  m.mean_utilisation = cap_sum > 0 ? NumpySum(served) / cap_sum : 0.0;
  m.actions = replay.actions;
  m.max_step = replay.max_step;
  return m;
}

Metrics Score(const LoadTrace& trace, std::span<const RequestRow> rows, double capacity,
              int64_t delay_seconds) {
  Metrics m = ComputeMetrics(trace, Simulate(trace, rows, delay_seconds), capacity);
  m.oracle_replica_hours = OracleReplicaHours(trace, capacity, delay_seconds);
  m.overprov_ratio = m.oracle_replica_hours > 0 ? m.replica_hours / m.oracle_replica_hours
                                                : std::numeric_limits<double>::quiet_NaN();
  return m;
}

std::vector<RequestRow> OraclePolicy(const LoadTrace& trace, double capacity, int64_t delay_seconds,
                                     int64_t interval_seconds, bool literal) {
  const std::vector<int32_t> need = NeedPerSecond(trace, capacity);
  const int64_t horizon = trace.horizon_seconds();
  std::vector<RequestRow> out;
  if (horizon <= 0 || interval_seconds <= 0) return out;
  if (literal) {
    for (int64_t s = 0; s < horizon; s += interval_seconds) {
      out.push_back({trace.t0 + static_cast<double>(s),
                     double(need[static_cast<size_t>(std::min(s + delay_seconds, horizon - 1))])});
    }
    return out;
  }
  // max of need over [s, s + interval + D), padded past the end with the last need.
  const int64_t window = interval_seconds + delay_seconds;
  int32_t prev = -1;
  for (int64_t s = 0; s < horizon; s += interval_seconds) {
    int32_t r = 0;
    for (int64_t i = s; i < s + window; ++i) {
      r = std::max(r, need[static_cast<size_t>(std::min(i, horizon - 1))]);
    }
    if (r != prev) {
      out.push_back({trace.t0 + static_cast<double>(s), static_cast<double>(r)});
      prev = r;
    }
  }
  return out;
}

double OracleReplicaHours(const LoadTrace& trace, double capacity, int64_t delay_seconds) {
  const std::vector<RequestRow> rows = OraclePolicy(trace, capacity, delay_seconds);
  const Replay replay = Simulate(trace, rows, delay_seconds);
  int64_t sum = 0;
  for (int32_t r : replay.requested) sum += r;
  return static_cast<double>(sum) / 3600.0;
}

}  // namespace foresight::policies
