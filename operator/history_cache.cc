#include "operator/history_cache.h"

#include <algorithm>
#include <cmath>

namespace foresight::op {

Result<RangeSeries> QueryRangeWindowed(MetricsSource& source, const RangeQuery& q,
                                       long max_points) {
  RangeSeries out = EmptyGrid(q);
  if (out.size() == 0) return Status::InvalidArgument("query '" + q.query + "': empty range");
  const size_t per_window = static_cast<size_t>(std::max(1L, max_points));
  bool any_data = false;
  for (size_t first = 0; first < out.size(); first += per_window) {
    const size_t last = std::min(out.size(), first + per_window) - 1;
    RangeQuery w = q;
    w.start = out.timestamps[first];
    w.end = out.timestamps[last];
    auto r = source.QueryRange(w);
    if (!r.ok()) {
      if (r.code() == StatusCode::kNotFound) continue;  // no data in this window: a gap
      return r.status();
    }
    if (r->size() != last - first + 1)
      return Status::Internal("query '" + q.query + "': window answer has " +
                              std::to_string(r->size()) + " points, expected " +
                              std::to_string(last - first + 1));
    std::copy(r->values.begin(), r->values.end(), out.values.begin() + first);
    any_data = true;
  }
  if (!any_data)
    return Status::NotFound("query '" + q.query + "' returned no data in the whole range");
  return out;
}

Result<RangeSeries> HistoryCache::Refresh(const std::string& key, const HistorySpec& spec) {
  if (spec.step.count() <= 0 || spec.length < spec.step)
    return Status::InvalidArgument("history of '" + spec.query +
                                   "': step must be > 0 and length >= step");
  // The grid: whole multiples of step since the epoch; the last point is the
  // last one not after now.
  const auto now = clock_.Now().time_since_epoch();
  const Timestamp end(now - now % spec.step);
  const long points = static_cast<long>(spec.length / spec.step);
  const Timestamp start = end - spec.step * (points - 1);

  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mu_);
    auto& slot = entries_[key];
    if (!slot) slot = std::make_shared<Entry>();
    entry = slot;
  }
  std::lock_guard lock(entry->mu);
  if (!entry->valid || !(entry->spec == spec) || entry->series.size() == 0) {
    entry->valid = false;
    auto full = QueryRangeWindowed(source_, {spec.query, start, end, spec.step});
    if (!full.ok()) return full.status();
    entry->spec = spec;
    entry->series = full.value();
    entry->valid = true;
    return full;
  }

  RangeSeries& cached = entry->series;
  // Fetch from the step after the cached end, or from the first of the
  // trailing missing steps (at most kMaxTailRefetchSteps back).
  size_t keep = cached.size();
  while (keep > 0 && std::isnan(cached.values[keep - 1]) &&
         static_cast<long>(cached.size() - keep) < kMaxTailRefetchSteps)
    --keep;
  Timestamp from = keep < cached.size() ? cached.timestamps[keep]
                                        : cached.timestamps.back() + spec.step;
  from = std::max(from, start);
  if (from <= end) {
    auto tail = QueryRangeWindowed(source_, {spec.query, from, end, spec.step});
    if (!tail.ok() && tail.code() != StatusCode::kNotFound) return tail.status();
    RangeSeries fetched = tail.ok() ? std::move(tail).value()
                                    : EmptyGrid({spec.query, from, end, spec.step});
    // Cut the cache where the fetched part begins, then append it.
    const auto cut = std::lower_bound(cached.timestamps.begin(), cached.timestamps.end(), from) -
                     cached.timestamps.begin();
    cached.timestamps.resize(cut);
    cached.values.resize(cut);
    cached.timestamps.insert(cached.timestamps.end(), fetched.timestamps.begin(),
                             fetched.timestamps.end());
    cached.values.insert(cached.values.end(), fetched.values.begin(), fetched.values.end());
  }
  // Drop what is older than the history length.
  const auto drop = std::lower_bound(cached.timestamps.begin(), cached.timestamps.end(), start) -
                    cached.timestamps.begin();
  cached.timestamps.erase(cached.timestamps.begin(), cached.timestamps.begin() + drop);
  cached.values.erase(cached.values.begin(), cached.values.begin() + drop);
  if (cached.CountMissing() == cached.size()) {
    entry->valid = false;
    return Status::NotFound("query '" + spec.query + "': no data left in the last " +
                            std::to_string(spec.length.count() / 1000) + "s of history");
  }
  return cached;
}

void HistoryCache::Forget(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

size_t HistoryCache::size() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [key, entry] : entries_) n += entry->valid ? 1 : 0;
  return n;
}

}  // namespace foresight::op
