// FakeMetricsSource: answers from a function of time, records every query,
// and fails on demand.
#pragma once

#include <cmath>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <vector>

#include "operator/metrics_source.h"

namespace foresight::op::testing {

class FakeMetricsSource final : public MetricsSource {
 public:
  // value(t): nullopt means "no sample at t". Default: no data at all.
  std::function<std::optional<double>(Timestamp)> value = [](Timestamp) {
    return std::optional<double>();
  };
  // When set, the next call fails with it (once).
  std::optional<Status> fail_next;
  // Sent with every instant value.
  std::vector<std::string> warnings;

  Result<InstantValue> QueryInstant(const std::string& query,
                                    std::optional<Timestamp> at) override {
    std::lock_guard lock(mu_);
    instant_queries_.push_back(query);
    if (auto s = TakeFailure()) return *s;
    const Timestamp t = at.value_or(Timestamp());
    const auto v = value(t);
    if (!v) return Status::NotFound("query '" + query + "' returned no data");
    return InstantValue{t, *v, warnings};
  }

  Result<RangeSeries> QueryRange(const RangeQuery& q) override {
    std::lock_guard lock(mu_);
    range_queries_.push_back(q);
    if (auto s = TakeFailure()) return *s;
    RangeSeries s = EmptyGrid(q);
    bool any = false;
    for (size_t i = 0; i < s.size(); ++i) {
      if (auto v = value(s.timestamps[i])) {
        s.values[i] = *v;
        any = any || std::isfinite(*v);
      }
    }
    if (!any) return Status::NotFound("query '" + q.query + "' returned no data");
    return s;
  }

  std::vector<RangeQuery> range_queries() const {
    std::lock_guard lock(mu_);
    return range_queries_;
  }
  void ClearRecorded() {
    std::lock_guard lock(mu_);
    range_queries_.clear();
    instant_queries_.clear();
  }

 private:
  std::optional<Status> TakeFailure() {
    std::optional<Status> s = std::move(fail_next);
    fail_next.reset();
    return s;
  }

  mutable std::mutex mu_;
  std::vector<RangeQuery> range_queries_;
  std::vector<std::string> instant_queries_;
};

}  // namespace foresight::op::testing
